"""Passage highlights: a QSyntaxHighlighter reading the interval index, block by block.

Why a highlighter and not one ExtraSelection per passage: 20,000 ExtraSelections cost ~25 ms on
every repaint and ~60 ms per new highlight (docs/architecture.md, Pitfalls). A highlighter
formats each text block once, from the passages the index reports for that block, and Qt
keeps the formats in the block's layout; adding a passage reformats only the blocks it touches.

Colours: each category's colour is blended into the palette's base colour, so a light palette
gets pastel tints and a dark palette deep ones, with the text colour switched to black or white
only where the tint would otherwise leave too little contrast. Overlaps stack: where two or
more passages cover the same text the tint deepens and an underline in the colour of the
passage beneath shows that another one lies under it. Mention-only spans (an entity linked
outside any passage, m012) are not passages: no tint, only a dotted underline.
"""

from __future__ import annotations

import bisect
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit

from workstation.domain.colour import DARK_TINT, LIGHT_TINT
from workstation.domain.colour import contrast as wcag_contrast
from workstation.domain.colour import luminance as wcag_luminance
from workstation.domain.intervals import Interval, KeyedIntervals
from workstation.domain.offsets import codepoint_offset
from workstation.domain.shown_positions import ShownBody

# How much of the category colour goes into the base colour, by stacking depth (1, 2, 3+).
# Dark bases need more colour to show a hue at all.
LIGHT_STRENGTH = (LIGHT_TINT, 0.46, 0.60)
DARK_STRENGTH = (DARK_TINT, 0.56, 0.70)
MIN_CONTRAST = 4.5  # WCAG AA for body text
FALLBACK_COLOUR = "#7f7f7f"  # passages without a category
# Formatted while a document loads: more text than the tallest screen shows at once.
FIRST_SCREEN_CHARS = 12_000
# The rest is formatted in slices this long, so input is never kept waiting.
IDLE_SLICE_SECONDS = 0.008


def luminance(colour: QColor) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    return wcag_luminance(colour.name())


def contrast(a: QColor, b: QColor) -> float:
    return wcag_contrast(a.name(), b.name())


def blend(base: QColor, colour: QColor, strength: float) -> QColor:
    """``strength`` of ``colour`` over ``base``, opaque."""
    keep = 1 - strength
    return QColor(
        round(base.red() * keep + colour.red() * strength),
        round(base.green() * keep + colour.green() * strength),
        round(base.blue() * keep + colour.blue() * strength),
    )


def is_dark(palette: QPalette) -> bool:
    return luminance(palette.color(QPalette.ColorRole.Base)) < 0.3


def passage_tint(palette: QPalette, colour: str, depth: int) -> QColor:
    """The background of text covered by ``depth`` passages, the innermost in ``colour``."""
    strengths = DARK_STRENGTH if is_dark(palette) else LIGHT_STRENGTH
    strength = strengths[min(depth, len(strengths)) - 1]
    return blend(palette.color(QPalette.ColorRole.Base), QColor(colour), strength)


def readable_text(palette: QPalette, background: QColor) -> QColor:
    """The palette's text colour, or black/white when that would be hard to read."""
    text = palette.color(QPalette.ColorRole.Text)
    if contrast(text, background) >= MIN_CONTRAST:
        return text
    black, white = QColor("#000000"), QColor("#ffffff")
    return black if contrast(black, background) >= contrast(white, background) else white


def line_colour(palette: QPalette, colour: str) -> QColor:
    """A category colour made to stand out as a line against the base (underline, outline)."""
    line = QColor(colour)
    return line.lighter(150) if is_dark(palette) else line.darker(115)


class Span(NamedTuple):
    start: int  # code points, end exclusive
    end: int


# (passage id, start, end, category id): all the reader needs of a passage.
PassageRow = tuple[str, int, int, str | None]


class PassageMarks(KeyedIntervals[str]):
    """The open document's body and live passages (spans by id, categories), read by the
    highlighter, clicks and passage-to-passage navigation. ``mention_only`` holds the ids of
    the spans that only link an entity (m012): drawn as mentions, skipped walking passages."""

    def __init__(
        self, body: str = "", rows: Iterable[PassageRow] = (), mention_only: Iterable[str] = ()
    ):
        rows = list(rows)
        super().__init__((pid, start, end) for pid, start, end, _c in rows)
        self.body = body
        # What the reader lays out (marks for invisible characters) and the conversions.
        self.shown = ShownBody(body)
        self.category_of: dict[str, str | None] = {pid: cid for pid, _s, _e, cid in rows}
        self.mention_only: set[str] = set(mention_only) & self.category_of.keys()

    def put_passage(
        self,
        passage_id: str,
        start: int,
        end: int,
        category_id: str | None,
        *,
        mention_only: bool = False,
    ) -> Interval[str]:
        interval = self.put(passage_id, start, end)
        self.category_of[passage_id] = category_id
        if mention_only:
            self.mention_only.add(passage_id)
        else:
            self.mention_only.discard(passage_id)
        return interval

    def drop(self, key: str) -> Interval[str] | None:
        self.category_of.pop(key, None)
        self.mention_only.discard(key)
        return super().drop(key)

    def step_passage(self, key: str, steps: int) -> str | None:
        """Like ``step``, over passages only: mention-only spans are passed over."""
        found: str | None = key
        while found is not None:
            found = self.step(found, steps)
            if found not in self.mention_only:
                return found
        return None

    def nearest_passage(self, position: int, steps: int) -> str | None:
        """Like ``nearest``, over passages only: mention-only spans are passed over."""
        found = self.nearest(position, steps)
        if found in self.mention_only:
            return self.step_passage(found, steps)
        return found


def _stacking(interval: Interval[str]) -> tuple[int, int]:
    return interval.start, -interval.end


class PassageHighlighter(QSyntaxHighlighter):
    """Formats each block from the passages the index reports for it.

    Viewport first: while a document's text is being set (``loading``), only about a screenful
    of blocks is formatted; the rest are queued and formatted in short slices when the event
    loop is idle, or at once when scrolled into view (``format_visible``). ``calls`` counts
    highlightBlock runs and ``formatted`` the blocks actually formatted, so tests can prove
    that one new passage reformats one block, not the document.
    """

    def __init__(self, palette: QPalette, document: QTextDocument):
        super().__init__(document)
        self.calls = 0
        self.formatted = 0
        self._palette = QPalette(palette)
        self._marks = PassageMarks()
        self._colours: dict[str | None, str] = {}
        # (top category, category beneath, depth, under a mention) → format; cleared when
        # colours change. Depth 0: a mention-only span outside any passage.
        self._formats: dict[tuple[str | None, str | None, int, bool], QTextCharFormat] = {}
        self._deferring = False
        self._budget = 0
        self._pending: set[int] = set()  # block numbers still to format
        self._queue: deque[int] = deque()  # the same, in document order, for the idle work
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(0)
        self._idle.timeout.connect(self._format_some)

    @contextmanager
    def loading(self, marks: PassageMarks) -> Iterator[None]:
        """Set the document's text inside this block: Qt formats every block as the text
        arrives, and all but the first screenful are deferred."""
        self._marks = marks
        self._pending.clear()
        self._queue.clear()
        self._deferring, self._budget = True, FIRST_SCREEN_CHARS
        try:
            yield
        finally:
            self._deferring = False
        if self._queue:
            self._idle.start()

    def replace_marks(self, marks: PassageMarks, edit: QPlainTextEdit) -> None:
        """The same text with passages re-read: format with ``marks`` from now on, the
        visible blocks at once and the rest when idle."""
        self._marks = marks
        self.defer_all(edit)

    def defer_all(self, edit: QPlainTextEdit) -> None:
        """Reformat everything (new palette): the visible blocks now, the rest when idle."""
        count = self.document().blockCount()
        self._pending = set(range(count))
        self._queue = deque(range(count))
        self.format_visible(edit)
        self._idle.start()

    @property
    def idle(self) -> bool:
        return not self._pending

    def format_visible(self, edit: QPlainTextEdit) -> None:
        """Format the queued blocks now on screen (called when the view scrolls or resizes,
        before it paints)."""
        if not self._pending:
            return
        offset, height = edit.contentOffset(), edit.viewport().height()
        block = edit.firstVisibleBlock()
        while block.isValid():
            if edit.blockBoundingGeometry(block).translated(offset).top() > height:
                break
            if block.blockNumber() in self._pending:
                self.rehighlightBlock(block)
            block = block.next()

    def _format_some(self) -> None:
        deadline = time.perf_counter() + IDLE_SLICE_SECONDS
        document = self.document()
        while self._queue and time.perf_counter() < deadline:
            number = self._queue.popleft()
            if number in self._pending:
                block = document.findBlockByNumber(number)
                if block.length() > 1:
                    self.rehighlightBlock(block)
                else:  # empty: no passage can cover it
                    self._pending.discard(number)
        if self._queue:
            self._idle.start()

    def set_colours(self, colours: dict[str | None, str]) -> None:
        self._colours = dict(colours)
        self._formats.clear()

    def set_palette(self, palette: QPalette) -> None:
        self._palette = QPalette(palette)
        self._formats.clear()

    @property
    def colours(self) -> dict[str | None, str]:
        return dict(self._colours)

    def _colour(self, category_id: str | None) -> str:
        return self._colours.get(category_id, FALLBACK_COLOUR)

    def highlightBlock(self, text: str) -> None:
        self.calls += 1
        if self._deferring:
            if self._budget <= 0:
                if text:  # a new empty block (a blank line) has nothing to format, ever
                    number = self.currentBlock().blockNumber()
                    self._pending.add(number)
                    self._queue.append(number)
                return
            self._budget -= len(text) + 1
        elif self._pending:
            self._pending.discard(self.currentBlock().blockNumber())
        self.formatted += 1
        marks = self._marks
        if not text or not marks.spans:
            return
        shown = marks.shown
        block_units = self.currentBlock().position()
        # ``text`` arrives in code points of the laid-out text, marks included.
        shown_first = codepoint_offset(shown.text, block_units)
        first, last = shown.stored_range(shown_first, shown_first + len(text))
        hits = marks.index.overlapping(first, last)
        if not hits:
            return
        # Cut the block where any passage starts or ends, then format each piece by the
        # passages covering it (a handful per block, so a plain scan is cheapest).
        bounds = sorted({first, last}.union(*((h.start, h.end) for h in hits)))
        low = bisect.bisect_left(bounds, first)
        high = bisect.bisect_right(bounds, last)
        bounds = bounds[low:high]
        units = [shown.to_units(bound) - block_units for bound in bounds]
        category_of = marks.category_of
        mention_only = marks.mention_only
        for number in range(len(bounds) - 1):
            left, right = bounds[number], bounds[number + 1]
            covering = [h for h in hits if h.start < right and h.end > left]
            if not covering:
                continue
            # Mention-only spans tint nothing: a dotted underline marks them (see _make_format).
            mention = False
            if mention_only:
                passages = [h for h in covering if h.payload not in mention_only]
                mention = len(passages) < len(covering)
                covering = passages
            key: tuple[str | None, str | None, int, bool]
            if not covering:
                key = (None, None, 0, True)
            elif len(covering) == 1:
                key = (category_of[covering[0].payload], None, 1, mention)
            else:
                # Innermost on top: the passage starting last (then ending first) sets the tint,
                # the one beneath it the underline, so both categories stay visible.
                covering.sort(key=_stacking)
                key = (
                    category_of[covering[-1].payload],
                    category_of[covering[-2].payload],
                    min(len(covering), 3),
                    mention,
                )
            fmt = self._formats.get(key)
            if fmt is None:
                fmt = self._formats[key] = self._make_format(*key)
            # setFormat here aborts on PySide6 6.12.0 with Python 3.11; 6.11.3 (pinned) is fine.
            self.setFormat(units[number], units[number + 1] - units[number], fmt)

    def _make_format(
        self, top: str | None, below: str | None, depth: int, mention: bool = False
    ) -> QTextCharFormat:
        """The format for text under ``depth`` passages, the innermost of category ``top``;
        ``mention``: a mention-only span lies there too. A mention alone (depth 0) is quiet:
        no tint, a dotted underline in the text colour; under a single passage it keeps the
        passage's tint and takes the dotted underline (deeper stacks keep theirs)."""
        fmt = QTextCharFormat()
        if depth == 0:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(self._palette.color(QPalette.ColorRole.Text))
            return fmt
        background = passage_tint(self._palette, self._colour(top), depth)
        fmt.setBackground(background)
        fmt.setForeground(readable_text(self._palette, background))
        if mention and depth == 1:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(fmt.foreground().color())
        if depth > 1:
            fmt.setUnderlineStyle(
                QTextCharFormat.UnderlineStyle.WaveUnderline
                if depth >= 3
                else QTextCharFormat.UnderlineStyle.SingleUnderline
            )
            fmt.setUnderlineColor(line_colour(self._palette, self._colour(below)))
        return fmt

    def rehighlight_spans(self, spans: Iterable[Span | Interval[str]]) -> int:
        """Reformat only the blocks covering ``spans``; returns how many blocks that was."""
        document = self.document()
        if document is None:
            return 0
        shown = self._marks.shown
        done: set[int] = set()
        for span in spans:
            first, last = shown.to_units(span.start), shown.to_units(span.end)
            block = document.findBlock(first)
            while block.isValid() and block.position() < max(last, first + 1):
                if block.blockNumber() not in done:
                    done.add(block.blockNumber())
                    self.rehighlightBlock(block)
                block = block.next()
        return len(done)
