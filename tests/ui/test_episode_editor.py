"""The episode editor dock: title, bottom line, outlook, marking and the ordered key
judgments, each edit one undo step; ICD 203 wording warnings shown as the officer types."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QWidget,
)

from tests.helpers.pages import type_text
from workstation.ui.episode.editor import EpisodeEditorDock
from workstation.ui.shell.workbench import Workbench


@pytest.fixture
def window(dock_host):
    win = dock_host(lambda wb, parent: EpisodeEditorDock(wb, parent), size=(1100, 800))
    win.editor = win.dock
    return win


@pytest.fixture
def editor(window):
    return window.editor


@pytest.fixture
def panel(editor):
    return editor.judgments


def leave(widget: QWidget) -> None:
    """The officer moves on to another field: the edit is saved."""
    QApplication.sendEvent(widget, QFocusEvent(QEvent.Type.FocusOut))


def retype(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    type_text(widget, text)


def stored_episode(workbench):
    return workbench.session.episodes.list_episodes()[0]


def stored_judgments(workbench) -> list:
    return workbench.session.episodes.judgments(stored_episode(workbench).id)


def choose(combo: QComboBox, data: str) -> None:
    """Pick an item as a user does: the combo emits ``activated``."""
    combo.setCurrentIndex(combo.findData(data))
    combo.activated.emit(combo.currentIndex())


def test_shows_the_sample_episode_and_names_every_control(editor, workbench):
    episode = stored_episode(workbench)
    assert editor.objectName() == "episodeEditorDock"
    assert editor.title.text() == episode.title
    assert editor.bottom_line.toPlainText() == episode.bottom_line
    assert editor.outlook.toPlainText() == episode.outlook
    assert editor.marking.currentText() == "TLP:AMBER"
    assert not editor.episode_combo.isVisible()  # one episode: no choice to make
    assert editor.judgments.judgment.id == stored_judgments(workbench)[0].id  # first shown
    assert [editor.marking.itemText(i) for i in range(editor.marking.count())] == [
        "TLP:CLEAR",
        "TLP:GREEN",
        "TLP:AMBER",
        "TLP:AMBER+STRICT",
        "TLP:RED",
    ]
    kinds = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QListView)
    controls = [w for w in editor.widget().findChildren(QWidget) if isinstance(w, kinds)]
    assert len(controls) >= 14
    for widget in controls:
        assert widget.objectName(), widget
        assert widget.accessibleName(), widget.objectName()
    assert editor.judgments.warnings.objectName() == "judgmentWarnings"


@pytest.mark.parametrize(
    ("widget_name", "field", "undo_text"),
    [
        ("title", "title", "Rename episode"),
        ("bottom_line", "bottom_line", "Edit bottom line"),
        ("outlook", "outlook", "Edit outlook"),
    ],
)
def test_text_fields_save_on_leaving_as_one_undo_step(
    editor, workbench, widget_name, field, undo_text
):
    widget = getattr(editor, widget_name)
    before = getattr(stored_episode(workbench), field)
    retype(widget, "Moscow answers in kind")
    assert getattr(stored_episode(workbench), field) == before  # typing alone saves nothing
    leave(widget)
    assert getattr(stored_episode(workbench), field) == "Moscow answers in kind"
    assert workbench.undo_stack.count() == 1
    assert workbench.undo_stack.undoText() == undo_text
    leave(widget)  # leaving again without typing is no second step
    assert workbench.undo_stack.count() == 1

    workbench.undo_stack.undo()
    assert getattr(stored_episode(workbench), field) == before
    shown = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
    assert shown == before
    workbench.undo_stack.redo()
    shown = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
    assert shown == "Moscow answers in kind"


def test_the_watch_list_is_one_item_a_line(editor, workbench):
    before = stored_episode(workbench).watch
    assert editor.watch.toPlainText() == "\n".join(before) and len(before) >= 3
    editor.watch.setPlainText("Ambassador returns\n\n  EU renewal date  ")
    editor.watch.document().setModified(True)  # as typing leaves it
    leave(editor.watch)
    assert stored_episode(workbench).watch == ["Ambassador returns", "EU renewal date"]
    assert workbench.undo_stack.undoText() == "Edit what to watch"
    workbench.undo_stack.undo()
    assert stored_episode(workbench).watch == before


def test_ctrl_enter_saves_the_bottom_line(editor, workbench, qtbot):
    retype(editor.bottom_line, "Short.")
    qtbot.keyClick(editor.bottom_line, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert stored_episode(workbench).bottom_line == "Short."
    assert editor.bottom_line.toPlainText() == "Short."  # Ctrl+Enter adds no line break


def test_a_blank_title_is_refused_and_put_back(editor, workbench, prompts):
    title = stored_episode(workbench).title
    retype(editor.title, " ")
    leave(editor.title)
    assert prompts.errors == ["An episode needs a title."]
    assert stored_episode(workbench).title == title
    assert editor.title.text() == title
    assert workbench.undo_stack.count() == 0


def test_marking_from_the_list_or_typed_is_undoable(editor, workbench, qtbot):
    editor.marking.setCurrentIndex(editor.marking.findText("TLP:RED"))
    editor.marking.activated.emit(editor.marking.currentIndex())
    assert stored_episode(workbench).marking == "TLP:RED"
    assert workbench.undo_stack.undoText() == "Set marking to TLP:RED"

    line = editor.marking.lineEdit()
    retype(line, "EU RESTRICTED")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert stored_episode(workbench).marking == "EU RESTRICTED"
    assert workbench.undo_stack.count() == 2
    workbench.undo_stack.undo()
    assert editor.marking.currentText() == "TLP:RED"
    workbench.undo_stack.undo()
    assert editor.marking.currentText() == "TLP:AMBER"
    assert stored_episode(workbench).marking == "TLP:AMBER"


def test_judgment_list_model_passes_the_model_tester(panel, qtmodeltester):
    assert panel.model.rowCount() == 4
    assert panel.model.index(0).data().startswith("1 · very likely · moderate confidence — ")
    qtmodeltester.check(panel.model, force_py=True)


def test_selecting_a_judgment_shows_its_fields(panel, workbench):
    first = stored_judgments(workbench)[0]
    panel.list.setCurrentIndex(panel.model.index(0))
    assert panel.text.toPlainText() == first.text
    assert panel.likelihood.currentData() == "very likely"
    assert panel.likelihood.currentText() == "very likely (80–95 %)"
    assert panel.confidence.currentData() == "moderate"
    assert panel.cited.count() == 2
    assert panel.cited.item(0).text().startswith("“")
    assert not panel.up_button.isEnabled() and panel.down_button.isEnabled()


def test_judgment_text_likelihood_and_confidence_are_undoable(panel, workbench):
    panel.list.setCurrentIndex(panel.model.index(1))
    judgment_id = panel.judgment.id

    def stored():
        return next(j for j in stored_judgments(workbench) if j.id == judgment_id)

    retype(panel.text, "Sanctions will change Moscow's conduct.")
    leave(panel.text)
    choose(panel.likelihood, "very unlikely")
    choose(panel.confidence, "high")
    assert (stored().text, stored().likelihood, stored().confidence) == (
        "Sanctions will change Moscow's conduct.",
        "very unlikely",
        "high",
    )
    assert workbench.undo_stack.count() == 3
    assert workbench.undo_stack.undoText() == "Set confidence to high"
    assert "very unlikely · high confidence" in panel.model.index(1).data()

    workbench.undo_stack.undo()
    assert panel.confidence.currentData() == "moderate"
    workbench.undo_stack.undo()
    assert panel.likelihood.currentData() == "unlikely"
    workbench.undo_stack.undo()
    assert panel.text.toPlainText().startswith("The April sanctions will change")
    assert panel.judgment.id == judgment_id  # the selection stayed on the same judgment
    workbench.undo_stack.redo()
    assert panel.text.toPlainText() == "Sanctions will change Moscow's conduct."


def test_add_move_and_delete_judgments_with_undo(panel, workbench, prompts):
    original = [j.id for j in stored_judgments(workbench)]
    prompts.will_answer("ask_text", "Moscow will expel more US diplomats.")
    panel.add_button.click()
    judgments = stored_judgments(workbench)
    added = judgments[-1]
    assert [j.id for j in judgments[:-1]] == original
    assert (added.text, added.likelihood, added.confidence, added.position) == (
        "Moscow will expel more US diplomats.",
        "roughly even chance",
        "low",
        4,
    )
    assert panel.judgment.id == added.id  # the new judgment is selected for editing
    assert workbench.undo_stack.undoText() == "Add key judgment"

    panel.up_button.click()
    panel.up_button.click()
    assert [j.id for j in stored_judgments(workbench)] == [*original[:2], added.id, *original[2:]]
    assert [j.position for j in stored_judgments(workbench)] == [0, 1, 2, 3, 4]
    assert panel.list.currentIndex().row() == 2  # the selection follows the judgment
    assert workbench.undo_stack.undoText() == "Move key judgment up"
    panel.down_button.click()
    assert [j.id for j in stored_judgments(workbench)][3] == added.id

    panel.delete_button.click()
    assert added.id not in [j.id for j in stored_judgments(workbench)]
    assert panel.model.rowCount() == 4
    assert panel.judgment is not None  # a neighbour is selected, not nothing

    workbench.undo_stack.undo()  # delete
    assert [j.id for j in stored_judgments(workbench)][3] == added.id
    workbench.undo_stack.undo()  # down
    workbench.undo_stack.undo()  # up
    assert [j.id for j in stored_judgments(workbench)][3] == added.id
    workbench.undo_stack.undo()  # up
    assert [j.id for j in stored_judgments(workbench)] == [*original, added.id]
    workbench.undo_stack.undo()  # add
    assert [j.id for j in stored_judgments(workbench)] == original
    assert panel.model.rowCount() == 4
    workbench.undo_stack.redo()
    assert panel.model.rowCount() == 5


def test_cancelled_new_judgment_adds_nothing(panel, workbench, prompts):
    panel.add_button.click()
    assert prompts.asked[-1] == ("ask_text", "New key judgment")
    assert len(stored_judgments(workbench)) == 4
    assert workbench.undo_stack.count() == 0


def test_cite_the_current_passage_and_remove_a_citation(panel, workbench):
    panel.list.setCurrentIndex(panel.model.index(2))
    judgment_id = panel.judgment.id
    assert not panel.cite_button.isEnabled()  # no passage selected in the reader
    other = stored_judgments(workbench)[0].cited[0]
    workbench.select_passage(other)
    assert panel.cite_button.isEnabled()
    panel.cite_button.click()
    assert stored_judgments(workbench)[2].cited[-1] == other
    assert panel.cited.count() == 2
    assert not panel.cite_button.isEnabled()  # already cited
    assert workbench.undo_stack.undoText() == "Cite passage"

    panel.cited.setCurrentRow(0)
    assert panel.uncite_button.isEnabled()
    panel.uncite_button.click()
    assert stored_judgments(workbench)[2].cited == [other]
    workbench.undo_stack.undo()
    workbench.undo_stack.undo()
    assert panel.cited.count() == 1
    assert panel.judgment.id == judgment_id


def test_activating_a_citation_opens_its_passage(panel, workbench):
    panel.list.setCurrentIndex(panel.model.index(0))
    cited = panel.judgment.cited[0]
    with_document = workbench.session.annotations.get(cited).document_id
    panel.cited.itemActivated.emit(panel.cited.item(0))
    assert workbench.current_document == with_document
    assert workbench.current_passage == cited


def test_warnings_appear_live_as_the_officer_types(panel, window, workbench):
    panel.list.setCurrentIndex(panel.model.index(0))
    assert not panel.warnings.isVisible()
    retype(panel.text, "It may possibly happen")
    assert panel.warnings.isVisible()
    text = panel.warnings.text()
    assert "“may” is outside the ICD 203 scale" in text
    assert "“possibly” is outside the ICD 203 scale" in text
    assert len(panel.text.extraSelections()) == 2  # each word underlined

    retype(panel.text, "We assess with high confidence that it is likely")
    assert "likelihood and confidence in one sentence" in panel.warnings.text()
    assert "outside the ICD 203 scale" not in panel.warnings.text()

    # The sample's first judgment is marked "very likely": wording on that band is fine.
    retype(panel.text, "Moscow will very likely respond. We have high confidence in this.")
    assert not panel.warnings.isVisible()
    assert panel.text.extraSelections() == []
    assert stored_judgments(workbench)[0].text.startswith("Moscow will meet")  # not saved yet


def test_unsaved_typing_survives_an_edit_made_elsewhere(panel, editor, workbench):
    panel.list.setCurrentIndex(panel.model.index(0))
    retype(panel.text, "Half-written judgment")
    episode = stored_episode(workbench)
    workbench.apply("Rename", lambda: workbench.session.episodes.edit(episode.id, title="New"))
    assert editor.title.text() == "New"
    assert panel.text.toPlainText() == "Half-written judgment"
    leave(panel.text)
    assert stored_judgments(workbench)[0].text == "Half-written judgment"


def test_an_emptied_judgment_is_refused_and_restored(panel, workbench, prompts):
    panel.list.setCurrentIndex(panel.model.index(0))
    before = panel.judgment.text
    retype(panel.text, "   ")
    leave(panel.text)
    assert prompts.errors == ["a judgment needs text"]
    assert panel.text.toPlainText() == before


def test_several_episodes_offer_a_choice(editor, workbench):
    created = workbench.apply(
        "New", lambda: workbench.session.episodes.create("Consulate closures")
    ).record
    assert editor.episode_combo.isVisible()
    assert editor.episode_combo.count() == 2
    editor.episode_combo.setCurrentIndex(editor.episode_combo.findData(created.id))
    assert editor.title.text() == "Consulate closures"
    assert editor.judgments.model.rowCount() == 0
    assert not editor.judgments.form.isEnabled()
    assert not editor.judgments.delete_button.isEnabled()
    workbench.undo_stack.undo()  # the episode shown is gone: back to the remaining one
    assert not editor.episode_combo.isVisible()
    assert editor.title.text().startswith("US–Russia sanctions")
    assert editor.judgments.model.rowCount() == 4
    assert editor.judgments.list.currentIndex().row() == 0


def test_empty_workspace_offers_a_new_episode(qtbot, session, prompts):
    workbench = Workbench(session, prompts)
    dock = EpisodeEditorDock(workbench)
    qtbot.addWidget(dock)
    assert dock.pages.currentWidget() is dock.empty
    prompts.will_answer("ask_text", "Navalny sanctions")
    dock.new_button.click()
    assert dock.pages.currentIndex() == 1
    assert dock.title.text() == "Navalny sanctions"
    workbench.undo_stack.undo()
    assert dock.pages.currentWidget() is dock.empty


def test_actions_have_names_and_shortcuts(window, editor, prompts, qtbot):
    edit = window.registry["actionEditEpisode"]
    assert edit.shortcut() == QKeySequence("Ctrl+Shift+P")
    editor.hide()
    window.activateWindow()
    edit.trigger()
    assert editor.isVisible()
    qtbot.waitUntil(editor.title.hasFocus)
    prompts.will_answer("ask_text", "The Duma will ratify.")
    window.registry["actionNewJudgment"].trigger()
    assert editor.judgments.model.rowCount() == 5
    assert editor.judgments.judgment.text == "The Duma will ratify."


def test_wording_that_disagrees_with_the_chosen_likelihood_is_flagged(panel, workbench):
    """The text says "likely", the picker "roughly even chance": a warning, live as
    either changes, the word underlined; agreeing again clears it."""
    panel.list.setCurrentIndex(panel.model.index(0))
    retype(panel.text, "Moscow will likely expel more diplomats.")
    assert "“likely” (55–80 %) disagrees" in panel.warnings.text()  # marked very likely
    choose(panel.likelihood, "roughly even chance")
    assert panel.warnings.isVisible()
    assert "likelihood chosen, roughly even chance (45–55 %)" in panel.warnings.text()
    assert len(panel.text.extraSelections()) == 1
    choose(panel.likelihood, "likely")
    assert not panel.warnings.isVisible()
    assert panel.text.extraSelections() == []
    retype(panel.text, "Moscow will probably expel more diplomats.")  # a synonym: agrees
    assert not panel.warnings.isVisible()
