"""The one text-display policy: what every surface shows of a stored string.

Stored text is never rewritten (offsets and hashes must stay valid); what changes is how it is
shown and matched. A reader must see what a manager reads on paper, so characters that change
how text looks without being seen themselves are made visible as small explicit marks:

* bidi embeddings, overrides and isolates, LRM/RLM/ALM — ``targets ⟨RLO⟩23⟨PDF⟩`` reads "23"
  in the window and on paper, where the raw override shows "32" in Qt and "23" in a PDF;
* zero-width space, joiner, non-joiner, word joiner, BOM, soft hyphen, and every other
  default-ignorable code point (Unicode's Default_Ignorable_Code_Point property), so
  ``Nav⟨ZWSP⟩alny`` is not mistaken for Navalny;
* control characters (``⟨ESC⟩``), which can drive a terminal or hide text.

Line and paragraph separators (U+2028, U+2029) become line breaks. Characters that are
default-ignorable but carry meaning where they stand are left alone: a joiner inside an emoji
sequence or between letters of a joining script (Persian writes with ZWNJ), a variation
selector after its base character, and the tag characters of a flag such as Scotland's.

Every mark is one code point in the stored text and several in the shown text; ``DisplayMap``
converts offsets between the two, so the reader can show marks and still count passages in
stored code points (docs/architecture.md, "Offsets: one rule").

Matching (search, suggestions, duplicates, entity look-up) does not show marks: it ignores
default-ignorable characters altogether (``fold_ignorables``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

MARK_OPEN = "⟨"
MARK_CLOSE = "⟩"

# Short names for the marks, with what they are for the officer's explanation.
_NAMED: dict[int, tuple[str, str]] = {
    0x00AD: ("SHY", "soft hyphen"),
    0x034F: ("CGJ", "combining grapheme joiner"),
    0x061C: ("ALM", "Arabic letter mark (bidi)"),
    0x180E: ("MVS", "Mongolian vowel separator"),
    0x200B: ("ZWSP", "zero-width space"),
    0x200C: ("ZWNJ", "zero-width non-joiner"),
    0x200D: ("ZWJ", "zero-width joiner"),
    0x200E: ("LRM", "left-to-right mark (bidi)"),
    0x200F: ("RLM", "right-to-left mark (bidi)"),
    0x202A: ("LRE", "left-to-right embedding (bidi)"),
    0x202B: ("RLE", "right-to-left embedding (bidi)"),
    0x202C: ("PDF", "pop directional formatting (bidi)"),
    0x202D: ("LRO", "left-to-right override (bidi)"),
    0x202E: ("RLO", "right-to-left override (bidi): reverses the text after it"),
    0x2060: ("WJ", "word joiner"),
    0x2061: ("FA", "invisible function application"),
    0x2062: ("IT", "invisible times"),
    0x2063: ("IS", "invisible separator"),
    0x2064: ("IP", "invisible plus"),
    0x2066: ("LRI", "left-to-right isolate (bidi)"),
    0x2067: ("RLI", "right-to-left isolate (bidi)"),
    0x2068: ("FSI", "first strong isolate (bidi)"),
    0x2069: ("PDI", "pop directional isolate (bidi)"),
    0xFEFF: ("BOM", "zero-width no-break space (byte-order mark)"),
    0x3164: ("HF", "Hangul filler"),
    0xFFA0: ("HF", "halfwidth Hangul filler"),
    0x115F: ("HF", "Hangul choseong filler"),
    0x1160: ("HF", "Hangul jungseong filler"),
}
_C0_NAMES = [
    "NUL",
    "SOH",
    "STX",
    "ETX",
    "EOT",
    "ENQ",
    "ACK",
    "BEL",
    "BS",
    "HT",
    "LF",
    "VT",
    "FF",
    "CR",
    "SO",
    "SI",
    "DLE",
    "DC1",
    "DC2",
    "DC3",
    "DC4",
    "NAK",
    "SYN",
    "ETB",
    "CAN",
    "EM",
    "SUB",
    "ESC",
    "FS",
    "GS",
    "RS",
    "US",
]

# Unicode 15.1 DerivedCoreProperties.txt, Default_Ignorable_Code_Point.
_DEFAULT_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def _class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


_IGNORABLE_CLASS = _class(_DEFAULT_IGNORABLE_RANGES)
# Everything the display policy may act on: default-ignorables, C0/C1 controls but for tab and
# newline, and the line/paragraph separators.
_ACTIONABLE = re.compile(f"[{_IGNORABLE_CLASS}\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_IGNORABLE = re.compile(f"[{_IGNORABLE_CLASS}]+")
# ASCII text (most English articles; ``str.isascii`` is O(1)) can only hold controls, and a
# narrow class scans a megabyte in half the time of the full one.
_ASCII_ACTIONABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _actionable(text: str) -> bool:
    """Whether the display policy changes anything in ``text`` (one scan, none if empty)."""
    pattern = _ASCII_ACTIONABLE if text.isascii() else _ACTIONABLE
    return pattern.search(text) is not None


LINE_SEPARATORS = "\u2028\u2029"
TAG_CANCEL = 0xE007F
BLACK_FLAG = 0x1F3F4


def is_default_ignorable(char: str) -> bool:
    return _IGNORABLE.fullmatch(char) is not None


def mark_name(char: str) -> str:
    """The short name inside a mark: ``RLO``, ``ZWSP``, ``ESC``, ``VS16``, ``TAG h``…"""
    cp = ord(char)
    if cp in _NAMED:
        return _NAMED[cp][0]
    if cp < 0x20:
        return _C0_NAMES[cp]
    if cp == 0x7F:
        return "DEL"
    if 0xFE00 <= cp <= 0xFE0F:
        return f"VS{cp - 0xFE00 + 1}"
    if 0xE0100 <= cp <= 0xE01EF:
        return f"VS{cp - 0xE0100 + 17}"
    if 0xE0020 <= cp <= 0xE007E:
        return f"TAG {chr(cp - 0xE0000)}"
    return f"U+{cp:04X}"


def mark(char: str) -> str:
    return f"{MARK_OPEN}{mark_name(char)}{MARK_CLOSE}"


def describe(char: str) -> str:
    """What the character is, for a sentence such as "holds ⟨RLO⟩ right-to-left override"."""
    cp = ord(char)
    if cp in _NAMED:
        return _NAMED[cp][1]
    if cp < 0x20 or 0x7F <= cp <= 0x9F:
        return "control character"
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return "variation selector"
    if 0xE0000 <= cp <= 0xE007F:
        return "invisible tag character (can smuggle hidden text)"
    return unicodedata.name(char, "invisible format character").lower()


# -- which occurrences are shown as marks ------------------------------------------------------


def _is_pictographic(char: str) -> bool:
    cp = ord(char)
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2300 <= cp <= 0x23FF
        or 0x2B00 <= cp <= 0x2BFF
        or cp in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D)
    )


def _joining_letter(char: str) -> bool:
    """A letter of a script where joiners change the shape (Arabic, Indic, …), not Latin,
    Greek or Cyrillic, where a joiner between letters only hides a word from search."""
    return ord(char) >= 0x0590 and unicodedata.category(char).startswith(("L", "M"))


def _base_before(text: str, index: int) -> str | None:
    """The nearest character before ``index`` that is not a variation selector or modifier."""
    i = index - 1
    while i >= 0:
        cp = ord(text[i])
        if 0xFE00 <= cp <= 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF or 0xE0100 <= cp <= 0xE01EF:
            i -= 1
            continue
        return text[i]
    return None


def _meaningful(text: str, index: int) -> bool:
    """True where a default-ignorable character carries meaning and is shown as it is."""
    char = text[index]
    cp = ord(char)
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if cp in (0x200C, 0x200D):  # joiners
        base = _base_before(text, index)
        if cp == 0x200D and base and after and _is_pictographic(base) and _is_pictographic(after):
            return True  # an emoji sequence (👨‍👩‍👧)
        return bool(before and after and _joining_letter(before) and _joining_letter(after))
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:  # variation selectors
        return bool(before) and not before.isspace() and not is_default_ignorable(before)
    if 0xE0020 <= cp <= TAG_CANCEL:  # tags: only inside a flag sequence (🏴 + tags + cancel)
        i = index
        while i > 0 and 0xE0020 <= ord(text[i - 1]) <= 0xE007E:
            i -= 1
        if i == 0 or ord(text[i - 1]) != BLACK_FLAG:
            return False
        j = index
        while j < len(text) and 0xE0020 <= ord(text[j]) <= 0xE007E:
            j += 1
        return j < len(text) and ord(text[j]) == TAG_CANCEL
    return False


def _replacement(text: str, index: int) -> str | None:
    """What stands in the shown text for ``text[index]``, or None when it is shown as it is."""
    char = text[index]
    if char in LINE_SEPARATORS:
        return "\n"
    if is_default_ignorable(char) and _meaningful(text, index):
        return None
    return mark(char)


# -- shown text and the offset map -------------------------------------------------------------


@dataclass(frozen=True)
class DisplayMap:
    """Offsets between a stored string and its shown form.

    ``starts`` are the stored positions of replaced characters (sorted); ``shifts[i]`` is how
    many extra code points the shown text has after the ``i``-th replacement.
    """

    starts: tuple[int, ...] = ()
    shifts: tuple[int, ...] = ()
    widths: tuple[int, ...] = ()  # shown length of each replacement

    @property
    def identity(self) -> bool:
        return not self.starts

    def to_shown(self, stored: int) -> int:
        """Stored code-point offset → offset in the shown text (a mark counts whole)."""
        i = bisect.bisect_left(self.starts, stored)  # replacements wholly before ``stored``
        return stored + (self.shifts[i - 1] if i else 0)

    def to_stored(self, shown: int, *, towards_end: bool = False) -> int:
        """Offset in the shown text → stored offset. A position inside a mark snaps to the
        start of its character, or past it with ``towards_end`` (so a selection that touches
        a mark takes the character)."""
        lo, hi = 0, len(self.starts)
        while lo < hi:  # the first replacement whose shown start is >= shown
            mid = (lo + hi) // 2
            if self._shown_start(mid) < shown:
                lo = mid + 1
            else:
                hi = mid
        i = lo  # replacements before: 0..i-1
        if i:
            prev = i - 1
            prev_start = self._shown_start(prev)
            if prev_start < shown < prev_start + self.widths[prev]:
                stored = self.starts[prev]
                return stored + 1 if towards_end else stored
            return shown - self.shifts[prev]
        return shown

    def _shown_start(self, i: int) -> int:
        return self.starts[i] + (self.shifts[i - 1] if i else 0)


IDENTITY = DisplayMap()


def shown_with_map(text: str) -> tuple[str, DisplayMap]:
    """The shown form of ``text`` and the map between the two's offsets."""
    if not _actionable(text):
        return text, IDENTITY
    pieces: list[str] = []
    starts: list[int] = []
    shifts: list[int] = []
    widths: list[int] = []
    shift = 0
    last = 0
    for match in _ACTIONABLE.finditer(text):
        index = match.start()
        replacement = _replacement(text, index)
        if replacement is None:
            continue
        pieces.append(text[last:index])
        pieces.append(replacement)
        last = index + 1
        if len(replacement) != 1:  # a separator becomes one line break: no shift
            shift += len(replacement) - 1
            starts.append(index)
            shifts.append(shift)
            widths.append(len(replacement))
    pieces.append(text[last:])
    return "".join(pieces), DisplayMap(tuple(starts), tuple(shifts), tuple(widths))


def shown(text: str | None) -> str:
    """What every surface shows for ``text``: invisible characters as marks."""
    if not text:
        return ""
    if not _actionable(text):
        return text
    return shown_with_map(text)[0]


def shown_line(text: str | None) -> str:
    """``shown`` for one-line surfaces (list rows, window titles, labels): line breaks become
    a visible ``⏎`` so a name can never pretend to be two rows."""
    return shown(text).replace("\n", " ⏎ ").replace("\t", " ")


def invisibles(text: str | None) -> list[tuple[str, str, int]]:
    """``(mark, what it is, how many)`` for each kind of character ``text`` shows as a mark."""
    if not text or not _actionable(text):
        return []
    counts: dict[str, int] = {}
    described: dict[str, str] = {}
    for match in _ACTIONABLE.finditer(text):
        index = match.start()
        char = text[index]
        if char in LINE_SEPARATORS or _replacement(text, index) is None:
            continue
        key = mark(char)
        if key in counts:
            counts[key] += 1
        else:
            counts[key], described[key] = 1, describe(char)
    return [(m, described[m], n) for m, n in counts.items()]


def invisibles_sentence(text: str | None) -> str:
    """One sentence for the reader and inspector, or "" when there is nothing to say."""
    found = invisibles(text)
    if not found:
        return ""
    parts = [f"{m} {what}" + (f" ×{n}" if n > 1 else "") for m, what, n in found]
    return "Holds invisible characters, shown as marks: " + "; ".join(parts) + "."


# -- matching ----------------------------------------------------------------------------------


def fold_ignorables(text: str) -> str:
    """``text`` without default-ignorable characters, for matching only (never stored)."""
    if text.isascii():
        return text
    return _IGNORABLE.sub("", text)


def has_ignorables(text: str) -> bool:
    return _IGNORABLE.search(text) is not None


# -- terminals ---------------------------------------------------------------------------------

_TERMINAL_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def terminal(text: object) -> str:
    """``text`` safe for one line of terminal output: control characters escaped as Python
    does (``\\n``, ``\\x1b``), so no input can forge an output line or drive the terminal;
    other invisible characters as marks, as on every other surface."""
    value = "" if text is None else str(text)
    out: list[str] = []
    for index, char in enumerate(value):
        cp = ord(char)
        if char in _TERMINAL_ESCAPES and char != "\\":
            out.append(_TERMINAL_ESCAPES[char])
        elif cp < 0x20 or 0x7F <= cp <= 0x9F:
            out.append(f"\\x{cp:02x}")
        elif char in LINE_SEPARATORS or 0xD800 <= cp <= 0xDFFF:
            out.append(f"\\u{cp:04x}")
        elif is_default_ignorable(char):
            replacement = _replacement(value, index)
            out.append(char if replacement is None else replacement)
        else:
            out.append(char)
    return "".join(out)
