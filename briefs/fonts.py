"""The vendored DejaVu family: registration.

Standard PDF fonts have no Cyrillic and render it as black boxes without an error, so every
style, table and drawing uses these. Which face draws which character, and what stands in for
characters none of them has, is briefs.glyphs: a brief always builds.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from workstation.resource_files import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
BOLD_OBLIQUE = "DejaVuSans-BoldOblique"
FAMILY = "DejaVuSans"


class MissingGlyphs(ValueError):
    """No longer raised: characters the fonts lack are shown as marked transliterations
    (briefs.glyphs). Kept until the GUI and CLI stop naming it among expected errors."""


def subset_tag(face_name: str, subset: int, taken: set[str]) -> str:
    """A font subset's six-letter tag (``ABCDEF+DejaVuSans``): derived from the face and the
    subset's index, so the same brief gets the same tags, and distinct within a document.

    ReportLab names subset n of every font the same (``AAAAAA``, ``AAAAAB``…), so the four
    DejaVu faces shared their tags; PDF (9.6.4) wants a tag per distinct subset."""
    attempt = 0
    while True:
        digest = hashlib.sha256(f"{face_name}:{subset}:{attempt}".encode()).digest()
        tag = "".join(chr(ord("A") + byte % 26) for byte in digest[:6])
        if tag not in taken:
            taken.add(tag)
            return tag
        attempt += 1


def _subset_tagging_font() -> type[Any]:
    """TTFont whose subsets carry ``subset_tag`` tags; the rest is ReportLab's own."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfbase.ttfonts import TTFont, makeToUnicodeCMap

    class TaggedSubsetFont(TTFont):
        def addObjects(self, doc: Any) -> None:
            # ReportLab 5.1's TTFont.addObjects with one change: the subset tag.
            try:
                state = self.state[doc]
            except KeyError:
                state = self.state[doc] = TTFont.State(self._asciiReadable)
            state.frozen = 1
            taken = doc.__dict__.setdefault("_brief_subset_tags", set())
            for n, subset in enumerate(state.subsets):
                internal_name = self.getSubsetInternalName(n, doc)[1:]
                face = (self.face.name + self.face.subfontNameX).decode("pdfdoc")
                base_font_name = f"{subset_tag(face, n, taken)}+{face}"

                pdf_font = pdfdoc.PDFTrueTypeFont()
                pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
                pdf_font.Name = internal_name
                pdf_font.BaseFont = base_font_name
                pdf_font.FirstChar = 0
                pdf_font.LastChar = len(subset) - 1
                pdf_font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))

                cmap = pdfdoc.PDFStream()
                cmap.content = makeToUnicodeCMap(base_font_name, subset)
                if doc.compression:
                    cmap.filters = [pdfdoc.PDFZCompress]
                pdf_font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base_font_name)
                pdf_font.FontDescriptor = self.face.addSubsetObjects(doc, base_font_name, subset)

                doc.Reference(pdf_font, internal_name)
                doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
            del self.state[doc]

    return TaggedSubsetFont


@cache
def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    font_class = _subset_tagging_font()
    for name in (REGULAR, BOLD, OBLIQUE, BOLD_OBLIQUE):
        path = resource_path("fonts", f"{name}.ttf")  # ReportLab reads a file by name
        if not path.is_file():
            raise FileNotFoundError(f"brief font missing: {path}")
        font = font_class(name, str(path))
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
