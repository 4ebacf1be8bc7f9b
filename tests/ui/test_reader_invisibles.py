"""The reader shows invisible characters as marks and still counts passages in stored code
points: selections, highlights, clicks and copy all land on the stored text."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QGuiApplication, QTextCursor

from tests.helpers.hostile_text import hostile_text
from workstation.domain.offsets import normalize_body
from workstation.domain.text_display import shown
from workstation.importers.base import DocumentDraft
from workstation.ui.reader.view import ReaderView

HOSTILE = (
    "The decree targets \u202e23\u202c officials.\n"
    "Nav\u200balny's allies and Sergеy Lavrov met in ישראל (2021) and مصر.\n"
    "A\u2066isolated\u2069 word, a soft\u00adhyphen and \x1b[31m colour."
)


@pytest.fixture
def view(reader_view):
    return reader_view


def open_text(workbench, view, text: str, title: str = "Hostile") -> str:
    document_id = workbench.session.documents.add(
        DocumentDraft(title=title, text=text, origin_name="h.txt")
    ).record.id
    view.load(document_id)
    return document_id


def shown_between(view: ReaderView, start: int, end: int) -> str:
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(view.to_units(start))
    cursor.setPosition(view.to_units(end), QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText().replace("\u2029", "\n")


def test_the_reader_shows_marks_not_the_invisible_characters(view, workbench):
    open_text(workbench, view, HOSTILE, title="\u202eTFARD\u202c brief")
    laid_out = view.text.toPlainText()
    assert laid_out == shown(normalize_body(HOSTILE))
    assert "targets ⟨RLO⟩23⟨PDF⟩ officials" in laid_out
    assert "Nav⟨ZWSP⟩alny" in laid_out  # (import drops C0 controls such as ESC)
    assert "\u202e" not in laid_out and "\u200b" not in laid_out
    assert view.title_label.text() == "⟨RLO⟩TFARD⟨PDF⟩ brief"
    note = view.invisibles_label
    assert note.isVisible()
    assert "⟨RLO⟩ right-to-left override" in note.text()
    assert "⟨ZWSP⟩ zero-width space" in note.text()


def test_a_plain_article_has_no_note(view, workbench):
    open_text(workbench, view, "Nothing hidden here.")
    assert not view.invisibles_label.isVisible()


def test_marking_a_selection_over_marks_stores_the_real_characters(view, workbench, qtbot):
    open_text(workbench, view, HOSTILE)
    body = view.body
    start = body.index("targets")
    end = body.index(" officials")
    view.select_range(start, end)
    assert view.text.textCursor().selectedText() == "targets ⟨RLO⟩23⟨PDF⟩"
    category = workbench.session.codebook.by_name("Sanction")
    passage_id = view.annotate_selection(category.id)
    passage = workbench.session.annotations.get(passage_id)
    assert passage.exact == "targets \u202e23\u202c"
    assert (passage.start, passage.end) == (start, end)
    # The highlight covers the marks: the text shown between its bounds is the marked quote.
    assert shown_between(view, passage.start, passage.end) == "targets ⟨RLO⟩23⟨PDF⟩"


def test_a_selection_ending_inside_a_mark_takes_the_whole_character(view, workbench):
    open_text(workbench, view, "Nav\u200balny spoke.")
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(0)
    cursor.setPosition(len("Nav⟨ZW"), QTextCursor.MoveMode.KeepAnchor)
    view.text.setTextCursor(cursor)
    assert view.selection_span() == (0, 4)  # "Nav" and the zero-width space it touches


def test_copy_gives_the_stored_text(view, workbench):
    open_text(workbench, view, HOSTILE)
    start = view.body.index("targets")
    view.select_range(start, start + len("targets \u202e23\u202c"))
    view.text.copy_stored()
    assert QGuiApplication.clipboard().text() == "targets \u202e23\u202c"


def test_clicking_on_a_mark_selects_the_passage_under_it(view, workbench, qtbot):
    document_id = open_text(workbench, view, HOSTILE)
    start = view.body.index("\u202e")
    category = workbench.session.codebook.by_name("Sanction")
    outcome = workbench.apply(
        "mark",
        lambda: workbench.session.annotations.create(
            document_id, start, start + 4, category_id=category.id
        ),
    )
    view.text.click_at(view.to_units(start) + 2)  # inside "⟨RLO⟩"
    assert view.selected_passage == outcome.record.id


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile_text(min_size=1), data=st.data())
def test_any_text_shows_as_the_policy_says_and_positions_round_trip(view, workbench, text, data):
    # A line of its own keeps each body new to the workspace (an identical body is a duplicate).
    body = normalize_body(f"{text}\n{uuid.uuid4()}")
    open_text(workbench, view, body)
    assert view.text.toPlainText() == shown(body)
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    view.select_range(start, end)
    cursor = view.text.textCursor()
    assert view.to_codepoint(cursor.selectionStart()) == start
    assert view.to_codepoint(cursor.selectionEnd(), towards_end=True) == end
    assert cursor.selectedText().replace("\u2029", "\n") == shown_between(view, start, end)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile_text(min_size=1))
def test_the_reader_and_the_brief_show_the_same_characters(view, workbench, text):
    """The window and the paper read the same: the reader lays out exactly the logical text
    the brief draws (which the brief's own tests check against its PDF), but for runs no
    vendored font can draw, which the brief shows as marked transliterations."""
    from briefs.pdf_text import expected_logical, substitutes

    body = normalize_body(f"{text}\n{uuid.uuid4()}")
    open_text(workbench, view, body)
    on_paper = expected_logical(body)
    in_window = view.text.toPlainText()
    # Put each transliterated run in place of its original, left to right: then the two agree.
    rebuilt = in_window
    for run in substitutes(body):
        head, found, tail = rebuilt.partition(run.original)
        assert found, f"{run.original!r} is not in the reader's text"
        rebuilt = head + "\0" + tail  # a placeholder no text holds (import drops NULs)
        on_paper = on_paper.replace(run.shown, "\0", 1)
    assert rebuilt == on_paper
