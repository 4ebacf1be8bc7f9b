"""One module per input format, each turning a file's bytes into a DocumentDraft."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Callable
from pathlib import Path

from workstation.importers.base import (
    MAX_FILE_BYTES,
    DocumentDraft,
    Extraction,
    ImportRejected,
    describe_size,
    safe_name,
    safe_text,
    tidy_title,
)
from workstation.importers.mail import read_eml
from workstation.importers.pdf import read_pdf
from workstation.importers.text import read_text
from workstation.importers.webpage import read_html
from workstation.importers.word import read_docx

# reader(path, data, extraction): the draft, or ImportRejected. ``extraction`` counts the text
# (and time) as the reader produces it and stops it at the limits (limits.py).
READERS: dict[str, Callable[[Path, bytes, Extraction], DocumentDraft]] = {
    ".txt": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".eml": read_eml,
}
SUPPORTED_SUFFIXES = tuple(READERS)

_SPECIAL_FILES = (
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def read_document(
    path: Path | str,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> DocumentDraft:
    """Read one file into a draft, or raise ImportRejected with the reason.

    What is not a regular file (a FIFO, a socket, a device, a folder — also behind a symbolic
    link) is refused by ``stat`` before anything opens it: opening a FIFO waits for a writer
    forever, and /dev/zero never ends. At most ``max_bytes`` + 1 bytes are ever read.
    ``progress(done, total)`` hears about long reads (the pages of a PDF).
    """
    path = Path(path)
    info: os.stat_result | None = None
    stat_error: OSError | None = None
    try:
        info = path.stat()  # follows symbolic links: a link to a FIFO is a FIFO
    except OSError as exc:
        stat_error = exc
    else:
        _refuse_special(info.st_mode)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ImportRejected(
            f"unsupported file type {safe_name(path.suffix) or '(none)'} "
            f"(supported: {' '.join(SUPPORTED_SUFFIXES)})"
        )
    try:
        if stat_error is not None:
            raise stat_error
        assert info is not None
        if info.st_size > max_bytes:
            raise _too_large(info.st_size, max_bytes)
        with path.open("rb") as handle:
            # Replaced by something else since stat()? Refused before reading.
            _refuse_special(os.fstat(handle.fileno()).st_mode)
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
    extraction = Extraction(progress=progress)
    draft = reader(path, data, extraction)
    if not draft.text.strip():
        raise ImportRejected("no text in the file")
    # Readers that cannot expand their input much (text, pages, e-mail) are held to the same
    # limit here, once.
    extraction.add_text(len(draft.text) - extraction.chars, "the end of the file")
    return _storable(draft, path)


def _refuse_special(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ImportRejected("is a folder, not a file")
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "unknown kind")
    raise ImportRejected(f"not a regular file ({kind})")


def _storable(draft: DocumentDraft, path: Path) -> DocumentDraft:
    """The draft with a one-line title and no text that a UTF-8 store refuses: a file name
    that is not UTF-8 keeps its undecodable bytes as ``\\xff`` (base.safe_name), a lone
    surrogate anywhere else becomes U+FFFD."""

    def clean(value: str | None) -> str | None:
        return None if value is None else safe_text(value)

    stem = safe_name(path.stem)
    title = stem if draft.title == path.stem else clean(draft.title)
    return dataclasses.replace(
        draft,
        title=tidy_title(title, stem),
        text=safe_text(draft.text),
        origin_name=safe_name(draft.origin_name),
        outlet=clean(draft.outlet),
        url=clean(draft.url),
        published=clean(draft.published),
        language=clean(draft.language),
        place=clean(draft.place),
        warnings=tuple(safe_text(w) for w in draft.warnings),
    )


def _too_large(size: int, max_bytes: int) -> ImportRejected:
    more = "more than " if size == max_bytes + 1 else ""
    return ImportRejected(
        f"the file is {more}{describe_size(size)}, over the {describe_size(max_bytes)} limit"
    )


__all__ = ["SUPPORTED_SUFFIXES", "DocumentDraft", "ImportRejected", "read_document"]
