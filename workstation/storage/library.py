"""The library list's SQL: counting, paging and locating live documents under a sort and a
filter, so the GUI can show 100,000 documents a page at a time.

Every query reads only what one page needs. Sorting and filtering happen here, in SQL: a
proxy model sorting 100k rows in Python took 25 s (docs/architecture.md,
Pitfalls). Passage counts are computed
by a correlated subquery, so SQLite evaluates it for the rows of the page only — except when
the user sorts by that column, where every live document must be counted.

The columns a document's row needs for sorting and filtering (outlet, published, grade,
``deleted_at``) sit after the body in the table, so a scan that touches them reads every
body's overflow pages. The partial indexes in ``LIBRARY_INDEXES`` keep those columns beside
the title; see the benchmark (bench/library_bench.py) for what they change at 100k documents.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workstation.storage.schema import M004_LIBRARY_INDEXES
from workstation.storage.schema_mentions import M012_PASSAGE_INDEX

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace

SORT_KEYS = ("added", "title", "outlet", "published", "grade", "passages")

# The indexes the library queries are shaped for (created by migrations m004 and m012; the
# benchmark and the plan tests also use them on workspaces built without it).
LIBRARY_INDEXES = (*M004_LIBRARY_INDEXES, M012_PASSAGE_INDEX)

# Mention-only spans (accepted suggestions outside any passage, m012) are not passages.
_PASSAGES = (
    "(SELECT count(*) FROM annotations a WHERE a.document_id = d.id AND a.deleted_at IS NULL"
    " AND a.mention_only = 0)"
)
# A live newer version of the article exists (a probe of the partial supersedes index).
_SUPERSEDED = """EXISTS (SELECT 1 FROM documents n
    WHERE n.supersedes = d.id AND n.deleted_at IS NULL)"""

# Sorting by passage count needs every document's count: one grouped pass over the
# passages beats a correlated count per document (measured 88 ms against 150–500 ms at 100k).
_PASSAGE_JOIN = """
    LEFT JOIN (SELECT document_id, count(*) AS n FROM annotations
               WHERE deleted_at IS NULL AND mention_only = 0 GROUP BY document_id)
           AS passage_counts
           ON passage_counts.document_id = d.id"""

# The narrowest index holding every column a filter reads. Without statistics SQLite
# counts through the (non-covering) sha256 index and reads each table row, bodies
# included: 430 ms instead of 25 ms at 100k documents.
_NARROW_INDEX = "documents_library_added"

# Ascending sort terms; the last one makes every order total (stable paging). Each matches
# an index in LIBRARY_INDEXES term for term, or SQLite would sort instead of walking it.
_ORDER_TERMS = {
    "added": ("d.seq",),
    "title": ("d.title COLLATE NOCASE", "d.outlet", "d.seq"),
    "outlet": ("d.outlet COLLATE NOCASE", "d.title COLLATE NOCASE", "d.seq"),
    "published": ("d.published", "d.title", "d.outlet", "d.seq"),
    "grade": (
        "coalesce(d.reliability, 'F')",
        "coalesce(d.credibility, '6')",
        "d.title",
        "d.outlet",
        "d.seq",
    ),
    "passages": ("coalesce(passage_counts.n, 0)", "d.seq"),
}

# Name of the SQL function folding case for filters SQLite's ASCII-only LIKE cannot handle.
_FOLD = "library_casefold"


@dataclass(frozen=True)
class LibraryQuery:
    """Which live documents the library shows, and in what order."""

    text: str = ""  # title or outlet contains this, ignoring case
    outlet: str | None = None  # exactly this outlet
    sort: str = "added"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.sort not in SORT_KEYS:
            raise ValueError(f"unknown library sort {self.sort!r}")


@dataclass(frozen=True)
class LibraryRow:
    """One line of the library: what the list shows, never the body."""

    id: str
    title: str
    outlet: str | None
    published: str | None
    reliability: str | None
    credibility: str | None
    passages: int
    superseded: bool = False  # a newer version of the article was imported
    proposed: tuple[str, ...] = ()  # details read at import, not yet confirmed (m011)


def count_documents(ws: Workspace, query: LibraryQuery) -> int:
    where, params = _where(ws, query)
    sql = f"SELECT count(*) FROM {_narrow_source(ws)} WHERE {where}"
    with ws.sqlite_errors():
        count: int = ws.conn.execute(sql, params).fetchone()[0]
    return count


# A page's columns, named for ``_in_one_step``.
_ROW_COLUMNS = f"""d.id AS id, d.title AS title, d.outlet AS outlet, d.published AS published,
    d.reliability AS reliability, d.credibility AS credibility, {_PASSAGES} AS passages,
    {_SUPERSEDED} AS superseded, d.proposed AS proposed"""
_ROW_NAMES = (
    "id, title, outlet, published, reliability, credibility, passages, superseded, proposed"
)


def document_page(ws: Workspace, query: LibraryQuery, offset: int, limit: int) -> list[LibraryRow]:
    """``limit`` rows from position ``offset`` (0-based) in the query's order."""
    where, params = _where(ws, query)
    bounds = [max(0, limit), max(0, offset)]
    if query.sort != "passages":
        # The sort index is walked; SQLite defers reading a table row (and counting its
        # passages) until the row is inside the page.
        sql = f"""
            SELECT {_ROW_COLUMNS}
            FROM documents d WHERE {where}
            ORDER BY {_order_by(query)} LIMIT ? OFFSET ?"""
        with ws.sqlite_errors():
            rows = _in_one_step(ws, sql, _ROW_NAMES, [*params, *bounds])
        return [_library_row(row) for row in rows]
    # Sorting by passages counts every live document's passages: pick the page's seqs from
    # narrow index rows first, then read just those rows.
    sql = f"""
        SELECT d.seq AS seq FROM {_narrow_source(ws)} {_PASSAGE_JOIN} WHERE {where}
        ORDER BY {_order_by(query)} LIMIT ? OFFSET ?"""
    with ws.sqlite_errors():
        seqs = [row[0] for row in _in_one_step(ws, sql, "seq", [*params, *bounds])]
        marks = ", ".join("?" for _ in seqs)
        rows = _in_one_step(
            ws,
            f"SELECT d.seq AS seq, {_ROW_COLUMNS} FROM documents d WHERE d.seq IN ({marks})",
            f"seq, {_ROW_NAMES}",
            seqs,
        )
    by_seq = {row[0]: _library_row(row[1:]) for row in rows}
    return [by_seq[seq] for seq in seqs]


def _in_one_step(ws: Workspace, sql: str, names: str, params: list[object]) -> list[list[Any]]:
    """The rows of ``sql`` (columns ``names``, in its order), read in ONE SQLite step: the
    page is gathered into one JSON array by SQLite and parsed once.

    Why not ``fetchall``: Python's sqlite3 lets go of the GIL around every step, i.e. for
    every row. When a worker is busy in Python (an import, a merge), each step then waits
    for the GIL to come back — up to the 5 ms switch interval each time — so a 200-row page
    read on the GUI thread took 50–120 ms during a file import, and 1.1 s beside a thread
    spinning in Python, against 2–4 ms alone (bench/README.md, "GUI stalls during long
    work"). One step gives the GIL away once.

    The outer aggregate reads the subquery's rows in the subquery's order (a LIMITed
    subquery is not flattened into an aggregate; SQLite runs it as a co-routine);
    tests/unit/test_library_queries.py checks every order against Python's."""
    wrapped = f"SELECT json_group_array(json_array({names})) FROM ({sql})"
    text = ws.conn.execute(wrapped, params).fetchone()[0]
    rows: list[list[Any]] = json.loads(text)
    return rows


def _library_row(row: Sequence[Any]) -> LibraryRow:
    """A LibraryRow from the columns a page selects (then superseded, 0 or 1, and the
    JSON list of proposed details)."""
    doc_id, title, outlet, published, reliability, credibility, passages, superseded = row[:8]
    proposed = tuple(json.loads(row[8])) if len(row) > 8 and row[8] not in (None, "[]") else ()
    return LibraryRow(
        doc_id,
        title,
        outlet,
        published,
        reliability,
        credibility,
        passages,
        bool(superseded),
        proposed,
    )


def document_position(ws: Workspace, query: LibraryQuery, document_id: str) -> int | None:
    """Where ``document_id`` stands (0-based) in the query's order, or None if it is not
    listed (deleted, unknown or filtered out). Numbered in SQL; the GUI never scans."""
    where, params = _where(ws, query)
    by_passages = query.sort == "passages"
    source = f"{_narrow_source(ws)} {_PASSAGE_JOIN}" if by_passages else "documents d"
    # The outer filter cannot be pushed into a subquery with a window function, so the
    # numbering covers the whole filtered list, as it must.
    sql = f"""
        SELECT position FROM (
            SELECT d.seq, row_number() OVER (ORDER BY {_order_by(query)}) - 1 AS position
            FROM {source} WHERE {where})
        WHERE seq = (SELECT seq FROM documents WHERE id = ? AND deleted_at IS NULL)"""
    with ws.sqlite_errors():
        row = ws.conn.execute(sql, [*params, document_id]).fetchone()
    return None if row is None else row[0]


def outlets(ws: Workspace) -> list[str]:
    """Distinct outlets of live documents, for the outlet filter."""
    sql = """
        SELECT DISTINCT outlet FROM documents d
        WHERE d.deleted_at IS NULL AND d.outlet IS NOT NULL AND d.outlet != ''
        ORDER BY outlet COLLATE NOCASE"""
    with ws.sqlite_errors():
        return [row[0] for row in ws.conn.execute(sql)]


def _narrow_source(ws: Workspace) -> str:
    """``documents d``, pinned to the narrow covering index once the schema has it."""
    with ws.sqlite_errors():
        present = ws.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", [_NARROW_INDEX]
        ).fetchone()
    return f"documents d INDEXED BY {_NARROW_INDEX}" if present else "documents d"


def _order_by(query: LibraryQuery) -> str:
    direction = " DESC" if query.descending else ""
    return ", ".join(term + direction for term in _ORDER_TERMS[query.sort])


def _where(ws: Workspace, query: LibraryQuery) -> tuple[str, list[object]]:
    clauses: list[str] = ["d.deleted_at IS NULL"]
    params: list[object] = []
    needle = query.text.strip()
    if needle and needle.isascii():
        # LIKE ignores ASCII case natively; escape its wildcards so they match literally.
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(d.title LIKE ? ESCAPE '\\' OR d.outlet LIKE ? ESCAPE '\\')")
        params += [pattern, pattern]
    elif needle:
        # LIKE folds ASCII only: for Cyrillic or accented text, fold case in Python.
        ws.conn.create_function(_FOLD, 1, _casefold, deterministic=True)
        clauses.append(f"(instr({_FOLD}(d.title), ?) > 0 OR instr({_FOLD}(d.outlet), ?) > 0)")
        folded = needle.casefold()
        params += [folded, folded]
    if query.outlet is not None:
        clauses.append("d.outlet = ?")
        params.append(query.outlet)
    return " AND ".join(clauses), params


def _casefold(value: str | None) -> str:
    return value.casefold() if value else ""
