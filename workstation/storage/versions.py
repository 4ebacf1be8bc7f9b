"""Queries about versions of one article and about what awaits review after re-anchoring."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace

# A live document no live document supersedes: the newest version of its article.
_LATEST = """
    d.deleted_at IS NULL AND NOT EXISTS (
        SELECT 1 FROM documents n
        WHERE n.supersedes = d.id AND n.deleted_at IS NULL)
"""


def previous_version_id(
    ws: Workspace, *, url: str | None, title: str, outlet: str | None
) -> str | None:
    """The newest live version of the article a new text would replace.

    Same address, or (without an address on either side) the same title from the same outlet.
    """
    with ws.sqlite_errors():
        if url:
            row = ws.conn.execute(
                f"SELECT d.id FROM documents d WHERE d.url = ? AND {_LATEST} "
                "ORDER BY d.seq DESC LIMIT 1",
                [url],
            ).fetchone()
            if row:
                found: str = row[0]
                return found
        if not outlet:
            return None
        row = ws.conn.execute(
            f"SELECT d.id FROM documents d WHERE d.title = ? AND d.outlet = ? "
            f"AND d.url IS NULL AND {_LATEST} ORDER BY d.seq DESC LIMIT 1",
            [title, outlet],
        ).fetchone()
    return row[0] if row else None


def latest_version_id(ws: Workspace, document_id: str) -> str:
    """Follow ``supersedes`` forward from ``document_id`` to the newest live version."""
    current = document_id
    seen = {current}
    with ws.sqlite_errors():
        while True:
            row = ws.conn.execute(
                "SELECT id FROM documents WHERE supersedes = ? AND deleted_at IS NULL "
                "ORDER BY seq DESC LIMIT 1",
                [current],
            ).fetchone()
            if row is None or row[0] in seen:  # a cycle would be a bug; stop rather than spin
                return current
            current = row[0]
            seen.add(current)


def document_ids_by_url(ws: Workspace, url: str) -> list[str]:
    with ws.sqlite_errors():
        rows = ws.conn.execute(
            f"SELECT d.id FROM documents d WHERE d.url = ? AND {_LATEST} ORDER BY d.seq DESC",
            [url],
        ).fetchall()
    return [r[0] for r in rows]


def document_id_by_sha_any(ws: Workspace, sha256: str) -> str | None:
    """A live document with this text, whether or not a newer version exists."""
    with ws.sqlite_errors():
        row = ws.conn.execute(
            "SELECT id FROM documents WHERE sha256 = ? AND deleted_at IS NULL", [sha256]
        ).fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class OrphanRow:
    """A passage or imported annotation waiting for the officer to place or keep it."""

    kind: str  # "passage" (left on an earlier version) | "import" (fit no document here)
    id: str
    exact: str
    document_id: str | None
    document_title: str | None
    reason: str
    created_at: str


def open_orphans(ws: Workspace) -> list[OrphanRow]:
    with ws.sqlite_errors():
        rows = ws.conn.execute(
            """
            SELECT 'passage', a.id, a.exact, a.document_id, d.title,
                   'not found in the newer version', a.updated_at
            FROM annotations a JOIN documents d ON d.id = a.document_id
            WHERE a.orphan = 1 AND a.deleted_at IS NULL
            UNION ALL
            SELECT 'import', o.id, o.exact, o.document_id, d.title, o.reason, o.created_at
            FROM orphans o LEFT JOIN documents d ON d.id = o.document_id
            WHERE o.resolved_at IS NULL AND o.deleted_at IS NULL
            ORDER BY 7, 2
            """
        ).fetchall()
    return [OrphanRow(*row) for row in rows]
