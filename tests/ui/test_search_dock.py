"""The search dock: typing searches, filters narrow, pages on demand, Enter opens the hit."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QTextDocument
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from tests.helpers.prompts import RecordingPrompts
from workstation.ui.search.dock import SearchDock, SearchModel, snippet_html
from workstation.ui.search.results import HIT_ROLE, SNIPPET_HTML_ROLE
from workstation.ui.shell.actions import ActionRegistry
from workstation.ui.shell.workbench import Workbench


@pytest.fixture
def workbench(sample_session):
    bench = Workbench(sample_session, RecordingPrompts())
    yield bench
    bench.deleteLater()


@pytest.fixture
def window(qtbot, workbench):
    """A bare main window holding only the dock (the real one is built elsewhere)."""
    host = QMainWindow()
    host.setObjectName("searchTestWindow")
    qtbot.addWidget(host)
    dock = SearchDock(workbench, host, page_size=4)
    host.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    host.resize(420, 720)
    host.show()
    qtbot.waitExposed(host)
    yield host
    host.close()


@pytest.fixture
def dock(window) -> SearchDock:
    return window.findChild(SearchDock, "searchDock")


def hits(dock):
    return [dock.model.hit(row) for row in range(dock.model.rowCount())]


def load_all(dock):
    while dock.more_button.isEnabled():
        dock.more_button.click()
    return hits(dock)


def row_of(dock, predicate) -> QModelIndex:
    for row in range(dock.model.rowCount()):
        if predicate(dock.model.hit(row)):
            return dock.model.index(row, 0)
    raise AssertionError("no such hit")


def expected_status(dock) -> str:
    count = dock.model.rowCount()
    if dock.model.canFetchMore(QModelIndex()):
        return f"First {count} hits"
    return "1 hit" if count == 1 else f"{count} hits"


def body_of(session, document_id):
    return session.documents.get(document_id).body


def test_every_control_is_named(dock):
    assert dock.objectName() == "searchDock"
    controls = [
        w
        for w in dock.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisibleTo(dock)
    ]
    assert len(controls) >= 8
    for widget in controls:
        assert widget.objectName() and widget.accessibleName(), widget
    assert dock.field.objectName() == "searchField"
    assert dock.results.objectName() == "searchResults"


def test_typing_searches_after_a_pause(dock, qtbot):
    # One edit, so a slow machine cannot let the pause elapse between keystrokes.
    dock.field.setText("sanctions")
    assert dock.model.rowCount() == 0  # nothing until the typing pause
    qtbot.waitUntil(lambda: dock.model.rowCount() > 0)
    # Pages of four here; the view may fetch a page or two more to fill itself, no more
    # (the last page of all may be short).
    rows = dock.model.rowCount()
    assert rows <= 16 and (rows % 4 == 0 or not dock.model.canFetchMore(QModelIndex()))
    # The view may still be filling itself (even to the last page); the status follows.
    qtbot.waitUntil(lambda: dock.status_label.text() == expected_status(dock))
    dock.field.clear()
    qtbot.waitUntil(lambda: dock.model.rowCount() == 0)


def test_more_results_fetches_disjoint_pages_until_the_end(dock):
    dock.search("russia")
    assert dock.model.rowCount() == 4 and dock.more_button.isEnabled()
    dock.more_button.click()
    assert dock.model.rowCount() == 8
    assert dock.status_label.text() == "First 8 hits"
    everything = load_all(dock)
    keys = [(h.kind, h.record_id) for h in everything]
    assert len(keys) == len(set(keys)) > 8
    assert not dock.more_button.isEnabled() and not dock.model.canFetchMore(QModelIndex())
    assert dock.status_label.text() == f"{len(keys)} hits"


def test_category_filter_narrows_the_list(dock, sample_session):
    statement = sample_session.codebook.by_name("Statement")
    dock.search("sanctions")
    everything = load_all(dock)
    combo = dock.filter_bar.category_combo
    combo.setCurrentIndex(combo.findData(statement.id))  # searches again at once
    narrowed = load_all(dock)
    assert 0 < len(narrowed) < len(everything)
    passages = [h for h in narrowed if h.kind == "passage"]
    assert passages and all(
        sample_session.annotations.get(h.record_id).category_id == statement.id for h in passages
    )
    assert not any(h.kind == "entity" for h in narrowed)
    dock.clear_filters()
    assert dock.filters().active is False
    assert any(h.kind == "entity" for h in load_all(dock)) == any(
        h.kind == "entity" for h in everything
    )


def test_typing_an_entity_name_sets_the_entity_filter(dock, sample_session, qtbot):
    peskov = sample_session.entities.find_by_name("Dmitry Peskov")
    dock.search("sanctions")
    edit = dock.filter_bar.entity_combo.lineEdit()
    edit.setFocus()
    edit.clear()
    qtbot.keyClicks(edit, "dmitry peskov")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dock.filters().entity_id == peskov.id
    linked = {m.annotation_id for m in sample_session.entities.mentions_for_entity(peskov.id)}
    narrowed = load_all(dock)
    assert narrowed and all(h.record_id in linked for h in narrowed if h.kind == "passage")
    # A name that is no entity goes back to the chosen one rather than filtering by nothing.
    edit.setText("Nobody at all")
    edit.editingFinished.emit()
    assert dock.filters().entity_id == peskov.id and edit.text() == "Dmitry Peskov"
    edit.setText("")
    edit.editingFinished.emit()
    assert dock.filters().entity_id is None
    completer = dock.filter_bar.entity_combo.completer()
    completer.setCompletionPrefix("pesk")  # matches inside names, any case
    assert completer.currentCompletion() == "Dmitry Peskov"


def test_date_edits_start_at_any_date_and_narrow_by_published_day(dock, sample_session):
    assert (
        dock.filter_bar.date_from.text() == "Any date"
        and dock.filter_bar.date_to.text() == "Any date"
    )
    assert dock.filters().published_from is None
    dock.search("sanctions")
    dock.filter_bar.date_from.setDate(QDate(2021, 4, 15))
    dock.filter_bar.date_to.setDate(QDate(2021, 4, 15))
    assert dock.filters().published_from == dock.filters().published_to == "2021-04-15"
    narrowed = load_all(dock)
    titles = {h.title for h in narrowed}
    assert titles == {"Biden imposes new sanctions on Russia and expels ten diplomats"}
    dock.filter_bar.date_from.setDate(QDate(2021, 4, 16))
    assert dock.model.rowCount() == 0 and dock.status_label.text() == "No matches"


def test_outlet_filter_lists_outlets_after_an_edit(dock, workbench, sample_session):
    documents = sample_session.documents.list_documents()
    roundup = next(d for d in documents if d.title == "Russia-US Relations")
    workbench.apply("Set outlet", lambda: sample_session.documents.edit(roundup.id, outlet="BBC"))
    combo = dock.filter_bar.outlet_combo
    assert combo.findData("BBC") > 0
    dock.search("sanctions")
    combo.setCurrentIndex(combo.findData("BBC"))
    assert {h.document_id for h in load_all(dock)} == {roundup.id}


def test_enter_on_a_document_hit_opens_it_with_the_word_selected(dock, workbench, qtbot):
    dock.search("diplomats")
    index = row_of(dock, lambda h: h.kind == "document" and h.match_start is not None)
    dock.results.setFocus()
    dock.results.setCurrentIndex(index)
    with (
        qtbot.waitSignal(workbench.document_opened) as opened,
        qtbot.waitSignal(dock.hit_activated) as activated,
    ):
        qtbot.keyClick(dock.results, Qt.Key.Key_Return)
    document_id, start, end = activated.args
    assert opened.args == [document_id] and workbench.current_document == document_id
    assert body_of(workbench.session, document_id)[start:end].casefold() == "diplomats"


def test_double_click_on_a_passage_hit_selects_the_word(dock, workbench, qtbot):
    dock.search("reciprocity")
    index = row_of(dock, lambda h: h.kind == "passage" and h.match_start is not None)
    hit = index.data(HIT_ROLE)
    position = dock.results.visualRect(index).center()
    # A real double-click is press, release, then the double-click event; QTest's
    # mouseDClick sends only the last.
    qtbot.mouseClick(dock.results.viewport(), Qt.MouseButton.LeftButton, pos=position)
    with qtbot.waitSignal(dock.hit_activated) as activated:
        qtbot.mouseDClick(dock.results.viewport(), Qt.MouseButton.LeftButton, pos=position)
    document_id, start, end = activated.args
    assert document_id == hit.document_id and workbench.current_passage == hit.record_id
    assert body_of(workbench.session, document_id)[start:end].casefold() == "reciprocity"
    assert hit.start <= start < end <= hit.end


def test_entity_hits_emit_entity_activated(dock, qtbot, sample_session):
    dock.search("peskov")
    index = row_of(dock, lambda h: h.kind == "entity")
    dock.results.setCurrentIndex(index)
    opened = []
    dock.hit_activated.connect(lambda *args: opened.append(args))
    with qtbot.waitSignal(dock.entity_activated) as activated:
        qtbot.keyClick(dock.results, Qt.Key.Key_Enter)
    assert activated.args == [sample_session.entities.find_by_name("Dmitry Peskov").id]
    assert opened == []


def test_snippets_escape_what_users_typed(dock, workbench, qtbot, sample_session):
    passage = sample_session.annotations.for_document(
        sample_session.documents.list_documents()[0].id
    )[0]
    note = 'evidence <img src=x> & "quoted" <b>bold</b>'
    workbench.apply("Edit note", lambda: sample_session.annotations.edit(passage.id, note=note))
    dock.search("evidence")
    index = row_of(dock, lambda h: h.record_id == passage.id)
    markup = index.data(SNIPPET_HTML_ROLE)
    assert "<img" not in markup and "<b>" not in markup
    assert "&lt;img src=x&gt;" in markup and "&amp;" in markup
    rendered = QTextDocument()
    rendered.setHtml(markup)
    assert rendered.toPlainText() == note
    assert "background-color" in snippet_html("\x02hit\x03 <i>")
    dock.results.grab()  # the delegate paints it without complaint


def test_edits_refresh_the_results(dock, workbench, qtbot, sample_session):
    dock.search("zzyzx")
    assert dock.model.rowCount() == 0
    passage = sample_session.annotations.for_document(
        sample_session.documents.list_documents()[0].id
    )[1]
    workbench.apply("Edit note", lambda: sample_session.annotations.edit(passage.id, note="zzyzx"))
    qtbot.waitUntil(lambda: dock.model.rowCount() == 1)
    workbench.undo_stack.undo()
    qtbot.waitUntil(lambda: dock.model.rowCount() == 0)


def test_focus_search_action(window, dock, qtbot):
    registry = ActionRegistry(window)
    dock.register_actions(registry)
    action = registry["actionFocusSearch"]
    assert action.objectName() == "actionFocusSearch"
    assert action.shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Find)
    assert action.shortcut() == QKeySequence("Ctrl+F")
    dock.field.setText("sanctions")
    dock.results.setFocus()
    window.activateWindow()
    action.trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dock.field)
    assert dock.field.selectedText() == "sanctions"


def test_down_arrow_moves_from_the_field_to_the_results(dock, qtbot, window):
    window.activateWindow()
    dock.focus_search()
    dock.search("sanctions")
    qtbot.keyClick(dock.field, Qt.Key.Key_Down)
    assert dock.results.currentIndex().row() == 0
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dock.results)


@pytest.mark.parametrize("query", ['"', "a<b", "AT&T", "NEAR(", "col:x", "💥", "*", "'"])
def test_punctuation_never_raises_in_the_dock(dock, query, sample_session):
    dock.filter_bar.category_combo.setCurrentIndex(1)
    dock.search(query)
    dock.clear_filters()
    dock.search(query)
    assert dock.status_label.text()


def test_model_passes_the_model_tester(qtmodeltester, sample_session):
    model = SearchModel(sample_session, page_size=3)
    model.set_query("sanctions")
    assert model.canFetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)
    model.fetchMore(QModelIndex())
    assert model.rowCount() >= 6
    qtmodeltester.check(model, force_py=True)


def test_many_matches_list_newest_first_and_can_be_ranked_anyway(dock, monkeypatch):
    from workstation.storage import search as storage_search

    monkeypatch.setattr(storage_search, "RANK_LIMIT", 2)  # the sample then counts as "many"
    dock.search("Russia")
    assert dock.model.newest_first
    assert dock.status_label.text().startswith("Many matches: newest")
    assert dock.rank_button.isVisibleTo(dock)
    newest = [dock.model.hit(r).record_id for r in range(dock.model.rowCount())]
    dock.rank_button.click()
    assert dock.model.rank_anyway and not dock.model.newest_first
    assert not dock.rank_button.isVisibleTo(dock)
    ranked = [dock.model.hit(r).record_id for r in range(dock.model.rowCount())]
    assert ranked != newest  # relevance puts other hits first than recency
    dock.search("Navalny")  # a new query starts unranked again
    assert not dock.model.rank_anyway


def test_an_empty_next_page_ends_the_list_and_says_so(dock, monkeypatch):
    # Records deleted between two pages leave the next page empty: no rows arrive, yet the
    # list has ended, so the status and the More button must say so.
    from workstation.services import search as search_service

    dock.search("russia")
    assert dock.status_label.text() == "First 4 hits" and dock.more_button.isEnabled()
    real = search_service.search_page

    def nothing_further(*args, **kwargs):
        page = real(*args, **kwargs)
        return dataclasses.replace(page, hits=[], has_more=False)

    monkeypatch.setattr(search_service, "search_page", nothing_further)
    dock.more_button.click()
    assert dock.model.rowCount() == 4
    assert dock.status_label.text() == "4 hits"
    assert not dock.more_button.isEnabled()
