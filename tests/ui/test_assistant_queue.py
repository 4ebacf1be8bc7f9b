"""The assistant in the suggestions queue (issue 16): new names, passages to mark and event
drafts beside the mentions, filtered by kind, each with why; accept, reject and accept-all
are undoable steps the assistant learns from; an event is made only when the officer saves
the prefilled form. Proposals are computed in the background and arrive later."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bench.assistant_data import load_articles
from workstation.domain.assistant import Proposal
from workstation.domain.records import Annotation, AssistantDecision
from workstation.importers.base import DocumentDraft
from workstation.ui.queues.proposal_rows import kind_of
from workstation.ui.queues.suggestions_dock import SuggestionsDock
from workstation.ui.queues.suggestions_model import PARTS_ROLE

NEW_ARTICLE = 4  # "EU ministers back Prague…": English, new names, passages to mark


def _add(session, number: int) -> str:
    article = load_articles()[number]
    draft = DocumentDraft(
        title=article.title, text=article.body, origin_name=f"{article.id}.txt",
        published=article.published, language=article.language,
    )  # fmt: skip
    return session.documents.add(draft).record.id


@pytest.fixture
def worked(workbench) -> str:
    """The sample, the first three new articles with their passages marked (an officer's
    first day), and a fourth, new; the new one's id."""
    session, articles = workbench.session, load_articles()
    for number in range(3):
        document_id = _add(session, number)
        for quote in articles[number].passages:
            category = session.codebook.by_name(quote.category)
            session.annotations.create(document_id, quote.start, quote.end, category_id=category.id)
    return _add(session, NEW_ARTICLE)


@pytest.fixture
def dock(dock_host, workbench, worked) -> SuggestionsDock:
    window = dock_host(lambda wb, parent: SuggestionsDock(wb, parent, kind="all"), (900, 900))
    workbench.open_document(worked)
    yield window.dock
    window.dock.assistant.worker.wait()  # no request outlives its workspace


def settle(qtbot, dock) -> None:
    """Wait until the assistant's newest answer is shown."""
    qtbot.waitUntil(
        lambda: not dock.assistant.reading and dock.assistant.received > 0, timeout=20000
    )


def rows(dock, kind: str) -> list[Proposal]:
    return [r for r in dock.model.rows if kind_of(r) == kind]


def select(dock, row) -> None:
    dock.view.setCurrentIndex(dock.model.index(dock.model.rows.index(row)))


def key(qtbot, dock, which, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    dock.view.setFocus()
    qtbot.keyClick(dock.view, which, modifier)


def decisions(workbench, verdict: str) -> list[AssistantDecision]:
    return [
        d
        for d in workbench.session.workspace.records.where(AssistantDecision)
        if d.verdict == verdict
    ]


def test_one_queue_of_every_kind_filtered_by_kind(dock, qtbot, workbench, qtmodeltester):
    settle(qtbot, dock)
    kinds = {kind_of(r) for r in dock.model.rows}
    assert {"mention", "name", "passage"} <= kinds
    qtmodeltester.check(dock.model, force_py=True)
    labels = [dock.kind_combo.itemText(i) for i in range(dock.kind_combo.count())]
    names = len(rows(dock, "name"))
    assert f"Names ({names})" in labels and labels[0] == f"All ({dock.model.rowCount()})"
    dock.set_kind("name")
    assert {kind_of(r) for r in dock.model.rows} == {"name"}
    assert not dock.filter_combo.isEnabled()  # the entity filter is about mentions
    headline, detail, _before, match, _after = dock.model.index(0).data(PARTS_ROLE)
    first = dock.model.rows[0]
    assert headline == f"New {first.entity_kind}: {first.normal}"
    assert detail == f"{round(first.score * 100)}%" and match == first.text
    assert first.reason in dock.model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert f"Why: {first.reason}" in dock.explanation.toPlainText()
    dock.set_kind("mention")
    assert {kind_of(r) for r in dock.model.rows} == {"mention"}
    # The choice is remembered for the next queue.
    assert SuggestionsDock(workbench).kind == "mention"


def test_accept_a_name_makes_the_entity_and_undo_takes_it_back(dock, qtbot, workbench):
    settle(qtbot, dock)
    dock.set_kind("name")
    proposal = dock.current()
    assert isinstance(proposal, Proposal)
    key(qtbot, dock, Qt.Key.Key_A)
    entity = workbench.session.entities.find_by_name(proposal.normal)
    assert entity is not None and entity.kind == proposal.entity_kind
    assert proposal not in dock.model.rows  # gone at once, not when the answer arrives
    assert workbench.undo_stack.undoText() == f"Add {entity.kind} “{proposal.normal}”"
    assert [d.entity_id for d in decisions(workbench, "accepted")] == [entity.id]
    workbench.undo_stack.undo()
    assert workbench.session.entities.find(entity.id) is None
    assert decisions(workbench, "accepted") == []
    qtbot.waitUntil(lambda: proposal.key in {r.key for r in dock.model.rows}, timeout=20000)


def test_keys_skip_reject_accept_and_a_rejection_is_stored_and_undone(dock, qtbot, workbench):
    settle(qtbot, dock)
    dock.set_kind("name")
    shown = list(dock.model.rows)
    key(qtbot, dock, Qt.Key.Key_S)
    assert dock.current() == shown[1]
    key(qtbot, dock, Qt.Key.Key_R)
    assert shown[1] not in dock.model.rows and dock.current() == shown[2]
    stored = decisions(workbench, "rejected")
    assert [(d.kind, d.exact) for d in stored] == [("name", shown[1].text)]
    key(qtbot, dock, Qt.Key.Key_Delete)
    assert shown[2] not in dock.model.rows and len(decisions(workbench, "rejected")) == 2
    key(qtbot, dock, Qt.Key.Key_Return)
    assert workbench.session.entities.find_by_name(shown[3].normal) is not None
    assert workbench.undo_stack.count() == 3
    settle(qtbot, dock)
    assert shown[1].key not in {r.key for r in dock.model.rows}  # the answer agrees
    for _ in range(3):
        workbench.undo_stack.undo()
    assert decisions(workbench, "rejected") == []
    qtbot.waitUntil(lambda: shown[1].key in {r.key for r in dock.model.rows}, timeout=20000)


def test_a_passage_accepted_is_marked_in_its_category_with_why(dock, qtbot, workbench, worked):
    settle(qtbot, dock)
    dock.set_kind("passage")
    proposal = dock.current()
    assert isinstance(proposal, Proposal) and proposal.kind == "passage"
    text = dock.explanation.toPlainText()
    assert text.startswith(f"Passage · {proposal.category}")
    assert "Words that weighed most:" in text and "Nearest labelled passages:" in text
    _headline, _detail, before, match, after = dock.model.index(0).data(PARTS_ROLE)
    assert (before, match) == ("", "") and after == " ".join(proposal.text.split())
    dock.buttons["accept"].click()
    made = [
        a
        for a in workbench.session.annotations.for_document(worked)
        if (a.start, a.end) == (proposal.start, proposal.end)
    ]
    assert len(made) == 1 and made[0].category_id == proposal.category_id
    workbench.undo_stack.undo()
    assert workbench.session.annotations.find(made[0].id) is None


def test_least_certain_first_orders_passages_by_margin(dock, qtbot):
    settle(qtbot, dock)
    dock.set_kind("passage")
    assert len(dock.model.rows) >= 2
    scores = [p.score for p in dock.model.rows]
    assert scores == sorted(scores, reverse=True)
    dock.least_certain.click()
    margins = [p.margin for p in dock.model.rows]
    assert margins == sorted(margins)
    assert SuggestionsDock(dock.workbench).least_certain.isChecked()  # remembered


def test_accept_all_takes_names_and_passages_in_one_step_never_events(dock, qtbot, workbench):
    settle(qtbot, dock)
    dock.set_kind("name")
    names = list(dock.model.rows)
    assert dock.buttons["accept_all"].text() == f"Accept all {len(names)}"
    key(qtbot, dock, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert workbench.undo_stack.count() == 1
    made = [workbench.session.entities.find_by_name(p.normal) for p in names]
    assert all(made)
    workbench.undo_stack.undo()
    assert all(workbench.session.entities.find(e.id) is None for e in made)


def _expulsion_passage(workbench, document_id: str) -> Annotation:
    session = workbench.session
    body = session.documents.get(document_id).body
    start = body.index("Czech")
    end = body.index(".", start) + 1
    category = session.codebook.by_name("Expulsion")
    return workbench.apply(
        "mark", lambda: session.annotations.create(document_id, start, end, category_id=category.id)
    ).record


def test_an_event_draft_opens_the_form_and_only_save_makes_the_event(
    dock, qtbot, workbench, worked
):
    passage = _expulsion_passage(workbench, worked)
    dock.set_kind("event")
    qtbot.waitUntil(lambda: bool(rows(dock, "event")), timeout=20000)
    proposal = next(p for p in dock.model.rows if p.passage_id == passage.id)
    select(dock, proposal)
    draft = proposal.draft
    text = dock.explanation.toPlainText()
    assert f"Kind: {draft.kind}" in text and "Actor:" in text and "Answers" in text
    assert not dock.buttons["accept_all"].isEnabled()
    assert "confirmed in the event form" in dock.buttons["accept_all"].toolTip()
    episode_events = len(workbench.session.episodes.events(proposal.episode_id))

    key(qtbot, dock, Qt.Key.Key_A)
    form = dock.assistant.form
    assert form is not None and form.isVisible()
    assert form.kind.currentData() == draft.kind and form.title_edit.text() == draft.title
    assert form.passage_ids() == [passage.id]
    assert form.precision.currentData() == draft.precision
    # Only a strong candidate is filled in; a weak one stays for the officer to pick.
    assert form.responds_to.currentData() == draft.responds_to
    form.buttons.button(form.buttons.StandardButton.Cancel).click()
    assert len(workbench.session.episodes.events(proposal.episode_id)) == episode_events
    assert proposal in dock.model.rows

    key(qtbot, dock, Qt.Key.Key_A)
    form = dock.assistant.form
    form.title_edit.setText("Czech diplomats expelled")
    form.buttons.button(form.buttons.StandardButton.Save).click()
    events = workbench.session.episodes.events(proposal.episode_id)
    assert len(events) == episode_events + 1
    event = next(e for e in events if e.title == "Czech diplomats expelled")
    evidence = workbench.session.episodes.evidence_of(event.id)
    assert [e.annotation_id for e in evidence] == [passage.id]
    assert proposal not in dock.model.rows
    assert workbench.undo_stack.undoText() == "New event “Czech diplomats expelled”"
    workbench.undo_stack.undo()
    assert len(workbench.session.episodes.events(proposal.episode_id)) == episode_events


def test_a_name_accepted_as_another_kind_or_merged(dock, qtbot, workbench, prompts):
    settle(qtbot, dock)
    dock.set_kind("name")
    first, second = dock.model.rows[:2]
    menu = dock.assistant.menu(first, dock.view)
    menu.findChild(type(menu.actions()[0]), "assistantAcceptAsOrganization").trigger()
    assert workbench.session.entities.find_by_name(first.normal).kind == "Organization"
    putin = workbench.session.entities.find_by_name("Vladimir Putin")
    prompts.will_answer("choose", "Vladimir Putin (Person)")
    menu = dock.assistant.menu(second, dock.view)
    menu.findChild(type(menu.actions()[0]), "assistantMergeName").trigger()
    assert second.text in workbench.session.entities.find(putin.id).aliases
    assert workbench.undo_stack.undoText() == f"Merge “{second.text}” into Vladimir Putin"


def test_actions_are_registered_and_rebuild_runs_in_the_background(dock, qtbot, workbench):
    window = dock.window()
    assert window.registry["actionLeastCertainFirst"].isCheckable()
    rebuild = window.registry["actionRebuildAssistant"]
    assert rebuild in dock.assistant.menu(None, dock.view).actions()  # the queue's menu
    settle(qtbot, dock)
    dock.set_kind("name")
    dock._context_menu(dock.view.visualRect(dock.model.index(1)).center())
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    popup = QApplication.activePopupWidget()
    assert dock.view.currentIndex().row() == 1
    assert [a.text() for a in popup.actions()][:2] == ["Accept &as", "&Merge into entity…"]
    popup.close()
    statuses: list[str] = []
    workbench.status.connect(statuses.append)
    window.registry["actionRebuildAssistant"].trigger()
    qtbot.waitUntil(lambda: any(s.startswith("Assistant rebuilt") for s in statuses), timeout=20000)
    assert not workbench.operations.busy


def test_only_the_newest_answer_lands_and_an_update_keeps_what_it_supersedes(
    dock, qtbot, workbench, worked
):
    settle(qtbot, dock)
    worker = dock.assistant.worker
    answers: list[object] = []
    worker.ready.connect(lambda _found, covers: answers.append(covers))
    other = next(r.id for r in workbench.session.documents.list_documents() if r.id != worked)
    worker.request([other], ["name"])
    worker.request([worked], ["name"])  # a new scope: the first answer is out of date
    qtbot.waitUntil(lambda: not worker.busy, timeout=20000)
    assert answers == [[worked]]
    worker.request([other], ["name"])
    worker.request([worked], ["name"], merge=True)  # an update: asks for both again
    qtbot.waitUntil(lambda: not worker.busy, timeout=20000)
    assert len(answers) == 2 and sorted(answers[1]) == sorted([other, worked])


@pytest.mark.queue_default
def test_the_main_window_queue_starts_on_every_kind(main_window, qtbot):
    """The product default: one queue of everything, the assistant's rows among the
    mentions for the open document."""
    document_id = _add(main_window.session, NEW_ARTICLE)
    main_window.workbench.open_document(document_id)
    dock = main_window.suggestions
    assert dock.kind == "all"
    qtbot.waitUntil(lambda: any(kind_of(r) == "name" for r in dock.model.rows), timeout=30000)
    assert {kind_of(r) for r in dock.model.rows} >= {"mention", "name"}
    dock.assistant.worker.wait()
