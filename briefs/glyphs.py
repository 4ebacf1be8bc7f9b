"""Which vendored face draws each character, and what stands in for characters none can draw.

DejaVu Sans (regular, bold) has Latin, Greek, Cyrillic, Hebrew and Arabic with its
presentation forms; the oblique faces lack Arabic. A run of text the style's face lacks is
drawn in the nearest face that has it (``font_runs``): the upright face of the same weight
first, so an Arabic phrase inside an italic quote comes out upright rather than refused.

Characters no vendored face has (CJK, most emoji, other scripts) are never drawn as boxes and
never make the brief refuse: they are shown as a marked transliteration, ``⟦zhong guo⟧``
(ICU ``Any-Latin; Latin-ASCII``), or, where there is none (emoji), as their code points,
``⟨U+1F468 U+200D U+1F469⟩``. The brief lists every such run at its end.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from briefs.fonts import BOLD, BOLD_OBLIQUE, OBLIQUE, REGULAR

if TYPE_CHECKING:
    import icu

TRANSLIT_OPEN = "⟦"  # U+27E6, in all four faces: visibly not the original text
TRANSLIT_CLOSE = "⟧"
CODE_OPEN = "⟨"  # the same brackets as the display policy's marks (⟨RLO⟩)
CODE_CLOSE = "⟩"

# The face to try for a character the style's face lacks, nearest look first.
FALLBACKS = {
    REGULAR: (REGULAR, BOLD, OBLIQUE, BOLD_OBLIQUE),
    BOLD: (BOLD, REGULAR, BOLD_OBLIQUE, OBLIQUE),
    OBLIQUE: (OBLIQUE, REGULAR, BOLD_OBLIQUE, BOLD),
    BOLD_OBLIQUE: (BOLD_OBLIQUE, BOLD, OBLIQUE, REGULAR),
}
# Never drawn (our bidi isolates are removed before drawing), so they never choose a face.
_FACELESS = frozenset("\u2068\u2069")


@cache
def coverage(face: str) -> frozenset[int]:
    """Code points ``face`` has a glyph for."""
    from reportlab.pdfbase import pdfmetrics

    from briefs.fonts import register_fonts

    register_fonts()
    return frozenset(pdfmetrics.getFont(face).face.charToGlyph)


@cache
def _drawn_by(face: str) -> frozenset[str]:
    """``coverage`` as characters, with our isolates, for one C-level subset test."""
    return frozenset(map(chr, coverage(face))) | _FACELESS


@cache
def drawable() -> frozenset[int]:
    """Code points some vendored face can draw."""
    return frozenset().union(*(coverage(face) for face in FALLBACKS))


@cache
def _drawable_chars() -> frozenset[str]:
    return frozenset(map(chr, drawable())) | frozenset("\n\t")


def _keeps_face(char: str) -> bool:
    """Spaces, isolates and combining marks stay in the face of the text around them."""
    return char in _FACELESS or char.isspace() or unicodedata.category(char) in ("Mn", "Me")


def font_runs(text: str, face: str) -> list[tuple[str, str]]:
    """``text`` cut into ``(run, face)``: each character in ``face`` if it has the glyph, else
    in the first fallback that has it."""
    if text.isascii() or _drawn_by(face).issuperset(text):
        return [(text, face)]
    own = coverage(face)
    runs: list[tuple[str, str]] = []
    current = face
    chars: list[str] = []
    for char in text:
        if _keeps_face(char) and (ord(char) in coverage(current) or char in _FACELESS):
            wanted = current
        elif ord(char) in own:
            wanted = face
        else:
            wanted = next((f for f in FALLBACKS[face] if ord(char) in coverage(f)), face)
        if wanted != current and chars:
            runs.append(("".join(chars), current))
            chars = []
        current = wanted
        chars.append(char)
    if chars:
        runs.append(("".join(chars), current))
    return runs


# -- characters no face can draw -------------------------------------------------------------


@dataclass(frozen=True)
class Substitute:
    """One run of undrawable characters and what the brief shows instead."""

    original: str
    shown: str

    @property
    def code_points(self) -> str:
        return " ".join(f"U+{ord(c):04X}" for c in self.original)


def _attaches(char: str) -> bool:
    """Characters that belong to the undrawable character before them: joiners in emoji
    sequences, variation selectors, skin-tone modifiers, combining marks, tag characters."""
    cp = ord(char)
    return (
        cp == 0x200D
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
    )


def substitute_undrawable(text: str) -> tuple[str, list[Substitute]]:
    """``text`` with each run of characters no vendored face can draw replaced by its marked
    transliteration, and the runs replaced."""
    if text.isascii() or _drawable_chars().issuperset(text):
        return text, []
    covered = drawable()
    pieces: list[str] = []
    found: list[Substitute] = []
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if ord(char) in covered or char in "\n\t":
            pieces.append(char)
            index += 1
            continue
        end = index + 1
        while end < size and (ord(text[end]) not in covered or _attaches(text[end])):
            if text[end] in "\n\t":
                break
            end += 1
        run = text[index:end]
        substitute = Substitute(run, _stand_in(run))
        found.append(substitute)
        pieces.append(substitute.shown)
        index = end
    return "".join(pieces), found


@cache
def _transliterator() -> icu.Transliterator:
    import icu

    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


@cache
def _stand_in(run: str) -> str:
    """``⟦latin⟧`` for the parts of ``run`` ICU can transliterate, ``⟨U+…⟩`` for the rest."""
    groups: list[tuple[bool, str]] = []  # (transliterable, characters)
    for char in run:
        if groups and _attaches(char):
            kind, chars = groups[-1]
            groups[-1] = (kind, chars + char)
            continue
        kind = _latin(char) != char
        if groups and groups[-1][0] == kind:
            groups[-1] = (kind, groups[-1][1] + char)
        else:
            groups.append((kind, char))
    out = []
    for transliterable, chars in groups:
        latin = _latin(chars) if transliterable else ""
        if latin and all(ord(c) in drawable() for c in latin):
            out.append(f"{TRANSLIT_OPEN}{latin}{TRANSLIT_CLOSE}")
        else:
            codes = " ".join(f"U+{ord(c):04X}" for c in chars)
            out.append(f"{CODE_OPEN}{codes}{CODE_CLOSE}")
    return "".join(out)


def _latin(text: str) -> str:
    return " ".join(_transliterator().transliterate(text).split())
