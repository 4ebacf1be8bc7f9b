"""The command line beside another workstation that has the workspace open for writing:
commands that write are refused with one line naming the holder; commands that only read
still work, read-only."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.helpers.cli import run
from tests.helpers.workspace_holder import held_elsewhere


def _counts(path) -> tuple[int, int]:
    """(documents, change-log rows), read without opening a workstation session."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        changes = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    finally:
        conn.close()
    return documents, changes


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "expulsions.txt"
    path.write_text("Moscow expelled ten US diplomats in answer.", encoding="utf-8")
    return path


@pytest.fixture
def holder(sample_path):
    with held_elsewhere(sample_path) as process:
        yield process


def _refused(err: str, holder, command: str) -> None:
    assert err.count("\n") == 1, err  # one line, no traceback
    assert err.startswith(f"workstation {command}: open for writing in another workstation ")
    assert f"(pid {holder.pid} on " in err


def test_import_is_refused_naming_the_other_workstation(capsys, sample_path, holder, article):
    before = _counts(sample_path)
    code, out, err = run(capsys, "--workspace", sample_path, "import", article)
    assert code == 1 and out == ""
    _refused(err, holder, "import")
    assert str(sample_path) in err
    assert _counts(sample_path) == before


@pytest.mark.parametrize(
    "command",
    [
        ("brief", "--out", "{tmp}/brief.pdf"),
        ("import-annotations", "{tmp}/notes.jsonl"),
        ("merge", "{tmp}/other.sqlite"),
    ],
    ids=lambda c: c[0],
)
def test_other_writing_commands_are_refused(capsys, sample_path, holder, tmp_path, command):
    (tmp_path / "notes.jsonl").write_text("", encoding="utf-8")
    args = [part.format(tmp=tmp_path) for part in command]
    before = _counts(sample_path)
    code, _out, err = run(capsys, "--workspace", sample_path, *args)
    assert code == 1
    _refused(err, holder, command[0])
    assert _counts(sample_path) == before
    assert not (tmp_path / "brief.pdf").exists()


def test_search_still_works(capsys, sample_path, holder):
    code, out, err = run(capsys, "--workspace", sample_path, "search", "sanctions", "--json")
    assert code == 0 and err == ""
    hits = json.loads(out)
    assert hits and any("sanctions" in hit["title"].lower() for hit in hits)


def test_other_reading_commands_still_work(capsys, sample_path, holder, tmp_path):
    before = _counts(sample_path)
    code, out, _ = run(capsys, "--workspace", sample_path, "check")
    assert code == 0 and out.splitlines()[-1].startswith("ok")
    code, out, _ = run(capsys, "--workspace", sample_path, "timeline", "--json")
    assert code == 0 and len(json.loads(out)["events"]) == 11
    csv = tmp_path / "passages.csv"
    code, _out, _ = run(
        capsys, "--workspace", sample_path, "export", "--format", "csv", "--out", csv
    )
    assert code == 0 and csv.read_text(encoding="utf-8").strip()
    assert _counts(sample_path) == before


def test_import_works_once_the_other_workstation_closes(capsys, sample_path, article):
    with held_elsewhere(sample_path) as process:
        code, _out, err = run(capsys, "--workspace", sample_path, "import", article)
        assert code == 1
        _refused(err, process, "import")
    code, out, _err = run(capsys, "--workspace", sample_path, "import", article)
    assert code == 0 and out.startswith("imported")
    assert _counts(sample_path)[0] == 3
