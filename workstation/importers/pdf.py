"""PDF files: the text layer through pypdf, page breaks kept as blank lines.

A PDF's size says nothing about its pages: one small content stream can be shared by 5,000
page objects. So the page count is checked first (limits.py), then each page's text is counted
as it comes out, and the time budget is checked between pages and at every operator pypdf
interprets (Form XObjects included), so a page that would run for minutes stops too.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.importers.base import DocumentDraft, Extraction, ImportRejected, title_from_text
from workstation.importers.limits import MAX_PDF_PAGES

if TYPE_CHECKING:
    from pypdf import PageObject


def read_pdf(path: Path, data: bytes, extraction: Extraction) -> DocumentDraft:
    from pypdf import PdfReader

    _quiet_pypdf()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ImportRejected("the PDF is encrypted")
        count = len(reader.pages)
        if count > MAX_PDF_PAGES:
            raise ImportRejected(
                f"the PDF has {count:,} pages, over the {MAX_PDF_PAGES:,}-page limit"
            )
        pages = []
        for number in range(1, count + 1):
            where = f"page {number:,} of {count:,}"
            extraction.check_time(where)
            text = _page_text(reader.pages[number - 1], extraction, where)
            extraction.add_text(len(text) + 2, where)  # with the blank line that joins pages
            pages.append(text)
            extraction.progress(number, count)
        meta = reader.metadata  # resolving its entries can still hit a damaged object
        meta_title = _meta_text(meta.title) if meta else None
        meta_author = _meta_text(meta.author) if meta else None
    except ImportRejected:
        raise
    except Exception as exc:  # pypdf on damaged input: PdfReadError, but also KeyError,
        # NotImplementedError (unknown /Filter), RecursionError, zlib and struct errors...
        raise ImportRejected(f"not a readable PDF ({type(exc).__name__})") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise ImportRejected("the PDF has no text layer (scanned? run OCR first)")
    return DocumentDraft(
        title=meta_title or title_from_text(text, path.stem),
        text=text,
        origin_name=path.name,
        outlet=meta_author,
    )


def _quiet_pypdf() -> None:
    """pypdf logs what it repairs or skips in a damaged file ("EOF marker not found") as
    warnings, which would print under the import's one line per file: the reader says what
    matters in its own words instead."""
    logger = logging.getLogger("pypdf")
    if logger.propagate:
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def _page_text(page: PageObject, extraction: Extraction, where: str) -> str:
    """One page's text, stopped as soon as the time or the text limit is passed: pypdf
    calls back at every operator and every piece of text it finds."""
    found = 0

    def in_time(*_operation: object) -> None:
        extraction.check_time(where)

    def counted(text: str, *_state: object) -> None:
        nonlocal found
        found += len(text)
        if extraction.chars + found > extraction.max_chars:
            extraction.add_text(found, where)  # raises, naming the limit

    text = page.extract_text(visitor_operand_before=in_time, visitor_text=counted) or ""
    return text.strip()


# What PDF producers write when nobody set a title or author (ReportLab: "untitled",
# "anonymous"); not worth showing as a document's title or outlet.
_PLACEHOLDERS = frozenset({"", "untitled", "anonymous", "unknown", "unspecified", "none"})


def _meta_text(value: object) -> str | None:
    text = str(value).strip() if value else ""
    return None if text.casefold() in _PLACEHOLDERS else text
