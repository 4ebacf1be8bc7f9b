"""The annotation inspector dock: category, note, releasability and entity links, each
edit one undo step, the view following undo and redo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from tests.helpers.pages import type_text
from workstation.domain.records import Annotation
from workstation.ui.inspector.dock import InspectorDock

# The offscreen platform cannot raise windows or grab the keyboard (a completer popup
# does); these notices describe the test platform, not a fault in the widgets.
OFFSCREEN_LIMITS = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


def find_passage(session, quote_start: str) -> Annotation:
    for row in session.documents.list_documents():
        for passage in session.annotations.for_document(row.id):
            if passage.exact.startswith(quote_start):
                return passage
    raise LookupError(quote_start)


@pytest.fixture
def window(dock_host):
    win = dock_host(
        lambda wb, parent: InspectorDock(wb, parent, choose_colour=lambda parent, current: None),
        size=(900, 700),
    )
    win.inspector = win.dock
    yield win
    if win.inspector.codebook_editor is not None:
        win.inspector.codebook_editor.close()


@pytest.fixture
def inspector(window):
    return window.inspector


@pytest.fixture
def reciprocity(workbench, inspector):
    """The inspector showing the 'Russia assures reciprocity' headline passage."""
    passage = find_passage(workbench.session, "Russia assures reciprocity")
    workbench.select_passage(passage.id)
    return passage


def stored(workbench, passage) -> Annotation:
    return workbench.session.annotations.get(passage.id)


def linked_names(inspector) -> list[tuple[str, str]]:
    table = inspector.links.table
    return [
        (table.item(row, 0).text(), table.cellWidget(row, 1).currentData())
        for row in range(table.rowCount())
    ]


def test_empty_state_shows_a_hint_and_disables_the_form(inspector, workbench, reciprocity):
    assert inspector.pages.currentWidget() is inspector.form
    assert inspector.form.isEnabled()
    workbench.select_passage(None)
    assert inspector.pages.currentWidget() is inspector.hint
    assert not inspector.form.isEnabled()
    assert "Select a passage" in inspector.hint.text()


def test_shows_quote_document_category_note_and_links(inspector, workbench):
    passage = find_passage(workbench.session, "We consider any pursuit")
    workbench.select_passage(passage.id)
    assert "We consider any pursuit of sanctions as illegal." in inspector.quote.text()
    title = workbench.session.documents.get(passage.document_id).title
    assert title in inspector.document_label.text()
    assert inspector.category.currentText().startswith("Statement")
    assert inspector.releasable.isChecked()
    assert sorted(linked_names(inspector)) == [("Dmitry Peskov", "speaker"), ("Kremlin", "actor")]


def test_long_quotes_are_elided_with_the_full_text_in_the_tooltip(inspector, workbench):
    passage = find_passage(workbench.session, "United States President Joe Biden")
    workbench.select_passage(passage.id)
    if len(passage.exact) > 280:
        assert inspector.quote.text().endswith("…”")
    assert inspector.quote.toolTip() == passage.exact


def test_every_control_is_named(inspector, reciprocity):
    controls = [
        w
        for w in inspector.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisibleTo(inspector)
    ]
    assert len(controls) >= 8
    for widget in controls:
        assert widget.objectName() and widget.accessibleName(), widget


def test_category_change_is_undoable(inspector, workbench, reciprocity):
    combo = inspector.category
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith("Sanction"))
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    sanction = workbench.session.codebook.by_name("Sanction")
    assert stored(workbench, reciprocity).category_id == sanction.id
    assert workbench.undo_stack.undoText() == "Set category to Sanction"
    workbench.undo_stack.undo()
    assert stored(workbench, reciprocity).category_id == reciprocity.category_id
    assert combo.currentText().startswith("Countermeasure")
    workbench.undo_stack.redo()
    assert combo.currentText().startswith("Sanction")


def test_note_saves_once_on_ctrl_enter_and_undo_restores_it(
    inspector, workbench, reciprocity, qtbot
):
    count = workbench.undo_stack.count()
    inspector.note.setFocus()
    qtbot.keyClicks(inspector.note, "Headline only")
    assert workbench.undo_stack.count() == count  # not per keystroke
    qtbot.keyClick(inspector.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert workbench.undo_stack.count() == count + 1
    assert stored(workbench, reciprocity).note == "Headline only"
    assert inspector.note.toPlainText() == "Headline only"  # Ctrl+Enter adds no newline
    workbench.undo_stack.undo()
    assert inspector.note.toPlainText() == reciprocity.note == ""
    workbench.undo_stack.redo()
    assert inspector.note.toPlainText() == "Headline only"


def test_note_saves_on_focus_out_and_when_another_passage_is_selected(
    inspector, workbench, reciprocity
):
    inspector.note.setPlainText("First thought")
    QApplication.sendEvent(inspector.note, QFocusEvent(QEvent.Type.FocusOut))
    assert stored(workbench, reciprocity).note == "First thought"
    QApplication.sendEvent(inspector.note, QFocusEvent(QEvent.Type.FocusOut))
    assert workbench.undo_stack.count() == 1  # unchanged text: nothing more to save
    inspector.note.setPlainText("Second thought")
    other = find_passage(workbench.session, "We consider any pursuit")
    workbench.select_passage(other.id)
    assert stored(workbench, reciprocity).note == "Second thought"
    assert inspector.note.toPlainText() == ""


def test_releasable_toggle_is_undoable(inspector, workbench, reciprocity, qtbot):
    qtbot.mouseClick(inspector.releasable, Qt.MouseButton.LeftButton)
    assert not stored(workbench, reciprocity).releasable
    assert workbench.undo_stack.undoText() == "Mark internal"
    workbench.undo_stack.undo()
    assert stored(workbench, reciprocity).releasable
    assert inspector.releasable.isChecked()
    workbench.undo_stack.redo()
    assert not inspector.releasable.isChecked()


@OFFSCREEN_LIMITS
def test_link_existing_entity_by_cyrillic_alias(inspector, workbench, reciprocity, qtbot):
    links = inspector.links
    links.role_combo.setCurrentIndex(links.role_combo.findData("speaker"))
    links.input.setFocus()
    type_text(links.input, "Песков")
    assert links.input.text() == "Песков"
    completions = [
        links.completer.completionModel().index(row, 0).data()
        for row in range(links.completer.completionCount())
    ]
    assert "Песков — Dmitry Peskov (Person)" in completions
    qtbot.keyClick(links.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ("Dmitry Peskov", "speaker") in linked_names(inspector))
    assert links.input.text() == ""
    assert workbench.undo_stack.undoText() == "Link Dmitry Peskov"
    workbench.undo_stack.undo()
    assert linked_names(inspector) == [("Russia", "actor")]


def test_link_new_name_creates_entity_and_one_undo_removes_both(
    inspector, workbench, reciprocity, prompts
):
    entities = workbench.session.entities
    count = len(entities.list_entities())
    links = inspector.links
    links.input.setText("Сергей Рябков")
    links.link_button.click()  # Link never creates: nothing asked, nothing linked
    assert prompts.asked == []
    assert linked_names(inspector) == [("Russia", "actor")]
    assert "New entity" in links.hint.text()
    prompts.will_answer("choose", "Person")
    links.create_button.click()  # the explicit choice
    assert ("Сергей Рябков", "mentioned") in linked_names(inspector)
    assert entities.find_by_name("Сергей Рябков").kind == "Person"
    assert prompts.asked[-1] == ("choose", "New entity")
    workbench.undo_stack.undo()
    assert entities.find_by_name("Сергей Рябков") is None
    assert len(entities.list_entities()) == count
    assert linked_names(inspector) == [("Russia", "actor")]
    workbench.undo_stack.redo()
    assert ("Сергей Рябков", "mentioned") in linked_names(inspector)
    # New names reach the popup.
    links.show_matches("Рябков")
    labels = [
        links.completion_model.item(row).text() for row in range(links.completion_model.rowCount())
    ]
    assert labels[0] == "Сергей Рябков (Person)"


def test_cancelling_the_kind_question_does_nothing(inspector, workbench, reciprocity):
    inspector.links.input.setText("Nobody Known")
    inspector.links.create_button.click()
    assert workbench.undo_stack.count() == 0
    assert workbench.session.entities.find_by_name("Nobody Known") is None
    assert inspector.links.input.text() == "Nobody Known"


def test_unlink_and_role_change_are_undoable(inspector, workbench):
    passage = find_passage(workbench.session, "We consider any pursuit")
    workbench.select_passage(passage.id)
    table = inspector.links.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Kremlin")
    role = table.cellWidget(row, 1)
    assert isinstance(role, QComboBox) and role.objectName() == "inspectorMentionRole"
    role.setCurrentIndex(role.findData("subject"))
    role.activated.emit(role.currentIndex())
    assert ("Kremlin", "subject") in linked_names(inspector)
    assert workbench.undo_stack.undoText() == "Change role to subject"

    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Dmitry Peskov")
    table.selectRow(row)
    assert inspector.links.unlink_button.isEnabled()
    inspector.links.unlink_button.click()
    assert sorted(linked_names(inspector)) == [("Kremlin", "subject")]
    workbench.undo_stack.undo()
    workbench.undo_stack.undo()
    assert sorted(linked_names(inspector)) == [("Dmitry Peskov", "speaker"), ("Kremlin", "actor")]


def test_refused_role_change_puts_the_combo_back(inspector, workbench, prompts):
    passage = find_passage(workbench.session, "We consider any pursuit")
    workbench.select_passage(passage.id)
    peskov = workbench.session.entities.find_by_name("Peskov")
    workbench.apply("link", lambda: workbench.session.entities.link(passage.id, peskov.id, "actor"))
    table = inspector.links.table
    row = next(
        r
        for r in range(table.rowCount())
        if linked_names(inspector)[r] == ("Dmitry Peskov", "speaker")
    )
    role = table.cellWidget(row, 1)
    role.setCurrentIndex(role.findData("actor"))
    role.activated.emit(role.currentIndex())
    assert prompts.errors and "already linked" in prompts.errors[-1]
    assert ("Dmitry Peskov", "speaker") in linked_names(inspector)


def test_deleted_passage_empties_and_undo_brings_it_back(inspector, workbench, reciprocity):
    workbench.apply("Delete", lambda: workbench.session.annotations.delete(reciprocity.id))
    assert inspector.pages.currentWidget() is inspector.hint
    workbench.undo_stack.undo()
    assert inspector.pages.currentWidget() is inspector.form
    assert "Russia assures reciprocity" in inspector.quote.text()


def test_codebook_changes_reach_the_category_combo(inspector, workbench, reciprocity):
    category = workbench.session.codebook.by_name("Countermeasure")
    workbench.apply(
        "rename", lambda: workbench.session.codebook.edit(category.id, name="Retaliation")
    )
    assert inspector.category.currentText() == "Retaliation  [3]"


@OFFSCREEN_LIMITS
def test_actions_have_their_shortcuts(window, inspector, reciprocity, qtbot):
    focus = window.registry["actionFocusInspector"]
    assert focus.shortcut() == QKeySequence("Ctrl+I")
    edit = window.registry["actionEditCodebook"]
    assert edit.shortcut() == QKeySequence("Ctrl+Shift+K")
    window.activateWindow()
    focus.trigger()
    qtbot.waitUntil(inspector.note.hasFocus)
    edit.trigger()
    editor = inspector.codebook_editor
    assert editor is not None and editor.isVisible()
    assert editor.objectName() == "codebookEditor"
    edit.trigger()
    assert inspector.codebook_editor is editor  # one editor, raised again


def test_every_widget_has_an_object_name(inspector, reciprocity):
    unnamed = [
        w
        for w in inspector.form.findChildren(QWidget)
        if not w.objectName()
        and not w.objectName().startswith("qt_")
        and w.parent() is not None
        and type(w).__module__.startswith("PySide6")
        and isinstance(w, (QLabel, QComboBox, QPushButton, QLineEdit, QCheckBox))
    ]
    assert unnamed == []
