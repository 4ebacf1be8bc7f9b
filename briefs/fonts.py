"""The vendored DejaVu family: registration.

Standard PDF fonts have no Cyrillic and render it as black boxes without an error, so every
style, table and drawing uses these. Which face draws which character, and what stands in for
characters none of them has, is briefs.glyphs: a brief always builds.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
BOLD_OBLIQUE = "DejaVuSans-BoldOblique"
FAMILY = "DejaVuSans"

FONTS_DIR = Path(__file__).resolve().parents[1] / "resources" / "fonts"


class MissingGlyphs(ValueError):
    """No longer raised: characters the fonts lack are shown as marked transliterations
    (briefs.glyphs). Kept until the GUI and CLI stop naming it among expected errors."""


@cache
def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in (REGULAR, BOLD, OBLIQUE, BOLD_OBLIQUE):
        path = FONTS_DIR / f"{name}.ttf"
        if not path.is_file():
            raise FileNotFoundError(f"brief font missing: {path}")
        font = TTFont(name, str(path))
        # FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE wrap user strings in paragraph
        # text so the bidi algorithm can order them (briefs.bidi); they are removed before
        # drawing, so they must take no room when ReportLab measures lines for wrapping.
        for isolate in (0x2068, 0x2069):
            font.face.charWidths[isolate] = 0
        pdfmetrics.registerFont(font)
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
