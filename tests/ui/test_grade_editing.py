"""Source grades edited in the library: the Grade cell opens reliability and credibility
pickers, the choice is one undo step through the services, and the list shows it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QWidget

from workstation.ui.library.dock import LibraryDock
from workstation.ui.library.grade_delegate import GradeEditor
from workstation.ui.shell.actions import ActionRegistry
from workstation.ui.shell.workbench import Workbench

GRADE = 3


@pytest.fixture
def host(qtbot, sample_session, prompts):
    win = QMainWindow()
    win.setObjectName("gradeHost")
    win.workbench = Workbench(sample_session, prompts, win)
    win.registry = ActionRegistry(win)
    win.dock = LibraryDock(win.workbench, win)
    win.dock.register_actions(win.registry)
    win.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, win.dock)
    win.setCentralWidget(QWidget())
    win.resize(1000, 600)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def open_editor(host, qtbot, row: int = 0) -> GradeEditor:
    view = host.dock.view
    view.setFocus()
    view.setCurrentIndex(host.dock.model.index(row, GRADE))
    qtbot.keyClick(view, Qt.Key.Key_F2)  # on the Grade cell (elsewhere F2 opens the details)
    editor = view.findChild(GradeEditor)
    assert editor is not None and editor.isVisible()
    return editor


def double_click(qtbot, view, index) -> None:
    """As a user does it: QTest's double-click alone lacks the first press and release."""
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def commit(qtbot, editor, host) -> None:
    """Press Enter in the editor; the delegate commits once the event loop turns."""
    qtbot.keyClick(editor.credibility, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: host.dock.view.findChild(GradeEditor) is None)


def choose(combo, code: str) -> None:
    combo.setCurrentIndex(combo.findData(code))


def shown_grade(host, row: int = 0) -> str:
    return host.dock.model.index(row, GRADE).data()


def test_only_the_grade_column_is_editable(host):
    model = host.dock.model
    for column in range(model.columnCount()):
        editable = bool(model.flags(model.index(0, column)) & Qt.ItemFlag.ItemIsEditable)
        assert editable == (column == GRADE)


def test_edit_a_grade_then_undo_and_redo(host, qtbot):
    session, workbench = host.workbench.session, host.workbench
    document_id = host.dock.model.document_id(0)
    before = session.documents.get(document_id)
    old_grade = shown_grade(host)
    editor = open_editor(host, qtbot)
    assert editor.grade() == (old_grade[0], old_grade[1])
    assert editor.reliability.objectName() == "gradeReliability"
    assert editor.credibility.accessibleName()
    assert editor.reliability.itemText(1) == "B — Usually reliable"
    new = ("C", "3") if old_grade != "C3" else ("B", "2")
    choose(editor.reliability, new[0])
    choose(editor.credibility, new[1])
    commit(qtbot, editor, host)  # Enter commits, as in any cell

    stored = session.documents.get(document_id)
    assert (stored.reliability, stored.credibility) == new
    assert shown_grade(host) == "".join(new)
    assert workbench.undo_stack.count() == 1
    assert workbench.undo_stack.undoText() == f"Set source grade to {''.join(new)}"
    assert host.dock.model.document_id(0) == document_id  # the row stays where it was

    workbench.undo_stack.undo()
    stored = session.documents.get(document_id)
    assert (stored.reliability, stored.credibility) == (before.reliability, before.credibility)
    assert shown_grade(host) == old_grade
    workbench.undo_stack.redo()
    assert shown_grade(host) == "".join(new)


def test_double_click_on_the_grade_cell_opens_the_editor(host, qtbot):
    view = host.dock.view
    rect = view.visualRect(host.dock.model.index(1, GRADE))
    double_click(qtbot, view, host.dock.model.index(1, GRADE))
    editor = view.findChild(GradeEditor)
    assert editor is not None and editor.isVisible()
    # Wider than the two-letter column, yet inside the list.
    assert editor.width() > rect.width()
    assert editor.geometry().right() <= view.viewport().width()
    assert editor.geometry().top() == rect.top()
    qtbot.keyClick(editor.reliability, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.findChild(GradeEditor) is None)
    assert host.workbench.undo_stack.count() == 0


def test_an_unchanged_grade_makes_no_undo_step(host, qtbot):
    editor = open_editor(host, qtbot)
    commit(qtbot, editor, host)
    assert host.workbench.undo_stack.count() == 0


def test_the_tooltip_explains_the_new_grade(host, qtbot):
    editor = open_editor(host, qtbot, row=1)
    choose(editor.reliability, "E")
    choose(editor.credibility, "5")
    commit(qtbot, editor, host)
    tip = host.dock.model.index(1, GRADE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "E: Unreliable · 5: Improbable"


def test_double_click_edits_instead_of_reopening(host, qtbot):
    host.dock.view.selectRow(0)
    opened: list[str] = []
    host.workbench.document_opened.connect(opened.append)
    double_click(qtbot, host.dock.view, host.dock.model.index(0, GRADE))
    assert host.dock.view.findChild(GradeEditor) is not None
    assert opened == []  # the row was already open: no activation, no reopening
