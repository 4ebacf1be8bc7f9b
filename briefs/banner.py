"""The marking banner, top and bottom of every page, and the marking in the footer.

A TLP label is one line of 12 pt bold in its TLP 2.0 colour on black. A free-text marking
wraps within the text width: at 12 pt if it fits one line, else at 10 pt in two lines, 9 pt
in three, or 8 pt in as many as it takes (briefs.marking caps it at 500 characters). The
banner grows to hold its lines, and the page's margins grow with it (``margin``), so the
banner never reaches the footer or the text. The footer shows the marking cut to fit.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from briefs import pdf_text, styles
from briefs.fonts import BOLD

PADDING = 8  # left and right of the text, inside the box
EDGE = 9 * styles.MM  # from the paper's edge to the banner
GAP = 9 * styles.MM  # from the banner to the text (the footer line lives here at the bottom)
SIZES = ((12.0, 1), (10.0, 2), (9.0, 3), (8.0, None))  # (type size, most lines at that size)


@dataclass(frozen=True)
class Banner:
    lines: tuple[str, ...]  # logical lines, ready for ``pdf_text.draw_string``
    size: float
    leading: float
    width: float  # of the box
    height: float  # of the box

    @property
    def margin(self) -> float:
        """The top (and bottom) page margin that leaves room for this banner."""
        return max(styles.PAGE["top"], EDGE + self.height + GAP)


def layout(marking: str, text_width: float) -> Banner:
    """Lines, type size and box of ``marking`` within ``text_width`` (the frame's width)."""
    room = text_width - 2 * PADDING
    for size, most in SIZES:
        lines = wrap(marking, room, size)
        if most is None or len(lines) <= most:
            break
    leading = size * 1.25
    widest = max(pdf_text.text_width(line, BOLD, size) for line in lines)
    height = styles.PAGE["banner_height"]  # one line fits the standard banner
    if len(lines) > 1:
        height = max(height, len(lines) * leading + 8)
    return Banner(tuple(lines), size, leading, min(text_width, widest + 2 * PADDING), height)


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` in lines no wider than ``width`` at ``size`` pt bold, broken between words,
    or inside a word longer than a line; each line passed through ``pdf_text.one_line``."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _fits(candidate, width, size):
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while not _fits(current, width, size) and len(current) > 1:
            cut = _longest_fit(current, width, size)
            lines.append(current[:cut])
            current = current[cut:]
    if current or not lines:
        lines.append(current)
    return [pdf_text.one_line(line) for line in lines]


def fit(text: str, width: float, face: str, size: float) -> str:
    """``pdf_text.one_line(text)``, cut with "…" if need be to be no wider than ``width``."""
    line = pdf_text.one_line(text)
    if pdf_text.text_width(line, face, size) <= width:
        return line
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        shortened = pdf_text.one_line(text[:middle].rstrip() + "…")
        if pdf_text.text_width(shortened, face, size) <= width:
            low = middle
        else:
            high = middle - 1
    return pdf_text.one_line(text[:low].rstrip() + "…")


def _fits(text: str, width: float, size: float) -> bool:
    return pdf_text.text_width(pdf_text.one_line(text), BOLD, size) <= width


def _longest_fit(word: str, width: float, size: float) -> int:
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(word[:middle], width, size):
            low = middle
        else:
            high = middle - 1
    return low


def draw(canvas: Canvas, banner: Banner, colour: str | None, page_width: float, y: float) -> None:
    """One banner with its bottom edge at ``y``: TLP colour on black, or black on grey."""
    canvas.saveState()
    x = (page_width - banner.width) / 2
    background = "#000000" if colour else styles.FREE_MARKING["background"]
    canvas.setFillColor(HexColor(background))
    canvas.rect(x, y, banner.width, banner.height, stroke=0, fill=1)
    canvas.setFillColor(HexColor(colour or styles.FREE_MARKING["text"]))
    count = len(banner.lines)
    middle = y + banner.height / 2
    for index, line in enumerate(banner.lines):
        # centre the block of lines; a line's visual middle sits ~0.3 em above its baseline
        centre = middle + ((count - 1) / 2 - index) * banner.leading
        baseline = centre - 0.3 * banner.size
        pdf_text.draw_string(canvas, page_width / 2, baseline, line, BOLD, banner.size, "middle")
    canvas.restoreState()
