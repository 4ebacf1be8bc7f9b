"""Full-text search over documents, passages and entities (FTS5, diacritic-insensitive)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace

# Hit markers inside snippets; presenters turn them into brackets, bold or <mark>.
MARK_START = "\x02"
MARK_END = "\x03"

_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(\w+\*?)', re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "document" | "passage" | "entity"
    record_id: str
    document_id: str | None
    title: str
    snippet: str
    start: int | None
    end: int | None
    score: float


def fts_query(text: str) -> str | None:
    """Turn what a user typed into a safe FTS5 query, or ``None`` if nothing is searchable.

    Words are quoted (so ``AND``, ``-``, ``:`` or a stray quote never reach FTS5 syntax),
    ``"quoted phrases"`` stay phrases, and a trailing ``*`` keeps prefix search.
    """
    terms: list[str] = []
    for phrase, word in _PHRASE_OR_WORD.findall(text):
        if phrase:
            words = re.findall(r"\w+", phrase, re.UNICODE)
            if words:
                terms.append('"' + " ".join(words) + '"')
        elif word:
            prefix = word.endswith("*")
            core = word.rstrip("*")
            if core:
                terms.append(f'"{core}"' + ("*" if prefix else ""))
    return " ".join(terms) if terms else None


def search(ws: Workspace, text: str, *, limit: int = 50) -> list[SearchHit]:
    query = fts_query(text)
    if query is None or limit <= 0:
        return []
    hits = [
        *_documents(ws, query, limit),
        *_passages(ws, query, limit),
        *_entities(ws, query, limit),
    ]
    hits.sort(key=lambda hit: hit.score)
    return hits[:limit]


def _run(ws: Workspace, sql: str, params: list[object]) -> list[tuple]:
    with ws.sqlite_errors():
        return ws.conn.execute(sql, params).fetchall()


def _documents(ws: Workspace, query: str, limit: int) -> list[SearchHit]:
    rows = _run(
        ws,
        """
        WITH hits AS (
            SELECT rowid, rank,
                   snippet(documents_fts, -1, ?, ?, '…', 16) AS snip,
                   highlight(documents_fts, 1, ?, ?) AS marked
            FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?)
        SELECT d.id, d.title, hits.snip, hits.marked, hits.rank
        FROM hits JOIN documents d ON d.seq = hits.rowid ORDER BY hits.rank
        """,
        [MARK_START, MARK_END, MARK_START, MARK_END, query, limit],
    )
    found = []
    for doc_id, title, snip, marked, rank in rows:
        start = end = None
        index = marked.find(MARK_START)
        if index != -1:
            # highlight() returns the body with markers around each hit and nothing else
            # changed, so the first marker's index is the hit's code-point offset.
            start = index
            end = marked.find(MARK_END, index) - 1
        found.append(SearchHit("document", doc_id, doc_id, title, snip, start, end, rank))
    return found


def _passages(ws: Workspace, query: str, limit: int) -> list[SearchHit]:
    rows = _run(
        ws,
        """
        WITH hits AS (
            SELECT rowid, rank, snippet(annotations_fts, -1, ?, ?, '…', 16) AS snip
            FROM annotations_fts WHERE annotations_fts MATCH ? ORDER BY rank LIMIT ?)
        SELECT a.id, a.document_id, d.title, hits.snip, a.start, a."end", hits.rank
        FROM hits JOIN annotations a ON a.seq = hits.rowid
                  JOIN documents d ON d.id = a.document_id
        ORDER BY hits.rank
        """,
        [MARK_START, MARK_END, query, limit],
    )
    return [SearchHit("passage", *row) for row in rows]


def _entities(ws: Workspace, query: str, limit: int) -> list[SearchHit]:
    rows = _run(
        ws,
        """
        WITH hits AS (
            SELECT rowid, rank, snippet(entities_fts, -1, ?, ?, '…', 16) AS snip
            FROM entities_fts WHERE entities_fts MATCH ? ORDER BY rank LIMIT ?)
        SELECT e.id, e.name, hits.snip, hits.rank
        FROM hits JOIN entities e ON e.seq = hits.rowid ORDER BY hits.rank
        """,
        [MARK_START, MARK_END, query, limit],
    )
    return [
        SearchHit("entity", eid, None, name, snip, None, None, rank)
        for eid, name, snip, rank in rows
    ]
