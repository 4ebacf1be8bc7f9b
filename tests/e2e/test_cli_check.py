"""`workstation check [--repair]`: problems one per line on stderr, then "repaired: …" lines
and "backup: PATH" on stdout; exit 0 when nothing is left wrong, 1 otherwise."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers.cli import run
from tests.unit.test_repair import corrupt_index_page, drop_index_rows_of_first_document
from workstation.services import open_session
from workstation.services.backups import list_backups, take_backup

DELETED = "2021-04-20T00:00:00Z"


@pytest.fixture
def ws(capsys, tmp_path) -> Path:
    path = tmp_path / "ws.sqlite"
    code, _, _ = run(capsys, "--workspace", path, "init", "--sample")
    assert code == 0
    return path


def raw(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def value(path: Path, sql: str):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_a_sound_workspace_checks_and_repairs_to_ok_without_a_backup(capsys, ws):
    code, out, err = run(capsys, "--workspace", ws, "check", "--repair")
    assert (code, err) == (0, "")
    assert out == f"ok: {ws}\n"
    assert list_backups(ws) == []


def test_check_says_what_repair_can_fix_then_repair_fixes_it_after_a_backup(capsys, ws):
    drop_index_rows_of_first_document(ws)
    passage = value(ws, "SELECT id FROM annotations WHERE seq = 5")
    raw(ws, 'UPDATE annotations SET start = start + 2, "end" = "end" + 2 WHERE seq = 5')

    code, out, err = run(capsys, "--workspace", ws, "check")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "fts: documents_fts: index out of step with the live rows"
    assert lines[1].startswith(f"offsets: annotations {passage}: quote does not match")
    assert lines[2] == (
        f"2 problems in {ws}; 2 with a safe fix: run 'workstation check --repair'"
    )

    code, out, err = run(capsys, "--workspace", ws, "check", "--repair")
    assert code == 0
    assert err.splitlines() == lines[:2]  # what was found
    out_lines = out.splitlines()
    backup = Path(out_lines[0].removeprefix("backup: "))
    assert out_lines[0].startswith("backup: ") and backup.is_file()
    assert backup.parent.name == "ws.sqlite.backups" and "repair" in backup.name
    assert out_lines[1] == "repaired: rebuilt index documents_fts"
    assert out_lines[2].startswith(f"repaired: annotations {passage}: re-anchored")
    assert "start " in out_lines[2] and " → " in out_lines[2]
    assert out_lines[3] == f"ok: {ws} (2 problems repaired)"

    code, out, _ = run(capsys, "--workspace", ws, "check")
    assert (code, out) == (0, f"ok: {ws}\n")
    code, _, err = run(capsys, "--workspace", backup, "check")  # the state before the repair
    assert code == 1 and "fts: documents_fts" in err


def test_what_has_no_safe_fix_is_left_and_exits_1_without_a_backup(capsys, ws):
    event, actor = (
        value(ws, "SELECT id FROM events WHERE actor_id IS NOT NULL LIMIT 1"),
        value(ws, "SELECT actor_id FROM events WHERE actor_id IS NOT NULL LIMIT 1"),
    )
    # The entity is deleted as the services would (its mentions with it, its index row
    # gone), but its events keep pointing at it: deleting an entity leaves events alone.
    raw(
        ws,
        f"UPDATE entities SET deleted_at = '{DELETED}' WHERE id = '{actor}'",
        f"UPDATE mentions SET deleted_at = '{DELETED}' WHERE entity_id = '{actor}'",
    )
    code, _, err = run(capsys, "--workspace", ws, "check")
    assert code == 1 and "none with a safe automatic fix" in err
    code, out, err = run(capsys, "--workspace", ws, "check", "--repair")
    assert code == 1
    assert "backup:" not in out and "repaired:" not in out
    left = [line for line in err.splitlines() if line.startswith("left: ")]
    assert f"left: orphan: events {event}: actor_id points at deleted entities {actor}" in left
    problems = "1 problem" if len(left) == 1 else f"{len(left)} problems"
    assert err.splitlines()[-1].startswith(f"{problems} left in {ws}: ")
    assert list_backups(ws) == []


def test_repaired_rows_are_listed_with_before_and_after(capsys, ws):
    doc, sha = (
        value(ws, "SELECT id FROM documents WHERE seq = 2"),
        value(ws, "SELECT sha256 FROM documents WHERE seq = 2"),
    )
    raw(ws, "UPDATE documents SET sha256 = 'c0ffee' WHERE seq = 2")
    code, out, _ = run(capsys, "--workspace", ws, "check", "--repair")
    assert code == 0
    assert (
        f"repaired: documents {doc}: hash set to that of its body: sha256 “c0ffee” → {sha}"
        in out.splitlines()
    )
    changed = value(ws, "SELECT count(*) FROM changes WHERE record_id = '" + doc + "'")
    assert changed >= 2  # its creation, and the repair in the change log


def test_a_damaged_file_is_not_repaired_and_the_backup_to_restore_is_named(capsys, ws):
    kept = take_backup(ws, "auto")
    corrupt_index_page(ws)
    code, out, err = run(capsys, "--workspace", ws, "check")
    assert code == 1 and out == ""
    assert err.splitlines()[0].startswith("sqlite: database: ")
    assert any("restore a backup" in line and kept.name in line for line in err.splitlines())
    damaged = ws.read_bytes()
    code, out, err = run(capsys, "--workspace", ws, "check", "--repair")
    assert code == 1 and "repaired:" not in out and "backup:" not in out
    advice = [line for line in err.splitlines() if "restore a backup" in line]
    assert len(advice) == 1 and kept.name in advice[0]
    assert [b.reason for b in list_backups(ws)] == ["auto"]
    # Nothing was written into the damaged file (opening may only fold the WAL back).
    assert ws.read_bytes()[100:] == damaged[100:]


def test_a_file_too_damaged_to_open_gives_one_line_naming_the_backups(capsys, ws):
    kept = take_backup(ws, "auto")
    raw(ws, "PRAGMA journal_mode = DELETE")
    data = bytearray(ws.read_bytes())
    data[100:4096] = bytes(len(data[100:4096]))  # page 1: the schema itself
    ws.write_bytes(bytes(data))
    for args in (("check",), ("check", "--repair")):
        code, out, err = run(capsys, "--workspace", ws, *args)
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and "restore a backup" in err and kept.name in err


def test_repair_needs_a_writable_workspace(capsys, ws, monkeypatch):
    drop_index_rows_of_first_document(ws)
    monkeypatch.setattr("workstation.storage.workspace.os.access", lambda *a, **k: False)
    code, _, err = run(capsys, "--workspace", ws, "check", "--repair")
    assert code == 1 and "read-only" in err and err.count("\n") == 1
    assert list_backups(ws) == []


def test_repair_is_refused_while_another_writer_holds_the_workspace(capsys, ws):
    drop_index_rows_of_first_document(ws)
    with open_session(ws):
        code, _, err = run(capsys, "--workspace", ws, "check", "--repair")
        assert code == 1 and err.count("\n") == 1
        assert "open for writing in another workstation" in err
        # A plain check still reads it; the index checks (rolled-back writes) are skipped
        # with a note, so the check is never a second writer.
        code, out, err = run(capsys, "--workspace", ws, "check")
        assert code == 0 and "note: full-text indexes not checked" in out
    assert list_backups(ws) == []
