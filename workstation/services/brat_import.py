"""Importing a brat collection: a folder of ``.txt``/``.ann`` pairs (subfolders too, as brat
shows them), or one ``.ann`` file with its ``.txt`` beside it.

Each ``.txt`` is matched to a document here by the hash of its normalised text (any version
of it), or imported as a new document through the ordinary import path; ``document_id``
points one ``.ann`` file at one document instead. ``services.brat_records`` finds each
file's document, ``services.brat_lines`` and ``brat_links`` decide what each line becomes;
this module walks the collection, reads every file bounded and keeps the report.

Nothing in the collection is trusted (docs/architecture.md, "Trust boundaries"): every file
is ``stat``-ed and read up to a limit; a link leading out of the collection is not read; a
link to a folder already read (a loop) is not read twice; an ``.ann`` that is not UTF-8, a
``.txt`` missing, a line that does not parse or whose text is not at its offsets — each is
one line of the report (and exit status 1 on the command line), and the rest is imported.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.domain.counts import count_noun
from workstation.domain.records import Document
from workstation.interchange.errors import InterchangeError
from workstation.services.annotation_files import file_kind
from workstation.services.annotation_report import AnnotationImportReport
from workstation.services.import_chunks import ImportCancelled
from workstation.services.outcome import ServiceError

if TYPE_CHECKING:
    from workstation.services.session import Session

_OPEN_FLAGS = os.O_RDONLY | sum(getattr(os, f, 0) for f in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC"))
_READ_CHUNK = 1 << 20


class FileError(InterchangeError):
    """One line (or a whole file) of the collection that was not imported, and where."""

    def __init__(self, file: Path, line: int | None, message: str):
        super().__init__(line, message)
        self.file = file

    def __str__(self) -> str:
        return f"{self.file}: {super().__str__()}"


@dataclass
class BratImportReport(AnnotationImportReport):
    """What a brat import did. Per line kind (T, #, N, A, R, E, *): ``read`` lines, and of
    them ``imported``, ``already`` present, ``as_notes`` (kept as a note on a passage) and
    ``refused`` (each an error line) — the four always add up to ``read``."""

    files: int = 0
    documents_matched: int = 0
    documents_added: int = 0
    read: Counter[str] = field(default_factory=Counter)
    imported: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)
    as_notes: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    relations_added: int = 0
    events_added: int = 0
    episode: str = ""  # the episode events went into
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        passages = count_noun(self.placed - self.mentions, "passage")
        spans = count_noun(self.mentions, "mention-only span")
        parts = [
            f"{count_noun(self.files, '.ann file')}: "
            f"{count_noun(self.documents_matched, 'document')} matched, "
            f"{self.documents_added} imported as new",
            f"{passages} and {spans} imported, "
            f"{count_noun(self.present['T'], 'span')} already present",
            f"{count_noun(self.links, 'entity link')}"
            + (f" ({self.entities_added} entities added)" if self.entities_added else ""),
        ]
        if self.relations_added:
            parts.append(count_noun(self.relations_added, "relation"))
        if self.events_added:
            parts.append(f"{count_noun(self.events_added, 'event')} in «{self.episode}»")
        kept = sum(self.as_notes.values())
        if kept:
            parts.append(f"{count_noun(kept, 'line')} kept as notes")
        refused = sum(self.refused.values())
        parts.append(f"{count_noun(refused, 'line')} not imported")
        summary = "; ".join(parts)
        if self.cancelled:
            summary += " (cancelled: what was imported before stays)"
        return f"{self.path.name}: {summary}"

    def error_lines(self) -> list[str]:
        return [str(error) if isinstance(error, FileError) else f"{self.path}: {error}"
                for error in self.errors]  # fmt: skip

    def note_lines(self) -> list[str]:
        return [*self.notes, *super().note_lines()]

    def line_counts(self, kind: str) -> tuple[int, int, int, int, int]:
        """(read, imported, already present, kept as notes, refused) lines of one kind."""
        return (
            self.read[kind],
            self.imported[kind],
            self.present[kind],
            self.as_notes[kind],
            self.refused[kind],
        )


def import_brat(
    session: Session,
    path: Path | str,
    *,
    document_id: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> BratImportReport:
    """Import a brat collection (a folder) or one ``.ann`` file; see the module docstring.

    ``progress(lines_done)`` is called after each stored chunk; raising ``ImportCancelled``
    from it stops the import there (what was stored stays, the report says so). Raises
    ServiceError (one line) when ``path`` is neither, or ``document_id`` names no document
    or is given with a folder of several ``.ann`` files."""
    from workstation.services.brat_records import BratContext, import_one_file

    path = Path(path)
    report = BratImportReport(path, format="brat")
    report.progress = progress
    root, files = _collection(path, report)
    if document_id is not None:
        if len(files) != 1:
            raise ServiceError(
                f"{path}: a document id points one .ann file at one document; "
                f"this holds {len(files)}"
            )
        if session.workspace.records.get(Document, document_id) is None:
            raise ServiceError(f"no document with id {document_id}")
    context = BratContext(session, report, root)
    try:
        for ann in files:
            report.files += 1
            import_one_file(context, ann, document_id)
    except ImportCancelled:
        report.cancelled = True
    report.entities_updated = context.entities.updated
    report.held += [str(held) for held in context.entities.held]
    return report


def _collection(path: Path, report: BratImportReport) -> tuple[Path, list[Path]]:
    """The collection's root and its ``.ann`` files (sorted, subfolders walked)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise ServiceError(f"{path}: {_os_reason(exc, path)}") from None
    if stat.S_ISREG(info.st_mode):
        if path.suffix.lower() != ".ann":
            raise ServiceError(f"{path}: not a brat .ann file nor a folder of them")
        return path.parent, [path]
    if not stat.S_ISDIR(info.st_mode):
        raise ServiceError(f"{path}: not a file nor a folder ({file_kind(info.st_mode)})")
    files: list[Path] = []
    real_root = path.resolve()
    seen = {(info.st_dev, info.st_ino)}
    stack = [path]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError as exc:
            report.errors.append(FileError(folder, None, f"folder not read ({_os_reason(exc)})"))
            continue
        for entry in listed:
            child = folder / entry.name
            if entry.is_symlink() and not inside(child, real_root):
                if child.suffix.lower() == ".ann" or _is_dir(entry):
                    report.errors.append(
                        FileError(child, None, "a link to outside the collection; not read")
                    )
                continue
            if _is_dir(entry):
                key = _identity(child)
                if key is None or key in seen:
                    report.notes.append(f"{child}: a folder already read (a link); not read again")
                    continue
                seen.add(key)
                stack.append(child)
            elif child.suffix.lower() == ".ann":
                files.append(child)
    if not files:
        raise ServiceError(f"{path}: no brat .ann files in this folder")
    return path, sorted(files)


def inside(path: Path, real_root: Path) -> bool:
    """Whether ``path``, links followed, lies inside the collection."""
    try:
        return path.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):  # a link loop
        return False


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def read_bounded(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most ``limit``; ValueError (one phrase) otherwise.

    Stat first (a FIFO would block the open, /dev/zero never ends), open without blocking,
    check the same regular file is open, read in chunks up to the limit."""
    try:
        info = path.stat()
    except OSError as exc:
        raise ValueError(_os_reason(exc, path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise ValueError(f"not a regular file ({file_kind(info.st_mode)})")
    if info.st_size > limit:
        raise ValueError(f"{info.st_size:,} bytes, more than the {limit:,} a brat file may have")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise ValueError(_os_reason(exc, path)) from None
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise ValueError("replaced while being opened; not read")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, min(_READ_CHUNK, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise ValueError(f"it grew past the {limit:,} a brat file may have, in bytes")
    except OSError as exc:
        raise ValueError(_os_reason(exc, path)) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def decode_utf8(data: bytes, *, keep_bom: bool) -> str:
    """brat's files are UTF-8; a ``.txt``'s byte-order mark counts in its offsets (brat
    decodes with ``utf-8``, which keeps it), an ``.ann``'s is dropped. ValueError if not
    UTF-8 or binary."""
    if b"\x00" in data[:8192]:
        raise ValueError("a binary file, not brat text")
    try:
        return data.decode("utf-8" if keep_bom else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (undecodable byte at {exc.start})") from None


def _os_reason(exc: OSError, path: Path | None = None) -> str:
    if isinstance(exc, FileNotFoundError):
        dangling = path is not None and path.is_symlink()
        return "no such file" + (" (a link to nothing)" if dangling else "")
    return f"cannot read it ({exc.strerror or exc})"
