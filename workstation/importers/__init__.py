"""One module per input format, each turning a file's bytes into a DocumentDraft."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workstation.importers.base import MAX_FILE_BYTES, DocumentDraft, ImportRejected
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
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ImportRejected(
            f"unsupported file type {path.suffix or '(none)'} "
            f"(supported: {' '.join(SUPPORTED_SUFFIXES)})"
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportRejected(
                f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
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
    return draft


__all__ = ["SUPPORTED_SUFFIXES", "DocumentDraft", "ImportRejected", "read_document"]
