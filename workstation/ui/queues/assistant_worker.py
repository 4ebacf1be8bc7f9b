"""The assistant's proposals, computed off the GUI thread for the suggestions queue.

``AssistantService.propose`` trains its models on first use (about a second) and loads
natasha for Cyrillic text (about two), so it never runs on the GUI thread
(docs/architecture.md, Threading). Each request runs on this worker's own one-thread pool,
on a read-only connection to the same workspace file (``Session.open_worker(writes=False)``),
opened and closed on that thread; in WAL mode it reads beside the window's connection. The
fitted models are cached per workspace path and locked in ``services.assistant_models``, so
the worker and the GUI share them.

Only the newest request matters: a request made while one runs waits (replacing any other
waiting one), and a result from before a newer request is dropped, so the queue never
shows proposals older than what it already has. A request that only updates some documents
(``merge=True``, after an edit) takes over the documents of the requests it supersedes, so
no update is lost; its answer says which documents it covers.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from workstation.services import bug_log
from workstation.ui.common.workers import EXPECTED_ERRORS, gc_paused, gil_handed_over_quickly

if TYPE_CHECKING:
    from workstation.domain.assistant import Proposal
    from workstation.services import Session
    from workstation.services.assistant_status import AssistantStatus
    from workstation.ui.common.operations import OperationContext

ASSISTANT_KINDS = ("name", "passage", "event")
# Every live worker, so that a request still running when Python exits is waited for: a
# thread still computing at interpreter shutdown is torn down mid-step.
_workers: weakref.WeakSet[ProposalWorker] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for worker in list(_workers):
        with contextlib.suppress(RuntimeError):  # its Qt side is gone, and its pool with it
            worker.shutdown()


class _Relay(QObject):
    """Carries a job's result to the GUI thread (queued). Parentless and held by the job,
    so a job finishing after the dock has gone emits into nothing rather than a deleted
    object."""

    done = Signal(int, object, object)  # request number, proposals, error


class _ProposeJob(QRunnable):
    def __init__(
        self,
        session: Session,
        number: int,
        document_ids: list[str] | None,
        kinds: tuple[str, ...],
        relay: _Relay,
        stopped: threading.Event,
    ):
        super().__init__()
        self.setAutoDelete(False)  # the worker keeps it until its result is delivered
        self._session, self.number = session, number
        self._document_ids, self._kinds = document_ids, kinds
        self._relay, self._stopped = relay, stopped

    def run(self) -> None:
        found: list[Proposal] = []
        error: BaseException | None = None
        if self._stopped.is_set():
            return
        try:
            with gc_paused(), gil_handed_over_quickly():
                worker = self._session.open_worker(writes=False)
                try:
                    found = worker.assistant.propose(self._document_ids, self._kinds)
                finally:
                    worker.close()
        except BaseException as exc:  # reported on the GUI thread, never raised in the pool
            error = exc
        if not self._stopped.is_set():
            # RuntimeError: the relay's Qt side went with the window, and nobody waits.
            with contextlib.suppress(RuntimeError):
                self._relay.done.emit(self.number, found, error)


class ProposalWorker(QObject):
    """Computes proposals in the background; ``ready`` carries the newest request's."""

    ready = Signal(object, object)  # list[Proposal], the document ids it covers (None: all)
    failed = Signal(str)  # one line for the status bar

    def __init__(self, session: Session, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one request at a time: the newest waits its turn
        self._relay = _Relay()
        self._relay.done.connect(self._delivered)
        self._stopped = threading.Event()
        self._asked = 0  # the newest request's number
        self._running = False
        self._waiting: tuple[int, list[str] | None, tuple[str, ...]] | None = None
        self._job: _ProposeJob | None = None  # the running one, kept alive while it runs
        self._covers: dict[int, list[str] | None] = {}  # request number → its documents
        _workers.add(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    @property
    def busy(self) -> bool:
        return self._running or self._waiting is not None

    def request(
        self, document_ids: Sequence[str] | None, kinds: Sequence[str], *, merge: bool = False
    ) -> int:
        """Ask for the proposals of these documents (``None``: all) and kinds; returns the
        request's number. Anything asked before is superseded; with ``merge`` its documents
        are asked for again too (their answer will be dropped)."""
        self._asked += 1
        wanted = tuple(k for k in kinds if k in ASSISTANT_KINDS)
        ids = list(document_ids) if document_ids is not None else None
        if merge:
            for number in self._covers:  # the running and the waiting one
                ids = _union(ids, self._covers[number])
        running = self._job.number if self._job is not None else None
        self._covers = {n: c for n, c in self._covers.items() if n == running}
        self._covers[self._asked] = ids
        self._waiting = (self._asked, ids, wanted)
        if not self._running:
            self._start_waiting()
        return self._asked

    def _start_waiting(self) -> None:
        if self._waiting is None or self._stopped.is_set():
            return
        number, ids, kinds = self._waiting
        self._waiting = None
        self._running = True
        self._job = _ProposeJob(self.session, number, ids, kinds, self._relay, self._stopped)
        self._pool.start(self._job)

    def _delivered(self, number: int, found: object, error: BaseException | None) -> None:
        self._running, self._job = False, None
        covers = self._covers.pop(number, None)
        if self._stopped.is_set():
            return
        stale = number != self._asked
        self._start_waiting()
        if stale:
            return  # a newer request is on its way: this one's answer is out of date
        if error is None:
            self.ready.emit(found, covers)
        elif isinstance(error, EXPECTED_ERRORS):
            self.failed.emit(self.tr("Assistant: {error}").format(error=error))
        else:
            log = bug_log.record(error, "assistant proposals")
            where = self.tr(" (details in {log})").format(log=log) if log else ""
            self.failed.emit(
                self.tr("Assistant failed: an internal error{where}").format(where=where)
            )

    def wait(self, msecs: int = -1) -> bool:
        """Block until no request runs (tests and shutdown only)."""
        return self._pool.waitForDone(msecs)

    def shutdown(self) -> None:
        """Drop what is waiting, let the running request finish, deliver nothing more."""
        self._stopped.set()
        self._waiting = None
        self._pool.waitForDone()


def _union(first: list[str] | None, second: list[str] | None) -> list[str] | None:
    if first is None or second is None:
        return None
    return list(dict.fromkeys([*first, *second]))


def rebuild_models(context: OperationContext) -> AssistantStatus:
    """The work of "Rebuild assistant" for the operation runner: retrain every model on the
    operation's own connection (it records the training, so it writes)."""
    return context.session.assistant.rebuild()
