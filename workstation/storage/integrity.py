"""Workspace integrity: SQLite, foreign keys, FTS consistency, offsets, orphans, hashes.

``inspect_workspace`` gathers what is wrong as structured findings (what a repair works
from); ``check_workspace`` gives the same as one-line problems for people.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.storage import errors
from workstation.storage.schema import migrations
from workstation.storage.schema_folding import m008_entity_aliases, m008_indexed_text
from workstation.storage.schema_verify import Deviation, deviations
from workstation.storage.uris import read_only_uri

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace

EXTERNAL_FTS = ("documents_fts", "annotations_fts")  # content: the live-rows views
FTS_TABLES = (*EXTERNAL_FTS, "entities_fts")  # entities_fts holds its own copy, by triggers
# The SQL of what entities_fts indexes for an entity's name and aliases, exactly as its
# triggers build them (schema m008: without invisible characters).
indexed_entity_name = m008_indexed_text
indexed_entity_aliases = m008_entity_aliases


@dataclass(frozen=True)
class Problem:
    check: str  # "sqlite" | "foreign-key" | "fts" | "offsets" | "orphan" | "hash"
    table: str
    record_id: str
    message: str

    def __str__(self) -> str:
        where = f"{self.table} {self.record_id}" if self.record_id else self.table
        return f"{self.check}: {where}: {self.message}"


@dataclass(frozen=True)
class BrokenLink:
    """A row pointing at a parent that is tombstoned, or missing altogether."""

    table: str
    record_id: str
    column: str
    parent_table: str
    parent_id: str
    parent_missing: bool  # no such row at all (a foreign-key violation), not a tombstone
    live: bool  # the pointing row itself is not tombstoned

    def problem(self) -> Problem:
        if self.column == "cited":
            state = "missing" if self.parent_missing else "deleted"
            message = f"cites {state} passage {self.parent_id}"
            return Problem("orphan", self.table, self.record_id, message)
        if self.parent_missing:
            message = f"{self.column} points at a missing {self.parent_table} row {self.parent_id}"
            if not self.live:
                message += " (this row is tombstoned; a backup may still hold the missing one)"
            return Problem("foreign-key", self.table, self.record_id, message)
        message = f"{self.column} points at deleted {self.parent_table} {self.parent_id}"
        return Problem("orphan", self.table, self.record_id, message)


@dataclass(frozen=True)
class Misplaced:
    """A live annotation whose offsets no longer hold its quote."""

    annotation_id: str
    document_id: str
    start: int
    end: int
    orphan: bool  # already waiting in the Orphans review queue

    def problem(self) -> Problem:
        message = f"quote does not match the body at {self.start}–{self.end}"
        if self.orphan:
            message += " (waiting in the Orphans review queue)"
        return Problem("offsets", "annotations", self.annotation_id, message)


@dataclass(frozen=True)
class StaleHash:
    document_id: str
    stored: str
    actual: str
    # Another live document whose text this body is: the unique index on live hashes then
    # forbids giving this one its true hash until one of the two is deleted.
    same_text_as: str | None

    def problem(self) -> Problem:
        message = "body no longer matches its sha256"
        if self.same_text_as:
            message += (
                f"; its text is that of live document {self.same_text_as}, so it cannot take "
                "its true hash: delete one of the two"
            )
        return Problem("hash", "documents", self.document_id, message)


@dataclass(frozen=True)
class FtsFault:
    table: str
    detail: str

    def problem(self) -> Problem:
        return Problem("fts", self.table, "", self.detail)


def schema_problem(deviation: Deviation, failure: str = "") -> Problem:
    """One line for an object of the schema that is not the migrations' (schema_verify)."""
    message = str(deviation).removeprefix(f"{deviation.type} {deviation.name} ")
    if deviation.kind == "replaced":
        message = str(deviation).removeprefix(f"{deviation.name} ")
    message = message.removeprefix("is ")
    if failure:
        message += f" (it could not be removed: {failure})"
    elif deviation.repairable:
        fix = "removes it" if deviation.kind == "unknown" else "puts it right"
        message += f" ('workstation check --repair' {fix} after a backup)"
    else:
        message += " (not repairable in place: restore a backup)"
    return Problem("schema", deviation.type, deviation.name, message)


@dataclass
class Findings:
    # The schema's objects that are not the migrations' (the workspace refuses writing).
    schema: list[Deviation] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)  # PRAGMA integrity_check's complaints
    fts: list[FtsFault] = field(default_factory=list)
    misplaced: list[Misplaced] = field(default_factory=list)
    links: list[BrokenLink] = field(default_factory=list)
    stale_hashes: list[StaleHash] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # checks that could not run, and why

    def problems(self) -> list[Problem]:
        found = [schema_problem(deviation) for deviation in self.schema]
        found += [Problem("sqlite", "database", "", line) for line in self.damaged]
        found += [link.problem() for link in self.links if link.parent_missing]
        found += [fault.problem() for fault in self.fts]
        found += [m.problem() for m in self.misplaced]
        found += [link.problem() for link in self.links if not link.parent_missing]
        found += [stale.problem() for stale in self.stale_hashes]
        return found

    def __bool__(self) -> bool:
        return bool(
            self.schema
            or self.damaged
            or self.fts
            or self.misplaced
            or self.links
            or self.stale_hashes
        )


# Live rows pointing at tombstoned parents: kept (never dropped), but reported for review.
_ORPHANS = (
    ("annotations", "document_id", "documents"),
    ("mentions", "annotation_id", "annotations"),
    ("mentions", "entity_id", "entities"),
    ("evidence", "annotation_id", "annotations"),
    ("evidence", "event_id", "events"),
    ("events", "episode_id", "episodes"),
    ("events", "responds_to", "events"),
    ("events", "actor_id", "entities"),
    ("events", "target_id", "entities"),
    ("judgments", "episode_id", "episodes"),
)


def check_workspace(ws: Workspace) -> list[Problem]:
    return inspect_workspace(ws).problems()


RECORDS_NOT_CHECKED = (
    "records not checked: the workspace's tables are not as the migrations make them "
    "(see the schema lines)"
)


def inspect_workspace(ws: Workspace) -> Findings:
    findings = Findings(schema=list(ws.untrusted))
    with ws.sqlite_errors():
        findings.damaged = _sqlite_integrity(ws.conn)
        if findings.damaged:
            return findings  # a damaged file makes every later answer unreliable
        if ws.untrusted and (
            any(d.blocks_reading for d in ws.untrusted) or migrations.pending(ws.db)
        ):
            # A table gone or replaced (reading a view in its place could run for ever),
            # or an older schema that could not be migrated: only the schema is reported.
            findings.notes.append(RECORDS_NOT_CHECKED)
            return findings
        findings.links = _foreign_keys(ws.conn)
        findings.fts = _fts(ws, findings.notes)
        findings.misplaced = _misplaced(ws.conn)
        findings.links += _orphans(ws.conn)
        findings.stale_hashes = _hashes(ws.conn)
    return findings


def inspect_file(path: Path | str, *, busy_timeout_ms: int = 3000) -> Findings:
    """Inspect the workspace at ``path`` through a connection of its own, for a worker thread
    while the GUI keeps its connection.

    The connection is read-only: a second connection that writes (even a rolled-back
    write, as FTS5's integrity-check is issued) beside the writer's is what SQLite 3.40's
    WAL-reset bug needs (docs/architecture.md, Pitfalls). So the full-text checks are left out here
    (a note says so); ``fts_faults`` runs them on the writer's own connection.
    """
    from workstation.storage.workspace import Workspace

    path = Path(path)
    if not path.is_file():
        raise errors.WorkspaceMissing(path)
    uri = read_only_uri(path)
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise _translated(exc, path) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        # read_only=True: no transactions through it, and no checkpoint when it is dropped.
        ws = Workspace(path, conn, author="", read_only=True)
        ws.untrusted = tuple(deviations(conn))
        return inspect_workspace(ws)
    except sqlite3.Error as exc:
        raise _translated(exc, path) from exc
    finally:
        conn.close()


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _translated(exc: sqlite3.Error, path: Path) -> Exception:
    translated = errors.translate(exc, path)
    return translated if translated is not exc else errors.WorkspaceCorrupt(path)


def _sqlite_integrity(conn: sqlite3.Connection) -> list[str]:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def _foreign_keys(conn: sqlite3.Connection) -> list[BrokenLink]:
    links = []
    columns: dict[tuple[str, int], str] = {}
    for table, rowid, parent, fk in conn.execute("PRAGMA foreign_key_check").fetchall():
        if (table, fk) not in columns:
            for row in conn.execute(f"PRAGMA foreign_key_list({table})"):
                columns[(table, row[0])] = row[3]  # (id, seq, table, from, ...)
        column = columns[(table, fk)]
        found = conn.execute(
            f'SELECT id, "{column}", deleted_at IS NULL FROM {table} WHERE rowid = ?', [rowid]
        ).fetchone()
        if found is None:
            continue
        record_id, parent_id, live = found
        links.append(BrokenLink(table, record_id, column, parent, parent_id, True, bool(live)))
    return links


FTS_NOT_CHECKED = "full-text indexes not checked: the workspace is open read-only"
FTS_NOT_CHECKED_UNTRUSTED = (
    "full-text indexes not checked: the workspace holds objects that are not part of a "
    "workspace, so nothing is run that could write"
)


def fts_faults(ws: Workspace) -> tuple[list[FtsFault], list[str]]:
    """The full-text checks alone (faults, notes), on ``ws``'s own connection."""
    notes: list[str] = []
    with ws.sqlite_errors():
        return _fts(ws, notes), notes


def _fts(ws: Workspace, notes: list[str]) -> list[FtsFault]:
    faults: list[FtsFault] = []
    for table in FTS_TABLES:
        try:
            # integrity-check is issued as a write; run it in a transaction we roll back.
            # rank = 1 also compares an external-content index with its content (the live
            # rows): rows missing from it, extra, or indexed with old text.
            ws.conn.execute("SAVEPOINT fts_check")
            try:
                ws.conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
            finally:
                ws.conn.execute("ROLLBACK TO fts_check")
                ws.conn.execute("RELEASE fts_check")
        except sqlite3.DatabaseError as exc:
            if "readonly" in str(exc).lower():
                notes.append(FTS_NOT_CHECKED_UNTRUSTED if ws.untrusted else FTS_NOT_CHECKED)
                return faults  # the other checks still run
            code = getattr(exc, "sqlite_errorname", "") or ""
            if not code.startswith("SQLITE_CORRUPT"):
                raise  # busy, locked, I/O: the caller reports the environment problem
            # FTS5 says only "malformed"; what it found is what rank = 1 compares.
            faults.append(FtsFault(table, "index out of step with the live rows"))
            continue
        if table == "entities_fts":
            detail = _entity_index_drift(ws.conn)
            if detail:
                faults.append(FtsFault(table, detail))
    return faults


def _entity_index_drift(conn: sqlite3.Connection) -> str:
    """entities_fts keeps its own copy of the text, so FTS5 cannot compare it with the
    entities: rows missing from it, stale, or left over from deleted entities."""
    name, aliases = indexed_entity_name("e.name"), indexed_entity_aliases("e.aliases")
    stale = conn.execute(
        f"""SELECT count(*) FROM entities e WHERE e.deleted_at IS NULL AND NOT EXISTS (
              SELECT 1 FROM entities_fts f WHERE f.rowid = e.seq AND f.name IS {name}
                AND f.aliases IS {aliases})"""
    ).fetchone()[0]
    extra = conn.execute(
        """SELECT count(*) FROM entities_fts f WHERE NOT EXISTS (
              SELECT 1 FROM entities e WHERE e.seq = f.rowid AND e.deleted_at IS NULL)"""
    ).fetchone()[0]
    parts = []
    if stale:
        parts.append(f"{stale} live entities missing or out of date")
    if extra:
        parts.append(f"{extra} rows of deleted or missing entities")
    return f"index out of step with entities ({', '.join(parts)})" if parts else ""


def _misplaced(conn: sqlite3.Connection) -> list[Misplaced]:
    # Compared in Python, each body read once: SQL's substr() would re-read the body (its
    # overflow pages) for every annotation, ~2.5× slower at 100k passages.
    found = []
    current, body = None, None
    for doc_id, aid, start, end, exact, orphan in conn.execute(
        """SELECT document_id, id, start, "end", exact, orphan FROM annotations
           WHERE deleted_at IS NULL ORDER BY document_id"""
    ):
        if doc_id != current:
            current = doc_id
            row = conn.execute("SELECT body FROM documents WHERE id = ?", [doc_id]).fetchone()
            body = row[0] if row else None
        if body is None:
            continue  # no such document: a foreign-key problem, reported there
        if not (0 <= start < end <= len(body) and body[start:end] == exact):
            found.append(Misplaced(aid, doc_id, start, end, bool(orphan)))
    return found


def _orphans(conn: sqlite3.Connection) -> list[BrokenLink]:
    links = []
    for table, column, parent in _ORPHANS:
        rows = conn.execute(
            f"""SELECT c.id, c.{column} FROM {table} c JOIN {parent} p ON p.id = c.{column}
                WHERE c.deleted_at IS NULL AND p.deleted_at IS NOT NULL"""
        ).fetchall()
        links += [BrokenLink(table, cid, column, parent, pid, False, True) for cid, pid in rows]
    rows = conn.execute(
        """SELECT j.id, c.value, a.id IS NULL FROM judgments j, json_each(j.cited) c
           LEFT JOIN annotations a ON a.id = c.value
           WHERE j.deleted_at IS NULL AND (a.id IS NULL OR a.deleted_at IS NOT NULL)"""
    ).fetchall()
    links += [
        BrokenLink("judgments", jid, "cited", "annotations", str(aid), bool(missing), True)
        for jid, aid, missing in rows
    ]
    return links


def _hashes(conn: sqlite3.Connection) -> list[StaleHash]:
    mismatched = []
    # Streamed, one body at a time: never every body in memory at once.
    for doc_id, body, sha in conn.execute(
        "SELECT id, body, sha256 FROM documents WHERE deleted_at IS NULL"
    ):
        actual = hashlib.sha256(body.encode("utf-8")).hexdigest()
        if actual != sha:
            mismatched.append((doc_id, sha, actual))
    stale = []
    for doc_id, sha, actual in mismatched:
        twin = conn.execute(
            "SELECT id FROM documents WHERE sha256 = ? AND deleted_at IS NULL AND id != ?",
            [actual, doc_id],
        ).fetchone()
        stale.append(StaleHash(doc_id, sha, actual, twin[0] if twin else None))
    return stale
