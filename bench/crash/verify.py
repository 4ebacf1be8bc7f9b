"""What must hold after every kill: an intact file, every acknowledged save, whole import chunks.

The file is examined twice, both times from outside the killed writer: first with a plain
``sqlite3`` connection (the way any SQLite tool would find it: ``PRAGMA integrity_check``,
FTS5 ``integrity-check`` of each index against its content, which rows are there), then with
a read-only session running ``workstation check`` (foreign keys, offsets, orphans, hashes).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from bench.crash.batches import chunks
from workstation.services import open_session
from workstation.services.importing import unfinished_imports
from workstation.services.maintenance import check
from workstation.storage import WorkspaceError
from workstation.storage.integrity import FTS_TABLES
from workstation.storage.schema import migrations


@dataclass
class Verdict:
    integrity: list[str] = field(default_factory=list)  # damage: SQLite, FTS, workstation check
    lost: list[str] = field(default_factory=list)  # acknowledged passages not there (or deleted)
    half_chunks: list[str] = field(default_factory=list)  # imports not in whole chunks
    check_deferred: bool = False  # migrations were pending: the next writer's open runs them
    cut_batches: int = 0  # batches with some whole chunks in and the rest not yet (legitimate)
    live_passages: int = 0
    live_documents: int = 0

    @property
    def ok(self) -> bool:
        return not (self.integrity or self.lost or self.half_chunks)


def verify(
    path: Path,
    *,
    acked: Collection[str],
    batches: Mapping[int, list[str]],
    completed: Collection[int],
    chunk_size: int,
) -> Verdict:
    """Check the workspace at ``path`` against what the writers acknowledged.

    ``batches`` maps each batch number to the hashes of its files in import order (every
    batch written so far, announced or not); ``completed`` holds the batches a writer
    reported done.
    """
    verdict = Verdict()
    passages, documents, pending = _inspect_raw(path, verdict)
    if verdict.integrity:
        return verdict  # a damaged file makes every later answer unreliable
    verdict.live_passages, verdict.live_documents = len(passages), len(documents)
    verdict.lost = sorted(set(acked) - passages)
    for number in sorted(batches):
        verdict.half_chunks += _chunk_problems(
            number, batches[number], documents, chunk_size, done=number in completed
        )
        there = sum(sha in documents for sha in batches[number])
        verdict.cut_batches += 0 < there < len(batches[number])
    if pending:
        verdict.check_deferred = True
    else:
        verdict.integrity += _workstation_check(path)
    return verdict


def _inspect_raw(path: Path, verdict: Verdict) -> tuple[set[str], set[str], bool]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            verdict.integrity += [f"integrity_check: {row}" for row in rows]
            return set(), set(), False
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in FTS_TABLES:
            if table not in tables:
                continue  # not created yet: the migration that makes it is still pending
            problem = _fts_problem(conn, table)
            if problem:
                verdict.integrity.append(problem)
        pending = bool(migrations.pending(Database(conn)))
        passages: set[str] = set()
        documents: set[str] = set()
        if "annotations" in tables:
            passages = {
                r[0] for r in conn.execute("SELECT id FROM annotations WHERE deleted_at IS NULL")
            }
        if "documents" in tables:
            documents = {
                r[0] for r in conn.execute("SELECT sha256 FROM documents WHERE deleted_at IS NULL")
            }
        return passages, documents, pending
    except sqlite3.DatabaseError as exc:
        verdict.integrity.append(f"sqlite: {exc}")
        return set(), set(), False
    finally:
        conn.close()


def _fts_problem(conn: sqlite3.Connection, table: str) -> str | None:
    # 'integrity-check' is issued as an INSERT: run it in a savepoint that is rolled back so
    # the verifier never writes. rank=1 also compares an external-content index with its rows.
    conn.execute("SAVEPOINT crash_verify")
    try:
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        return None
    except sqlite3.DatabaseError as exc:
        return f"fts {table}: {exc}"
    finally:
        conn.execute("ROLLBACK TO crash_verify")
        conn.execute("RELEASE crash_verify")


def _chunk_problems(
    number: int, hashes: list[str], present: set[str], chunk_size: int, *, done: bool
) -> list[str]:
    """Each chunk all there or all missing, the ones there a prefix, all there if done."""
    problems = []
    seen_missing_chunk = False
    for index, chunk in enumerate(chunks(hashes, chunk_size)):
        there = sum(sha in present for sha in chunk)
        where = f"batch {number} chunk {index}"
        if 0 < there < len(chunk):
            problems.append(f"{where}: {there} of {len(chunk)} documents present")
        elif there and seen_missing_chunk:
            problems.append(f"{where}: present although an earlier chunk is missing")
        elif not there:
            seen_missing_chunk = True
        if done and there < len(chunk):
            problems.append(f"{where}: batch reported done but {len(chunk) - there} missing")
    return problems


def _workstation_check(path: Path) -> list[str]:
    try:
        with open_session(path, read_only=True) as session:
            return [f"workstation check: {problem}" for problem in check(session)]
    except WorkspaceError as exc:
        return [f"workstation check could not open the workspace: {exc}"]


def open_imports(path: Path) -> int:
    """How many journalled imports are still unfinished (what 'import --resume' would offer)."""
    with open_session(path, read_only=True) as session:
        return len(unfinished_imports(session))
