"""Background work for the GUI: PDF rendering off the GUI thread.

Only pure work runs here. The workspace connection must never be used by two threads at once,
so callers compose the Brief (queries) on the GUI thread and hand the plain data to a job;
results come back through queued signals, on the GUI thread.
"""

from __future__ import annotations

import gc
import itertools
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from briefs.fonts import MissingGlyphs
from briefs.model import Brief, BriefError
from workstation.services.errors import WorkspaceError
from workstation.services.outcome import ServiceError

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


# ReportLab keeps global state (fonts, config): one render at a time in the whole process,
# the preview's (PdfRenderer) and an export's (an operation of the runner) alike.
RENDER_LOCK = threading.Lock()

_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_thresholds: tuple[int, int, int] = gc.get_threshold()
_NO_FULL_COLLECTION = 2**30  # gen-1 collections before a full one: never, in practice
_gc_freeze = False  # a pause asked for the survivors to be frozen when the last one ends


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """No FULL garbage collection while long work runs in a worker thread.

    Why: a full (generation 2) collection walks every tracked object in the process and
    holds the GIL throughout — 0.1–0.4 s with a 100k-passage workspace, a merge's records or
    an 88k-passage ChangeSet alive — and the GUI thread waits that long
    (bench/gui_stall_bench.py measured it). Young collections (generations 0 and 1) still
    run: they only walk the objects made since the last one, so each is short, and the
    cycles the work leaves are still freed as it goes.

    Not ``gc.disable()``: that stops young collections too, and every object the work
    allocates stays in generation 0, so the first collection after it (on whichever thread
    allocates next) walked everything the work had made: 64 ms in a brief export, more
    after a merge. What the work leaves alive is taken out of the collector's way by
    :func:`freeze_survivors` once its result has landed.

    ``freeze``: what is alive when full collections come back (the work's result, and
    everything the window held before) is frozen first (:func:`freeze_survivors`), so the
    first full collection after the work — on whichever thread allocates next, often the
    GUI thread handling the result — does not walk it. For operations (rare, large
    results); not for preview renders, which leave cyclic garbage behind each time.

    Process-wide (the thresholds are) and nestable: workers on several threads may pause
    full collections together; the thresholds come back when the last one ends."""
    global _gc_pauses, _gc_thresholds, _gc_freeze
    with _gc_lock:
        _gc_freeze = _gc_freeze or freeze
        if _gc_pauses == 0:
            _gc_thresholds = gc.get_threshold()
            young, middle, _old = _gc_thresholds
            gc.set_threshold(young, middle, _NO_FULL_COLLECTION)
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0:
                if _gc_freeze:
                    freeze_survivors()
                    _gc_freeze = False
                gc.set_threshold(*_gc_thresholds)


# While work runs in a worker: how long a thread may keep the GIL when another asks for it.
GIL_SWITCH_S = 0.001
_switch_lock = threading.Lock()
_switch_holds = 0
_switch_before = sys.getswitchinterval()


@contextmanager
def gil_handed_over_quickly() -> Iterator[None]:
    """While long work runs in a worker, a thread waiting for the GIL gets it within 1 ms
    (``sys.setswitchinterval``) instead of 5.

    Why: the GUI thread takes the GIL again for every call from Qt into Python (a slot, a
    model's ``data``, an overridden event handler) and lets it go when Qt goes on in C++. A
    worker computing in Python (ReportLab laying out a brief, an import parsing lines)
    keeps the GIL until the switch interval has passed, so each of those calls waited up to
    5 ms for it: one repaint of the window, as the export's progress bar appeared, made
    dozens of such calls and stalled 130 ms (bench/gui_stall_bench.py, brief export:
    132 ms at 5 ms, 22 ms at 1 ms). The interval only matters when a thread is waiting: a
    worker alone is not interrupted more often.

    Process-wide and nestable, like ``gc_paused``: the interval comes back when the last
    one ends."""
    global _switch_holds, _switch_before
    with _switch_lock:
        if _switch_holds == 0:
            _switch_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_switch_before, GIL_SWITCH_S))
        _switch_holds += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_holds -= 1
            if _switch_holds == 0:
                sys.setswitchinterval(_switch_before)


def freeze_survivors() -> None:
    """Move every object alive now into the collector's permanent generation (``gc.freeze``):
    full collections stop walking them. Called on the GUI thread after start-up and after
    a long operation's result has landed (an 88k-change ChangeSet in the undo stack, the
    window, the workspace's caches): these live on, and walking them again and again is what
    made later full collections hold the GIL for 0.1–0.4 s. Objects frozen are still freed
    by reference counting when dropped; only a reference cycle that is already garbage now
    stays until the process ends, which at one call per long operation is little."""
    gc.freeze()


class _RenderJob(QRunnable):
    def __init__(self, renderer: PdfRenderer, job_id: int, brief: Brief):
        super().__init__()
        self.setAutoDelete(False)  # the renderer keeps it until its result is delivered
        self._renderer = renderer
        self.job_id = job_id
        self._brief = brief

    def run(self) -> None:
        try:
            with RENDER_LOCK, gc_paused(), gil_handed_over_quickly():
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
