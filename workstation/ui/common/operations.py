"""The GUI's one way to run long work: an :class:`Operation` run by the :class:`OperationRunner`.

In the spirit of Anki's ``CollectionOp``/``QueryOp``: ``work`` runs on a worker thread (a
private ``QThreadPool``), reports progress through its :class:`OperationContext`, and its
result comes back on the GUI thread through queued signals; a ChangeSet result becomes ONE
undo step named after the operation, and every view hears of it through
``Workbench.changed``. Progress, with a Cancel button, shows in the main window's status bar,
not in a modal dialog, so the officer keeps reading and searching meanwhile. Nothing calls
``processEvents``.

THE WRITER CONNECTION. A writing operation does not borrow the GUI's connection (sqlite3
ties a connection to its thread, and sharing one would put every GUI read behind the work's
transaction). It opens its own connection to the same file, on the worker thread, through
``Session.open_worker`` (``storage.open_worker_connection``), and closes it there when the
work ends. That connection works under the instance lock the window's workspace already
holds, so our own lock neither refuses it nor is broken by it. In WAL mode the GUI keeps
reading through its connection while the work writes, and sees the result once it commits;
a cancelled work rolls back and leaves nothing. There is still ONE writer at a time: while a
writing operation runs, ``Workbench.apply`` (and undo/redo) refuse edits with one status
line, so no GUI edit can meet SQLITE_BUSY, join the operation's transaction or write beside
it (SQLite 3.40's WAL-reset bug needs two connections writing or checkpointing at once), and
only one writing operation runs at a time. Undoing the operation's ChangeSet afterwards goes
through the GUI's connection, as for any other step. The alternative, a database thread
owning the only connection, would make every read in every view asynchronous.

Unexpected exceptions in ``work`` are bugs: logged to ``errors.log`` (``bug_log``) and handed
to ``sys.excepthook`` on the GUI thread, like any other bug in the GUI; the expected ones
(``EXPECTED_ERRORS``: the workspace, the file system, the rules) go to ``on_error``.
"""

from __future__ import annotations

import itertools
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from workstation.domain.records import ChangeSet
from workstation.services import bug_log
from workstation.ui.common.workers import (
    EXPECTED_ERRORS,
    TaskProgress,
    describe_error,
    freeze_survivors,
    gc_paused,
    gil_handed_over_quickly,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from workstation.services import Session
    from workstation.ui.shell.workbench import Workbench

T = TypeVar("T")

_PROGRESS_EVERY = 0.05  # seconds between progress signals (the last step always goes)


class OperationCancelled(Exception):
    """Raised by ``OperationContext.progress`` once Cancel was pressed: let it propagate (a
    transaction open around it rolls back), or catch it to keep what is done so far."""


@dataclass
class Operation(Generic[T]):
    label: str  # "Merging colleague.sqlite": the status bar, the refusal line, the undo step
    work: Callable[[OperationContext], T]  # runs on a worker thread
    writes: bool = True  # while it runs, Workbench.apply refuses edits with one status line
    on_done: Callable[[T], None] | None = None  # GUI thread, after a ChangeSet was pushed
    # GUI thread; default: prompts.error. Also called after a bug in ``work`` was reported.
    on_error: Callable[[BaseException], None] | None = None
    on_cancelled: Callable[[], None] | None = None  # GUI thread
    undo_text: str | None = None  # the undo step's name, if not ``label``


class OperationContext:
    """What ``work`` gets: a lazily opened Session on its own connection, progress, cancel."""

    def __init__(self, runner: OperationRunner, op_id: int, operation: Operation[Any]):
        self._runner = runner
        self._id = op_id
        self._writes = operation.writes
        self._cancel = threading.Event()
        self._session: Session | None = None
        self._last = 0.0

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def session(self) -> Session:
        """A Session on the worker's own connection, opened on first use (on this thread);
        closed when the work ends."""
        if self._session is None:
            self._session = self._runner.session.open_worker(writes=self._writes)
        return self._session

    def progress(self, step: str, done: int, total: int) -> None:
        """Report progress (``total`` 0: unknown); raises OperationCancelled after Cancel."""
        if self._cancel.is_set():
            raise OperationCancelled
        now = time.monotonic()
        if now - self._last >= _PROGRESS_EVERY or (total and done >= total):
            self._last = now
            self._runner._progressed.emit(self._id, step, done, total)

    def announce(self, changes: ChangeSet) -> None:
        """Tell the views now of ``changes`` already committed (an import's chunk), before
        the whole result becomes the undo step."""
        if changes:
            self._runner._announced.emit(self._id, changes)

    def _close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()


def _changes_of(result: object) -> ChangeSet | None:
    """The ChangeSet an operation's result is, or carries (``result.changes``)."""
    if isinstance(result, ChangeSet):
        return result
    changes = getattr(result, "changes", None)
    return changes if isinstance(changes, ChangeSet) else None


class _Job(QRunnable):
    def __init__(self, runner: OperationRunner, op_id: int, operation: Operation[Any]):
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps it until its result is delivered
        self._runner = runner
        self._id = op_id
        self._work = operation.work
        self.context = OperationContext(runner, op_id, operation)

    def run(self) -> None:
        result: object = None
        error: BaseException | None = None
        try:
            # A full collection would stall the GUI thread too; so would each wait for the
            # GIL while this computes in Python.
            with gc_paused(freeze=True), gil_handed_over_quickly():
                result = self._work(self.context)
                changes = _changes_of(result)
                if changes is not None:
                    changes.index()  # here, not on the GUI thread at the views' first question
        except BaseException as exc:  # delivered to the GUI thread, never raised in the pool
            error = exc
        finally:
            try:
                self.context._close()
            except BaseException as exc:
                error = error or exc
        self._runner._completed.emit(self._id, result, error)


class _Running:
    def __init__(self, operation: Operation[Any], job: _Job, widget: TaskProgress | None):
        self.operation = operation
        self.job = job
        self.widget = widget


class OperationRunner(QObject):
    """Runs Operations for one Workbench (``workbench.operations``)."""

    started = Signal(str)  # label
    finished = Signal(str)  # label: done, failed or cancelled
    _progressed = Signal(int, str, int, int)  # from the worker, delivered queued
    _completed = Signal(int, object, object)
    _announced = Signal(int, object)

    def __init__(self, workbench: Workbench, parent: QObject | None = None):
        super().__init__(parent if parent is not None else workbench)
        self.setObjectName("operationRunner")
        self.workbench = workbench
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)  # one writing operation and a reading one beside it
        self._ids = itertools.count(1)
        self._running: dict[int, _Running] = {}
        self._unannounced: dict[int, ChangeSet] = {}  # chunks waiting for the next turn
        self._status_bar: QStatusBar | None = None
        self._progressed.connect(self._show_progress)
        self._completed.connect(self._deliver)
        self._announced.connect(self._announce)

    @property
    def session(self) -> Session:
        return self.workbench.session

    def attach(self, status_bar: QStatusBar) -> None:
        """Show progress and Cancel in this status bar (the main window's)."""
        self._status_bar = status_bar

    # -- state ------------------------------------------------------------------------------

    @property
    def busy(self) -> str | None:
        """The label of the running operation (the writing one first), or None."""
        writing = self.writing
        if writing is not None:
            return writing
        return next((r.operation.label for r in self._running.values()), None)

    @property
    def writing(self) -> str | None:
        """The label of the running writing operation, or None."""
        return next((r.operation.label for r in self._running.values() if r.operation.writes), None)

    def refusal(self, label: str | None = None) -> str:
        """The status line for an edit refused while a writing operation runs."""
        running = label or self.writing or ""
        what = running[:1].lower() + running[1:]
        return self.tr("Not saved: {what} is running; try again when it finishes").format(what=what)

    # -- running ----------------------------------------------------------------------------

    def run(self, op: Operation[Any]) -> bool:
        """Start ``op``; False (with a status line) if a writing operation is already running
        or the workspace cannot be written."""
        if op.writes and self.writing is not None:
            self.workbench.status.emit(
                self.tr("{label} not started: {running} is still running").format(
                    label=op.label, running=self.writing
                )
            )
            return False
        if op.writes and self.workbench.read_only:
            self.workbench.status.emit(
                self.tr("Not started: the workspace is read-only ({what})").format(what=op.label)
            )
            return False
        op_id = next(self._ids)
        job = _Job(self, op_id, op)
        self._running[op_id] = _Running(op, job, self._make_widget(op_id, op.label))
        self.started.emit(op.label)
        self.workbench.status.emit(op.label + "…")
        self._pool.start(job)
        return True

    def cancel(self, label: str | None = None) -> None:
        """Ask every running operation (or the one named ``label``) to stop at its next step."""
        for running in self._running.values():
            if label is None or running.operation.label == label:
                running.job.context._cancel.set()
                if running.widget is not None:
                    running.widget.cancel_button.setEnabled(False)
                    running.widget.label.setText(self.tr("Cancelling…"))

    def wait(self, msecs: int = -1) -> bool:
        """Block until no work runs (shutdown and tests only); results are delivered later."""
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        """Before the window and its session go: cancel, wait, and drop every result."""
        self.cancel()
        self._pool.waitForDone()
        for running in self._running.values():
            self._remove_widget(running)
        self._running.clear()
        self._unannounced.clear()

    # -- the status bar ---------------------------------------------------------------------

    def _make_widget(self, op_id: int, label: str) -> TaskProgress | None:
        if self._status_bar is None:
            return None
        widget = TaskProgress("operation", label)
        widget.bar.setRange(0, 0)
        widget.cancel_button.clicked.connect(lambda _=False, i=op_id: self._cancel_one(i))
        self._status_bar.insertPermanentWidget(0, widget)
        widget.show()
        return widget

    def _cancel_one(self, op_id: int) -> None:
        running = self._running.get(op_id)
        if running is not None:
            self.cancel(running.operation.label)

    def _remove_widget(self, running: _Running) -> None:
        if running.widget is not None:
            if self._status_bar is not None:
                self._status_bar.removeWidget(running.widget)
            running.widget.hide()
            running.widget.deleteLater()
            running.widget = None

    def _show_progress(self, op_id: int, step: str, done: int, total: int) -> None:
        running = self._running.get(op_id)
        if running is None or running.widget is None or running.job.context.cancelled:
            return
        widget = running.widget
        widget.label.setText(step or running.operation.label)
        # QProgressBar.setValue repaints AT ONCE when the shown percentage moves, and an
        # immediate repaint paints everything dirty in the window (the library just reset,
        # say): 10 ms and more per step, on top of the views' own work. With updates off
        # while the value moves, the bar is painted with the rest at the next paint.
        bar = widget.bar
        bar.setUpdatesEnabled(False)
        try:
            bar.setRange(0, max(total, 0))
            if total:
                bar.setValue(min(done, total))
        finally:
            bar.setUpdatesEnabled(True)
        bar.update()  # an ordinary, scheduled paint

    # -- results, on the GUI thread ---------------------------------------------------------

    def _announce(self, op_id: int, changes: ChangeSet) -> None:
        """Chunks announced while the GUI thread was busy arrive together: the views hear of
        them once, merged, on the next turn of the event loop (one refresh, not one per
        chunk)."""
        if op_id not in self._running:
            return
        pending = self._unannounced.get(op_id)
        if pending is None:
            self._unannounced[op_id] = ChangeSet(list(changes.changes))
            QTimer.singleShot(0, self, lambda: self._flush_announced(op_id))
        else:
            pending.extend(changes)

    def _flush_announced(self, op_id: int) -> None:
        pending = self._unannounced.pop(op_id, None)
        if pending and op_id in self._running:
            self.workbench.changed.emit(pending)

    def _deliver(self, op_id: int, result: object, error: BaseException | None) -> None:
        self._flush_announced(op_id)  # its last chunks first, then the result
        running = self._running.pop(op_id, None)
        if running is None:  # shut down meanwhile
            return
        self._remove_widget(running)
        op = running.operation
        try:
            if isinstance(error, OperationCancelled):
                self.workbench.status.emit(self.tr("{label}: cancelled").format(label=op.label))
                if op.on_cancelled is not None:
                    op.on_cancelled()
            elif error is not None:
                self._failed(op, error)
            else:
                changes = result if isinstance(result, ChangeSet) else None
                attached = getattr(result, "changes", None)  # a result carrying its ChangeSet
                if changes is None and isinstance(attached, ChangeSet):
                    changes = attached
                if changes:
                    self.workbench.record_step(op.undo_text or op.label, changes)
                if op.on_done is not None:
                    op.on_done(result)
        finally:
            # The result has landed (in the undo stack, the views): what lives on now is
            # taken out of full collections' way, which would otherwise walk it again and
            # again with the GIL held (workers.gc_paused, workers.freeze_survivors).
            freeze_survivors()
            self.finished.emit(op.label)

    def _failed(self, op: Operation[Any], error: BaseException) -> None:
        if isinstance(error, (*EXPECTED_ERRORS, ValueError)):
            if op.on_error is not None:
                op.on_error(error)
            else:
                self.workbench.prompts.error(None, describe_error(error))
            return
        # A bug: logged, reported like any other bug in the GUI, and the user told.
        log = bug_log.record(error, f"operation {op.label}")
        where = self.tr(" (details in {log})").format(log=log) if log else ""
        self.workbench.status.emit(
            self.tr("{label} failed: an internal error{where}").format(label=op.label, where=where)
        )
        if op.on_error is not None:
            op.on_error(error)
        sys.excepthook(type(error), error, error.__traceback__)
