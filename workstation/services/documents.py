"""Documents: adding imported drafts, editing metadata and grades, deleting."""

from __future__ import annotations

from workstation.domain.grades import check_grade
from workstation.domain.offsets import body_sha256, normalize_body
from workstation.domain.records import Annotation, Document, Record
from workstation.importers.base import DocumentDraft
from workstation.services.base import RecordService
from workstation.services.outcome import Outcome, ServiceError
from workstation.storage import queries

EDITABLE = ("title", "outlet", "url", "published", "language", "reliability", "credibility")


class DuplicateDocument(ServiceError):
    def __init__(self, existing_id: str):
        self.existing_id = existing_id
        super().__init__(f"same text as document {existing_id}; not imported again")


def document_from_draft(draft: DocumentDraft) -> Document:
    """The record an imported draft becomes: body normalised once, hashed (pure)."""
    body = normalize_body(draft.text)
    if not body:
        raise ServiceError("no text to import")
    return Document(
        title=(draft.title or "").strip() or "Untitled",
        body=body,
        sha256=body_sha256(body),
        outlet=draft.outlet,
        url=draft.url,
        published=draft.published,
        language=draft.language,
        origin_name=draft.origin_name,
    )


class DocumentService(RecordService):
    def draft_to_record(self, draft: DocumentDraft) -> Document:
        return document_from_draft(draft)

    def add(self, draft: DocumentDraft, **grade: str | None) -> Outcome[Document]:
        """Store an imported draft; raises DuplicateDocument if the same text is present."""
        record = self.draft_to_record(draft)
        if grade:
            rel, cred = check_grade(grade.get("reliability"), grade.get("credibility"))
            record.reliability, record.credibility = rel, cred
        with self.ws.transaction() as changes:
            existing = queries.document_id_by_sha(self.ws, record.sha256)
            if existing:
                raise DuplicateDocument(existing)
            saved = self.ws.records.insert(record)
        return Outcome(saved, changes)

    def existing_id(self, sha256: str) -> str | None:
        return queries.document_id_by_sha(self.ws, sha256)

    def get(self, document_id: str) -> Document:
        return self._require(Document, document_id)

    def list(self, *, sort: str = "oldest", limit: int = 200, offset: int = 0):
        return queries.list_documents(self.ws, sort=sort, limit=limit, offset=offset)

    def count(self) -> int:
        return self.ws.records.count(Document)

    def edit(self, document_id: str, **fields: str | None) -> Outcome[Document]:
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise ServiceError(f"cannot edit {', '.join(sorted(unknown))} of a document")
        if "reliability" in fields or "credibility" in fields:
            current = self.get(document_id)
            rel, cred = check_grade(
                fields.get("reliability", current.reliability),
                fields.get("credibility", current.credibility),
            )
            fields["reliability"], fields["credibility"] = rel, cred
        if "title" in fields and not (fields["title"] or "").strip():
            raise ServiceError("a document needs a title")
        return self._edit(Document, document_id, **fields)

    def delete(self, document_id: str) -> Outcome[Document]:
        return self._delete(Document, document_id)

    def restore(self, document_id: str) -> Outcome[Document]:
        gone = self._require(Document, document_id, include_deleted=True)
        existing = queries.document_id_by_sha(self.ws, gone.sha256)
        if existing and existing != document_id:
            raise DuplicateDocument(existing)
        return self._restore(Document, document_id)

    def _delete_dependents(self, record: Record) -> None:
        annotations = self.session.annotations
        for annotation_id in queries.live_children(
            self.ws, "annotations", "document_id", record.id
        ):
            annotation = self.ws.records.get(Annotation, annotation_id)
            if annotation is not None:
                annotations._delete_dependents(annotation)
                self.ws.records.tombstone(annotation)
