"""A brief as plain data: what the PDF says, before any layout. No ReportLab here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SECTIONS = (
    "bluf",
    "judgments",
    "timeline",
    "actors",
    "measures",
    "outlook",
    "sources",
    "changes",
    "annex",
)
SECTION_TITLES = {
    "bluf": "Bottom line up front",
    "judgments": "Key judgments",
    "timeline": "Timeline of actions and counter-actions",
    "actors": "Actors",
    "measures": "Measures and counter-measures",
    "outlook": "Outlook",
    "sources": "Sources",
    "changes": "Changes since the previous brief",
    "annex": "Annex: evidence excerpts",
}
# What each format shows after page 1 (page 1 — title, bottom line, judgments, chain, what
# to watch, source summary — is the same in all three). one-page is that page alone.
FORMATS = ("one-page", "standard", "full")
FORMAT_SECTIONS = {
    "one-page": ("bluf", "judgments"),
    "standard": ("bluf", "judgments", "timeline", "actors", "outlook", "sources", "changes"),
    "full": SECTIONS,
}
PAGE_ONE = ("bluf", "judgments")  # sections drawn on page 1, not after the contents
STATUSES = ("DRAFT", "FINAL")
AUTHOR_NOT_SET = "(author not set)"  # honest, and never the login name


class BriefError(ValueError):
    """Options or content that cannot make a brief; the message says what."""


@dataclass(frozen=True)
class BriefOptions:
    marking: str | None = None  # None: the episode's default marking
    status: str = "DRAFT"
    author: str | None = None  # None: the ``author_name`` setting; "": say it is not set
    distribution: str = ""
    sections: tuple[str, ...] | None = None  # None: the format's sections
    issued_at: datetime | None = None  # None: now (the same time again gives the same PDF)
    desk: str | None = None  # None: the ``desk`` setting
    format: str = "standard"  # one of FORMATS

    @property
    def chosen_sections(self) -> tuple[str, ...]:
        if self.sections is None:
            return FORMAT_SECTIONS.get(self.format, SECTIONS)
        return self.sections


@dataclass(frozen=True)
class Excerpt:
    number: int  # E1, E2… in the annex
    annotation_id: str
    quote: str
    note: str
    annotator: str
    source_number: int
    document_title: str
    start: int  # offsets stay in the recorded manifest, never on the page
    end: int
    category: str
    paragraph: int = 0  # ¶ of the passage start in the document body (1-based)


@dataclass(frozen=True)
class Source:
    number: int
    document_id: str
    title: str
    outlet: str
    published: str
    url: str
    grade: str  # e.g. "B2"
    grade_text: str


@dataclass(frozen=True)
class Judgment:
    number: int
    text: str
    likelihood: str
    confidence: str
    sources: tuple[int, ...]
    excerpts: tuple[int, ...]
    basis: str = ""  # the evidence behind the confidence: how many sources, grades, outlets
    judgment_id: str = ""  # the record's id: stable across edits, for "changes since"


@dataclass(frozen=True)
class TimelineEntry:
    event_id: str
    date: str  # ISO, for sorting and the graphic
    date_label: str  # shown to its precision
    kind: str
    title: str
    summary: str
    actor: str
    target: str
    legal_basis: str
    responds_to: str | None  # event id
    responds_to_title: str
    sources: tuple[int, ...]
    excerpts: tuple[int, ...]
    precision: str = "day"
    actor_id: str = ""  # entity ids, so a renamed entity is not a change to every event
    target_id: str = ""


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    roles: tuple[str, ...]
    aliases: tuple[str, ...]
    measures: tuple[str, ...]  # titles of events that touch this actor
    entity_id: str = ""


@dataclass(frozen=True)
class Change:
    what: str  # "event" | "judgment" | "source" | "excerpt" | "entity" | "brief"
    how: str  # "new" | "changed" | "removed" | "renamed" | "renumbered" | "note"
    label: str  # the whole line as the brief shows it


@dataclass
class Brief:
    brief_id: str
    episode_id: str
    title: str
    marking: str
    status: str
    author: str  # a display name, or ""
    distribution: str
    issued_at: datetime  # when the brief was issued
    dtg: str  # of issued_at
    bottom_line: str
    outlook: str
    desk: str = ""
    information_as_of: datetime | None = None  # the newest content's time
    information_dtg: str = ""
    language: str = "en"  # BCP 47, for the PDF's /Lang
    judgments: list[Judgment] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    excerpts: list[Excerpt] = field(default_factory=list)
    changes: list[Change] | None = None  # None: no previous brief to compare with
    previous_brief: str = ""
    sections: tuple[str, ...] = SECTIONS
    format: str = "standard"
    watch: list[str] = field(default_factory=list)  # indicators and next decision points
    chain: list[str] = field(default_factory=list)  # who answered whom, a line a thread
    source_summary: str = ""  # "Sources: 6 articles from 4 outlets, graded B2–C3; …"
    gaps: list[str] = field(default_factory=list)  # what is missing, said in the brief
    withheld: list[str] = field(default_factory=list)  # left out as internal, for the composer
    content_hash: str = ""
    signature: str = ""  # content + options: what makes a rebuild the same brief
    manifest: dict[str, Any] = field(default_factory=dict)  # JSON-ready: see briefs.changes

    @property
    def byline(self) -> str:
        """The "Author / desk" line: what was set, or that nothing was."""
        return ", ".join(filter(None, (self.author, self.desk))) or AUTHOR_NOT_SET

    @property
    def measures(self) -> list[TimelineEntry]:
        return [e for e in self.timeline if e.kind in MEASURE_KINDS]


MEASURE_KINDS = ("sanction", "expulsion", "countermeasure", "diplomatic step", "arms control")
