"""The entities dock: filter as you type, edit in place or in the form, merge and split
(each one undo step), and the passages mentioning the selected entity, opened in the
reader. Every model passes the model tester."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QMainWindow, QWidget

from tests.helpers.pages import type_text
from workstation.ui.entities.dock import EntitiesDock
from workstation.ui.entities.models import COLUMNS, NAME, PAGE_ROWS, PASSAGES

_SELECT = QItemSelectionModel.SelectionFlag
OFFSCREEN_LIMITS = pytest.mark.qt_log_ignore("This plugin does not support raise")


def column(field: str) -> int:
    return next(i for i, (_header, key, _field) in enumerate(COLUMNS) if key == field)


@pytest.fixture
def window(dock_host):
    win = dock_host(lambda wb, parent: EntitiesDock(wb, parent), size=(1100, 800))
    return win


@pytest.fixture
def dock(window) -> EntitiesDock:
    return window.dock


def names(dock) -> list[str]:
    return [dock.model.index(r, NAME).data() for r in range(dock.model.rowCount())]


def row_of(dock, name: str) -> int:
    return names(dock).index(name)


def entity(workbench, name: str):
    found = workbench.session.entities.find_by_name(name)
    assert found is not None, name
    return found


def select(dock, *entity_names: str) -> None:
    """Select these rows as Ctrl+click would; the last one becomes current."""
    selection = dock.view.selectionModel()
    selection.clear()
    for name in entity_names:
        index = dock.model.index(row_of(dock, name), NAME)
        selection.setCurrentIndex(index, _SELECT.Select | _SELECT.Rows)


def test_lists_every_entity_with_its_passage_count(dock, workbench, qtmodeltester):
    assert dock.objectName() == "entitiesDock"
    assert dock.model.rowCount() == len(workbench.session.entities.list_entities()) == 22
    assert names(dock) == sorted(names(dock), key=str.casefold)
    russia = row_of(dock, "Russia")
    assert dock.model.index(russia, PASSAGES).data() == 12
    assert dock.model.index(russia, column("wikidata")).data() == "Q159"
    assert "Москва" in dock.model.index(russia, column("aliases")).data().split("; ")
    assert dock.count_label.text() == "22 entities"
    qtmodeltester.check(dock.model, force_py=True)


def test_sorting_by_passages_happens_in_sql(dock, qtmodeltester):
    dock.view.sortByColumn(PASSAGES, Qt.SortOrder.DescendingOrder)
    assert names(dock)[:3] == ["Russia", "United States", "Joe Biden"]
    qtmodeltester.check(dock.model, force_py=True)


def test_filter_as_you_type_any_script_and_field(dock, qtbot):
    dock.filter_edit.setFocus()
    type_text(dock.filter_edit, "песков")
    qtbot.waitUntil(lambda: names(dock) == ["Dmitry Peskov"])
    dock.filter_edit.clear()
    type_text(dock.filter_edit, "publicbody ГОСД")  # kind and Cyrillic aliases together
    qtbot.waitUntil(lambda: names(dock) == ["State Duma", "U.S. State Department"])
    assert dock.count_label.text() == "2 entities"
    dock.filter_edit.setText("spokesperson")  # description
    dock.apply_filter()
    assert names(dock) == ["Maria Zakharova"]
    dock.filter_edit.clear()
    dock.apply_filter()
    assert dock.model.rowCount() == 22


def test_enter_in_the_filter_goes_to_the_first_match(dock, qtbot):
    dock.filter_edit.setFocus()
    type_text(dock.filter_edit, "кремль")
    qtbot.keyClick(dock.filter_edit, Qt.Key.Key_Return)
    assert names(dock) == ["Kremlin"]
    assert dock.entity is not None and dock.entity.name == "Kremlin"
    assert dock.form.name.text() == "Kremlin"


def test_edit_name_in_place_is_one_undo_step(dock, workbench, qtbot):
    peskov = entity(workbench, "Dmitry Peskov")
    index = dock.model.index(row_of(dock, "Dmitry Peskov"), NAME)
    dock.view.setCurrentIndex(index)
    dock.view.edit(index)
    editor = dock.view.indexWidget(index)
    assert isinstance(editor, QLineEdit) and editor.text() == "Dmitry Peskov"
    editor.selectAll()
    type_text(editor, "Dmitri S. Peskov")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits from its event loop
    qtbot.waitUntil(lambda: "Dmitri S. Peskov" in names(dock))
    assert workbench.session.entities.get(peskov.id).name == "Dmitri S. Peskov"
    assert workbench.undo_stack.count() == 1
    assert workbench.undo_stack.undoText() == "Edit Dmitry Peskov"
    assert "Dmitri S. Peskov" in names(dock)
    assert dock.entity.id == peskov.id  # still selected after the re-read
    workbench.undo_stack.undo()
    assert workbench.session.entities.get(peskov.id).name == "Dmitry Peskov"
    assert "Dmitry Peskov" in names(dock)
    assert dock.form.name.text() == "Dmitry Peskov"


def test_edit_aliases_country_and_wikidata_in_place(dock, workbench):
    model, row = dock.model, row_of(dock, "Dmitry Peskov")
    assert model.setData(model.index(row, column("aliases")), "Peskov ; Песков;; ")
    assert model.setData(model.index(row, column("country")), " RU ")
    assert model.setData(model.index(row, column("wikidata")), "q1234")
    peskov = entity(workbench, "Dmitry Peskov")
    assert (peskov.aliases, peskov.country, peskov.wikidata_id) == (
        ["Peskov", "Песков"],
        "RU",
        "Q1234",
    )
    assert workbench.undo_stack.count() == 3
    row = row_of(dock, "Dmitry Peskov")
    assert model.setData(model.index(row, column("wikidata")), "Q1234")  # unchanged
    assert workbench.undo_stack.count() == 3
    assert not model.flags(model.index(row, PASSAGES)) & Qt.ItemFlag.ItemIsEditable
    for _ in range(3):
        workbench.undo_stack.undo()
    assert entity(workbench, "Dmitry Peskov").aliases == [
        "Dmitri Peskov",
        "Peskov",
        "Дмитрий Песков",
        "Песков",
    ]


def test_refused_in_place_edit_tells_why_and_changes_nothing(dock, workbench, prompts):
    model, row = dock.model, row_of(dock, "Kremlin")
    assert not model.setData(model.index(row, column("wikidata")), "not an id")
    assert prompts.errors and "Wikidata id must look like" in prompts.errors[-1]
    assert workbench.undo_stack.count() == 0
    assert model.index(row_of(dock, "Kremlin"), column("wikidata")).data() == ""


def test_form_saves_every_changed_field_as_one_undo_step(dock, workbench, qtbot):
    select(dock, "State Duma")
    form = dock.form
    form.kind.setCurrentText("Organization")
    form.description.setText("Lower house of the Federal Assembly")
    form.aliases.setText(form.aliases.text() + "; Дума")
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    duma = entity(workbench, "State Duma")
    assert (duma.kind, duma.description) == ("Organization", "Lower house of the Federal Assembly")
    assert duma.aliases[-1] == "Дума"
    assert workbench.undo_stack.count() == 1
    assert dock.model.index(row_of(dock, "State Duma"), 0).data() == "Organization"
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)  # nothing changed since
    assert workbench.undo_stack.count() == 1
    workbench.undo_stack.undo()
    assert entity(workbench, "State Duma").kind == "PublicBody"
    assert form.kind.currentText() == "PublicBody"
    assert "Дума" not in form.aliases.text().split("; ")


def test_merge_two_selected_entities_and_undo(dock, workbench, prompts, window):
    session = workbench.session
    kremlin, russia = entity(workbench, "Kremlin"), entity(workbench, "Russia")
    merge = window.registry["actionMergeEntities"]
    select(dock, "Kremlin")
    assert not merge.isEnabled() and not dock.merge_button.isEnabled()
    select(dock, "Kremlin", "Russia")  # Russia current: it is kept
    assert merge.isEnabled() and dock.merge_button.isEnabled()
    prompts.will_answer("confirm", True)
    merge.trigger()
    assert prompts.asked[-1][1].startswith("Merge “Kremlin” into “Russia”?")
    assert session.entities.find(kremlin.id) is None
    assert "Kremlin" not in names(dock) and dock.model.rowCount() == 21
    assert "Кремль" in session.entities.get(russia.id).aliases
    assert dock.entity.id == russia.id
    assert dock.model.index(row_of(dock, "Russia"), PASSAGES).data() > 12
    assert workbench.undo_stack.undoText() == "Merge Kremlin into Russia"
    workbench.undo_stack.undo()
    assert session.entities.find(kremlin.id) is not None
    assert dock.model.index(row_of(dock, "Kremlin"), PASSAGES).data() == 4
    assert dock.model.index(row_of(dock, "Russia"), PASSAGES).data() == 12
    workbench.undo_stack.redo()
    assert "Kremlin" not in names(dock)


def test_declined_merge_changes_nothing(dock, workbench, prompts):
    select(dock, "Kremlin", "Russia")
    dock.merge_button.click()  # no answer queued: the user said no
    assert workbench.undo_stack.count() == 0
    assert "Kremlin" in names(dock)


def test_split_alias_and_undo(dock, workbench, prompts, window, qtmodeltester):
    session = workbench.session
    select(dock, "Russia")
    split = window.registry["actionSplitAlias"]
    assert split.isEnabled()
    prompts.will_answer("choose", "Moscow", "Address")
    prompts.will_answer("confirm", True)  # move the passages that say only "Moscow"
    split.trigger()
    moscow = entity(workbench, "Moscow")
    assert moscow.kind == "Address" and moscow.country == "ru"
    assert "Moscow" not in session.entities.get(dock.model.row(row_of(dock, "Russia")).id).aliases
    assert dock.entity.id == moscow.id  # the new entity is selected, ready for details
    assert dock.passages.model.rowCount() >= 1
    assert all("Moscow" in p.exact for p in dock.passages.model.passages)
    qtmodeltester.check(dock.model, force_py=True)
    assert workbench.undo_stack.undoText() == "Split Moscow out of Russia"
    workbench.undo_stack.undo()
    assert session.entities.find(moscow.id) is None
    assert "Moscow" in entity(workbench, "Russia").aliases
    assert dock.model.index(row_of(dock, "Russia"), PASSAGES).data() == 12


def test_split_cancelled_at_the_kind_question_changes_nothing(dock, workbench, prompts):
    select(dock, "Russia")
    prompts.will_answer("choose", "Moscow")  # then no kind: cancelled
    dock.split_button.click()
    assert workbench.undo_stack.count() == 0


def test_passages_of_the_selected_entity_open_in_the_reader(dock, workbench, qtbot, qtmodeltester):
    select(dock, "United States")
    passages = dock.passages
    assert passages.view.objectName() == "entityPassages"
    assert passages.model.rowCount() == 11
    assert "United States: 11" in passages.label.text()
    titles = {p.document_title for p in passages.model.passages}
    assert len(titles) > 1  # across documents
    qtmodeltester.check(passages.model, force_py=True)
    row = 0
    first = passages.model.passages[row]
    assert passages.model.index(row, 2).data() == " ".join(first.exact.split())
    with qtbot.waitSignal(workbench.document_opened) as opened:
        passages.view.activated.emit(passages.model.index(row, 0))
    assert opened.args == [first.document_id]
    assert workbench.current_passage == first.annotation_id
    # A passage of the document already open: selected, the document not reopened.
    same = next(p for p in passages.model.passages[1:] if p.document_id == first.document_id)
    with qtbot.assertNotEmitted(workbench.document_opened):
        dock.open_passage(same.document_id, same.annotation_id)
    assert workbench.current_passage == same.annotation_id


def test_counts_and_passages_follow_links_made_elsewhere(dock, workbench, qtmodeltester):
    select(dock, "Donald Trump")
    assert dock.passages.model.rowCount() == 1
    trump = entity(workbench, "Donald Trump")
    biden = entity(workbench, "Joe Biden")
    passage = dock.registry.passages_mentioning(biden.id)[0]
    session = workbench.session
    workbench.apply("link", lambda: session.entities.link(passage.annotation_id, trump.id))
    assert dock.passages.model.rowCount() == 2
    assert dock.model.index(row_of(dock, "Donald Trump"), PASSAGES).data() == 2
    assert dock.entity.id == trump.id  # repainted in place: still selected
    qtmodeltester.check(dock.model, force_py=True)
    workbench.apply("delete", lambda: session.annotations.delete(passage.annotation_id))
    assert dock.model.index(row_of(dock, "Donald Trump"), PASSAGES).data() == 1
    assert dock.model.index(row_of(dock, "Joe Biden"), PASSAGES).data() == 6
    dock.view.sortByColumn(PASSAGES, Qt.SortOrder.DescendingOrder)
    workbench.undo_stack.undo()  # the passage is back, and the order by count follows
    assert dock.passages.model.rowCount() == 2 and dock.entity.id == trump.id
    assert names(dock)[2] == "Joe Biden"
    assert dock.model.index(2, PASSAGES).data() == 7


@OFFSCREEN_LIMITS
def test_actions_and_shortcuts(window, dock, qtbot):
    registry = window.registry
    assert registry["actionFocusEntities"].shortcut() == QKeySequence("Ctrl+Shift+E")
    assert "actionMergeEntities" in registry and "actionSplitAlias" in registry
    assert not registry["actionSplitAlias"].isEnabled()  # nothing selected yet
    window.activateWindow()
    registry["actionFocusEntities"].trigger()
    qtbot.waitUntil(dock.filter_edit.hasFocus)


def test_every_control_is_named(dock):
    select(dock, "Russia")
    controls = [
        w
        for w in dock.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisibleTo(dock)
    ]
    assert len(controls) >= 12
    assert {QAbstractButton, QComboBox, QLineEdit} <= {
        base for w in controls for base in type(w).__mro__
    }
    for widget in controls:
        assert widget.objectName() and widget.accessibleName(), widget


@pytest.fixture
def crowded(qtbot, session, prompts):
    """The dock over an otherwise empty workspace holding a few pages of entities."""
    from workstation.ui.shell.workbench import Workbench

    with session.workspace.transaction():
        for number in range(PAGE_ROWS * 2 + 10):
            session.entities.create("Person", f"Person {number:03d}", aliases=[f"П{number}"])
    host = QMainWindow()
    qtbot.addWidget(host)
    host.dock = EntitiesDock(Workbench(session, prompts, host), host)
    host.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, host.dock)
    host.show()
    qtbot.waitExposed(host)
    yield host.dock
    host.close()


def test_many_entities_are_read_a_page_at_a_time(crowded, qtmodeltester):
    dock = crowded
    assert dock.model.rowCount() == PAGE_ROWS * 2 + 10
    last = PAGE_ROWS * 2 + 9
    assert dock.model.index(last, NAME).data() == f"Person {last:03d}"
    dock.select_entity(entity(dock.workbench, f"Person {last - 1:03d}").id)
    assert dock.view.currentIndex().row() == last - 1
    qtmodeltester.check(dock.model, force_py=True)
    dock.filter_edit.setText("п13")
    dock.apply_filter()
    assert names(dock) == ["Person 013", *(f"Person {n}" for n in range(130, 138))]
