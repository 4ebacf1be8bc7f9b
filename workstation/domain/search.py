"""What a search is narrowed by, and where its next page starts. Plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing applied in SQL to a full-text search.

    Passages are kept when their category is ``category_id``, they link ``entity_id`` and
    their document matches ``outlet`` and the published range. Documents are kept when they
    match ``outlet`` and the range and, if a category or entity is given, hold a passage that
    satisfies both. Entities are listed only when no filter is set (they have no document).
    Dates are ISO ``YYYY-MM-DD``, both ends inclusive; a document without a published date
    falls outside any range.
    """

    category_id: str | None = None
    entity_id: str | None = None
    outlet: str | None = None
    published_from: str | None = None
    published_to: str | None = None

    def __post_init__(self) -> None:
        for value in (self.published_from, self.published_to):
            if value is not None:
                date.fromisoformat(value)  # raises ValueError on anything but YYYY-MM-DD

    @property
    def active(self) -> bool:
        return any(
            (
                self.category_id,
                self.entity_id,
                self.outlet,
                self.published_from,
                self.published_to,
            )
        )

    @property
    def narrows_passages(self) -> bool:
        """True when documents must hold a passage that passes the passage filters."""
        return bool(self.category_id or self.entity_id)


@dataclass(frozen=True)
class SearchCursor:
    """How many hits of each kind earlier pages took; a page starts here.

    Kinds are interleaved within a page, so one number cannot say where each list resumes.
    """

    entities: int = 0
    documents: int = 0
    passages: int = 0
