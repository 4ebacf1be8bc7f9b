"""Right-to-left text for the PDF: the Unicode Bidirectional Algorithm and Arabic shaping.

Qt lays out the reader with UAX #9 and shapes Arabic natively; ReportLab draws code points
left to right, so the brief must hand it each line already in visual order, with Arabic
letters already in their joining forms.

Library: ICU through PyICU (``icu.Bidi`` for UAX #9, ``icu.Shape`` for joining forms), already
installed through followthemoney; ICU is the reference implementation of the algorithm.
Measured against the alternatives (ICU 72.1, Unicode 15):

* python-bidi 0.6.12 (the Rust ``unicode-bidi`` crate) agrees with ICU on a Hebrew word, an
  Arabic phrase and "The minister said שלום 2021 and السلام عليكم (twice)", but does not
  mirror brackets inside right-to-left runs: "שלום (עולם) 2021 abc." came out with ")םלוע("
  where ICU gives "(םלוע)". arabic-reshaper 3.1.0 gave the same presentation forms as ICU
  for every phrase tried (lam-alef ligatures, ZWNJ) — no reason to add a dependency for it.
* ReportLab 5.1's own bidi needs ``rlbidi`` (not on PyPI). Its shaping with uharfbuzz 0.57
  shapes and reverses each word alone but keeps the words in logical order ("السلام عليكم"
  came out with السلام on the left), leaves "שלום 2021" in logical order, and applies Latin
  ligatures ("minister" extracts as "miniﬆer").

Levels are resolved over a whole paragraph (between hard line breaks, ``levels``) and each
line is reordered alone after wrapping (``visual_order``, UAX #9 L1–L4): reordering a
paragraph and then wrapping it would put the lines of a right-to-left paragraph in the wrong
order.

User strings embedded in the brief's own sentences are wrapped in FIRST STRONG ISOLATE … POP
DIRECTIONAL ISOLATE (``isolate``), so each orders itself as the reader window shows it alone
and does not pull the surrounding labels along. Those two controls are ours alone: the display
policy has already turned every control in user text into a visible mark.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

FSI = "\u2068"
PDI = "\u2069"
ISOLATES = FSI + PDI

# Arabic letters that shaping may change (Arabic, Supplement, Extended-A/B); a prefilter only.
_ARABIC_LETTERS = re.compile("[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff]")


@cache
def _rtl_pattern() -> re.Pattern[str]:
    """Characters of bidi class R, AL or AN: only text holding one needs reordering at all."""
    import icu

    found = icu.UnicodeSet("[[:bc=R:][:bc=AL:][:bc=AN:]]")
    ranges = ((found.getRangeStart(i), found.getRangeEnd(i)) for i in range(found.getRangeCount()))
    return re.compile("[" + "".join(f"{re.escape(a)}-{re.escape(b)}" for a, b in ranges) + "]")


def has_rtl(text: str) -> bool:
    return not text.isascii() and _rtl_pattern().search(text) is not None


_LATIN_LETTER = re.compile("[A-Za-z]")


def needs_isolate(text: str) -> bool:
    """Whether user ``text`` must be isolated to order itself whatever stands around it.
    Blank text needs nothing; ASCII text with a letter can only be left-to-right, and makes
    the paragraph holding it left-to-right too (``first_strong_is_rtl``), where isolating it
    changes nothing — and plain English paragraphs stay on the fast path."""
    return bool(text.strip()) and not (text.isascii() and _LATIN_LETTER.search(text))


def isolate(text: str) -> str:
    return f"{FSI}{text}{PDI}" if needs_isolate(text) else text


def has_isolates(text: str) -> bool:
    return FSI in text or PDI in text


def strip_isolates(text: str) -> str:
    return text.replace(FSI, "").replace(PDI, "") if FSI in text or PDI in text else text


_ISOLATED = re.compile(f"{FSI}[^{ISOLATES}]*(?:{PDI}|$)")


def first_strong_is_rtl(text: str) -> bool:
    """The paragraph direction (UAX #9 P2–P3), from the first strong character outside our
    isolates: the brief's own words (labels, "→", "Answers:") keep a composed line
    left-to-right. A paragraph that is one isolated user string, with only neutrals around it
    (“quote”, "1. … [2]"), takes that string's direction, as the reader window would."""
    if not has_rtl(text):
        return False
    outside = _base_direction(_ISOLATED.sub("", text))
    if outside is not None:
        return outside
    isolated = _ISOLATED.findall(text)
    return len(isolated) == 1 and bool(_base_direction(strip_isolates(isolated[0])))


def _base_direction(text: str) -> bool | None:
    """True for right-to-left, False for left-to-right, None when no character is strong."""
    import icu

    direction = icu.Bidi.getBaseDirection(icu.UnicodeString(text)) if text else 3
    return None if direction not in (0, 1) else direction == 1


# -- shaping ---------------------------------------------------------------------------------


def shape_arabic(text: str, covered: frozenset[int]) -> str:
    """Arabic letters in their joining forms (logical order), as presentation-form characters.

    Shaping is done before wrapping, so the widths measured are the drawn ones: joining never
    crosses a space, where lines break (a word too long for a line is cut and keeps the forms
    of the whole word). A form the font lacks falls back to its plain letter.
    """
    if _ARABIC_LETTERS.search(text) is None:
        return text
    import icu

    shaped: str = icu.Shape.shapeArabic(
        text,
        icu.Shape.LETTERS_SHAPE | icu.Shape.LENGTH_GROW_SHRINK | icu.Shape.TEXT_DIRECTION_LOGICAL,
    )
    if all(ord(c) in covered for c in shaped if _is_presentation_form(c)):
        return shaped
    return "".join(
        unicodedata.normalize("NFKC", c)
        if _is_presentation_form(c) and ord(c) not in covered
        else c
        for c in shaped
    )


def _is_presentation_form(char: str) -> bool:
    return "\ufb50" <= char <= "\ufdff" or "\ufe70" <= char <= "\ufeff"


# -- reordering --------------------------------------------------------------------------------


def levels(paragraph: str, rtl: bool) -> list[int]:
    """The resolved embedding level of each code point of one bidi paragraph (UAX #9 up to
    I2, by ICU), for the whole paragraph: lines are cut from it afterwards."""
    if not rtl and not has_rtl(paragraph):
        return [0] * len(paragraph)
    import icu

    bidi = icu.Bidi()
    bidi.setPara(icu.UnicodeString(paragraph), 1 if rtl else 0)
    per_unit = list(bidi.getLevels())
    if len(per_unit) == len(paragraph):
        return per_unit
    # ICU counts UTF-16 code units: keep the level of each code point's first unit.
    result, unit = [], 0
    for char in paragraph:
        result.append(per_unit[unit])
        unit += 2 if ord(char) > 0xFFFF else 1
    return result


def visual_order(line: str, line_levels: Sequence[int], rtl: bool) -> list[int]:
    """Indices of ``line``'s characters in visual order, left to right (UAX #9 L1–L3)."""
    resolved = list(line_levels)
    end = len(line) - 1
    while end >= 0 and (line[end].isspace() or line[end] in ISOLATES):  # L1: trailing space
        resolved[end] = 1 if rtl else 0
        end -= 1
    # L3: a combining mark stays after its base, so clusters move as one.
    clusters: list[list[int]] = []
    for index, char in enumerate(line):
        if clusters and unicodedata.category(char) in ("Mn", "Me", "Mc"):
            clusters[-1].append(index)
        else:
            clusters.append([index])
    cluster_levels = [resolved[c[0]] for c in clusters]
    odd = [level for level in cluster_levels if level % 2]
    order = list(range(len(clusters)))
    if odd:
        # L2: from the highest level down to the lowest odd one, reverse every run at or
        # above that level.
        for level in range(max(cluster_levels), min(odd) - 1, -1):
            index = 0
            while index < len(order):
                if cluster_levels[order[index]] < level:
                    index += 1
                    continue
                stop = index
                while stop < len(order) and cluster_levels[order[stop]] >= level:
                    stop += 1
                order[index:stop] = order[index:stop][::-1]
                index = stop
    return [i for c in order for i in clusters[c]]


def drawn_char(char: str, level: int) -> str:
    """L4: a mirrored character (brackets, ⟨ ⟩, ⟦ ⟧) at an odd level is drawn mirrored."""
    if level % 2:
        import icu

        if icu.Char.isMirrored(char):
            mirrored: str = icu.Char.charMirror(char)
            return mirrored
    return char


def visual_line(paragraph: str, rtl: bool | None = None) -> str:
    """A one-line paragraph in visual order (banner, footer, graphic labels), our isolates
    removed."""
    if rtl is None:
        rtl = first_strong_is_rtl(paragraph)
    if not rtl and not has_rtl(paragraph):
        return strip_isolates(paragraph)
    resolved = levels(paragraph, rtl)
    return "".join(
        drawn_char(paragraph[i], resolved[i])
        for i in visual_order(paragraph, resolved, rtl)
        if paragraph[i] not in ISOLATES
    )
