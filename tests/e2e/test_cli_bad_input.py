"""Every command on every bad workspace, and bad files handed to the commands.

The contract (docs/architecture.md, the command line): a failure is exit 1 and ONE line on stderr,
``workstation COMMAND: what: where``, never a traceback (exit 3 is a bug); and the workspace
is left as it was, row by row (a file SQLite cannot read: byte for byte).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers.breakage import (
    BAD_WORKSPACES,
    IMPORT_JOURNAL,
    BadWorkspace,
    bad_workspace_ids,
    fill_up,
    hold_write_lock,
    make_workspace,
    read_only_folder,
    short_busy_timeout,
    small_filesystem,
    workspace_state,
)
from tests.helpers.cli import run

COMMANDS = (
    "import",
    "search",
    "suggest",
    "timeline",
    "brief",
    "export",
    "import-annotations",
    "merge",
    "check",
    "backup",
    "init",
)
# Commands that only read the workspace: they work on a read-only or locked one.
# check reads a private copy of the file (issue 12: it writes nothing), so a lock held by
# another program does not stop it either.
READERS = ("search", "suggest", "timeline", "export", "backup", "check")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """Good inputs for every command: an article, a colleague's workspace, annotations."""
    folder = tmp_path_factory.mktemp("inputs")
    article = folder / "article.txt"
    article.write_text("Consulates closed\nBoth sides closed a consulate.\n", encoding="utf-8")
    other = make_workspace(folder / "colleague.sqlite", documents=2, author="colleague")
    annotations = folder / "passages.jsonl"
    code = _quiet_main("--workspace", other, "export", "--format", "w3c", "--out", annotations)
    assert code == 0
    return {"article": article, "other": other, "annotations": annotations}


def _quiet_main(*args) -> int:
    from workstation.cli import main

    return main([str(a) for a in args])


def command_args(command: str, inputs: dict[str, Path], out: Path) -> list:
    return {
        "import": ["import", inputs["article"]],
        "search": ["search", "sanctions"],
        "suggest": ["suggest"],
        "timeline": ["timeline"],
        "brief": ["brief", "--out", out / "brief.pdf"],
        "export": ["export", "--format", "w3c", "--out", out / "export.jsonl"],
        "import-annotations": ["import-annotations", inputs["annotations"]],
        "merge": ["merge", inputs["other"]],
        "check": ["check"],
        "backup": ["backup", out / "copy.sqlite"],
        "init": ["init"],
    }[command]


def one_error_line(command: str, err: str, path: Path) -> str:
    """The single stderr line of a failed command, checked for its form."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith(f"workstation {command}: "), line
    assert "internal error" not in line, line
    assert path.name in line, line
    return line.lower()


# -- files that are not (good) workspaces ----------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("bad", BAD_WORKSPACES, ids=bad_workspace_ids())
def test_every_command_on_a_bad_workspace_fails_in_one_line_and_changes_nothing(
    capsys, tmp_path, inputs, bad: BadWorkspace, command
):
    path = bad.make(tmp_path / "bad.sqlite")
    before = workspace_state(path)
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, err = run(capsys, "--workspace", path, *command_args(command, inputs, out))
    if command == "init" and bad.name == "empty-file":
        assert code == 0, err  # nothing to lose in an empty file: it becomes a workspace
        return
    if command == "backup" and bad.name in ("newer", "empty-file", "foreign-sqlite"):
        return  # see the tests below
    assert code == 1, (stdout, err)
    line = one_error_line(command, err, path)
    says = ("already exists",) if command == "init" else bad.says
    assert any(word in line for word in says), line
    assert workspace_state(path) == before
    assert sorted(p.name for p in out.iterdir()) == []  # no half-written output either


def test_a_newer_workspace_can_still_be_backed_up(capsys, tmp_path):
    path = BAD_WORKSPACES[-1].make(tmp_path / "newer.sqlite")
    assert BAD_WORKSPACES[-1].name == "newer"
    code, out, _ = run(capsys, "--workspace", path, "backup", tmp_path / "copy.sqlite")
    assert code == 0 and "verified" in out
    assert workspace_state(tmp_path / "copy.sqlite") == workspace_state(path)


@pytest.mark.parametrize("name", ["empty-file", "foreign-sqlite"])
def test_backing_up_what_is_no_workspace_is_refused(capsys, tmp_path, name):
    bad = next(b for b in BAD_WORKSPACES if b.name == name)
    path = bad.make(tmp_path / "bad.sqlite")
    code, _, err = run(capsys, "--workspace", path, "backup", tmp_path / "copy.sqlite")
    assert code == 1
    assert "not a workstation" in one_error_line("backup", err, path)
    assert not (tmp_path / "copy.sqlite").exists()


def test_a_missing_workspace_or_folder(capsys, tmp_path, inputs):
    for path in (tmp_path / "missing.sqlite", tmp_path):
        for command in COMMANDS:
            if command in ("init", "backup"):
                continue  # init creates it; backup says "no workspace" too, checked below
            code, _, err = run(
                capsys, "--workspace", path, *command_args(command, inputs, tmp_path)
            )
            assert code == 1, (command, err)
            assert "no workspace here" in one_error_line(command, err, path)
    code, _, err = run(capsys, "--workspace", tmp_path / "m.sqlite", "backup", tmp_path / "c")
    assert code == 1 and "no workspace here" in one_error_line("backup", err, tmp_path / "m.sqlite")


# -- a workspace another process is writing to -----------------------------------------------


@pytest.fixture
def sample_copy(tmp_path, sample_path) -> Path:
    """The sample episode (so timeline and brief have something to show)."""
    return sample_path


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "init"])
def test_every_command_on_a_locked_workspace(
    capsys, tmp_path, inputs, sample_copy, monkeypatch, command
):
    short_busy_timeout(monkeypatch)
    out = tmp_path / "out"
    out.mkdir()
    before = workspace_state(sample_copy)
    with hold_write_lock(sample_copy):
        code, stdout, err = run(
            capsys, "--workspace", sample_copy, *command_args(command, inputs, out)
        )
    if command in READERS:
        assert code == 0, err
        assert err == "", err
    else:
        assert code == 1, (stdout, err)
        assert "busy" in one_error_line(command, err, sample_copy)
    assert workspace_state(sample_copy) == before


def test_a_brief_that_cannot_be_recorded_leaves_no_pdf_or_says_so(
    capsys, tmp_path, sample_copy, monkeypatch
):
    short_busy_timeout(monkeypatch)
    pdf = tmp_path / "brief.pdf"
    with hold_write_lock(sample_copy):
        code, _, err = run(capsys, "--workspace", sample_copy, "brief", "--out", pdf)
    assert code == 1
    assert not pdf.exists() or str(pdf) in err


# -- a read-only file system -----------------------------------------------------------------


@pytest.fixture(scope="module")
def read_only_sample(tmp_path_factory):
    """The sample episode on a file system mounted read-only (for the whole module)."""
    from workstation.services import create_session
    from workstation.services.sample import load_sample

    with read_only_folder() as folder:
        path = folder.path / "sample.sqlite"
        with create_session(path, author="tester") as session:
            load_sample(session)
        folder.freeze()
        yield path


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "init"])
def test_every_command_on_a_read_only_file_system(
    capsys, tmp_path, inputs, read_only_sample, command
):
    out = tmp_path / "out"
    out.mkdir()
    before = workspace_state(read_only_sample)
    code, stdout, err = run(
        capsys, "--workspace", read_only_sample, *command_args(command, inputs, out)
    )
    if command in (*READERS, "check"):
        assert code == 0, err
    else:
        assert code == 1, (stdout, err)
        assert "read-only" in one_error_line(command, err, read_only_sample)
    assert workspace_state(read_only_sample) == before


# -- a full disk -----------------------------------------------------------------------------


def test_an_import_on_a_nearly_full_disk_fails_in_one_line_and_changes_nothing(capsys, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Sanctions and reciprocity. " * 40_000, encoding="utf-8")
    with small_filesystem(2048) as folder:
        path = make_workspace(folder / "w.sqlite")
        fill_up(folder, leave_kb=300)
        before = workspace_state(path, besides=IMPORT_JOURNAL)
        code, out, err = run(capsys, "--workspace", path, "import", big)
        assert code == 1 and out == ""
        assert err.splitlines() == [
            f"failed    {big}: not imported: disk is full: nothing was saved; "
            "free some space and try again"
        ]
        assert workspace_state(path, besides=IMPORT_JOURNAL) == before


@pytest.mark.parametrize("command", ["search", "check", "import"])
def test_a_completely_full_disk_is_reported_as_full(capsys, tmp_path, inputs, command):
    with small_filesystem(2048) as folder:  # room to make the workspace, then none
        path = make_workspace(folder / "w.sqlite")
        fill_up(folder)
        before = workspace_state(path)
        code, _, err = run(capsys, "--workspace", path, *command_args(command, inputs, tmp_path))
        assert code == 0 or "disk is full" in one_error_line(command, err, path)
        assert workspace_state(path) == before


# -- bad files handed to the commands ---------------------------------------------------------


@pytest.fixture
def workspace(tmp_path) -> Path:
    return make_workspace(tmp_path / "w.sqlite")


def test_import_of_bad_files_reports_each_in_one_line_and_keeps_the_good(
    capsys, tmp_path, workspace
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text("A good article\nAbout the consulates.\n", encoding="utf-8")
    (inbox / "noise.pdf").write_bytes(os.urandom(4096))
    (inbox / "cut.docx").write_bytes(b"PK\x03\x04" + os.urandom(300))
    (inbox / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    huge = inbox / "huge.txt"
    huge.write_bytes(b"x")
    os.truncate(huge, 50 * 1024 * 1024)
    code, out, err = run(capsys, "--workspace", workspace, "import", inbox)
    assert code == 1
    assert out.splitlines() == [f"imported  {inbox / 'good.txt'}: A good article"]
    failed = sorted(err.splitlines())
    assert [line.split(":")[0] for line in failed] == [
        f"failed    {inbox / name}" for name in ("binary.txt", "cut.docx", "huge.txt", "noise.pdf")
    ]
    assert f"{huge}: the file is 50 MB, over the 20 MB limit" in err


def test_import_of_nothing_importable_says_so(capsys, tmp_path, workspace):
    empty = tmp_path / "empty"
    empty.mkdir()
    before = workspace_state(workspace, besides=IMPORT_JOURNAL)
    code, out, err = run(capsys, "--workspace", workspace, "import", empty)
    assert code == 1 and out == ""
    assert err == "workstation import: no importable files found\n"
    assert workspace_state(workspace, besides=IMPORT_JOURNAL) == before


@pytest.mark.parametrize(
    "content, says",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "a binary file, not JSON annotations"),
        ("caf\xe9".encode("latin-1"), "not UTF-8 text"),
    ],
    ids=["binary", "latin-1"],
)
def test_import_annotations_of_an_unreadable_file_is_one_line(
    capsys, tmp_path, workspace, content, says
):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = workspace_state(workspace)
    code, out, err = run(capsys, "--workspace", workspace, "import-annotations", path)
    assert code == 1 and out == ""
    assert says.lower() in one_error_line("import-annotations", err, path)
    assert workspace_state(workspace) == before


def test_import_annotations_reports_each_bad_line_by_number(capsys, tmp_path, workspace, inputs):
    good = inputs["annotations"].read_text(encoding="utf-8").splitlines()
    path = tmp_path / "mixed.jsonl"
    deep = "[" * 50_000 + "]" * 50_000
    path.write_text("\n".join([*good, "{not json", deep, "42"]) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "--workspace", workspace, "import-annotations", path)
    assert code == 1
    assert out.startswith("mixed.jsonl: ")
    lines = err.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        f"line {len(good) + n}" for n in (1, 2, 3)
    ], err
    assert "nested too deeply" in lines[1]


@pytest.mark.parametrize("bad", BAD_WORKSPACES, ids=bad_workspace_ids())
def test_merge_of_a_bad_other_workspace_is_one_line_naming_it(
    capsys, tmp_path, workspace, bad: BadWorkspace
):
    other = bad.make(tmp_path / "theirs.sqlite")
    ours, theirs = workspace_state(workspace), workspace_state(other)
    code, out, err = run(capsys, "--workspace", workspace, "merge", other)
    assert code == 1 and out == ""
    line = one_error_line("merge", err, other)
    assert any(word in line for word in bad.says), line
    assert workspace_state(workspace) == ours and workspace_state(other) == theirs


def test_merge_of_a_copy_of_itself_adds_nothing(capsys, tmp_path, workspace):
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(workspace, copy)
    before = workspace_state(workspace)
    code, out, err = run(capsys, "--workspace", workspace, "merge", copy)
    assert code == 0, err
    assert re.search(r"^documents: +0 added, 0 updated, 3 unchanged$", out, re.MULTILINE), out
    assert workspace_state(workspace) == before
