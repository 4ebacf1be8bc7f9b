"""The library dock: a windowed model over SQL pages, sorting and filtering in SQL, keeping
up with edits, undo and documents opened elsewhere."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from tests.helpers.prompts import RecordingPrompts
from tests.unit.test_library_queries import expected_order, fill_library
from workstation.importers import DocumentDraft
from workstation.services import open_session
from workstation.services.library import LibraryQuery
from workstation.ui.library.dock import LibraryDock
from workstation.ui.shell.actions import ActionRegistry
from workstation.ui.shell.workbench import Workbench

BIG = 2_100
_BIG_CACHE: dict[str, object] = {}


class Host(QMainWindow):
    """A bare main window around the dock, with the registry its actions go to."""

    def __init__(self, session):
        super().__init__()
        self.setObjectName("libraryHost")
        self.workbench = Workbench(session, RecordingPrompts(), self)
        self.registry = ActionRegistry(self)
        self.dock = LibraryDock(self.workbench, self)
        self.dock.register_actions(self.registry)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.setCentralWidget(QWidget())
        self.resize(900, 600)


def _show(qtbot, session) -> Host:
    host = Host(session)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    return host


@pytest.fixture
def sample_host(qtbot, sample_session):
    host = _show(qtbot, sample_session)
    yield host
    host.close()


@pytest.fixture
def big(qtbot, tmp_path, tmp_path_factory):
    """2,100 live documents (one transaction, built once and copied per test)."""
    if "path" not in _BIG_CACHE:
        from workstation.services import create_session

        master = tmp_path_factory.mktemp("library-master") / "big.sqlite"
        with create_session(master, author="tester") as fresh:
            _BIG_CACHE["listed"] = fill_library(fresh, BIG)
        _BIG_CACHE["path"] = master
    copy = tmp_path / "big.sqlite"
    shutil.copyfile(_BIG_CACHE["path"], copy)
    with open_session(copy, author="tester") as session:
        host = _show(qtbot, session)
        yield host, _BIG_CACHE["listed"]
        host.close()


def _ids(model, rows) -> list[str | None]:
    return [model.index(row, 0).data(model.IdRole) for row in rows]


def test_model_passes_the_model_tester(sample_host, big, qtmodeltester):
    qtmodeltester.check(sample_host.dock.model, force_py=True)
    host, _listed = big
    qtmodeltester.check(host.dock.model, force_py=True)


def test_widgets_are_named_for_tests_and_screen_readers(sample_host):
    dock = sample_host.dock
    assert dock.objectName() == "libraryDock"
    assert dock.filter_edit.objectName() == "libraryFilter"
    assert dock.view.objectName() == "libraryView"
    controls = [w for w in dock.findChildren(QWidget) if w.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert len(controls) >= 3
    for widget in controls:
        assert widget.objectName(), widget
        if widget.isVisibleTo(dock) and widget.parent() is not dock.view:
            assert widget.accessibleName(), widget


def test_sample_rows_show_title_outlet_date_grade_and_passages(sample_host, sample_session):
    model = sample_host.dock.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Title", "Outlet", "Published", "Grade", "Passages"]
    assert model.rowCount() == 2
    for row in range(2):
        document = sample_session.documents.get(model.document_id(row))
        cells = [model.index(row, c).data() for c in range(5)]
        assert cells[0] == document.title
        assert cells[1] == (document.outlet or "")
        assert cells[3] == f"{document.reliability or 'F'}{document.credibility or '6'}"
        assert cells[4] == len(sample_session.annotations.for_document(document.id))
    assert "1 document" not in sample_host.dock.count_label.text()
    assert "2" in sample_host.dock.count_label.text()


def test_selecting_a_row_opens_it_and_opening_elsewhere_selects_it(sample_host, qtbot):
    dock, workbench = sample_host.dock, sample_host.workbench
    with qtbot.waitSignal(workbench.document_opened) as opened:
        dock.view.selectRow(1)
    assert opened.args == [dock.model.document_id(1)]

    first = dock.model.document_id(0)
    emitted: list[str] = []
    workbench.document_opened.connect(emitted.append)
    workbench.open_document(first)  # e.g. from a search hit
    assert dock.view.currentIndex().row() == 0
    assert emitted == [first]  # reflected, not opened a second time


def test_sorting_by_each_header_is_done_in_sql(big, qtbot):
    host, listed = big
    dock, model = host.dock, host.dock.model
    header = dock.view.horizontalHeader()
    x = header.sectionViewportPosition(1) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert model.query == LibraryQuery(sort="outlet", descending=False)

    rows = [*range(0, 5), *range(195, 205), *range(BIG - 5, BIG)]
    for column, key in enumerate(model.SORT_KEYS):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            dock.view.sortByColumn(column, order)
            query = LibraryQuery(sort=key, descending=order == Qt.SortOrder.DescendingOrder)
            assert model.query == query
            expected = expected_order(listed, query)
            assert model.rowCount() == len(expected) == BIG
            assert _ids(model, rows) == [expected[row] for row in rows], (key, order)
    header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)  # cleared: newest added first
    assert model.query == LibraryQuery()


def test_typing_a_filter_narrows_the_list(big, qtbot):
    host, listed = big
    dock, model = host.dock, host.dock.model
    qtbot.keyClicks(dock.filter_edit, "Sanctions")
    qtbot.waitUntil(lambda: model.query.text == "Sanctions")
    expected = expected_order(listed, model.query)
    assert 0 < model.rowCount() == len(expected) < BIG
    assert _ids(model, range(len(expected))) == expected
    shown, total = QLocale().toString(len(expected)), QLocale().toString(BIG)
    assert dock.count_label.text() == f"{shown} of {total} documents"

    dock.outlet_filter.reload()
    dock.outlet_filter.setCurrentIndex(dock.outlet_filter.findData("AP"))
    both = expected_order(listed, LibraryQuery("Sanctions", "AP"))
    assert model.rowCount() == len(both)
    assert {model.index(r, 1).data() for r in range(len(both))} == {"AP"}

    dock.filter_edit.clear()
    dock.outlet_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: model.rowCount() == BIG)


def test_enter_in_the_filter_opens_the_first_match(big, qtbot):
    host, listed = big
    dock = host.dock
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    dock.filter_edit.setFocus()
    dock.filter_edit.setText("санкции")  # Cyrillic (QTest cannot type it), folded in SQL
    with qtbot.waitSignal(host.workbench.document_opened) as opened:
        qtbot.keyClick(dock.filter_edit, Qt.Key.Key_Return)
    assert opened.args == [expected_order(listed, LibraryQuery("санкции"))[0]]
    assert QApplication.focusWidget() is dock.view  # Enter hands over to the list


def test_jumping_to_the_last_row_costs_one_page_query(big, qtbot):
    host, listed = big
    dock, model = host.dock, host.dock.model
    dock.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    dock.view.grab()
    before = model.page_queries
    last = model.rowCount() - 1
    dock.view.scrollTo(model.index(last, 0))
    dock.view.grab()
    assert model.page_queries == before + 1
    assert model.index(last, 0).data(model.IdRole) == expected_order(listed, model.query)[-1]
    assert dock.view.rowAt(dock.view.viewport().height() - 2) == last


def test_sorting_keeps_the_selected_document_selected(big):
    host, _listed = big
    dock, model = host.dock, host.dock.model
    dock.view.selectRow(3)
    chosen = model.document_id(3)
    dock.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    row = dock.view.currentIndex().row()
    assert model.document_id(row) == chosen and row == model.row_of(chosen)
    assert host.workbench.current_document == chosen  # not reopened, still the same


def test_select_document_finds_its_row_in_sql_and_scrolls_to_it(big):
    host, listed = big
    dock = host.dock
    target = listed[700].document.id  # newest first: row BIG - 1 - 700
    assert dock.select_document(target)
    assert dock.view.currentIndex().row() == BIG - 1 - 700
    shown = dock.view.visualRect(dock.view.currentIndex()).center()
    assert dock.view.viewport().rect().contains(shown)  # scrolled into view
    dock.filter_edit.setText("no such title")
    dock.apply_filter()
    assert not dock.select_document(target)
    assert not dock.view.selectionModel().hasSelection()


def test_import_and_undo_refresh_the_list_and_keep_the_selection(big, qtbot):
    host, _listed = big
    dock, model, workbench = host.dock, host.dock.model, host.workbench
    dock.view.selectRow(5)
    kept = model.document_id(5)
    draft = DocumentDraft(title="Fresh import", text="A new article.", origin_name="new.txt")
    with qtbot.waitSignal(model.modelReset):
        added = workbench.apply("Import", lambda: workbench.session.documents.add(draft))
    assert model.rowCount() == BIG + 1
    assert model.document_id(0) == added.record.id  # newest first
    assert model.document_id(dock.view.currentIndex().row()) == kept == model.document_id(6)
    assert dock.count_label.text() == f"{QLocale().toString(BIG + 1)} documents"

    with qtbot.waitSignal(model.modelReset):
        workbench.undo_stack.undo()
    assert model.rowCount() == BIG
    assert model.row_of(added.record.id) is None
    assert dock.view.currentIndex().row() == 5 and model.document_id(5) == kept


def test_a_new_passage_updates_its_count_in_place(big, qtbot):
    host, _listed = big
    dock, model, workbench = host.dock, host.dock.model, host.workbench
    dock.view.selectRow(3)
    document_id = model.document_id(3)
    before = model.index(3, model.PASSAGES).data()
    with qtbot.assertNotEmitted(model.modelReset):
        workbench.apply("Mark", lambda: workbench.session.annotations.create(document_id, 0, 4))
    assert model.index(3, model.PASSAGES).data() == before + 1
    assert dock.view.currentIndex().row() == 3
    workbench.undo_stack.undo()
    assert model.index(3, model.PASSAGES).data() == before


def test_actions_move_through_the_list_and_focus_the_filter(big, qtbot):
    host, _listed = big
    dock, model, registry = host.dock, host.dock.model, host.registry
    following = registry["actionNextDocument"]
    assert following.shortcut() == QKeySequence("Ctrl+PgDown")
    assert registry["actionPreviousDocument"].shortcut() == QKeySequence("Ctrl+PgUp")
    assert registry["actionFocusLibraryFilter"].shortcut() == QKeySequence("Ctrl+L")

    with qtbot.waitSignal(host.workbench.document_opened) as opened:
        following.trigger()
    assert opened.args == [model.document_id(0)]
    following.trigger()
    assert host.workbench.current_document == model.document_id(1)
    registry["actionPreviousDocument"].trigger()
    assert host.workbench.current_document == model.document_id(0)
    registry["actionPreviousDocument"].trigger()  # stays on the first row
    assert dock.view.currentIndex().row() == 0

    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    registry["actionFocusLibraryFilter"].trigger()
    assert QApplication.focusWidget() is dock.filter_edit


def test_the_benchmark_runs_on_a_small_library(qapp, capsys):
    from bench.library_bench import main

    assert main(["--documents", "300", "--repeat", "1"]) == 0
    table = capsys.readouterr().out
    for work in ("first paint", "jump to row 270", "sort by title", "filter by a word"):
        assert work in table
    # Timings are the benchmark's to report, not the suite's to assert: a busy machine
    # would fail a smoke run that only checks the benchmark still works.
