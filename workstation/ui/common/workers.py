"""Background work for the GUI: PDF rendering off the GUI thread.

Only pure work runs here. The workspace connection must never be used by two threads at once,
so callers compose the Brief (queries) on the GUI thread and hand the plain data to a job;
results come back through queued signals, on the GUI thread.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from briefs.compose import BriefError
from briefs.fonts import MissingGlyphs
from briefs.model import Brief
from workstation.services.outcome import ServiceError
from workstation.storage import WorkspaceError

# What the user can cause and fix; anything else is a bug and is not swallowed on the GUI
# thread (a worker reports every exception, since nothing could catch it there).
EXPECTED_ERRORS = (BriefError, MissingGlyphs, ServiceError, WorkspaceError, OSError)


def describe_error(exc: BaseException) -> str:
    """One clear line for the user: the message of our own errors, the type otherwise."""
    text = " ".join(str(exc).split())
    if isinstance(exc, BriefError | MissingGlyphs | ServiceError | WorkspaceError):
        return text
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _RenderJob(QRunnable):
    def __init__(self, renderer: PdfRenderer, job_id: int, brief: Brief):
        super().__init__()
        self.setAutoDelete(False)  # the renderer keeps it until its result is delivered
        self._renderer = renderer
        self.job_id = job_id
        self._brief = brief

    def run(self) -> None:
        try:
            pdf = self._renderer.render_function(self._brief)
        except Exception as exc:  # reported to the GUI, never raised in a pool thread
            self._renderer._failed.emit(self.job_id, describe_error(exc))
        else:
            self._renderer._rendered.emit(self.job_id, pdf)


class PdfRenderer(QObject):
    """Renders Briefs to PDF bytes one at a time on a private thread.

    ReportLab keeps global state (fonts, config), so jobs never run in parallel. ``submit``
    returns a job id; ``rendered(job_id, pdf_bytes)`` or ``failed(job_id, message)`` follows
    unless the job was cancelled. Call ``shutdown`` before the owner goes away.
    """

    rendered = Signal(int, object)
    failed = Signal(int, str)
    _rendered = Signal(int, object)  # emitted from the pool thread, delivered queued
    _failed = Signal(int, str)

    def __init__(
        self, parent: QObject | None = None, render: Callable[[Brief], bytes] | None = None
    ):
        super().__init__(parent)
        self.setObjectName("pdfRenderer")
        if render is None:
            from briefs.build import render_pdf

            render = render_pdf
        self.render_function = render
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._jobs: dict[int, _RenderJob] = {}
        self._closed = False
        self._rendered.connect(self._deliver_rendered)
        self._failed.connect(self._deliver_failed)

    def submit(self, brief: Brief) -> int:
        if self._closed:
            raise RuntimeError("the renderer has been shut down")
        job = _RenderJob(self, next(self._ids), brief)
        self._jobs[job.job_id] = job
        self._pool.start(job)
        return job.job_id

    def cancel(self, job_id: int) -> None:
        """Forget a job: dropped from the queue if it has not started, its result discarded."""
        job = self._jobs.pop(job_id, None)
        if job is not None:
            self._pool.tryTake(job)

    def pending(self) -> int:
        return len(self._jobs)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool thread is idle (tests and shutdown only)."""
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        """Drop queued jobs, let a running one finish, and discard every result."""
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone()
        self._jobs.clear()

    def _deliver_rendered(self, job_id: int, pdf: object) -> None:
        if self._jobs.pop(job_id, None) is not None:
            self.rendered.emit(job_id, pdf)

    def _deliver_failed(self, job_id: int, message: str) -> None:
        if self._jobs.pop(job_id, None) is not None:
            self.failed.emit(job_id, message)


class TaskProgress(QWidget):
    """Label, progress bar and Cancel button for the status bar, named after its task
    (``exportProgress``, ``importCancel``…) so tests and accessibility tools can find it."""

    def __init__(self, task: str, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"{task}Progress")
        self.label = QLabel(text)
        self.bar = QProgressBar()
        self.bar.setObjectName(f"{task}ProgressBar")
        self.bar.setAccessibleName(self.tr("{task} progress").format(task=task.capitalize()))
        self.bar.setFixedWidth(130)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName(f"{task}Cancel")
        self.cancel_button.setAccessibleName(self.tr("Cancel {task}").format(task=task))
        self.cancel_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 4, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self.hide()


class ExportProgress(TaskProgress):
    """Brief export: indeterminate, since ReportLab reports no progress."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__("export", text, parent)
        self.bar.setRange(0, 0)
