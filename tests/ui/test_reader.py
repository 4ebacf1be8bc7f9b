"""The reader: highlights from the interval index, marking passages by key and menu, clicking
through stacked passages, deleting, navigation, offsets around emoji and Cyrillic, and the
300k-character / 5,000-passage article that must not be rehighlighted whole for one edit."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QWidget

from workstation.domain.offsets import make_selector
from workstation.domain.records import Annotation, ChangeSet
from workstation.importers.base import DocumentDraft
from workstation.ui.reader.commands import build_context_menu
from workstation.ui.reader.highlighter import contrast, passage_tint, readable_text
from workstation.ui.reader.view import ReaderView
from workstation.ui.shell.actions import ActionRegistry

EMOJI_BODY = (
    "Песков заявил 😀: «Мы ответим». Then Lavrov 🇷🇺 spoke of reciprocity.\n"
    "Second paragraph 👍 with more text about the sanctions regime."
)


def units(text: str, codepoint: int) -> int:
    """An oracle for UTF-16 positions, independent of workstation.domain.offsets."""
    return len(text[:codepoint].encode("utf-16-le")) // 2


@pytest.fixture
def view(reader_view):
    return reader_view


def add_document(session, text: str, title: str = "Test article") -> str:
    return session.documents.add(
        DocumentDraft(title=title, text=text, origin_name="t.txt")
    ).record.id


def category(session, name: str):
    return session.codebook.by_name(name)


def mark(workbench, document_id: str, start: int, end: int, category_name: str) -> str:
    cid = category(workbench.session, category_name).id
    outcome = workbench.apply(
        "mark",
        lambda: workbench.session.annotations.create(document_id, start, end, category_id=cid),
    )
    return outcome.record.id


def select_units(view: ReaderView, first: int, last: int) -> None:
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(first)
    cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
    view.text.setTextCursor(cursor)


def format_at(view: ReaderView, codepoint: int) -> QTextCharFormat | None:
    """The highlighter's format on the character at ``codepoint`` (None if unformatted)."""
    position = units(view.body, codepoint)
    block = view.text.document().findBlock(position)
    local = position - block.position()
    for fmt_range in block.layout().formats():
        if fmt_range.start <= local < fmt_range.start + fmt_range.length:
            return QTextCharFormat(fmt_range.format)  # a copy: the range is a temporary
    return None


def point_on(view: ReaderView, codepoint: int) -> QPoint:
    """Viewport point in the middle of the character at ``codepoint``."""
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(units(view.body, codepoint))
    left = view.text.cursorRect(cursor)
    cursor.setPosition(units(view.body, codepoint + 1))
    right = view.text.cursorRect(cursor)
    return QPoint((left.center().x() + right.center().x()) // 2, left.center().y())


# -- loading and colours ---------------------------------------------------------------------


def test_opening_a_document_highlights_each_passage_in_its_category_colour(view, workbench):
    session = workbench.session
    document = session.documents.list_documents()[0]
    with_passages = document.id if hasattr(document, "id") else document["id"]
    workbench.open_document(with_passages)
    assert view.document_id == with_passages
    assert view.text.toPlainText() == view.body
    assert view.title_label.text() == session.documents.get(with_passages).title
    passages = session.annotations.for_document(with_passages)
    assert passages and len(view.marks) == len(passages)
    colours = {c.id: c.colour for c in session.codebook.list_categories()}
    palette = view.text.palette()
    for passage in passages:
        depth = len(view.marks.index.at(passage.end - 1))
        if depth != 1:
            continue
        fmt = format_at(view, passage.end - 1)
        assert fmt is not None, passage.exact
        expected = passage_tint(palette, colours[passage.category_id], 1)
        assert fmt.background().color() == expected


def test_reader_and_its_text_are_named(view):
    assert view.objectName() == "readerView"
    assert view.text.objectName() == "reader" and view.text.accessibleName()
    assert view.title_label.objectName() == "readerTitle"
    assert view.text.isReadOnly()


def test_a_dark_palette_gets_dark_readable_tints(view, workbench):
    document_id = add_document(workbench.session, "Sanctions were announced today in Brussels.")
    view.load(document_id)
    mark(workbench, document_id, 0, 9, "Sanction")
    light = format_at(view, 3).background().color()
    dark = QPalette(view.text.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8e8e8"))
    view.text.setPalette(dark)
    fmt = format_at(view, 3)
    background = fmt.background().color()
    assert background != light and background.lightness() < 128
    assert contrast(fmt.foreground().color(), background) >= 4.5
    for category_record in workbench.session.codebook.list_categories():
        # A single passage keeps the theme's light text; deeper stacks of the light colours
        # (amber, cyan, grey) may switch to black: either way the text reads at WCAG AA.
        single = passage_tint(dark, category_record.colour, 1)
        assert contrast(QColor("#e8e8e8"), single) >= 4.5, category_record.name
        for depth in (1, 2, 3):
            tint = passage_tint(dark, category_record.colour, depth)
            assert contrast(readable_text(dark, tint), tint) >= 4.5, (category_record.name, depth)


# -- offsets: emoji and Cyrillic around passages ------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "«Мы ответим»",  # after an emoji, Cyrillic inside
        "Lavrov 🇷🇺 spoke",  # a flag (two astral characters) inside
        "Песков заявил",  # before any emoji
        "more text about the sanctions",  # second paragraph, after three emoji
        "😀",  # the emoji alone
    ],
)
def test_marking_a_selection_stores_exactly_the_selected_text(view, workbench, qtbot, quote):
    document_id = add_document(workbench.session, EMOJI_BODY)
    view.load(document_id)
    start = view.body.index(quote)
    end = start + len(quote)
    select_units(view, units(view.body, start), units(view.body, end))
    qtbot.keyClick(view.text, "4")  # Statement
    passage_id = workbench.current_passage
    assert passage_id is not None and view.selected_passage == passage_id
    stored = workbench.session.annotations.get(passage_id)
    assert (stored.start, stored.end) == (start, end)
    assert view.body[stored.start : stored.end] == quote == stored.exact
    assert stored.category_id == category(workbench.session, "Statement").id
    # The highlight covers the quote in Qt's units, and nothing just outside it.
    assert format_at(view, start) is not None and format_at(view, end - 1) is not None
    if start > 0:
        assert format_at(view, start - 1) is None
    if end < len(view.body):
        assert format_at(view, end) is None
    assert not view.text.textCursor().hasSelection()
    assert workbench.undo_stack.undoText() == "Mark passage as Statement"


def test_whitespace_at_the_selection_edges_is_trimmed(view, workbench, qtbot):
    document_id = add_document(workbench.session, EMOJI_BODY)
    view.load(document_id)
    start = view.body.index(" Then Lavrov")
    end = view.body.index("Second") + len("Second")
    select_units(view, units(view.body, start), units(view.body, end))
    qtbot.keyClick(view.text, "1")
    stored = workbench.session.annotations.get(workbench.current_passage)
    assert stored.exact.startswith("Then Lavrov") and stored.exact.endswith("\nSecond")


def test_keys_mark_only_with_a_selection_and_without_modifiers(view, workbench, qtbot):
    document_id = add_document(workbench.session, EMOJI_BODY)
    view.load(document_id)
    qtbot.keyClick(view.text, "1")  # no selection: nothing
    select_units(view, 0, 6)
    qtbot.keyClick(view.text, "1", Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.text, "9")  # no category has key 9 in the default codebook
    assert workbench.session.annotations.for_document(document_id) == []
    assert workbench.undo_stack.count() == 0


def test_clicking_after_emoji_finds_the_passage_under_the_pointer(view, workbench, qtbot):
    document_id = add_document(workbench.session, EMOJI_BODY)
    view.load(document_id)
    start = view.body.index("reciprocity")
    passage = mark(workbench, document_id, start, start + len("reciprocity"), "Statement")
    workbench.select_passage(None)
    qtbot.mouseClick(view.text.viewport(), Qt.MouseButton.LeftButton, pos=point_on(view, start + 4))
    assert workbench.current_passage == passage
    qtbot.mouseClick(view.text.viewport(), Qt.MouseButton.LeftButton, pos=point_on(view, 2))
    assert workbench.current_passage is None  # plain text: deselects


def test_a_reader_built_after_a_document_was_opened_shows_it(qtbot, workbench):
    document_id = add_document(workbench.session, EMOJI_BODY)
    workbench.open_document(document_id)
    late = ReaderView(workbench)
    qtbot.addWidget(late)
    assert late.document_id == document_id and late.body == EMOJI_BODY
    other = add_document(workbench.session, "Another article.", "Other")
    with qtbot.waitSignal(late.documentLoaded) as loaded:
        workbench.open_document(other)
    assert loaded.args == [other]


# -- clicking, stacking, deleting -----------------------------------------------------------


@pytest.fixture
def stacked(view, workbench):
    """A sentence inside a paragraph-long passage, with a clause inside the sentence."""
    text = "Moscow answered. The ministry summoned the ambassador at noon. Talks stalled."
    document_id = add_document(workbench.session, text)
    view.load(document_id)
    outer = mark(workbench, document_id, 0, len(text), "Other")
    middle_start = text.index("The ministry")
    middle = mark(workbench, document_id, middle_start, text.index(" Talks"), "Diplomatic step")
    inner_start = text.index("summoned")
    inner = mark(workbench, document_id, inner_start, text.index(" at noon"), "Statement")
    return document_id, text, (inner, middle, outer)


def test_overlapping_passages_are_stacked_visibly(view, workbench, stacked):
    _document_id, text, _ids = stacked
    single = format_at(view, 2)
    double = format_at(view, text.index("ministry"))
    triple = format_at(view, text.index("summoned"))
    assert single.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline
    assert double.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert triple.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    palette = view.text.palette()
    base = palette.color(QPalette.ColorRole.Base)
    codebook = workbench.session.codebook
    layers = ((single, "Other", 1), (double, "Diplomatic step", 2), (triple, "Statement", 3))
    for fmt, innermost, depth in layers:
        colour = codebook.by_name(innermost).colour
        assert fmt.background().color() == passage_tint(palette, colour, depth)
        # Deeper with each layer: the same colour one layer up is nearer the base.
        distances = [
            abs(passage_tint(palette, colour, d).lightness() - base.lightness())
            for d in (1, 2, 3)
        ]
        assert distances[0] < distances[1] < distances[2], innermost


def test_clicking_selects_and_cycles_through_stacked_passages(view, workbench, qtbot, stacked):
    _document_id, text, (inner, middle, outer) = stacked
    spot = point_on(view, text.index("summoned") + 2)
    picked = []
    for _ in range(4):
        qtbot.mouseClick(view.text.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        picked.append(workbench.current_passage)
    assert picked == [inner, middle, outer, inner]
    assert view.selected_units() is not None
    qtbot.mouseClick(view.text.viewport(), Qt.MouseButton.LeftButton, pos=point_on(view, 3))
    assert workbench.current_passage == outer  # a different spot: the innermost there
    view.grab()  # paints the outline of the selected passage without errors


def test_delete_key_removes_the_selected_passage_and_undo_brings_it_back(
    view, workbench, qtbot, stacked
):
    _document_id, text, (inner, _middle, _outer) = stacked
    view.select_passage(inner)
    qtbot.keyClick(view.text, Qt.Key.Key_Delete)
    assert inner not in view.marks and view.selected_passage is None
    assert workbench.session.annotations.find(inner) is None
    assert format_at(view, text.index("summoned")).underlineStyle() == (
        QTextCharFormat.UnderlineStyle.SingleUnderline  # two passages left there
    )
    assert workbench.undo_stack.undoText() == "Delete passage"
    workbench.undo_stack.undo()
    assert inner in view.marks
    assert format_at(view, text.index("summoned")).underlineStyle() == (
        QTextCharFormat.UnderlineStyle.WaveUnderline
    )


def test_context_menu_marks_the_selection_and_lists_the_passages_there(view, workbench, stacked):
    document_id, text, (inner, middle, outer) = stacked
    spot = point_on(view, text.index("summoned") + 2)
    menu = build_context_menu(view, spot)
    listed = [a.data() for a in menu.actions() if a.objectName().startswith("selectPassage")]
    assert listed == [inner, middle, outer]
    next(a for a in menu.actions() if a.data() == middle).trigger()
    assert workbench.current_passage == middle
    menu.deleteLater()

    start = text.index("Talks")
    select_units(view, start, start + len("Talks stalled"))
    menu = build_context_menu(view, point_on(view, start))
    assert menu.findChild(QAction, "deleteSelectedPassage") is not None  # middle is selected
    mark_actions = [a for a in menu.actions() if a.objectName().startswith("markAsCategory")]
    assert len(mark_actions) == len(workbench.session.codebook.list_categories())
    assert mark_actions[0].text() == "Sanction\t1"
    mark_actions[0].trigger()
    created = workbench.session.annotations.get(workbench.current_passage)
    assert created.exact == "Talks stalled" and created.document_id == document_id
    menu.deleteLater()


# -- navigation, selection from elsewhere, actions ----------------------------------------------


def long_document(workbench, paragraphs: int = 80) -> tuple[str, list[str]]:
    text = "\n".join(
        f"Paragraph {n}: officials discussed sanctions at length." for n in range(paragraphs)
    )
    document_id = add_document(workbench.session, text, "Long")
    ids = []
    for n in (5, 40, 75):
        start = text.index(f"Paragraph {n}:")
        ids.append(mark(workbench, document_id, start, start + 12, "Sanction"))
    return document_id, ids


def test_passage_selected_elsewhere_scrolls_to_it_and_opens_its_document(view, workbench):
    document_id, ids = long_document(workbench)
    other = workbench.session.documents.list_documents()[0]
    view.load(other.id if hasattr(other, "id") else other["id"])
    workbench.select_passage(ids[2])
    assert view.document_id == document_id and view.selected_passage == ids[2]
    assert view.text.verticalScrollBar().value() > 0
    assert view.text.viewport().rect().contains(view.text.cursorRect())
    workbench.select_passage(None)
    assert view.selected_passage is None


def test_select_range_selects_code_points_and_scrolls(view, workbench):
    document_id, _ids = long_document(workbench)
    view.load(document_id)
    start = view.body.index("Paragraph 70:")
    view.select_range(start, start + 12)
    assert view.selection_span() == (start, start + 12)
    assert view.text.textCursor().selectedText() == "Paragraph 70"
    assert view.text.verticalScrollBar().value() > 0


def test_actions_walk_passages_and_delete(view, workbench, qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    registry = ActionRegistry(host)
    view.register_actions(registry)
    # F8 first: the menu shows the key the README documents.
    assert [k.toString() for k in registry["actionNextPassage"].shortcuts()] == ["F8", "Ctrl+]"]
    assert [k.toString() for k in registry["actionPreviousPassage"].shortcuts()] == [
        "Shift+F8",
        "Ctrl+[",
    ]
    assert registry["actionDeletePassage"].shortcuts() == QKeySequence.keyBindings(
        QKeySequence.StandardKey.Delete
    )
    document_id, ids = long_document(workbench)
    view.load(document_id)
    registry["actionNextPassage"].trigger()
    assert workbench.current_passage == ids[0]
    registry["actionNextPassage"].trigger()
    registry["actionNextPassage"].trigger()
    assert workbench.current_passage == ids[2]
    with qtbot.waitSignal(workbench.status):
        registry["actionNextPassage"].trigger()  # no further passages: says so, stays
    assert workbench.current_passage == ids[2]
    registry["actionPreviousPassage"].trigger()
    assert workbench.current_passage == ids[1]
    registry["actionDeletePassage"].trigger()
    assert ids[1] not in view.marks and len(view.marks) == 2


def test_edits_elsewhere_leave_the_reader_alone(view, workbench):
    document_id = add_document(workbench.session, EMOJI_BODY)
    other_id = add_document(workbench.session, "Another article entirely.", "Other")
    view.load(document_id)
    before = view.highlighter.calls
    mark(workbench, other_id, 0, 7, "Sanction")
    assert view.highlighter.calls == before


def test_recolouring_a_category_rehighlights_only_its_passages(view, workbench):
    document_id, ids = long_document(workbench)
    view.load(document_id)
    sanction = category(workbench.session, "Sanction")
    before = view.highlighter.calls
    workbench.apply(
        "recolour", lambda: workbench.session.codebook.edit(sanction.id, colour="#00ff00")
    )
    assert view.highlighter.calls - before == len(ids)
    start = view.body.index("Paragraph 40:")
    expected = passage_tint(view.text.palette(), "#00ff00", 1)
    assert format_at(view, start).background().color() == expected


def test_deleting_the_open_document_clears_the_reader(view, workbench):
    document_id = add_document(workbench.session, EMOJI_BODY)
    view.load(document_id)
    workbench.apply("delete", lambda: workbench.session.documents.delete(document_id))
    assert view.document_id is None and view.text.toPlainText() == ""


# -- the big article -----------------------------------------------------------------------------


def test_a_300k_article_with_5000_passages_adds_one_without_rehighlighting_all(
    view, workbench, qtbot
):
    rng = random.Random(5)
    words = ["sanctions", "Песков", "diplomats", "😀", "reciprocity", "Brussels", "ban"]
    paragraphs = []
    size = 0
    while size < 300_000:
        paragraph = " ".join(rng.choice(words) for _ in range(rng.randint(30, 90))) + "."
        paragraphs.append(paragraph)
        size += len(paragraph) + 1
    text = "\n".join(paragraphs)
    session = workbench.session
    document_id = add_document(session, text, "Big")
    body = session.documents.get(document_id).body
    categories = [c.id for c in session.codebook.list_categories()]
    with session.workspace.transaction():  # setup through storage: one commit, not 5,000
        for _ in range(5_000):
            start = rng.randrange(len(body) - 200)
            selector = make_selector(body, start, start + rng.randint(10, 180))
            session.workspace.records.insert(
                Annotation(
                    document_id=document_id,
                    start=selector.start,
                    end=selector.end,
                    exact=selector.exact,
                    prefix=selector.prefix,
                    suffix=selector.suffix,
                    category_id=rng.choice(categories),
                )
            )
    blocks = len(paragraphs)
    highlighter = view.highlighter
    calls, formatted = highlighter.calls, highlighter.formatted
    view.load(document_id)
    assert len(view.marks) == 5_000
    # Qt shows every block to the highlighter once as the text arrives (plus the old, empty
    # block); only about a screenful is formatted before the first paint.
    assert blocks <= highlighter.calls - calls <= blocks + 1
    first_screen = highlighter.formatted - formatted
    assert 0 < first_screen < blocks // 10
    assert not highlighter.idle

    # Jumping far down formats what comes into view before it is painted.
    target = body.index("reciprocity", len(body) // 2)
    view.select_range(target, target + len("reciprocity"))
    covered = view.marks.index.at(target)
    assert (format_at(view, target) is not None) == bool(covered)
    assert not highlighter.idle  # the rest is still left to idle time

    qtbot.waitUntil(lambda: highlighter.idle, timeout=20_000)
    # Every block formatted exactly once (plus, again, the old empty block).
    assert blocks <= highlighter.formatted - formatted <= blocks + 1

    calls = highlighter.calls
    qtbot.keyClick(view.text, "3")
    assert highlighter.calls - calls == 1  # only the block holding the new passage
    stored = session.annotations.get(workbench.current_passage)
    assert stored.exact == "reciprocity" and body[stored.start : stored.end] == "reciprocity"
    assert format_at(view, target) is not None
    calls = highlighter.calls
    workbench.undo_stack.undo()
    assert highlighter.calls - calls == 1
    assert workbench.current_passage not in view.marks
    assert (format_at(view, target) is not None) == bool(covered)


def test_a_very_large_change_set_rereads_the_passages_once(view, workbench, qtbot, monkeypatch):
    """An annotation import's ChangeSet (thousands of passages): the reader re-reads the open
    document's passages once, on the next turn of the event loop, not one query each."""
    session = workbench.session
    words = " ".join(f"word{n:03d}" for n in range(300))
    document_id = add_document(session, words)
    workbench.open_document(document_id)
    cid = category(session, "Statement").id
    changes = ChangeSet()
    for n in range(250):
        start = n * 8  # "wordNNN " is 8 code points
        outcome = session.annotations.create(document_id, start, start + 7, category_id=cid)
        changes.extend(outcome.changes)
    finds: list[str] = []
    find = session.annotations.find
    monkeypatch.setattr(session.annotations, "find", lambda pid: finds.append(pid) or find(pid))
    workbench.changed.emit(changes)
    workbench.changed.emit(changes)  # twice in one turn: still one re-read
    qtbot.waitUntil(lambda: len(view.marks.category_of) == 250)
    assert finds == []
    assert changes.ids_of(Annotation) == set(view.marks.category_of)
    assert format_at(view, 0) is not None  # highlighted
