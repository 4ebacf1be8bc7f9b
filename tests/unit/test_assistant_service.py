"""The assistant's service on real workspaces: proposals of every kind, accepting and
rejecting them as undoable steps that the models learn from, merges carrying decisions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.assistant_data import load_articles
from workstation.domain.records import AssistantDecision, Entity
from workstation.importers.base import DocumentDraft
from workstation.services import open_session
from workstation.services.assistant import parse_kinds
from workstation.services.merge import merge_workspace
from workstation.services.outcome import ServiceError


def _add_article(session, number: int):
    article = load_articles()[number]
    return session.documents.add(
        DocumentDraft(
            title=article.title,
            text=article.body,
            origin_name=f"{article.id}.txt",
            published=article.published,
            language=article.language,
        )
    ).record


@pytest.fixture
def english(sample_session):
    """The sample plus a new English article (the summit offer)."""
    article = next(a for a in load_articles() if a.language == "en")
    document = sample_session.documents.add(
        DocumentDraft(
            title=article.title, text=article.body, origin_name="en.txt",
            published=article.published, language="en",
        )
    ).record  # fmt: skip
    return sample_session, document, article


@pytest.fixture
def worked(sample_session):
    """The sample plus the first three new articles with their passages marked as labelled
    (an officer's first day on the story), and the fifth article, new."""
    session, articles = sample_session, load_articles()
    for number in range(3):
        document = _add_article(session, number)
        for quote in articles[number].passages:
            category = session.codebook.by_name(quote.category)
            session.annotations.create(document.id, quote.start, quote.end, category_id=category.id)
    return session, _add_article(session, 4)  # 05_en_eu_solidarity: English, like most examples


def test_kinds_are_parsed_and_unknown_ones_refused():
    assert parse_kinds("mentions, names,passages,events") == ("mention", "name", "passage", "event")
    assert parse_kinds("name,names") == ("name",)
    with pytest.raises(ServiceError, match="unknown suggestion kind 'people'"):
        parse_kinds("people")


def test_new_names_leave_out_the_registry_and_stand_where_they_say(english):
    session, document, article = english
    proposals = session.assistant.propose([document.id], ["name"])
    assert proposals and all(p.kind == "name" for p in proposals)
    for p in proposals:
        assert document.body[p.start : p.end] == p.text
        assert p.entity_kind in {"Person", "Organization", "PublicBody", "Country", "Company"}
    known = {e.name.casefold() for e in session.entities.list_entities()}
    known |= {a.casefold() for e in session.entities.list_entities() for a in e.aliases}
    assert not {p.text.casefold() for p in proposals} & known
    labelled_new = {n.text for n in article.names if n.is_new}
    assert {p.text for p in proposals} & labelled_new  # finds some of the new names


def test_accepting_a_name_makes_the_entity_and_one_undo_takes_it_back(english):
    session, document, _article = english
    proposal = next(p for p in session.assistant.propose([document.id], ["name"])
                    if p.entity_kind == "Person")  # fmt: skip
    outcome = session.assistant.accept_name(proposal)
    entity = outcome.record
    assert entity.kind == "Person" and entity.name == proposal.normal
    decisions = list(session.workspace.records.where(AssistantDecision, {"kind": "name"}))
    assert [(d.verdict, d.entity_id) for d in decisions] == [("accepted", entity.id)]
    again = session.assistant.propose([document.id], ["name"])
    assert proposal.normal not in {p.normal for p in again}
    session.revert(outcome.changes)
    assert session.entities.find(entity.id) is None
    assert not list(session.workspace.records.where(AssistantDecision, {"kind": "name"}))
    assert proposal.normal in {p.normal for p in session.assistant.propose([document.id], ["name"])}


def test_a_rejected_name_is_remembered_everywhere_and_undo_offers_it_again(english):
    session, document, _article = english
    proposal = session.assistant.propose([document.id], ["name"])[0]
    outcome = session.assistant.reject_proposal(proposal)
    assert outcome.record.verdict == "rejected" and outcome.record.kind == "name"
    texts = {p.text.casefold() for p in session.assistant.propose(None, ["name"])}
    assert proposal.text.casefold() not in texts
    session.revert(outcome.changes)
    assert proposal.text in {p.text for p in session.assistant.propose([document.id], ["name"])}


def test_merging_a_name_into_an_entity_adds_the_alias(english):
    session, document, _article = english
    proposal = session.assistant.propose([document.id], ["name"])[0]
    putin = session.entities.find_by_name("Vladimir Putin")
    entity = session.assistant.merge_name(proposal, putin.id).record
    assert proposal.text in entity.aliases
    assert session.workspace.records.get(Entity, putin.id).aliases == entity.aliases


def test_passages_are_proposed_with_a_category_and_an_explanation(worked):
    session, document = worked
    proposals = session.assistant.propose([document.id], ["passage"])
    status = session.assistant.status()
    ready = set(status.passages_per_category) - set(status.too_few)
    assert proposals, status.as_json()
    for p in proposals:
        assert document.body[p.start : p.end] == p.text
        assert p.category in ready and 0.5 <= p.score <= 1 and 0 <= p.margin <= 1
        assert p.explanation is not None and p.explanation.words
    accepted = session.assistant.accept_passage(proposals[0])
    passage = accepted.record
    assert (passage.start, passage.end) == (proposals[0].start, proposals[0].end)
    assert passage.category_id == proposals[0].category_id
    after = session.assistant.propose([document.id], ["passage"])
    assert (proposals[0].start, proposals[0].end) not in {(p.start, p.end) for p in after}


def test_too_few_examples_are_said_not_guessed(session):
    session.documents.add(DocumentDraft(title="t", text="Nothing marked here at all yet. " * 3,
                                        origin_name="t.txt"))  # fmt: skip
    assert session.assistant.propose(None, ["passage"]) == []
    status = session.assistant.status()
    assert status.passages_per_category == {}


def test_an_accepted_action_passage_drafts_an_event_confirmed_in_one_step(english):
    session, document, _article = english
    sanction = session.codebook.by_name("Expulsion")
    body = document.body
    start = body.index("ten")  # a clause about expelled diplomats, if the article has one
    end = body.index(".", start)
    passage = session.annotations.create(document.id, start, end, category_id=sanction.id).record
    proposals = session.assistant.propose([document.id], ["event"])
    mine = [p for p in proposals if p.passage_id == passage.id]
    assert len(mine) == 1
    draft = mine[0].draft
    assert draft is not None and draft.kind == "expulsion" and draft.date
    before = len(session.episodes.events(mine[0].episode_id))
    event = session.assistant.accept_event(mine[0], title="Confirmed by the officer").record
    assert event.title == "Confirmed by the officer" and event.kind == "expulsion"
    assert [e.annotation_id for e in session.episodes.evidence_of(event.id)] == [passage.id]
    assert len(session.episodes.events(mine[0].episode_id)) == before + 1
    assert not [p for p in session.assistant.propose([document.id], ["event"])
                if p.passage_id == passage.id]  # fmt: skip


def test_a_rejected_event_draft_is_not_proposed_again(english):
    session, document, _article = english
    category = session.codebook.by_name("Statement")
    start = document.body.index("said")
    passage = session.annotations.create(
        document.id, max(0, start - 40), start + 4, category_id=category.id
    ).record
    proposal = next(p for p in session.assistant.propose([document.id], ["event"])
                    if p.passage_id == passage.id)  # fmt: skip
    session.assistant.reject_proposal(proposal)
    assert not [p for p in session.assistant.propose([document.id], ["event"])
                if p.passage_id == passage.id]  # fmt: skip


def test_names_accepted_together_are_one_undo_and_events_are_refused(english):
    session, document, _article = english
    names = session.assistant.propose([document.id], ["name"])[:2]
    changes = session.assistant.accept_proposals(names)
    made = changes.ids_of(Entity)
    assert len(made) == 2
    session.revert(changes)
    assert all(session.entities.find(entity_id) is None for entity_id in made)
    event = next(iter(session.assistant.propose(None, ["event"])), None)
    if event is not None:
        with pytest.raises(ServiceError, match="confirmed one by one"):
            session.assistant.accept_proposals([event])


def test_a_merge_carries_decisions_so_a_colleague_rejection_counts(tmp_path, sample_path):
    ours_path, theirs_path = tmp_path / "ours.sqlite", tmp_path / "theirs.sqlite"
    ours_path.write_bytes(sample_path.read_bytes())
    theirs_path.write_bytes(sample_path.read_bytes())
    with open_session(theirs_path) as theirs:
        document = _add_article(theirs, 1)
        proposal = theirs.assistant.propose([document.id], ["name"])[0]
        theirs.assistant.reject_proposal(proposal)
    with open_session(ours_path) as ours:
        _add_article(ours, 1)
        assert proposal.text in {p.text for p in ours.assistant.propose(None, ["name"])}
        report = merge_workspace(ours, theirs_path)
        assert report.counts["assistant_decisions"].added == 1
        assert proposal.text not in {p.text for p in ours.assistant.propose(None, ["name"])}


def test_status_counts_examples_and_records_a_rebuild(sample_session):
    found = sample_session.assistant.status()
    assert sum(found.passages_per_category.values()) == 31  # the sample's passages
    assert found.unmarked_examples > 0
    rebuilt = sample_session.assistant.rebuild()
    assert "last_rebuild" in sample_session.assistant.status().trained["passages"]
    assert json.loads(json.dumps(rebuilt.as_json()))["min_examples"] == 5


def test_importing_the_session_loads_no_model_library():
    code = (
        "import sys, workstation.services.session, workstation.cli;"
        "heavy = ('sklearn', 'natasha', 'scipy', 'slovnet', 'numpy');"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


OFFLINE = r"""
import socket, sys
attempts = []
def refuse(*args, **kwargs):
    attempts.append(args)
    raise OSError("network unavailable in this test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from workstation.services import open_session
with open_session(sys.argv[1]) as session:
    found = session.assistant.propose(None, ["name", "passage", "event"])
    session.assistant.rebuild()
kinds = sorted({p.kind for p in found})
print(kinds, len(attempts))
"""


def test_the_assistant_runs_with_the_network_unavailable(tmp_path, sample_path):
    path = tmp_path / "offline.sqlite"
    path.write_bytes(sample_path.read_bytes())
    with open_session(path) as session:
        for number in (0, 1):  # one Russian, one English article
            _add_article(session, number)
    script = tmp_path / "offline.py"
    script.write_text(OFFLINE, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, str(script), str(path)], capture_output=True, text=True, cwd=root,
        check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "['event', 'name', 'passage'] 0", out.stderr


def test_a_surname_alone_joins_its_full_name_and_a_known_surname_is_no_new_name(session):
    body = (
        "Josep Borrell, the EU foreign policy chief, spoke on Monday. Borrell said the bloc "
        "stood with Prague. Ambassador John Sullivan left; Sullivan will return."
    )
    document = session.documents.add(
        DocumentDraft(title="t", text=body, origin_name="t.txt", language="en")
    ).record
    session.entities.create("Person", "John Sullivan")
    names = session.assistant.propose([document.id], ["name"])
    borrell = [p for p in names if "Borrell" in p.text]
    assert [(p.normal, p.occurrences) for p in borrell] == [("Josep Borrell", 2)]
    assert not [p for p in names if p.text == "Sullivan"]
