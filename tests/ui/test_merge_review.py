"""File → Merge workspace…: one undo step, a status line with the counts and the backup, and
the review dialog: conflicts with "Take the other version" (undoable, the Kept column
following undo and redo) and look-alike entities to merge or dismiss.

Alice works in the main window on a copy of the sample; Bob edits his own copy of the same
starting point; Alice merges Bob's."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from workstation.domain.records import Annotation
from workstation.services import open_session
from workstation.services.maintenance import backup
from workstation.ui.exchange.merge_review import (
    CONFLICT_ROLE,
    KEPT,
    OURS,
    THEIRS,
    ConflictModel,
    MergeReviewDialog,
    describe_values,
)

LEFT_BUTTON = Qt.MouseButton.LeftButton
ALICE_NOTE = "Alice: the lede repeats the wording of the executive order itself."
BOB_NOTE = "Bob: the lede quotes the White House fact sheet."


@pytest.fixture
def theirs(page, sample_path: Path, tmp_path: Path) -> Path:
    """Bob's copy of the same starting point (same ids), taken while Alice's is open."""
    return backup(sample_path, tmp_path / "bob.sqlite")


@pytest.fixture
def shared(page) -> Annotation:
    session = page.session
    every = [
        a
        for d in session.documents.list_documents()
        for a in session.annotations.for_document(d.id)
    ]
    return min(every, key=lambda a: (a.document_id, a.start))


def alice_edits(page, passage_id: str, note: str) -> None:
    session = page.session
    page.workbench.apply("note", lambda: session.annotations.edit(passage_id, note=note))


def bob(theirs: Path):
    return open_session(theirs, author="bob")


def merge(page, theirs: Path) -> MergeReviewDialog | None:
    """File → Merge workspace…, waited for (it runs as an operation, off the GUI thread)."""
    page.prompts.will_answer("open_file", str(theirs))
    page.trigger("actionMergeWorkspace")
    page.qtbot.waitUntil(lambda: page.workbench.operations.busy is None, timeout=30000)
    return page.window.interchange.merge_review


@pytest.fixture
def conflicted(page, theirs, shared):
    """Both noted the same passage, Bob later: his version was kept."""
    alice_edits(page, shared.id, ALICE_NOTE)
    with bob(theirs) as session:
        session.annotations.edit(shared.id, note=BOB_NOTE)
    page.workbench.undo_stack.clear()
    return merge(page, theirs)


def note(page, passage_id: str) -> str:
    return page.session.annotations.get(passage_id).note


def kept(dialog: MergeReviewDialog, row: int = 0) -> str:
    return dialog.model.index(row, KEPT).data()


def test_a_conflict_is_listed_and_the_other_version_can_be_taken_and_undone(
    page, conflicted, shared, qtmodeltester
):
    dialog = conflicted
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert dialog.model.rowCount() == 1
    conflict = dialog.model.index(0, 0).data(CONFLICT_ROLE)
    assert (conflict.table, conflict.record_id, conflict.fields) == (
        "annotations",
        shared.id,
        ("note",),
    )
    what, fields, ours, theirs, _ = (dialog.model.index(0, c).data() for c in range(5))
    assert what.startswith("Passage «") and fields == "note"
    assert ours.splitlines()[0] == f"“{ALICE_NOTE[:47]}…”"
    assert ours.splitlines()[1].endswith("by tester")
    assert theirs.splitlines()[1].endswith("by bob")
    assert kept(dialog) == "theirs" and note(page, shared.id) == BOB_NOTE
    assert dialog.model.index(0, THEIRS).data(Qt.ItemDataRole.FontRole).bold()
    assert dialog.model.index(0, OURS).data(Qt.ItemDataRole.FontRole) is None
    assert dialog.model.index(0, OURS).data(Qt.ItemDataRole.ToolTipRole) == f"“{ALICE_NOTE}”"
    stack = page.workbench.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Merge bob.sqlite"

    dialog.take_button.click()
    assert note(page, shared.id) == ALICE_NOTE and kept(dialog) == "ours"
    assert dialog.model.index(0, OURS).data(Qt.ItemDataRole.FontRole).bold()
    assert stack.count() == 2 and stack.undoText().startswith("Take our version of passage «")
    page.undo()
    assert note(page, shared.id) == BOB_NOTE and kept(dialog) == "theirs"
    page.redo()
    assert note(page, shared.id) == ALICE_NOTE and kept(dialog) == "ours"
    dialog.take_button.click()  # and back again: a second step
    assert note(page, shared.id) == BOB_NOTE and kept(dialog) == "theirs"
    assert stack.count() == 3
    qtmodeltester.check(dialog.model, force_py=True)


def test_taking_a_version_of_a_record_changed_since_is_refused(page, conflicted, shared):
    alice_edits(page, shared.id, "a third opinion")
    steps = page.workbench.undo_stack.count()
    assert not conflicted.take_other_version()
    assert len(page.prompts.errors) == 1 and "changed since the merge" in page.prompts.errors[0]
    assert note(page, shared.id) == "a third opinion" and kept(conflicted) == "theirs"
    assert page.workbench.undo_stack.count() == steps


def test_undoing_the_merge_itself_puts_everything_back_and_disables_the_review(
    page, conflicted, shared
):
    dialog = conflicted
    dialog.take_button.click()
    page.undo()
    page.undo()  # the merge
    assert note(page, shared.id) == ALICE_NOTE  # as before the merge
    assert not dialog.take_button.isEnabled()
    assert "undone" in dialog.summary.text()
    page.redo()
    assert note(page, shared.id) == BOB_NOTE and kept(dialog) == "theirs"
    assert dialog.take_button.isEnabled()


def test_the_status_line_gives_the_counts_and_the_backup(page, theirs, shared):
    seen = []
    page.workbench.status.connect(seen.append)
    with bob(theirs) as session:
        session.annotations.edit(shared.id, note=BOB_NOTE)
    dialog = merge(page, theirs)
    assert dialog is None  # only Bob changed it: no conflict, nothing to review
    assert note(page, shared.id) == BOB_NOTE
    assert seen[-1].startswith("Merged bob.sqlite: 0 added, 1 updated, 0 conflicts, ")
    backup_path = Path(seen[-1].split("backup at ")[1])
    assert backup_path.is_file() and backup_path.parent.name.endswith(".backups")
    page.undo()
    assert note(page, shared.id) == shared.note


def test_merging_the_workspace_itself_is_refused(page, sample_path):
    assert merge(page, sample_path) is None
    assert page.prompts.errors == ["That is this workspace itself; nothing to merge."]
    assert page.workbench.undo_stack.count() == 0


def test_a_file_that_is_no_workspace_is_one_error(page, tmp_path):
    junk = tmp_path / "notes.sqlite"
    junk.write_text("not a database")
    assert merge(page, junk) is None
    assert len(page.prompts.errors) == 1 and "\n" not in page.prompts.errors[0]
    assert page.workbench.undo_stack.count() == 0


@pytest.fixture
def look_alike(page, theirs):
    """Bob made his own entity for a name Alice's registry knows as an alias."""
    with bob(theirs) as session:
        made = session.entities.create("Person", "Dmitri Peskov").record
    dialog = merge(page, theirs)
    assert dialog is not None and dialog.model.rowCount() == 0
    assert not dialog.table.isVisible() and dialog.proposals.isVisible()
    return dialog, made.id


def test_look_alike_entities_can_be_merged_and_the_merge_undone(page, look_alike):
    dialog, bobs = look_alike
    [proposal] = dialog.open_proposals()
    entities = page.session.entities
    ours = entities.find_by_name("Dmitry Peskov")
    assert (proposal.ours_id, proposal.theirs_id) == (ours.id, bobs)
    assert dialog.proposals.item(0).text().startswith("«Dmitry Peskov» (ours) and «Dmitri")
    dialog.merge_button.click()
    assert entities.find(bobs) is None
    assert dialog.open_proposals() == [] and not dialog.merge_button.isEnabled()
    assert page.workbench.undo_stack.undoText() == "Merge Dmitri Peskov into Dmitry Peskov"
    page.undo()
    assert entities.find(bobs) is not None
    assert dialog.open_proposals() == [proposal] and dialog.merge_button.isEnabled()
    page.redo()
    assert entities.find(bobs) is None and dialog.open_proposals() == []


def test_not_the_same_dismisses_the_pair_and_changes_nothing(page, look_alike):
    dialog, bobs = look_alike
    steps = page.workbench.undo_stack.count()
    dialog.dismiss_button.click()
    assert dialog.proposals.count() == 0 and dialog.open_proposals() == []
    assert page.session.entities.find(bobs) is not None
    assert page.workbench.undo_stack.count() == steps
    assert dialog.proposals_label.text().startswith("0 pairs of entities")


def test_values_are_described_for_people(qtmodeltester):
    assert describe_values({"deleted_at": "2021-04-16T10:00:00Z"}) == "deleted"
    assert describe_values({"note": "", "releasable": False}) == "note: —; releasable: no"
    assert describe_values({"aliases": ["A", "B"]}) == "“A, B”"
    qtmodeltester.check(ConflictModel([]), force_py=True)


def test_screenshot_of_the_review(page, theirs, shared, qtbot, tmp_path):
    alice_edits(page, shared.id, ALICE_NOTE)
    with bob(theirs) as session:
        session.annotations.edit(shared.id, note=BOB_NOTE)
        session.entities.create("Person", "Dmitri Peskov")
        lavrov = session.documents.list_documents()[0].id
        session.annotations.create(lavrov, 0, 10)
    dialog = merge(page, theirs)
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(tmp_path / "merge_review.png"))
    assert dialog.model.rowCount() == 1 and len(dialog.open_proposals()) == 1
    assert dialog.conflicts_label.text().startswith("1 record changed on both sides")
    assert dialog.proposals_label.text().startswith("1 pair of entities may be")
    assert dialog.summary.text().startswith("Merged bob.sqlite: ")


@pytest.fixture
def held(monkeypatch):
    """Merges wait at their start until the test releases them, so it can act meanwhile."""
    from workstation.services import merge

    gate = threading.Event()
    real = merge.merge_workspace  # what session.exchange.merge calls

    def merge_when_released(session, other, *, progress=None):
        gate.wait(30)
        return real(session, other, progress=progress)

    monkeypatch.setattr(merge, "merge_workspace", merge_when_released)
    yield gate
    gate.set()


def test_cancelling_the_merge_rolls_it_back_and_says_so(page, theirs, shared, held, qtbot):
    from PySide6.QtWidgets import QProgressBar, QPushButton

    with bob(theirs) as session:
        session.annotations.edit(shared.id, note=BOB_NOTE)
    changes_before = page.session.workspace.conn.execute("SELECT count(*) FROM changes").fetchone()
    page.prompts.will_answer("open_file", str(theirs))
    page.trigger("actionMergeWorkspace")
    assert page.window.findChild(QProgressBar, "operationProgressBar").isVisible()
    with qtbot.waitSignal(page.workbench.operations.finished, timeout=30000):
        qtbot.mouseClick(page.window.findChild(QPushButton, "operationCancel"), LEFT_BUTTON)
        held.set()  # heard at the merge's first progress step, inside its transaction
    assert page.window.statusBar().currentMessage() == "Merge cancelled; nothing changed"
    qtbot.waitUntil(lambda: page.window.findChild(QPushButton, "operationCancel") is None)
    assert page.session.annotations.get(shared.id).note == shared.note
    after = page.session.workspace.conn.execute("SELECT count(*) FROM changes").fetchone()
    assert after == changes_before and page.workbench.undo_stack.count() == 0
    assert page.window.interchange.last_merge is None and not page.prompts.errors


def other_passage(page, shared) -> Annotation:
    session = page.session
    every = [
        a
        for d in session.documents.list_documents()
        for a in session.annotations.for_document(d.id)
    ]
    return next(a for a in every if a.id != shared.id)


def test_an_edit_while_a_merge_runs_is_refused_and_the_merge_is_one_step(
    page, theirs, shared, held, qtbot
):
    with bob(theirs) as session:
        session.annotations.edit(shared.id, note=BOB_NOTE)
    passage = other_passage(page, shared)
    page.prompts.will_answer("open_file", str(theirs))
    with qtbot.waitSignal(page.workbench.operations.finished, timeout=30000):
        page.trigger("actionMergeWorkspace")
        alice_edits(page, passage.id, "typed while the merge runs")
        assert page.window.statusBar().currentMessage() == (
            "Not saved: merging bob.sqlite is running; try again when it finishes"
        )
        assert not page.action("actionUndo").isEnabled()
        held.set()
    stack = page.workbench.undo_stack
    assert [stack.text(i) for i in range(stack.count())] == ["Merge bob.sqlite"]
    assert note(page, passage.id) == passage.note and note(page, shared.id) == BOB_NOTE
    assert page.action("actionUndo").isEnabled()
    page.undo()  # the whole merge, as one step, through the window's connection
    assert note(page, shared.id) == shared.note


def test_the_window_keeps_turning_while_a_merge_runs(page, theirs, shared, held, qtbot):
    from PySide6.QtCore import QTimer

    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(page.workbench.operations.busy))
    timer.start(5)
    page.prompts.will_answer("open_file", str(theirs))
    with qtbot.waitSignal(page.workbench.operations.finished, timeout=30000):
        page.trigger("actionMergeWorkspace")
        qtbot.waitUntil(lambda: len(ticks) >= 5)  # the event loop turns while it runs
        hits = page.search("sanctions")  # and the officer can read and search meanwhile
        held.set()
    timer.stop()
    assert ticks[:5] == ["Merging bob.sqlite"] * 5 and hits
