"""One module per input format, each turning a file's bytes into a DocumentDraft."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workstation.importers.base import (
    MAX_FILE_BYTES,
    DocumentDraft,
    ImportRejected,
    tidy_title,
)
from workstation.importers.mail import read_eml
from workstation.importers.pdf import read_pdf
from workstation.importers.text import read_text
from workstation.importers.webpage import read_html
from workstation.importers.word import read_docx

READERS: dict[str, Callable[[Path, bytes], DocumentDraft]] = {
    ".txt": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".eml": read_eml,
}
SUPPORTED_SUFFIXES = tuple(READERS)


def read_document(path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> DocumentDraft:
    """Read one file into a draft, or raise ImportRejected with the reason."""
    path = Path(path)
    if path.is_dir():
        raise ImportRejected("is a folder, not a file")
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ImportRejected(
            f"unsupported file type {path.suffix or '(none)'} "
            f"(supported: {' '.join(SUPPORTED_SUFFIXES)})"
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:  # grew since stat()
            raise _too_large(len(data), max_bytes)
    except ImportRejected:
        raise
    except IsADirectoryError as exc:
        raise ImportRejected("is a folder, not a file") from exc
    except FileNotFoundError as exc:
        raise ImportRejected("no such file") from exc
    except PermissionError as exc:
        raise ImportRejected("permission denied") from exc
    except OSError as exc:
        raise ImportRejected(f"cannot read the file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise ImportRejected("the file is empty")
    draft = reader(path, data)
    if not draft.text.strip():
        raise ImportRejected("no text in the file")
    draft.title = tidy_title(draft.title, path.stem)
    return draft


def _too_large(size: int, max_bytes: int) -> ImportRejected:
    more = "more than " if size == max_bytes + 1 else ""
    return ImportRejected(
        f"the file is {more}{_describe_size(size)}, over the {_describe_size(max_bytes)} limit"
    )


def _describe_size(size: int) -> str:
    """20971520 -> '20 MB', 21000000 -> '20.0 MB', 1536 -> '1.5 KB', 1000 -> '1000 bytes'."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size // scale} {unit}" if size % scale == 0 else f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


__all__ = ["SUPPORTED_SUFFIXES", "DocumentDraft", "ImportRejected", "read_document"]
