"""Full-text search over documents, passages and entities (FTS5, diacritic-insensitive).

Invisible characters hide no word: the indexes hold text without them (schema m008), queries
are folded alike, and hits are marked in the stored text, offsets in stored code points."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from workstation.domain.search import SearchCursor, SearchFilters
from workstation.storage.schema_folding import M008_INDEX_IGNORABLES

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace

# Hit markers inside snippets; presenters turn them into brackets, bold or <mark>.
MARK_START = "\x02"
MARK_END = "\x03"

_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(\w+\*?)', re.UNICODE)
# The invisible characters the indexes leave out (one list, frozen with the triggers).
_WITHOUT_IGNORABLES = dict.fromkeys(M008_INDEX_IGNORABLES)  # a str.translate table
_IGNORABLE_CLASS = "".join(re.escape(chr(code)) for code in M008_INDEX_IGNORABLES)
_KINDS = ("entity", "document", "passage")


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
    # Code points of the first matched term in the document body, when the match lies in
    # the body (not only in a title or a note): what the reader selects when opening a hit.
    match_start: int | None = None
    match_end: int | None = None
    earlier_version: bool = False  # its document has a newer version (a re-imported article)


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    has_more: bool
    next_cursor: SearchCursor
    # Too many matches to rank within budget: the newest are listed first (ask again with
    # ``rank_anyway`` to rank them all by relevance).
    newest_first: bool = False


def fts_query(text: str) -> str | None:
    """Turn what a user typed into a safe FTS5 query, or ``None`` if nothing is searchable.

    Words are quoted (so ``AND``, ``-``, ``:`` or a stray quote never reach FTS5 syntax),
    ``"quoted phrases"`` stay phrases, and a trailing ``*`` keeps prefix search. Invisible
    characters are left out, as the indexes leave them out ("Nav<ZWSP>alny" is Navalny).
    """
    text = text.translate(_WITHOUT_IGNORABLES)
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
_NEWEST = "rowid DESC"


def search(
    ws: Workspace, text: str, *, limit: int = 50, rank_anyway: bool = False
) -> list[SearchHit]:
    """Top ``limit`` hits: entities, documents and passages taken in turn.

    bm25 scores of different indexes are not comparable (short passages always win), so
    each kind is ranked on its own and the lists are interleaved.
    """
    return search_page(ws, text, limit=limit, rank_anyway=rank_anyway).hits


def search_page(
    ws: Workspace,
    text: str,
    filters: SearchFilters | None = None,
    cursor: SearchCursor | None = None,
    *,
    limit: int = 50,
    rank_anyway: bool = False,
) -> SearchPage:
    """One page of hits from ``cursor`` on, narrowed by ``filters`` in SQL.

    Each kind is asked for one row more than the page can hold, so ``has_more`` is known
    without counting; only the hits that make the page get snippets and offsets.
    """
    filters = filters or SearchFilters()
    cursor = cursor or SearchCursor()
    query = fts_query(text)
    if query is None or limit <= 0:
        return SearchPage([], False, cursor)
    wanted = limit + 1
    document_order = _order(
        ws, "documents_fts", query, rank_anyway, lazy_filter=filters.narrows_passages
    )
    passage_order = _order(ws, "annotations_fts", query, rank_anyway)
    keys = {
        "entity": [] if filters.active else _entity_keys(ws, query, wanted, cursor.entities),
        "document": _document_keys(ws, query, filters, wanted, cursor.documents, document_order),
        "passage": _passage_keys(ws, query, filters, wanted, cursor.passages, passage_order),
    }
    chosen: list[tuple[str, int, float]] = []
    taken = dict.fromkeys(_KINDS, 0)
    for round_ in range(limit):
        for kind in _KINDS:
            if round_ < len(keys[kind]) and len(chosen) < limit:
                chosen.append((kind, *keys[kind][round_]))
                taken[kind] += 1
    # One query per kind for the whole page: every MATCH re-expands the query (costly for
    # prefixes), so loading hit by hit cost ~1 ms per hit.
    loaders = {"entity": _load_entities, "document": _load_documents, "passage": _load_passages}
    loaded = {
        kind: loaders[kind](ws, query, {seq: score for k, seq, score in chosen if k == kind})
        for kind in _KINDS
    }
    hits = _mark_earlier_versions(
        ws, [hit for kind, seq, _score in chosen if (hit := loaded[kind].get(seq))]
    )
    return SearchPage(
        hits,
        has_more=any(len(keys[kind]) > taken[kind] for kind in _KINDS),
        next_cursor=SearchCursor(
            entities=cursor.entities + taken["entity"],
            documents=cursor.documents + taken["document"],
            passages=cursor.passages + taken["passage"],
        ),
        newest_first=any(order.endswith(_NEWEST) for order in (document_order, passage_order)),
    )


def outlets(ws: Workspace) -> list[str]:
    """Distinct outlets of live documents, for the outlet filter."""
    rows = _run(
        ws,
        "SELECT DISTINCT outlet FROM documents WHERE deleted_at IS NULL "
        "AND outlet IS NOT NULL AND outlet != '' ORDER BY outlet COLLATE NOCASE",
        [],
    )
    return [row[0] for row in rows]


def _run(ws: Workspace, sql: str, params: list[object]) -> list[tuple[Any, ...]]:
    with ws.sqlite_errors():
        return ws.conn.execute(sql, params).fetchall()


def _order(
    ws: Workspace, table: str, query: str, rank_anyway: bool, *, lazy_filter: bool = False
) -> str:
    # Decided on the unfiltered match count: that is what bm25 would be computed over.
    if not rank_anyway:
        # A bounded count: stop as soon as the answer is known (above RANK_LIMIT).
        count = _run(
            ws,
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT ?)",
            [query, RANK_LIMIT + 1],
        )[0][0]
        if count > RANK_LIMIT:
            return f"{table}.{_NEWEST}"
    if lazy_filter:
        # FTS5 hands rows over already ranked, so a costly per-row filter runs only until
        # the page is full instead of on every match before a sort. FTS5 sorts every match
        # the same way each time, so pages still never overlap.
        return f"{table}.rank"
    # Otherwise SQLite's top-N sort is the faster one; rowid breaks ties so that pages
    # fetched with different offsets never overlap.
    return f"{table}.rank, {table}.rowid"


# -- which rows make a page (cheap: rowid and rank only) -----------------------------------


def _score(order: str, table: str) -> str:
    """The rank column, unless the page is newest-first: selecting rank would make bm25
    score every match only to show 51 of them (4–36 ms per index at 1M passages)."""
    return "0.0" if order.endswith(_NEWEST) else f"{table}.rank"


def _passage_conditions(filters: SearchFilters) -> tuple[str, list[object]]:
    """SQL over ``a`` (annotations) for the passage filters."""
    sql = ""
    params: list[object] = []
    if filters.category_id:
        sql += " AND a.category_id = ?"
        params.append(filters.category_id)
    if filters.entity_id:
        # Uncorrelated, so the entity's mentions are read once per query, not once per row.
        sql += (
            " AND a.id IN (SELECT m.annotation_id FROM mentions m"
            " WHERE m.entity_id = ? AND m.deleted_at IS NULL)"
        )
        params.append(filters.entity_id)
    return sql, params


def _document_conditions(filters: SearchFilters) -> tuple[str, list[object]]:
    """SQL over ``d`` (documents) for outlet and published range."""
    sql = ""
    params: list[object] = []
    if filters.outlet:
        sql += " AND d.outlet = ?"
        params.append(filters.outlet)
    # Published may carry a time; its first ten characters are the date.
    if filters.published_from:
        sql += " AND substr(d.published, 1, 10) >= ?"
        params.append(filters.published_from)
    if filters.published_to:
        sql += " AND substr(d.published, 1, 10) <= ?"
        params.append(filters.published_to)
    return sql, params


def _documents_with_passages(filters: SearchFilters) -> str:
    """SQL over ``d`` keeping documents that hold a passage passing the passage filters."""
    passage_where = _passage_conditions(filters)[0]
    if filters.entity_id:
        # Few passages mention one entity: collect their documents once.
        return (
            " AND d.id IN (SELECT a.document_id FROM annotations a"
            f" WHERE a.deleted_at IS NULL{passage_where})"
        )
    # A category is common: look only at the passages of each matching document.
    return (
        " AND EXISTS (SELECT 1 FROM annotations a WHERE a.document_id = d.id"
        f" AND a.deleted_at IS NULL{passage_where})"
    )


def _entity_keys(ws: Workspace, query: str, limit: int, offset: int) -> list[tuple[int, float]]:
    return _run(
        ws,
        "SELECT rowid, rank FROM entities_fts WHERE entities_fts MATCH ? "
        "ORDER BY rank, rowid LIMIT ? OFFSET ?",
        [query, limit, offset],
    )


def _document_keys(
    ws: Workspace, query: str, filters: SearchFilters, limit: int, offset: int, order: str
) -> list[tuple[int, float]]:
    where, params = _document_conditions(filters)
    if filters.narrows_passages:
        where += _documents_with_passages(filters)
        params += _passage_conditions(filters)[1]
    # The index holds live documents only: without filters it needs no join.
    join = " JOIN documents d ON d.seq = documents_fts.rowid" if where else ""
    return _run(
        ws,
        f"""SELECT documents_fts.rowid, {_score(order, "documents_fts")} FROM documents_fts{join}
            WHERE documents_fts MATCH ?{where} ORDER BY {order} LIMIT ? OFFSET ?""",
        [query, *params, limit, offset],
    )


def _passage_keys(
    ws: Workspace, query: str, filters: SearchFilters, limit: int, offset: int, order: str
) -> list[tuple[int, float]]:
    passage_where, passage_params = _passage_conditions(filters)
    document_where, document_params = _document_conditions(filters)
    # Mention-only spans (m012) are links, not passages: never a passage hit. The join is by
    # rowid (annotations.seq), one lookup per match.
    passage_where = " AND a.mention_only = 0" + passage_where
    join = " JOIN annotations a ON a.seq = annotations_fts.rowid"
    if document_where:
        join += " JOIN documents d ON d.id = a.document_id"
    return _run(
        ws,
        f"""SELECT annotations_fts.rowid, {_score(order, "annotations_fts")}
            FROM annotations_fts{join}
            WHERE annotations_fts MATCH ?{passage_where}{document_where}
            ORDER BY {order} LIMIT ? OFFSET ?""",
        [query, *passage_params, *document_params, limit, offset],
    )


# -- the hits that made the page: snippets and offsets -------------------------------------


def _in(seqs: dict[int, float]) -> str:
    return ", ".join("?" for _ in seqs)


def _load_documents(ws: Workspace, query: str, seqs: dict[int, float]) -> dict[int, SearchHit]:
    """Documents' snippets are made here too, around the first hit only: FTS5's snippet()
    and highlight() walk every hit of the body and grew quadratic on one huge article
    (a common word in a 10 MB text: minutes)."""
    if not seqs:
        return {}
    rows = _run(
        ws,
        f"SELECT d.seq, d.id, d.title, d.body FROM documents d WHERE d.seq IN ({_in(seqs)})",
        list(seqs),
    )
    terms = _query_terms(query)
    hits = {}
    for seq, doc_id, title, body in rows:
        first = _first_hit(body, terms)
        if first is None:  # the words matched the title only
            snip, start, end = _snippet(title, _marks(title, terms)), None, None
        else:
            snip, (start, end) = _window_snippet(body, first, terms), first
        hits[seq] = SearchHit(
            "document", doc_id, doc_id, title, snip, start, end, seqs[seq], start, end
        )
    return hits


def _first_hit(text: str, terms: list[tuple[str, bool]]) -> tuple[int, int] | None:
    """The first word of ``text`` a query term matches, reading no further than it."""
    if text.isascii() and all(term.isascii() for term, _prefix in terms):
        # Most wire copy: folding is lower-casing, so one compiled search finds the word
        # (folding word by word cost ~0.5 ms per 5 KB body, 50 bodies a page).
        found = _ascii_pattern(tuple(terms)).search(text)
        return found.span() if found else None
    whole, prefixes = _split_terms(terms)
    for match in _WORD.finditer(text):
        word = match.group(0)
        word = word.lower() if word.isascii() else _fold(word)
        if word in whole or (prefixes and word.startswith(prefixes)):
            return match.span()
    return None


def _split_terms(terms: list[tuple[str, bool]]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Whole terms and prefixes: one set look-up and one startswith a word (5–10 % faster)."""
    whole = frozenset(term for term, prefix in terms if not prefix)
    return whole, tuple(term for term, prefix in terms if prefix)


@functools.lru_cache(maxsize=64)
def _ascii_pattern(terms: tuple[tuple[str, bool], ...]) -> re.Pattern[str]:
    words = [re.escape(term) + (r"\w*" if prefix else r"\b") for term, prefix in terms]
    return re.compile(r"\b(?:" + "|".join(words) + ")", re.IGNORECASE | re.ASCII)


_WINDOW = 400  # characters either side of the first hit: more than the snippet's words


def _window_snippet(text: str, first: tuple[int, int], terms: list[tuple[str, bool]]) -> str:
    low, high = max(0, first[0] - _WINDOW), min(len(text), first[1] + _WINDOW)
    window = text[low:high]
    marks = [m for m in _marks(window, terms) if m[0] >= first[0] - low]
    snip = _snippet(window, marks)
    if low > 0 and not snip.startswith("…"):
        snip = "…" + snip
    if high < len(text) and not snip.endswith("…"):
        snip += "…"
    return snip


def _load_passages(ws: Workspace, query: str, seqs: dict[int, float]) -> dict[int, SearchHit]:
    """Passages are short, so their snippets are marked here rather than by FTS5: a MATCH
    restricted to given rowids re-expands the query per row (~2 ms a row for a prefix)."""
    if not seqs:
        return {}
    rows = _run(
        ws,
        f"""SELECT a.seq, a.id, a.document_id, d.title, a.exact, a.note, a.start, a."end"
            FROM annotations a JOIN documents d ON d.id = a.document_id
            WHERE a.seq IN ({_in(seqs)})""",
        list(seqs),
    )
    terms = _query_terms(query)
    hits = {}
    for seq, annotation_id, document_id, title, exact, note, start, end in rows:
        in_quote = _marks(exact, terms)
        text, marks = (exact, in_quote) if in_quote or not note else (note, _marks(note, terms))
        hit = SearchHit(
            "passage",
            annotation_id,
            document_id,
            title,
            _snippet(text, marks),
            start,
            end,
            seqs[seq],
        )
        if in_quote:  # otherwise the words matched the note only
            hit = replace(hit, match_start=start + in_quote[0][0], match_end=start + in_quote[0][1])
        hits[seq] = hit
    return hits


_QUERY_TERM = re.compile(r'"([^"]*)"(\*?)')
# A word as the index sees it: invisible characters inside it ("Nav<ZWSP>alny") join its
# pieces, so the whole disguised word is one hit in the stored text.
_WORD = re.compile(rf"\w+(?:[{_IGNORABLE_CLASS}]+\w+)*", re.UNICODE)


def _fold(word: str) -> str:
    """The indexes' folding (invisible characters left out, then unicode61 with
    remove_diacritics 2): no case, no marks."""
    if word.isascii():  # most words: nothing to decompose
        return word.lower()
    decomposed = unicodedata.normalize("NFD", word.translate(_WITHOUT_IGNORABLES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _query_terms(query: str) -> list[tuple[str, bool]]:
    """(folded word, is prefix) for every word of an ``fts_query`` result."""
    terms = []
    for phrase, star in _QUERY_TERM.findall(query):
        words = phrase.split()
        for i, word in enumerate(words):
            terms.append((_fold(word), bool(star) and i == len(words) - 1))
    return terms


def _marks(text: str, terms: list[tuple[str, bool]]) -> list[tuple[int, int]]:
    found = []
    whole, prefixes = _split_terms(terms)
    for match in _WORD.finditer(text):
        word = match.group(0)
        word = word.lower() if word.isascii() else _fold(word)
        if word in whole or (prefixes and word.startswith(prefixes)):
            found.append(match.span())
    return found


def _snippet(text: str, marks: list[tuple[int, int]], words_around: int = 8) -> str:
    """Like FTS5's snippet(): the words around the first hit, hits between markers."""
    spans = [m.span() for m in _WORD.finditer(text)]
    first = next((i for i, span in enumerate(spans) if marks and span[0] == marks[0][0]), 0)
    lo, hi = max(0, first - words_around), min(len(spans), first + words_around + 1)
    begin = spans[lo][0] if lo > 0 else 0
    finish = spans[hi - 1][1] if hi < len(spans) else len(text)
    out, cursor = [], begin
    for start, end in marks:
        if start < begin or end > finish:
            continue
        out += [text[cursor:start], MARK_START, text[start:end], MARK_END]
        cursor = end
    out.append(text[cursor:finish])
    return ("…" if begin > 0 else "") + "".join(out) + ("…" if finish < len(text) else "")


def _load_entities(ws: Workspace, query: str, seqs: dict[int, float]) -> dict[int, SearchHit]:
    """Snippets marked in the stored name or aliases (the index holds them folded)."""
    if not seqs:
        return {}
    rows = _run(
        ws,
        f"SELECT e.seq, e.id, e.name, e.aliases FROM entities e WHERE e.seq IN ({_in(seqs)})",
        list(seqs),
    )
    terms = _query_terms(query)
    hits = {}
    for seq, entity_id, name, aliases in rows:
        text, marks = name, _marks(name, terms)
        if not marks:
            alias_text = " · ".join(json.loads(aliases))
            alias_marks = _marks(alias_text, terms)
            if alias_marks:
                text, marks = alias_text, alias_marks
        snip = _snippet(text, marks)
        hits[seq] = SearchHit("entity", entity_id, None, name, snip, None, None, seqs[seq])
    return hits


def _mark_earlier_versions(ws: Workspace, hits: list[SearchHit]) -> list[SearchHit]:
    """Flag hits in a document that a live newer version supersedes (one indexed query for
    the page): both versions stay searchable, but the officer should see which is which."""
    ids = sorted({hit.document_id for hit in hits if hit.document_id})
    if not ids:
        return hits
    marks = ", ".join("?" for _ in ids)
    with ws.sqlite_errors():
        earlier = {
            row[0]
            for row in ws.conn.execute(
                f"SELECT DISTINCT supersedes FROM documents "
                f"WHERE supersedes IN ({marks}) AND deleted_at IS NULL",
                ids,
            )
        }
    if not earlier:
        return hits
    return [
        replace(hit, earlier_version=True) if hit.document_id in earlier else hit for hit in hits
    ]
