"""Look-alike entities (issue 11, point 5): merge proposes look-alike twins as duplicates,
the registry lists each entity's twins and mixed-script names for the GUI to flag, and every
look-up by a typed name ignores invisible characters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workstation.services import open_session
from workstation.services.entity_index import EntityIndex
from workstation.services.entity_registry import EntityRegistry, LookAlikeTwin
from workstation.services.merge import merge_workspace

SPOOF_LAVROV = "Serg\u0435y Lavrov"  # a Cyrillic е among Latin letters


@pytest.fixture
def theirs(sample_path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "bob.sqlite"
    shutil.copyfile(sample_path, copy)
    return copy


# -- merge ----------------------------------------------------------------------------------


def test_merge_proposes_look_alike_twins_and_names_hiding_invisible_characters(sample_path, theirs):
    with open_session(sample_path, author="alice") as s:
        lavrov = s.entities.create("Person", "Sergey Lavrov").record
        navalny = s.entities.find_by_name("Navalny")  # the sample's Alexei Navalny
        s.entities.create("Person", "Kim")
    with open_session(theirs, author="bob") as s:
        spoof = s.entities.create("Person", "S. Lavrov", aliases=[SPOOF_LAVROV]).record
        hidden = s.entities.create("Person", "Nav\u200balny").record
        s.entities.create("Person", "Sergei Ryabkov")  # nothing like any of ours
    with open_session(sample_path, author="alice") as s:
        report = merge_workspace(s, theirs)
    proposals = {(p.ours_id, p.theirs_id): p.reason for p in report.proposals}
    assert proposals == {
        (lavrov.id, spoof.id): f"look-alike letters: «Sergey Lavrov» and «{SPOOF_LAVROV}»",
        (navalny.id, hidden.id): "both «Nav\u200balny»",
    }
    with open_session(sample_path, author="alice") as s:  # proposed, never merged
        assert s.entities.find(spoof.id) and s.entities.find(lavrov.id)


def test_merge_proposes_twins_that_differ_only_in_letters_of_another_script(sample_path, theirs):
    with open_session(theirs, author="bob") as s:
        twin = s.entities.create("Person", "Dmitry P\u0435skov").record  # the sample's Peskov
    with open_session(sample_path, author="alice") as s:
        peskov = s.entities.find_by_name("Dmitry Peskov")
        [proposal] = merge_workspace(s, theirs).proposals
    assert (proposal.ours_id, proposal.theirs_id) == (peskov.id, twin.id)
    assert proposal.reason.startswith("look-alike letters")


# -- the registry's flags -------------------------------------------------------------------


def test_the_registry_lists_twins_and_mixed_script_names(session):
    registry = EntityRegistry(session)
    real = session.entities.create("Person", "Sergey Lavrov", aliases=["Сергей Лавров"]).record
    spoof = session.entities.create("Person", SPOOF_LAVROV).record
    plain = session.entities.create("Person", "Maria Zakharova", aliases=["Захарова"]).record
    kim = session.entities.create("Person", "Kim").record
    session.entities.create("Person", "Kirn")  # same skeleton, one script: a twin all the same

    flags = registry.look_alikes(spoof.id)
    assert flags.flagged and flags.mixed_script == (SPOOF_LAVROV,)
    assert flags.twins == (LookAlikeTwin(real.id, "Sergey Lavrov", "Sergey Lavrov", SPOOF_LAVROV),)
    flags = registry.look_alikes(real.id)
    assert flags.mixed_script == ()  # a Latin name with a Cyrillic alias is no mix
    assert [t.entity_id for t in flags.twins] == [spoof.id]
    assert not registry.look_alikes(plain.id).flagged
    every = registry.look_alike_flags()
    assert set(every) == {real.id, spoof.id, kim.id, *[t.entity_id for t in every[kim.id].twins]}
    assert plain.id not in every


def test_twins_go_when_the_look_alike_is_deleted(session):
    registry = EntityRegistry(session)
    real = session.entities.create("Person", "Sergey Lavrov").record
    spoof = session.entities.create("Person", SPOOF_LAVROV).record
    session.entities.delete(spoof.id)
    assert not registry.look_alikes(real.id).flagged
    assert registry.look_alike_flags() == {}


# -- finding an entity by a typed name -------------------------------------------------------


def test_typed_names_find_entities_whatever_invisible_characters_either_holds(session):
    hidden = session.entities.create("Person", "Nav\u200balny", aliases=["A. Na\u00advalny"]).record
    plain = session.entities.create("Person", "Maria Zakharova").record
    assert session.entities.find_by_name("Navalny") == hidden
    assert session.entities.find_by_name("a. navalny") == hidden
    assert session.entities.find_by_name("Maria Zakh\u2060arova") == plain
    assert [(label, e.id) for label, e in session.entities.search_names("nava")] == [
        ("Nav\u200balny", hidden.id)
    ]
    assert [label for label, _e in session.entities.search_names("a. nav")] == ["A. Na\u00advalny"]
    assert [row.id for row in EntityRegistry(session).rows("navalny")] == [hidden.id]


def test_an_import_naming_an_entity_with_an_invisible_character_reuses_it(session):
    known = session.entities.create("Person", "Alexei Navalny").record
    with session.workspace.transaction():
        found, created = EntityIndex(session).resolve(
            id_=None, name="Alexei Nav\u200balny", kind="Person"
        )
    assert (found.id, created) == (known.id, False)
    assert session.entities.get(known.id).aliases == []  # no alias that only hides a ZWSP
