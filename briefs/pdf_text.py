"""User text → what the PDF draws. Every place a user string meets ReportLab comes here.

The reader window shows ``shown(text)`` laid out by Qt (UAX #9, native Arabic shaping); the
brief must show the same characters in the same visual order. In steps:

1. ``shown()`` (workstation.domain.text_display): invisible format characters become marks
   such as ``⟨RLO⟩``, identical to the window's, so an override never reaches the PDF;
2. characters no vendored face can draw become a marked transliteration (briefs.glyphs) —
   the brief always builds; ``expected_logical`` is the text at this point, what a reader
   sees in logical order;
3. Arabic letters take their joining forms (briefs.bidi.shape_arabic);
4. after ReportLab has wrapped a paragraph, each line is put in visual order by the Unicode
   Bidirectional Algorithm (briefs.paragraph for paragraphs, ``visual_runs`` here for the
   one-line strings of the banner, footer, contents and timeline graphic);
5. each run is drawn in a face that has its glyphs (briefs.glyphs.font_runs).

Metadata and outline titles are read by a viewer that does its own layout, so they get the
marks only (``metadata``), in logical order.

Plain left-to-right text with nothing to mark, reorder or substitute costs a regex search.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from briefs import bidi, glyphs
from briefs.glyphs import Substitute
from workstation.domain.text_display import shown, shown_line

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

# -- the text at each step ---------------------------------------------------------------------


def expected_logical(text: str | None) -> str:
    """What the brief shows for ``text``, in logical order: marks for invisible characters,
    marked transliterations for characters no face can draw."""
    marked = shown(text)
    if marked.isascii():
        return marked
    return glyphs.substitute_undrawable(marked)[0]


def substitutes(text: str | None) -> list[Substitute]:
    """The runs of ``text`` the brief shows as transliterations or code points."""
    marked = shown(text)
    return [] if marked.isascii() else glyphs.substitute_undrawable(marked)[1]


def display(text: str | None) -> str:
    """``expected_logical`` with Arabic shaped: the characters ReportLab will lay out."""
    if not text:
        return ""
    if text.isascii():
        return shown(text)
    return _display(text)


@lru_cache(maxsize=4096)
def _display(text: str) -> str:
    from briefs.fonts import REGULAR

    return bidi.shape_arabic(expected_logical(text), glyphs.coverage(REGULAR))


def metadata(text: str | None) -> str:
    """For the PDF's /Title, /Author, /Subject, /Keywords and outline titles: marks, one line,
    logical order (the viewer lays it out and has fonts of its own)."""
    return shown_line(text)


# -- paragraph markup --------------------------------------------------------------------------


def markup(text: str | None) -> str:
    """User text → paragraph markup that shows it literally (``<img>``, ``&``, ``<b>``…), each
    line isolated so it orders itself as the reader window shows it."""
    shown_text = display(text)
    if not shown_text:
        return ""
    return "<br/>".join(
        f"{bidi.FSI}{escape(line)}{bidi.PDI}" if bidi.needs_isolate(line) else escape(line)
        for line in shown_text.split("\n")
    )


# -- one-line strings drawn on a canvas or in a drawing -----------------------------------------


def one_line(text: str | None) -> str:
    """A user string for a one-line surface (banner, footer, graphic): line breaks visible as
    ``⏎``, then as ``display``; isolated, so labels around it keep their order."""
    if not text:
        return ""
    return bidi.isolate(display(shown_line(text)))


def visual_runs(line: str, face: str, rtl: bool | None = None) -> list[tuple[str, str]]:
    """A logical line (our text with ``one_line`` pieces in it) → ``(text, face)`` runs in
    visual order, left to right, ready to draw one after the other. ``rtl``: the direction of
    the text the line was cut from, when it is one of several (by default its own)."""
    return glyphs.font_runs(bidi.visual_line(line, rtl), face)


def text_width(line: str, face: str, size: float) -> float:
    """The drawn width of a logical line: order does not change it, faces do."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    runs = glyphs.font_runs(bidi.strip_isolates(line), face)
    widths: list[float] = [stringWidth(text, run_face, size) for text, run_face in runs]
    return sum(widths)


def is_rtl(line: str) -> bool:
    """Whether a logical line (or a text about to be cut into lines) is right-to-left."""
    return bidi.first_strong_is_rtl(line)


def draw_string(
    canvas: Canvas, x: float, y: float, line: str, face: str, size: float, anchor: str = "start"
) -> None:
    """``canvas.drawString`` for a logical line: visual order, a face per run. ``anchor`` is
    where ``x`` sits: "start", "middle" or "end" of the line."""
    runs = visual_runs(line, face)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = [stringWidth(text, run_face, size) for text, run_face in runs]
    x -= {"start": 0.0, "middle": sum(widths) / 2, "end": sum(widths)}[anchor]
    for (text, run_face), width in zip(runs, widths, strict=True):
        canvas.setFont(run_face, size)
        canvas.drawString(x, y, text)
        x += width
