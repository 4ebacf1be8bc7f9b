"""The timeline graphic: events in date order, one lane per actor, and red arrows from an
action to the answers it drew. Drawn with reportlab.graphics in the brief's fonts.

Layout: date | a narrow lane per actor holding a dot | the event's title. Dots keep the
lanes narrow, so titles get the room to be read and arrows run between dots.
"""

from __future__ import annotations

import itertools

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefs import pdf_text, styles
from briefs.bidi import FSI, PDI
from briefs.model import TimelineEntry

G = styles.GRAPHIC
OTHERS = "Others"


def timeline_drawings(entries: list[TimelineEntry], width: float) -> list[Drawing]:
    """One drawing per chunk of rows, so a long timeline breaks across pages."""
    if not entries:
        return []
    lanes = _lanes(entries)
    rows = G["max_rows_per_drawing"]
    return [_drawing(entries[i : i + rows], lanes, width) for i in range(0, len(entries), rows)]


def _lanes(entries: list[TimelineEntry]) -> list[str]:
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.actor] = counts.get(entry.actor, 0) + 1
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    if len(ranked) > G["max_lanes"]:
        ranked = [*ranked[: G["max_lanes"] - 1], OTHERS]
    # Lanes left to right in the order the actors first act, Others last.
    first = {}
    for index, entry in enumerate(entries):
        first.setdefault(entry.actor, index)
    return sorted(ranked, key=lambda name: (name == OTHERS, first.get(name, 0)))


def _drawing(entries: list[TimelineEntry], lanes: list[str], width: float) -> Drawing:
    row_h, head_h, date_w, lane_w = (
        G["row_height"],
        G["lane_header"],
        G["date_column"],
        G["lane_width"],
    )
    font, bold = G["font"], G["bold"]
    height = head_h + row_h * len(entries) + 4
    drawing = Drawing(width, height)
    # The renderer starts a drawing in Helvetica (unembedded) unless told otherwise.
    drawing.initialFontName = G["font"]
    title_x = date_w + lane_w * len(lanes) + 8
    title_w = width - title_x

    for i, lane in enumerate(lanes):
        x = date_w + i * lane_w
        drawing.add(
            Rect(
                x + 1,
                0,
                lane_w - 2,
                height - head_h + 2,
                fillColor=HexColor(G["lane_fill"]),
                strokeColor=HexColor(G["lane_stroke"]),
                strokeWidth=0.5,
            )
        )
        label = lane if lane == OTHERS else pdf_text.one_line(lane)
        rtl = pdf_text.is_rtl(label)
        for line_no, text in enumerate(_wrap(label, bold, 6.5, lane_w - 4, 2)):
            _add_text(
                drawing,
                x + lane_w / 2,
                height - 9 - line_no * 8,
                text,
                bold,
                6.5,
                anchor="middle",
                rtl=rtl,
                fillColor=HexColor(styles.ACCENT),
            )

    dots: dict[str, tuple[float, float]] = {}
    for row, entry in enumerate(entries):
        mid = height - head_h - row * row_h - row_h / 2
        if row % 2:
            drawing.add(
                Rect(
                    0,
                    mid - row_h / 2,
                    width,
                    row_h,
                    fillColor=HexColor("#000000"),
                    fillOpacity=0.03,
                    strokeColor=None,
                )
            )
        lane = entry.actor if entry.actor in lanes else OTHERS
        x = date_w + lanes.index(lane) * lane_w + lane_w / 2
        dots[entry.event_id] = (x, mid)
        _add_text(
            drawing, 0, mid - 2.5, entry.date_label, font, 7, fillColor=HexColor(styles.MUTED)
        )
        title = pdf_text.one_line(entry.title)
        rtl = pdf_text.is_rtl(title)
        lines = _wrap(title, bold, 6.8, title_w, 2)
        top = mid + 6 if len(lines) == 2 else mid + 2
        for line_no, line in enumerate(lines):
            _add_text(
                drawing,
                title_x,
                top - line_no * 7.5,
                line,
                bold,
                6.8,
                rtl=rtl,
                fillColor=HexColor(styles.INK),
            )
        kind_target = f"{pdf_text.one_line(entry.kind)} → {pdf_text.one_line(entry.target)}"
        _add_text(
            drawing,
            title_x,
            top - len(lines) * 7.5 - 0.5,
            _fit(kind_target, font, 6.2, title_w),
            font,
            6.2,
            fillColor=HexColor(styles.MUTED),
        )

    # Each answered action gets its own vertical track, so arrows from different actions in
    # one lane do not merge into a single ambiguous line.
    tracks: dict[str, float] = {}
    for entry in entries:
        if entry.responds_to in dots and entry.event_id in dots:
            source = entry.responds_to
            if source not in tracks:
                same_lane = sum(1 for s in tracks if dots[s][0] == dots[source][0])
                tracks[source] = 5.0 * same_lane
            _arrow(drawing, dots[source], dots[entry.event_id], tracks[source])
    for event_id, (x, y) in dots.items():
        answer = any(e.event_id == event_id and e.responds_to for e in entries)
        drawing.add(
            Circle(
                x,
                y,
                3.6,
                fillColor=HexColor(G["answer_stroke"] if answer else G["box_stroke"]),
                strokeColor=HexColor("#FFFFFF"),
                strokeWidth=0.8,
            )
        )
    return drawing


def _arrow(
    drawing: Drawing, source: tuple[float, float], target: tuple[float, float], track: float
) -> None:
    """Down from the action's dot (on its own track), then across into the answer's dot."""
    colour = HexColor(G["answer_stroke"])
    (sx, sy), (tx, ty) = source, target
    if abs(sx - tx) < 1:
        points = [(sx, sy), (tx, ty + 4)]
        tip = (tx, ty + 4)
        head = [tip[0], tip[1], tip[0] - 2.5, tip[1] + 4, tip[0] + 2.5, tip[1] + 4]
    else:
        end_x = tx - 4 if tx > sx else tx + 4
        x = sx + track if tx > sx else sx - track
        points = [(sx, sy), (x, sy), (x, ty), (end_x, ty)]
        direction = 1 if tx > sx else -1
        head = [end_x, ty, end_x - 4 * direction, ty + 2.5, end_x - 4 * direction, ty - 2.5]
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        drawing.add(Line(x1, y1, x2, y2, strokeColor=colour, strokeWidth=0.9))
    drawing.add(Polygon(head, fillColor=colour, strokeColor=colour, strokeWidth=0.1))


def _add_text(
    drawing: Drawing,
    x: float,
    y: float,
    line: str,
    face: str,
    size: float,
    *,
    anchor: str = "start",
    rtl: bool | None = None,
    **props,
) -> None:
    """One logical line as Strings: in visual order, one String per run of one face.
    ``rtl``: the direction of the label the line was cut from (a wrapped title's second line
    keeps the title's direction)."""
    runs = pdf_text.visual_runs(line, face, rtl)
    widths = [stringWidth(text, run_face, size) for text, run_face in runs]
    x -= {"start": 0.0, "middle": sum(widths) / 2, "end": sum(widths)}[anchor]
    for (text, run_face), width in zip(runs, widths, strict=True):
        drawing.add(String(x, y, text, fontName=run_face, fontSize=size, **props))
        x += width


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut to ``width`` with "…" (logical order: the cut is at the end of reading)."""
    if pdf_text.text_width(text, font, size) <= width:
        return text
    while text and pdf_text.text_width(text + "…", font, size) > width:
        text = text[:-1]
    return _close_isolates(text.rstrip()) + "…"


def _close_isolates(text: str) -> str:
    """A cut can fall inside an isolated user string: close it, or "…" would join it."""
    return text + PDI * max(0, text.count(FSI) - text.count(PDI))


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines, the last one shortened with …"""
    lines: list[str] = []
    words = text.split()
    current = ""
    while words:
        candidate = f"{current} {words[0]}".strip()
        if pdf_text.text_width(candidate, font, size) <= width or not current:
            current = candidate
            words.pop(0)
        else:
            lines.append(current)
            current = ""
            if len(lines) == max_lines - 1:
                current = " ".join(words)
                words = []
    lines.append(current)
    return [_fit(line, font, size, width) for line in lines[:max_lines]]
