"""The closing notice: every run of characters the brief shows as a transliteration or as code
points, with the original code points and where it appears, so a reader can recover the
original text from the workspace."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefs import pdf_text
from briefs.model import Brief
from briefs.styles import Stylesheet

if TYPE_CHECKING:
    from briefs.paragraph import BriefParagraph

NOTICE_KEY = "transliterations"
NOTICE_TITLE = "Characters shown as transliterations"


@dataclass(frozen=True)
class SubstitutedRun:
    shown: str  # ⟦zhong guo⟧ or ⟨U+1F468 U+200D U+1F469⟩
    code_points: str  # U+4E2D U+56FD
    places: tuple[str, ...]  # "title", "excerpt E2 (quote, note)"…


def user_texts(brief: Brief) -> Iterator[tuple[str, str, str]]:
    """``(item, field, text)`` for every user string the brief shows."""
    for field, value in (
        ("title", brief.title),
        ("marking", brief.marking),
        ("author", brief.author),
        ("desk", brief.desk),
        ("distribution", brief.distribution),
        ("bottom line", brief.bottom_line),
        ("outlook", brief.outlook),
    ):
        yield "episode", field, value
    for item in brief.watch:
        yield "what to watch", "", item
    for gap in brief.gaps:
        yield "note on what is missing", "", gap
    for j in brief.judgments:
        yield f"key judgment {j.number}", "", j.text
    for t in brief.timeline:
        item = f"event of {t.date_label}"
        yield item, "title", t.title
        yield item, "summary", t.summary
        yield item, "kind", t.kind
        yield item, "actor", t.actor
        yield item, "target", t.target
        yield item, "legal basis", t.legal_basis
        yield item, "answers", t.responds_to_title
    for number, a in enumerate(brief.actors, start=1):
        item = f"actor {number} of the actors table"
        yield item, "name", a.name
        yield item, "kind", a.kind
        for role in a.roles:
            yield item, "role", role
        for alias in a.aliases:
            yield item, "aliases", alias
    for s in brief.sources:
        item = f"source [{s.number}]"
        yield item, "title", s.title
        yield item, "outlet", s.outlet
        yield item, "published", s.published
        yield item, "address", s.url
    for e in brief.excerpts:
        item = f"excerpt E{e.number}"
        yield item, "quote", e.quote
        yield item, "note", e.note
        yield item, "annotator", e.annotator
        yield item, "document", e.document_title
        yield item, "category", e.category
    for change in brief.changes or []:
        yield "changes since the previous brief", "", change.label


def substituted_runs(brief: Brief) -> list[SubstitutedRun]:
    """Each substituted run once, in the order the brief first shows it, with every place."""
    found: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for item, field, text in user_texts(brief):
        for substitute in pdf_text.substitutes(text):
            _, places = found.setdefault(substitute.original, (substitute.shown, {}))
            fields = places.setdefault(item, [])
            if field and field not in fields:
                fields.append(field)
    return [
        SubstitutedRun(
            shown,
            " ".join(f"U+{ord(c):04X}" for c in original),
            tuple(
                f"{item} ({', '.join(fields)})" if fields else item
                for item, fields in places.items()
            ),
        )
        for original, (shown, places) in found.items()
    ]


def notice_flowables(runs: list[SubstitutedRun], st: Stylesheet) -> list[BriefParagraph]:
    from briefs.paragraph import BriefParagraph

    flow = [
        BriefParagraph(
            "The brief's fonts cannot draw some characters of the text it quotes. Each such "
            "run is shown as a Latin transliteration in ⟦ ⟧, or as its code points in ⟨ ⟩ "
            "where there is none. The originals are listed here by code point; the workspace "
            "holds them unchanged.",
            st["body"],
        )
    ]
    for run in runs:
        places = "; ".join(pdf_text.markup(place) for place in run.places)
        flow.append(
            BriefParagraph(
                f"• {pdf_text.markup(run.shown)} — <b>{run.code_points}</b> — {places}",
                st["source"],
            )
        )
    return flow
