"""Mouse selections that land on words: ``snap_to_words(body, start, end)``.

A drag that starts on the previous sentence's full stop or ends mid-word is what a hand does,
not what the officer means. The reader (when "Snap selections to words" is on) passes every
mouse selection through here; keyboard selections are left exact.

1. Both ends move out to the nearest word boundary, by ICU's word break rules (UAX #29 plus
   dictionaries), so any script works: Cyrillic and Latin at spaces, Chinese, Japanese and
   Thai at dictionary words, never inside an emoji sequence or a combining mark.
2. Whitespace and stray punctuation are trimmed from both edges, one ICU segment at a time:
   a leading full stop or comma picked up from the previous sentence, a trailing comma or
   colon. An opening quote or bracket stays when its partner is inside the selection, a
   closing one when it closes one inside. A trailing full stop (! ? …) stays when the
   selection starts where a sentence starts (a whole sentence keeps its stop) or ends an
   abbreviation ("U.S.", "J."); otherwise it is dropped with the rest.
3. If trimming would leave nothing (the selection was only punctuation), the selection is
   kept as it was, whitespace trimmed: a selection that was not empty never becomes empty.

Offsets are code points of the stored body (the workspace's rule, ``offsets.py``); ICU counts
UTF-16 units, converted here. The result is always inside ``[0, len(body)]`` and snapping it
again changes nothing.
"""

from __future__ import annotations

import bisect
import unicodedata
from typing import Any

import icu

# How far either side of the selection ICU is shown: the line it is on, at most this much.
# Word and sentence boundaries never cross a line break, so within a line this is exact.
_CONTEXT = 4000

# (opening, closing) pairs, the same character for straight quotes. Some quotes open in one
# language and close in another („…“ German, »…« Danish): every pairing is listed.
_PAIRS = (
    ("(", ")"), ("[", "]"), ("{", "}"), ("“", "”"), ("„", "“"), ("„", "”"), ("‘", "’"),
    ("‚", "‘"), ("‚", "’"), ("«", "»"), ("»", "«"), ("‹", "›"), ("›", "‹"), ("「", "」"),
    ("『", "』"), ("（", "）"), ("【", "】"), ("《", "》"), ("〈", "〉"), ("〔", "〕"),
    ('"', '"'), ("'", "'"),
)  # fmt: skip
_CLOSERS: dict[str, set[str]] = {}
_OPENERS: dict[str, set[str]] = {}
for _open, _close in _PAIRS:
    _CLOSERS.setdefault(_open, set()).add(_close)
    _OPENERS.setdefault(_close, set()).add(_open)

_TERMINAL = frozenset(".!?…。！？")
# Punctuation that belongs to the word after it (¿Qué, #tag, @name) or before it (5 %).
_KEEP_LEADING = frozenset("#@¿¡")
_KEEP_TRAILING = frozenset("%‰‱")


def snap_to_words(body: str, start: int, end: int) -> tuple[int, int]:
    """The selection ``[start, end)`` of ``body`` (code points) snapped to whole words and
    trimmed of whitespace and stray punctuation; see the module's description."""
    start, end = sorted((min(max(start, 0), len(body)), min(max(end, 0), len(body))))
    if start == end or body[start:end].isspace():
        return start, end
    lo = max(body.rfind("\n", 0, start) + 1, start - _CONTEXT)
    hi = body.find("\n", end)
    hi = min(len(body) if hi == -1 else hi + 1, end + _CONTEXT)
    window = _Window(body[lo:hi])
    s, e = window.expand(start - lo, end - lo)
    wide = (s, e)
    while True:  # until nothing more comes off: snapping the result again changes nothing
        before = (s, e)
        s = window.trim_leading(s, e)
        e = window.trim_trailing(s, e)
        if s >= e:
            s, e = window.trim_spaces(*wide)
            break
        if (s, e) == before:
            break
    return lo + s, lo + e


class _Window:
    """A stretch of the body and its ICU word and sentence boundaries, in code points."""

    def __init__(self, text: str):
        self.text = text
        self.words, self.status = _boundaries(text, _word_iterator())
        self.sentences = set(_boundaries(text, _sentence_iterator())[0])

    def expand(self, start: int, end: int) -> tuple[int, int]:
        """Move ``start`` back and ``end`` forward to the nearest word boundaries."""
        if start not in self.status:
            start = self.words[bisect.bisect_right(self.words, start) - 1]
        if end not in self.status:
            end = self.words[bisect.bisect_left(self.words, end)]
        return start, end

    def _segment_after(self, at: int) -> int:
        return self.words[bisect.bisect_right(self.words, at)]

    def _segment_before(self, at: int) -> int:
        return self.words[bisect.bisect_left(self.words, at) - 1]

    def trim_spaces(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start : self._segment_after(start)].isspace():
            start = self._segment_after(start)
        while end > start and self.text[self._segment_before(end) : end].isspace():
            end = self._segment_before(end)
        return start, end

    def trim_leading(self, start: int, end: int) -> int:
        """Drop whitespace and stray punctuation at the start, segment by segment."""
        while start < end:
            nxt = min(self._segment_after(start), end)
            segment = self.text[start:nxt]
            if not (segment.isspace() or self._stray_leading(segment, start, end)):
                break
            start = nxt
        return start

    def trim_trailing(self, start: int, end: int) -> int:
        """Drop whitespace and stray punctuation at the end, segment by segment."""
        while end > start:
            prev = max(self._segment_before(end), start)
            segment = self.text[prev:end]
            if not (segment.isspace() or self._stray_trailing(segment, prev, start, end)):
                break
            end = prev
        return end

    def _stray_leading(self, segment: str, start: int, end: int) -> bool:
        char = _lone_punctuation(segment)
        if char is None or char in _KEEP_LEADING:
            return False
        closers = _CLOSERS.get(char)
        if closers is None:
            return True
        inside = self.text[start + len(segment) : end]
        if char in closers:  # a straight quote: paired when another one is inside
            return inside.count(char) % 2 == 0
        return not any(c in inside for c in closers)

    def _stray_trailing(self, segment: str, at: int, start: int, end: int) -> bool:
        char = _lone_punctuation(segment)
        if char is None or char in _KEEP_TRAILING:
            return False
        openers = _OPENERS.get(char)
        inside = self.text[start:at]
        if openers is not None:
            if char in openers:
                return inside.count(char) % 2 == 0
            return not any(c in inside for c in openers)
        if char in _TERMINAL:
            return not (start in self.sentences or (char == "." and self._abbreviation(at)))
        return True

    def _abbreviation(self, at: int) -> bool:
        """Whether the word just before ``at`` is an abbreviation: "U.S", "e.g", or one
        letter (an initial)."""
        if at == 0 or at not in self.status:
            return False
        before = self._segment_before(at)
        word = self.text[before:at]
        return self.status.get(before, 0) > 0 and ("." in word or len(word) == 1)


def _lone_punctuation(segment: str) -> str | None:
    """The punctuation character a segment is, combining marks aside; None for anything
    else (words, symbols, emoji, several characters)."""
    head, rest = segment[0], segment[1:]
    if not unicodedata.category(head).startswith("P"):
        return None
    if any(unicodedata.category(c)[0] != "M" and unicodedata.category(c) != "Cf" for c in rest):
        return None
    return head


def _word_iterator() -> Any:
    # Made per call: an ICU iterator holds its text, so one shared across threads is unsafe.
    return icu.BreakIterator.createWordInstance(icu.Locale.getRoot())


def _sentence_iterator() -> Any:
    return icu.BreakIterator.createSentenceInstance(icu.Locale.getRoot())


def _boundaries(text: str, iterator: Any) -> tuple[list[int], dict[int, int]]:
    """The boundaries of ``text`` in code points, and each boundary's segment status (the
    rule status of the segment starting there: 0 for spaces and punctuation, ≥ 100 for
    words), the end of the text included with status 0."""
    units = _units_to_codepoints(text)
    iterator.setText(text)
    first = iterator.first()
    found = [units[first]]
    status: dict[int, int] = {}
    previous = first
    for boundary in iterator:
        status[units[previous]] = iterator.getRuleStatus()
        found.append(units[boundary])
        previous = boundary
    status.setdefault(units[previous], 0)
    return found, status


def _units_to_codepoints(text: str) -> dict[int, int]:
    """UTF-16 offset → code-point offset, for every offset that starts a code point."""
    table: dict[int, int] = {}
    units = 0
    for index, char in enumerate(text):
        table[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    table[units] = len(text)
    return table
