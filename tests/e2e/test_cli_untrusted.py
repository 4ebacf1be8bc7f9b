"""The ``workstation`` command against hostile workspaces and hostile output paths (issue 12).

Each command runs as a process of its own under a 1 GB address-space limit and a timeout
(bench/hostile/workspace.py's ``command``), as the hostile benchmark runs it. The contract:
one line on stderr naming the reason, exit 1, and the workspace as it was (a hash of every
table; for ``check``, every byte of the file and its sidecars).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.hostile.workspace import (
    ATTACKS,
    REWRITE_TRIGGER,
    article,
    colleague_future_rename,
    command,
    foreign_wal_beside,
    plant_rewriting_trigger,
    sample,
    value,
)
from tests.helpers.untouched import family_bytes, table_digest


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return sample(tmp_path_factory.mktemp("built"))


@pytest.fixture
def ws(built: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ws.sqlite"
    path.write_bytes(built.read_bytes())
    (tmp_path / "ws.sqlite.backups").mkdir()
    return path


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name.split(": ", 1)[1] for a in ATTACKS])
def test_every_hostile_benchmark_row_is_refused_or_handled(attack, tmp_path):
    outcome = attack.run(tmp_path)
    assert outcome.verdict in ("refused", "handled"), outcome.detail
    assert "\n" not in outcome.detail and "Traceback" not in outcome.detail


def _symlink_pdf(ws: Path) -> Path:
    link = ws.with_name("brief.pdf")
    link.symlink_to(ws)
    return link


def _hard_link(ws: Path) -> Path:
    link = ws.with_name("hard.csv")
    os.link(ws, link)
    return link


@pytest.mark.parametrize(
    ("args", "target", "why"),
    [
        (("brief", "--out"), _symlink_pdf, "the workspace itself"),
        (("export", "--format", "csv", "--out"), _hard_link, "the workspace itself"),
        (
            ("export", "--format", "brat", "--out"),
            lambda ws: ws.with_name("ws.sqlite-shm"),
            "the workspace's shared-memory file",
        ),
        (
            ("backup",),
            lambda ws: ws.parent / "sub" / ".." / "ws.sqlite-journal",
            "the workspace's rollback journal",
        ),
        (
            ("backup",),
            lambda ws: ws.with_name("ws.sqlite.backups") / "copy.sqlite",
            "the workspace's backups",
        ),
    ],
    ids=["brief-symlink", "export-hard-link", "brat-over-shm", "backup-dotdot", "backup-backups"],
)
def test_a_path_of_the_workspace_family_is_refused_and_nothing_written(ws, args, target, why):
    (ws.parent / "sub").mkdir()
    out = target(ws)
    existed = out.exists() or out.is_symlink()
    before = (table_digest(ws), family_bytes(ws))
    run = command(ws, *args, out)
    assert run.code == 1 and run.out == []
    assert run.err == [f"workstation {args[0]}: refusing to write over {why}: {out}"]
    assert (table_digest(ws), family_bytes(ws)) == before
    assert existed or not out.exists()
    assert list(ws.with_name("ws.sqlite.backups").iterdir()) == []


def test_init_refuses_to_make_a_workspace_where_one_would_take_it_for_its_log(ws):
    run = command(ws.with_name("ws.sqlite-wal"), "init")
    assert run.code == 1
    assert run.err == [
        f"workstation init: refusing to write over the workspace's write-ahead log: {ws}-wal"
    ]
    assert not ws.with_name("ws.sqlite-wal").exists()


def test_a_planted_trigger_from_refusal_to_repair(ws):
    plant_rewriting_trigger(ws)
    judgments = value(ws, "SELECT id, text FROM judgments ORDER BY id")
    links = value(ws, "SELECT count(*) FROM mentions")
    before = table_digest(ws)

    refused = command(ws, "import", article(ws.parent))
    assert refused.code == 1 and len(refused.err) == 1
    assert refused.err[0].startswith(
        f"workstation import: trigger {REWRITE_TRIGGER} is not part of a workspace; open "
        "read-only, or `workstation check --repair` removes it after a backup: "
    )
    assert table_digest(ws) == before

    copied = command(ws, "backup", ws.with_name("copy.sqlite"))  # a faithful copy, said so
    assert copied.code == 0 and copied.out[0].startswith(f"backed up {ws} to ")
    assert copied.err == [
        f"note: the copy holds what the workspace holds: trigger {REWRITE_TRIGGER} is not part "
        "of a workspace ('workstation check --repair' on the workspace removes them)"
    ]

    untouched = family_bytes(ws)
    checked = command(ws, "check")
    assert family_bytes(ws) == untouched
    assert checked.code == 1
    # Nothing that is issued as a write runs while foreign objects are there.
    assert checked.out == [
        "note: full-text indexes not checked: the workspace holds objects that are not part of "
        "a workspace, so nothing is run that could write"
    ]
    assert checked.err == [
        f"schema: trigger {REWRITE_TRIGGER}: not part of a workspace ('workstation check "
        "--repair' removes it after a backup)",
        f"1 problem in {ws}; 1 with a safe fix: run 'workstation check --repair'",
    ]

    repaired = command(ws, "check", "--repair")
    assert repaired.code == 0, repaired.err
    assert repaired.out[0].startswith("backup: ") and Path(repaired.out[0][8:]).is_file()
    assert repaired.out[1:] == [
        f"repaired: removed trigger {REWRITE_TRIGGER}",
        f"ok: {ws} (1 problem repaired)",
    ]

    imported = command(ws, "import", article(ws.parent))
    assert imported.code == 0, imported.err
    assert value(ws, "SELECT id, text FROM judgments ORDER BY id") == judgments
    assert value(ws, "SELECT count(*) FROM mentions") == links
    assert command(ws, "check").out == [f"ok: {ws}"]


def test_check_writes_not_a_byte_of_a_sound_workspace(ws):
    before = family_bytes(ws)
    run = command(ws, "check")
    assert (run.code, run.out, run.err) == (0, [f"ok: {ws}"], [])
    assert family_bytes(ws) == before
    assert sorted(p.name for p in ws.parent.iterdir()) == ["ws.sqlite", "ws.sqlite.backups"]


def test_a_foreign_log_is_reported_by_check_and_moved_aside_by_repair(ws):
    before = table_digest(ws)
    wal = foreign_wal_beside(ws)
    planted = wal.read_bytes()
    untouched = family_bytes(ws)
    checked = command(ws, "check")
    assert family_bytes(ws) == untouched
    assert checked.code == 1
    assert checked.err[0].startswith(
        "wal: ws.sqlite-wal beside the workspace is not its own write-ahead log (its copy of "
        "page 1 carries another database's application id); left untouched"
    )
    assert checked.err[-1].endswith("1 with a safe fix: run 'workstation check --repair'")

    repaired = command(ws, "check", "--repair")
    assert repaired.code == 0 and repaired.out == [f"ok: {ws}"]
    (moved,) = ws.parent.glob("ws.sqlite-wal.foreign-*")
    assert repaired.err == [
        "note: ws.sqlite-wal beside the workspace is not its own write-ahead log (its copy of "
        f"page 1 carries another database's application id); moved aside untouched to {moved}"
    ]
    assert moved.read_bytes() == planted and not wal.exists()
    assert table_digest(ws) == before


def test_a_merge_claiming_2099_is_listed_for_review_and_not_applied(ws):
    theirs = colleague_future_rename(ws.parent, ws)
    names = value(ws, "SELECT id, name FROM entities ORDER BY seq")
    run = command(ws, "merge", theirs)
    assert run.code == 0, run.err
    biden = [line for line in run.out if "«Joe Biden»" in line]
    assert len(biden) == 1 and biden[0].startswith(
        "conflict: entity «Joe Biden» — future timestamp: their version (name) claims a time "
        "in the future; kept ours ("
    )
    assert biden[0].endswith("over theirs (2099-01-01 00:00:00 by mallory)")
    assert any(
        line.startswith("entities:") and "1 claiming a future time" in line for line in run.out
    )
    assert value(ws, "SELECT id, name FROM entities ORDER BY seq") == names
