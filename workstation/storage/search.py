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


# Above this many matches in one index, ranking costs more than the budget allows (bm25 is
# computed for every match); the newest matches are listed instead unless asked to rank.
RANK_LIMIT = 20_000


def search(
    ws: Workspace, text: str, *, limit: int = 50, rank_anyway: bool = False
) -> list[SearchHit]:
    """Top ``limit`` hits: entities, documents and passages taken in turn.

    bm25 scores of different indexes are not comparable (short passages always win), so
    each kind is ranked on its own and the lists are interleaved.
    """
    query = fts_query(text)
    if query is None or limit <= 0:
        return []
    per_kind = [
        _entities(ws, query, limit),
        _documents(ws, query, limit, rank_anyway),
        _passages(ws, query, limit, rank_anyway),
    ]
    merged: list[SearchHit] = []
    for round_ in range(limit):
        for hits in per_kind:
            if round_ < len(hits):
                merged.append(hits[round_])
    merged = merged[:limit]
    return [_with_document_offsets(ws, query, hit) for hit in merged]


def _run(ws: Workspace, sql: str, params: list[object]) -> list[tuple]:
    with ws.sqlite_errors():
        return ws.conn.execute(sql, params).fetchall()


def _order(ws: Workspace, table: str, query: str, rank_anyway: bool) -> str:
    if rank_anyway:
        return "rank"
    count = _run(ws, f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", [query])[0][0]
    return "rank" if count <= RANK_LIMIT else "rowid DESC"


def _documents(ws: Workspace, query: str, limit: int, rank_anyway: bool) -> list[SearchHit]:
    order = _order(ws, "documents_fts", query, rank_anyway)
    rows = _run(
        ws,
        f"""
        WITH hits AS (
            SELECT rowid, rank, snippet(documents_fts, -1, ?, ?, '…', 16) AS snip
            FROM documents_fts WHERE documents_fts MATCH ? ORDER BY {order} LIMIT ?)
        SELECT d.id, d.title, hits.snip, d.seq, hits.rank
        FROM hits JOIN documents d ON d.seq = hits.rowid ORDER BY hits.{order}
        """,
        [MARK_START, MARK_END, query, limit],
    )
    # The document's seq rides in `start` until the offsets are filled in for the few hits
    # that make the final list.
    return [
        SearchHit("document", doc_id, doc_id, title, snip, seq, None, rank)
        for doc_id, title, snip, seq, rank in rows
    ]


def _with_document_offsets(ws: Workspace, query: str, hit: SearchHit) -> SearchHit:
    if hit.kind != "document":
        return hit
    row = _run(
        ws,
        "SELECT highlight(documents_fts, 1, ?, ?) FROM documents_fts "
        "WHERE documents_fts MATCH ? AND rowid = ?",
        [MARK_START, MARK_END, query, hit.start],
    )
    start = end = None
    marked = row[0][0] if row else ""
    index = marked.find(MARK_START)
    if index != -1:
        # highlight() returns the body with markers around each hit and nothing else
        # changed, so the first marker's index is the hit's code-point offset.
        start = index
        end = marked.find(MARK_END, index) - 1
    return SearchHit(
        hit.kind, hit.record_id, hit.document_id, hit.title, hit.snippet, start, end, hit.score
    )


def _passages(ws: Workspace, query: str, limit: int, rank_anyway: bool) -> list[SearchHit]:
    order = _order(ws, "annotations_fts", query, rank_anyway)
    rows = _run(
        ws,
        f"""
        WITH hits AS (
            SELECT rowid, rank, snippet(annotations_fts, -1, ?, ?, '…', 16) AS snip
            FROM annotations_fts WHERE annotations_fts MATCH ? ORDER BY {order} LIMIT ?)
        SELECT a.id, a.document_id, d.title, hits.snip, a.start, a."end", hits.rank
        FROM hits JOIN annotations a ON a.seq = hits.rowid
                  JOIN documents d ON d.id = a.document_id
        ORDER BY hits.{order}
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
