"""Searching a workspace: filtered, paged full-text hits and the choices its filters offer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workstation.domain.records import Category, Entity
from workstation.domain.search import SearchCursor, SearchFilters
from workstation.storage import search as storage
from workstation.storage.search import MARK_END, MARK_START, RANK_LIMIT, SearchHit, SearchPage

if TYPE_CHECKING:
    from workstation.services.session import Session

# A first page fills a results list without scrolling; more come only when asked for.
PAGE_SIZE = 50

__all__ = [
    "MARK_END",
    "MARK_START",
    "PAGE_SIZE",
    "RANK_LIMIT",
    "FilterChoices",
    "SearchCursor",
    "SearchFilters",
    "SearchHit",
    "SearchPage",
    "filter_choices",
    "search_page",
]


@dataclass(frozen=True)
class FilterChoices:
    """What the filter controls list: the codebook, the entity registry, known outlets."""

    categories: list[Category]
    entities: list[Entity]
    outlets: list[str]


def search_page(
    session: Session,
    text: str,
    filters: SearchFilters | None = None,
    cursor: SearchCursor | None = None,
    *,
    limit: int = PAGE_SIZE,
    rank_anyway: bool = False,
) -> SearchPage:
    """One page of hits for ``text``; pass the page's ``next_cursor`` to get the next one.

    Above ``RANK_LIMIT`` matches the newest come first (``page.newest_first``) unless
    ``rank_anyway`` asks for every match to be ranked by relevance (slower)."""
    return storage.search_page(
        session.workspace, text, filters, cursor, limit=limit, rank_anyway=rank_anyway
    )


def filter_choices(session: Session) -> FilterChoices:
    return FilterChoices(
        categories=session.codebook.list_categories(),
        entities=session.entities.list_entities(),
        outlets=storage.outlets(session.workspace),
    )
