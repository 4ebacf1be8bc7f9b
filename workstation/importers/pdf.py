"""PDF files: the text layer through pypdf, page breaks kept as blank lines."""

from __future__ import annotations

import io
from pathlib import Path

from workstation.importers.base import DocumentDraft, ImportRejected, title_from_text


def read_pdf(path: Path, data: bytes) -> DocumentDraft:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ImportRejected("the PDF is encrypted")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        meta = reader.metadata
    except ImportRejected:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
    ) as exc:
        raise ImportRejected(f"not a readable PDF ({type(exc).__name__})") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise ImportRejected("the PDF has no text layer (scanned? run OCR first)")
    title = (meta.title if meta and meta.title else "") or title_from_text(text, path.stem)
    return DocumentDraft(
        title=title.strip(),
        text=text,
        origin_name=path.name,
        outlet=(meta.author if meta and meta.author else None),
    )
