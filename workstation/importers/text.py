"""Plain text and Markdown files."""

from __future__ import annotations

from pathlib import Path

from workstation.importers.base import DocumentDraft, decode_text, title_from_text


def read_text(path: Path, data: bytes) -> DocumentDraft:
    text, encoding = decode_text(data)
    return DocumentDraft(
        title=title_from_text(text, path.stem),
        text=text,
        origin_name=path.name,
        encoding=encoding,
    )
