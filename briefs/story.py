"""Brief → platypus story. Every user string passes through ``esc`` (briefs.pdf_text) before
markup, and every paragraph is a BriefParagraph, which draws it in visual order."""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from briefs import pdf_text, styles
from briefs.contents import SectionContents
from briefs.front import Fit, page_one, refs
from briefs.graphic import timeline_drawings
from briefs.model import PAGE_ONE, SECTION_TITLES, Brief, TimelineEntry
from briefs.notice import NOTICE_KEY, NOTICE_TITLE, notice_flowables, substituted_runs
from briefs.paragraph import BriefParagraph as Paragraph
from workstation.domain.document_details import format_published

MM = styles.MM
Stylesheet = styles.Stylesheet


def esc(text: str) -> str:
    """User text → paragraph markup that shows it literally (``<img>``, ``&``, ``<b>``…),
    as the reader window shows it: marks, transliterations, shaped and isolated."""
    return pdf_text.markup(text)


def esc_joined(items: Iterable[str], separator: str) -> str:
    """Several user strings in one line, each isolated, so a right-to-left item does not
    carry the separators along."""
    return separator.join(esc(item) for item in items)


def stylesheet() -> Stylesheet:
    made = {}
    for name, spec in styles.PARAGRAPHS.items():
        spec = dict(spec)
        for key in ("textColor", "backColor", "borderColor"):
            if key in spec:
                spec[key] = HexColor(spec[key])
        made[name] = ParagraphStyle(name, **spec)
    return made


class Heading(Paragraph):
    """A section heading that becomes a TOC line and a PDF outline bookmark."""

    def __init__(self, text: str, key: str, style: ParagraphStyle, *, in_toc: bool = True):
        super().__init__(esc(text), style)
        self.outline_key = key
        self.outline_text = pdf_text.metadata(text)  # a viewer lays the outline out itself
        self.outline_level = 0
        self.in_toc = in_toc


def build_story(brief: Brief, frame_width: float, fit: Fit | None = None) -> list[Flowable]:
    """Page 1 (the same in every format), then — unless one-page — the contents and the
    other sections. ``fit``: how tight page 1 is drawn (one-page tightens it to fit)."""
    st = stylesheet()
    story = page_one_story(brief, fit or Fit(), st)
    if brief.format == "one-page":
        return story
    substituted = substituted_runs(brief)
    rest = [key for key in brief.sections if key not in PAGE_ONE]
    contents = [(SECTION_TITLES[key], key) for key in brief.sections]
    if substituted:
        contents.append((NOTICE_TITLE, NOTICE_KEY))
    story += [
        PageBreak(),
        Heading("Contents", "contents", st["h1"], in_toc=False),
        SectionContents(contents),
    ]
    builders = {
        "timeline": _timeline,
        "actors": _actors,
        "measures": _measures,
        "outlook": _outlook,
        "sources": _sources,
        "changes": _changes,
        "annex": _annex,
    }
    for section in rest:
        if section == "annex":
            story.append(PageBreak())
        else:
            story.append(CondPageBreak(35 * MM))
        story.append(Heading(SECTION_TITLES[section], section, st["h1"]))
        story += builders[section](brief, st, frame_width)
    if substituted:
        story.append(CondPageBreak(35 * MM))
        story.append(Heading(NOTICE_TITLE, NOTICE_KEY, st["h1"]))
        story += notice_flowables(substituted, st)
    return story


def page_one_story(brief: Brief, fit: Fit, st: Stylesheet | None = None) -> list[Flowable]:
    st = st or stylesheet()

    def heading(text: str, key: str, in_toc: bool) -> Heading:
        return Heading(text, key, st["h2"], in_toc=in_toc)

    return page_one(brief, st, heading, lambda text: _missing(text, st), fit)


def page_one_height(brief: Brief, fit: Fit, width: float) -> float:
    """How tall page 1 would be drawn, spaces included (to choose a fit before building)."""
    flowables = list(page_one_story(brief, fit))
    total = 0.0
    while flowables:
        flowable = flowables.pop(0)
        if isinstance(flowable, KeepTogether):  # measured by its content (needs no canvas)
            flowables[:0] = flowable._content
            continue
        total += flowable.wrap(width, 1e6)[1]
        total += flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _missing(text: str, st: Stylesheet) -> list[Flowable]:
    return [Paragraph(esc(text), st["gap"])]


def _cell(text: str, st: Stylesheet, *, bold: bool = False) -> Paragraph:
    return Paragraph(f"<b>{esc(text)}</b>" if bold else esc(text), st["cell"])


def _markup_cell(markup: str, st: Stylesheet) -> Paragraph:
    return Paragraph(markup, st["cell"])


def _table(
    header: list[str], rows: list[list[Flowable]], widths: list[float], st: Stylesheet
) -> Table:
    t = styles.TABLE
    data = [[Paragraph(esc(h), st["cell_head"]) for h in header], *rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands = [
        ("FONT", (0, 0), (-1, -1), t["font"], 9),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(t["header_bg"])),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, HexColor(t["grid"])),
        ("TOPPADDING", (0, 0), (-1, -1), t["padding"]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), t["padding"]),
        ("LEFTPADDING", (0, 0), (-1, -1), t["padding"]),
        ("RIGHTPADDING", (0, 0), (-1, -1), t["padding"]),
    ]
    for row in range(2, len(data), 2):
        commands.append(("BACKGROUND", (0, row), (-1, row), HexColor(t["stripe"])))
    table.setStyle(TableStyle(commands))
    return table


def _event_cell(entry: TimelineEntry, brief: Brief, st: Stylesheet) -> Paragraph:
    numbers = _numbers(brief)
    text = f"<font color='{styles.MUTED}'>{esc(entry.kind)}</font> <b>{esc(entry.title)}</b>"
    if entry.summary:
        text += f"<br/>{esc(entry.summary)}"
    if entry.legal_basis:
        text += f"<br/>Legal basis: {esc(entry.legal_basis)}"
    if entry.responds_to:
        text += f"<br/><i>Answers #{numbers[entry.responds_to]}: {esc(entry.responds_to_title)}</i>"
    return Paragraph(text, st["cell"])


def _numbers(brief: Brief) -> dict[str, int]:
    """Event id → its number in the timeline (#1…), shared by the table, graphic and chain."""
    return {e.event_id: n for n, e in enumerate(brief.timeline, start=1)}


def _timeline(brief: Brief, st: Stylesheet, width: float) -> list[Flowable]:
    """One table (measures folded in: kind and legal basis in the event cell), then the
    graphic of who answered whom, its caption kept with it."""
    if not brief.timeline:
        return _missing("No events have been recorded.", st)
    rows = [
        [
            _cell(f"#{n}", st, bold=True),
            _cell(e.date_label, st),
            _markup_cell(esc_joined((e.actor, e.target), " → "), st),
            _event_cell(e, brief, st),
            _markup_cell(refs(brief, e.sources, e.excerpts) or "—", st),
        ]
        for n, e in enumerate(brief.timeline, start=1)
    ]
    widths = [11 * MM, 21 * MM, 32 * MM, 0.0, 28 * MM]
    widths[3] = width - sum(widths)
    drawings = timeline_drawings(brief.timeline, width)
    caption = Paragraph(
        "Who answered whom: each dot is an action (#n) in its actor's lane; red dots are "
        "answers, and a red arrow runs from an action to the answer it drew. An arrow that "
        "crosses a page ends in a marker naming the action it answers, on both pages.",
        st["meta"],
    )
    # The graphic first (the picture a manager reads), the table with the detail after it.
    flow: list[Flowable] = [KeepTogether([caption, Spacer(1, 4), drawings[0]]), *drawings[1:]]
    flow += [
        Spacer(1, 8),
        _table(["#", "Date", "Actor → target", "Event", "Sources"], rows, widths, st),
    ]
    return flow


def _actors(brief: Brief, st: Stylesheet, width: float) -> list[Flowable]:
    """Who acts or is acted on, and the actions that touch them (by number)."""
    if not brief.actors:
        return _missing("No actors act or are targeted in the episode's events.", st)
    numbers = {e.title: n for n, e in reversed(list(enumerate(brief.timeline, start=1)))}
    rows = [
        [
            _cell(a.name, st, bold=True),
            _cell(a.kind, st),
            _cell(", ".join(a.roles), st),
            _markup_cell(esc_joined(a.aliases[:3], ", ") or "—", st),
            _markup_cell(_listed(tuple(f"#{numbers[t]}" for t in a.measures if t in numbers)), st),
        ]
        for a in brief.actors
    ]
    widths = [40 * MM, 24 * MM, 24 * MM, 0.0, 40 * MM]
    widths[3] = width - sum(widths)
    return [_table(["Name", "Kind", "Role", "Aliases", "Actions touching them"], rows, widths, st)]


def _listed(items: tuple[str, ...], most: int = 12) -> str:
    """A readable cell (markup): the first few items and how many more (the timeline has
    them all)."""
    if not items:
        return "—"
    shown = esc_joined(items[:most], "; ")
    return shown if len(items) <= most else f"{shown}; and {len(items) - most} more"


def _measures(brief: Brief, st: Stylesheet, width: float) -> list[Flowable]:
    measures = brief.measures
    if not measures:
        return _missing("No measures or counter-measures have been recorded.", st)
    rows = [
        [
            _markup_cell(esc_joined((m.actor, m.target), " → "), st),
            _cell(m.kind, st),
            _event_cell(m, brief, st),
            _cell(m.legal_basis or "not recorded", st),
            _cell(m.date_label, st),
        ]
        for m in measures
    ]
    widths = [32 * MM, 30 * MM, 0.0, 34 * MM, 20 * MM]
    widths[2] = width - sum(widths)
    return [_table(["Who → whom", "Kind", "Measure", "Legal basis", "Date"], rows, widths, st)]


def _outlook(brief: Brief, st: Stylesheet, width: float) -> list[Flowable]:
    if not brief.outlook:
        return _missing("No outlook has been written yet.", st)
    return [Paragraph(esc(brief.outlook), st["body"])]


def _sources(brief: Brief, st: Stylesheet, width: float) -> list[Flowable]:
    if not brief.sources:
        return _missing("No releasable evidence is cited, so no sources are listed.", st)
    flow = []
    for s in brief.sources:
        # As a reference is written: outlet, “title”, date; what was never recorded is
        # said, so a reader does not take a missing date for an oversight of the brief.
        outlet = esc(s.outlet) if s.outlet.strip() else "<i>no outlet recorded</i>"
        published = format_published(s.published) if s.published else ""
        when = esc(published) if published else "<i>no date recorded</i>"
        parts = [f"{outlet}, “<b>{esc(s.title)}</b>”, {when}"]
        if s.url:
            parts.append(esc(s.url))
        parts.append(f"Grade <b>{esc(s.grade)}</b> ({esc(s.grade_text)})")
        flow.append(Paragraph(f"[{s.number}]\u00a0\u00a0" + ". ".join(parts) + ".", st["source"]))
    return flow


def _changes(brief: Brief, st: Stylesheet, width: float) -> list[Flowable]:
    if brief.changes is None:
        return [Paragraph("This is the first brief recorded for this episode.", st["body"])]
    if not brief.changes:
        return [
            Paragraph(
                f"No changes in judgments, events, sources, excerpts or names since brief "
                f"{esc(brief.previous_brief)}.",
                st["body"],
            )
        ]
    flow: list[Flowable] = [Paragraph(f"Since brief {esc(brief.previous_brief)}:", st["body"])]
    # Each change is one whole line (see briefs.changes); a note comes first, unbulleted.
    for change in brief.changes:
        bullet = "" if change.how == "note" else "• "
        flow.append(Paragraph(bullet + esc(change.label), st["source"]))
    return flow


def _annex(brief: Brief, st: Stylesheet, width: float) -> list[Flowable]:
    """Each cited passage once, placed by paragraph (its offsets are in the manifest)."""
    if not brief.excerpts:
        return _missing("No releasable passages are cited.", st)
    flow: list[Flowable] = []
    for e in brief.excerpts:
        source = refs(brief, (e.source_number,)) or f"[{e.source_number}]"
        head = f"E{e.number} · source {source} · ¶\u00a0{e.paragraph}" + (
            f" · {esc(e.category)}" if e.category else ""
        )
        meta = [f"Document: {esc(e.document_title)}", f"annotated by {esc(e.annotator)}"]
        if e.note:
            meta.insert(0, f"Note: {esc(e.note)}")
        flow.append(
            KeepTogether(
                [
                    Paragraph(head, st["excerpt_head"]),
                    Paragraph(f"“{esc(e.quote)}”", st["quote"]),
                    Paragraph(" · ".join(meta), st["excerpt_meta"]),
                ]
            )
        )
    return flow
