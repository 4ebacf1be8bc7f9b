"""Passages: marking a range of a document, tagging, noting, releasability."""

from __future__ import annotations

from workstation.domain.offsets import OffsetError, make_selector
from workstation.domain.records import Annotation, Category, Document, Evidence, Mention, Record
from workstation.services.base import RecordService
from workstation.services.outcome import Outcome, ServiceError
from workstation.storage import queries


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
    ) -> Outcome[Annotation]:
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

    def get(self, annotation_id: str) -> Annotation:
        return self._require(Annotation, annotation_id)

    def edit(self, annotation_id: str, **fields) -> Outcome[Annotation]:
        allowed = {"category_id", "note", "releasable"}
        if set(fields) - allowed:
            raise ServiceError(
                f"cannot edit {', '.join(sorted(set(fields) - allowed))} "
                "(offsets never change; delete and mark again)"
            )
        if fields.get("category_id") is not None:
            self._require(Category, fields["category_id"])
        return self._edit(Annotation, annotation_id, **fields)

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

    def _delete_dependents(self, record: Record) -> None:
        for table, cls in (("mentions", Mention), ("evidence", Evidence)):
            for child_id in queries.live_children(self.ws, table, "annotation_id", record.id):
                child = self.ws.records.get(cls, child_id)
                if child is not None:
                    self.ws.records.tombstone(child)
