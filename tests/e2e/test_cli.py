import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli import run
from workstation.cli import build_parser
from workstation.services import open_session


@pytest.fixture
def ws(tmp_path):
    return tmp_path / "ws.sqlite"


def test_init_sample_then_check_passes(capsys, ws):
    code, out, _ = run(capsys, "--workspace", ws, "init", "--sample")
    assert code == 0 and "sample episode, 2 documents" in out
    code, out, _ = run(capsys, "--workspace", ws, "check")
    assert code == 0 and out.startswith("ok")


def test_init_refuses_to_overwrite(capsys, ws):
    run(capsys, "--workspace", ws, "init")
    code, _, err = run(capsys, "--workspace", ws, "init")
    assert code == 1
    assert err.count("\n") == 1 and "already exists" in err


def test_default_workspace_lives_in_the_data_folder(capsys, isolated_data_dir):
    code, _out, _ = run(capsys, "init")
    assert code == 0
    assert (isolated_data_dir / "workspace.sqlite").is_file()


def test_import_reports_each_file_and_keeps_the_good_ones(capsys, ws, tmp_path):
    run(capsys, "--workspace", ws, "init")
    good = tmp_path / "good.txt"
    good.write_text("Zakharova said Moscow summoned the ambassador.", encoding="utf-8")
    cyr = tmp_path / "cyr.txt"
    cyr.write_bytes("Захарова сообщила о вызове посла в МИД.".encode("cp1251"))
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    empty = tmp_path / "empty.md"
    empty.write_text("")
    odd = tmp_path / "movie.avi"
    odd.write_bytes(b"RIFF....AVI ")
    code, out, err = run(
        capsys, "--workspace", ws, "import", good, cyr, binary, empty, odd, tmp_path / "missing.txt"
    )
    assert code == 1
    assert out.count("imported") == 2
    failed = err.strip().splitlines()
    assert len(failed) == 4
    for name, reason in (
        ("blob.txt", "binary"),
        ("empty.md", "empty"),
        ("movie.avi", "unsupported"),
        ("missing.txt", "no such file"),
    ):
        assert any(name in line and reason in line for line in failed)
    code, out, _ = run(capsys, "--workspace", ws, "search", "захарова")
    assert (code == 0 and "cyr" in out) or "Захарова" in out
    code, out, err = run(capsys, "--workspace", ws, "import", good)
    assert code == 0 and "duplicate" in out


def test_import_a_folder(capsys, ws, tmp_path):
    run(capsys, "--workspace", ws, "init")
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("First article about sanctions.")
    (folder / "sub" / "b.md").write_text("# Second\n\nAbout expulsions.")
    (folder / "ignore.bin").write_bytes(b"\x00\x01")
    code, out, _ = run(capsys, "--workspace", ws, "import", folder)
    assert code == 0 and out.count("imported") == 2


def test_search_json_shape_and_limit(capsys, ws):
    run(capsys, "--workspace", ws, "init", "--sample")
    code, out, _ = run(capsys, "--workspace", ws, "search", "reciprocity", "--json")
    assert code == 0
    hits = json.loads(out)
    assert hits and {"document_id", "title", "snippet", "start", "end", "kind"} <= set(hits[0])
    doc_hit = next(h for h in hits if h["kind"] == "document")
    assert "[" in doc_hit["snippet"] and doc_hit["end"] > doc_hit["start"]
    code, out, _ = run(capsys, "--workspace", ws, "search", "sanctions", "--json", "--limit", "2")
    assert len(json.loads(out)) == 2
    code, _, err = run(capsys, "--workspace", ws, "search", "x", "--limit", "0")
    assert code == 2 and "--limit" in err
    code, out, _ = run(capsys, "--workspace", ws, "search", '"AND (', "--json")
    assert code == 0 and json.loads(out)  # "and" is searched as a word, not an operator
    code, out, _ = run(capsys, "--workspace", ws, "search", '"( * -', "--json")
    assert code == 0 and json.loads(out) == []


def test_check_lists_problems_and_exits_1(capsys, ws):
    run(capsys, "--workspace", ws, "init", "--sample")
    raw = sqlite3.connect(ws)
    raw.execute("UPDATE annotations SET exact = 'tampered' WHERE seq = 3")
    raw.commit()
    raw.close()
    code, _, err = run(capsys, "--workspace", ws, "check")
    assert code == 1 and "offsets" in err and "1 problem" in err


def test_backup_command(capsys, ws, tmp_path):
    run(capsys, "--workspace", ws, "init", "--sample")
    dest = tmp_path / "copy.sqlite"
    code, _out, _ = run(capsys, "--workspace", ws, "backup", dest)
    assert code == 0 and dest.is_file()
    code, _, err = run(capsys, "--workspace", dest, "check")
    assert code == 0
    code, _, err = run(capsys, "--workspace", ws, "backup", dest)
    assert code == 1 and "already exists" in err


def test_every_contract_command_is_available():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name in (
        "init",
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
    ):
        assert name in commands


def test_missing_and_too_new_workspaces_give_one_line(capsys, ws):
    code, _, err = run(capsys, "--workspace", ws, "search", "x")
    assert code == 1 and "no workspace" in err and err.count("\n") == 1
    run(capsys, "--workspace", ws, "init")
    raw = sqlite3.connect(ws)
    raw.execute("PRAGMA user_version = 50")
    raw.close()
    before = ws.read_bytes()
    code, _, err = run(capsys, "--workspace", ws, "check")
    assert code == 1 and "newer version" in err and err.count("\n") == 1
    assert ws.read_bytes() == before


def test_usage_errors_exit_2(capsys):
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and "invalid choice" in err


def test_console_script_and_module_entry_points(tmp_path):
    ws = tmp_path / "ws.sqlite"
    exe = Path(sys.executable).with_name("workstation")
    done = subprocess.run(
        [str(exe), "--workspace", str(ws), "init", "--sample"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workstation",
            "--workspace",
            str(ws),
            "search",
            "Навальный",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert any(hit["title"] == "Alexei Navalny" for hit in json.loads(done.stdout))


def test_search_and_check_still_work_on_a_read_only_workspace(capsys, ws, monkeypatch):
    run(capsys, "--workspace", ws, "init", "--sample")
    monkeypatch.setattr("workstation.storage.workspace.os.access", lambda *a, **k: False)
    code, out, _ = run(capsys, "--workspace", ws, "search", "Gromov")
    assert code == 0 and "Gromov" in out
    code, out, _ = run(capsys, "--workspace", ws, "check")
    assert code == 0
    code, _, err = run(capsys, "--workspace", ws, "import", __file__)
    assert code == 1 and "read-only" in err


def test_brief_command_writes_a_pdf_and_records_it(capsys, ws, tmp_path):
    from pypdf import PdfReader

    run(capsys, "--workspace", ws, "init", "--sample")
    out_pdf = tmp_path / "brief.pdf"
    code, out, err = run(
        capsys,
        "--workspace",
        ws,
        "brief",
        "--out",
        out_pdf,
        "--marking",
        "TLP:RED",
        "--status",
        "final",
        "--author",
        "Russia desk",
        "--issued",
        "2021-04-16T09:30:00Z",
    )
    assert code == 0, err
    assert "160930Z APR 21" in out and "withheld (internal)" in out
    first_page = PdfReader(out_pdf).pages[0].extract_text()
    assert "TLP:RED" in first_page and "FINAL" in first_page and "Russia desk" in first_page
    again = tmp_path / "again.pdf"
    code, out, _ = run(
        capsys,
        "--workspace",
        ws,
        "brief",
        "--out",
        again,
        "--marking",
        "TLP:RED",
        "--status",
        "FINAL",
        "--author",
        "Russia desk",
        "--issued",
        "2021-04-16T09:30:00Z",
    )
    assert code == 0 and again.read_bytes() == out_pdf.read_bytes()
    assert "already recorded" in out


def test_brief_command_errors_are_one_line(capsys, ws, tmp_path):
    run(capsys, "--workspace", ws, "init")
    code, _, err = run(capsys, "--workspace", ws, "brief", "--out", tmp_path / "b.pdf")
    assert code == 1 and "no episode" in err and err.count("\n") == 1
    code, _, err = run(capsys, "--workspace", ws, "brief", "--out", tmp_path / "b.txt")
    assert code == 2 and ".pdf" in err
    code, _, err = run(capsys, "--workspace", ws, "brief", "--out", tmp_path / "no" / "b.pdf")
    assert code == 1 and "no such folder" in err and err.count("\n") == 1  # a failed operation
    code, _, err = run(
        capsys, "--workspace", ws, "brief", "--out", tmp_path / "b.pdf", "--issued", "yesterday"
    )
    assert code == 2 and "--issued" in err
    assert not (tmp_path / "b.pdf").exists()


def test_brief_is_recorded_only_when_the_pdf_was_written(capsys, ws, tmp_path):
    run(capsys, "--workspace", ws, "init", "--sample")
    folder_named_like_a_pdf = tmp_path / "out.pdf"
    folder_named_like_a_pdf.mkdir()
    code, _, err = run(capsys, "--workspace", ws, "brief", "--out", folder_named_like_a_pdf)
    assert code == 1 and "cannot write" in err
    with open_session(ws) as session:
        assert session.episodes.briefs(session.episodes.resolve(None).id) == []


def test_a_failed_sample_load_leaves_no_workspace(capsys, ws, monkeypatch):
    from workstation.services.outcome import ServiceError

    def broken(session):
        raise ServiceError("sample damaged")

    monkeypatch.setattr("workstation.services.sample.load_sample", broken)
    code, _, err = run(capsys, "--workspace", ws, "init", "--sample")
    assert code == 1 and "sample damaged" in err
    assert not ws.exists() and not list(ws.parent.glob("*.partial*"))
    monkeypatch.undo()
    code, _, _ = run(capsys, "--workspace", ws, "init", "--sample")
    assert code == 0


def test_import_that_fails_midway_reports_every_file(capsys, ws, tmp_path, monkeypatch):
    from workstation.services import importing
    from workstation.storage import WorkspaceLocked

    run(capsys, "--workspace", ws, "init")
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(150):
        (folder / f"{i:03d}.txt").write_text(f"Article number {i} on sanctions.")
    real = importing.store_documents
    calls = []

    def second_chunk_locked(session, parsed, **journal):
        calls.append(1)
        if len(calls) == 2:
            raise WorkspaceLocked(ws)
        return real(session, parsed, **journal)

    monkeypatch.setattr(importing, "store_documents", second_chunk_locked)
    code, out, err = run(capsys, "--workspace", ws, "import", folder)
    assert code == 1
    assert out.count("imported") == 100
    assert err.count("not imported: workspace is busy") == 50
    # Once the workspace is free, the journal knows where the import stopped.
    monkeypatch.setattr(importing, "store_documents", real)
    code, out, err = run(capsys, "--workspace", ws, "import", "--resume")
    assert code == 0
    assert "resuming: 50 of 150 files" in out and out.count("imported ") == 50
    code, out, _ = run(capsys, "--workspace", ws, "import", "--resume")
    assert "nothing to resume" in out


def test_backup_into_a_missing_folder_says_so(capsys, ws, tmp_path):
    run(capsys, "--workspace", ws, "init")
    code, _, err = run(capsys, "--workspace", ws, "backup", tmp_path / "nowhere" / "c.sqlite")
    assert code == 1 and "no such folder" in err


def test_check_on_a_busy_workspace_is_not_stopped_by_it(capsys, ws, monkeypatch):
    # check writes nothing (it reads a private copy, issue 12): another program holding the
    # write lock neither stops it nor makes it call the file damaged.
    run(capsys, "--workspace", ws, "init", "--sample")
    monkeypatch.setattr("workstation.storage.workspace.DEFAULT_BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(ws, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = run(capsys, "--workspace", ws, "check")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (code, out, err) == (0, f"ok: {ws}\n", "")
