"""Mention-only spans in the window (issue 15): accepting a suggestion outside any passage
draws a quiet dotted underline, not a passage highlight; passage navigation passes it over; a
click selects it and the inspector says it is a mention and offers to make it a passage, one
undoable step. The suggestions dock's minimum width never follows its accept-all count."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtTest import QTest

from workstation.importers.base import DocumentDraft

TEXT = (
    "Zorgon Ministry spoke first. Then the council met in closed session.\n\n"
    "Later the Zorgon Ministry replied at length. The council voted."
)


def format_at(reader, codepoint: int) -> QTextCharFormat | None:
    position = reader.to_units(codepoint)
    block = reader.text.document().findBlock(position)
    local = position - block.position()
    for fmt_range in block.layout().formats():
        if fmt_range.start <= local < fmt_range.start + fmt_range.length:
            return QTextCharFormat(fmt_range.format)
    return None


def point_on(reader, codepoint: int) -> QPoint:
    cursor = QTextCursor(reader.text.document())
    cursor.setPosition(reader.to_units(codepoint))
    left = reader.text.cursorRect(cursor)
    cursor.setPosition(reader.to_units(codepoint + 1))
    right = reader.text.cursorRect(cursor)
    return QPoint((left.center().x() + right.center().x()) // 2, left.center().y())


def library_passages(page, document_id: str) -> int:
    return next(r.passages for r in page.session.documents.list_documents() if r.id == document_id)


@pytest.fixture
def mention(page, qtbot):
    """A new article with one passage ("Then the council met…") and the first "Zorgon
    Ministry" accepted from the suggestions queue: (document id, passage, mention)."""
    workbench, session = page.workbench, page.session
    document_id = workbench.apply(
        "import",
        lambda: session.documents.add(
            DocumentDraft(title="Zorgon talks", text=TEXT, origin_name="zorgon.txt")
        ),
    ).record.id
    workbench.apply("entity", lambda: session.entities.create("Organization", "Zorgon Ministry"))
    workbench.open_document(document_id)
    qtbot.waitUntil(lambda: page.window.reader.document_id == document_id)
    page.select_text("Then the council met in closed session.")
    passage = page.annotate("Statement")
    before = library_passages(page, document_id)
    assert page.suggestions() == [("Zorgon Ministry", "Zorgon Ministry")] * 2
    page.window.suggestions.view.setCurrentIndex(page.window.suggestions.model.index(0))
    page.accept_suggestion()
    spans = [a for a in session.annotations.for_document(document_id) if a.mention_only]
    assert [(a.start, a.exact) for a in spans] == [(0, "Zorgon Ministry")]
    assert library_passages(page, document_id) == before  # not a passage: not counted
    return document_id, passage, spans[0]


def test_a_mention_is_drawn_quietly_not_as_a_passage(page, mention):
    _document_id, passage, span = mention
    reader = page.window.reader
    quiet = format_at(reader, span.start + 2)
    assert quiet is not None
    assert quiet.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    assert quiet.background().style() == Qt.BrushStyle.NoBrush  # no tint
    tinted = format_at(reader, passage.start + 2)
    assert tinted is not None and tinted.background().style() != Qt.BrushStyle.NoBrush
    assert tinted.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline
    reader.grab().save("/tmp/mention_only_reader.png")


def test_passage_navigation_passes_mentions_over(page, mention):
    _document_id, passage, span = mention
    reader = page.window.reader
    page.workbench.select_passage(None)
    cursor = reader.text.textCursor()
    cursor.setPosition(0)
    reader.text.setTextCursor(cursor)
    page.trigger("actionNextPassage")  # from the top: the passage, not the mention at 0
    assert page.workbench.current_passage == passage.id
    page.trigger("actionPreviousPassage")  # nothing but the mention before it
    assert page.workbench.current_passage == passage.id
    page.trigger("actionNextPassage")
    assert page.workbench.current_passage == passage.id  # the second "Zorgon" is unlinked
    assert span.id in reader.marks  # still there, clickable


def test_clicking_a_mention_shows_it_as_one_and_make_it_a_passage_undoes(page, mention, qtbot):
    document_id, _passage, span = mention
    reader, inspector = page.window.reader, page.window.inspector
    inspector.show()
    page.workbench.select_passage(None)
    qtbot.mouseClick(
        reader.text.viewport(), Qt.MouseButton.LeftButton, pos=point_on(reader, span.start + 3)
    )
    assert page.workbench.current_passage == span.id
    qtbot.waitUntil(lambda: inspector.passage is not None and inspector.passage.id == span.id)
    assert inspector.mention_note.isVisible() and inspector.make_passage_button.isVisible()
    assert "not a passage" in inspector.mention_note.text()
    assert [name for name, _role in page.linked(span)] == ["Zorgon Ministry"]
    before = library_passages(page, document_id)
    expulsion = page.session.codebook.by_name("Expulsion")
    inspector.category.setCurrentIndex(inspector.category.findData(expulsion.id))
    inspector.make_passage_button.click()
    made = page.session.annotations.get(span.id)
    assert (made.mention_only, made.category_id) == (False, expulsion.id)
    assert page.workbench.undo_stack.undoText() == "Make passage of mention as Expulsion"
    assert library_passages(page, document_id) == before + 1
    assert not inspector.mention_note.isVisible()
    fmt = format_at(reader, span.start + 2)
    assert fmt is not None and fmt.background().style() != Qt.BrushStyle.NoBrush
    page.undo()
    assert page.session.annotations.get(span.id).mention_only
    assert library_passages(page, document_id) == before
    fmt = format_at(reader, span.start + 2)
    assert fmt is not None and fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    qtbot.waitUntil(lambda: inspector.mention_note.isVisible())


def test_marking_exactly_a_mention_makes_it_the_passage(page, mention):
    document_id, _passage, span = mention
    page.select_text("Zorgon Ministry")
    count = len(page.session.annotations.for_document(document_id))
    QTest.keyClick(page.window.reader.text, "1")  # Sanction's key
    assert len(page.session.annotations.for_document(document_id)) == count
    made = page.session.annotations.get(span.id)
    assert (
        not made.mention_only and made.category_id == page.session.codebook.by_name("Sanction").id
    )


def test_the_entities_dock_counts_passages_not_mentions(page, mention, qtbot):
    _document_id, _passage, span = mention
    entity_id = page.session.entities.mentions_of(span.id)[0].entity_id
    assert page.session.registry.mention_counts([entity_id]).get(entity_id, 0) == 0
    panes = page.window.entities.passages
    panes.show_entity(page.session.entities.get(entity_id))
    assert panes.label.text().endswith(": 0 (and 1 mention-only)")
    assert "mention only" in panes.model.index(0, 4).data()


def test_the_suggestions_dock_minimum_width_ignores_its_count(page):
    dock = page.window.suggestions
    button = dock.buttons["accept_all"]
    floor = dock.minimumSizeHint().width()
    dock.filter_combo.addItem("A very long entity name indeed, longer than the dock (99)", "x")
    dock.filter_combo.setCurrentIndex(dock.filter_combo.count() - 1)
    button.setText("Accept all 123456")
    assert dock.minimumSizeHint().width() == floor
    assert dock.filter_combo.toolTip().startswith("A very long entity name")
    button.resize(button.minimumSizeHint())
    button.grab()  # paints the text elided, without errors
    assert button.text() == "Accept all 123456"  # the text itself is whole


def test_choosing_a_category_for_a_mention_makes_it_a_passage(page, mention, qtbot):
    _document_id, _passage, span = mention
    inspector = page.window.inspector
    inspector.show()
    page.select_passage(span)
    sanction = page.session.codebook.by_name("Sanction")
    index = inspector.category.findData(sanction.id)
    inspector.category.setCurrentIndex(index)
    inspector.category.activated.emit(index)  # as the officer's choice in the list
    made = page.session.annotations.get(span.id)
    assert (made.mention_only, made.category_id) == (False, sanction.id)
    assert page.workbench.undo_stack.undoText() == "Make passage of mention as Sanction"
    page.undo()
    assert page.session.annotations.get(span.id).mention_only
