"""Edits arriving while a step runs wait for it and become their own undo steps, in order,
even when the step or one of them fails."""

from __future__ import annotations

import pytest

from workstation.ui.prompts import RecordingPrompts
from workstation.ui.workbench import Workbench


@pytest.fixture
def bench(sample_session):
    workbench = Workbench(sample_session, RecordingPrompts())
    yield workbench
    workbench.deleteLater()


def passages(session, n: int):
    every = [a for d in session.documents.list() for a in session.annotations.for_document(d.id)]
    return every[:n]


def note_edit(session, passage_id: str, text: str):
    return lambda: session.annotations.edit(passage_id, note=text)


def stack_texts(workbench) -> list[str]:
    stack = workbench.undo_stack
    return [stack.text(i) for i in range(stack.count())]


def test_edits_during_a_step_follow_it_in_order(bench, sample_session, qtbot):
    first, second, third = passages(sample_session, 3)

    def outer():
        assert bench.apply("inner 1", note_edit(sample_session, second.id, "two")) is None
        assert bench.apply("inner 2", note_edit(sample_session, third.id, "three")) is None
        return sample_session.annotations.edit(first.id, note="one")

    bench.apply("outer", outer)
    assert stack_texts(bench) == ["outer"]  # the others wait for the caller to finish
    qtbot.waitUntil(lambda: stack_texts(bench) == ["outer", "inner 1", "inner 2"])
    assert sample_session.annotations.get(third.id).note == "three"


def test_edits_waiting_on_a_failing_step_still_run(bench, sample_session, qtbot):
    (first,) = passages(sample_session, 1)

    def outer():
        bench.apply("inner", note_edit(sample_session, first.id, "kept"))
        raise KeyError("a bug in the step")

    with pytest.raises(KeyError):
        bench.apply("outer", outer)
    qtbot.waitUntil(lambda: stack_texts(bench) == ["inner"])
    assert sample_session.annotations.get(first.id).note == "kept"


def test_a_refused_waiting_edit_is_reported_and_the_next_still_runs(bench, sample_session, qtbot):
    first, second = passages(sample_session, 2)

    def outer():
        bench.apply("missing", lambda: sample_session.annotations.edit("no-such-id", note="x"))
        bench.apply("inner", note_edit(sample_session, second.id, "after the refusal"))
        return sample_session.annotations.edit(first.id, note="outer")

    bench.apply("outer", outer)
    qtbot.waitUntil(lambda: stack_texts(bench) == ["outer", "inner"])
    assert len(bench.prompts.errors) == 1
