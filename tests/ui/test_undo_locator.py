"""Undo you can see (issue 15): undo and redo open the document they acted on, select and
flash the passage, and say in the status bar what was undone or redone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)

FIRST = "Russia-US Relations"
OTHER = "Biden imposes new sanctions on Russia and expels ten diplomats"


def status(page) -> str:
    return page.window.statusBar().currentMessage()


def flashed(page) -> tuple[int, int] | None:
    span = page.window.reader.flashing
    return None if span is None else (span.start, span.end)


def test_undo_in_another_document_opens_selects_and_flashes_it(page, qtbot):
    first_id = page.open_document(FIRST)
    start, end = page.select_text("the U.S. State Department")
    passage = page.annotate("Statement")
    page.select_passage(passage)
    page.link_entity("Госдепартамент", "speaker")
    page.open_document(OTHER)
    reader = page.window.reader

    page.undo()  # the link, made while the first document was open
    assert reader.document_id == first_id
    assert reader.selected_passage == passage.id
    assert page.window.inspector.links.passage_id == passage.id
    assert flashed(page) == (start, end)
    assert any(s.cursor.hasSelection() for s in reader.text.extraSelections())
    assert status(page) == f"Undone: Link U.S. State Department — {FIRST}"
    # The passage is on screen.
    rect = reader.text.cursorRect()
    assert reader.text.viewport().rect().intersects(rect)
    # The flash is brief.
    qtbot.waitUntil(lambda: reader.flashing is None, timeout=3000)
    assert reader.text.extraSelections() == []

    page.open_document(OTHER)
    page.undo()  # the passage itself: gone, its range still shown where it was
    assert page.session.annotations.find(passage.id) is None
    assert reader.document_id == first_id
    assert reader.selected_passage is None
    assert flashed(page) == (start, end)
    assert status(page) == f"Undone: Mark passage as Statement — {FIRST}"


def test_redo_in_another_document_opens_selects_and_flashes_it(page, qtbot):
    first_id = page.open_document(FIRST)
    start, end = page.select_text("the U.S. State Department")
    passage = page.annotate("Statement")
    page.undo()
    page.open_document(OTHER)
    reader = page.window.reader

    page.redo()
    assert page.session.annotations.find(passage.id) is not None
    assert reader.document_id == first_id
    assert reader.selected_passage == passage.id
    assert flashed(page) == (start, end)
    assert status(page) == f"Redone: Mark passage as Statement — {FIRST}"
    qtbot.waitUntil(lambda: reader.flashing is None, timeout=3000)


def test_a_change_without_a_document_only_says_what_was_undone(page):
    document_id = page.open_document(OTHER)
    peskov = page.session.entities.find_by_name("Dmitry Peskov")
    page.workbench.apply(
        "Rename Dmitry Peskov",
        lambda: page.session.entities.edit(peskov.id, name="Dmitri Peskov"),
    )
    page.undo()
    assert page.session.entities.get(peskov.id).name == "Dmitry Peskov"
    assert page.window.reader.document_id == document_id
    assert page.window.reader.flashing is None
    assert status(page) == "Undone: Rename Dmitry Peskov"
    page.redo()
    assert status(page) == "Redone: Rename Dmitry Peskov"


def test_the_first_do_neither_moves_nor_flashes(page):
    page.open_document(FIRST)
    page.select_text("the U.S. State Department")
    page.annotate("Statement")
    assert page.window.reader.flashing is None
    assert not status(page).startswith(("Undone", "Redone"))
