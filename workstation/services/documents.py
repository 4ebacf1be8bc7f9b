"""Documents: adding imported drafts, editing metadata and grades, deleting."""

from __future__ import annotations

from urllib.parse import urlsplit

from workstation.domain.document_details import check_language, check_published
from workstation.domain.grades import check_grade
from workstation.domain.offsets import body_sha256, normalize_body
from workstation.domain.records import Annotation, Document, Record
from workstation.importers.base import DocumentDraft
from workstation.services.base import RecordService
from workstation.services.outcome import Outcome, ServiceError
from workstation.storage import queries
from workstation.storage.queries import DocumentRow

EDITABLE = ("title", "outlet", "url", "published", "language", "reliability", "credibility")
# What the Document details editor sets; saving them confirms every proposed detail.
DETAILS = (
    "title", "outlet", "url", "published", "place", "language", "reliability", "credibility",
    "note",
)  # fmt: skip
# A note on the whole document is free text, but not a book: past this it is refused.
NOTE_MAX_CHARS = 100_000


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
        place=draft.place,
        proposed=list(draft.proposed),
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

    def page(self, *, limit: int, offset: int = 0, sort: str = "oldest") -> list[DocumentRow]:
        """At most ``limit`` live documents from ``offset`` (library lines, no bodies)."""
        return queries.list_documents(self.ws, sort=sort, limit=limit, offset=offset)

    def list_documents(self, *, sort: str = "oldest") -> list[DocumentRow]:
        """Every live document (library lines, no bodies). This once stopped silently at
        200 rows; a caller that wants fewer asks for a page()."""
        return queries.list_documents(self.ws, sort=sort, limit=None)

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

    def check_details(self, document_id: str, **fields: str | None) -> dict[str, str | None]:
        """``fields`` (any of DETAILS) as they would be stored: trimmed, empty as None, the
        published value as ISO 8601, the language as a BCP 47 tag, the grade checked.
        Raises one ServiceError naming every bad field, one line each."""
        unknown = set(fields) - set(DETAILS)
        if unknown:
            raise ServiceError(f"cannot edit {', '.join(sorted(unknown))} of a document")
        current = self.get(document_id)
        cleaned: dict[str, str | None] = {
            name: (value or "").strip() or None for name, value in fields.items()
        }
        problems: list[str] = []
        if "note" in fields:
            # The note keeps its own lines; empty is "" (the column is never NULL).
            note = (fields["note"] or "").strip()
            cleaned["note"] = note
            if len(note) > NOTE_MAX_CHARS:
                problems.append(f"the note is longer than {NOTE_MAX_CHARS} characters")
        if "title" in cleaned and not cleaned["title"]:
            problems.append("a document needs a title")
        if cleaned.get("url"):
            parts = urlsplit(cleaned["url"] or "")
            if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
                problems.append(f"address “{cleaned['url']}” is not an http or https URL")
        for name, check in (("published", check_published), ("language", check_language)):
            if cleaned.get(name):
                try:
                    cleaned[name] = check(cleaned[name])
                except ValueError as exc:
                    problems.append(str(exc))
        if "reliability" in cleaned or "credibility" in cleaned:
            try:
                cleaned["reliability"], cleaned["credibility"] = check_grade(
                    cleaned.get("reliability", current.reliability),
                    cleaned.get("credibility", current.credibility),
                )
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ServiceError("\n".join(problems))
        return cleaned

    def edit_details(self, document_id: str, **fields: str | None) -> Outcome[Document]:
        """Set a document's details (see check_details) in one transaction, one undo step.
        Saving confirms them: no detail is a proposal any longer."""
        cleaned: dict[str, object] = dict(self.check_details(document_id, **fields))
        cleaned["proposed"] = []
        return self._edit(Document, document_id, **cleaned)

    def edit_note(self, document_id: str, note: str) -> Outcome[Document]:
        """Set the note on the whole document (one transaction, one undo step); unlike
        edit_details this confirms no proposed detail."""
        cleaned = self.check_details(document_id, note=note)
        return self._edit(Document, document_id, note=cleaned["note"] or "")

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
