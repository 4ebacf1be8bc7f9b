"""The timeline service: an episode's events threaded by what they answer, filtered."""

from __future__ import annotations

import pytest

from workstation.services.outcome import NotFound, ServiceError
from workstation.services.timeline import DELETED_ENTITY, actors, in_date_order, timeline

EPISODE = "US–Russia sanctions and reciprocal measures, spring 2021"


def titles(rows) -> list[tuple[int, str]]:
    return [(row.depth, row.title) for row in rows]


def by_title(rows, start: str):
    return next(row for row in rows if row.title.startswith(start))


def test_sample_episode_threads_answers_under_what_they_answer(sample_session):
    rows = timeline(sample_session)
    assert len(rows) == 11
    assert titles(rows)[5:] == [
        (0, "US formally blames Moscow for the hacking operation and election interference"),
        (1, "US executive order: sanctions on 32 individuals and on Russian sovereign debt"),
        (2, "Kremlin calls the sanctions illegal and promises reciprocity"),
        (1, "US expels ten Russian diplomats"),
        (2, "Russian Foreign Ministry summons the US ambassador"),
        (2, "Moscow expels ten US diplomats in return"),
    ]
    assert [row.date for row in rows] == sorted(row.date for row in rows)
    first = rows[0]
    assert (first.date, first.precision, first.date_label) == ("2020-12-01", "month", "DEC 2020")
    for row in rows:
        assert row.parent_id == row.responds_to
        if row.depth:
            parent = next(r for r in rows if r.event_id == row.responds_to)
            assert parent.depth == row.depth - 1


def test_rows_carry_names_ids_and_evidence(sample_session):
    rows = timeline(sample_session, EPISODE)
    order = by_title(rows, "US executive order")
    assert (order.actor, order.target, order.kind) == ("United States", "Russia", "sanction")
    assert order.legal_basis.startswith("US executive order of 15 April 2021")
    assert order.responds_to == by_title(rows, "US formally blames").event_id
    stored = sample_session.episodes.evidence_of(order.event_id)
    assert order.evidence == tuple(e.annotation_id for e in stored)
    assert len(order.evidence) == 7
    for passage_id in order.evidence:
        assert sample_session.annotations.find(passage_id) is not None


def test_episode_by_title_or_id_and_errors(sample_session):
    episode = sample_session.episodes.list_episodes()[0]
    assert len(timeline(sample_session, episode.id)) == 11
    assert len(timeline(sample_session, EPISODE.upper())) == 11
    with pytest.raises(NotFound):
        timeline(sample_session, "no such episode")
    sample_session.episodes.create("Another episode")
    with pytest.raises(ServiceError, match="several episodes"):
        timeline(sample_session)
    assert timeline(sample_session, "Another episode") == []


def test_filter_by_kind_makes_an_answer_whose_event_is_hidden_a_root(sample_session):
    rows = timeline(sample_session, kind="sanction")
    assert [row.kind for row in rows] == ["sanction"] * 3
    order = by_title(rows, "US executive order")
    assert order.depth == 0 and order.parent_id is None
    assert order.responds_to is not None  # the link itself is kept
    with pytest.raises(ServiceError, match="kind must be one of"):
        timeline(sample_session, kind="bombing")


def test_filter_by_actor_keeps_chains_between_shown_events(sample_session):
    usa = sample_session.entities.find_by_name("United States")
    rows = timeline(sample_session, actor_id=usa.id)
    assert {row.actor for row in rows} == {"United States"}
    assert titles(rows)[-3:] == [
        (0, "US formally blames Moscow for the hacking operation and election interference"),
        (1, "US executive order: sanctions on 32 individuals and on Russian sovereign debt"),
        (1, "US expels ten Russian diplomats"),
    ]
    with pytest.raises(NotFound):
        timeline(sample_session, actor_id="no-such-entity")


def test_shown_ancestor_skips_hidden_links_of_the_chain(sample_session):
    # Kremlin answer → order (a sanction) → accusation; keep statements and accusations only.
    kremlin = sample_session.entities.find_by_name("Kremlin")
    rows = timeline(sample_session, actor_id=kremlin.id)
    assert titles(rows) == [(0, "Kremlin calls the sanctions illegal and promises reciprocity")]
    episode = sample_session.episodes.list_episodes()[0]
    accusation = by_title(timeline(sample_session), "US formally blames")
    sample_session.episodes.edit_event(accusation.event_id, kind="statement")
    rows = timeline(sample_session, episode.id, kind="statement")
    answer = by_title(rows, "Kremlin calls")
    assert answer.parent_id == accusation.event_id and answer.depth == 1


def test_answers_follow_their_event_even_when_something_else_happened_between(session):
    episode = session.episodes.create("Chains").record
    root = session.episodes.add_event(episode.id, date="2021-01-10", title="Root").record
    session.episodes.add_event(episode.id, date="2021-02-01", title="Unrelated")
    session.episodes.add_event(
        episode.id, date="2021-03-01", title="Late answer", responds_to=root.id
    )
    rows = timeline(session)
    assert titles(rows) == [(0, "Root"), (1, "Late answer"), (0, "Unrelated")]
    assert titles(in_date_order(rows)) == [(0, "Root"), (0, "Unrelated"), (1, "Late answer")]


def test_deleted_actor_shows_as_deleted_and_actors_lists_who_acts(sample_session):
    names = [name for _id, name in actors(sample_session)]
    assert names == sorted(names, key=str.casefold)
    assert {"United States", "Kremlin", "Russia", "European Union"} <= set(names)
    assert "Joe Biden" not in names  # only ever a target
    duma = sample_session.entities.find_by_name("State Duma")
    sample_session.entities.delete(duma.id)
    row = by_title(timeline(sample_session), "State Duma ratifies")
    assert row.actor == DELETED_ENTITY and row.actor_id == duma.id


def test_deleting_an_event_detaches_its_answers(sample_session):
    expulsion = by_title(timeline(sample_session), "US expels ten")
    sample_session.episodes.delete_event(expulsion.event_id)
    rows = timeline(sample_session)
    assert len(rows) == 10
    summons = by_title(rows, "Russian Foreign Ministry summons")
    assert summons.depth == 0 and summons.responds_to is None


# -- the event form's helpers ---------------------------------------------------------------


def test_save_event_changes_fields_and_evidence_in_one_transaction(sample_session):
    from workstation.services.timeline import save_event

    row = by_title(timeline(sample_session), "US expels ten")
    other = by_title(timeline(sample_session), "State Duma").evidence[0]
    keep = row.evidence[0]
    outcome = save_event(
        sample_session, row.event_id, evidence=[keep, other], title=row.title, summary="New"
    )
    assert outcome.record.summary == "New" and outcome.record.title == row.title
    tables = [change.table for change in outcome.changes.changes]
    assert tables.count("events") == 1 and tables.count("evidence") == 2  # one out, one in
    after = by_title(timeline(sample_session), "US expels ten")
    assert after.evidence == (keep, other)
    sample_session.revert(outcome.changes)
    assert by_title(timeline(sample_session), "US expels ten").evidence == row.evidence
    unchanged = save_event(sample_session, row.event_id, evidence=list(row.evidence))
    assert not unchanged.changes


def test_save_event_is_all_or_nothing(sample_session):
    from workstation.services.timeline import save_event

    row = by_title(timeline(sample_session), "US expels ten")
    with pytest.raises(ServiceError):
        save_event(sample_session, row.event_id, evidence=[], title="   ")
    assert by_title(timeline(sample_session), "US expels ten").evidence == row.evidence
    with pytest.raises(ServiceError, match="cannot edit"):
        save_event(sample_session, row.event_id, evidence=[], colour="red")
    assert by_title(timeline(sample_session), "US expels ten").evidence == row.evidence
    with pytest.raises(NotFound):
        save_event(sample_session, "no-such-event", evidence=[])


def test_answerable_events_exclude_the_event_and_its_answers(sample_session):
    from workstation.services.timeline import answerable_events

    episode = sample_session.episodes.list_episodes()[0]
    accusation = by_title(timeline(sample_session), "US formally blames")
    offered = {e.title for e in answerable_events(sample_session, episode.id, accusation.event_id)}
    assert len(offered) == 5  # 11 less itself, its 2 answers and their 3 answers
    assert not any(
        t.startswith(("US executive", "Kremlin calls", "Moscow expels")) for t in offered
    )
    assert len(answerable_events(sample_session, episode.id, None)) == 11


def test_draft_and_date_proposal_from_passages(sample_session):
    from workstation.importers import DocumentDraft
    from workstation.services.timeline import draft_from_passages, propose_event_date

    peskov = next(
        p
        for d in sample_session.documents.list_documents()
        for p in sample_session.annotations.for_document(d.id)
        if p.exact.startswith("We consider any pursuit")
    )
    draft = draft_from_passages(sample_session, [peskov.id])
    kremlin = sample_session.entities.find_by_name("Kremlin")
    assert (draft.date, draft.kind, draft.actor_id) == ("2021-04-15", "statement", kremlin.id)
    assert draft_from_passages(sample_session, []).date is None
    assert propose_event_date(sample_session, [peskov.id]) is None

    text = "Moscow said on Thursday it would expel ten US diplomats."
    document = sample_session.documents.add(
        DocumentDraft(title="Answer", text=text, origin_name="a.txt", published="2021-04-16")
    ).record
    dated = sample_session.annotations.create(document.id, 0, len(text) - 1).record
    proposal, source = propose_event_date(sample_session, [peskov.id, dated.id])
    assert (proposal.date, proposal.matched, source.id) == (
        "2021-04-15",
        "on Thursday",
        document.id,
    )
