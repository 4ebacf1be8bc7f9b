"""Every look of the brief as data: page, type scale, colours, table styles (rst2pdf-style)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, TypedDict

from briefs.fonts import BOLD, OBLIQUE, REGULAR

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

# Paragraph styles by name, as briefs.story.stylesheet() makes them from PARAGRAPHS.
Stylesheet: TypeAlias = "dict[str, ParagraphStyle]"

MM = 72 / 25.4

PAGE = {
    "width": 210 * MM,  # A4
    "height": 297 * MM,
    "left": 20 * MM,
    "right": 20 * MM,
    "top": 26 * MM,  # room for the marking banner
    "bottom": 26 * MM,  # room for the banner and the footer line
    "banner_height": 8 * MM,
}

# TLP 2.0: coloured label text on black.
TLP_COLOURS = {
    "TLP:RED": "#FF2B2B",
    "TLP:AMBER": "#FFC000",
    "TLP:AMBER+STRICT": "#FFC000",
    "TLP:GREEN": "#33FF00",
    "TLP:CLEAR": "#FFFFFF",
}
FREE_MARKING = {"text": "#000000", "background": "#E8E8E8"}

INK = "#1A1A1A"
MUTED = "#5A5A5A"
RULE = "#B8B8B8"
ACCENT = "#1F4E79"
TABLE_HEADER_BG = "#1F4E79"
TABLE_STRIPE = "#F2F5F9"

PARAGRAPHS = {
    "body": {"fontName": REGULAR, "fontSize": 10, "leading": 14, "textColor": INK, "spaceAfter": 6},
    "title": {
        "fontName": BOLD,
        "fontSize": 15,
        "leading": 18,
        "textColor": ACCENT,
        "spaceAfter": 2,
    },
    "meta": {"fontName": REGULAR, "fontSize": 9, "leading": 12.5, "textColor": MUTED},
    "marking_note": {
        "fontName": REGULAR,
        "fontSize": 8.5,
        "leading": 11.5,
        "textColor": INK,
        "spaceBefore": 4,
    },
    "h1": {
        "fontName": BOLD,
        "fontSize": 14,
        "leading": 18,
        "textColor": ACCENT,
        "spaceBefore": 14,
        "spaceAfter": 6,
        # No keepWithNext: it glues the heading to a whole long table and pushes both to
        # the next page; story.py puts a CondPageBreak before each heading instead.
    },
    "h2": {
        "fontName": BOLD,
        "fontSize": 11,
        "leading": 14,
        "textColor": ACCENT,
        "spaceBefore": 7,
        "spaceAfter": 3,
    },
    "bluf": {
        "fontName": REGULAR,
        "fontSize": 10,
        "leading": 13.5,
        "textColor": INK,
        "borderPadding": (6, 8, 6, 8),
        "backColor": "#EEF3F8",
        "borderColor": ACCENT,
        "borderWidth": 0,
        "spaceBefore": 4,
        "spaceAfter": 4,
    },
    "judgment": {
        "fontName": REGULAR,
        "fontSize": 10,
        "leading": 14,
        "textColor": INK,
        "leftIndent": 22,
        "firstLineIndent": -22,
        "spaceAfter": 2,
    },
    "judgment_basis": {
        "fontName": OBLIQUE,
        "fontSize": 9,
        "leading": 12.5,
        "textColor": MUTED,
        "leftIndent": 22,
        "spaceAfter": 4,
    },
    "cell": {"fontName": REGULAR, "fontSize": 9, "leading": 11.5, "textColor": INK},
    "cell_head": {"fontName": BOLD, "fontSize": 9, "leading": 11.5, "textColor": "#FFFFFF"},
    "chain": {
        "fontName": REGULAR,
        "fontSize": 9,
        "leading": 12,
        "textColor": INK,
        "leftIndent": 12,
        "firstLineIndent": -12,
        "spaceAfter": 1.5,
    },
    "source": {
        "fontName": REGULAR,
        "fontSize": 9,
        "leading": 12.5,
        "textColor": INK,
        "leftIndent": 24,
        "firstLineIndent": -24,
        "spaceAfter": 5,
    },
    "quote": {
        "fontName": OBLIQUE,
        "fontSize": 9.5,
        "leading": 13.5,
        "textColor": INK,
        "leftIndent": 14,
        "borderPadding": (0, 0, 0, 6),
        "spaceAfter": 2,
    },
    "excerpt_head": {
        "fontName": BOLD,
        "fontSize": 9,
        "leading": 12,
        "textColor": ACCENT,
        "spaceBefore": 6,
        "keepWithNext": 1,
    },
    "excerpt_meta": {
        "fontName": REGULAR,
        "fontSize": 9,
        "leading": 11,
        "textColor": MUTED,
        "leftIndent": 14,
        "spaceAfter": 4,
    },
    "gap": {"fontName": OBLIQUE, "fontSize": 9.5, "leading": 13, "textColor": "#8A4B00"},
    "toc1": {"fontName": REGULAR, "fontSize": 10, "leading": 15, "textColor": INK},
}

class TableStyle(TypedDict):
    font: str
    bold: str
    header_bg: str
    stripe: str
    grid: str
    padding: float


TABLE: TableStyle = {
    "font": REGULAR,
    "bold": BOLD,
    "header_bg": TABLE_HEADER_BG,
    "stripe": TABLE_STRIPE,
    "grid": RULE,
    "padding": 4,
}

class GraphicStyle(TypedDict):
    font: str
    bold: str
    row_height: float
    lane_header: float
    date_column: float
    lane_width: float
    size: float
    box_fill: str
    box_stroke: str
    answer_stroke: str
    lane_fill: str
    lane_stroke: str
    max_rows_per_drawing: int
    max_lanes: int


# Timeline graphic
GRAPHIC: GraphicStyle = {
    "font": REGULAR,
    "bold": BOLD,
    "row_height": 30,
    "lane_header": 30,
    "date_column": 50,
    "lane_width": 40,
    "size": 7.5,  # the smallest type in the graphic
    "box_fill": "#EEF3F8",
    "box_stroke": ACCENT,
    "answer_stroke": "#C0392B",
    "lane_fill": "#FAFAFA",
    "lane_stroke": "#DDDDDD",
    "max_rows_per_drawing": 18,
    "max_lanes": 7,  # the most active actors get a lane each, the rest share "Others"
}
