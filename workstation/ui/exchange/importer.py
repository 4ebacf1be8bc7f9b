"""Importing files from the GUI, as one Operation (``ui.common.operations``).

Reading (trafilatura, pypdf, python-docx) and storing both run on the operation's worker
thread, through its own connection (``services.importing.run_import``): chunks of parsed
documents, each in one transaction recorded in the import journal, so a cut-short import can
be resumed. Each chunk is announced to the views as it lands; the whole import becomes one
undo step at the end; Cancel stops after the chunk in hand and keeps what is stored. Failures
are listed in one message at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from workstation.domain.records import ChangeSet
from workstation.services.import_paths import walk_paths
from workstation.services.importing import ImportResult, skipped_results
from workstation.services.rows import ImportRun
from workstation.ui.common.operations import Operation, OperationContext
from workstation.ui.common.widgets import count_noun
from workstation.ui.common.workers import describe_error
from workstation.ui.shell.workbench import Workbench


@dataclass
class _Imported:
    results: list[ImportResult]
    stored: ChangeSet = field(default_factory=ChangeSet)  # pushed by the controller, named
    cancelled: bool = False


class ImportController(QObject):
    finished = Signal(object)  # list[ImportResult]

    def __init__(self, workbench: Workbench, parent: QObject | None = None):
        super().__init__(parent)
        self.workbench = workbench
        self._label: str | None = None

    @property
    def running(self) -> bool:
        return self._label is not None

    def start(self, paths: Sequence[str | Path]) -> bool:
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
        if not files:
            self.workbench.prompts.error(None, self.tr("No importable files there."))
            return False
        files_text = count_noun(len(files), self.tr("file"), self.tr("files"))
        label = self.tr("Importing {n}").format(n=files_text)
        reading = self.tr("Importing {n}: {done} read")
        # Folders not read (a link loop): listed in the end-of-import message.
        skipped = list(skipped or ())

        def work(context: OperationContext) -> _Imported:
            def progress(done: int, total: int) -> None:
                if not context.cancelled:  # the import itself stops at the next file
                    context.progress(
                        reading.format(n=len(files), done=done), done - first, total - first
                    )

            results, changes = context.session.importing.run(
                files,
                run_id=run_id,
                start=first,
                progress=progress,
                cancelled=lambda: context.cancelled,
                stored=context.announce,  # each chunk to the views as it lands
            )
            return _Imported(results + skipped, changes, context.cancelled)

        started = self.workbench.operations.run(
            Operation(
                label,
                work,
                on_done=lambda imported: self._done(imported, len(files)),
                on_error=self._failed,
                on_cancelled=lambda: self._done(_Imported([], cancelled=True), len(files)),
            )
        )
        if started:
            self._label = label
        return started

    def cancel(self) -> None:
        if self._label is not None:
            self.workbench.operations.cancel(self._label)

    def wait(self, msecs: int = 30000) -> bool:
        return self.workbench.operations.wait(msecs)

    def _failed(self, exc: BaseException) -> None:
        self._label = None
        self.workbench.prompts.error(None, describe_error(exc))
        self.finished.emit([])

    def _done(self, imported: _Imported, total: int) -> None:
        self._label = None
        results = imported.results
        ok = sum(1 for r in results if r.status in ("imported", "new version"))
        versions = [r for r in results if r.status == "new version"]
        documents = count_noun(ok, self.tr("document"), self.tr("documents"))
        self.workbench.record_step(self.tr("Import {n}").format(n=documents), imported.stored)
        failed = [r for r in results if r.failed]
        summary = self.tr("Imported {ok} of {total}").format(
            ok=ok, total=count_noun(total, self.tr("file"), self.tr("files"))
        )
        if imported.cancelled:
            summary += self.tr(" (cancelled)")
        self.workbench.status.emit(summary)
        # One message at the end: what failed, passages that moved to new versions, and
        # what the importers had to guess or leave out (warnings, one line each).
        warned = [r for r in results if r.warnings]
        lines = [f"{r.path}: {r.message}" for r in failed]
        lines += [f"{r.path.name}: {r.message}" for r in versions]
        lines += [f"{r.path.name}: warning: {w}" for r in warned for w in r.warnings]
        skipped = [r for r in results if r.status == "skipped"]  # link loops
        lines += [f"{r.path}: {r.message}" for r in skipped]
        if failed or versions or warned or skipped:
            message = summary
            if failed:
                message += self.tr("; {n} could not be imported").format(n=len(failed))
            if versions:
                message += self.tr("; {n} already here").format(
                    n=count_noun(
                        len(versions),
                        self.tr("new version of an article"),
                        self.tr("new versions of articles"),
                    )
                )
            if warned:
                message += self.tr("; {n} read with warnings").format(n=len(warned))
            self.workbench.prompts.info(None, message + ".", "\n".join(lines))
        self.finished.emit([r for r in results if r.status != "cancelled"])
