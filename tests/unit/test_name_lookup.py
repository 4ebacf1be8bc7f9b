"""The link field's lookup: partial, misspelled and other-script names find the entity meant
(domain.name_lookup, services.entity_lookup)."""

from __future__ import annotations

import pytest

from workstation.domain.name_lookup import Candidate, NameLookup

REGISTRY = [
    Candidate("mfa", "Russian Foreign Ministry", ("МИД России", "МИД")),
    Candidate("russia", "Russia", ("Russian Federation", "Москва")),
    Candidate("lavrov", "Sergei Lavrov"),
    Candidate("zakharova", "Maria Zakharova", ("Захарова",)),
    Candidate("peskov", "Dmitry Peskov", ("Песков",)),
    Candidate("gromov", "Alexei Gromov"),
    Candidate("usa", "United States", ("Washington", "USA")),
    Candidate("state", "U.S. State Department", ("US Department of State",)),
]


def first(query: str) -> tuple[str, str] | None:
    found = NameLookup(REGISTRY).find(query)
    return (found[0].entity_id, found[0].how) if found else None


@pytest.mark.parametrize(
    ("query", "entity", "how"),
    [
        ("Russian Foreign", "mfa", "prefix"),
        ("russian foreign", "mfa", "prefix"),
        ("Foreign Rus", "mfa", "words"),
        ("Ministry", "mfa", "words"),
        ("Lavrov", "lavrov", "words"),
        ("Lavorv", "lavrov", "similar"),
        ("Sergei Lavorv", "lavrov", "similar"),
        ("лавров", "lavrov", "transliteration"),
        ("Лавр", "lavrov", "transliteration"),
        ("Лавроф", "lavrov", "similar"),
        ("Zakarova", "zakharova", "similar"),
        ("захар", "zakharova", "prefix"),
        ("Vashington", "usa", "transliteration"),
        ("мид", "mfa", "exact"),
        ("Песков", "peskov", "exact"),
    ],
)
def test_the_entity_meant_comes_first(query, entity, how):
    assert first(query) == (entity, how)


def test_unrelated_names_find_nothing():
    assert first("Nobody Known") is None
    assert first("Сергей Рябков") is None  # a shared first name is not the same person
    assert first("") is None
    assert first("   ") is None


def test_each_entity_once_by_its_best_label_names_before_aliases():
    found = NameLookup(REGISTRY).find("Russ")
    ids = [m.entity_id for m in found]
    assert len(ids) == len(set(ids))
    assert ids[:2] == ["russia", "mfa"]  # both names start so; the shorter first
    assert found[0].label == "Russia" and found[0].is_name


def test_exact_beats_prefix_beats_words_beats_similar():
    found = NameLookup(
        [
            Candidate("a", "Lavrov"),
            Candidate("b", "Lavrovsky Prospekt"),
            Candidate("c", "Sergei Lavrov"),
            Candidate("d", "Lavrow"),
        ]
    ).find("Lavrov")
    assert [(m.entity_id, m.how) for m in found] == [
        ("a", "exact"),
        ("b", "prefix"),
        ("c", "words"),
        ("d", "transliteration"),
    ]


def test_limit():
    assert len(NameLookup(REGISTRY).find("a", limit=2)) <= 2
    assert len(NameLookup(REGISTRY).find("s", limit=None)) >= 3


def test_service_lookup_returns_entities(session):
    lavrov = session.entities.create("Person", "Sergei Lavrov").record
    session.entities.create("PublicBody", "Russian Foreign Ministry", aliases=["МИД"])
    matches = session.entities.find_matches("лавров")
    assert [(m.entity.id, m.label, m.how) for m in matches] == [
        (lavrov.id, "Sergei Lavrov", "transliteration")
    ]
    lookup = session.entities.lookup()
    assert lookup.find("Russian Foreign")[0].entity.name == "Russian Foreign Ministry"
    assert lookup.find("мид")[0].exact
