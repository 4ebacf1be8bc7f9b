"""Brief → platypus story. Every user string passes through ``esc`` (briefs.pdf_text) before
markup, and every paragraph is a BriefParagraph, which draws it in visual order."""

from __future__ import annotations

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
from briefs.graphic import timeline_drawings
from briefs.model import SECTION_TITLES, Brief, TimelineEntry
from briefs.notice import NOTICE_KEY, NOTICE_TITLE, notice_flowables, substituted_runs
from briefs.paragraph import BriefParagraph as Paragraph
from workstation.domain.estimative import likelihood

MM = styles.MM


def esc(text: str) -> str:
    """User text → paragraph markup that shows it literally (``<img>``, ``&``, ``<b>``…),
    as the reader window shows it: marks, transliterations, shaped and isolated."""
    return pdf_text.markup(text)


def esc_joined(items, separator: str) -> str:
    """Several user strings in one line, each isolated, so a right-to-left item does not
    carry the separators along."""
    return separator.join(esc(item) for item in items)


def stylesheet() -> dict[str, ParagraphStyle]:
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


def build_story(brief: Brief, frame_width: float) -> list[Flowable]:
    st = stylesheet()
    story: list[Flowable] = [*_title_block(brief, st)]
    substituted = substituted_runs(brief)
    contents = [(SECTION_TITLES[key], key) for key in brief.sections]
    if substituted:
        contents.append((NOTICE_TITLE, NOTICE_KEY))
    toc = SectionContents(contents)
    story += [Heading("Contents", "contents", st["h1"], in_toc=False), toc]
    if brief.gaps:
        story += [
            Spacer(1, 4),
            Paragraph(
                "<b>Not yet in this brief:</b> " + " ".join(esc(g) for g in brief.gaps), st["gap"]
            ),
        ]
    builders = {
        "bluf": _bluf,
        "judgments": _judgments,
        "timeline": _timeline,
        "actors": _actors,
        "measures": _measures,
        "outlook": _outlook,
        "sources": _sources,
        "changes": _changes,
        "annex": _annex,
    }
    for section in brief.sections:
        if section == "annex":
            story.append(PageBreak())
        else:
            story.append(CondPageBreak(60 * MM if section == "timeline" else 35 * MM))
        story.append(Heading(SECTION_TITLES[section], section, st["h1"]))
        story += builders[section](brief, st, frame_width)
    if substituted:
        story.append(CondPageBreak(35 * MM))
        story.append(Heading(NOTICE_TITLE, NOTICE_KEY, st["h1"]))
        story += notice_flowables(substituted, st)
    return story


def _title_block(brief: Brief, st) -> list[Flowable]:
    rows = [
        ("Brief", brief.brief_id),
        ("Issued", brief.dtg),
        ("Author / desk", brief.author or "—"),
        ("Status", brief.status),
        ("Distribution", brief.distribution or "—"),
        ("Marking", brief.marking),
    ]
    table = Table(
        [
            [Paragraph(f"<b>{esc(k)}</b>", st["meta"]), Paragraph(esc(v), st["meta"])]
            for k, v in rows
        ],
        colWidths=[32 * MM, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), styles.TABLE["font"], 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, -1), (-1, -1), 0.6, HexColor(styles.ACCENT)),
            ]
        )
    )
    return [Paragraph(esc(brief.title), st["title"]), table, Spacer(1, 6)]


def _missing(text: str, st) -> list[Flowable]:
    return [Paragraph(esc(text), st["gap"])]


def _bluf(brief: Brief, st, width) -> list[Flowable]:
    if not brief.bottom_line:
        return _missing("No bottom line has been written yet.", st)
    return [Paragraph(esc(brief.bottom_line), st["bluf"])]


def _refs(sources: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in sources)


def _excerpt_refs(excerpts: tuple[int, ...]) -> str:
    return ", ".join(f"E{n}" for n in excerpts)


def _judgments(brief: Brief, st, width) -> list[Flowable]:
    if not brief.judgments:
        return _missing("No key judgments have been recorded.", st)
    flow: list[Flowable] = []
    for j in brief.judgments:
        scale = likelihood(j.likelihood)
        basis = (
            f"We judge this {esc(j.likelihood)} ({scale.low}–{scale.high}%). "
            f"We hold this judgment with {esc(j.confidence)} confidence."
        )
        if j.excerpts:
            basis += f" Evidence: {_excerpt_refs(j.excerpts)}."
        flow.append(
            KeepTogether(
                [
                    Paragraph(
                        f"<b>{j.number}.</b>\u00a0{esc(j.text)} {_refs(j.sources)}", st["judgment"]
                    ),
                    Paragraph(basis, st["judgment_basis"]),
                ]
            )
        )
    return flow


def _cell(text: str, st, *, bold: bool = False) -> Paragraph:
    return Paragraph(f"<b>{esc(text)}</b>" if bold else esc(text), st["cell"])


def _markup_cell(markup: str, st) -> Paragraph:
    return Paragraph(markup, st["cell"])


def _table(header: list[str], rows: list[list[Flowable]], widths: list[float], st) -> Table:
    t = styles.TABLE
    data = [[Paragraph(esc(h), st["cell_head"]) for h in header], *rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands = [
        ("FONT", (0, 0), (-1, -1), t["font"], 8.5),
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


def _event_cell(entry: TimelineEntry, st) -> Paragraph:
    text = f"<b>{esc(entry.title)}</b>"
    if entry.summary:
        text += f"<br/>{esc(entry.summary)}"
    if entry.responds_to_title:
        text += f"<br/><i>Answers: {esc(entry.responds_to_title)}</i>"
    return Paragraph(text, st["cell"])


def _timeline(brief: Brief, st, width) -> list[Flowable]:
    if not brief.timeline:
        return _missing("No events have been recorded.", st)
    rows = [
        [
            _cell(e.date_label, st),
            _cell(e.kind, st),
            _markup_cell(esc_joined((e.actor, e.target), " → "), st),
            _event_cell(e, st),
            _cell(" ".join(filter(None, [_refs(e.sources), _excerpt_refs(e.excerpts)])), st),
        ]
        for e in brief.timeline
    ]
    widths = [20 * MM, 30 * MM, 28 * MM, None, 22 * MM]
    widths[3] = width - sum(w for w in widths if w)
    flow: list[Flowable] = [
        _table(["Date", "Kind", "Actor → target", "Event", "Sources"], rows, widths, st),
        Spacer(1, 8),
        Paragraph(
            "Who answered whom: each dot is an action in its actor's lane; red dots are "
            "answers, and a red arrow runs from an action to the answer it drew.",
            st["meta"],
        ),
        Spacer(1, 4),
    ]
    flow += timeline_drawings(brief.timeline, width)
    return flow


def _actors(brief: Brief, st, width) -> list[Flowable]:
    if not brief.actors:
        return _missing("No actors are linked to the episode's events or evidence.", st)
    rows = [
        [
            _cell(a.name, st, bold=True),
            _cell(a.kind, st),
            _cell(", ".join(a.roles), st),
            _markup_cell(esc_joined(a.aliases, ", ") or "—", st),
            _markup_cell(_listed(a.measures), st),
        ]
        for a in brief.actors
    ]
    widths = [34 * MM, 24 * MM, 22 * MM, 42 * MM, None]
    widths[4] = width - sum(w for w in widths if w)
    return [_table(["Name", "Kind", "Role", "Aliases", "Measures touching them"], rows, widths, st)]


def _listed(items: tuple[str, ...], most: int = 3) -> str:
    """A readable cell (markup): the first few items and how many more (the timeline has
    them all)."""
    if not items:
        return "—"
    shown = esc_joined(items[:most], "; ")
    return shown if len(items) <= most else f"{shown}; and {len(items) - most} more"


def _measures(brief: Brief, st, width) -> list[Flowable]:
    measures = brief.measures
    if not measures:
        return _missing("No measures or counter-measures have been recorded.", st)
    rows = [
        [
            _markup_cell(esc_joined((m.actor, m.target), " → "), st),
            _cell(m.kind, st),
            _event_cell(m, st),
            _cell(m.legal_basis or "not recorded", st),
            _cell(m.date_label, st),
        ]
        for m in measures
    ]
    widths = [32 * MM, 30 * MM, None, 34 * MM, 20 * MM]
    widths[2] = width - sum(w for w in widths if w)
    return [_table(["Who → whom", "Kind", "Measure", "Legal basis", "Date"], rows, widths, st)]


def _outlook(brief: Brief, st, width) -> list[Flowable]:
    if not brief.outlook:
        return _missing("No outlook has been written yet.", st)
    return [Paragraph(esc(brief.outlook), st["body"])]


def _sources(brief: Brief, st, width) -> list[Flowable]:
    if not brief.sources:
        return _missing("No releasable evidence is cited, so no sources are listed.", st)
    flow = []
    for s in brief.sources:
        parts = [f"<b>{esc(s.title)}</b>"]
        details = esc_joined(filter(None, [s.outlet, s.published]), ", ")
        if details:
            parts.append(details)
        if s.url:
            parts.append(esc(s.url))
        parts.append(f"Grade <b>{esc(s.grade)}</b> ({esc(s.grade_text)})")
        flow.append(Paragraph(f"[{s.number}]\u00a0\u00a0" + ". ".join(parts) + ".", st["source"]))
    return flow


def _changes(brief: Brief, st, width) -> list[Flowable]:
    if brief.changes is None:
        return [Paragraph("This is the first brief recorded for this episode.", st["body"])]
    if not brief.changes:
        return [
            Paragraph(
                f"No changes in events, judgments or sources since brief "
                f"{esc(brief.previous_brief)}.",
                st["body"],
            )
        ]
    flow: list[Flowable] = [Paragraph(f"Since brief {esc(brief.previous_brief)}:", st["body"])]
    removed: dict[str, int] = {}
    for change in brief.changes:
        if change.how == "removed":
            removed[change.what] = removed.get(change.what, 0) + 1
            continue
        flow.append(
            Paragraph(
                f"• <b>{esc(change.how.capitalize())} {esc(change.what)}</b>: {esc(change.label)}",
                st["source"],
            )
        )
    for what, count in removed.items():
        noun = what if count == 1 else f"{what}s"
        flow.append(
            Paragraph(
                f"• <b>{count} {noun}</b> no longer in this brief "
                "(deleted, or withheld as internal).",
                st["source"],
            )
        )
    return flow


def _annex(brief: Brief, st, width) -> list[Flowable]:
    if not brief.excerpts:
        return _missing("No releasable passages are cited.", st)
    flow: list[Flowable] = []
    for e in brief.excerpts:
        head = f"E{e.number} · source [{e.source_number}] · characters {e.start}–{e.end}" + (
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
