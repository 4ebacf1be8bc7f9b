"""Importing files: read each into a draft, store them in chunks of whole documents.

A chunk is one transaction, so an interrupted import leaves whole documents or none of a
chunk. Each import is journalled (``import_runs``: its files and how many are done, updated
in each chunk's transaction), so one cut short by a crash, a kill or Cancel is resumed
exactly where it stopped; documents already present are recognised by hash regardless.

One file's failure is that file's failure: whatever goes wrong while reading or storing one
file — a limit, damage, or an exception nobody foresaw (MemoryError, RecursionError, SQLite's
"string or blob too big") — becomes that file's ``failed`` result (one line; the traceback of
an unforeseen one goes to errors.log), and the journal counts the file as settled, so the
other files are imported and ``import --resume`` never stops at it again. Only problems with
the workspace itself (WorkspaceError: busy, full, read-only) stop an import, resumable.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.domain.records import ChangeSet, Document
from workstation.importers import ImportRejected, read_document
from workstation.services import bug_log
from workstation.services.documents import document_from_draft
from workstation.services.import_paths import Expansion, walk_paths
from workstation.services.outcome import ServiceError
from workstation.services.versions import carry_passages, earlier_version
from workstation.storage import WorkspaceError, import_runs, queries
from workstation.storage.import_runs import ImportRun

if TYPE_CHECKING:
    from workstation.services.session import Session

CHUNK_DOCUMENTS = 100


@dataclass(frozen=True)
class ImportResult:
    path: Path
    # "imported" | "new version" | "duplicate" | "failed" | "cancelled" | "skipped" (a folder
    # not read twice: a link loop)
    status: str
    message: str
    document_id: str | None = None
    # What the importer guessed or left out while reading the file (an overruled charset,
    # stray bytes, an e-mail's plain part that differs): shown under the file's line.
    # Warnings never make a file fail.
    warnings: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass(frozen=True)
class ParsedFile:
    """A file read into a document ready to store, with the importer's warnings."""

    document: Document
    warnings: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        return self.document.sha256


def _unpack(parsed: Document | ParsedFile) -> tuple[Document, tuple[str, ...]]:
    if isinstance(parsed, ParsedFile):
        return parsed.document, parsed.warnings
    return parsed, ()


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, folders replaced by the supported files inside them (sorted)."""
    return walk_paths(paths).files


def skipped_results(expansion: Expansion) -> list[ImportResult]:
    """One result per folder the walk did not read (import_paths.Skipped)."""
    return [
        ImportResult(s.path, "failed" if s.failed else "skipped", s.reason)
        for s in expansion.skipped
    ]


def parse_file(
    path: Path, *, progress: Callable[[int, int], None] | None = None
) -> ParsedFile | ImportResult:
    """Read one file into a document ready to store, or a failed result — whatever goes
    wrong. Pure: no workspace, so the GUI runs it in a worker thread while the single
    connection stays on its own. ``progress(done, total)`` hears about long reads (pages)."""
    try:
        draft = read_document(path, progress=progress)
        return ParsedFile(document_from_draft(draft), tuple(draft.warnings))
    except (ImportRejected, ServiceError) as exc:  # ServiceError: nothing left after normalising
        return ImportResult(path, "failed", str(exc))
    except Exception as exc:  # a reader's bug, MemoryError, RecursionError: this file only
        return unexpected_failure(path, exc, "reading")


def unexpected_failure(
    path: Path, exc: BaseException, doing: str, warnings: tuple[str, ...] = ()
) -> ImportResult:
    """The failed result for an exception nobody foresaw, its traceback in errors.log."""
    log = bug_log.record(exc, f"import {path}: {doing}")
    if isinstance(exc, MemoryError):
        what = f"ran out of memory while {doing} it"
    elif isinstance(exc, RecursionError):
        what = f"nested too deeply (RecursionError while {doing} it)"
    else:
        detail = " ".join(str(exc).split())[:300]
        name = type(exc).__name__
        what = f"unexpected error while {doing} it ({name}{': ' if detail else ''}{detail})"
    return ImportResult(
        path, "failed", what + (f"; details in {log}" if log else ""), None, warnings
    )


def store_documents(
    session: Session,
    parsed: Sequence[tuple[Path, Document | ParsedFile]],
    *,
    journal: tuple[str, int] | None = None,
) -> tuple[list[ImportResult], ChangeSet]:
    """Store a chunk of parsed documents in one transaction; duplicates by hash are skipped.
    Each result carries the warnings its file was read with.

    ``journal`` = (import run id, files done once this chunk is in): recorded in the same
    transaction, so the journal never claims a file whose document did not commit.
    """
    results: list[ImportResult] = []
    with session.workspace.transaction() as chunk:
        if journal is not None:
            import_runs.advance(session.workspace, *journal)
        for path, item in parsed:
            record, warnings = _unpack(item)
            existing = queries.document_id_by_sha(session.workspace, record.sha256)
            if existing:
                message = f"already in the workspace as {existing}"
                results.append(ImportResult(path, "duplicate", message, existing, warnings))
                continue
            earlier = earlier_version(session.workspace, record)
            if earlier is not None:
                record = dataclasses.replace(record, supersedes=earlier.id)
            saved = session.workspace.records.insert(record)
            if earlier is None:
                results.append(ImportResult(path, "imported", saved.title, saved.id, warnings))
                continue
            carried = carry_passages(session.workspace, earlier, saved)
            results.append(
                ImportResult(path, "new version", carried.describe(), saved.id, warnings)
            )
    return results, chunk


def store_chunk(
    session: Session,
    parsed: Sequence[tuple[Path, Document | ParsedFile]],
    *,
    journal: tuple[str, int] | None = None,
) -> tuple[list[ImportResult], ChangeSet]:
    """``store_documents``, except that a document that cannot be stored fails alone: when
    the chunk's transaction fails for anything but the workspace itself, each document is
    stored in a transaction of its own and the one that fails again is reported failed.
    WorkspaceError (busy, full, read-only) still stops the import."""
    try:
        return store_documents(session, parsed, journal=journal)
    except WorkspaceError:
        raise
    except Exception as exc:
        if len(parsed) == 1:
            path, item = parsed[0]
            results = [unexpected_failure(path, exc, "storing", _unpack(item)[1])]
            changes = ChangeSet()
        else:
            results, changes = _store_one_by_one(session, parsed)
    if journal is not None:  # every file of the chunk is settled, stored or failed
        with session.workspace.transaction():
            import_runs.advance(session.workspace, *journal)
    return results, changes


def _store_one_by_one(
    session: Session, parsed: Sequence[tuple[Path, Document | ParsedFile]]
) -> tuple[list[ImportResult], ChangeSet]:
    results: list[ImportResult] = []
    changes = ChangeSet()
    for path, item in parsed:
        try:
            stored, chunk = store_documents(session, [(path, item)])
        except WorkspaceError:
            raise
        except Exception as exc:
            results.append(unexpected_failure(path, exc, "storing", _unpack(item)[1]))
            continue
        results.extend(stored)
        changes.extend(chunk)
    return results, changes


def begin_import(session: Session, files: list[Path]) -> str:
    """Journal a new import of ``files`` (in order); returns its run id."""
    return import_runs.start(session.workspace, [str(f) for f in files])


def end_import(session: Session, run_id: str, *, done: int, cancelled: bool = False) -> None:
    import_runs.finish(session.workspace, run_id, "cancelled" if cancelled else "done", done)


def unfinished_imports(session: Session) -> list[ImportRun]:
    """Imports cut short (crash, kill, cancel), newest first, with the files still to do."""
    return import_runs.unfinished(session.workspace)


def import_files(
    session: Session,
    paths: Iterable[Path | str],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    pages: Callable[[Path, int, int], None] | None = None,
) -> tuple[list[ImportResult], ChangeSet]:
    """Import files and folders: one result per file, in the order given, then one per
    folder that was not read (a link loop, an unreadable folder). ``progress(done, total)``
    after each file; ``pages(path, done, total)`` during a long read."""
    expansion = walk_paths(paths)
    files = expansion.files
    if not files:
        return skipped_results(expansion), ChangeSet()
    results, changes = _run(
        session, files, begin_import(session, files), 0, progress, cancelled, pages
    )
    return results + skipped_results(expansion), changes


def resume_import(
    session: Session,
    run: ImportRun,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    pages: Callable[[Path, int, int], None] | None = None,
) -> tuple[list[ImportResult], ChangeSet]:
    """Import the files an interrupted import did not get to (same journal entry)."""
    files = [Path(f) for f in run.files]
    return _run(session, files, run.id, run.done, progress, cancelled, pages)


def run_import(
    session: Session,
    files: list[Path],
    *,
    run_id: str | None = None,
    start: int = 0,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    stored: Callable[[ChangeSet], None] | None = None,
) -> tuple[list[ImportResult], ChangeSet]:
    """Import ``files`` (already listed, in order) from ``start``: under the journal entry
    ``run_id``, or a new one. One result per file; stored chunks stay when cancelled.
    ``stored(changes)`` after each chunk commits."""
    if run_id is None:
        run_id = begin_import(session, files)
    return _run(session, files, run_id, start, progress, cancelled, stored=stored)


def _run(
    session: Session,
    files: list[Path],
    run_id: str,
    start: int,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
    pages: Callable[[Path, int, int], None] | None = None,
    stored: Callable[[ChangeSet], None] | None = None,
) -> tuple[list[ImportResult], ChangeSet]:
    batch = _BatchImport(session, files, run_id, start)
    batch.stored = stored
    try:
        batch.run(progress, cancelled, pages)
    except WorkspaceError as exc:
        # Chunks stored so far stay (whole documents); say so file by file, then stop. The
        # journal keeps the run open, so it can be resumed once the problem is fixed.
        batch.fail_the_rest(f"not imported: {exc.detail}")
        return batch.ordered_results(), batch.changes
    except Exception:
        # Not one file's failure (those are results) but ours: the run is closed as stopped
        # where it got to, never left "running", and can be resumed from there.
        with contextlib.suppress(Exception):
            end_import(session, run_id, done=batch.handled, cancelled=True)
        raise
    end_import(session, run_id, done=batch.handled, cancelled=batch.cancelled)
    return batch.ordered_results(), batch.changes


class _BatchImport:
    def __init__(self, session: Session, files: list[Path], run_id: str, start: int = 0):
        self.session = session
        self.files = files
        self.run_id = run_id
        self.start = start
        self.handled = start  # files whose outcome is committed (or needs no commit)
        self.cancelled = False
        self.results: list[ImportResult] = []
        self.changes = ChangeSet()
        self.pending: list[tuple[Path, ParsedFile]] = []
        self.seen: dict[str, Path] = {}
        self.stored: Callable[[ChangeSet], None] | None = None  # told of each chunk

    def run(
        self,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
        pages: Callable[[Path, int, int], None] | None = None,
    ) -> None:
        for index in range(self.start, len(self.files)):
            path = self.files[index]
            if cancelled is not None and cancelled():
                self.flush(index)
                self.cancelled = True
                self.results += [
                    ImportResult(p, "cancelled", "import cancelled") for p in self.files[index:]
                ]
                return
            hear = None if pages is None else functools.partial(pages, path)
            self.add(path, parse_file(path, progress=hear), index + 1)
            if progress is not None:
                progress(index + 1, len(self.files))
        self.flush(len(self.files))

    def add(self, path: Path, parsed: ParsedFile | ImportResult, done: int) -> None:
        if isinstance(parsed, ImportResult):
            self.results.append(parsed)
        elif parsed.sha256 in self.seen:
            twin = self.seen[parsed.sha256]
            message = f"same text as {twin.name}"
            self.results.append(ImportResult(path, "duplicate", message, None, parsed.warnings))
        else:
            self.seen[parsed.sha256] = path
            self.pending.append((path, parsed))
            if len(self.pending) >= CHUNK_DOCUMENTS:
                self.flush(done)

    def flush(self, done: int) -> None:
        """Store what is pending; ``done`` files (in order) are then settled."""
        if self.pending:
            stored, chunk = store_chunk(self.session, self.pending, journal=(self.run_id, done))
            self.results.extend(stored)
            self.changes.extend(chunk)
            self.pending.clear()
            if self.stored is not None and chunk:
                self.stored(chunk)
        self.handled = done

    def fail_the_rest(self, message: str) -> None:
        done = {r.path for r in self.results}
        self.results += [ImportResult(p, "failed", message) for p in self.files if p not in done]

    def ordered_results(self) -> list[ImportResult]:
        order = {path: i for i, path in enumerate(self.files)}
        return sorted(self.results, key=lambda r: order.get(r.path, len(order)))
