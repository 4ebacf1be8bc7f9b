"""A brief as plain data: what the PDF says, before any layout. No ReportLab here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
STATUSES = ("DRAFT", "FINAL")


@dataclass(frozen=True)
class BriefOptions:
    marking: str | None = None  # None: the episode's default marking
    status: str = "DRAFT"
    author: str | None = None  # None: the workspace author
    distribution: str = ""
    sections: tuple[str, ...] = SECTIONS
    issued_at: datetime | None = None  # None: the time of the newest content (reproducible)


@dataclass(frozen=True)
class Excerpt:
    number: int  # E1, E2… in the annex
    annotation_id: str
    quote: str
    note: str
    annotator: str
    source_number: int
    document_title: str
    start: int
    end: int
    category: str


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


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    roles: tuple[str, ...]
    aliases: tuple[str, ...]
    measures: tuple[str, ...]  # titles of events that touch this actor


@dataclass(frozen=True)
class Change:
    what: str  # "event" | "judgment" | "source"
    how: str  # "new" | "changed" | "removed"
    label: str


@dataclass
class Brief:
    brief_id: str
    episode_id: str
    title: str
    marking: str
    status: str
    author: str
    distribution: str
    issued_at: datetime
    dtg: str
    bottom_line: str
    outlook: str
    judgments: list[Judgment] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    excerpts: list[Excerpt] = field(default_factory=list)
    changes: list[Change] | None = None  # None: no previous brief to compare with
    previous_brief: str = ""
    sections: tuple[str, ...] = SECTIONS
    gaps: list[str] = field(default_factory=list)  # what is missing, said in the brief
    withheld: list[str] = field(default_factory=list)  # left out as internal, for the composer
    content_hash: str = ""
    signature: str = ""  # content + options: what makes a rebuild the same brief
    manifest: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def measures(self) -> list[TimelineEntry]:
        return [e for e in self.timeline if e.kind in MEASURE_KINDS]


MEASURE_KINDS = ("sanction", "expulsion", "countermeasure", "diplomatic step", "arms control")
