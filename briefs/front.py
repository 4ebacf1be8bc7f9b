"""Page 1 of every format, and the citations every section shares.

Page 1: a compact title block, the bottom line, the key judgments with likelihood, confidence
and its basis, who answered whom (the chain), what to watch, and a one-line source summary.
References point only at sections the brief has: ``[n]`` when Sources is there, else the
outlet and date inline; ``E n`` only when the annex is there. All user text passes ``esc``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from reportlab.platypus import Flowable, KeepTogether, Spacer

from briefs import marking, pdf_text
from briefs.model import Brief, Judgment
from briefs.pageone import chain
from briefs.paragraph import BriefParagraph as Paragraph
from briefs.styles import Stylesheet
from workstation.domain.estimative import likelihood

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Fit:
    """How tight page 1 is drawn: ``chain`` lines at most (None: all), judgments whose
    confidence basis is shown (None: all)."""

    chain: int | None = 8
    bases: int | None = None


# one-page tries these in turn until the brief fits on one page.
ONE_PAGE_FITS = (Fit(6), Fit(4), Fit(2), Fit(1), Fit(1, 3), Fit(1, 1), Fit(1, 0))


def esc(text: str) -> str:
    return pdf_text.markup(text)


def _date(value: str) -> str:
    try:
        parsed = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{parsed.day} {MONTHS[parsed.month - 1]} {parsed.year}"


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def refs(brief: Brief, sources: tuple[int, ...], excerpts: tuple[int, ...] = ()) -> str:
    """Citation markup that points only at what this brief contains."""
    parts = []
    if sources and "sources" in brief.sections:
        parts.append("".join(f"[{n}]" for n in sources))
    elif sources:
        by_number = {s.number: s for s in brief.sources}
        inline = []
        for n in sources:
            s = by_number.get(n)
            if s is not None:
                named = s.outlet or _cut(s.title, 36)
                inline.append(", ".join(filter(None, [named, _date(s.published)])))
        if inline:
            parts.append("(" + "; ".join(esc(i) for i in inline) + ")")
    if excerpts and "annex" in brief.sections:
        parts.append(", ".join(f"E{n}" for n in excerpts))
    return " ".join(parts)


def title_block(brief: Brief, st: Stylesheet) -> list[Flowable]:
    """Title, then one or two muted lines: id, times, byline, status, distribution, marking."""
    items = [
        f"<b>{esc(brief.brief_id)}</b>",
        f"Issued {esc(brief.dtg)}",
        f"Information as of {esc(brief.information_dtg or '—')}",
        f"Author / desk {esc(brief.byline)}",
        f"Status <b>{esc(brief.status)}</b>",
        f"Distribution: {esc(brief.distribution or '—')}",
        f"Marking: <b>{esc(brief.marking)}</b>",
    ]
    flow: list[Flowable] = [
        Paragraph(esc(brief.title), st["title"]),
        Paragraph(" · ".join(items), st["meta"]),
    ]
    allows = marking.meaning(brief.marking)
    if allows:  # recipients are told what the TLP label lets them do
        flow.append(Paragraph(f"<b>{esc(brief.marking)}</b>: {esc(allows)}", st["marking_note"]))
    return flow


def judgment_flowables(brief: Brief, st: Stylesheet, fit: Fit) -> list[Flowable]:
    flow: list[Flowable] = []
    for j in brief.judgments:
        show_basis = fit.bases is None or j.number <= fit.bases
        flow.append(
            KeepTogether(
                [
                    Paragraph(
                        f"<b>{j.number}.</b>\u00a0{esc(j.text)} {refs(brief, j.sources)}",
                        st["judgment"],
                    ),
                    Paragraph(_assessment(brief, j, show_basis), st["judgment_basis"]),
                ]
            )
        )
    return flow


def _assessment(brief: Brief, j: Judgment, show_basis: bool) -> str:
    scale = likelihood(j.likelihood)
    text = (
        f"We judge this {esc(j.likelihood)} ({scale.low}–{scale.high}%). "
        f"We hold this judgment with {esc(j.confidence)} confidence"
    )
    text += f": {esc(j.basis)}." if show_basis and j.basis else "."
    evidence = refs(brief, (), j.excerpts)
    if evidence:
        text += f" Evidence: {evidence}."
    return text


def page_one(
    brief: Brief,
    st: Stylesheet,
    heading: Callable[[str, str, bool], Flowable],
    missing: Callable[[str], list[Flowable]],
    fit: Fit,
) -> list[Flowable]:
    """``heading(title, key, in_toc)`` makes an outlined heading; ``missing(text)`` a gap."""
    flow = [*title_block(brief, st)]
    if "bluf" in brief.sections:
        flow.append(heading("Bottom line up front", "bluf", True))
        if brief.bottom_line:
            flow.append(Paragraph(esc(brief.bottom_line), st["bluf"]))
        else:
            flow += missing("No bottom line has been written yet.")
    if "judgments" in brief.sections:
        flow.append(heading("Key judgments", "judgments", True))
        flow += judgment_flowables(brief, st, fit) or missing(
            "No key judgments have been recorded."
        )
    where = " (see the timeline)" if "timeline" in brief.sections else ""
    lines = chain(brief.timeline, fit.chain, where)
    if lines:
        flow.append(heading("Who answered whom", "chain", False))
        flow += [Paragraph(esc(line), st["chain"]) for line in lines]
    flow.append(heading("What to watch", "watch", False))
    if brief.watch:
        flow += [Paragraph("•\u00a0" + esc(item), st["chain"]) for item in brief.watch]
    else:
        flow += missing("No indicators or decision points to watch have been listed.")
    flow += [Spacer(1, 4), Paragraph(esc(brief.source_summary), st["meta"])]
    if brief.gaps:
        flow += [
            Spacer(1, 3),
            Paragraph(
                "<b>Not yet in this brief:</b> " + " ".join(esc(g) for g in brief.gaps), st["gap"]
            ),
        ]
    return flow
