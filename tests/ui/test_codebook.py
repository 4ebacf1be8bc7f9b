"""The codebook editor: every change one undo step, the service's refusals shown as errors."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from workstation.domain.colour import next_colour
from workstation.domain.vocab import DEFAULT_CATEGORIES
from workstation.ui.codebook.editor import CodebookEditor


@pytest.fixture
def colours():
    """What the colour picker answers next (None = cancelled)."""
    return ["#123456"]


@pytest.fixture
def editor(qtbot, workbench, colours):
    dialog = CodebookEditor(
        workbench, choose_colour=lambda parent, current: colours.pop(0) if colours else None
    )
    qtbot.addWidget(dialog)
    dialog.show()  # never exec(): a modal loop hangs an offscreen test
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.close()


def names(workbench) -> list[str]:
    return [c.name for c in workbench.session.codebook.list_categories()]


def shown_names(editor) -> list[str]:
    model = editor.model
    return [model.index(row, 1).data() for row in range(model.rowCount())]


def select(editor, name: str) -> None:
    editor.select(editor.codebook.by_name(name).id)
    assert editor.current().name == name


def test_model_passes_the_model_tester(editor, qtmodeltester):
    qtmodeltester.check(editor.model, force_py=True)
    first_colour = QColor(DEFAULT_CATEGORIES[0].colour)
    assert editor.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) == first_colour
    assert editor.model.index(0, 2).data() == "1"


def test_every_control_is_named(editor):
    controls = [
        w
        for w in editor.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisibleTo(editor)
    ]
    assert len(controls) >= 9
    for widget in controls:
        assert widget.objectName() and widget.accessibleName(), widget


def test_add_is_undoable_and_picks_an_unused_colour(editor, workbench, prompts, qtmodeltester):
    before = names(workbench)
    used_before = [c.colour for c in workbench.session.codebook.list_categories()]
    prompts.will_answer("ask_text", "Cyber operation")
    editor.buttons["codebookAdd"].click()
    assert shown_names(editor) == [*before, "Cyber operation"]
    assert editor.current().name == "Cyber operation"
    colour = editor.current().colour
    assert colour.lower() not in {u.lower() for u in used_before}
    assert colour == next_colour([u.lower() for u in used_before])
    assert workbench.undo_stack.undoText() == "Add category Cyber operation"
    qtmodeltester.check(editor.model, force_py=True)
    workbench.undo_stack.undo()
    assert shown_names(editor) == before
    editor.buttons["codebookAdd"].click()  # no answer queued: cancelled
    assert workbench.undo_stack.count() == 1


def test_rename_is_undoable_and_duplicates_are_refused(editor, workbench, prompts):
    select(editor, "Other")
    prompts.will_answer("ask_text", "Background", "Sanction")
    editor.buttons["codebookRename"].click()
    assert "Background" in shown_names(editor)
    assert editor.current().name == "Background"  # selection follows the row
    editor.buttons["codebookRename"].click()
    assert prompts.errors == ["a category named 'Sanction' already exists"]
    workbench.undo_stack.undo()
    assert "Other" in shown_names(editor) and "Background" not in shown_names(editor)


def test_inline_edits_go_through_the_undo_stack(editor, workbench, prompts):
    model = editor.model
    row = model.row_of(editor.codebook.by_name("Statement").id)
    assert model.setData(model.index(row, 3), "Said on the record")
    assert editor.codebook.by_name("Statement").description == "Said on the record"
    assert not model.setData(model.index(row, 2), "x")
    assert prompts.errors == ["A key is a digit from 1 to 9."]
    workbench.undo_stack.undo()
    assert editor.codebook.by_name("Statement").description.startswith("An official")


def test_recolour_through_the_injected_picker_is_undoable(editor, workbench, colours):
    select(editor, "Statement")
    original = editor.codebook.by_name("Statement").colour
    editor.buttons["codebookColour"].click()
    assert editor.codebook.by_name("Statement").colour == "#123456"
    row = editor.model.row_of(editor.current().id)
    assert editor.model.index(row, 0).data(Qt.ItemDataRole.DecorationRole) == QColor("#123456")
    editor.buttons["codebookColour"].click()  # picker cancelled
    assert workbench.undo_stack.count() == 1
    workbench.undo_stack.undo()
    assert editor.codebook.by_name("Statement").colour == original


def test_reorder_moves_one_step_per_undo(editor, workbench, qtmodeltester):
    before = names(workbench)
    select(editor, before[0])
    assert not editor.buttons["codebookUp"].isEnabled()
    editor.buttons["codebookDown"].click()
    editor.buttons["codebookDown"].click()
    assert shown_names(editor) == [before[1], before[2], before[0], *before[3:]]
    assert editor.current().name == before[0]
    assert workbench.undo_stack.undoText() == f"Move {before[0]} down"
    qtmodeltester.check(editor.model, force_py=True)
    workbench.undo_stack.undo()
    assert shown_names(editor) == [before[1], before[0], *before[2:]]
    editor.buttons["codebookUp"].click()
    assert shown_names(editor) == before
    select(editor, before[-1])
    assert not editor.buttons["codebookDown"].isEnabled()


def test_keys_are_assigned_duplicates_refused_and_undone(editor, workbench, prompts):
    select(editor, "Other")
    prompts.will_answer("choose", "9", "1", "No key")
    editor.buttons["codebookKey"].click()
    assert editor.codebook.by_name("Other").shortcut == "9"
    editor.buttons["codebookKey"].click()
    assert prompts.errors == ["key 1 is already used by Sanction"]
    assert editor.codebook.by_name("Other").shortcut == "9"
    editor.buttons["codebookKey"].click()
    assert editor.codebook.by_name("Other").shortcut is None
    workbench.undo_stack.undo()
    workbench.undo_stack.undo()
    assert editor.codebook.by_name("Other").shortcut == "8"


def test_delete_is_refused_while_in_use_and_undoable_otherwise(editor, workbench, prompts):
    select(editor, "Sanction")
    editor.buttons["codebookDelete"].click()
    assert prompts.errors == ["category is still used by passages; recategorise them first"]
    assert workbench.undo_stack.count() == 0
    prompts.will_answer("ask_text", "Spare")
    editor.buttons["codebookAdd"].click()
    editor.buttons["codebookDelete"].click()
    assert "Spare" not in shown_names(editor)
    assert editor.current() is not None  # a neighbour stays selected
    workbench.undo_stack.undo()
    assert "Spare" in shown_names(editor)


def test_changes_made_elsewhere_reach_the_editor(editor, workbench):
    other = workbench.session.codebook.by_name("Other")
    workbench.apply("rename", lambda: workbench.session.codebook.edit(other.id, name="Misc"))
    assert "Misc" in shown_names(editor)
