"""Named read queries that the generic record store cannot express."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace


@dataclass(frozen=True)
class DocumentRow:
    """A library line: enough to list a document without loading its body."""

    id: str
    title: str
    outlet: str | None
    published: str | None
    reliability: str | None
    credibility: str | None
    length: int
    passages: int


_DOCUMENT_SORTS = {
    "title": "d.title COLLATE NOCASE, d.seq",
    "published": "d.published, d.seq",
    "newest": "d.seq DESC",
    "oldest": "d.seq",
}


def list_documents(
    ws: Workspace, *, sort: str = "oldest", limit: int | None, offset: int = 0
) -> list[DocumentRow]:
    """Live documents in ``sort`` order: ``limit`` of them from ``offset``, or all (None)."""
    order = _DOCUMENT_SORTS[sort]
    sql = f"""
        SELECT d.id, d.title, d.outlet, d.published, d.reliability, d.credibility,
               length(d.body),
               (SELECT count(*) FROM annotations a
                 WHERE a.document_id = d.id AND a.deleted_at IS NULL AND a.mention_only = 0)
        FROM documents d WHERE d.deleted_at IS NULL
        ORDER BY {order} LIMIT ? OFFSET ?"""
    with ws.sqlite_errors():  # SQLite reads LIMIT -1 as no limit
        rows = ws.conn.execute(sql, [-1 if limit is None else limit, offset]).fetchall()
    return [DocumentRow(*row) for row in rows]


def document_id_by_sha(ws: Workspace, sha256: str) -> str | None:
    with ws.sqlite_errors():
        row = ws.conn.execute(
            "SELECT id FROM documents WHERE sha256 = ? AND deleted_at IS NULL", [sha256]
        ).fetchone()
    return row[0] if row else None


def live_children(ws: Workspace, table: str, column: str, parent_id: str) -> list[str]:
    """Ids of live rows in ``table`` whose ``column`` points at ``parent_id``."""
    allowed = {
        ("annotations", "document_id"),
        ("mentions", "annotation_id"),
        ("mentions", "entity_id"),
        ("evidence", "annotation_id"),
        ("evidence", "event_id"),
        ("events", "episode_id"),
        ("judgments", "episode_id"),
    }
    if (table, column) not in allowed:
        raise ValueError(f"no such relation {table}.{column}")
    with ws.sqlite_errors():
        rows = ws.conn.execute(
            f"SELECT id FROM {table} WHERE {column} = ? AND deleted_at IS NULL", [parent_id]
        ).fetchall()
    return [row[0] for row in rows]


def change_count(ws: Workspace) -> int:
    with ws.sqlite_errors():
        count: int = ws.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    return count


def mention_only_ids(ws: Workspace, document_id: str) -> set[str]:
    """The ids of a document's live mention-only spans (m012): links, not passages."""
    with ws.sqlite_errors():
        rows = ws.conn.execute(
            "SELECT id FROM annotations "
            "WHERE document_id = ? AND deleted_at IS NULL AND mention_only = 1",
            [document_id],
        ).fetchall()
    return {row[0] for row in rows}


def annotation_spans(ws: Workspace, document_id: str) -> list[tuple[str, int, int, str | None]]:
    """(id, start, end, category_id) of a document's live passages: only what a reader needs
    to highlight, without building 20,000 full records for a long article."""
    with ws.sqlite_errors():
        return ws.conn.execute(
            'SELECT id, start, "end", category_id FROM annotations '
            "WHERE document_id = ? AND deleted_at IS NULL",
            [document_id],
        ).fetchall()
