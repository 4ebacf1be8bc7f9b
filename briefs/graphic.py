"""The timeline graphic: events in date order, one lane per actor, and red arrows from an
action to the answers it drew. Drawn with reportlab.graphics in the brief's fonts.

Layout: date | a narrow lane per actor holding a dot | the event's title. Dots keep the
lanes narrow, so titles get the room to be read and arrows run between dots.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefs import pdf_text, styles
from briefs.bidi import FSI, PDI
from briefs.model import TimelineEntry

G = styles.GRAPHIC
OTHERS = "Others"
LINE = 8.5  # leading of the graphic's type


@dataclass(frozen=True)
class Link:
    source: str  # the action's event id
    target: str  # the answer's event id


def timeline_drawings(
    entries: list[TimelineEntry], width: float, max_lanes: int | None = None
) -> list[Drawing]:
    """One drawing per chunk of rows, so a long timeline breaks across pages. Every answer
    arrow is drawn: within a chunk as an arrow, across chunks as a marker on both sides
    naming the answered action (``drawing.arrows``, ``.continued_out``, ``.continued_in``)."""
    if not entries:
        return []
    lanes = _lanes(entries, max_lanes or G["max_lanes"])
    labels, legend = _lane_labels(lanes)
    numbers = {e.event_id: n for n, e in enumerate(entries, start=1)}
    rows = G["max_rows_per_drawing"]
    chunks = [entries[i : i + rows] for i in range(0, len(entries), rows)]
    chunk_of = {e.event_id: k for k, chunk in enumerate(chunks) for e in chunk}
    context = _Context(
        lanes,
        labels,
        numbers,
        chunk_of,
        {e.event_id: e.actor for e in entries},
        {e.event_id: e.responds_to for e in entries if e.responds_to in numbers},
    )
    return [
        _drawing(chunk, context, legend if k == 0 else [], width, k)
        for k, chunk in enumerate(chunks)
    ]


@dataclass(frozen=True)
class _Context:
    """What every chunk of the graphic shares."""

    lanes: list[str]
    labels: list[list[str]]
    numbers: dict[str, int]  # event id → #n
    chunk_of: dict[str, int]  # event id → the drawing it is in
    actors: dict[str, str]  # event id → actor name
    answered: dict[str, str]  # answer's event id → the action's event id


def _lane_x(actor: str, lanes: list[str]) -> float:
    lane = actor if actor in lanes else OTHERS
    return G["date_column"] + lanes.index(lane) * G["lane_width"] + G["lane_width"] / 2


def _lanes(entries: list[TimelineEntry], most: int) -> list[str]:
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.actor] = counts.get(entry.actor, 0) + 1
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    if len(ranked) > most:
        ranked = [*ranked[: most - 1], OTHERS]
    # Lanes left to right in the order the actors first act, Others last.
    first: dict[str, int] = {}
    for index, entry in enumerate(entries):
        first.setdefault(entry.actor, index)
    return sorted(ranked, key=lambda name: (name == OTHERS, first.get(name, 0)))


def _lane_labels(lanes: list[str]) -> tuple[list[list[str]], list[str]]:
    """Each lane's label in up to three lines, never cut: a name that does not fit is
    abbreviated, and the legend gives it in full."""
    bold, size, room = G["bold"], G["size"], G["lane_width"] - 1
    labels, legend = [], []
    for lane in lanes:
        text = lane if lane == OTHERS else pdf_text.one_line(lane)
        words = text.split()
        lines = _wrap(text, bold, size, room, 99)
        if len(lines) <= 3 and all(pdf_text.text_width(w, bold, size) <= room for w in words):
            labels.append(lines)
            continue
        short = _abbreviation(words, bold, size, room)
        labels.append([short])
        legend.append(f"{short} = {text}")
    return labels, legend


def _abbreviation(words: list[str], font: str, size: float, room: float) -> str:
    if len(words) == 1:  # Germany → Germ.
        short = words[0]
        while len(short) > 2 and pdf_text.text_width(short + ".", font, size) > room:
            short = short[:-1]
        return short + "."
    initials = "".join(w[0] for w in words if w[:1].isupper() or w[:1].isdigit())
    short = initials if len(initials) >= 2 else "".join(w[0] for w in words)
    while pdf_text.text_width(short, font, size) > room and len(short) > 1:
        short = short[:-1]
    return short


def _drawing(
    entries: list[TimelineEntry], ctx: _Context, legend: list[str], width: float, chunk: int
) -> Drawing:
    lanes, labels, numbers, chunk_of = ctx.lanes, ctx.labels, ctx.numbers, ctx.chunk_of
    actors, answered = ctx.actors, ctx.answered
    row_h, date_w, lane_w, size = G["row_height"], G["date_column"], G["lane_width"], G["size"]
    font, bold = G["font"], G["bold"]
    head_h = G["lane_header"] + LINE * len(legend)
    edge = 12  # room above and below the rows for continuation markers
    height = head_h + row_h * len(entries) + 2 * edge
    drawing = Drawing(width, height)
    # The renderer starts a drawing in Helvetica (unembedded) unless told otherwise.
    drawing.initialFontName = G["font"]
    title_x = date_w + lane_w * len(lanes) + 8
    title_w = width - title_x
    top_y = height - head_h  # the lanes' top, under their labels
    rows_y = top_y - edge  # rows start below the room for markers
    bottom_y = edge
    stacked: dict[tuple[float, float], int] = {}  # markers already at one lane's edge

    def marker(x: float, y: float, label: str, above: bool) -> None:
        shift = stacked.get((x, y), 0)
        stacked[(x, y)] = shift + 1
        _marker(drawing, x, y, label, above=above, shift=shift)

    for line_no, text in enumerate(legend):
        _add_text(drawing, 0, height - 8 - line_no * LINE, text, font, size,
                  fillColor=HexColor(styles.MUTED))  # fmt: skip
    for i, label in enumerate(labels):
        x = date_w + i * lane_w
        drawing.add(
            Rect(
                x + 1,
                0,
                lane_w - 2,
                top_y + 2,
                fillColor=HexColor(G["lane_fill"]),
                strokeColor=HexColor(G["lane_stroke"]),
                strokeWidth=0.5,
            )
        )
        rtl = pdf_text.is_rtl(lanes[i])
        for line_no, text in enumerate(label):
            _add_text(drawing, x + lane_w / 2, top_y + 4 + (len(label) - 1 - line_no) * LINE,
                      text, bold, size, anchor="middle", rtl=rtl,
                      fillColor=HexColor(styles.ACCENT))  # fmt: skip

    dots: dict[str, tuple[float, float]] = {}
    for row, entry in enumerate(entries):
        mid = rows_y - row * row_h - row_h / 2
        if row % 2:
            drawing.add(Rect(0, mid - row_h / 2, width, row_h, fillColor=HexColor("#000000"),
                             fillOpacity=0.03, strokeColor=None))  # fmt: skip
        dots[entry.event_id] = (_lane_x(entry.actor, lanes), mid)
        _add_text(drawing, 0, mid - 2.5, entry.date_label, font, size,
                  fillColor=HexColor(styles.MUTED))  # fmt: skip
        title = f"#{numbers[entry.event_id]} " + pdf_text.one_line(entry.title)
        rtl = pdf_text.is_rtl(title)
        lines = _wrap(title, bold, size, title_w, 3)
        top = mid - 2.5 + (len(lines) - 1) * LINE / 2
        for line_no, line in enumerate(lines):
            _add_text(drawing, title_x, top - line_no * LINE, line, bold, size, rtl=rtl,
                      fillColor=HexColor(styles.INK))  # fmt: skip

    # What was drawn, for the tests (set past the shape checker, which allows no new names).
    drawing.__dict__.update(arrows=[], continued_out=[], continued_in=[])
    tracks: dict[str, float] = {}
    track_x: dict[str, float] = {}

    def track(source: str, x: float) -> float:
        """Each answered action gets its own vertical track, so arrows from different
        actions in one lane do not merge into a single ambiguous line."""
        if source not in tracks:
            tracks[source] = 5.0 * sum(1 for other in track_x.values() if other == x)
            track_x[source] = x
        return tracks[source]

    for entry in entries:
        source = entry.responds_to
        if source is None or source not in numbers:
            continue
        if source in dots:
            _arrow(drawing, dots[source], dots[entry.event_id], track(source, dots[source][0]))
            drawing.arrows.append(Link(source, entry.event_id))
            continue
        # The action is on another page: a marker at the edge, in the action's lane.
        from_above = chunk_of[source] < chunk
        sx = _lane_x(actors[source], lanes)
        edge_y = rows_y + edge / 2 if from_above else bottom_y - edge / 2
        marker(sx, edge_y, f"#{numbers[source]}", from_above)
        _arrow(drawing, (sx, edge_y), dots[entry.event_id], track(source, sx))
        drawing.continued_in.append(Link(source, entry.event_id))
    for target_id, source_id in answered.items():
        if source_id not in dots or target_id in dots:
            continue
        # The answer is on another page: from the action's dot to the edge, and a marker.
        x, y = dots[source_id]
        downwards = chunk_of[target_id] > chunk
        edge_y = bottom_y - edge / 2 if downwards else rows_y + edge / 2
        drawing.add(Line(x, y, x, edge_y, strokeColor=HexColor(G["answer_stroke"]),
                         strokeWidth=0.9, strokeDashArray=[2, 1.5]))  # fmt: skip
        marker(x, edge_y, f"#{numbers[source_id]}", not downwards)
        drawing.continued_out.append(Link(source_id, target_id))
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


def _marker(
    drawing: Drawing, x: float, y: float, label: str, *, above: bool, shift: int = 0
) -> None:
    """A continuation marker at the drawing's edge: a small red bar and the number of the
    action answered; markers sharing an edge of one lane stack their labels sideways."""
    colour = HexColor(G["answer_stroke"])
    drawing.add(Rect(x - 3.5, y - 1, 7, 2, fillColor=colour, strokeColor=None))
    _add_text(drawing, x + 5 + 20 * shift, y - 2.5, label, G["bold"], G["size"],
              fillColor=colour)  # fmt: skip


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
    **props: object,
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
