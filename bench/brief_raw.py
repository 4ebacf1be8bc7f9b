"""The raw baseline for the brief rows: plain platypus (SimpleDocTemplate, one build) laying out
the same text with the same embedded DejaVu fonts, registered under other names."""

from __future__ import annotations

import io
from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parents[1] / "resources" / "fonts"
_RAW_FONTS = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique")


def _register_raw_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "RawSans" in pdfmetrics.getRegisteredFontNames():
        return
    names = ("RawSans", "RawSans-Bold", "RawSans-Oblique", "RawSans-BoldOblique")
    for name, file in zip(names, _RAW_FONTS, strict=True):
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / f"{file}.ttf")))
    for (bold, italic), name in zip(((0, 0), (1, 0), (0, 1), (1, 1)), names, strict=True):
        addMapping("RawSans", bold, italic, name)


def raw_pdf(brief) -> bytes:
    """The brief's text as plain platypus, with the brief's type sizes and inline markup:
    paragraphs for judgments, sources and excerpts, striped tables of Paragraph cells for
    timeline, actors and measures, a simple drawing per 18 events. SimpleDocTemplate, one
    ``build`` pass: no TOC (a static list of the section titles instead), no outline, no
    KeepTogether, no page furniture."""
    from xml.sax.saxutils import escape as esc

    from reportlab.graphics.shapes import Circle, Drawing, Rect, String
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    _register_raw_fonts()

    def style(size: float, leading: float, font: str = "RawSans", **kw) -> ParagraphStyle:
        return ParagraphStyle(font, fontName=font, fontSize=size, leading=leading, **kw)

    body = style(10, 14, spaceAfter=6)
    head = style(14, 18, "RawSans-Bold", spaceBefore=14, spaceAfter=6)
    cell = style(8.5, 11)
    small = style(9, 12.5, leftIndent=24, firstLineIndent=-24, spaceAfter=5)
    quote = style(9.5, 13.5, "RawSans-Oblique", leftIndent=14, spaceAfter=2)
    meta = style(8, 11, leftIndent=14, spaceAfter=4)
    width = A4[0] - 40 * mm

    def table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
        cells = [[Paragraph(f"<b>{esc(h)}</b>", cell) for h in header]]
        cells += [[Paragraph(c, cell) for c in row] for row in rows]
        widths[widths.index(None)] = width - sum(w for w in widths if w)
        return Table(
            cells,
            colWidths=widths,
            repeatRows=1,
            hAlign="LEFT",
            style=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, HexColor("#B8B8B8")),
                ("BACKGROUND", (0, 0), (-1, 0), HexColor("#1F4E79")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, HexColor("#F2F5F9")]),
            ],
        )

    def event(t) -> str:
        text = f"<b>{esc(t.title)}</b><br/>{esc(t.summary)}"
        return text + (
            f"<br/><i>Answers: {esc(t.responds_to_title)}</i>" if t.responds_to_title else ""
        )

    story = [
        Paragraph(esc(brief.title), style(20, 25, "RawSans-Bold", spaceAfter=6)),
        table(
            ["Brief", brief.brief_id],
            [
                ["Issued", brief.dtg],
                ["Marking", brief.marking],
                ["Author", esc(brief.author)],
                ["Status", brief.status],
            ],
            [32 * mm, None],
        ),
        Paragraph("Contents", head),
    ]
    story += [Paragraph(esc(s), style(10, 15)) for s in brief.sections]
    story += [
        Paragraph("Bottom line up front", head),
        Paragraph(esc(brief.bottom_line), body),
        Paragraph("Key judgments", head),
    ]
    for j in brief.judgments:
        story += [
            Paragraph(f"<b>{j.number}.</b> {esc(j.text)}", body),
            Paragraph(f"We judge this {j.likelihood}; {j.confidence} confidence.", meta),
        ]
    story.append(Paragraph("Timeline", head))
    story.append(
        table(
            ["Date", "Kind", "Actor → target", "Event", "Sources"],
            [
                [t.date_label, t.kind, esc(f"{t.actor} → {t.target}"), event(t), str(t.excerpts)]
                for t in brief.timeline
            ],
            [20 * mm, 30 * mm, 28 * mm, None, 22 * mm],
        )
    )
    for start in range(0, len(brief.timeline), 18):
        chunk = brief.timeline[start : start + 18]
        d = Drawing(width, 22 + 27 * len(chunk) + 4)
        for row, t in enumerate(chunk):
            y = d.height - 22 - row * 27 - 13
            if row % 2:
                d.add(Rect(0, y - 11, width, 27, fillColor=HexColor("#F7F7F7"), strokeColor=None))
            d.add(String(0, y, t.date_label, fontName="RawSans", fontSize=7))
            d.add(Circle(80, y + 2, 3.6, fillColor=HexColor("#1F4E79")))
            d.add(String(120, y + 4, t.title[:90], fontName="RawSans-Bold", fontSize=6.8))
            d.add(String(120, y - 4, f"{t.kind} → {t.target}", fontName="RawSans", fontSize=6.2))
        story += [Spacer(1, 4), d]
    story += [
        Paragraph("Actors", head),
        table(
            ["Name", "Kind", "Role", "Aliases", "Measures"],
            [
                [
                    f"<b>{esc(a.name)}</b>",
                    a.kind,
                    ", ".join(a.roles),
                    esc(", ".join(a.aliases)),
                    esc("; ".join(a.measures[:4])),
                ]
                for a in brief.actors
            ],
            [34 * mm, 24 * mm, 22 * mm, 42 * mm, None],
        ),
    ]
    story += [
        Paragraph("Measures", head),
        table(
            ["Who → whom", "Kind", "Measure", "Basis", "Date"],
            [
                [esc(f"{m.actor} → {m.target}"), m.kind, event(m), esc(m.legal_basis), m.date_label]
                for m in brief.measures
            ],
            [32 * mm, 30 * mm, None, 34 * mm, 20 * mm],
        ),
    ]
    story += [
        Paragraph("Outlook", head),
        Paragraph(esc(brief.outlook), body),
        Paragraph("Sources", head),
    ]
    story += [
        Paragraph(
            f"[{s.number}] <b>{esc(s.title)}</b>. {esc(s.outlet)}, {s.published}. "
            f"{esc(s.url)}. Grade <b>{s.grade}</b> ({esc(s.grade_text)}).",
            small,
        )
        for s in brief.sources
    ]
    story += [PageBreak(), Paragraph("Annex", head)]
    for e in brief.excerpts:
        story += [
            Paragraph(
                f"<b>E{e.number} · source [{e.source_number}] · {esc(e.category)}</b>",
                style(9, 12, spaceBefore=6),
            ),
            Paragraph(f"“{esc(e.quote)}”", quote),
            Paragraph(
                f"Note: {esc(e.note)} · Document: {esc(e.document_title)} · "
                f"annotated by {esc(e.annotator)}",
                meta,
            ),
        ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=26 * mm,
        bottomMargin=26 * mm,
        invariant=True,
    ).build(story)
    return buffer.getvalue()
