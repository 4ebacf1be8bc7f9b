"""Plain text and Markdown files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workstation.domain.document_details import read_head
from workstation.importers.base import DocumentDraft, Extraction
from workstation.importers.decoding import decode_text


def read_text(path: Path, data: bytes, extraction: Extraction) -> DocumentDraft:
    # Decoding never gives more characters than there are bytes: the file limit holds the
    # text limit too (read_document checks it once more).
    decoded = decode_text(data)
    # A text file says nothing of itself: its headline, dateline and first date are
    # proposals (a day without a year is placed before the day of the import), and so is
    # the file name when there is no headline; the library shows them until confirmed.
    head = read_head(decoded.text, reference=date.today())
    proposed = head.proposed if head.title else ("title", *head.proposed)
    return DocumentDraft(
        title=head.title or path.stem,
        text=decoded.text,
        origin_name=path.name,
        published=head.published,
        place=head.place,
        proposed=proposed,
        encoding=decoded.encoding,
        warnings=decoded.warnings,
    )
