"""The operation runner: work off the GUI thread, progress and Cancel in the status bar,
errors to the user, bugs to the bug log and the excepthook, results on the GUI thread."""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QMainWindow, QProgressBar, QPushButton

from tests.helpers.prompts import RecordingPrompts
from workstation.domain.records import Change, ChangeSet, Document
from workstation.services import bug_log
from workstation.services.outcome import ServiceError
from workstation.ui.common.operations import Operation
from workstation.ui.shell.workbench import Workbench


@pytest.fixture
def window(qtbot, sample_session):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.workbench = Workbench(sample_session, RecordingPrompts(), window)
    window.workbench.operations.attach(window.statusBar())
    window.lines = []
    window.workbench.status.connect(window.lines.append)
    window.show()
    yield window
    window.workbench.operations.shutdown()


def test_progress_and_cancel_in_the_status_bar(window, qtbot):
    runner = window.workbench.operations
    reached, threads = threading.Event(), []
    cancelled: list[bool] = []

    def work(context):
        threads.append(QThread.currentThread())
        done = 0
        while True:  # until Cancel: a loaded machine may take seconds to get to the click
            done = done % 999_998 + 1
            context.progress("Counting", done, 1_000_000)  # raises once Cancel is pressed
            reached.set()

    op = Operation("Counting", work, writes=False, on_cancelled=lambda: cancelled.append(True))
    assert runner.run(op)
    bar = window.findChild(QProgressBar, "operationProgressBar")
    qtbot.waitUntil(lambda: reached.is_set() and bar.maximum() == 1_000_000)
    qtbot.waitUntil(lambda: bar.value() > 0)
    with qtbot.waitSignal(runner.finished, timeout=30000):
        qtbot.mouseClick(
            window.findChild(QPushButton, "operationCancel"), Qt.MouseButton.LeftButton
        )
    assert cancelled == [True] and runner.busy is None
    assert threads and threads[0] is not QThread.currentThread()
    assert window.lines[-1] == "Counting: cancelled"


def test_an_expected_error_is_one_message(window, qtbot):
    def work(context):
        raise ServiceError("the other file is not a workspace")

    with qtbot.waitSignal(window.workbench.operations.finished, timeout=30000):
        window.workbench.operations.run(Operation("Merging x.sqlite", work))
    assert window.workbench.prompts.errors == ["the other file is not a workspace"]
    assert window.workbench.undo_stack.count() == 0


def test_a_bug_goes_to_the_bug_log_and_the_excepthook(window, qtbot):
    def work(context):
        raise KeyError("a bug in the work")

    finished = window.workbench.operations.finished
    with qtbot.capture_exceptions() as caught, qtbot.waitSignal(finished, timeout=30000):
        window.workbench.operations.run(Operation("Merging x.sqlite", work))
    assert [type(exc) for _t, exc, _tb in caught] == [KeyError]
    assert "a bug in the work" in bug_log.log_path().read_text(encoding="utf-8")
    assert window.lines[-1].startswith("Merging x.sqlite failed: an internal error (details")


def test_pure_work_opens_no_connection_and_returns_on_the_gui_thread(window, qtbot):
    results = []

    def done(result):
        results.append((result, QThread.currentThread()))

    with qtbot.waitSignal(window.workbench.operations.finished, timeout=30000):
        window.workbench.operations.run(Operation("Sum", lambda c: 2 + 2, False, on_done=done))
    assert results == [(4, QThread.currentThread())]


def test_announced_chunks_reach_the_views_once_each_before_the_result(window, qtbot):
    heard: list[list[str]] = []
    window.workbench.changed.connect(
        lambda changes: heard.append([c.record_id for c in changes.changes])
    )

    def work(context):
        for n in range(5):
            chunk = ChangeSet([Change("create", Document.TABLE, f"d{n}", None, {"id": f"d{n}"})])
            context.announce(chunk)
        return None

    with qtbot.waitSignal(window.workbench.operations.finished, timeout=30000):
        window.workbench.operations.run(Operation("Announcing", work, writes=False))
    # Chunks that queued up while the GUI thread was busy arrive merged, in order.
    assert [record_id for batch in heard for record_id in batch] == [f"d{n}" for n in range(5)]
    assert 1 <= len(heard) <= 5


def test_work_runs_with_young_collections_only_and_restores_the_thresholds(window, qtbot):
    before = gc.get_threshold()
    seen = []

    def work(context):
        seen.append((gc.isenabled(), gc.get_threshold()))
        return None

    with qtbot.waitSignal(window.workbench.operations.finished, timeout=30000):
        window.workbench.operations.run(Operation("Looking", work, writes=False))
    ((enabled, during),) = seen
    assert enabled  # young collections still run: cycles are freed as the work goes
    assert during[:2] == before[:2] and during[2] > 1_000_000  # no full collection
    assert gc.get_threshold() == before
