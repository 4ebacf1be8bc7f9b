"""Importing files: read each into a draft, store them in chunks of whole documents.

A chunk is one transaction, so an interrupted import leaves whole documents or none of a
chunk, and importing again resumes: documents already present are recognised by hash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.domain.records import ChangeSet, Document
from workstation.importers import SUPPORTED_SUFFIXES, ImportRejected, read_document
from workstation.services.documents import document_from_draft
from workstation.storage import queries

if TYPE_CHECKING:
    from workstation.services.session import Session

CHUNK_DOCUMENTS = 100


@dataclass(frozen=True)
class ImportResult:
    path: Path
    status: str  # "imported" | "duplicate" | "failed" | "cancelled"
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
            saved = session.workspace.records.insert(record)
            results.append(ImportResult(path, "imported", saved.title, saved.id))
    return results, chunk


def import_files(
    session: Session,
    paths: Iterable[Path | str],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[list[ImportResult], ChangeSet]:
    files = expand_paths(paths)
    results: list[ImportResult] = []
    changes = ChangeSet()
    pending: list[tuple[Path, Document]] = []
    seen_in_batch: dict[str, Path] = {}

    def flush() -> None:
        if pending:
            stored, chunk = store_documents(session, pending)
            results.extend(stored)
            changes.extend(chunk)
            pending.clear()

    for index, path in enumerate(files):
        if cancelled is not None and cancelled():
            flush()
            results += [ImportResult(p, "cancelled", "import cancelled") for p in files[index:]]
            break
        parsed = parse_file(path)
        if isinstance(parsed, ImportResult):
            results.append(parsed)
        else:
            twin = seen_in_batch.get(parsed.sha256)
            if twin is not None:
                results.append(ImportResult(path, "duplicate", f"same text as {twin.name}"))
            else:
                seen_in_batch[parsed.sha256] = path
                pending.append((path, parsed))
                if len(pending) >= CHUNK_DOCUMENTS:
                    flush()
        if progress is not None:
            progress(index + 1, len(files))
    flush()
    order = {path: i for i, path in enumerate(files)}
    results.sort(key=lambda r: order.get(r.path, len(order)))
    return results, changes
