"""The entity registry's SQL: entities a page at a time under a filter and a sort, with
their passage counts, and the passages that mention one entity with the words around each.

Counting passages means a lookup per mention (is its passage live?). For a page, only the
page's entities are counted, through the ``mentions_entity`` index; only sorting by the
count needs every entity's, in one pass over the mentions in table order (at 100k mentions
≈ 230 ms, against ≈ 590 ms walking the entity index). Never one query per entity.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from workstation.domain.text_display import fold_ignorables

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace

SORT_KEYS = ("kind", "name", "aliases", "country", "wikidata", "description", "passages")

# Ascending terms by sort key; ``e.seq`` last makes every order total (stable paging).
_ORDER_TERMS = {
    "kind": ("e.kind", "e.name COLLATE NOCASE"),
    "name": ("e.name COLLATE NOCASE",),
    "aliases": ("e.aliases COLLATE NOCASE",),
    "country": ("coalesce(e.country, '')", "e.name COLLATE NOCASE"),
    "wikidata": ("coalesce(e.wikidata_id, '')", "e.name COLLATE NOCASE"),
    "description": ("e.description COLLATE NOCASE",),
    "passages": ("coalesce(passage_counts.n, 0)", "e.name COLLATE NOCASE"),
}

# A passage counts once per entity however many roles link them: the count matches the
# passages (not the mention-only spans, m012) in the list shown for the entity.
_COUNT = "count(DISTINCT m.annotation_id)"
_LIVE_MENTIONS = """
    JOIN annotations a ON a.id = m.annotation_id
    WHERE m.deleted_at IS NULL AND a.deleted_at IS NULL AND a.mention_only = 0"""
_ALL_COUNTS = f"""
    SELECT m.entity_id, {_COUNT} AS n FROM mentions m NOT INDEXED {_LIVE_MENTIONS}
    GROUP BY m.entity_id"""
_COUNTS_JOIN = f"LEFT JOIN ({_ALL_COUNTS}) AS passage_counts ON passage_counts.entity_id = e.id"

# SQLite's LIKE folds ASCII only; Cyrillic and accented names need Python's folding.
_MATCHES = "entity_registry_matches"
_SEPARATOR = "\x1f"  # between the filter's words; folding never produces it
_PAGE_COUNT_LIMIT = 1000
_FIELDS = "e.id, e.kind, e.name, e.aliases, e.country, e.wikidata_id, e.description"


@dataclass(frozen=True)
class EntityRow:
    """One line of the registry: the entity's fields and how many passages mention it."""

    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    country: str | None
    wikidata_id: str | None
    description: str
    passages: int


@dataclass(frozen=True)
class EntityPassage:
    """A passage mentioning an entity, placed in its document with the text around it."""

    annotation_id: str
    document_id: str
    document_title: str
    start: int
    end: int
    exact: str
    roles: tuple[str, ...]
    before: str
    after: str
    # A mention-only span (m012): the entity is linked there, but it is not a passage.
    mention_only: bool = False


def fold(text: str | None) -> str:
    """Case- and accent-insensitive form for filtering (ё and е, é and e match), without
    invisible characters ("Nav<ZWSP>alny" is found by Navalny)."""
    if not text:
        return ""
    folded = text.casefold()
    if folded.isascii():
        return folded
    folded = fold_ignorables(folded)
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFKD", folded).translate(_combining_marks())


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """A str.translate table deleting the combining marks of the Basic Multilingual Plane
    (built once, ~10 ms; the whole of Unicode would take ~200 ms for marks seen nowhere
    in names)."""
    return {code: None for code in range(0x300, 0x10000) if unicodedata.combining(chr(code))}


# The filter folds each entity's text once per query; typing re-runs the query per key, so
# the folded forms are kept (bounded) between queries.
_fold_cached = lru_cache(maxsize=50_000)(fold)


def entity_page(
    ws: Workspace,
    text: str = "",
    *,
    sort: str = "name",
    descending: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[EntityRow]:
    """Live entities whose kind, name, aliases, country, Wikidata id or description contain
    every word of ``text`` (ignoring case and accents): ``limit`` of them (all if None)
    from position ``offset`` in the order asked, each with its passage count."""
    where, params = _where(ws, text)
    if sort == "passages":  # the order needs every count: read them from the same join
        sql = f"""
            SELECT {_FIELDS}, coalesce(passage_counts.n, 0) FROM entities e {_COUNTS_JOIN}
            WHERE {where} ORDER BY {_order_by(sort, descending)} LIMIT ? OFFSET ?"""
    else:
        sql = f"""SELECT {_FIELDS}, NULL FROM entities e
                  WHERE {where} ORDER BY {_order_by(sort, descending)} LIMIT ? OFFSET ?"""
    with ws.sqlite_errors():
        rows = ws.conn.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
    if sort != "passages":
        # Past a page's worth, one pass over all mentions beats a long IN list (and its
        # limit on parameters).
        ids = [row[0] for row in rows]
        counts = passage_counts(ws, ids if len(ids) <= _PAGE_COUNT_LIMIT else None)
        rows = [(*row[:7], counts.get(row[0], 0)) for row in rows]
    return [_entity_row(row) for row in rows]


def _entity_row(row: tuple[Any, ...]) -> EntityRow:
    """An EntityRow from the _FIELDS columns and the passage count."""
    entity_id, kind, name, aliases, country, wikidata_id, description, passages = row
    return EntityRow(
        entity_id,
        kind,
        name,
        tuple(json.loads(aliases)),
        country,
        wikidata_id,
        description,
        passages,
    )


def count_entities(ws: Workspace, text: str = "") -> int:
    where, params = _where(ws, text)
    with ws.sqlite_errors():
        sql = f"SELECT count(*) FROM entities e WHERE {where}"
        count: int = ws.conn.execute(sql, params).fetchone()[0]
    return count


def entity_position(
    ws: Workspace, entity_id: str, text: str = "", *, sort: str = "name", descending: bool = False
) -> int | None:
    """Where ``entity_id`` stands (0-based) in the filtered, sorted list, or None if it is
    not listed. Numbered in SQL, so the GUI never pages through to find it."""
    where, params = _where(ws, text)
    counts = _COUNTS_JOIN if sort == "passages" else ""
    sql = f"""
        SELECT position FROM (
            SELECT e.id, row_number() OVER (ORDER BY {_order_by(sort, descending)}) - 1
                   AS position
            FROM entities e {counts} WHERE {where})
        WHERE id = ?"""
    with ws.sqlite_errors():
        row = ws.conn.execute(sql, [*params, entity_id]).fetchone()
    return None if row is None else row[0]


def passage_counts(ws: Workspace, entity_ids: list[str] | None = None) -> dict[str, int]:
    """Entity id → number of live passages mentioning it, for ``entity_ids`` or for every
    entity (entities with none are left out)."""
    if entity_ids is None:
        sql, params = _ALL_COUNTS, []
    elif not entity_ids:
        return {}
    else:
        marks = ", ".join("?" for _ in entity_ids)
        sql = f"""SELECT m.entity_id, {_COUNT} FROM mentions m {_LIVE_MENTIONS}
                  AND m.entity_id IN ({marks}) GROUP BY m.entity_id"""
        params = list(entity_ids)
    with ws.sqlite_errors():
        return dict(ws.conn.execute(sql, params).fetchall())


def _order_by(sort: str, descending: bool) -> str:
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown entity sort {sort!r}")
    direction = " DESC" if descending else ""
    return ", ".join(term + direction for term in (*_ORDER_TERMS[sort], "e.seq"))


def passages_mentioning(
    ws: Workspace, entity_id: str, *, context: int = 80, limit: int | None = None
) -> list[EntityPassage]:
    """Live passages linked to ``entity_id`` across documents, by document title and position,
    each with up to ``context`` characters of the body either side of the quote; its
    mention-only spans too, flagged ``mention_only`` (not counted as passages)."""
    # substr() counts characters, as the stored offsets do (code points, 1-based here).
    sql = """
        SELECT a.id, d.id, d.title, a.start, a."end", a.exact,
               group_concat(DISTINCT m.role),
               substr(d.body, max(1, a.start + 1 - :context), min(a.start, :context)),
               substr(d.body, a."end" + 1, :context), a.mention_only
        FROM mentions m
        JOIN annotations a ON a.id = m.annotation_id AND a.deleted_at IS NULL
        JOIN documents d ON d.id = a.document_id AND d.deleted_at IS NULL
        WHERE m.entity_id = :entity AND m.deleted_at IS NULL
        GROUP BY a.id
        ORDER BY d.title COLLATE NOCASE, d.seq, a.start, a.seq
        LIMIT :limit"""
    params = {"entity": entity_id, "context": context, "limit": -1 if limit is None else limit}
    with ws.sqlite_errors():
        rows = ws.conn.execute(sql, params).fetchall()
    passages = []
    for annotation_id, document_id, title, start, end, exact, roles, before, after, only in rows:
        kinds = tuple(sorted(roles.split(",")))
        passages.append(
            EntityPassage(
                annotation_id,
                document_id,
                title,
                start,
                end,
                exact,
                kinds,
                before,
                after,
                mention_only=bool(only),
            )
        )
    return passages


def _where(ws: Workspace, text: str) -> tuple[str, list[object]]:
    clauses = ["e.deleted_at IS NULL"]
    params: list[object] = []
    words = fold(text).split()
    if words:
        ws.conn.create_function(_MATCHES, 2, _matches, deterministic=True)
        # One call per row over every searchable field joined: thousands of entities fold
        # in a few milliseconds, where a call per field and word would multiply that.
        clauses.append(
            f"{_MATCHES}(e.kind || ' ' || e.name || ' ' || e.aliases || ' ' || "
            "coalesce(e.country, '') || ' ' || coalesce(e.wikidata_id, '') || ' ' || "
            "e.description, ?)"
        )
        params.append(_SEPARATOR.join(words))
    return " AND ".join(clauses), params


def _matches(haystack: str | None, words: str) -> bool:
    folded = _fold_cached(haystack)
    return all(word in folded for word in words.split(_SEPARATOR))


def mention_quotes(ws: Workspace, entity_id: str) -> list[tuple[str, str]]:
    """(mention id, passage quote) for every live mention of ``entity_id`` on a live
    passage: what splitting an alias out reads to decide which mentions follow it."""
    with ws.sqlite_errors():
        return ws.conn.execute(
            """SELECT m.id, a.exact FROM mentions m
               JOIN annotations a ON a.id = m.annotation_id AND a.deleted_at IS NULL
               WHERE m.entity_id = ? AND m.deleted_at IS NULL ORDER BY a.seq, m.id""",
            [entity_id],
        ).fetchall()
