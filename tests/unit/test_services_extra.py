"""Service helpers the inspector and the codebook editor rely on."""

from __future__ import annotations

import pytest

from workstation.domain.records import Annotation, Entity
from workstation.services.outcome import NotFound, ServiceError


def _names(session) -> list[str]:
    return [c.name for c in session.codebook.list_categories()]


def _first_passage(session) -> Annotation:
    return next(iter(session.workspace.records.where(Annotation, limit=1)))


def test_move_renumbers_positions_in_one_change_set_and_reverts(session):
    before = _names(session)
    other = session.codebook.by_name("Other")
    outcome = session.codebook.move(other.id, 0)
    assert _names(session) == ["Other", *before[:-1]]
    assert [c.position for c in session.codebook.list_categories()] == list(range(len(before)))
    assert outcome.record.position == 0
    assert {c.table for c in outcome.changes.changes} == {"categories"}
    session.revert(outcome.changes)
    assert _names(session) == before


def test_move_clamps_and_refuses_unknown_category(session):
    first = session.codebook.list_categories()[0]
    session.codebook.move(first.id, 99)
    assert _names(session)[-1] == first.name
    unchanged = session.codebook.move(first.id, 99)
    assert not unchanged.changes
    with pytest.raises(NotFound):
        session.codebook.move("nope", 0)


def test_in_use_tells_whether_passages_carry_the_category(sample_session):
    passage = _first_passage(sample_session)
    assert sample_session.codebook.in_use(passage.category_id)
    fresh = sample_session.codebook.create("Unused").record
    assert not sample_session.codebook.in_use(fresh.id)
    with pytest.raises(ServiceError, match="still used"):
        sample_session.codebook.delete(passage.category_id)


def test_create_and_link_is_one_change_set(sample_session):
    passage = _first_passage(sample_session)
    outcome = sample_session.entities.create_and_link(passage.id, "Person", "Ivan Ivanov", "actor")
    assert [c.table for c in outcome.changes.changes] == ["entities", "mentions"]
    entity = sample_session.entities.find_by_name("ivan ivanov")
    assert entity is not None and outcome.record.entity_id == entity.id
    sample_session.revert(outcome.changes)
    assert sample_session.entities.find_by_name("Ivan Ivanov") is None
    assert all(m.id != outcome.record.id for m in sample_session.entities.mentions_of(passage.id))


def test_create_and_link_leaves_nothing_behind_when_refused(sample_session):
    passage = _first_passage(sample_session)
    with pytest.raises(ServiceError):
        sample_session.entities.create_and_link(passage.id, "Person", "Nobody", "boss")
    assert sample_session.entities.find_by_name("Nobody") is None


def test_set_role_changes_role_and_refuses_duplicates_and_unknown_roles(session):
    from workstation.importers import DocumentDraft

    doc = session.documents.add(
        DocumentDraft(title="t", text="Peskov spoke.", origin_name="t.txt")
    ).record
    passage = session.annotations.create(doc.id, 0, 6).record
    peskov = session.entities.create("Person", "Dmitry Peskov").record
    first = session.entities.link(passage.id, peskov.id, "speaker").record
    second = session.entities.link(passage.id, peskov.id, "actor").record
    assert session.entities.set_role(first.id, "subject").record.role == "subject"
    with pytest.raises(ServiceError, match="already linked"):
        session.entities.set_role(first.id, "actor")
    with pytest.raises(ServiceError, match="role must be"):
        session.entities.set_role(second.id, "boss")


def test_search_names_matches_names_and_cyrillic_aliases_by_prefix(sample_session):
    hits = sample_session.entities.search_names("песк")
    assert [(label, e.name) for label, e in hits] == [("Песков", "Dmitry Peskov")]
    hits = sample_session.entities.search_names("Dmitr")
    assert [label for label, _ in hits] == ["Dmitry Peskov", "Dmitri Peskov"]
    everything = sample_session.entities.search_names(limit=None)
    assert len(everything) > len(sample_session.entities.list_entities())
    assert all(isinstance(e, Entity) for _, e in everything)
    assert len(sample_session.entities.search_names("", limit=3)) == 3
