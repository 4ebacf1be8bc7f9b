"""Crash safety (issue 7): writers SIGKILLed at random moments lose nothing they acknowledged.

The bounded form of ``python -m bench.crash_bench``: 20 kills, seeded, on a real workspace
file worked by real writer processes. The verifier is tested too, on workspaces damaged on
purpose, so a harness that checked nothing could not pass.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.crash.batches import body_hashes, write_batch
from bench.crash.harness import CrashConfig, create_first_step_workspace, run_crashes
from bench.crash.process import REPO_ROOT
from bench.crash.verify import verify
from bench.crash.writer import CHUNK_ENV
from bench.crash_bench import main as crash_bench_main
from workstation.services import create_session, open_session
from workstation.services.importing import import_files


def test_twenty_kills_lose_no_acknowledged_save_and_leave_no_half_import(tmp_path):
    report = run_crashes(tmp_path, CrashConfig(kills=20, seed=2021))

    assert report.kills == 20
    assert report.writer_failures == []
    assert report.integrity_failures == 0, report.integrity_details
    assert report.losses == []
    assert report.half_imports == []
    # The last writer resumed every import the kills cut short, and left none open.
    assert report.resumed and report.open_imports == 0
    assert report.acknowledged > 0
    assert report.passages >= report.acknowledged
    assert report.documents == report.batches_completed * CrashConfig().batch_size
    # Every kind of moment was aimed at; the first kill at the migrations of the first open.
    assert report.aimed["migration"] == 1
    assert {"start", "open", "saves", "import"} <= set(report.aimed)
    assert report.landed["importing"] > 0 and report.landed["saving"] > 0


def test_the_plan_of_kills_depends_on_the_seed_alone(tmp_path):
    first = run_crashes(tmp_path / "a", CrashConfig(kills=3, seed=7))
    second = run_crashes(tmp_path / "b", CrashConfig(kills=3, seed=7))
    assert first.aimed == second.aimed
    assert first.resumed_by == second.resumed_by


def test_the_harness_catches_a_writer_that_acknowledges_before_committing(tmp_path):
    config = CrashConfig(
        kills=6,
        seed=11,
        start_share=0.0,
        open_share=0.0,
        saves_share=1.0,
        writer_args=("--ack-before-commit", "7"),
    )

    report = run_crashes(tmp_path, config)

    assert report.losses, "acknowledged saves rolled back by the kill went unnoticed"
    assert not report.ok
    assert report.integrity_failures == 0  # lost, yet the file itself is intact
    assert report.kept and (report.kept[0] / "workspace.sqlite").exists()


def _writer(workspace: Path, folder: Path, *args: str, chunk: int = 3):
    env = {**os.environ, CHUNK_ENV: str(chunk)}
    command = [sys.executable, "-m", "bench.crash.writer", str(workspace), str(folder), "5"]
    return subprocess.run(
        [*command, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_writer_announces_a_batch_by_its_body_hashes_then_reports_it_done(tmp_path):
    workspace = tmp_path / "w.sqlite"
    create_first_step_workspace(workspace)
    hashes = body_hashes(write_batch(tmp_path / "batches", 0, 7, seed=1))

    done = _writer(workspace, tmp_path / "batches", "--finish-imports")

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines == ["START", "OPEN", f"BATCH 0 {' '.join(hashes)}", "BATCH-DONE 0", "STOP"]
    with open_session(workspace, read_only=True) as session:
        assert session.documents.count() == 7
        # the writer seeded the default codebook
        assert len(session.codebook.list_categories()) == 8


def test_writer_acknowledges_each_save_after_it_is_committed(tmp_path):
    workspace = tmp_path / "w.sqlite"
    create_first_step_workspace(workspace)
    write_batch(tmp_path / "batches", 0, 4, seed=2)

    done = _writer(workspace, tmp_path / "batches", "--max-saves", "15", "--batch-every", "5")

    assert done.returncode == 0, done.stderr
    acked = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("ACK ")]
    assert len(acked) == 15
    with open_session(workspace, read_only=True) as session:
        assert all(session.annotations.find(aid) is not None for aid in acked)
    verdict = verify(
        workspace,
        acked=acked,
        batches={0: body_hashes(sorted((tmp_path / "batches" / "batch-00000").glob("*.txt")))},
        completed={0},
        chunk_size=3,
    )
    assert verdict.ok, verdict


# -- the verifier finds what it is there to find ------------------------------------------------


@pytest.fixture
def batch(tmp_path) -> list[Path]:
    return write_batch(tmp_path / "batches", 0, 6, seed=3)


def _import(workspace: Path, paths: list[Path]) -> None:
    with open_session(workspace) as session:
        results, _ = import_files(session, paths)
        assert all(r.status == "imported" for r in results)


def _make(workspace: Path) -> None:
    create_session(workspace, author="tester").close()


def test_verifier_accepts_whole_chunks_in_order(tmp_path, batch):
    workspace = tmp_path / "w.sqlite"
    _make(workspace)
    _import(workspace, batch[:4])  # chunk 0 of size 4

    verdict = verify(
        workspace, acked=[], batches={0: body_hashes(batch)}, completed=set(), chunk_size=4
    )

    assert verdict.ok, verdict
    assert verdict.cut_batches == 1 and verdict.live_documents == 4


def test_verifier_reports_part_of_a_chunk(tmp_path, batch):
    workspace = tmp_path / "w.sqlite"
    _make(workspace)
    _import(workspace, batch[:3])

    verdict = verify(
        workspace, acked=[], batches={0: body_hashes(batch)}, completed=set(), chunk_size=4
    )

    assert verdict.half_chunks == ["batch 0 chunk 0: 3 of 4 documents present"]
    assert not verdict.ok


def test_verifier_reports_a_chunk_after_a_missing_one_and_an_unfinished_done_batch(tmp_path, batch):
    workspace = tmp_path / "w.sqlite"
    _make(workspace)
    _import(workspace, batch[4:])

    verdict = verify(
        workspace, acked=[], batches={0: body_hashes(batch)}, completed={0}, chunk_size=4
    )

    assert verdict.half_chunks == [
        "batch 0 chunk 0: batch reported done but 4 missing",
        "batch 0 chunk 1: present although an earlier chunk is missing",
    ]


def test_verifier_reports_acknowledged_saves_missing_or_deleted(tmp_path, batch):
    workspace = tmp_path / "w.sqlite"
    with create_session(workspace, author="tester") as session:
        import_files(session, batch[:1])
        document = session.documents.list_documents()[0].id
        kept = session.annotations.create(document, 0, 20).record.id
        deleted = session.annotations.create(document, 5, 30).record.id
        session.annotations.delete(deleted)

    verdict = verify(
        workspace, acked=[kept, deleted, "never-saved"], batches={}, completed=(), chunk_size=4
    )

    assert verdict.lost == sorted([deleted, "never-saved"])
    assert verdict.integrity == []


def test_verifier_reports_a_full_text_index_out_of_step(tmp_path, batch):
    workspace = tmp_path / "w.sqlite"
    with create_session(workspace, author="tester") as session:
        import_files(session, batch[:1])
        document = session.documents.list_documents()[0].id
        session.annotations.create(document, 0, 20)
    with sqlite3.connect(workspace) as conn:  # an index row with no passage behind it
        conn.execute("INSERT INTO annotations_fts(rowid, exact, note) VALUES (4242, 'ghost', '')")
    conn.close()

    verdict = verify(workspace, acked=[], batches={}, completed=(), chunk_size=4)

    assert any(p.startswith("fts annotations_fts") for p in verdict.integrity), verdict
    assert not verdict.ok


def test_verifier_reports_a_damaged_file(tmp_path, batch):
    workspace = tmp_path / "w.sqlite"
    with create_session(workspace, author="tester") as session:
        import_files(session, batch)
    size = workspace.stat().st_size
    with workspace.open("r+b") as handle:  # overwrite the middle pages with noise
        handle.seek(size // 2)
        handle.write(b"\xa5" * 8192)

    verdict = verify(workspace, acked=[], batches={}, completed=(), chunk_size=4)

    assert verdict.integrity and not verdict.ok


def test_long_form_prints_its_table(tmp_path, capsys):
    assert crash_bench_main(["--kills", "2", "--out", str(tmp_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "kills (SIGKILL)" in out and "acknowledged saves" in out
    assert re.search(r"^losses \(acknowledged, then missing\)\s+0$", out, re.MULTILINE)
