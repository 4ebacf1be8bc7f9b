"""The search rows of the scale benchmark: first page of results at 1M passages.

Ours is what the search panel asks for (``services.search.search_page``: entities, documents
and passages interleaved, ranked when an index has at most ``RANK_LIMIT`` matches, newest
first above it) and, for "rank anyway", ``Session.search(..., rank_anyway=True)``. The raw
baseline asks the same three FTS5 indexes for a page of 50 split between them (16 + 17 + 17
rows) with FTS5's ``snippet()``, in the order ours chose for that index (``rank`` or
``rowid DESC``), through its own sqlite3 connection: the order is handed to it for free,
whereas ours pays for the bounded count that decides it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from bench.report import Row, fmt_time, percentile
from workstation.domain.search import SearchFilters
from workstation.services import Session
from workstation.services.search import search_page
from workstation.storage.search import RANK_LIMIT, fts_query

SEARCH_P95_BUDGET_S = 0.150  # issue 7 / docs/architecture.md: first page at 1M passages

# What officers type, by kind; each kind cycles through its examples.
KINDS: dict[str, tuple[str, ...]] = {
    "rare name": ("Nebenzya", "Szijjártó", "Rinkēvičs", "Aurescu", "Dendias"),
    "common word": ("sanctions", "officials", "Russia"),
    "phrase": ('"asset freeze"', '"travel ban"'),
    "prefix": ("sanct*", "diplom*"),
    "Cyrillic": ("Песков", "Лавров"),
}
RANK_ANYWAY = ("sanctions", "officials")
FILTERED = ("sanctions", "Moscow")  # with the entity filter set to FILTER_ENTITY
FILTER_ENTITY = "Sergei Lavrov"
INDEXES = ("entities_fts", "documents_fts", "annotations_fts")
RAW_SHARE = {"entities_fts": 16, "documents_fts": 17, "annotations_fts": 17}
_MATCHED = "SELECT count(*) FROM (SELECT 1 FROM {0} WHERE {0} MATCH ? LIMIT ?)"


def _bounded_counts(conn: sqlite3.Connection, query: str) -> dict[str, int]:
    return {
        index: conn.execute(_MATCHED.format(index), [query, RANK_LIMIT + 1]).fetchone()[0]
        for index in INDEXES
    }


def _order(count: int, rank_anyway: bool) -> str:
    return "rank" if rank_anyway or count <= RANK_LIMIT else "rowid DESC"


class RawSearch:
    """The baseline: plain FTS5 queries over the same indexes, one connection of its own
    (opened with ``pragmas``). ``counts`` (bounded match counts per query and index) may be
    shared between instances: the baseline is told the order, it does not work it out."""

    def __init__(self, path, entity_id: str, *, pragmas=(), counts: dict | None = None):
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in pragmas:
            self.conn.execute(pragma)
        self.entity_id = entity_id
        self.counts: dict[str, dict[str, int]] = {} if counts is None else counts

    def prepare(self, text: str) -> str:
        query = fts_query(text)
        assert query is not None
        if query not in self.counts:
            self.counts[query] = _bounded_counts(self.conn, query)
        return query

    def page(self, query: str, *, rank_anyway: bool = False, filtered: bool = False) -> list:
        rows: list = []
        for sql, params in self.statements(query, rank_anyway=rank_anyway, filtered=filtered):
            rows += self.conn.execute(sql, params).fetchall()
        return rows

    def statements(
        self, query: str, *, rank_anyway: bool = False, filtered: bool = False
    ) -> list[tuple[str, list]]:
        """The SQL and parameters of one page (for ``query`` already prepared)."""
        statements = []
        for index in INDEXES:
            if filtered and index == "entities_fts":
                continue  # entities carry no passages: ours lists none under a filter
            order = _order(self.counts[query][index], rank_anyway)
            sql, params = self._sql(index, order, filtered)
            statements.append((sql, [query, *params, RAW_SHARE[index]]))
        return statements

    def _sql(self, index: str, order: str, filtered: bool) -> tuple[str, list]:
        snippet = f"snippet({index}, -1, '[', ']', '…', 16)"
        where, params = "", []
        # "+rowid": a filter on FTS5's own walk; a bare "rowid IN" is handed to FTS5 as a
        # constraint, which then runs the MATCH again for every listed rowid (1.2 s here).
        if filtered and index == "annotations_fts":
            where = (
                " AND +rowid IN (SELECT a.seq FROM annotations a JOIN mentions m"
                " ON m.annotation_id = a.id WHERE m.entity_id = ? AND m.deleted_at IS NULL"
                " AND a.deleted_at IS NULL)"
            )
            params = [self.entity_id]
        elif filtered and index == "documents_fts":
            where = (
                " AND +rowid IN (SELECT d.seq FROM documents d JOIN annotations a"
                " ON a.document_id = d.id JOIN mentions m ON m.annotation_id = a.id"
                " WHERE m.entity_id = ? AND m.deleted_at IS NULL AND a.deleted_at IS NULL)"
            )
            params = [self.entity_id]
        sql = (
            f"SELECT rowid, {snippet} FROM {index} WHERE {index} MATCH ?{where} "
            f"ORDER BY {order} LIMIT ?"
        )
        return sql, params

    def close(self) -> None:
        self.conn.close()


def _entity_id(session: Session) -> str:
    for entity in session.entities.list_entities():
        if entity.name == FILTER_ENTITY:
            return entity.id
    raise SystemExit(f"scale bench: no entity {FILTER_ENTITY!r} in the workspace")


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def bench_search(session: Session, runs: int, rank_anyway_runs: int) -> tuple[list[Row], list[str]]:
    """One row per kind of query (p50 / p95 of ``runs`` first pages, ours and raw
    alternating, after one untimed warm-up of every query), then "rank anyway" and an
    entity-filtered search; notes say how many matches each query has and which order."""
    entity_id = _entity_id(session)
    filters = SearchFilters(entity_id=entity_id)
    raw = RawSearch(session.path, entity_id)
    cases: list[tuple[str, tuple[str, ...], dict, float | None, int]] = [
        (kind, queries, {}, SEARCH_P95_BUDGET_S, runs) for kind, queries in KINDS.items()
    ]
    cases.append(("rank anyway, common word", RANK_ANYWAY, {"rank_anyway": True}, None,
                  rank_anyway_runs))  # fmt: skip
    cases.append((f"entity filter ({FILTER_ENTITY}) + word", FILTERED, {"filtered": True},
                  SEARCH_P95_BUDGET_S, runs))  # fmt: skip

    def ours(text: str, options: dict) -> int:
        if options.get("rank_anyway"):
            return len(session.search(text, limit=50, rank_anyway=True))
        chosen = filters if options.get("filtered") else None
        return len(search_page(session, text, chosen).hits)

    rows, notes, budgeted_ours, budgeted_raw = [], [], [], []
    try:
        for kind, queries, options, budget, count in cases:
            for text in queries:  # warm-up, and the facts the notes report
                query = raw.prepare(text)
                hits, raw_rows = ours(text, options), len(raw.page(query, **options))
                matched = raw.counts[query]
                orders = "/".join(
                    "ranked" if _order(matched[i], bool(options.get("rank_anyway"))) == "rank"
                    else "newest" for i in INDEXES[1:]
                )  # fmt: skip
                notes.append(
                    f"  {kind}: {text!r}: documents {_many(matched['documents_fts'])}, "
                    f"passages {_many(matched['annotations_fts'])} matching; "
                    f"order documents/passages {orders}; page {hits} hits (raw {raw_rows})"
                )
            ours_s, raw_s = [], []
            for run in range(count):
                text = queries[run % len(queries)]
                query = raw.prepare(text)
                ours_s.append(_timed(lambda t=text, o=options: ours(t, o)))
                raw_s.append(_timed(lambda q=query, o=options: raw.page(q, **o)))
            if budget is not None:
                budgeted_ours += ours_s
                budgeted_raw += raw_s
            rows.append(_row(f"  search first page: {kind}, p50 / p95 ({count} runs)",
                             ours_s, raw_s, budget, list(queries)))  # fmt: skip
    finally:
        raw.close()
    overall = Row(
        f"search first page, every budgeted kind, p95 ({len(budgeted_ours)} runs)",
        percentile(budgeted_ours, 95),
        percentile(budgeted_raw, 95),
        SEARCH_P95_BUDGET_S,
    )
    return [overall, *rows], notes


def _many(count: int) -> str:
    return f"> {RANK_LIMIT:,}" if count > RANK_LIMIT else f"{count:,}"


def _row(label: str, ours: list[float], raw: list[float], budget, queries: list[str]) -> Row:
    o50, o95, r50, r95 = (percentile(ours, 50), percentile(ours, 95), percentile(raw, 50),
                          percentile(raw, 95))  # fmt: skip
    return Row(
        label,
        o95,
        r95,
        budget,
        ours_text=f"{fmt_time(o50)} / {fmt_time(o95)}",
        raw_text=f"{fmt_time(r50)} / {fmt_time(r95)}",
        extra={"queries": queries, "ours_p50_s": o50, "raw_p50_s": r50},
    )
