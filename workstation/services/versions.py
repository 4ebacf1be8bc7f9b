"""A changed version of an article: link it to the earlier one and carry the passages over.

Each passage is re-anchored from its quote, prefix and suffix (fuzzy where needed). What
cannot be placed stays on the earlier version, flagged ``orphan``, for the officer's review
queue: nothing is dropped, and the earlier version stays in the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workstation.domain.anchoring import Reanchorer
from workstation.domain.offsets import make_selector
from workstation.domain.records import Annotation, Document
from workstation.storage import versions

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace


@dataclass(frozen=True)
class CarriedOver:
    earlier_id: str
    earlier_title: str
    moved: int  # placed exactly (same or shifted position, or found by quote)
    fuzzy: int  # placed by an approximate match: the quote now reads as the new text
    orphaned: int  # left on the earlier version for review

    def describe(self) -> str:
        parts = [f"new version of «{self.earlier_title}»"]
        placed = self.moved + self.fuzzy
        if placed or not self.orphaned:
            parts.append(f"{placed} passage{'s' if placed != 1 else ''} moved")
        if self.fuzzy:
            parts.append(f"{self.fuzzy} of them by approximate match")
        if self.orphaned:
            parts.append(
                f"{self.orphaned} kept on the earlier version for review (not found in the new)"
            )
        return "; ".join(parts)


def earlier_version(ws: Workspace, record: Document) -> Document | None:
    """The live document ``record`` (not yet stored) is a changed version of, if any."""
    earlier_id = versions.previous_version_id(
        ws, url=record.url, title=record.title, outlet=record.outlet
    )
    if earlier_id is None:
        return None
    return ws.records.get(Document, earlier_id)


def carry_passages(ws: Workspace, earlier: Document, newer: Document) -> CarriedOver:
    """Move the earlier version's passages to ``newer`` (call inside a transaction)."""
    placer = Reanchorer(earlier.body, newer.body)
    moved = fuzzy = orphaned = 0
    # Orphans left here by an earlier re-import are tried again: the new text may hold them.
    for passage in ws.records.where(Annotation, {"document_id": earlier.id}):
        placement = placer.place(
            passage.start, passage.end, passage.exact, passage.prefix, passage.suffix
        )
        if placement is None:
            orphaned += 1
            ws.records.update(passage, orphan=True)
            continue
        selector = make_selector(newer.body, placement.start, placement.end)
        ws.records.update(
            passage,
            document_id=newer.id,
            **selector.fields(),
            orphan=False,
        )
        if placement.method == "fuzzy":
            fuzzy += 1
        else:
            moved += 1
    return CarriedOver(earlier.id, earlier.title, moved, fuzzy, orphaned)


def newest_version_id(ws: Workspace, document_id: str) -> str | None:
    """The newest live version of ``document_id``'s article, if it is not this one."""
    newest = versions.latest_version_id(ws, document_id)
    return None if newest == document_id else newest
