"""Selections that land: mouse selections snap to words (Edit → Snap selections to words,
on by default, remembered), keyboard selections stay exact, and Shift+click and
Shift+arrows extend any selection (a double-clicked word, the selected passage)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu

from workstation.importers.base import DocumentDraft
from workstation.ui.shell import window_state

ARTICLE = (
    "Washington expelled ten Russian diplomats. Moscow answered in kind, closing two consulates."
)
CYRILLIC = "Лавров заявил, что Москва ответит. Посол вызван в МИД."
EMOJI = "Protesters 🇷🇺 waved flags 👨\u200d👩\u200d👧 and left."


def open_text(page, text: str) -> str:
    document_id = page.session.documents.add(
        DocumentDraft(title="Snapping test", text=text, origin_name="t.txt")
    ).record.id
    page.workbench.open_document(document_id)
    page.qtbot.waitUntil(lambda: page.window.reader.document_id == document_id)
    return document_id


def at(text: str, quote: str, offset: int = 0) -> int:
    return text.index(quote) + offset


def test_snapping_is_on_by_default_and_in_the_edit_menu(page):
    action = page.action("actionSnapToWords")
    assert action.isCheckable() and action.isChecked()
    edit = page.window.menuBar().findChild(QMenu, "menuEdit")
    assert action in edit.actions()


def test_a_drag_ending_mid_word_snaps_out(page):
    open_text(page, ARTICLE)
    # From inside "expelled" to inside "Russian": both words whole.
    got = page.drag_select(at(ARTICLE, "expelled", 2), at(ARTICLE, "Russian", 3))
    assert got == "expelled ten Russian"


def test_a_drag_starting_on_the_previous_full_stop_drops_it(page):
    open_text(page, ARTICLE)
    got = page.drag_select(at(ARTICLE, ". Moscow"), at(ARTICLE, "answered", 8))
    assert got == "Moscow answered"
    passage = page.annotate("Sanction")
    assert passage.exact == "Moscow answered"


def test_a_drag_backwards_snaps_too(page):
    open_text(page, ARTICLE)
    got = page.drag_select(at(ARTICLE, "consulates", 4), at(ARTICLE, "closing", 3))
    assert got == "closing two consulates"


def test_cyrillic_snaps_to_whole_words(page):
    open_text(page, CYRILLIC)
    got = page.drag_select(at(CYRILLIC, "Лавров", 2), at(CYRILLIC, "Москва", 3))
    assert got == "Лавров заявил, что Москва"


def test_emoji_are_never_cut_and_offsets_stay_right(page):
    open_text(page, EMOJI)
    got = page.drag_select(at(EMOJI, "waved", 2), at(EMOJI, "👨") + 2)
    assert got == "waved flags 👨\u200d👩\u200d👧"
    passage = page.annotate("Sanction")
    assert EMOJI[passage.start : passage.end] == got


def test_with_snapping_off_the_selection_is_exact_and_remembered(page):
    open_text(page, ARTICLE)
    page.trigger("actionSnapToWords")  # off
    assert window_state.preference(window_state.SNAP_TO_WORDS, True) is False
    got = page.drag_select(at(ARTICLE, "expelled", 2), at(ARTICLE, "Russian", 3))
    assert got == "pelled ten Rus"
    page.trigger("actionSnapToWords")  # on again
    assert window_state.preference(window_state.SNAP_TO_WORDS, False) is True


def test_keyboard_selections_are_not_snapped(page):
    open_text(page, ARTICLE)
    reader = page.window.reader
    reader.select_range(at(ARTICLE, "expelled", 2), at(ARTICLE, "expelled", 2))
    reader.text.setFocus()
    for _ in range(5):
        QTest.keyClick(reader.text, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert page.selected_text() == "pelle"


def test_shift_click_extends_a_double_clicked_word(page):
    open_text(page, ARTICLE)
    assert page.double_click(at(ARTICLE, "expelled", 3)) == "expelled"
    assert page.shift_click(at(ARTICLE, "diplomats", 4)) == "expelled ten Russian diplomats"


def test_shift_click_extends_the_selection_made_since_a_double_click(page):
    """Qt alone extends from the last double-clicked word, whatever was selected since."""
    open_text(page, ARTICLE)
    page.double_click(at(ARTICLE, "Washington", 2))
    page.select_text("Moscow")  # a search hit, or keys
    assert page.shift_click(at(ARTICLE, "kind", 2)) == "Moscow answered in kind"


def test_shift_arrows_extend_a_double_clicked_word(page):
    open_text(page, ARTICLE)
    page.double_click(at(ARTICLE, "ten", 1))
    reader = page.window.reader
    QTest.keyClick(reader.text, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(
        reader.text,
        Qt.Key.Key_Right,
        Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier,
    )
    assert page.selected_text().startswith("ten Russian")


@pytest.mark.parametrize("key", [Qt.Key.Key_Right, Qt.Key.Key_Left])
def test_shift_arrows_and_shift_click_extend_the_selected_passage(page, key):
    reader = page.window.reader
    passage_id = reader.marks.nearest(0, 1)
    span = reader.marks.spans[passage_id]
    reader.select_passage(passage_id)
    reader.text.setFocus()
    QTest.keyClick(reader.text, key, Qt.KeyboardModifier.ShiftModifier)
    quote = reader.body[span.start : span.end]
    if key == Qt.Key.Key_Right:
        assert page.selected_text() == reader.body[span.start : span.end + 1]
    else:
        assert page.selected_text() == reader.body[span.start - 1 : span.end]
    assert quote in page.selected_text()


def test_shift_click_extends_the_selected_passage(page):
    reader = page.window.reader
    passage_id = reader.marks.nearest(0, 1)
    span = reader.marks.spans[passage_id]
    reader.select_passage(passage_id)
    body = reader.body
    after = body.index(" ", span.end + 2)  # a word or so past the passage
    got = page.shift_click(after)
    assert got.startswith(body[span.start : span.end])
    assert len(got) > span.end - span.start
