"""Saved web pages: main text and metadata via trafilatura, entirely offline."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from workstation.importers.base import DocumentDraft, ImportRejected, decode_text

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def _decode_page(data: bytes) -> tuple[str, str]:
    """A page's own ``<meta charset>`` wins over guessing (koi8-r pages exist)."""
    declared = _META_CHARSET.search(data[:4096])
    if declared and b"\x00" not in data[:8192]:  # binary is decode_text's to refuse
        try:
            name = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            name = None
        if name and name not in ("utf-8", "utf-16", "utf-32"):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                pass  # the declaration lies; fall back to the content's own evidence
    return decode_text(data)


def read_html(path: Path, data: bytes) -> DocumentDraft:
    import trafilatura  # heavy (lxml, language data): imported only when a page is imported

    markup, encoding = _decode_page(data)
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
