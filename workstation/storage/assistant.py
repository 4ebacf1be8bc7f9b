"""Reads behind the assistant (issue 16): what it learns from — categorised passages, the
sentences officers left unmarked, names linked to entities, its decisions — and the state of
its models (``assistant_models``, operational: never merged). ``document_ids=None`` means
every live document."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace

# (annotation id, document id, start, end, exact, category name)
CategorisedPassage = tuple[str, str, int, int, str, str]


def _scope(column: str, document_ids: Sequence[str] | None) -> tuple[str, list[str]]:
    # json_each takes any number of ids as one parameter (no SQLite variable limit).
    if document_ids is None:
        return "", []
    return f" AND {column} IN (SELECT value FROM json_each(?))", [json.dumps(list(document_ids))]


def categorised_passages(ws: Workspace) -> list[CategorisedPassage]:
    """Every live, placed passage with a live category (mention-only spans are not passages)."""
    with ws.sqlite_errors():
        return ws.conn.execute(
            'SELECT a.id, a.document_id, a.start, a."end", a.exact, c.name '
            "FROM annotations a JOIN categories c ON c.id = a.category_id "
            "WHERE a.deleted_at IS NULL AND c.deleted_at IS NULL AND a.mention_only = 0 "
            "AND a.orphan = 0 ORDER BY a.rowid"
        ).fetchall()


def passage_spans(
    ws: Workspace, document_ids: Sequence[str] | None = None
) -> list[tuple[str, int, int]]:
    """(document id, start, end) of every live passage (not mention-only), by document."""
    where, params = _scope("document_id", document_ids)
    with ws.sqlite_errors():
        return ws.conn.execute(
            'SELECT document_id, start, "end" FROM annotations WHERE deleted_at IS NULL '
            f"AND mention_only = 0 AND orphan = 0{where} ORDER BY document_id, start",
            params,
        ).fetchall()


def worked_documents(ws: Workspace, limit: int) -> list[tuple[str, str]]:
    """(id, body) of the newest ``limit`` live documents that hold a categorised passage: the
    officer read these, so a sentence left unmarked there is one they chose not to mark."""
    with ws.sqlite_errors():
        return ws.conn.execute(
            "SELECT d.id, d.body FROM documents d WHERE d.deleted_at IS NULL AND EXISTS ("
            "SELECT 1 FROM annotations a WHERE a.document_id = d.id AND a.deleted_at IS NULL "
            "AND a.category_id IS NOT NULL AND a.mention_only = 0) "
            "ORDER BY d.seq DESC LIMIT ?",
            (limit,),
        ).fetchall()


def linked_names(ws: Workspace, limit: int) -> list[tuple[str, int, int, str]]:
    """(document id, start, end, entity kind) of the newest mention-only spans linked to a live
    entity: names the officer confirmed, where they stand."""
    with ws.sqlite_errors():
        return ws.conn.execute(
            'SELECT a.document_id, a.start, a."end", e.kind FROM annotations a '
            "JOIN mentions m ON m.annotation_id = a.id AND m.deleted_at IS NULL "
            "JOIN entities e ON e.id = m.entity_id AND e.deleted_at IS NULL "
            "WHERE a.deleted_at IS NULL AND a.mention_only = 1 ORDER BY a.rowid DESC LIMIT ?",
            (limit,),
        ).fetchall()


def bodies(ws: Workspace, document_ids: Sequence[str]) -> dict[str, str]:
    """The bodies of these live documents, by id."""
    where, params = _scope("id", document_ids)
    with ws.sqlite_errors():
        rows = ws.conn.execute(
            f"SELECT id, body FROM documents WHERE deleted_at IS NULL{where}", params
        ).fetchall()
    return dict(rows)


def decisions(
    ws: Workspace, kind: str, document_ids: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """The live decisions of one kind, oldest first, as column → value."""
    where, params = _scope("document_id", document_ids)
    with ws.sqlite_errors():
        cursor = ws.conn.execute(
            'SELECT id, document_id, start, "end", exact, label, verdict, score, entity_id, '
            "annotation_id, category_id, event_id, created_at FROM assistant_decisions "
            f"WHERE deleted_at IS NULL AND kind = ?{where} ORDER BY rowid",
            [kind, *params],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def fingerprint(ws: Workspace, tables: Sequence[str]) -> tuple[object, ...]:
    """A cheap key that changes whenever a row of these record tables is written (count and
    newest stamp, deleted rows included): models are retrained only when it moves."""
    key: list[object] = []
    with ws.sqlite_errors():
        for table in tables:
            key.extend(ws.conn.execute(f"SELECT count(*), max(updated_at) FROM {table}").fetchone())
    return tuple(key)


def evidence_passages(ws: Workspace) -> set[str]:
    """Passages that are already evidence of a live event."""
    with ws.sqlite_errors():
        rows = ws.conn.execute(
            "SELECT v.annotation_id FROM evidence v JOIN events e ON e.id = v.event_id "
            "WHERE v.deleted_at IS NULL AND e.deleted_at IS NULL"
        ).fetchall()
    return {row[0] for row in rows}


def episode_of_document(ws: Workspace, document_id: str) -> str | None:
    """The live episode whose events cite this document's passages most, if any."""
    with ws.sqlite_errors():
        row = ws.conn.execute(
            "SELECT e.episode_id FROM evidence v JOIN events e ON e.id = v.event_id "
            "JOIN annotations a ON a.id = v.annotation_id JOIN episodes p ON p.id = e.episode_id "
            "WHERE a.document_id = ? AND v.deleted_at IS NULL AND e.deleted_at IS NULL "
            "AND p.deleted_at IS NULL GROUP BY e.episode_id ORDER BY count(*) DESC LIMIT 1",
            (document_id,),
        ).fetchone()
    return row[0] if row else None


def model_states(ws: Workspace) -> dict[str, tuple[str, int, dict[str, Any]]]:
    """name → (trained at, examples, quality) of each model's last recorded training."""
    with ws.sqlite_errors():
        rows = ws.conn.execute(
            "SELECT name, trained_at, examples, quality FROM assistant_models"
        ).fetchall()
    return {name: (at, n, json.loads(quality)) for name, at, n, quality in rows}


def record_training(
    ws: Workspace, name: str, trained_at: str, examples: int, quality: dict[str, Any]
) -> None:
    """Note a training of ``name`` (operational state: outside the change log, never merged,
    never undone — a rebuild is not an edit). Empty ChangeSet: nothing to undo."""
    with ws.transaction(), ws.sqlite_errors():
        ws.conn.execute(
            "INSERT INTO assistant_models(name, trained_at, examples, quality) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET trained_at = excluded.trained_at, "
            "examples = excluded.examples, quality = excluded.quality",
            (name, trained_at, examples, json.dumps(quality)),
        )
