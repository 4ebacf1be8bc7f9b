"""The timeline dock and the event form: chains as a tree, filters, evidence that opens in
the reader, and new/edit/delete as single undo steps."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from workstation.importers import DocumentDraft
from workstation.ui.timeline.dock import EVENT_ROLE, TimelineDock
from workstation.ui.timeline.event_form import PASSAGE_ROLE, EventForm

ARTICLE = (
    "Moscow, 16 April. The Russian Foreign Ministry said on Thursday it would expel ten US "
    "diplomats. Deputy minister Sergei Ryabkov said Moscow had warned Washington in advance."
)


@pytest.fixture
def window(dock_host):
    win = dock_host(lambda wb, parent: TimelineDock(wb, parent), size=(1000, 700))
    win.timeline = win.dock
    yield win
    if win.timeline.form is not None:
        win.timeline.form.close()


@pytest.fixture
def dock(window) -> TimelineDock:
    return window.timeline


@pytest.fixture
def fresh_passages(workbench):
    """Two passages of a new article published on Friday 16 April 2021."""
    session = workbench.session
    document = session.documents.add(
        DocumentDraft(
            title="Moscow answers",
            text=ARTICLE,
            origin_name="answer.txt",
            published="2021-04-16",
            language="en",
        )
    ).record
    ids = []
    for quote in ("said on Thursday it would expel ten US diplomats", "Moscow had warned"):
        start = ARTICLE.index(quote)
        ids.append(session.annotations.create(document.id, start, start + len(quote)).record.id)
    return ids


def tree_lines(dock, parent=None, depth=0) -> list[tuple[int, str]]:
    """(depth, title as shown) of every row, depth first."""
    model = dock.model
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    lines = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        lines.append((depth, index.data()))
        lines.extend(tree_lines(dock, index, depth + 1))
    return lines


def select(dock, title_start: str) -> str:
    for number, row in enumerate(dock.model.rows):
        if row.title.startswith(title_start):
            dock.tree.setCurrentIndex(dock.model.index_of(row.event_id))
            return dock.model.rows[number].event_id
    raise LookupError(title_start)


def events(workbench):
    episode = workbench.session.episodes.list_episodes()[0]
    return workbench.session.episodes.events(episode.id)


def test_tree_shows_answers_under_what_they_answer(dock, qtmodeltester):
    qtmodeltester.check(dock.model, force_py=True)
    lines = tree_lines(dock)
    assert len(lines) == 11
    assert lines[5:] == [
        (0, "US formally blames Moscow for the hacking operation and election interference"),
        (1, "↳ US executive order: sanctions on 32 individuals and on Russian sovereign debt"),
        (2, "↳ Kremlin calls the sanctions illegal and promises reciprocity"),
        (1, "↳ US expels ten Russian diplomats"),
        (2, "↳ Russian Foreign Ministry summons the US ambassador"),
        (2, "↳ Moscow expels ten US diplomats in return"),
    ]
    top = dock.model.index(0, 0)
    assert [dock.model.index(0, c).data() for c in (1, 2, 3)] == [
        "DEC 2020",
        "Diplomatic step",
        "United States → Russia",
    ]
    assert top.data(Qt.ItemDataRole.ToolTipRole).startswith("DEC 2020 · US announces")
    answer = dock.model.index_of(select(dock, "Kremlin calls"))
    assert "Answers: US executive order" in answer.data(Qt.ItemDataRole.ToolTipRole)
    assert dock.tree.isExpanded(answer.parent())
    assert not dock.episode_row.isVisibleTo(dock)  # one episode: no episode choice


def test_filters_by_actor_and_kind(dock, qtmodeltester):
    actors = [dock.actor_filter.itemText(i) for i in range(dock.actor_filter.count())]
    assert actors[0] == "All actors" and "Kremlin" in actors and "Joe Biden" not in actors
    dock.kind_filter.setCurrentIndex(dock.kind_filter.findData("sanction"))
    assert {row.kind for row in dock.model.rows} == {"sanction"} and len(dock.model.rows) == 3
    qtmodeltester.check(dock.model, force_py=True)
    dock.actor_filter.setCurrentIndex(dock.actor_filter.findText("United States"))
    assert [row.depth for row in dock.model.rows] == [0, 0]  # the accusation is filtered out
    assert tree_lines(dock)[1][1].startswith("↳ US executive order")
    dock.kind_filter.setCurrentIndex(0)
    assert len(dock.model.rows) == 5 and {r.actor for r in dock.model.rows} == {"United States"}
    dock.actor_filter.setCurrentIndex(0)
    assert len(dock.model.rows) == 11
    assert not dock.hint.isVisibleTo(dock)


def test_selecting_an_event_lists_its_evidence_and_activation_opens_it(
    dock, workbench, qtbot, qtmodeltester
):
    assert dock.evidence.passages.rowCount() == 0 and not dock.details.isVisibleTo(dock)
    event_id = select(dock, "US expels ten Russian diplomats")
    evidence = dock.evidence.passages
    assert evidence.rowCount() == 2
    qtmodeltester.check(evidence, force_py=True)
    stored = [e.annotation_id for e in workbench.session.episodes.evidence_of(event_id)]
    assert dock.evidence.passage_ids() == stored
    assert evidence.item(0).text().startswith("“expelled 10 of its diplomats")
    assert "Legal basis: US executive order of 15 April 2021" in dock.details.text()
    index = evidence.index(1, 0)
    passage = workbench.session.annotations.get(index.data(PASSAGE_ROLE))
    with qtbot.waitSignal(workbench.passage_selected) as selected:
        dock.evidence.activated.emit(index)
    assert selected.args == [passage.id]
    assert workbench.current_document == passage.document_id
    assert workbench.current_passage == passage.id


def test_activating_evidence_opens_it_in_the_main_windows_reader(main_window, qtbot):
    dock = TimelineDock(main_window.workbench, main_window)
    main_window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    select(dock, "Moscow expels ten US diplomats")
    index = dock.evidence.passages.index(0, 0)
    passage = main_window.session.annotations.get(index.data(PASSAGE_ROLE))
    dock.open_passage(index)
    qtbot.waitUntil(lambda: main_window.reader.document_id == passage.document_id)
    assert main_window.reader.selected_passage == passage.id


def test_create_from_two_passages_with_a_proposed_date_then_undo_redo(
    dock, workbench, fresh_passages, qtmodeltester
):
    first, second = fresh_passages
    workbench.select_passage(first)
    form = dock.new_event()
    assert isinstance(form, EventForm) and form.isVisible()
    assert form.passage_ids() == [first]
    assert form.date.date() == QDate(2021, 4, 16)  # the article's date until proposed
    assert not form.add_passage.isEnabled()  # already in the list
    workbench.select_passage(second)
    assert form.add_passage.isEnabled()
    form.add_passage.click()
    assert form.passage_ids() == [first, second]
    qtmodeltester.check(form.evidence.passages, force_py=True)

    form.precision.setCurrentIndex(form.precision.findData("year"))
    form.propose.click()
    assert form.date.date() == QDate(2021, 4, 15)
    assert form.precision.currentData() == "day"
    assert "“on Thursday”" in form.proposal.text() and "Moscow answers" in form.proposal.text()
    assert workbench.undo_stack.count() == 0  # proposing saves nothing

    form.kind.setCurrentIndex(form.kind.findData("countermeasure"))
    form.title_edit.setText("Moscow announces it will expel ten US diplomats")
    form.actor.setEditText("МИД России")  # an alias resolves to its entity
    form.target.setEditText("united states")
    expulsion = next(e for e in events(workbench) if e.title == "US expels ten Russian diplomats")
    form.responds_to.setCurrentIndex(form.responds_to.findData(expulsion.id))
    form.buttons.button(form.buttons.StandardButton.Save).click()

    assert not form.isVisible()
    created = next(e for e in events(workbench) if e.title.startswith("Moscow announces"))
    assert (created.date, created.precision, created.kind) == (
        "2021-04-15",
        "day",
        "countermeasure",
    )
    entities = workbench.session.entities
    assert entities.get(created.actor_id).name == "Russian Foreign Ministry"
    assert entities.get(created.target_id).name == "United States"
    assert created.responds_to == expulsion.id
    stored = [e.annotation_id for e in workbench.session.episodes.evidence_of(created.id)]
    assert stored == [first, second]
    assert workbench.undo_stack.count() == 1
    assert (
        workbench.undo_stack.undoText()
        == "New event “Moscow announces it will expel ten US diplomats”"
    )
    assert dock.current_event_id() == created.id  # the new event is selected, under its parent
    assert dock.model.index_of(created.id).parent().data(EVENT_ROLE) == expulsion.id
    assert dock.evidence.passage_ids() == [first, second]
    qtmodeltester.check(dock.model, force_py=True)

    workbench.undo_stack.undo()
    assert all(e.id != created.id for e in events(workbench))
    assert len(dock.model.rows) == 11
    assert workbench.session.episodes.evidence_of(created.id) == []
    workbench.undo_stack.redo()
    assert len(dock.model.rows) == 12
    assert len(workbench.session.episodes.evidence_of(created.id)) == 2


def test_edit_fields_and_evidence_is_one_undo_step(dock, workbench, fresh_passages):
    event_id = select(dock, "Moscow expels ten US diplomats")
    before = next(e for e in events(workbench) if e.id == event_id)
    old_evidence = dock.evidence.passage_ids()
    form = dock.edit_event()
    assert form.windowTitle() == "Edit event"
    assert form.title_edit.text() == before.title
    assert form.actor.currentText() == "Russia" and form.target.currentText() == "United States"
    assert form.responds_to.currentText().endswith("US expels ten Russian diplomats")
    own = form.responds_to.findData(event_id)
    assert own == -1  # an event cannot answer itself
    form.title_edit.setText("Moscow expels ten US diplomats")
    form.summary.setPlainText("Announced by the Foreign Ministry.")
    form.precision.setCurrentIndex(form.precision.findData("month"))
    workbench.select_passage(fresh_passages[0])
    form.add_passage.click()
    form.evidence.setCurrentIndex(form.evidence.passages.index(0, 0))
    form.remove_passage.click()
    assert form.save() == event_id

    after = next(e for e in events(workbench) if e.id == event_id)
    assert (after.summary, after.precision, after.date) == (
        "Announced by the Foreign Ministry.",
        "month",
        "2021-04-01",
    )
    assert dock.evidence.passage_ids() == [fresh_passages[0]]
    assert workbench.undo_stack.count() == 1
    assert workbench.undo_stack.undoText() == "Edit event “Moscow expels ten US diplomats”"
    workbench.undo_stack.undo()
    restored = next(e for e in events(workbench) if e.id == event_id)
    assert (restored.summary, restored.precision, restored.date) == (
        before.summary,
        "day",
        "2021-04-16",
    )
    assert dock.evidence.passage_ids() == old_evidence
    workbench.undo_stack.redo()
    assert dock.evidence.passage_ids() == [fresh_passages[0]]


def test_delete_detaches_answers_and_undo_redo_restore(dock, workbench):
    expulsion = select(dock, "US expels ten Russian diplomats")
    dock.delete_button.click()
    assert len(dock.model.rows) == 10
    assert workbench.undo_stack.undoText() == "Delete event “US expels ten Russian diplomats”"
    summons = next(r for r in dock.model.rows if r.title.startswith("Russian Foreign Ministry"))
    assert summons.depth == 0 and summons.responds_to is None
    workbench.undo_stack.undo()
    assert len(dock.model.rows) == 11
    assert dock.model.index_of(summons.event_id).parent().data(EVENT_ROLE) == expulsion
    workbench.undo_stack.redo()
    assert len(dock.model.rows) == 10
    workbench.undo_stack.undo()
    select(dock, "US expels ten Russian diplomats")
    dock.tree.setFocus()
    for kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
        QApplication.sendEvent(
            dock.tree, QKeyEvent(kind, Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier)
        )
    assert len(dock.model.rows) == 10 and workbench.undo_stack.count() == 1
    assert workbench.undo_stack.undoText() == "Delete event “US expels ten Russian diplomats”"


def test_form_refuses_what_the_rules_refuse_and_stays_open(dock, workbench, prompts):
    form = dock.new_event()
    assert form.passage_ids() == [] and not form.propose.isEnabled()
    assert form.save() is None
    assert prompts.errors[-1] == "An event needs a title."
    form.title_edit.setText("Something happened")
    form.actor.setEditText("Nobody we know")
    assert form.save() is None
    assert "No entity is called “Nobody we know”" in prompts.errors[-1]
    assert form.isVisible() and workbench.undo_stack.count() == 0
    assert dock.new_event() is form  # one form at a time, raised again


def test_proposal_without_a_placeable_date_says_so(dock, workbench):
    roundup = next(
        p
        for d in workbench.session.documents.list_documents()
        for p in workbench.session.annotations.for_document(d.id)
        if p.exact.startswith("Tuesday's sanctions")
    )
    workbench.select_passage(roundup.id)
    form = dock.new_event()
    assert not form.propose_date()  # the round-up has no published date to place "Tuesday"
    assert "published date" in form.proposal.text()
    assert form.kind.currentData() == "statement"  # from the passage's category


def test_episode_combo_appears_with_several_episodes(dock, workbench):
    session = workbench.session
    workbench.apply("New episode", lambda: session.episodes.create("Consulate closures"))
    assert dock.episode_row.isVisibleTo(dock) and dock.episode.count() == 2
    dock.episode.setCurrentIndex(dock.episode.findText("Consulate closures"))
    assert dock.model.rowCount() == 0
    assert dock.hint.isVisibleTo(dock) and "No events yet" in dock.hint.text()
    workbench.undo_stack.undo()
    assert not dock.episode_row.isVisibleTo(dock) and len(dock.model.rows) == 11


def test_actions_shortcuts_and_enabled_state(window, dock, workbench, qtbot):
    registry = window.registry
    assert registry["actionNewEvent"].shortcut() == QKeySequence("Ctrl+E")
    assert registry["actionFocusTimeline"].shortcut() == QKeySequence("Ctrl+Shift+T")
    assert not registry["actionDeleteEvent"].isEnabled()
    select(dock, "State Duma")
    assert registry["actionDeleteEvent"].isEnabled() and registry["actionEditEvent"].isEnabled()
    registry["actionFocusTimeline"].trigger()
    qtbot.waitUntil(dock.tree.hasFocus)
    registry["actionNewEvent"].trigger()
    assert dock.form is not None and dock.form.windowTitle() == "New event"


def test_every_control_is_named(dock, workbench):
    select(dock, "State Duma")
    form = dock.edit_event()
    for root in (dock, form):
        controls = [
            w
            for w in root.findChildren(QWidget)
            if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisibleTo(root)
        ]
        assert len(controls) >= 8
        for widget in controls:
            if widget.objectName().startswith("qt_"):
                continue  # Qt's own parts of composite widgets (scroll bars, spin box edit)
            assert widget.objectName() and widget.accessibleName(), widget


def test_delete_key_in_the_tree_deletes_the_event_not_the_readers_passage(main_window, qtbot):
    dock = TimelineDock(main_window.workbench, main_window)
    main_window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    event_id = select(dock, "Moscow expels ten US diplomats")
    passage = dock.evidence.passage_ids()[0]
    main_window.workbench.select_passage(passage)  # the reader's Delete would remove it
    qtbot.waitUntil(lambda: main_window.reader.selected_passage == passage)
    select(dock, "Moscow expels ten US diplomats")
    dock.tree.setFocus()
    qtbot.waitUntil(dock.tree.hasFocus)
    qtbot.keyClick(dock.tree, Qt.Key.Key_Delete)
    assert dock.model.index_of(event_id).isValid() is False
    assert main_window.session.annotations.find(passage) is not None


def test_docked_below_the_reader_the_evidence_sits_beside_the_events(main_window):
    dock = TimelineDock(main_window.workbench, main_window)
    main_window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    assert dock.splitter.orientation() == Qt.Orientation.Horizontal
    main_window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    assert dock.splitter.orientation() == Qt.Orientation.Vertical
