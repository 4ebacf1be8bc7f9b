"""Importing files from the GUI: parse in a worker thread, store in chunks on the GUI thread.

Parsing (trafilatura, pypdf, python-docx) is the slow part and needs no workspace, so it
runs in a QThread; each chunk of parsed documents is stored on the GUI thread in one short
transaction, so the single connection is never used by two threads. The whole import is one
undo step; failures are listed in one message at the end.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QWidget

from workstation.services.import_paths import walk_paths
from workstation.services.importing import (
    ImportResult,
    begin_import,
    end_import,
    parse_file,
    skipped_results,
    store_chunk,
)
from workstation.storage import WorkspaceError
from workstation.storage.import_runs import ImportRun
from workstation.ui.workbench import Workbench
from workstation.ui.workers import TaskProgress

CHUNK = 25  # documents per store: keeps each GUI-thread transaction well under 100 ms


class _ParseThread(QThread):
    parsed = Signal(object)  # list of (path, Document | ImportResult)
    progressed = Signal(int, int)

    def __init__(self, files: list[Path], parent: QObject | None = None):
        super().__init__(parent)
        self._files = files
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        batch = []
        for index, path in enumerate(self._files):
            if self._stop.is_set():
                break
            batch.append((path, parse_file(path)))
            if len(batch) >= CHUNK:
                self.parsed.emit(batch)
                batch = []
            self.progressed.emit(index + 1, len(self._files))
        if batch:
            self.parsed.emit(batch)


class ImportProgress(TaskProgress):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("import", "", parent)


class ImportController(QObject):
    finished = Signal(object)  # list[ImportResult]

    def __init__(
        self, workbench: Workbench, progress: ImportProgress, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.workbench = workbench
        self.progress = progress
        self.progress.cancel_button.clicked.connect(self.cancel)
        self._thread: _ParseThread | None = None
        self._results: list[ImportResult] = []
        self._step = None
        self._seen: set[str] = set()
        self._files: list[Path] = []
        self._cancelled = False
        self._run_id: str | None = None
        self._handled = 0  # files (in order) whose outcome is settled

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, paths: list[str | Path]) -> bool:
        expansion = walk_paths(paths)
        return self._begin(expansion.files, None, 0, skipped_results(expansion))

    def resume(self, run: ImportRun) -> bool:
        """Finish an import that was cut short, from the first file it had not settled."""
        return self._begin([Path(f) for f in run.files], run.id, run.done)

    def _begin(
        self,
        files: list[Path],
        run_id: str | None,
        first: int,
        skipped: list[ImportResult] | None = None,
    ) -> bool:
        if self.running:
            self.workbench.prompts.error(None, self.tr("An import is already running."))
            return False
        self._files = files
        if not self._files:
            self.workbench.prompts.error(None, self.tr("No importable files there."))
            return False
        try:
            self._run_id = run_id or begin_import(self.workbench.session, files)
        except WorkspaceError as exc:
            self.workbench.prompts.error(None, str(exc))
            return False
        self._handled = first
        # Folders not read (a link loop): listed in the end-of-import message.
        self._results, self._seen = list(skipped or ()), set()
        self._step = self.workbench.begin_step(
            self.tr("Import {n} files").format(n=len(self._files))
        )
        self._cancelled = False
        self._thread = _ParseThread(self._files[first:], self)
        self._thread.parsed.connect(self._store)
        self._thread.progressed.connect(self._progressed)
        self._thread.finished.connect(self._done)
        self.progress.label.setText(self.tr("Importing {n} files").format(n=len(self._files)))
        self.progress.bar.setRange(0, len(self._files) - first)
        self.progress.bar.setValue(0)
        self.progress.show()
        self._thread.start()
        return True

    def cancel(self) -> None:
        if self._thread is not None:
            self._cancelled = True
            self._thread.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        return self._thread.wait(msecs) if self._thread is not None else True

    def _progressed(self, done: int, total: int) -> None:
        self.progress.bar.setValue(done)

    def _store(self, batch: list) -> None:
        self._handled += len(batch)
        ready = []
        for path, parsed in batch:
            if isinstance(parsed, ImportResult):
                self._results.append(parsed)
            elif parsed.sha256 in self._seen:
                self._results.append(ImportResult(path, "duplicate", "same text as another file"))
            else:
                self._seen.add(parsed.sha256)
                ready.append((path, parsed))
        if not ready:
            return
        try:
            # A document that cannot be stored fails alone (store_chunk); only a problem with
            # the workspace itself raises here.
            stored, changes = store_chunk(
                self.workbench.session, ready, journal=(self._run_id, self._handled)
            )
        except Exception as exc:  # WorkspaceError and the like: stop, keep what is stored
            self._results += [ImportResult(p, "failed", str(exc)) for p, _ in ready]
            self.cancel()
            return
        self._results.extend(stored)
        self.workbench.extend_step(self._step, changes)

    def _done(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.deleteLater()
        self.progress.hide()
        # If this fails the journal stays open: the import can be resumed once it is writable.
        with contextlib.suppress(WorkspaceError):
            end_import(
                self.workbench.session, self._run_id, done=self._handled, cancelled=self._cancelled
            )
        imported = sum(1 for r in self._results if r.status in ("imported", "new version"))
        versions = [r for r in self._results if r.status == "new version"]
        self._step.setText(self.tr("Import {n} documents").format(n=imported))
        if not self._step.changes:
            self._step.setObsolete(True)  # nothing to undo: dropped at the next undo/redo
        failed = [r for r in self._results if r.failed]
        summary = self.tr("Imported {ok} of {total} files").format(
            ok=imported, total=len(self._files)
        )
        if self._cancelled:
            summary += self.tr(" (cancelled)")
        self.workbench.status.emit(summary)
        # One message at the end: what failed, passages that moved to new versions, and
        # what the importers had to guess or leave out (warnings, one line each).
        warned = [r for r in self._results if r.warnings]
        lines = [f"{r.path}: {r.message}" for r in failed]
        lines += [f"{r.path.name}: {r.message}" for r in versions]
        lines += [f"{r.path.name}: warning: {w}" for r in warned for w in r.warnings]
        skipped = [r for r in self._results if r.status == "skipped"]  # link loops
        lines += [f"{r.path}: {r.message}" for r in skipped]
        if failed or versions or warned or skipped:
            message = summary
            if failed:
                message += self.tr("; {n} could not be imported").format(n=len(failed))
            if versions:
                message += self.tr("; {n} new versions of articles already here").format(
                    n=len(versions)
                )
            if warned:
                message += self.tr("; {n} read with warnings").format(n=len(warned))
            self.workbench.prompts.info(None, message + ".", "\n".join(lines))
        self.finished.emit(list(self._results))
