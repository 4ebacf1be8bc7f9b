"""PDF files: the text layer through pypdf, page breaks kept as blank lines."""

from __future__ import annotations

import io
from pathlib import Path

from workstation.importers.base import DocumentDraft, ImportRejected, title_from_text


def read_pdf(path: Path, data: bytes) -> DocumentDraft:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ImportRejected("the PDF is encrypted")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
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


# What PDF producers write when nobody set a title or author (ReportLab: "untitled",
# "anonymous"); not worth showing as a document's title or outlet.
_PLACEHOLDERS = frozenset({"", "untitled", "anonymous", "unknown", "unspecified", "none"})


def _meta_text(value: object) -> str | None:
    text = str(value).strip() if value else ""
    return None if text.casefold() in _PLACEHOLDERS else text
