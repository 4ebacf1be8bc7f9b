"""The one offsets rule: Unicode code points into the stored body, end exclusive.

Bodies are normalised once at import (NFC, ``\\n`` line endings) and never rewritten, so an
offset pair plus the body's sha256 pins a passage exactly. Qt counts UTF-16 code units; the
conversion lives here, in one pair of functions, so every widget uses the same arithmetic.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import TypedDict

# How much context a selector keeps on each side. W3C TextQuoteSelector leaves the length
# open; 32 code points is enough to disambiguate repeated quotes in news prose.
CONTEXT_CHARS = 32


# C0 and C1 control characters other than tab and newline: invisible, unprintable in a
# brief, and never meaningful in an article (form feeds from PDFs, stray NULs).
_CONTROLS = {c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127, *range(128, 160)]}


def normalize_body(text: str) -> str:
    """Return the canonical stored form of an article body."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROLS)
    text = unicodedata.normalize("NFC", text)
    return text.strip()


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TextSelector:
    """A passage: code-point range plus quote and context (W3C position + quote selectors)."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str

    def fields(self) -> SelectorFields:
        """As an annotation's fields (``Annotation(**selector.fields(), ...)``)."""
        return {
            "start": self.start,
            "end": self.end,
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
        }


class SelectorFields(TypedDict):
    """A TextSelector as an annotation's fields."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class OffsetError(ValueError):
    """A range that does not fit the body it claims to point into."""


def make_selector(body: str, start: int, end: int) -> TextSelector:
    if not (0 <= start < end <= len(body)):
        raise OffsetError(f"range {start}–{end} does not fit a body of {len(body)} characters")
    return TextSelector(
        start=start,
        end=end,
        exact=body[start:end],
        prefix=body[max(0, start - CONTEXT_CHARS) : start],
        suffix=body[end : end + CONTEXT_CHARS],
    )


def selector_matches(body: str, start: int, end: int, exact: str) -> bool:
    return 0 <= start < end <= len(body) and body[start:end] == exact


def find_quote(
    body: str, exact: str, prefix: str = "", suffix: str = "", near: int | None = None
) -> tuple[int, int] | None:
    """Place a quote in ``body`` by exact match, preferring the occurrence whose context fits.

    Among several occurrences the one with the longest matching prefix+suffix wins; ties go to
    the one nearest ``near``. Returns ``None`` when the quote is absent (fuzzy re-anchoring is a
    separate, explicit step).
    """
    if not exact:
        return None
    best: tuple[int, int, int] | None = None  # (-context score, distance, start)
    index = body.find(exact)
    while index != -1:
        score = _common_suffix(body[:index], prefix) + _common_prefix(
            body[index + len(exact) :], suffix
        )
        distance = abs(index - near) if near is not None else 0
        candidate = (-score, distance, index)
        if best is None or candidate < best:
            best = candidate
        index = body.find(exact, index + 1)
    if best is None:
        return None
    return best[2], best[2] + len(exact)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


# Texts shorter than this are converted by walking them; longer ones (article bodies, asked
# once per painted block) get a cached table of where their astral characters lie.
_TABLE_MIN_CHARS = 256
_TABLE_CACHE_SIZE = 8
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class _AstralTable:
    """Where a text's astral characters (two UTF-16 units each) sit, for O(log n) lookups."""

    __slots__ = ("codepoints", "text", "unit_ends")

    def __init__(self, text: str):
        self.text = text  # held so the cache's identity check can never see a reused id()
        self.codepoints = [match.start() for match in _ASTRAL.finditer(text)]
        # UTF-16 offset just past each astral character.
        self.unit_ends = [cp + rank + 2 for rank, cp in enumerate(self.codepoints)]


# id(text) → table. Lookups are lock-free (a dict read is atomic); inserts and evictions
# (oldest first) take the lock, since workers convert offsets off the GUI thread too.
_tables: dict[int, _AstralTable] = {}
_tables_lock = threading.Lock()


def _astral_table(text: str) -> _AstralTable:
    table = _tables.get(id(text))
    if table is not None and table.text is text:
        return table
    table = _AstralTable(text)
    with _tables_lock:
        while len(_tables) >= _TABLE_CACHE_SIZE:
            del _tables[next(iter(_tables))]
        _tables[id(text)] = table
    return table


def utf16_offset(text: str, codepoint_offset: int) -> int:
    """Code-point offset → UTF-16 code-unit offset (what Qt widgets count)."""
    length = len(text)
    if length < _TABLE_MIN_CHARS:
        head = text[:codepoint_offset]
        return len(head) + sum(1 for ch in head if ord(ch) > 0xFFFF)
    cp = codepoint_offset
    if not 0 <= cp <= length:
        cp = len(range(length)[:cp])  # the same clamping as slicing text[:codepoint_offset]
    if text.isascii():  # O(1) in CPython: the string knows its widest character
        return cp
    astral = _astral_table(text).codepoints
    return cp + bisect.bisect_left(astral, cp) if astral else cp


def codepoint_offset(text: str, utf16_offset_: int) -> int:
    """UTF-16 code-unit offset → code-point offset. A position inside a surrogate pair
    snaps to the start of that character."""
    length = len(text)
    if length < _TABLE_MIN_CHARS:
        units = 0
        for index, ch in enumerate(text):
            width = 2 if ord(ch) > 0xFFFF else 1
            if units + width > utf16_offset_:
                return index
            units += width
        return length
    units = max(0, utf16_offset_)
    if text.isascii():
        return min(units, length)
    table = _astral_table(text)
    if not table.codepoints:
        return min(units, length)
    before = bisect.bisect_right(table.unit_ends, units)  # astral characters wholly before
    if before < len(table.codepoints) and table.unit_ends[before] - 1 == units:
        return table.codepoints[before]  # the low surrogate of that character
    return min(units - before, length)
