"""Workspaces that are not one, damaged, newer, read-only, locked by another process, or on a
full disk; and merging from any of those.

The contract: one WorkspaceError (or ServiceError) whose message is one line naming the
file, never another exception, and the workspace as it was (every table, row by row; a file
SQLite cannot read, byte for byte).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.breakage import (
    BAD_WORKSPACES,
    IMPORT_JOURNAL,
    BadWorkspace,
    bad_workspace_ids,
    fill_up,
    hold_write_lock,
    limit_growth,
    make_workspace,
    read_only_folder,
    short_busy_timeout,
    small_filesystem,
    workspace_state,
)
from workstation.importers import DocumentDraft
from workstation.services import create_session, open_session
from workstation.services.annotation_import import import_annotations
from workstation.services.backups import backup_folder
from workstation.services.exporting import export
from workstation.services.importing import import_files
from workstation.services.maintenance import check
from workstation.services.merge import merge_workspace
from workstation.services.outcome import ServiceError
from workstation.storage import (
    DiskFull,
    WorkspaceError,
    WorkspaceLocked,
    WorkspaceReadOnly,
)


def one_line_naming(exc: BaseException, path: Path) -> str:
    message = str(exc)
    assert "\n" not in message, message
    assert "Traceback" not in message
    assert str(path) in message or path.name in message, message
    return message


def read_everything(session) -> None:
    """What a command or the window reads first: documents, passages, search, check."""
    for document in session.documents.list_documents():
        session.annotations.for_document(document.id)
    session.search("sanctions")
    check(session)


# -- files that are not (good) workspaces ----------------------------------------------------


@pytest.mark.parametrize("bad", BAD_WORKSPACES, ids=bad_workspace_ids())
@pytest.mark.parametrize("read_only", [False, True], ids=["writer", "reader"])
def test_a_bad_workspace_is_refused_in_one_line_and_left_as_it_was(tmp_path, bad, read_only):
    path = bad.make(tmp_path / "bad.sqlite")
    before = workspace_state(path)
    # A damaged file may open and fail at its first read: both are "opening" to the user.
    with pytest.raises(WorkspaceError) as info, open_session(path, read_only=read_only) as opened:
        read_everything(opened)
    message = one_line_naming(info.value, path).lower()
    assert any(word in message for word in bad.says), message
    assert workspace_state(path) == before
    assert not backup_folder(path).exists()  # nothing to back up: nothing was migrated


@pytest.mark.parametrize("bad", BAD_WORKSPACES, ids=bad_workspace_ids())
def test_creating_a_workspace_over_a_bad_file_never_overwrites_it(tmp_path, bad):
    path = bad.make(tmp_path / "bad.sqlite")
    before = path.read_bytes()
    if not before:  # an empty file is no work to lose: SQLite may make it a workspace
        create_session(path).close()
        return
    with pytest.raises(WorkspaceError) as info:
        create_session(path)
    assert "not overwriting" in one_line_naming(info.value, path)
    assert path.read_bytes() == before


def test_a_folder_or_a_missing_file_is_no_workspace(tmp_path):
    for path in (tmp_path, tmp_path / "missing.sqlite", tmp_path / "no" / "such.sqlite"):
        with pytest.raises(WorkspaceError) as info:
            open_session(path)
        assert "no workspace here" in one_line_naming(info.value, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_damaged_header_is_reported_as_damage(tmp_path):
    path = make_workspace(tmp_path / "header.sqlite")
    data = bytearray(path.read_bytes())
    data[44:48] = (99).to_bytes(4, "big")  # schema format number: SQLite knows 1 to 4
    path.write_bytes(bytes(data))
    before = workspace_state(path)
    with pytest.raises(WorkspaceError) as info, open_session(path) as session:
        read_everything(session)
    assert "damaged" in one_line_naming(info.value, path)
    assert workspace_state(path) == before


def _store_invalid_utf8(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE _sqlite_migrations SET name = CAST(x'6d303031ec' AS TEXT) WHERE rowid = 1",
        "UPDATE documents SET title = CAST(x'41ec42' AS TEXT)",
    ],
    ids=["in-the-migrations-table", "in-a-document-title"],
)
def test_bytes_that_are_not_utf8_in_the_file_are_reported_as_damage(tmp_path, sql):
    path = make_workspace(tmp_path / "mojibake.sqlite")
    _store_invalid_utf8(path, sql)
    before = workspace_state(path)
    with pytest.raises(WorkspaceError) as info, open_session(path) as session:
        read_everything(session)
    assert "damaged" in one_line_naming(info.value, path)
    assert workspace_state(path) == before


@cache
def _master_bytes() -> bytes:
    folder = Path(tempfile.mkdtemp(prefix="bad-workspaces-master-"))
    data = make_workspace(folder / "master.sqlite", documents=12).read_bytes()
    shutil.rmtree(folder, ignore_errors=True)
    return data


# Damage is drawn as a description (where to cut, which bytes to overwrite), not as the
# file's bytes: a failing example then prints in a few lines.
damage = st.tuples(
    st.none() | st.floats(0, 1),  # cut the file at this fraction of its length
    st.lists(
        st.tuples(
            # The 100-byte file header half the time: its fields fail differently from pages.
            st.integers(0, 99) | st.floats(0, 1),
            st.binary(min_size=1, max_size=16),
        ),
        max_size=5,
    ),
)


def damaged(cut: float | None, patches: list[tuple[int | float, bytes]]) -> bytes:
    data = bytearray(_master_bytes())
    if cut is not None:
        data = data[: int(len(data) * cut)]
    for where, patch in patches:
        at = where if isinstance(where, int) else int(len(data) * where)
        if at < len(data):
            data[at : at + len(patch)] = patch
    return bytes(data)


@settings(
    max_examples=250,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples every run, so the strict xfail is stable
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(damage=damage)
def test_any_damage_opens_and_reads_or_is_refused_as_a_workspace_error(damage):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.sqlite"
        path.write_bytes(damaged(*damage))
        try:
            with open_session(path) as session:
                read_everything(session)
        except WorkspaceError as exc:
            one_line_naming(exc, path)


# -- locked by another process ----------------------------------------------------------------


@pytest.fixture
def locked(tmp_path, monkeypatch):
    """A workspace with content, its write lock held by another (plain sqlite3) process."""
    short_busy_timeout(monkeypatch)
    path = make_workspace(tmp_path / "locked.sqlite")
    with hold_write_lock(path):
        yield path


def test_a_locked_workspace_still_reads(locked):
    with open_session(locked) as session:
        assert session.documents.count() == 3
        assert session.search("Peskov")


def test_every_write_to_a_locked_workspace_says_busy_and_changes_nothing(locked, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("A new article about the consulate closures.\n", encoding="utf-8")
    other = make_workspace(tmp_path / "other.sqlite", documents=2, author="colleague")
    annotations = tmp_path / "passages.jsonl"
    with open_session(other) as theirs:
        export(theirs, "w3c", annotations)
    before = workspace_state(locked)
    with open_session(locked) as session:
        attempts = {
            "edit": lambda: session.codebook.create("Leak"),
            "import": lambda: import_files(session, [article]),
            "import annotations": lambda: import_annotations(session, annotations),
            "merge": lambda: merge_workspace(session, other),
        }
        for what, attempt in attempts.items():
            with pytest.raises(WorkspaceLocked) as info:
                attempt()
            assert "busy" in one_line_naming(info.value, locked), what
    assert workspace_state(locked) == before


# -- read-only ------------------------------------------------------------------------------


def test_a_workspace_on_a_read_only_file_system_refuses_a_writer(tmp_path):
    with read_only_folder() as folder:
        path = make_workspace(folder.path / "ro.sqlite")
        folder.freeze()
        before = workspace_state(path)
        with pytest.raises(WorkspaceReadOnly) as info:
            open_session(path)
        assert "read-only" in one_line_naming(info.value, path)
        assert workspace_state(path) == before


def test_a_workspace_on_a_read_only_file_system_opens_for_reading(tmp_path):
    with read_only_folder() as folder:
        path = make_workspace(folder.path / "ro.sqlite")
        folder.freeze()
        with open_session(path, read_only=True) as session:
            assert session.documents.count() == 3
            assert session.search("Peskov")


def test_merging_from_a_workspace_on_a_read_only_file_system(session):
    with read_only_folder() as folder:
        other = make_workspace(folder.path / "other.sqlite", author="colleague")
        folder.freeze()
        report = merge_workspace(session, other)
    assert report.counts["documents"].added == 3


# -- a full disk -----------------------------------------------------------------------------


def _big_article(folder: Path) -> Path:
    path = folder / "big.txt"
    path.write_text("Sanctions and reciprocity. " * 40_000, encoding="utf-8")
    return path


def test_a_full_disk_stops_each_write_with_one_message_and_changes_nothing(tmp_path):
    path = make_workspace(tmp_path / "full.sqlite")
    other = make_workspace(tmp_path / "other.sqlite", documents=20, author="colleague")
    big = _big_article(tmp_path)
    before = workspace_state(path, besides=IMPORT_JOURNAL)
    with open_session(path) as session:
        limit_growth(session.workspace.conn)
        results, _ = import_files(session, [big])
        assert [r.status for r in results] == ["failed"]
        assert "disk is full" in results[0].message
        attempts = {
            "add": lambda: session.documents.add(
                DocumentDraft(title="Big", text=big.read_text(), origin_name="big.txt")
            ),
            "merge": lambda: merge_workspace(session, other),
        }
        for what, attempt in attempts.items():
            with pytest.raises(DiskFull) as info:
                attempt()
            assert "disk is full" in one_line_naming(info.value, path), what
    assert workspace_state(path, besides=IMPORT_JOURNAL) == before


def test_annotations_on_a_full_disk_say_so_and_change_nothing(tmp_path):
    source = make_workspace(tmp_path / "source.sqlite")
    annotations = tmp_path / "passages.jsonl"
    with open_session(source) as theirs:
        # Enough passages to need new pages (small ones would fit in the free space).
        document = theirs.documents.list_documents()[0]
        for start in range(0, 60):
            theirs.annotations.create(document.id, start, start + 20, note="why " * 100)
        export(theirs, "w3c", annotations)
    path = make_workspace(tmp_path / "ours.sqlite", passage=False)  # the same texts, bare
    before = workspace_state(path)
    with open_session(path) as session:
        limit_growth(session.workspace.conn, extra_pages=0)
        with pytest.raises(DiskFull) as info:
            import_annotations(session, annotations)
        assert "disk is full" in one_line_naming(info.value, path)
    assert workspace_state(path) == before


def test_a_nearly_full_file_system_stops_an_import_with_disk_full(tmp_path):
    big = _big_article(tmp_path)
    with small_filesystem(2048) as folder:
        path = make_workspace(folder / "w.sqlite")
        fill_up(folder, leave_kb=300)
        before = workspace_state(path, besides=IMPORT_JOURNAL)
        with open_session(path) as session:
            results, _ = import_files(session, [big])
        assert [r.status for r in results] == ["failed"]
        assert "disk is full" in results[0].message
        assert workspace_state(path, besides=IMPORT_JOURNAL) == before


def test_a_workspace_created_without_room_is_refused_as_full_and_leaves_nothing(tmp_path):
    """The last fold of the log into the file cannot finish on a full disk: the file alone
    would be damaged, so creation says so rather than renaming it into place."""
    with small_filesystem(1024) as folder:
        with pytest.raises(WorkspaceError) as info:
            make_workspace(folder / "w.sqlite")
        assert "disk is full" in one_line_naming(info.value, folder / "w.sqlite")
        assert sorted(p.name for p in folder.iterdir()) == []


def test_a_completely_full_file_system_is_reported_as_full_not_damaged(tmp_path):
    # 2 MB: a new workspace and its log need more than 1 MB while it is being made.
    with small_filesystem(2048) as folder:
        path = make_workspace(folder / "w.sqlite")
        fill_up(folder)
        before = workspace_state(path)
        with pytest.raises(WorkspaceError) as info, open_session(path) as session:
            session.codebook.create("Leak")
        assert "disk is full" in one_line_naming(info.value, path)
        assert workspace_state(path) == before


def test_a_merge_without_room_for_its_backup_says_disk_full_and_leaves_no_litter(tmp_path):
    other = make_workspace(tmp_path / "other.sqlite", documents=40, author="colleague")
    with small_filesystem(4096) as folder:
        path = make_workspace(folder / "w.sqlite", documents=40)
        fill_up(folder, leave_kb=400)
        before = workspace_state(path)
        with pytest.raises(WorkspaceError) as info, open_session(path) as session:
            merge_workspace(session, other)
        assert "disk is full" in one_line_naming(info.value, path)
        assert workspace_state(path) == before
        assert [p.name for p in backup_folder(path).iterdir()] == []


# -- merging from a bad workspace ------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_WORKSPACES, ids=bad_workspace_ids())
def test_merging_a_bad_workspace_is_refused_naming_it_and_changes_neither(
    session, tmp_path, bad: BadWorkspace
):
    other = bad.make(tmp_path / "theirs.sqlite")
    ours_before, theirs_before = workspace_state(session.path), workspace_state(other)
    with pytest.raises((WorkspaceError, ServiceError)) as info:
        merge_workspace(session, other)
    message = one_line_naming(info.value, other).lower()
    assert any(word in message for word in bad.says), message
    assert workspace_state(session.path) == ours_before
    assert workspace_state(other) == theirs_before
    assert not backup_folder(session.path).exists()  # refused before the backup


@pytest.mark.parametrize("what", ["folder", "missing", "itself"])
def test_merging_what_is_no_other_workspace_is_refused(session, tmp_path, what):
    other = {
        "folder": tmp_path,
        "missing": tmp_path / "missing.sqlite",
        "itself": session.path,
    }[what]
    before = workspace_state(session.path)
    with pytest.raises(ServiceError) as info:
        merge_workspace(session, other)
    one_line_naming(info.value, other)
    assert workspace_state(session.path) == before


def test_merging_a_workspace_another_process_is_writing_to_works(session, tmp_path, monkeypatch):
    short_busy_timeout(monkeypatch)
    other = make_workspace(tmp_path / "theirs.sqlite", author="colleague")
    with hold_write_lock(other):
        report = merge_workspace(session, other)
    assert report.counts["documents"].added == 3
