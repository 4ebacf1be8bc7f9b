"""The review queue of passages and imported annotations that could not be placed.

Two kinds wait here: passages left on an earlier version of an article because the newer
text did not hold them, and imported annotations that fit no document in the workspace.
The officer places each on a selection of text, or keeps it where it is; nothing is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.domain.anchoring import place_quote
from workstation.domain.dates import utc_now_iso
from workstation.domain.offsets import OffsetError, make_selector
from workstation.domain.records import Annotation, Document, Orphan
from workstation.services.base import RecordService
from workstation.services.outcome import Outcome, ServiceError
from workstation.storage import versions
from workstation.storage.versions import OrphanRow


@dataclass(frozen=True)
class Proposal:
    """Where the quote might now sit: shown to the officer, placed only on their word."""

    document_id: str
    start: int
    end: int
    method: str


class OrphanService(RecordService):
    def open(self) -> list[OrphanRow]:
        return versions.open_orphans(self.ws)

    def count(self) -> int:
        return len(self.open())

    def target_document(self, row: OrphanRow) -> str | None:
        """The document an orphan belongs in now: the newest version of the one it names."""
        if row.document_id is None:
            return None
        return versions.latest_version_id(self.ws, row.document_id)

    def propose(self, row: OrphanRow) -> Proposal | None:
        """A placement in the newest version, found by quote and context, if there is one."""
        target = self.target_document(row)
        if target is None:
            return None
        document = self._require(Document, target)
        prefix, suffix = self._context(row)
        placement = place_quote(document.body, row.exact, prefix, suffix)
        if placement is None:
            return None
        return Proposal(target, placement.start, placement.end, placement.method)

    def place(self, row: OrphanRow, document_id: str, start: int, end: int) -> Outcome[Annotation]:
        """Put the orphan on ``document_id[start:end]`` (the officer's selection)."""
        document = self._require(Document, document_id)
        try:
            selector = make_selector(document.body, start, end)
        except OffsetError as exc:
            raise ServiceError(str(exc)) from exc
        with self.ws.transaction() as changes:
            if row.kind == "passage":
                passage = self._require(Annotation, row.id)
                placed = self.ws.records.update(
                    passage,
                    document_id=document_id,
                    **selector.fields(),
                    orphan=False,
                )
            else:
                from workstation.services.annotation_import import annotation_from_orphan

                orphan = self._require(Orphan, row.id)
                placed = annotation_from_orphan(self.session, orphan, document, selector)
                self.ws.records.update(orphan, resolved_at=utc_now_iso())
        return Outcome(placed, changes)

    def keep(self, row: OrphanRow) -> Outcome[Annotation | Orphan]:
        """Leave it where it is and take it off the queue (a passage stays on its version;
        an imported annotation stays on record, resolved)."""
        kept: Annotation | Orphan
        with self.ws.transaction() as changes:
            if row.kind == "passage":
                kept = self.ws.records.update(self._require(Annotation, row.id), orphan=False)
            else:
                kept = self.ws.records.update(
                    self._require(Orphan, row.id), resolved_at=utc_now_iso()
                )
        return Outcome(kept, changes)

    def _context(self, row: OrphanRow) -> tuple[str, str]:
        record: Annotation | Orphan
        if row.kind == "passage":
            record = self._require(Annotation, row.id)
        else:
            record = self._require(Orphan, row.id)
        return record.prefix, record.suffix
