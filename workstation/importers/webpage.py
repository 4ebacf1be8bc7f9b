"""Saved web pages: main text and metadata via trafilatura, entirely offline.

Only what a reader of the page sees is imported: hidden parts are removed from the parsed
tree before trafilatura looks for the article, its title or its metadata (visible_html.py).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from workstation.importers.base import DocumentDraft, Extraction, ImportRejected
from workstation.importers.decoding import decode_text
from workstation.importers.visible_html import drop_hidden

# Browsers look for the declaration in the first bytes, before parsing; so does this.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (``<meta charset>`` or the http-equiv
    Content-Type), as written; None when it declares none that can apply."""
    if b"\x00" in data[:8192]:  # UTF-16/32 or binary: not an ASCII-compatible declaration
        return None
    declared = _META_CHARSET.search(data[:4096])
    if declared is None:
        return None
    name = declared.group(1).decode("ascii")
    try:
        if codecs.lookup(name).name.startswith(("utf-16", "utf-32")):
            # Read in ASCII, so it cannot be true (the HTML standard then takes UTF-8).
            return None
    except LookupError:
        pass  # an unknown name: decode_text says so
    return name


def read_html(path: Path, data: bytes, extraction: Extraction) -> DocumentDraft:
    # The text of a page is never longer than its markup: read_document's check of the
    # result is enough for the text limit.
    import trafilatura  # heavy (lxml, language data): imported only when a page is imported
    from trafilatura.utils import load_html

    decoded = decode_text(data, declared_charset(data))
    tree = load_html(decoded.text)
    if tree is None:
        raise ImportRejected("no article text found in the page")
    drop_hidden(tree)
    extracted = trafilatura.bare_extraction(
        tree,
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
        encoding=decoded.encoding,
        warnings=decoded.warnings,
    )
