"""The vendored DejaVu family: registration and a glyph check before rendering.

Standard PDF fonts have no Cyrillic and render it as black boxes without an error, so every
style, table and drawing uses these, and text is checked for glyphs the fonts lack.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
BOLD_OBLIQUE = "DejaVuSans-BoldOblique"
FAMILY = "DejaVuSans"

FONTS_DIR = Path(__file__).resolve().parents[1] / "resources" / "fonts"


class MissingGlyphs(ValueError):
    """Characters the brief's fonts cannot show; the message names them and where."""


@cache
def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in (REGULAR, BOLD, OBLIQUE, BOLD_OBLIQUE):
        path = FONTS_DIR / f"{name}.ttf"
        if not path.is_file():
            raise FileNotFoundError(f"brief font missing: {path}")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        FAMILY, normal=REGULAR, bold=BOLD, italic=OBLIQUE, boldItalic=BOLD_OBLIQUE
    )
    for bold, italic, name in (
        (0, 0, REGULAR),
        (1, 0, BOLD),
        (0, 1, OBLIQUE),
        (1, 1, BOLD_OBLIQUE),
    ):
        addMapping(FAMILY, bold, italic, name)


@cache
def _covered() -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    sets = [set(pdfmetrics.getFont(n).face.charToGlyph) for n in (REGULAR, BOLD, OBLIQUE)]
    return frozenset(set.intersection(*sets))


def missing_glyphs(labelled_texts: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(character description, where)`` for every character the fonts cannot draw."""
    covered = _covered()
    found: dict[str, str] = {}
    for where, text in labelled_texts:
        for char in text:
            if char in "\n\t" or ord(char) in covered or char in found:
                continue
            name = unicodedata.name(char, "unnamed character")
            found[char] = f"U+{ord(char):04X} {name} ({where})"
    return [(char, detail) for char, detail in found.items()]


def check_glyphs(labelled_texts: Iterable[tuple[str, str]]) -> None:
    missing = missing_glyphs(labelled_texts)
    if missing:
        listed = "; ".join(detail for _, detail in missing[:8])
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        raise MissingGlyphs(f"the brief's fonts cannot show {listed}{more}")
