"""The entity registry service: merge and split (each one undoable ChangeSet), passage
counts, the passages mentioning an entity, and the registry filter."""

from __future__ import annotations

import pytest

from workstation.domain.records import Entity, Event, Mention
from workstation.importers import DocumentDraft
from workstation.services.entity_registry import EntityRegistry
from workstation.services.maintenance import check
from workstation.services.outcome import NotFound, ServiceError
from workstation.storage import queries

TEXT = (
    "Washington expelled ten diplomats on Thursday. Moscow answered within a day. "
    "The Kremlin said Russia would respond in kind, and President Biden said Biden's "
    "order stands. Joseph R. Biden Jr. signed it; Moscow's mayor was not named."
)
OTHER = "In Москва the Russian Foreign Ministry summoned the ambassador of the United States."


class World:
    """A small registry: two documents, duplicate entities, links in several roles, an
    event naming the duplicate as actor and as target."""

    def __init__(self, session):
        self.s = session
        self.registry = EntityRegistry(session)
        docs = session.documents
        self.doc = docs.add(DocumentDraft(title="B story", text=TEXT, origin_name="b.txt")).record
        self.other = docs.add(
            DocumentDraft(title="A story", text=OTHER, origin_name="a.txt")
        ).record
        ents = session.entities
        self.russia = ents.create("Country", "Russia", aliases=["Moscow"], country="ru").record
        self.rf = ents.create(
            "Country", "Russian Federation", aliases=["RF", "Москва"], wikidata_id="Q159"
        ).record
        self.usa = ents.create("Country", "United States", aliases=["Washington"]).record
        self.biden = ents.create(
            "Person", "Joe Biden", aliases=["Biden", "Joseph R. Biden Jr."], country="us"
        ).record
        self.moscow_answered = self.passage(self.doc, "Moscow answered")
        self.kremlin_said = self.passage(self.doc, "The Kremlin said Russia would respond")
        self.mayor = self.passage(self.doc, "Moscow's mayor")
        self.moskva = self.passage(self.other, "In Москва the Russian Foreign Ministry")
        self.link(self.moscow_answered, self.russia, "actor")
        self.link(self.kremlin_said, self.russia, "actor")
        self.link(self.mayor, self.russia, "mentioned")
        self.link(self.moscow_answered, self.rf, "actor")  # the same link as Russia's
        self.link(self.moscow_answered, self.rf, "speaker")
        self.link(self.moskva, self.rf, "subject")
        episode = session.episodes.create("Expulsions").record
        self.answer = session.episodes.add_event(
            episode.id,
            date="2021-04-16",
            title="Answer",
            actor_id=self.rf.id,
            target_id=self.usa.id,
        ).record
        self.expulsion = session.episodes.add_event(
            episode.id,
            date="2021-04-15",
            title="Expulsion",
            actor_id=self.usa.id,
            target_id=self.rf.id,
        ).record

    def passage(self, document, quote: str):
        start = document.body.index(quote)
        return self.s.annotations.create(document.id, start, start + len(quote)).record

    def link(self, passage, entity, role):
        return self.s.entities.link(passage.id, entity.id, role).record

    def links(self, entity) -> list[tuple[str, str]]:
        return sorted(
            (m.annotation_id, m.role) for m in self.s.entities.mentions_for_entity(entity.id)
        )

    def event(self, event) -> Event:
        return self.s.workspace.records.get(Event, event.id)


@pytest.fixture
def world(session) -> World:
    return World(session)


def snapshot(world: World) -> dict:
    s = world.s
    return {
        "entities": [
            (e.id, e.name, e.aliases, e.country, e.wikidata_id) for e in s.entities.list_entities()
        ],
        "mentions": sorted(
            (m.id, m.entity_id, m.role)
            for e in s.entities.list_entities()
            for m in s.entities.mentions_for_entity(e.id)
        ),
        "events": [
            (e.id, e.actor_id, e.target_id)
            for e in (world.event(world.answer), world.event(world.expulsion))
        ],
    }


# -- merge ------------------------------------------------------------------------------------


def test_merge_moves_mentions_events_and_names_into_the_kept_entity(world):
    before_links = world.links(world.russia)
    outcome = world.registry.merge(world.russia.id, world.rf.id)
    kept = outcome.record
    assert kept.id == world.russia.id
    assert kept.aliases == ["Moscow", "Russian Federation", "RF", "Москва"]
    assert kept.wikidata_id == "Q159"  # filled from the merged entity: Russia had none
    assert kept.country == "ru"  # kept's own value stays
    assert world.s.entities.find(world.rf.id) is None
    assert world.s.workspace.records.get(Entity, world.rf.id, include_deleted=True).deleted_at
    assert world.links(world.russia) == sorted(
        [*before_links, (world.moscow_answered.id, "speaker"), (world.moskva.id, "subject")]
    )
    assert world.s.entities.mentions_for_entity(world.rf.id) == []
    assert world.event(world.answer).actor_id == world.russia.id
    assert world.event(world.expulsion).target_id == world.russia.id
    assert world.event(world.expulsion).actor_id == world.usa.id
    assert check(world.s) == []


def test_merge_is_one_change_set_that_reverts_and_reapplies_exactly(world):
    before = snapshot(world)
    outcome = world.registry.merge(world.russia.id, world.rf.id)
    after = snapshot(world)
    tables = {c.table for c in outcome.changes.changes}
    assert tables == {"entities", "mentions", "events"}
    world.s.revert(outcome.changes)
    assert snapshot(world) == before
    assert world.registry.mention_counts()[world.rf.id] == 2
    world.s.reapply(outcome.changes)
    assert snapshot(world) == after
    assert check(world.s) == []


def test_merge_drops_a_link_the_kept_entity_already_has_and_undo_restores_it(world):
    duplicate = next(
        m for m in world.s.entities.mentions_for_entity(world.rf.id) if m.role == "actor"
    )
    outcome = world.registry.merge(world.russia.id, world.rf.id)
    assert world.s.workspace.records.get(Mention, duplicate.id) is None
    actor_links = [link for link in world.links(world.russia) if link[1] == "actor"]
    assert actor_links.count((world.moscow_answered.id, "actor")) == 1
    world.s.revert(outcome.changes)
    assert world.s.workspace.records.get(Mention, duplicate.id).entity_id == world.rf.id


def test_merging_a_true_duplicate_adds_no_alias_equal_to_the_name(world):
    copy = world.s.entities.create("Country", "RUSSIA", aliases=["moscow", "Rossiya"]).record
    kept = world.registry.merge(world.russia.id, copy.id).record
    assert kept.aliases == ["Moscow", "Rossiya"]


def test_merge_refuses_itself_and_unknown_entities_without_writing(world):
    changes = queries.change_count(world.s.workspace)
    with pytest.raises(ServiceError):
        world.registry.merge(world.russia.id, world.russia.id)
    with pytest.raises(NotFound):
        world.registry.merge(world.russia.id, "no-such-id")
    world.s.entities.delete(world.usa.id)
    changes = queries.change_count(world.s.workspace)
    with pytest.raises(NotFound):
        world.registry.merge(world.usa.id, world.rf.id)  # the kept one is gone
    assert queries.change_count(world.s.workspace) == changes
    assert world.s.entities.find(world.rf.id) is not None


def test_merge_on_the_sample_moves_event_actors(sample_session):
    registry = EntityRegistry(sample_session)
    kremlin = sample_session.entities.find_by_name("Kremlin")
    russia = sample_session.entities.find_by_name("Russia")
    counts = registry.mention_counts()
    outcome = registry.merge(russia.id, kremlin.id)
    episode = sample_session.episodes.resolve(None)
    actors = {e.actor_id for e in sample_session.episodes.events(episode.id)}
    assert kremlin.id not in actors and russia.id in actors
    assert "Kremlin" in outcome.record.aliases and "Кремль" in outcome.record.aliases
    merged_counts = registry.mention_counts()
    assert kremlin.id not in merged_counts
    assert counts[russia.id] < merged_counts[russia.id] <= counts[russia.id] + counts[kremlin.id]
    sample_session.revert(outcome.changes)
    assert registry.mention_counts() == counts
    assert check(sample_session) == []


# -- split ------------------------------------------------------------------------------------


def test_split_alias_makes_a_new_entity_and_undo_removes_it(world):
    outcome = world.registry.split_alias(world.rf.id, "rf", "Organization")
    created = outcome.record
    assert (created.name, created.kind, created.country) == ("RF", "Organization", None)
    assert world.s.entities.get(world.rf.id).aliases == ["Москва"]
    assert world.s.entities.mentions_for_entity(created.id) == []  # not asked to move
    world.s.revert(outcome.changes)
    assert world.s.entities.find(created.id) is None
    assert world.s.entities.get(world.rf.id).aliases == ["RF", "Москва"]
    world.s.reapply(outcome.changes)
    assert world.s.entities.get(created.id).name == "RF"
    assert world.s.entities.get(world.rf.id).aliases == ["Москва"]


def test_split_alias_keeps_kind_and_country_by_default_and_refuses_unknown_aliases(world):
    created = world.registry.split_alias(world.russia.id, "Moscow").record
    assert (created.kind, created.country) == ("Country", "ru")
    with pytest.raises(ServiceError, match="no alias"):
        world.registry.split_alias(world.russia.id, "Moscow")
    with pytest.raises(ServiceError, match="no alias"):
        world.registry.split_alias(world.russia.id, "Russia")  # the name is not an alias


def test_split_alias_can_take_the_passages_that_name_only_that_alias(world):
    # "Moscow answered" and "Moscow's mayor" name Russia only as Moscow; "The Kremlin said
    # Russia…" names it Russia and stays.
    moving = world.registry.mentions_naming_only(world.russia.id, "Moscow")
    assert len(moving) == 2
    outcome = world.registry.split_alias(world.russia.id, "Moscow", "Address", move_mentions=True)
    city = outcome.record
    assert world.links(city) == sorted(
        [(world.moscow_answered.id, "actor"), (world.mayor.id, "mentioned")]
    )
    assert world.links(world.russia) == [(world.kremlin_said.id, "actor")]
    world.s.revert(outcome.changes)
    assert len(world.links(world.russia)) == 3


def test_a_name_inside_a_longer_name_counts_as_the_longer_one(world):
    signed = world.passage(world.doc, "Joseph R. Biden Jr. signed it")
    said = world.passage(world.doc, "President Biden said Biden's order stands")
    world.link(signed, world.biden, "actor")
    world.link(said, world.biden, "speaker")
    moving = world.registry.mentions_naming_only(world.biden.id, "Joseph R. Biden Jr.")
    assert [world.s.workspace.records.get(Mention, m).annotation_id for m in moving] == [signed.id]
    # "Biden" inside the longer name is that name, not the alias (possessive or not).
    moving = world.registry.mentions_naming_only(world.biden.id, "Biden")
    assert [world.s.workspace.records.get(Mention, m).annotation_id for m in moving] == [said.id]


# -- counts, passages, filter -----------------------------------------------------------------


def test_mention_counts_count_live_passages_once_per_entity(world):
    counts = world.registry.mention_counts()
    assert counts[world.russia.id] == 3
    assert counts[world.rf.id] == 2  # actor and speaker on one passage count once
    assert world.usa.id not in counts
    world.s.annotations.delete(world.moskva.id)
    assert world.registry.mention_counts()[world.rf.id] == 1
    world.s.documents.delete(world.doc.id)
    assert world.registry.mention_counts() == {}


def test_passages_mentioning_come_with_document_context_and_roles(world):
    found = world.registry.passages_mentioning(world.rf.id, context=20)
    assert [p.document_title for p in found] == ["A story", "B story"]  # by title
    first, second = found
    assert (first.before, first.exact) == ("", "In Москва the Russian Foreign Ministry")
    assert first.after == OTHER[len(first.exact) : len(first.exact) + 20]
    assert second.roles == ("actor", "speaker")
    assert second.before == TEXT[second.start - 20 : second.start]
    assert second.after == TEXT[second.end : second.end + 20]
    assert world.registry.passages_mentioning(world.rf.id, context=20, limit=1) == [first]
    world.s.documents.delete(world.other.id)
    assert [p.annotation_id for p in world.registry.passages_mentioning(world.rf.id)] == [
        world.moscow_answered.id
    ]


def names(rows) -> list[str]:
    return [row.name for row in rows]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["Joe Biden", "Russia", "Russian Federation", "United States"]),
        ("russ", ["Russia", "Russian Federation"]),
        ("МОСКВА", ["Russian Federation"]),  # Cyrillic, any case
        ("q159", ["Russian Federation"]),  # Wikidata id
        ("person us", ["Joe Biden"]),  # every word, across kind and country
        ("bîdén", ["Joe Biden"]),  # accents ignored
        ("50%", []),  # no wildcard
    ],
)
def test_rows_filter_over_every_field(world, text, expected):
    assert names(world.registry.rows(text)) == expected
    assert world.registry.count(text) == len(expected)


def test_rows_sort_and_window(world):
    by_passages = world.registry.rows(sort="passages", descending=True)
    assert names(by_passages)[:2] == ["Russia", "Russian Federation"]
    assert [r.passages for r in by_passages] == [3, 2, 0, 0]
    assert names(world.registry.rows(limit=2, offset=1)) == ["Russia", "Russian Federation"]
    with pytest.raises(ValueError):
        world.registry.rows(sort="seq; DROP TABLE entities")
