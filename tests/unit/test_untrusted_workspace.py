"""A workspace file is not trusted (issue 12): its schema is verified against the migrations
on opening, a foreign ``-wal`` beside it is never read, ``check`` writes nothing, and no
command writes over the workspace, its sidecars or its backups.

Every hostile input is built at run time (bench/hostile/workspace.py). "As it was" is a
hash of every table's rows (tests/helpers/untouched.py), and for ``check`` every byte of the
file and its sidecars.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from bench.hostile.workspace import (
    REWRITE_TRIGGER,
    alter_table,
    foreign_wal_beside,
    plant_rewriting_trigger,
    plant_view_and_table,
)
from tests.helpers.untouched import family_bytes, table_digest
from workstation.importers import DocumentDraft
from workstation.services import open_session
from workstation.services.backups import list_backups
from workstation.services.check_reading import reading_for_check
from workstation.services.exporting import export
from workstation.services.maintenance import backup, inspect, open_for_repair, repair
from workstation.services.output_paths import RefusedPath, refuse_workspace_paths, sidecar_owner
from workstation.storage import WorkspaceError, WorkspaceReadOnly
from workstation.storage.errors import WorkspaceUntrusted
from workstation.storage.schema import migrations
from workstation.storage.schema_verify import deviations, expected_schema
from workstation.storage.wal_guard import foreign_wal

DRAFT = DocumentDraft(title="Answer", text="Moscow will answer in kind.\n", origin_name="a.txt")


def rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def one_line(exc: BaseException) -> str:
    message = str(exc)
    assert "\n" not in message and "Traceback" not in message
    return message


# -- the expected schema comes from the migrations ------------------------------------------------


def test_a_workspace_made_by_the_migrations_matches_them(sample_path, tmp_path):
    conn = sqlite3.connect(sample_path)
    assert deviations(conn) == []
    conn.close()
    old = tmp_path / "old.sqlite"
    conn = sqlite3.connect(old)
    migrations.apply(Database(conn), stop_before="m006_versions_and_orphans")
    assert deviations(conn) == []  # compared with what those five steps make
    conn.close()
    names = [m.name for m in migrations._migrations]
    assert set(expected_schema(frozenset(names))) >= {"documents", "changes", "documents_live"}


# -- planted objects: writes refused, check reports, repair removes ------------------------------


def test_a_planted_trigger_makes_every_write_refused_naming_it(sample_path):
    plant_rewriting_trigger(sample_path)
    before = table_digest(sample_path)
    with open_session(sample_path) as session:
        assert session.workspace.read_only and session.workspace.untrusted
        assert REWRITE_TRIGGER in (session.workspace.read_only_reason or "")
        with pytest.raises(WorkspaceUntrusted) as info:
            session.documents.add(DRAFT)
        message = one_line(info.value)
        assert message.startswith(
            f"trigger {REWRITE_TRIGGER} is not part of a workspace; open read-only, or "
            "`workstation check --repair` removes it after a backup: "
        )
        assert isinstance(info.value, WorkspaceReadOnly)  # treated as read-only everywhere
        session.documents.list_documents()  # reading still works
    reader = open_session(sample_path, read_only=True)
    with reader as session, pytest.raises(WorkspaceUntrusted, match=REWRITE_TRIGGER):
        session.documents.add(DRAFT)
    assert table_digest(sample_path) == before


def test_check_reports_it_and_writes_not_a_byte(sample_path):
    plant_rewriting_trigger(sample_path)
    before = family_bytes(sample_path)
    with reading_for_check(sample_path) as reading:
        findings = inspect(reading.session)
    assert family_bytes(sample_path) == before
    assert [(p.check, p.table, p.record_id) for p in findings.problems()] == [
        ("schema", "trigger", REWRITE_TRIGGER)
    ]
    assert "not part of a workspace" in str(findings.problems()[0])


def test_repair_backs_up_removes_it_and_then_writes_rewrite_nothing(sample_path):
    plant_rewriting_trigger(sample_path)
    judgments = rows(sample_path, "SELECT id, text FROM judgments ORDER BY id")
    links = rows(sample_path, "SELECT count(*) FROM mentions")
    with open_for_repair(sample_path) as session:
        report = repair(session)
        assert [str(r) for r in report.repaired] == [f"removed trigger {REWRITE_TRIGGER}"]
        assert report.left == [] and not session.workspace.read_only
        session.documents.add(DRAFT)  # the write that would have fired it
    assert report.backup is not None and list_backups(sample_path)[0].path == report.backup
    # The backup is the file as it was, trigger and all: the state to go back to.
    assert rows(
        report.backup, f"SELECT count(*) FROM sqlite_master WHERE name = '{REWRITE_TRIGGER}'"
    )[0] == (1,)
    assert rows(sample_path, "SELECT id, text FROM judgments ORDER BY id") == judgments
    assert rows(sample_path, "SELECT count(*) FROM mentions") == links
    logged = rows(sample_path, "SELECT action, table_name, record_id, after FROM changes "
                  "WHERE action = 'schema'")  # fmt: skip
    assert logged == [("schema", "sqlite_master", REWRITE_TRIGGER, None)]


def test_a_planted_view_and_table_are_named_and_removed(sample_path):
    plant_view_and_table(sample_path)
    with open_session(sample_path) as session, pytest.raises(WorkspaceUntrusted) as info:
        session.documents.add(DRAFT)
    assert "table zz_extra, view zz_peek are not part of a workspace" in one_line(info.value)
    with open_for_repair(sample_path) as session:
        report = repair(session)
    assert sorted(str(r) for r in report.repaired) == [
        "removed table zz_extra",
        "removed view zz_peek",
    ]
    assert rows(report.backup, "SELECT note FROM zz_extra") == [("left here",)]
    assert rows(sample_path, "SELECT name FROM sqlite_master WHERE name LIKE 'zz%'") == []


def test_an_altered_view_is_restored_from_the_migrations(sample_path):
    conn = sqlite3.connect(sample_path, isolation_level=None)
    conn.execute("DROP VIEW documents_live")
    conn.execute("CREATE VIEW documents_live AS SELECT seq, title, body FROM documents")
    conn.close()
    with open_for_repair(sample_path) as session:
        report = repair(session)
        assert [str(r) for r in report.repaired][:1] == ["restored view documents_live"]
        assert session.search("sanctions")
    conn = sqlite3.connect(sample_path)
    assert deviations(conn) == []
    conn.close()


def test_an_altered_table_is_reported_and_never_rebuilt_in_place(sample_path):
    alter_table(sample_path)
    before = table_digest(sample_path)
    refused = pytest.raises(WorkspaceUntrusted, match="table judgments differs from the ")
    with open_session(sample_path) as session, refused:
        session.documents.add(DRAFT)
    with open_for_repair(sample_path) as session:
        report = repair(session)
    assert report.repaired == [] and report.backup is None
    assert [str(p) for p in report.left] == [
        "schema: table judgments: differs from the workspace's own definition "
        "(not repairable in place: restore a backup)"
    ]
    assert table_digest(sample_path) == before


def test_a_table_replaced_by_an_endless_view_is_refused_on_opening(sample_path):
    conn = sqlite3.connect(sample_path, isolation_level=None)
    columns = ", ".join(f"'x' AS \"{r[1]}\"" for r in conn.execute("PRAGMA table_info(mentions)"))
    conn.execute("DROP TABLE mentions")
    conn.execute(
        "CREATE VIEW mentions AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
        f"SELECT {columns} FROM r"
    )
    conn.close()
    with pytest.raises(WorkspaceUntrusted) as info:
        open_session(sample_path)
    assert "mentions is a view where a workspace has a table" in one_line(info.value)
    with reading_for_check(sample_path) as reading:  # reported, never read: no hang
        findings = inspect(reading.session)
    assert [p.check for p in findings.problems()] == ["schema"]
    assert any("records not checked" in note for note in findings.notes)


def test_a_view_in_place_of_the_migrations_table_is_never_read(sample_path):
    from workstation.storage.backup import pending_migrations

    conn = sqlite3.connect(sample_path, isolation_level=None)
    conn.execute("DROP TABLE _sqlite_migrations")
    conn.execute(
        "CREATE VIEW _sqlite_migrations AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL "
        "SELECT n + 1 FROM r) SELECT 'workstation' AS migration_set, 'm' || n AS name FROM r"
    )
    conn.close()
    assert pending_migrations(sample_path) == []  # asked before opening: no hang
    with pytest.raises(WorkspaceError, match="damaged"):
        open_session(sample_path)


# -- a foreign -wal ------------------------------------------------------------------------------


def _own_wal_left_by_a_crash(path: Path, folder: Path) -> Path:
    """A copy of ``path`` with a -wal of its own holding a committed change (as a killed
    writer leaves it)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE episodes SET outlook = 'from the log'")
    copy = folder / "crashed.sqlite"
    shutil.copyfile(path, copy)
    shutil.copyfile(path.with_name(path.name + "-wal"), copy.with_name(copy.name + "-wal"))
    conn.close()
    return copy


def test_our_own_log_is_never_taken_for_a_foreign_one(sample_path, tmp_path):
    crashed = _own_wal_left_by_a_crash(sample_path, tmp_path)
    assert foreign_wal(crashed) is None
    with open_session(crashed) as session:
        assert session.workspace.moved_wal is None
        assert {e.outlook for e in session.episodes.list_episodes()} == {"from the log"}


def test_a_torn_last_frame_of_our_own_log_is_not_taken_for_a_foreign_one(sample_path, tmp_path):
    conn = sqlite3.connect(sample_path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE episodes SET outlook = 'kept'")
    conn.execute("PRAGMA user_version = 9")  # a transaction of page 1 alone: the last frame
    copy = tmp_path / "torn.sqlite"
    shutil.copyfile(sample_path, copy)
    wal = copy.with_name(copy.name + "-wal")
    shutil.copyfile(sample_path.with_name(sample_path.name + "-wal"), wal)
    conn.close()
    data = bytearray(wal.read_bytes())
    page_size = int.from_bytes(data[8:12], "big")
    last = len(data) - page_size  # killed between the frame's header and its page
    data[last:] = bytes(page_size)
    wal.write_bytes(bytes(data))
    assert foreign_wal(copy) is None
    with open_session(copy) as session:  # SQLite drops the torn frame; the rest is kept
        assert {e.outlook for e in session.episodes.list_episodes()} == {"kept"}


@pytest.mark.parametrize("kind", ["another-database", "page-size", "not-wal-mode", "garbage"])
def test_a_log_proven_foreign_is_told_apart(sample_path, tmp_path, kind):
    if kind == "another-database":
        foreign_wal_beside(sample_path)
        reason = "another database's application id"
    elif kind == "page-size":
        other = tmp_path / "small.sqlite"
        conn = sqlite3.connect(other, isolation_level=None)
        conn.execute("PRAGMA page_size = 1024")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("CREATE TABLE t (x)")
        shutil.copyfile(
            other.with_name(other.name + "-wal"), sample_path.with_name(sample_path.name + "-wal")
        )
        conn.close()
        reason = "its pages are 1024 bytes"
    elif kind == "not-wal-mode":
        backup_copy = backup(sample_path, tmp_path / "copy.sqlite")  # rollback mode
        foreign_wal_beside(backup_copy)
        sample_path = backup_copy
        reason = "not in WAL mode"
    else:
        sample_path.with_name(sample_path.name + "-wal").write_bytes(os.urandom(4096))
        reason = "not an SQLite write-ahead log"
    found = foreign_wal(sample_path)
    assert found is not None and reason in found.reason


def test_a_writer_moves_a_foreign_log_aside_unread_and_a_reader_ignores_it(sample_path):
    before = table_digest(sample_path)
    wal = foreign_wal_beside(sample_path)
    planted = wal.read_bytes()
    with open_session(sample_path, read_only=True) as session:  # reads around it
        assert len(session.documents.list_documents()) > 0
    assert wal.read_bytes() == planted
    with open_session(sample_path) as session:
        moved = session.workspace.moved_wal
        assert moved is not None and moved.moved_to is not None
        assert moved.moved_to.name.startswith("sample.sqlite-wal.foreign-")
        assert "moved aside untouched" in moved.describe()
    assert moved.moved_to.read_bytes() == planted
    assert table_digest(sample_path) == before


def test_check_reports_a_foreign_log_and_leaves_every_byte(sample_path):
    foreign_wal_beside(sample_path)
    before = family_bytes(sample_path)
    with reading_for_check(sample_path) as reading:
        assert reading.foreign_wal is not None and reading.copied
        assert inspect(reading.session).problems() == []
    assert family_bytes(sample_path) == before


def test_check_of_a_clean_and_of_a_crashed_workspace_writes_nothing(sample_path, tmp_path):
    crashed = _own_wal_left_by_a_crash(sample_path, tmp_path)
    for path in (sample_path, crashed):
        before = family_bytes(path)
        with reading_for_check(path) as reading:
            assert inspect(reading.session).problems() == []
            if path == crashed:
                episodes = reading.session.episodes.list_episodes()
                assert {e.outlook for e in episodes} == {"from the log"}
        assert family_bytes(path) == before


# -- paths written: never the workspace's family -------------------------------------------------


@pytest.fixture
def family(sample_path):
    (sample_path.parent / "sample.sqlite.backups").mkdir()
    return sample_path


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("sample.sqlite", "the workspace itself"),
        ("sample.sqlite-wal", "the workspace's write-ahead log"),
        ("sample.sqlite-shm", "the workspace's shared-memory file"),
        ("sample.sqlite-journal", "the workspace's rollback journal"),
        ("sample.sqlite.lock", "the workspace's lock file"),
        ("sample.sqlite.backups", "the workspace's backups"),
        ("sample.sqlite.backups/new.csv", "the workspace's backups"),
        ("sub/../sample.sqlite", "the workspace itself"),
    ],
)
def test_the_workspace_family_is_refused_by_name(family, name, why):
    (family.parent / "sub").mkdir()
    with pytest.raises(RefusedPath) as info:
        refuse_workspace_paths(family.parent / name, family)
    assert one_line(info.value) == f"refusing to write over {why}: {family.parent / name}"


def test_links_and_scratch_files_are_refused_too(family):
    link = family.parent / "export.csv"
    link.symlink_to(family)
    hard = family.parent / "hard.csv"
    os.link(family, hard)
    folder_link = family.parent / "elsewhere"
    folder_link.symlink_to(family.parent / "sample.sqlite.backups")
    for target in (link, hard, folder_link / "x.csv"):
        with pytest.raises(RefusedPath, match="refusing to write over the workspace"):
            refuse_workspace_paths(target, family)
    scratchy = family.with_name("ws.partial")  # the export's scratch file would be it
    family.rename(scratchy)
    with pytest.raises(RefusedPath, match="the workspace itself"):
        refuse_workspace_paths(family.with_name("ws"), scratchy)
    refuse_workspace_paths(family.parent / "notes.csv", scratchy)  # an unrelated file: fine


def test_sidecar_names_of_an_existing_file_are_known(family):
    assert sidecar_owner(family.with_name("sample.sqlite-wal")) == family
    assert sidecar_owner(family.parent / "sample.sqlite.backups" / "x.sqlite") == family
    assert sidecar_owner(family.parent / "other.sqlite") is None


def test_export_and_backup_refuse_and_write_nothing(family):
    before = (table_digest(family), family_bytes(family))
    with open_session(family) as session:
        for target in (family, family.with_name("sample.sqlite-wal")):
            with pytest.raises(RefusedPath):
                export(session, "csv", target)
    with pytest.raises(RefusedPath, match="write-ahead log"):
        backup(family, family.with_name("sample.sqlite-wal"))
    with pytest.raises(RefusedPath, match="backups"):
        backup(family, family.parent / "sample.sqlite.backups" / "copy.sqlite")
    assert (table_digest(family), family_bytes(family)) == before
    assert not family.with_name("sample.sqlite-wal").exists()
    assert list((family.parent / "sample.sqlite.backups").iterdir()) == []


def test_an_unrelated_existing_file_may_still_be_overwritten(sample_path, tmp_path):
    target = tmp_path / "old.csv"
    target.write_text("yesterday's export")
    with open_session(sample_path) as session:
        export(session, "csv", target)
    assert "yesterday" not in target.read_text(encoding="utf-8")


def test_errors_are_workspace_errors_for_the_command_line():
    assert issubclass(WorkspaceUntrusted, WorkspaceError)
