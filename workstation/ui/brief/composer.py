"""The brief composer: options, what was withheld, a live PDF preview, and export.

Threading: a preview's Brief is composed on the GUI thread (queries on the window's
connection) and rendered by ``PdfRenderer`` (pure ``render_pdf``) on its private thread;
previews are never recorded. An export goes through the window's operation runner in three
steps: composed on a read-only connection of its own and rendered, off the GUI thread (the
officer asked where in between: the file is named after the brief), then delivered — the
PDF and its record together — as one short writing operation. One render runs at a time in
the process (``RENDER_LOCK``: ReportLab keeps global state).

The preview follows the workspace: any edit to what a brief rests on (the workbench's
ChangeSets) or to the options schedules a rebuild, debounced. The previous preview stays
readable meanwhile, with a small "Updating…" label; a render that finishes after a newer
rebuild was asked for is dropped, never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from briefs.compose import compose_brief
from briefs.delivery import ExportResult, finish_export, pdf_path
from briefs.model import Brief, BriefOptions
from workstation.domain.counts import count_noun
from workstation.domain.records import (
    Annotation,
    Category,
    ChangeSet,
    Document,
    Entity,
    Episode,
    Event,
    Evidence,
    Judgment,
    Mention,
)
from workstation.domain.records import Brief as BriefRecord
from workstation.services import Session
from workstation.services.outcome import ServiceError
from workstation.services.output_paths import refuse_workspace_paths
from workstation.ui.brief.form import BriefForm
from workstation.ui.brief.pdf_preview import PdfPreview
from workstation.ui.common.operations import Operation, OperationContext
from workstation.ui.common.widgets import named
from workstation.ui.common.workers import (
    EXPECTED_ERRORS,
    RENDER_LOCK,
    ExportProgress,
    PdfRenderer,
    describe_error,
)
from workstation.ui.shell.prompts import Prompts
from workstation.ui.shell.workbench import Workbench

PREVIEW_DELAY_MS = 500  # after the last change: typing makes one build, not one a key
# What a brief is built from: an edit to any of these can change the preview.
WATCHED = (
    Episode,
    Event,
    Evidence,
    Judgment,
    Annotation,
    Document,
    Entity,
    Mention,
    Category,
    BriefRecord,  # a recorded brief changes "Changes since the previous brief"
)


class _Export:
    """One export on its way: composed, then rendered, then delivered, each an operation."""

    def __init__(self) -> None:
        self.label = ""  # of the step running now (Cancel names it)
        self.delivering = False


class BriefComposer(QWidget):
    previewUpdated = Signal()  # the preview shows a freshly rendered PDF
    previewFailed = Signal(str)
    exportFinished = Signal(str)  # the path written
    exportFailed = Signal(str)
    exportCancelled = Signal()

    def __init__(
        self,
        session: Session,
        prompts: Prompts | None = None,
        status_bar: QStatusBar | None = None,
        parent: QWidget | None = None,
        renderer: PdfRenderer | None = None,
        workbench: Workbench | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("briefComposer")
        self.session = session
        self.prompts = prompts or Prompts()
        self._status_bar = status_bar
        self.renderer = renderer or PdfRenderer(self)
        self.renderer.rendered.connect(self._on_rendered)
        self.renderer.failed.connect(self._on_failed)
        self.preview_brief: Brief | None = None
        self._preview_job: int | None = None
        self._preview_dirty = False
        # Exports run through the window's operation runner; alone, through one of its own.
        self.workbench = (
            workbench if workbench is not None else Workbench(session, self.prompts, self)
        )
        self._export: _Export | None = None
        self._closed = False
        self.builds = 0  # previews shown since the composer opened
        self._stale = False  # the workspace changed while the composer was hidden

        self.form = BriefForm(session)
        self.notices = QPlainTextEdit()
        named(self.notices, "briefNotices", self.tr("Withheld and missing"))
        self.notices.setReadOnly(True)
        self.notices.setMaximumBlockCount(200)
        lines = self.notices.fontMetrics().lineSpacing()
        self.notices.setFixedHeight(lines * 4 + 12)  # a few lines; the preview gets the rest
        self.notices.setPlaceholderText(self.tr("Nothing withheld, nothing missing."))
        self.summary = QLabel()
        named(self.summary, "briefSummary", self.tr("Brief summary"))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem = QLabel()
        named(self.problem, "briefProblem", self.tr("Problem"))
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.hide()
        self.updating = QLabel(self.tr("Updating…"))
        named(self.updating, "briefUpdating", self.tr("Preview updating"))
        self.updating.hide()
        self.export_button = QPushButton(self.tr("E&xport PDF…"))
        named(self.export_button, "briefExport", self.tr("Export PDF"))
        self.export_button.clicked.connect(self.export)

        self.preview = PdfPreview()
        named(self.preview, "briefPreview", self.tr("Brief preview"))
        self.preview.setMinimumHeight(160)
        self.pdf_document = self.preview.pdf_document
        self.pdf_document.setObjectName("briefPreviewDocument")

        self.export_progress = ExportProgress(self.tr("Exporting brief…"))
        self.export_progress.setObjectName("briefExportProgress")
        self.progress_bar = self.export_progress.bar
        self.progress_bar.setObjectName("briefExportBar")
        self.cancel_button = self.export_progress.cancel_button
        self.cancel_button.setObjectName("briefExportCancel")
        self.cancel_button.clicked.connect(self.cancel_export)

        self._build_layout()
        self._timer = QTimer(self)
        self._timer.setObjectName("briefPreviewTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.rebuild_preview)
        self.form.changed.connect(self.schedule_preview)
        if workbench is not None:
            workbench.changed.connect(self._on_workspace_changed)
        self.schedule_preview()

    def _build_layout(self) -> None:
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(8, 6, 8, 4)
        column.addWidget(self.form)
        column.addWidget(QLabel(self.tr("Withheld and missing:")))
        column.addWidget(self.notices)
        column.addWidget(self.problem)
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        actions.addWidget(self.updating)
        actions.addWidget(self.export_button)
        column.addLayout(actions)
        top.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        # The options scroll rather than set a tall minimum: a dock's minimum height adds to
        # the docks stacked beside it, and the main window would grow past the screen.
        scroll = QScrollArea()
        named(scroll, "briefOptionsScroll", self.tr("Brief options"))
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(top)
        scroll.setMinimumHeight(120)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._options_scroll = scroll
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("briefComposerSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(scroll)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        if self._status_bar is not None:
            self._status_bar.addPermanentWidget(self.export_progress)
        else:
            layout.addWidget(self.export_progress)

    # -- composing ---------------------------------------------------------------------------

    def compose(self) -> tuple[Brief, BriefOptions]:
        """The Brief for the current options (GUI thread: it queries the workspace)."""
        options = self.form.options()
        return compose_brief(self.session, self.form.episode_id(), options), options

    def _show_notices(self, brief: Brief) -> None:
        lines = [
            self.tr("Left out because internal: {item}").format(item=w) for w in brief.withheld
        ]
        lines += [self.tr("Missing: {item}").format(item=g) for g in brief.gaps]
        self.notices.setPlainText("\n".join(lines))

    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(bool(message))

    # -- preview -----------------------------------------------------------------------------

    def schedule_preview(self) -> None:
        """Rebuild the preview once the options and the workspace have been still for a
        moment; the current preview stays on screen meanwhile."""
        if self._closed:
            return
        if self._preview_job is not None:
            self._preview_dirty = True  # what is rendering now is already out of date
        self.updating.show()
        self._timer.start()

    def _on_workspace_changed(self, changes: ChangeSet) -> None:
        if not changes.touches(*WATCHED):
            return
        if changes.touches(Episode):  # a new, renamed or deleted episode: the list follows
            self.form.reload_episodes()
        if self.isVisible():
            self.schedule_preview()
        else:  # hidden: no work now, a fresh preview when it is shown again
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.schedule_preview()

    def rebuild_preview(self) -> None:
        if self._closed:
            return
        if self._preview_job is not None:  # one render at a time; redo when it is back
            self._preview_dirty = True
            return
        self._preview_dirty = False
        try:
            brief, _options = self.compose()
        except EXPECTED_ERRORS as exc:
            self._preview_error(describe_error(exc))
            self.updating.hide()
            return
        self._show_notices(brief)
        self.preview_brief = brief
        self._preview_job = self.renderer.submit(brief)

    def _preview_error(self, message: str) -> None:
        self._show_problem(self.tr("Preview not updated: {message}").format(message=message))
        self.previewFailed.emit(message)

    @property
    def preview_pdf(self) -> bytes:
        """The PDF bytes the preview shows."""
        return self.preview.pdf

    def _load_preview(self, pdf: bytes) -> None:
        pages = self.preview.show_pdf(pdf)
        brief = self.preview_brief
        if brief is not None:
            self.summary.setText(
                self.tr("{id} · {dtg} · {pages}").format(
                    id=brief.brief_id,
                    dtg=brief.dtg,
                    pages=count_noun(pages, self.tr("page"), self.tr("pages")),
                )
            )
        self._show_problem("")
        self.builds += 1
        self.updating.setVisible(self._timer.isActive() or self._preview_dirty)
        self.previewUpdated.emit()

    # -- export ------------------------------------------------------------------------------

    def export(self) -> None:
        """Compose off the GUI thread, ask where, render off the GUI thread, then deliver the
        file and its record as one short writing operation."""
        if self._export is not None or self._closed:
            return
        options = self.form.options()
        episode_id = self.form.episode_id()
        job = self._export = _Export()
        self._set_exporting(True)

        def compose(context: OperationContext) -> Brief:
            return compose_brief(context.session, episode_id, options)

        label = self.tr("Composing the brief")
        self._run(job, label, compose, lambda brief: self._composed(job, brief, options))

    def _composed(self, job: _Export, brief: Brief, options: BriefOptions) -> None:
        suggested = str(Path.home() / f"{brief.brief_id}.pdf")  # home, until a brief went elsewhere
        chosen = self.prompts.save_file_for(
            "brief", self, self.tr("Export brief as PDF"), suggested
        )
        if job is not self._export:  # cancelled meanwhile
            return
        if not chosen:
            self._end_export()
            return
        dest = pdf_path(chosen)
        if not dest.parent.is_dir():
            self._end_export()
            self._export_error(self.tr("No such folder: {path}").format(path=dest.parent))
            return
        try:  # never over the workspace, its sidecars or its backups
            refuse_workspace_paths(dest, self.session.path)
        except ServiceError as exc:
            self._end_export()
            self._export_error(str(exc))
            return
        render = self.renderer.render_function
        label = self.tr("Exporting {id} to {path}").format(id=brief.brief_id, path=dest)

        def work(context: OperationContext) -> bytes:
            with RENDER_LOCK:  # after a preview's render, never beside it
                context.progress(label, 0, 0)  # raises if cancelled while waiting
                return render(brief)

        self._run(job, label, work, lambda pdf: self._rendered(job, brief, options, pdf, dest))

    def _rendered(
        self, job: _Export, brief: Brief, options: BriefOptions, pdf: bytes, dest: Path
    ) -> None:
        job.delivering = True  # short, and the file and its record go together: no Cancel
        self.cancel_button.setEnabled(False)
        data = bytes(pdf)

        def deliver(context: OperationContext) -> ExportResult:
            return finish_export(context.session, brief, options, data, dest)

        label = self.tr("Saving brief {id}").format(id=brief.brief_id)
        self._run(job, label, deliver, lambda result: self._delivered(result, brief), writes=True)

    def _delivered(self, result: ExportResult, brief: Brief) -> None:
        self._end_export()
        note = "" if result.recorded else self.tr(" (same as a brief already recorded)")
        self._status(
            self.tr("Wrote {path}: brief {id}{note}").format(
                path=result.path, id=brief.brief_id, note=note
            )
        )
        self.exportFinished.emit(str(result.path))

    def _run(
        self,
        job: _Export,
        label: str,
        work: Callable[[OperationContext], object],
        done: Callable[[Any], object],
        *,
        writes: bool = False,
    ) -> None:
        """One step of ``job`` as an operation; its result is dropped once ``job`` is over
        (cancelled, or the composer closed)."""

        def finished(result: object) -> None:
            if job is self._export:
                done(result)

        def failed(exc: BaseException) -> None:
            if job is self._export:
                self._end_export()
                self._export_error(describe_error(exc))

        job.label = label
        operation = Operation(label, work, writes=writes, on_done=finished, on_error=failed)
        if not self.workbench.operations.run(operation):
            self._end_export()
            why = (
                self.tr("the workspace is read-only")
                if self.workbench.read_only
                else self.tr("another operation is writing to the workspace; try again after it")
            )
            self._export_error(why)

    def cancel_export(self) -> None:
        job = self._export
        if job is None or job.delivering:
            return
        self.workbench.operations.cancel(job.label)
        self._end_export()
        self._status(self.tr("Export cancelled; nothing was written."))
        self.exportCancelled.emit()

    def is_exporting(self) -> bool:
        return self._export is not None

    def _end_export(self) -> None:
        self._export = None
        self._set_exporting(False)

    def _set_exporting(self, busy: bool) -> None:
        self.export_progress.setVisible(busy)
        self.export_button.setEnabled(not busy)
        self.cancel_button.setEnabled(True)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the preview's renders and the running operations are done (tests
        and shutdown only)."""
        return self.renderer.wait(msecs) and self.workbench.operations.wait(msecs)

    def _export_error(self, message: str) -> None:
        self._status(self.tr("Export failed."))
        self.prompts.error(
            self, self.tr("Could not export the brief: {message}").format(message=message)
        )
        self.exportFailed.emit(message)

    def _status(self, message: str, timeout: int = 10_000) -> None:
        if self._status_bar is not None:
            self._status_bar.showMessage(message, timeout)

    # -- results from the worker ---------------------------------------------------------------

    def _on_rendered(self, job_id: int, pdf: bytes) -> None:  # PdfRenderer.render_function's
        if job_id == self._preview_job:
            self._preview_job = None
            if self._preview_dirty:  # stale: a newer build was asked for while this ran
                if not self._timer.isActive():
                    self.rebuild_preview()
                return
            self._load_preview(bytes(pdf))

    def _on_failed(self, job_id: int, message: str) -> None:
        if job_id == self._preview_job:
            self._preview_job = None
            if self._preview_dirty:
                if not self._timer.isActive():
                    self.rebuild_preview()
                return
            self.updating.hide()
            self._preview_error(message)

    # -- lifetime --------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop the timer, drop pending work and wait for a running render (idempotent)."""
        self._closed = True
        self._timer.stop()
        job, self._export = self._export, None
        if job is not None:  # its connection must close before the session does
            self.workbench.operations.cancel(job.label)
            self.workbench.operations.wait()
        self._preview_job = None
        self.renderer.shutdown()
        self.preview.clear()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
