"""The suggestions dock: a keyboard-driven queue for the open document or the workspace;
accept, reject and accept-all each one undo step; the queue follows every change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QListView, QPushButton

from workstation.ui.queues.suggestions_dock import SuggestionsDock
from workstation.ui.queues.suggestions_model import PARTS_ROLE


@pytest.fixture
def window(dock_host):
    win = dock_host(lambda wb, parent: SuggestionsDock(wb, parent), size=(900, 700))
    return win


@pytest.fixture
def dock(window) -> SuggestionsDock:
    return window.dock


@pytest.fixture
def biden(workbench, dock) -> str:
    """The open document: 'Biden imposes new sanctions…'."""
    session = workbench.session
    doc = next(
        r.id for r in session.documents.list_documents() if r.title.startswith("Biden imposes")
    )
    workbench.open_document(doc)
    return doc


def queue(dock) -> list[tuple[str, str]]:
    return [(s.text, s.entity_name) for s in dock.model.rows]


def select(dock, text: str) -> None:
    row = next(i for i, s in enumerate(dock.model.rows) if s.text == text)
    dock.view.setCurrentIndex(dock.model.index(row))


def key(qtbot, dock, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    dock.view.setFocus()
    qtbot.keyClick(dock.view, key, modifier)


def test_queue_for_the_open_document(dock, biden, workbench, qtmodeltester):
    assert ("Dmitry Peskov", "Dmitry Peskov") in queue(dock)
    assert all(s.document_id == biden for s in dock.model.rows)
    assert dock.summary.text() == f"{len(dock.model.rows)} suggestions in this document"
    assert dock.current() == dock.model.rows[0]
    entity, detail, before, match, after = dock.model.index(0).data(PARTS_ROLE)
    assert (entity, detail, match) == ("United States", "100%", "United States")
    assert before == "elections and democratic institutions in the "  # six words, the space
    assert after == " and its allies and partners. United"
    assert "[United States]" in dock.model.index(0).data()
    qtmodeltester.check(dock.model, force_py=True)


def test_no_document_open_says_so(dock):
    assert dock.model.rowCount() == 0
    assert "Open a document" in dock.summary.text()
    assert not dock.buttons["accept"].isEnabled()


def test_accept_links_and_one_undo_takes_it_back(dock, biden, workbench):
    select(dock, "Dmitry Peskov")
    peskov = dock.current()
    dock.role_combo.setCurrentIndex(dock.role_combo.findData("speaker"))
    count = len(dock.model.rows)
    dock.buttons["accept"].click()
    session = workbench.session
    passage = next(a for a in session.annotations.for_document(biden) if a.start == peskov.start)
    assert [(m.entity_id, m.role) for m in session.entities.mentions_of(passage.id)] == [
        (peskov.entity_id, "speaker")
    ]
    assert workbench.undo_stack.undoText() == "Link “Dmitry Peskov” to Dmitry Peskov"
    assert len(dock.model.rows) == count - 1
    assert dock.current().start > peskov.start  # the next one in the queue
    workbench.undo_stack.undo()
    assert session.annotations.find(passage.id) is None
    assert peskov in dock.model.rows and len(dock.model.rows) == count
    workbench.undo_stack.redo()
    assert peskov not in dock.model.rows


def test_keyboard_accept_reject_skip(dock, biden, workbench, qtbot):
    rows = list(dock.model.rows)
    key(qtbot, dock, Qt.Key.Key_S)
    assert dock.current() == rows[1]
    key(qtbot, dock, Qt.Key.Key_Space)
    assert dock.current() == rows[2]
    key(qtbot, dock, Qt.Key.Key_R)
    assert rows[2] not in dock.model.rows
    assert workbench.undo_stack.undoText().startswith("Reject “")
    assert dock.current() == rows[3]
    key(qtbot, dock, Qt.Key.Key_Delete)
    assert rows[3] not in dock.model.rows
    key(qtbot, dock, Qt.Key.Key_A)
    key(qtbot, dock, Qt.Key.Key_Return)
    assert rows[4] not in dock.model.rows and rows[5] not in dock.model.rows
    assert workbench.undo_stack.count() == 4
    for _ in range(4):
        workbench.undo_stack.undo()
    assert dock.model.rows == rows


def test_skip_wraps_round_and_keeps_the_queue(dock, biden, qtbot):
    rows = list(dock.model.rows)
    dock.view.setCurrentIndex(dock.model.index(len(rows) - 1))
    dock.buttons["skip"].click()
    assert dock.current() == rows[0] and dock.model.rows == rows


def test_accept_all_says_what_it_accepts_and_accepts_what_is_shown(dock, biden, workbench, qtbot):
    rows = list(dock.model.rows)
    entities = {s.entity_id for s in rows}
    button = dock.buttons["accept_all"]
    assert button.text() == f"Accept all {len(rows)}"
    assert f"Link all {len(rows)} suggestions shown ({len(entities)} entities)" in (
        button.toolTip()
    )
    assert "in this document" in button.toolTip()
    # Narrowed to one entity: the button, its tooltip and Shift+A are about that entity only.
    usa = workbench.session.entities.find_by_name("United States").id
    count = sum(s.entity_id == usa for s in rows)
    dock.filter_combo.setCurrentIndex(dock.filter_combo.findData(usa))
    assert dock.filter_combo.currentText() == f"United States ({count})"
    assert {s.entity_id for s in dock.model.rows} == {usa} and len(dock.model.rows) == count
    assert button.text() == f"Accept all {count}"
    assert f"Link all {count} suggestions shown (United States)" in button.toolTip()
    key(qtbot, dock, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert workbench.undo_stack.count() == 1
    assert workbench.undo_stack.undoText() == f"Link all {count} suggestions of United States"
    assert dock.filter_combo.currentData() is None  # none of it left: every entity again
    assert not any(s.entity_id == usa for s in dock.model.rows)
    assert len(dock.model.rows) == len(rows) - count
    # Every entity: the button accepts the whole queue, as one undo step.
    left = len(dock.model.rows)
    button.click()
    assert dock.model.rows == []
    assert workbench.undo_stack.undoText().startswith(f"Link all {left} suggestions shown")
    workbench.undo_stack.undo()
    workbench.undo_stack.undo()
    assert dock.model.rows == rows


def test_delete_in_the_queue_is_not_a_window_shortcut(window, dock, biden, qtbot):
    fired = []
    delete = QAction("Delete passage", window)
    delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
    delete.triggered.connect(lambda: fired.append(True))
    window.addAction(delete)
    first = dock.current()
    key(qtbot, dock, Qt.Key.Key_Delete)
    assert fired == [] and first not in dock.model.rows


def test_a_new_alias_updates_the_queue(dock, biden, workbench):
    assert "executive order" not in {text for text, _ in queue(dock)}
    house = workbench.session.entities.find_by_name("White House")
    workbench.apply(
        "alias", lambda: workbench.session.entities.add_alias(house.id, "executive order")
    )
    assert ("executive order", "White House") in queue(dock)
    workbench.undo_stack.undo()
    assert "executive order" not in {text for text, _ in queue(dock)}


def test_linking_elsewhere_updates_the_queue(dock, biden, workbench):
    select(dock, "Maria Zakharova")
    zakharova = dock.current()
    session = workbench.session
    start = zakharova.start - 10
    workbench.apply("mark", lambda: session.annotations.create(biden, start, zakharova.end))
    assert zakharova in dock.model.rows  # a passage alone links nothing
    passage = next(a for a in session.annotations.for_document(biden) if a.start == start)
    workbench.apply("link", lambda: session.entities.link(passage.id, zakharova.entity_id))
    assert zakharova not in dock.model.rows


def test_whole_workspace_scans_every_document(dock, biden, workbench, qtbot):
    shown = []
    dock.suggestion_shown.connect(lambda *args: shown.append(args))
    dock.buttons["accept"].setFocus()
    dock.workspace_button.click()
    qtbot.waitUntil(lambda: not dock._pending)
    assert dock.workspace_scope
    assert len({s.document_id for s in dock.model.rows}) == 2
    assert dock.summary.text() == f"{len(dock.model.rows)} suggestions in the workspace"
    assert " · " in dock.model.index(0).data(PARTS_ROLE)[1]  # the document's title
    other = next(s for s in dock.model.rows if s.document_id != biden)
    dock.view.setCurrentIndex(dock.model.index(dock.model.rows.index(other)))
    assert shown[-1] == (other.document_id, other.start, other.end)
    dock.buttons["accept"].click()  # another document's suggestion, in workspace mode
    assert other not in dock.model.rows
    workbench.open_document(biden)  # the scope stays the workspace
    assert len({s.document_id for s in dock.model.rows}) == 2
    dock.workspace_button.click()
    assert {s.document_id for s in dock.model.rows} == {biden}


def test_workspace_action_toggles_the_scope(window, dock, biden, qtbot):
    action = window.registry["actionSuggestWorkspace"]
    action.trigger()
    qtbot.waitUntil(lambda: not dock._pending)
    assert dock.workspace_scope and dock.workspace_button.isChecked()
    dock.workspace_button.click()
    assert not action.isChecked()


def test_actions_are_registered_with_keys_that_act_only_in_the_queue(window, dock, biden):
    expected = {
        "actionAcceptSuggestion": ["A", "Return"],
        "actionRejectSuggestion": ["R", "Del"],
        "actionAcceptAllForEntity": ["Shift+A"],
        "actionSkipSuggestion": ["S", "Space"],
    }
    for name, keys in expected.items():
        action = window.registry[name]
        assert [k.toString() for k in action.shortcuts()] == keys
        assert action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut
        assert action.isEnabled()
    first = dock.current()
    window.registry["actionRejectSuggestion"].trigger()
    assert first not in dock.model.rows


def test_every_control_is_named(dock, biden):
    controls = [
        widget
        for kind in (QLabel, QComboBox, QPushButton, QListView)
        for widget in dock.widget().findChildren(kind)
        if widget.window() is dock.window()  # not the combo box's own popup list
    ]
    assert len(controls) >= 8
    for widget in controls:
        assert widget.objectName(), widget
        assert widget.accessibleName(), widget.objectName()


def test_plain_keys_type_normally_outside_the_queue(window, dock, biden, workbench, qtbot):
    from PySide6.QtWidgets import QLineEdit

    field = QLineEdit()
    field.setObjectName("testField")
    window.setCentralWidget(field)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "a rs")
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert field.text().casefold() == "a rsa"  # QTest types "a" even with Shift held
    assert workbench.undo_stack.count() == 0


def test_surname_after_linking_is_queued_with_its_reason_and_accepted_as_a_mention(
    dock, workbench, qtbot
):
    from workstation.importers.base import DocumentDraft

    session = workbench.session
    text = "Foreign Minister Sergey Lavrov spoke in Moscow. Lavrov added that Mr Lavrov would stay."
    draft = DocumentDraft(title="Lavrov speaks", text=text, origin_name="lavrov.txt")
    doc = workbench.apply("import", lambda: session.documents.add(draft)).record.id
    lavrov = workbench.apply(
        "new person",
        lambda: session.entities.create("Person", "Sergey Lavrov", aliases=["Сергей Лавров"]),
    ).record.id
    workbench.open_document(doc)
    assert [s.text for s in dock.model.rows] == ["Sergey Lavrov"]  # not "in Moscow": a place
    start = text.index("Sergey Lavrov")
    passage = workbench.apply(
        "mark", lambda: session.annotations.create(doc, start, start + len("Sergey Lavrov"))
    ).record
    workbench.apply("link", lambda: session.entities.link(passage.id, lavrov))
    assert [(s.text, s.entity_id) for s in dock.model.rows] == [("Lavrov", lavrov)] * 2
    tip = dock.model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert "surname of Sergey Lavrov, linked in this document" in tip
    passages = next(r.passages for r in session.documents.list_documents() if r.id == doc)
    dock.view.setCurrentIndex(dock.model.index(0))
    key(qtbot, dock, Qt.Key.Key_Return)
    assert workbench.undo_stack.undoText() == "Link “Lavrov” to Sergey Lavrov"
    made = [a for a in session.annotations.for_document(doc) if a.exact == "Lavrov"]
    assert len(made) == 1 and made[0].mention_only
    assert next(r.passages for r in session.documents.list_documents() if r.id == doc) == passages
    assert [s.text for s in dock.model.rows] == ["Lavrov"]
