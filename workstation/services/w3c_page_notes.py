"""W3C page notes (a target naming the page, no selector) become notes on the document
(issue 17).

A page note's text is appended to its document's note as "Note from NAME, TIME: text", the
way a reply is appended to the note of the passage it answers; its id is kept as a
``ForeignId`` naming the document, so a re-import appends nothing twice. A reply to a page
note is appended to the same document note. When the page's document is not here, the page
note stays an orphan with its reason (nothing is dropped).

Our own export writes a document's note as one page note with a ``urn:uuid:`` id: imported
into a document whose note is empty, it restores the note as it was rather than quoting it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workstation.domain.records import Document
from workstation.services.w3c_terms import known_foreign, reply_text

if TYPE_CHECKING:
    from workstation.interchange.w3c_parse import W3CAnnotation
    from workstation.services.w3c_import import W3CImport


def add_page_note(importer: W3CImport, item: W3CAnnotation) -> None:
    """Append ``item`` (a page note) to its document's note, or keep it as an orphan."""
    foreign_id = item.foreign_id
    if foreign_id and known_foreign(importer.session, foreign_id) is not None:
        importer.report.already += 1
        return
    document = importer._document(item)
    if document is None:
        reason = f"page note; {importer._no_document(item)}"
        importer._orphan(item, None, reason, foreign_id)
        return
    text = _text(importer, item, label="Note")
    plain = "\n".join(item.notes)
    if item.raw_id is None and item.id is not None and plain:  # our own export's shape
        current = _current(importer, document)
        if not current.note or plain in current.note:
            text = plain  # our own document note coming home: restored, not quoted
    if _append(importer, document, text):
        importer.report.page_notes += 1
    else:
        importer.report.already += 1
    importer._remember(foreign_id, "documents", document.id)


def add_reply_to_document(
    importer: W3CImport, item: W3CAnnotation, document_id: str, foreign_id: str | None
) -> None:
    """A reply to a page note: appended to the note of the document the page note joined."""
    document = importer.ws.records.get(Document, document_id)
    if document is None:
        reason = f"replies to page note {item.answers}, whose document is deleted here"
        importer._orphan(item, None, reason, foreign_id)
        return
    if _append(importer, document, _text(importer, item)):
        importer.report.replies += 1
    else:
        importer.report.already += 1
    importer._remember(foreign_id, "documents", document.id)


def _text(importer: W3CImport, item: W3CAnnotation, *, label: str = "") -> str:
    terms = importer.terms.resolve(item, create=True)
    kept = [tag for tag in item.tags if " ".join(tag.split()) not in importer.terms.dropped]
    return reply_text(item, kept, terms.link_lines, label=label)


def _append(importer: W3CImport, document: Document, text: str) -> bool:
    """Append ``text`` to the document's note unless the note holds it already (the same
    page note from a file without ids, or both targets of one annotation on this text)."""
    current = _current(importer, document)
    if text in current.note:
        return False
    note = f"{current.note}\n\n{text}" if current.note else text
    importer.ws.records.update(current, note=note)
    return True


def _current(importer: W3CImport, document: Document) -> Document:
    # Read afresh: the importer's kept copies of documents may predate an earlier append.
    return importer.ws.records.get(Document, document.id) or document
