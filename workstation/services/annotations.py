"""Passages: marking a range of a document, tagging, noting, releasability."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workstation.domain.changes import ChangeSet
from workstation.domain.offsets import OffsetError, make_selector
from workstation.domain.records import Annotation, Category, Document, Evidence, Mention, Record
from workstation.services.base import RecordService
from workstation.services.outcome import Outcome, ServiceError
from workstation.storage import queries


@dataclass(frozen=True)
class ChangePlace:
    """Where an edit acted: a document, and the passage range in it when there is one."""

    document_id: str
    title: str
    passage_id: str | None = None  # a live passage to select (None: deleted, or none)
    start: int | None = None  # code points of the range to show
    end: int | None = None


class AnnotationService(RecordService):
    def create(
        self,
        document_id: str,
        start: int,
        end: int,
        *,
        category_id: str | None = None,
        note: str = "",
        releasable: bool = True,
        mention_only: bool = False,
    ) -> Outcome[Annotation]:
        """Mark a passage; ``mention_only``: a span that only carries an entity link (an
        accepted suggestion outside any passage), not counted as a passage."""
        document = self._require(Document, document_id)
        try:
            selector = make_selector(document.body, start, end)
        except OffsetError as exc:
            raise ServiceError(str(exc)) from exc
        if category_id is not None:
            self._require(Category, category_id)
        return self._create(
            Annotation(
                document_id=document_id,
                **selector.fields(),
                category_id=category_id,
                note=note,
                releasable=releasable,
                mention_only=mention_only,
            )
        )

    def for_document(self, document_id: str) -> list[Annotation]:
        return list(
            self.ws.records.where(Annotation, {"document_id": document_id}, order_by='start, "end"')
        )

    def find(self, annotation_id: str) -> Annotation | None:
        """The live passage with this id, or None."""
        return self.ws.records.get(Annotation, annotation_id)

    def spans_for_document(self, document_id: str) -> list[tuple[str, int, int, str | None]]:
        """(id, start, end, category_id) of the live passages: what the reader highlights."""
        return queries.annotation_spans(self.ws, document_id)

    def mention_only_ids(self, document_id: str) -> set[str]:
        """The ids of a document's live mention-only spans (among ``spans_for_document``):
        the reader draws them as mentions and skips them walking passage to passage."""
        return queries.mention_only_ids(self.ws, document_id)

    def get(self, annotation_id: str) -> Annotation:
        return self._require(Annotation, annotation_id)

    def edit(self, annotation_id: str, **fields: Any) -> Outcome[Annotation]:
        """Edit category, note or releasability. Giving a mention-only span a category makes
        it a passage (``mention_only`` cleared, in the same step: one undo)."""
        allowed = {"category_id", "note", "releasable"}
        if set(fields) - allowed:
            raise ServiceError(
                f"cannot edit {', '.join(sorted(set(fields) - allowed))} "
                "(offsets never change; delete and mark again)"
            )
        if fields.get("category_id") is not None:
            self._require(Category, fields["category_id"])
            if self._require(Annotation, annotation_id).mention_only:
                fields["mention_only"] = False
        return self._edit(Annotation, annotation_id, **fields)

    def make_passage(
        self, annotation_id: str, category_id: str | None = None
    ) -> Outcome[Annotation]:
        """Make a mention-only span a passage (counted, quoted, exported as one), with this
        category (None: uncategorised), its entity links kept; one undoable step."""
        annotation = self._require(Annotation, annotation_id)
        if not annotation.mention_only:
            raise ServiceError("this is a passage already")
        if category_id is not None:
            self._require(Category, category_id)
        return self._edit(Annotation, annotation_id, category_id=category_id, mention_only=False)

    def delete(self, annotation_id: str) -> Outcome[Annotation]:
        return self._delete(Annotation, annotation_id)

    def delete_many(self, annotation_ids: list[str]) -> Outcome[Annotation]:
        """Delete several passages in one transaction, after a backup (a bulk delete)."""
        from workstation.services.backups import backup_before

        if not annotation_ids:
            raise ServiceError("no passages to delete")
        for annotation_id in annotation_ids:
            self._require(Annotation, annotation_id)
        if len(annotation_ids) > 1:
            backup_before(self.session, "bulk-delete")
        with self.ws.transaction() as changes:
            for annotation_id in annotation_ids:
                last = self._delete(Annotation, annotation_id).record
        return Outcome(last, changes)

    def restore(self, annotation_id: str) -> Outcome[Annotation]:
        return self._restore(Annotation, annotation_id)

    def place_of(self, changes: ChangeSet) -> ChangePlace | None:
        """Where in which document an edit (or its undo or redo) acted: its first passage
        (live or deleted: the range is still text of the document), else the passage of its
        first entity link, else its first document; None when it touches no live document
        (a codebook edit, an entity renamed, an import undone)."""
        for change in changes.of(Annotation):
            place = self._place(change.state)
            if place is not None:
                return place
        for change in changes.of(Mention):
            annotation_id = change.state.get("annotation_id")
            passage = (
                self.ws.records.get(Annotation, annotation_id, include_deleted=True)
                if isinstance(annotation_id, str)
                else None
            )
            place = None
            if passage is not None:
                place = self._place(
                    {
                        "id": passage.id,
                        "document_id": passage.document_id,
                        "start": passage.start,
                        "end": passage.end,
                    }
                )
            if place is not None:
                return place
        for change in changes.of(Document):
            document = self.ws.records.get(Document, change.record_id)
            if document is not None:
                return ChangePlace(document.id, document.title)
        return None

    def _place(self, state: dict[str, Any]) -> ChangePlace | None:
        document_id, passage_id = state.get("document_id"), state.get("id")
        if not isinstance(document_id, str):
            return None
        document = self.ws.records.get(Document, document_id)
        if document is None:
            return None
        start, end = state.get("start"), state.get("end")
        live = isinstance(passage_id, str) and self.find(passage_id) is not None
        return ChangePlace(
            document.id,
            document.title,
            passage_id=passage_id if live else None,
            start=start if isinstance(start, int) else None,
            end=end if isinstance(end, int) else None,
        )

    def _delete_dependents(self, record: Record) -> None:
        for table, cls in (("mentions", Mention), ("evidence", Evidence)):
            for child_id in queries.live_children(self.ws, table, "annotation_id", record.id):
                child = self.ws.records.get(cls, child_id)
                if child is not None:
                    self.ws.records.tombstone(child)
