"""While a writing operation runs, edits are refused with one status line (no queue, no
second writer); reading and searching go on through the window's own connection."""

from __future__ import annotations

import threading

import pytest

from tests.helpers.prompts import RecordingPrompts
from workstation.ui.common.operations import Operation
from workstation.ui.shell.workbench import Workbench


@pytest.fixture
def bench(sample_session):
    workbench = Workbench(sample_session, RecordingPrompts())
    yield workbench
    workbench.operations.shutdown()
    workbench.deleteLater()


@pytest.fixture
def gate():
    released = threading.Event()
    yield released
    released.set()


def first_passage(session):
    document = session.documents.list_documents()[0]
    return session.annotations.for_document(document.id)[0]


def a_writing_operation(bench, gate, passage_id: str) -> Operation:
    def work(context):
        gate.wait(30)
        with context.session.workspace.transaction():
            return context.session.annotations.edit(passage_id, note="by the operation")

    return Operation("Merging colleague.sqlite", work, undo_text="Merge colleague.sqlite")


def test_an_edit_during_a_writing_operation_is_refused_with_one_status_line(
    bench, sample_session, gate, qtbot
):
    passage = first_passage(sample_session)
    lines: list[str] = []
    bench.status.connect(lines.append)
    with qtbot.waitSignal(bench.operations.finished, timeout=30000):
        assert bench.operations.run(a_writing_operation(bench, gate, passage.id))
        edit = lambda: sample_session.codebook.create("Leak")  # noqa: E731
        assert bench.apply("Create category", edit) is None
        gate.set()
    assert "Not saved: merging colleague.sqlite is running; try again when it finishes" in lines
    assert sample_session.codebook.by_name("Leak") is None
    assert bench.prompts.errors == []
    stack = bench.undo_stack
    assert [stack.text(i) for i in range(stack.count())] == ["Merge colleague.sqlite"]
    assert sample_session.annotations.get(passage.id).note == "by the operation"
    # After it, edits go through again, and the operation's step undoes like any other.
    assert bench.apply("Create category", lambda: sample_session.codebook.create("Leak"))
    stack.undo()
    stack.undo()
    assert sample_session.annotations.get(passage.id).note == passage.note


def test_reading_and_searching_work_while_a_writing_operation_runs(
    bench, sample_session, gate, qtbot
):
    passage = first_passage(sample_session)
    with qtbot.waitSignal(bench.operations.finished, timeout=30000):
        bench.operations.run(a_writing_operation(bench, gate, passage.id))
        assert bench.operations.busy == "Merging colleague.sqlite"
        assert sample_session.search.hits("sanctions")  # the window's own connection
        assert sample_session.annotations.get(passage.id).note == passage.note
        assert sample_session.documents.count() > 0
        gate.set()
    # Committed by the operation's connection, seen through the window's.
    assert sample_session.annotations.get(passage.id).note == "by the operation"


def test_a_second_writing_operation_is_refused_but_a_reading_one_runs_beside(
    bench, sample_session, gate, qtbot
):
    passage = first_passage(sample_session)
    lines: list[str] = []
    bench.status.connect(lines.append)
    finished: list[str] = []
    bench.operations.finished.connect(finished.append)
    bench.operations.run(a_writing_operation(bench, gate, passage.id))
    assert not bench.operations.run(a_writing_operation(bench, gate, passage.id))
    assert lines[-1] == (
        "Merging colleague.sqlite not started: Merging colleague.sqlite is still running"
    )
    counted: list[int] = []
    reading = Operation(
        "Counting documents",
        lambda context: context.session.documents.count(),
        writes=False,
        on_done=counted.append,
    )
    assert bench.operations.run(reading)
    qtbot.waitUntil(lambda: finished == ["Counting documents"], timeout=30000)
    assert counted == [sample_session.documents.count()]
    assert bench.operations.busy == "Merging colleague.sqlite"
    gate.set()
    qtbot.waitUntil(lambda: bench.operations.busy is None, timeout=30000)
    assert finished == ["Counting documents", "Merging colleague.sqlite"]
