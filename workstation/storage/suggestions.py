"""Reads behind mention suggestions: the texts to scan, the spans already linked, the spans
the officer rejected. ``document_ids=None`` means every live document."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace

Span = tuple[str, int, int, str]  # (document_id, start, end, entity_id)


def _scope(column: str, document_ids: Sequence[str] | None) -> tuple[str, list[str]]:
    # json_each takes any number of ids as one parameter (no SQLite variable limit).
    if document_ids is None:
        return "", []
    return f" AND {column} IN (SELECT value FROM json_each(?))", [json.dumps(list(document_ids))]


def document_texts(
    ws: Workspace, document_ids: Sequence[str] | None = None
) -> list[tuple[str, str, str]]:
    """(id, title, body) of live documents, in library order (oldest first)."""
    where, params = _scope("id", document_ids)
    with ws.sqlite_errors():
        return ws.conn.execute(
            f"SELECT id, title, body FROM documents WHERE deleted_at IS NULL{where} ORDER BY seq",
            params,
        ).fetchall()


def linked_spans(ws: Workspace, document_ids: Sequence[str] | None = None) -> list[Span]:
    """Every live passage span with a live mention of an entity, one row per entity."""
    where, params = _scope("a.document_id", document_ids)
    with ws.sqlite_errors():
        return ws.conn.execute(
            'SELECT DISTINCT a.document_id, a.start, a."end", m.entity_id '
            "FROM annotations a JOIN mentions m ON m.annotation_id = a.id "
            f"WHERE a.deleted_at IS NULL AND m.deleted_at IS NULL{where}",
            params,
        ).fetchall()


def rejected_spans(ws: Workspace, document_ids: Sequence[str] | None = None) -> set[Span]:
    where, params = _scope("document_id", document_ids)
    with ws.sqlite_errors():
        rows = ws.conn.execute(
            'SELECT document_id, start, "end", entity_id FROM suggestion_rejections '
            f"WHERE deleted_at IS NULL{where}",
            params,
        ).fetchall()
    return {tuple(row) for row in rows}


def annotation_document(ws: Workspace, annotation_id: str) -> str | None:
    """The document of a passage, live or tombstoned (a mention's change names only it)."""
    with ws.sqlite_errors():
        row = ws.conn.execute(
            "SELECT document_id FROM annotations WHERE id = ?", [annotation_id]
        ).fetchone()
    return row[0] if row else None


def linked_short_spans(ws: Workspace, longest: int) -> list[tuple[str, str, str, str]]:
    """(entity id, exact, prefix, suffix) of every live linked span of at most ``longest``
    code points, across the workspace: where the officer linked a place name ("in Moscow",
    a dateline) to a state, place uses of that name are theirs to see suggested."""
    with ws.sqlite_errors():
        return ws.conn.execute(
            "SELECT m.entity_id, a.exact, a.prefix, a.suffix "
            "FROM annotations a JOIN mentions m ON m.annotation_id = a.id "
            "WHERE a.deleted_at IS NULL AND m.deleted_at IS NULL AND length(a.exact) <= ?",
            [longest],
        ).fetchall()


def last_change(ws: Workspace) -> int:
    """The newest row of the change log (0 for none): a cheap key for caches of reads."""
    with ws.sqlite_errors():
        row = ws.conn.execute("SELECT max(rowid) FROM changes").fetchone()
    return row[0] or 0
