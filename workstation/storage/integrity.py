"""Workspace integrity: SQLite, foreign keys, FTS consistency, offsets, orphans, hashes."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace

FTS_TABLES = ("documents_fts", "annotations_fts", "entities_fts")


@dataclass(frozen=True)
class Problem:
    check: str  # "sqlite" | "foreign-key" | "fts" | "offsets" | "orphan" | "hash"
    table: str
    record_id: str
    message: str

    def __str__(self) -> str:
        where = f"{self.table} {self.record_id}" if self.record_id else self.table
        return f"{self.check}: {where}: {self.message}"


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
    problems: list[Problem] = []
    with ws.sqlite_errors():
        problems += _sqlite_integrity(ws.conn)
        if problems:
            return problems  # a damaged file makes every later answer unreliable
        problems += _foreign_keys(ws.conn)
        problems += _fts(ws)
        problems += _offsets(ws.conn)
        problems += _orphans(ws.conn)
        problems += _hashes(ws.conn)
    return problems


def _sqlite_integrity(conn: sqlite3.Connection) -> list[Problem]:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if rows == ["ok"]:
        return []
    return [Problem("sqlite", "database", "", row) for row in rows]


def _foreign_keys(conn: sqlite3.Connection) -> list[Problem]:
    problems = []
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        problems.append(
            Problem("foreign-key", table, str(rowid), f"points at a missing {parent} row")
        )
    return problems


def _fts(ws: Workspace) -> list[Problem]:
    problems = []
    for table in FTS_TABLES:
        try:
            # integrity-check is issued as a write; run it in a transaction we roll back.
            ws.conn.execute("SAVEPOINT fts_check")
            try:
                ws.conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
            finally:
                ws.conn.execute("ROLLBACK TO fts_check")
                ws.conn.execute("RELEASE fts_check")
        except sqlite3.DatabaseError as exc:
            if "readonly" in str(exc).lower():
                continue  # a read-only open cannot run it; the other checks still do
            code = getattr(exc, "sqlite_errorname", "") or ""
            if not code.startswith("SQLITE_CORRUPT"):
                raise  # busy, locked, I/O: the caller reports the environment problem
            problems.append(Problem("fts", table, "", f"index out of step with content ({exc})"))
    return problems


def _offsets(conn: sqlite3.Connection) -> list[Problem]:
    # SQLite's substr() counts characters (code points) in TEXT, the same rule as our offsets.
    rows = conn.execute(
        """
        SELECT a.id, a.start, a."end"
        FROM annotations a JOIN documents d ON d.id = a.document_id
        WHERE a.deleted_at IS NULL
          AND (a."end" > length(d.body)
               OR substr(d.body, a.start + 1, a."end" - a.start) IS NOT a.exact)
        """
    ).fetchall()
    return [
        Problem("offsets", "annotations", aid, f"quote does not match the body at {s}–{e}")
        for aid, s, e in rows
    ]


def _orphans(conn: sqlite3.Connection) -> list[Problem]:
    problems = []
    for table, column, parent in _ORPHANS:
        rows = conn.execute(
            f"""SELECT c.id, c.{column} FROM {table} c JOIN {parent} p ON p.id = c.{column}
                WHERE c.deleted_at IS NULL AND p.deleted_at IS NOT NULL"""
        ).fetchall()
        problems += [
            Problem("orphan", table, cid, f"{column} points at deleted {parent} {pid}")
            for cid, pid in rows
        ]
    rows = conn.execute(
        """SELECT j.id, c.value FROM judgments j, json_each(j.cited) c
           LEFT JOIN annotations a ON a.id = c.value
           WHERE j.deleted_at IS NULL AND (a.id IS NULL OR a.deleted_at IS NOT NULL)"""
    ).fetchall()
    problems += [
        Problem("orphan", "judgments", jid, f"cites missing or deleted passage {aid}")
        for jid, aid in rows
    ]
    return problems


def _hashes(conn: sqlite3.Connection) -> list[Problem]:
    problems = []
    for doc_id, body, sha in conn.execute(
        "SELECT id, body, sha256 FROM documents WHERE deleted_at IS NULL"
    ):
        if hashlib.sha256(body.encode("utf-8")).hexdigest() != sha:
            problems.append(
                Problem("hash", "documents", doc_id, "body no longer matches its sha256")
            )
    return problems
