"""Importing files from the GUI: parse in a worker thread, store in chunks on the GUI thread.

Parsing (trafilatura, pypdf, python-docx) is the slow part and needs no workspace, so it
runs in a QThread; each chunk of parsed documents is stored on the GUI thread in one short
transaction, so the single connection is never used by two threads. The whole import is one
undo step; failures are listed in one message at the end.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QWidget

from workstation.services.importing import (
    ImportResult,
    expand_paths,
    parse_file,
    store_documents,
)
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

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, paths: list[str | Path]) -> bool:
        if self.running:
            self.workbench.prompts.error(None, self.tr("An import is already running."))
            return False
        self._files = expand_paths(paths)
        if not self._files:
            self.workbench.prompts.error(None, self.tr("No importable files there."))
            return False
        self._results, self._seen = [], set()
        self._step = self.workbench.begin_step(
            self.tr("Import {n} files").format(n=len(self._files))
        )
        self._cancelled = False
        self._thread = _ParseThread(self._files, self)
        self._thread.parsed.connect(self._store)
        self._thread.progressed.connect(self._progressed)
        self._thread.finished.connect(self._done)
        self.progress.label.setText(self.tr("Importing {n} files").format(n=len(self._files)))
        self.progress.bar.setRange(0, len(self._files))
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
            stored, changes = store_documents(self.workbench.session, ready)
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
        if versions:
            # Passages moved between versions: the officer should know, and where any wait.
            self.workbench.prompts.info(
                None,
                self.tr("{n} of the files are new versions of articles already here.").format(
                    n=len(versions)
                ),
                "\n".join(f"{r.path.name}: {r.message}" for r in versions),
            )
        if failed:
            details = "\n".join(f"{r.path}: {r.message}" for r in failed)
            self.workbench.prompts.info(
                None,
                self.tr("{summary}; {n} could not be imported.").format(
                    summary=summary, n=len(failed)
                ),
                details,
            )
        self.finished.emit(list(self._results))
