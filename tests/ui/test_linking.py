"""Linking that does what you mean (issue 15): choosing a completion fills the field and
waits for the role and Enter; a partial, misspelled or Cyrillic name offers the entities it
may mean before "Create new…"; creating is an explicit choice, never what Link falls back to."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.helpers.pages import type_text

# The completer's popup on the offscreen platform (see tests/ui/test_inspector.py).
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


@pytest.fixture
def passage(page):
    page.open_document("Russia-US Relations")
    page.select_text("the U.S. State Department")
    marked = page.annotate("Statement")
    page.select_passage(marked)
    return marked


@pytest.fixture
def links(page):
    return page.window.inspector.links


def set_role(links, role: str) -> None:
    links.role_combo.setCurrentIndex(links.role_combo.findData(role))


def test_clicking_a_completion_fills_the_field_and_links_nothing(page, passage, links, qtbot):
    set_role(links, "speaker")
    steps = page.workbench.undo_stack.count()
    choices = page.type_entity("Песк")
    assert choices[0] == "Песков — Dmitry Peskov (Person)"
    page.choose_entity(0)
    assert links.input.text() == "Песков"
    qtbot.wait(50)  # nothing queued may link behind the officer's back
    assert page.linked(passage) == []
    assert page.workbench.undo_stack.count() == steps
    # The role is shown, and what Enter will do is said.
    assert links.role_combo.isVisible() and links.role_combo.currentText() == "speaker"
    assert links.hint.isVisible()
    assert links.hint.text() == "Enter or Link: link Dmitry Peskov as speaker"
    set_role(links, "target")  # the role can still be changed before linking
    assert links.hint.text().endswith("as target")
    qtbot.keyClick(links.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.linked(passage) == [("Dmitry Peskov", "target")])
    assert links.input.text() == ""
    assert links.role_combo.currentData() == "target"  # the last used stays the default


def test_enter_in_the_popup_fills_and_the_next_enter_links(page, passage, links, qtbot):
    set_role(links, "speaker")
    page.type_entity("Zakh")
    page.choose_entity(0, key=True)
    assert links.input.text() == "Zakharova"
    qtbot.wait(50)
    assert page.linked(passage) == []
    qtbot.keyClick(links.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.linked(passage) == [("Maria Zakharova", "speaker")])
    assert page.workbench.undo_stack.undoText() == "Link Maria Zakharova"


def test_a_partial_name_offers_the_existing_entity_before_create_new(page, passage, links, qtbot):
    choices = page.type_entity("Russian Foreign")
    assert choices[0] == "Russian Foreign Ministry (PublicBody)"
    assert choices[-1] == "Create new entity “Russian Foreign”…"
    # Link on the partial name: no dialog, no new entity, nothing linked; the matches shown.
    entities = len(page.session.entities.list_entities())
    links.link_button.click()
    assert page.prompts.asked == []
    assert QApplication.activeModalWidget() is None
    assert page.linked(passage) == []
    assert len(page.session.entities.list_entities()) == entities
    assert "No entity is called “Russian Foreign”" in links.hint.text()
    assert page.link_choices()[0] == "Russian Foreign Ministry (PublicBody)"
    # Keys typed next land in the field, not in any dialog.
    type_text(links.input, " Min")
    assert links.input.text() == "Russian Foreign Min"
    page.choose_entity(0)
    links.link_button.click()
    assert page.linked(passage) == [("Russian Foreign Ministry", "mentioned")]


def test_creating_a_new_entity_is_an_explicit_choice(page, passage, links, qtbot):
    choices = page.type_entity("Sergei Ryabkov")
    assert choices == ["Create new entity “Sergei Ryabkov”…"]
    qtbot.keyClick(links.input, Qt.Key.Key_Return)  # Enter: says so, creates nothing
    qtbot.waitUntil(lambda: "New entity" in links.hint.text())
    assert page.prompts.asked == []
    assert page.session.entities.find_by_name("Sergei Ryabkov") is None
    page.prompts.will_answer("choose", "Person")
    page.choose_entity(len(page.link_choices()) - 1)  # the "Create new entity…" entry
    qtbot.waitUntil(lambda: page.linked(passage) == [("Sergei Ryabkov", "mentioned")])
    assert page.prompts.asked == [("choose", "New entity")]
    assert page.session.entities.find_by_name("Sergei Ryabkov").kind == "Person"
    page.undo()  # one step: the link and the entity
    assert page.session.entities.find_by_name("Sergei Ryabkov") is None


def test_the_new_entity_button_creates_and_an_exact_name_is_not_duplicated(page, passage, links):
    page.type_entity("Песков")
    links.create_button.click()  # already known: says so, asks nothing
    assert page.prompts.asked == []
    assert "already known (Dmitry Peskov)" in links.hint.text()
    page.link_entity("Consulate in Yekaterinburg", "subject", kind="PublicBody")
    assert page.linked(passage) == [("Consulate in Yekaterinburg", "subject")]


def test_misspelled_and_cyrillic_partial_names_find_a_latin_entity(page, passage, links, qtbot):
    page.workbench.apply(
        "New entity Sergei Lavrov",
        lambda: page.session.entities.create("Person", "Sergei Lavrov"),
    )
    for typed in ("лавр", "лавров", "Lavorv", "Lavr"):
        assert page.type_entity(typed)[0] == "Sergei Lavrov (Person)", typed
    set_role(links, "speaker")
    page.type_entity("лавров")
    page.choose_entity(0)
    assert links.input.text() == "Sergei Lavrov"
    qtbot.keyClick(links.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.linked(passage) == [("Sergei Lavrov", "speaker")])


def test_popup_entries_have_their_whole_text_as_a_tooltip(page, passage, links):
    page.type_entity("Investigative")
    model = links.completion_model
    tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Investigative Committee of the Russian Federation\nPublicBody")
    assert "Found by" in tip
    create = model.index(model.rowCount() - 1, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Investigative" in create
    # The popup reaches left, past the narrow dock's field, to show the longest entry.
    popup = links.completer.popup()
    assert popup.width() > links.input.width()
    assert popup.width() >= popup.sizeHintForColumn(0)
