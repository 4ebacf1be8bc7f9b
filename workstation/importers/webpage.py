"""Saved web pages: main text and metadata via trafilatura, entirely offline."""

from __future__ import annotations

from pathlib import Path

from workstation.importers.base import DocumentDraft, ImportRejected, decode_text


def read_html(path: Path, data: bytes) -> DocumentDraft:
    import trafilatura  # heavy (lxml, language data): imported only when a page is imported

    markup, encoding = decode_text(data)
    extracted = trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
    )
    if extracted is None:
        raise ImportRejected("no article text found in the page")
    text = getattr(extracted, "text", None) or ""
    if not text.strip():
        raise ImportRejected("no article text found in the page")
    return DocumentDraft(
        title=(getattr(extracted, "title", None) or path.stem).strip(),
        text=text,
        origin_name=path.name,
        outlet=getattr(extracted, "sitename", None) or getattr(extracted, "hostname", None),
        url=getattr(extracted, "url", None),
        published=getattr(extracted, "date", None),
        language=getattr(extracted, "language", None),
        encoding=encoding,
    )
