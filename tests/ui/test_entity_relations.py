"""The entities dock shows what an FtM import brought (issue 17): the selected entity's facts
under readable labels and its relations worded from its end, both ways; activating a relation
shows the other entity. Outside text goes through the display policy."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt

from tests.helpers.peers import PEERS
from workstation.domain.records import Entity, Relation
from workstation.services.annotation_import import import_annotations
from workstation.ui.entities.dock import EntitiesDock

ZALA = PEERS / "ftm" / "yente-zala-entities.ftm.json"
ZAKHAROV, CST, OSETROVA = (
    "NK-aU5ybkbRFJucf8YMwsJvDw",
    "NK-abdzbEBkqyT29GyREbiURZ",
    "NK-2Tbri3s6GgNtAwsSXh4qpL",
)

pytestmark = pytest.mark.skipif(not ZALA.exists(), reason="../shared/peers/ftm/ is not here")


@pytest.fixture
def window(dock_host, workbench, tmp_path):
    copy = tmp_path / ZALA.name
    shutil.copy(ZALA, copy)
    report = import_annotations(workbench.session, copy)
    assert not report.errors
    win = dock_host(lambda wb, parent: EntitiesDock(wb, parent), size=(1300, 900))
    workbench.record_step("Import entities", report.changes)
    return win


def ours(workbench, file_id: str) -> Entity:
    (found,) = [
        e
        for e in workbench.session.workspace.records.where(Entity)
        if e.claimed.get("id") == file_id
    ]
    return found


def rows(dock) -> list[tuple[str, str]]:
    """(label, value) of every fact row, and (text, "") of every group and relation row."""
    out = []
    tree = dock.facts.tree
    for n in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(n)
        out.append((group.text(0), ""))
        out += [(group.child(i).text(0), group.child(i).text(1)) for i in range(group.childCount())]
    return out


def values_under(dock, wanted: str) -> list[str]:
    """The values of a fact listed one per row (its first row labelled, the others not)."""
    found, inside = [], False
    for label, value in rows(dock):
        inside = label == wanted or (inside and not label and bool(value))
        if inside:
            found.append(value)
    return found


def labels(dock) -> dict[str, str]:
    return {label: value for label, value in rows(dock) if value}


def test_facts_are_shown_under_readable_labels(window, workbench):
    dock = window.dock
    zakharov = ours(workbench, ZAKHAROV)
    dock.select_entity(zakharov.id)
    shown = labels(dock)
    assert shown["Nationality"] == "ru"
    assert shown["Born"] == "1965-09-21"
    assert "INN 183111242406" in shown["Identifiers"]
    assert shown["Topics"] == "Debarred; Disqualified director; Sanctioned"
    assert values_under(dock, "Addresses") == [
        "272 Pushkinskaya Street, Apt 41, Izhevsk, 426008",
        "IZHEVSK, 426008",
    ]
    assert "Council of the European Union" in values_under(dock, "Sanctions (undated)")
    assert "First name" not in shown
    assert dock.facts.label.text() == f"Facts and relations of {zakharov.name}"

    dock.select_entity(ours(workbench, CST).id)
    assert "OOO TSST" in labels(dock)["Weak aliases"]
    # an address per row: every address of the company is there
    assert "130 Vorovskogo St., Izhevsk, 436063" in values_under(dock, "Addresses")

    dock.select_entity(ours(workbench, OSETROVA).id)
    assert labels(dock)["Previous names"].startswith("Maria Aleksandrovna Zakharova")


def test_relations_are_worded_from_each_end(window, workbench):
    dock = window.dock
    zakharov, cst = ours(workbench, ZAKHAROV), ours(workbench, CST)
    dock.select_entity(zakharov.id)
    his = [item.text(0) for item in dock.facts.relation_items()]
    assert f"Owns 51% of {cst.name} (since 2015-11-25)" in his
    assert f"Director of {cst.name} (Leader or official of)" in his
    # as the owner of ten holdings, director of two companies, relative of four people
    assert ("Relations (16)", "") in rows(dock) and len(his) == 16

    dock.select_entity(cst.id)
    theirs = [item.text(0) for item in dock.facts.relation_items()]
    assert f"51% owned by {zakharov.name} (since 2015-11-25)" in theirs
    assert f"Director: {zakharov.name} (Leader or official of)" in theirs


def test_activating_a_relation_shows_the_other_entity(window, workbench, qtbot):
    dock = window.dock
    zakharov, cst = ours(workbench, ZAKHAROV), ours(workbench, CST)
    dock.select_entity(zakharov.id)
    item = next(
        i for i in dock.facts.relation_items() if i.text(0).startswith(f"Owns 51% of {cst.name}")
    )
    assert "yente-zala-entities.ftm.json:79" in item.toolTip(0)
    dock.facts.tree.setCurrentItem(item)
    dock.facts.tree.setFocus()
    qtbot.keyClick(dock.facts.tree, Qt.Key.Key_Return)
    assert dock.entity is not None and dock.entity.id == cst.id
    assert dock.form.name.text() == cst.name


def test_an_entity_with_nothing_imported_says_so(window, workbench):
    dock = window.dock
    biden = workbench.session.entities.find_by_name("Joe Biden")
    assert biden is not None
    dock.select_entity(biden.id)
    assert rows(dock) == []
    assert dock.facts.label.text() == "No further facts or relations recorded for Joe Biden."


def test_outside_text_goes_through_the_display_policy(window, workbench, tmp_path):
    line = {
        "id": "p-rlo",
        "schema": "Person",
        "properties": {
            "name": ["Pavel Hidden"],
            "weakAlias": ["evil\u202ecod.exe"],
            "position": ["Chief\u200b Officer"],
        },
    }
    path = tmp_path / "rlo.ftm.jsonl"
    path.write_text(json.dumps(line))
    report = import_annotations(workbench.session, path)
    workbench.record_step("Import", report.changes)
    dock = window.dock
    dock.select_entity(ours(workbench, "p-rlo").id)
    shown = labels(dock)
    assert "\u202e" not in shown["Weak aliases"] and "\u200b" not in shown["Position"]
    assert shown["Weak aliases"].startswith("evil") and shown["Weak aliases"] != "evil\u202ecod.exe"


def test_the_pane_follows_an_undo(window, workbench):
    dock = window.dock
    dock.select_entity(ours(workbench, ZAKHAROV).id)
    assert dock.facts.relation_items()
    workbench.undo_stack.undo()  # the whole import: its entities and relations go
    assert dock.entity is None or not dock.facts.relation_items()


def test_screenshot_of_the_facts(window, workbench):
    """Not an assertion on pixels: a picture to look at (/tmp/entity_facts.png)."""
    dock = window.dock
    dock.select_entity(ours(workbench, ZAKHAROV).id)
    assert window.grab().save("/tmp/entity_facts.png")
    relations = dock.facts.relation_items()
    dock.facts.tree.scrollToItem(relations[-1])
    assert dock.facts.grab().save("/tmp/entity_relations.png")


def test_a_hub_shows_its_first_relations_and_a_count(window, workbench):
    session = workbench.session
    hub = workbench.apply("New", lambda: session.entities.create("Company", "Hub Holding")).record
    other = workbench.apply("New", lambda: session.entities.create("Company", "Spoke Ltd")).record
    dock = window.dock
    dock.select_entity(hub.id)
    assert not dock.facts.relation_items()
    with session.workspace.transaction() as done:
        for n in range(510):
            session.workspace.records.insert(
                Relation(kind="ownership", subject_id=hub.id, object_id=other.id, share=str(n))
            )
    workbench.record_step("Relations", done)  # only relations changed: the pane follows
    assert len(dock.facts.relation_items()) == 500
    assert rows(dock)[-1] == ("… and 10 more", "")
