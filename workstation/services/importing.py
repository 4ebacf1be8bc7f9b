"""Importing files: read each into a draft, store them in chunks of whole documents.

A chunk is one transaction, so an interrupted import leaves whole documents or none of a
chunk, and importing again resumes: documents already present are recognised by hash.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.domain.records import ChangeSet, Document
from workstation.importers import SUPPORTED_SUFFIXES, ImportRejected, read_document
from workstation.services.documents import document_from_draft
from workstation.services.versions import carry_passages, earlier_version
from workstation.storage import WorkspaceError, queries

if TYPE_CHECKING:
    from workstation.services.session import Session

CHUNK_DOCUMENTS = 100


@dataclass(frozen=True)
class ImportResult:
    path: Path
    status: str  # "imported" | "new version" | "duplicate" | "failed" | "cancelled"
    message: str
    document_id: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, folders replaced by the supported files inside them (sorted)."""
    expanded: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            expanded += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        else:
            expanded.append(path)
    return expanded


def parse_file(path: Path) -> Document | ImportResult:
    """Read one file into a document ready to store, or a failed result. Pure: no workspace,
    so the GUI runs it in a worker thread while the single connection stays on its own."""
    try:
        return document_from_draft(read_document(path))
    except ImportRejected as exc:
        return ImportResult(path, "failed", str(exc))
    except ValueError as exc:  # ServiceError: e.g. nothing left after normalising
        return ImportResult(path, "failed", str(exc))


def store_documents(
    session: Session, parsed: list[tuple[Path, Document]]
) -> tuple[list[ImportResult], ChangeSet]:
    """Store a chunk of parsed documents in one transaction; duplicates by hash are skipped."""
    results: list[ImportResult] = []
    with session.workspace.transaction() as chunk:
        for path, record in parsed:
            existing = queries.document_id_by_sha(session.workspace, record.sha256)
            if existing:
                results.append(
                    ImportResult(
                        path, "duplicate", f"already in the workspace as {existing}", existing
                    )
                )
                continue
            earlier = earlier_version(session.workspace, record)
            if earlier is not None:
                record = dataclasses.replace(record, supersedes=earlier.id)
            saved = session.workspace.records.insert(record)
            if earlier is None:
                results.append(ImportResult(path, "imported", saved.title, saved.id))
                continue
            carried = carry_passages(session.workspace, earlier, saved)
            results.append(ImportResult(path, "new version", carried.describe(), saved.id))
    return results, chunk


def import_files(
    session: Session,
    paths: Iterable[Path | str],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[list[ImportResult], ChangeSet]:
    """Import files and folders: one result per file, in the order given."""
    batch = _BatchImport(session, expand_paths(paths))
    try:
        batch.run(progress, cancelled)
    except WorkspaceError as exc:
        # Chunks stored so far stay (whole documents); say so file by file, then stop.
        batch.fail_the_rest(f"not imported: {exc.detail}")
    return batch.ordered_results(), batch.changes


class _BatchImport:
    def __init__(self, session: Session, files: list[Path]):
        self.session = session
        self.files = files
        self.results: list[ImportResult] = []
        self.changes = ChangeSet()
        self.pending: list[tuple[Path, Document]] = []
        self.seen: dict[str, Path] = {}

    def run(self, progress, cancelled) -> None:
        for index, path in enumerate(self.files):
            if cancelled is not None and cancelled():
                self.flush()
                self.results += [
                    ImportResult(p, "cancelled", "import cancelled") for p in self.files[index:]
                ]
                return
            self.add(path, parse_file(path))
            if progress is not None:
                progress(index + 1, len(self.files))
        self.flush()

    def add(self, path: Path, parsed: Document | ImportResult) -> None:
        if isinstance(parsed, ImportResult):
            self.results.append(parsed)
        elif parsed.sha256 in self.seen:
            twin = self.seen[parsed.sha256]
            self.results.append(ImportResult(path, "duplicate", f"same text as {twin.name}"))
        else:
            self.seen[parsed.sha256] = path
            self.pending.append((path, parsed))
            if len(self.pending) >= CHUNK_DOCUMENTS:
                self.flush()

    def flush(self) -> None:
        if self.pending:
            stored, chunk = store_documents(self.session, self.pending)
            self.results.extend(stored)
            self.changes.extend(chunk)
            self.pending.clear()

    def fail_the_rest(self, message: str) -> None:
        done = {r.path for r in self.results}
        self.results += [ImportResult(p, "failed", message) for p in self.files if p not in done]

    def ordered_results(self) -> list[ImportResult]:
        order = {path: i for i, path in enumerate(self.files)}
        return sorted(self.results, key=lambda r: order.get(r.path, len(order)))
