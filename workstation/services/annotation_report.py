"""What an annotation import did, in the lines an officer reads (CLI and GUI alike)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workstation.domain.counts import count_noun
from workstation.domain.records import ChangeSet
from workstation.interchange.errors import InterchangeError

_EXAMPLE_LENGTH = 60
_NAMES = {  # a record table, as a line of the report names it
    "documents": "a document",
    "categories": "a category",
    "annotations": "a passage",
    "entities": "an entity",
    "mentions": "an entity link",
    "episodes": "an episode",
    "events": "an event",
    "evidence": "an event's evidence",
    "judgments": "a judgment",
    "briefs": "a brief",
    "suggestion_rejections": "a rejected suggestion",
    "orphans": "an orphan",
    "assistant_decisions": "an assistant decision",
    "foreign_ids": "another tool's id",
    "relations": "a relation",
}


@dataclass
class AnnotationImportReport:
    path: Path
    format: str = ""  # "w3c" | "ftm"
    placed: int = 0  # at the recorded position
    reanchored: int = 0  # found by quote and context, or approximately
    already: int = 0  # present already (same id, or the same passage)
    mentions: int = 0  # of those placed or re-anchored, mention-only spans (not passages)
    orphans: int = 0
    links: int = 0
    entities_added: int = 0
    entities_matched: int = 0
    entities_updated: int = 0  # of those matched, given names or ids they lacked
    categories_added: int = 0
    replies: int = 0  # W3C replies appended to the note of the passage they answer
    page_notes: int = 0  # W3C page notes appended to their document's note (w3c_page_notes)
    # Per W3C target kept as an orphan: where it is in the file and why (stdout, not errors).
    not_placed: list[str] = field(default_factory=list)
    dropped_tags: list[str] = field(default_factory=list)  # --unknown-tags skip
    skipped: int = 0  # FtM lines of kinds the workspace does not keep (articles, links…)
    # FtM facts beside entities: sanctions as events, relations, addresses attached.
    events_added: int = 0
    events_already: int = 0
    relations_added: int = 0
    relations_already: int = 0
    addresses_attached: int = 0
    # What an FtM import kept nothing of (or only in part) and why, what it made besides
    # entities (sanctioning authorities): notes, not errors.
    ftm_notes: list[str] = field(default_factory=list)
    # Lines that cannot be read, and lines refused (an id naming something else here): each
    # one an error; the exit status is then 1.
    errors: list[InterchangeError] = field(default_factory=list)
    # Records made under a new UUID because the id the file gave was none; the first such id.
    remapped: int = 0
    remapped_example: str = ""
    # Per line, what was kept as a claim only (a time in the future): not errors.
    claims: list[str] = field(default_factory=list)
    # Per line, names (or Wikidata ids) held back from a known entity for the officer to
    # decide: proposals, not errors.
    held: list[str] = field(default_factory=list)
    changes: ChangeSet = field(default_factory=ChangeSet)
    cancelled: bool = False
    progress: Callable[[int], None] | None = field(default=None, repr=False, compare=False)

    def lines(self) -> list[str]:
        """Everything the officer reads: the summary, then errors, then notes."""
        return [self.summary(), *self.error_lines(), *self.note_lines()]

    def summary(self) -> str:
        if self.format == "ftm":
            summary = (
                f"{count_noun(self.entities_added, 'entity', 'entities')} added, "
                f"{self.entities_matched} already known"
                + (
                    f" ({self.entities_updated} given new names or ids)"
                    if self.entities_updated
                    else ""
                )
                + _ftm_facts(self)
                + (f", {count_noun(self.skipped, 'other line')} skipped" if self.skipped else "")
            )
        else:
            passages = count_noun(self.placed + self.reanchored - self.mentions, "passage")
            spans = count_noun(self.mentions, "mention-only span")
            summary = (
                f"{passages} imported"
                + (f" and {spans}" if self.mentions else "")
                + (f" ({self.reanchored} re-anchored by quote)" if self.reanchored else "")
                + (
                    f", {count_noun(self.replies, 'reply', 'replies')} added"
                    if self.replies
                    else ""
                )
                + (
                    f", {count_noun(self.page_notes, 'page note')} added to documents"
                    if self.page_notes
                    else ""
                )
                + f", {self.already} already present, {self.orphans} kept as orphans for review"
                + f", {count_noun(self.links, 'entity link')}"
                + (
                    f", {count_noun(self.entities_added, 'entity', 'entities')} added"
                    if self.entities_added
                    else ""
                )
            )
        if self.cancelled:
            summary += " (cancelled: what was imported before stays)"
        return f"{self.path.name}: {summary}"

    def error_lines(self) -> list[str]:
        """One line per unreadable or refused line (stderr; exit status 1)."""
        return [f"{self.path}: {error}" for error in self.errors]

    def note_lines(self) -> list[str]:
        """What was kept as a claim or held back for review (stdout; not errors)."""
        out = []
        if self.remapped:
            example = self.remapped_example
            if len(example) > _EXAMPLE_LENGTH:
                example = example[: _EXAMPLE_LENGTH - 1] + "…"
            if self.remapped == 1:
                what = f"1 id was not a UUID (“{example}”): given a new UUID, the original"
            else:
                what = (
                    f"{self.remapped} ids were not UUIDs (such as “{example}”): given new "
                    "UUIDs, each original"
                )
            out.append(f"{self.path}: {what} kept beside its record as a claim")
        out += [f"{self.path}: {line}" for line in self.not_placed]
        if self.dropped_tags:
            tags = ", ".join(f"“{tag}”" for tag in self.dropped_tags)
            out.append(f"{self.path}: tags naming no category, not imported: {tags}")
        out += [f"{self.path}: {line}" for line in self.claims]
        out += [f"{self.path}: {line}" for line in self.held]
        out += [f"{self.path}: {line}" for line in self.ftm_notes]
        return out


def _ftm_facts(report: AnnotationImportReport) -> str:
    """ ", 3 sanctions as events (1 already present), 5 relations, 2 addresses attached"."""
    out = ""
    for done, already, noun in (
        (report.events_added, report.events_already, "sanction"),
        (report.relations_added, report.relations_already, "relation"),
    ):
        if done or already:
            out += f", {count_noun(done, noun)}" + (" as events" if noun == "sanction" else "")
            out += f" ({already} already present)" if already else ""
    if report.addresses_attached:
        out += f", {count_noun(report.addresses_attached, 'address', 'addresses')} attached"
    return out


def where_in_file(item: object) -> tuple[int | None, str]:
    line = getattr(item, "line", None)
    number = getattr(item, "item", None)
    if line is not None:
        return line, f"line {line}"
    return None, f"item {number}" if number is not None else "an annotation"


def error_at(line: int | None, where: str, message: str) -> InterchangeError:
    return InterchangeError(line, message if line is not None else f"{where}: {message}")


def record_kind(table: str) -> str:
    return _NAMES.get(table, f"a record of {table}")


def short(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
