"""Plain text and Markdown files."""

from __future__ import annotations

from pathlib import Path

from workstation.importers.base import DocumentDraft, Extraction, title_from_text
from workstation.importers.decoding import decode_text


def read_text(path: Path, data: bytes, extraction: Extraction) -> DocumentDraft:
    # Decoding never gives more characters than there are bytes: the file limit holds the
    # text limit too (read_document checks it once more).
    decoded = decode_text(data)
    return DocumentDraft(
        title=title_from_text(decoded.text, path.stem),
        text=decoded.text,
        origin_name=path.name,
        encoding=decoded.encoding,
        warnings=decoded.warnings,
    )
