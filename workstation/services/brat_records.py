"""A brat import's shared state (``BratContext``) and each ``.ann`` file's document: the
``.txt`` beside it matched by text hash or imported as a new document, or the document the
caller named. What the lines become is ``services.brat_lines``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.domain.dates import utc_now_iso
from workstation.domain.offsets import body_sha256
from workstation.domain.records import Document, Episode
from workstation.interchange import brat_read as br
from workstation.services import bug_log
from workstation.services.annotation_report import short
from workstation.services.brat_import import FileError, decode_utf8, inside, read_bounded
from workstation.services.brat_lines import BratFile
from workstation.services.entity_index import EntityIndex
from workstation.services.import_chunks import ImportCancelled, Provenance
from workstation.storage import WorkspaceError, versions

if TYPE_CHECKING:
    from workstation.services.brat_import import BratImportReport
    from workstation.services.session import Session

MAX_ANN_BYTES = 8 * 1024 * 1024  # brat itself slows to a stop long before this (its files: KBs)
MAX_CONF_BYTES = 1024 * 1024


class BratContext:
    """What the files of one import share: the report, the entity index, the codebook."""

    def __init__(self, session: Session, report: BratImportReport, root: Path):
        self.session = session
        self.ws = session.workspace
        self.report = report
        self.root = root
        self.real_root = root.resolve()
        self.now = utc_now_iso()
        self.entities = EntityIndex(session, imported_at=self.now)
        self.categories = {br.type_key(c.name): c for c in session.codebook.list_categories()}
        self._labels: dict[Path, dict[str, str]] = {}
        self._episode: str | None = None
        self.done = 0

    def rolled_back(self) -> None:
        """Forget what a rolled-back chunk may have made (entities, the episode)."""
        updated = self.entities.updated
        self.entities = EntityIndex(self.session, imported_at=self.now)
        self.entities.updated = updated
        self._episode = None

    def imported(self) -> Provenance:
        return {"imported_by": self.ws.author, "imported_at": self.now}

    def labels(self, folder: Path) -> dict[str, str]:
        """``visual.conf`` labels for a folder: its own file, else the nearest above it in the
        collection (as brat looks them up)."""
        if folder not in self._labels:
            conf = folder / "visual.conf"
            found: dict[str, str] | None = None
            if conf.exists() and inside(conf, self.real_root):
                try:
                    found = br.visual_labels(
                        decode_utf8(read_bounded(conf, MAX_CONF_BYTES), keep_bom=False)
                    )
                except ValueError as exc:
                    self.report.errors.append(FileError(conf, None, f"{exc}; labels not read"))
            if found is None:
                above = folder.parent
                found = self.labels(above) if folder != self.root and above != folder else {}
            self._labels[folder] = found
        return self._labels[folder]

    def episode(self) -> str:
        """The episode imported events go into: the newest, or one made for them."""
        if self._episode is None:
            episodes = self.session.episodes.list_episodes()
            if episodes:
                newest = max(episodes, key=lambda e: e.created_at)
            else:
                title = f"Imported from brat {self.root.resolve().name}"
                newest = self.ws.records.insert(Episode(title=title, **self.imported()))
            self._episode, self.report.episode = newest.id, newest.title
        return self._episode


def import_one_file(context: BratContext, ann_path: Path, document_id: str | None) -> None:
    """Import one ``.ann`` file; whatever goes wrong is this file's line in the report."""
    report = context.report
    try:
        ann = br.parse_ann(decode_utf8(read_bounded(ann_path, MAX_ANN_BYTES), keep_bom=False))
    except ValueError as exc:
        report.errors.append(FileError(ann_path, None, f"{exc}; not imported"))
        return
    first_error = len(report.errors)
    report.read.update(ann.read)
    report.refused.update(ann.unreadable)
    report.errors += [FileError(ann_path, e.line, e.message) for e in ann.errors]
    readable = ann.read - ann.unreadable
    lines: BratFile | None = None
    try:
        document, offsets, raw = _document(context, ann_path, document_id)
        lines = BratFile(context, ann_path, ann, document, offsets, raw)
        lines.run()
    except _FileRefused as exc:
        report.errors.append(FileError(ann_path, None, f"{exc}; its lines not imported"))
        report.refused.update(readable)
    except (WorkspaceError, ImportCancelled):
        raise
    except Exception as exc:  # a bug or MemoryError: this file only; the chunk rolled back
        log = bug_log.record(exc, f"brat import {ann_path}")
        detail = f"unexpected error ({type(exc).__name__}: {short(str(exc), 200)})"
        detail += f"; details in {log}" if log else ""
        report.errors.append(FileError(ann_path, None, f"{detail}; its other lines not imported"))
        report.refused.update(readable - (lines.settled if lines is not None else Counter()))
        context.rolled_back()
    # The file's lines in the order of the file, whatever order they were handled in.
    report.errors[first_error:] = sorted(report.errors[first_error:], key=lambda e: e.line or 0)


class _FileRefused(Exception):
    pass


def _document(
    context: BratContext, ann: Path, document_id: str | None
) -> tuple[Document, br.BodyOffsets, str]:
    from workstation.importers.limits import MAX_FILE_BYTES
    from workstation.services.importing import ImportResult, parse_file, store_documents

    ws, report = context.ws, context.report
    txt = ann.with_suffix(".txt")
    raw: str | None = None
    if txt.is_symlink() and not inside(txt, context.real_root):
        raise _FileRefused(f"{txt.name} is a link to outside the collection")
    try:
        raw = decode_utf8(read_bounded(txt, MAX_FILE_BYTES), keep_bom=True)
    except ValueError as exc:
        if document_id is None or txt.exists() or txt.is_symlink():
            raise _FileRefused(f"{txt.name}: {exc}") from None
    if document_id is not None:
        document = ws.records.get(Document, document_id)
        if document is None:
            raise _FileRefused(f"no document with id {document_id}")
        raw = document.body if raw is None else raw
        return document, br.BodyOffsets(raw), raw
    assert raw is not None
    offsets = br.BodyOffsets(raw)
    if not offsets.body:
        raise _FileRefused(f"{txt.name} holds no text")
    found = versions.document_id_by_sha_any(ws, body_sha256(offsets.body))
    if found is not None:
        report.documents_matched += 1
    else:
        parsed = parse_file(txt)
        if isinstance(parsed, ImportResult):
            raise _FileRefused(f"{txt.name}: {parsed.message}")
        with ws.transaction() as changes:
            (result,), _ = store_documents(context.session, [(txt, parsed)])
        report.changes.extend(changes)
        found = result.document_id
        report.documents_added += int(result.status != "duplicate")
        report.documents_matched += int(result.status == "duplicate")
        if result.status == "new version":
            report.notes.append(
                f"{txt}: imported as a new version of an article ({result.message})"
            )
    document = ws.records.get(Document, found or "")
    if document is None:
        raise _FileRefused(f"{txt.name}: its document could not be read back")
    if document.body != offsets.body:  # changed between our read and the import's
        raise _FileRefused(f"{txt.name} changed while it was being imported")
    return document, offsets, raw
