"""Workspace → Brief: choose, number and cross-reference what the brief will say.

Internal (non-releasable) passages never enter the Brief, nor do events or judgments that
rest only on them; what was withheld is listed for the composer, never for the PDF.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime

from briefs import issue, pageone
from briefs.changes import diff as diff_changes
from briefs.changes import legacy_key
from briefs.changes import manifest as changes_manifest
from briefs.model import (
    FORMATS,
    SECTIONS,
    STATUSES,
    Actor,
    Brief,
    BriefError,
    BriefOptions,
    Excerpt,
    Judgment,
    Source,
    TimelineEntry,
)
from workstation.domain.dates import format_event_date
from workstation.domain.dtg import format_dtg
from workstation.domain.grades import CREDIBILITY, RELIABILITY, format_grade
from workstation.domain.records import Annotation, Document, Entity, Episode
from workstation.services import Session


def compose_brief(session: Session, episode_ref: str | None, options: BriefOptions) -> Brief:
    episode = session.episodes.resolve(episode_ref)
    if options.status not in STATUSES:
        raise BriefError(f"status must be DRAFT or FINAL, not {options.status!r}")
    if options.format not in FORMATS:
        raise BriefError(f"format must be one of {', '.join(FORMATS)}, not {options.format!r}")
    unknown = set(options.chosen_sections) - set(SECTIONS)
    if unknown:
        raise BriefError(f"unknown sections: {', '.join(sorted(unknown))}")
    return _Composer(session, episode, options).compose()


class _Composer:
    def __init__(self, session: Session, episode: Episode, options: BriefOptions):
        self.s = session
        self.episode = episode
        self.options = options
        self.stamps: list[str] = [episode.updated_at]
        self.withheld: list[str] = []
        self.internal: set[str] = set()
        self.mentions: set[str] = set()  # mention-only spans cited: not passages, not quoted
        self.gaps: list[str] = []
        self._annotations: dict[str, Annotation | None] = {}
        self._documents: dict[str, Document] = {}
        self._entities: dict[str, Entity | None] = {}
        self.categories = {c.id: c.name for c in session.codebook.list_categories()}
        self.source_numbers: dict[str, int] = {}
        self.excerpt_numbers: dict[str, int] = {}

    # -- lookups ----------------------------------------------------------------------------

    def annotation(self, annotation_id: str) -> Annotation | None:
        """A live, releasable passage, or None (deleted, internal, or a mention-only span:
        a link to an entity, not a passage, is never quoted as evidence)."""
        if annotation_id not in self._annotations:
            found = self.s.annotations.find(annotation_id)
            if found is not None and found.mention_only:
                self.mentions.add(annotation_id)
                self._annotations[annotation_id] = None
            elif found is not None and found.releasable:
                self.stamps.append(found.updated_at)
                self._annotations[annotation_id] = found
            else:
                if found is not None:
                    self.internal.add(annotation_id)
                self._annotations[annotation_id] = None
        return self._annotations[annotation_id]

    def document(self, document_id: str) -> Document:
        if document_id not in self._documents:
            doc = self.s.documents.get(document_id)
            self.stamps.append(doc.updated_at)
            self._documents[document_id] = doc
        return self._documents[document_id]

    def entity(self, entity_id: str | None) -> Entity | None:
        if entity_id is None:
            return None
        if entity_id not in self._entities:
            found = self.s.entities.find(entity_id)
            if found is not None:
                self.stamps.append(found.updated_at)
            self._entities[entity_id] = found
        return self._entities[entity_id]

    def cite(self, annotation: Annotation) -> tuple[int, int]:
        """Number the passage's source and the passage itself on first use."""
        if annotation.document_id not in self.source_numbers:
            self.source_numbers[annotation.document_id] = len(self.source_numbers) + 1
        if annotation.id not in self.excerpt_numbers:
            self.excerpt_numbers[annotation.id] = len(self.excerpt_numbers) + 1
        return self.source_numbers[annotation.document_id], self.excerpt_numbers[annotation.id]

    def _cited(self, annotation_ids: list[str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        sources: list[int] = []
        excerpts: list[int] = []
        for annotation_id in annotation_ids:
            annotation = self.annotation(annotation_id)
            if annotation is None:
                continue
            source, excerpt = self.cite(annotation)
            sources.append(source)
            excerpts.append(excerpt)
        return tuple(sorted(set(sources))), tuple(excerpts)

    # -- sections ---------------------------------------------------------------------------

    def compose(self) -> Brief:
        judgments = self._judgments()
        timeline = self._timeline()
        actors = self._actors(timeline)
        sources = self._sources()
        excerpts = self._excerpts()
        issue.check_final(self.options.status, judgments, timeline, sources)
        self._note_gaps(judgments, timeline, sources)
        if self.internal:
            count = len(self.internal)
            self.withheld.append(
                f"{count} internal passage{'s' if count > 1 else ''} cited as evidence"
            )
        if self.mentions:
            count = len(self.mentions)
            self.withheld.append(
                f"{count} mention{'s' if count > 1 else ''} (not a passage) cited as evidence"
            )
        author, desk = issue.byline(self.options)
        brief = Brief(
            brief_id="",
            episode_id=self.episode.id,
            title=self.episode.title,
            marking=issue.marking(self.options, self.episode),
            status=self.options.status,
            author=author,
            desk=desk,
            language=issue.language(self.episode),
            distribution=self.options.distribution.strip(),
            issued_at=datetime(1970, 1, 1, tzinfo=UTC),
            dtg="",
            bottom_line=self.episode.bottom_line.strip(),
            outlook=self.episode.outlook.strip(),
            judgments=judgments,
            timeline=timeline,
            actors=actors,
            sources=sources,
            excerpts=excerpts,
            sections=tuple(s for s in SECTIONS if s in self.options.chosen_sections),
            format=self.options.format,
            watch=[w.strip() for w in self.episode.watch if w.strip()],
            gaps=self.gaps,
            withheld=self.withheld,
        )
        brief.judgments = pageone.with_bases(brief.judgments, brief.sources)
        brief.chain = pageone.chain(brief.timeline)
        brief.source_summary = pageone.source_summary(brief)
        brief.content_hash = content_hash(brief)
        brief.manifest = changes_manifest(brief)
        issued = self.options.issued_at or issue.issue_time()
        brief.issued_at = issued.astimezone(UTC)
        brief.dtg = format_dtg(brief.issued_at)
        brief.information_as_of = _newest(self.stamps)
        brief.information_dtg = format_dtg(brief.information_as_of)
        brief.signature = _signature(brief)
        self._changes_since_previous(brief)
        # The id covers everything the PDF says, the comparison with the previous brief
        # included: two different PDFs never share an id.
        brief.brief_id = (
            "BR-"
            + _digest(
                [brief.signature, brief.previous_brief, [asdict(c) for c in brief.changes or []]]
            )[:8].upper()
        )
        return brief

    def _judgments(self) -> list[Judgment]:
        result: list[Judgment] = []
        for record in self.s.episodes.judgments(self.episode.id):
            self.stamps.append(record.updated_at)
            sources, excerpts = self._cited(record.cited)
            if record.cited and not excerpts:
                self.withheld.append(
                    f"judgment “{_short(record.text)}” rests only on internal or deleted passages"
                )
                continue
            result.append(
                Judgment(
                    len(result) + 1,
                    record.text.strip(),
                    record.likelihood,
                    record.confidence,
                    sources,
                    excerpts,
                    judgment_id=record.id,
                )
            )
        return result

    def _timeline(self) -> list[TimelineEntry]:
        events = self.s.episodes.events(self.episode.id)
        kept = []
        for event in events:
            self.stamps.append(event.updated_at)
            evidence = [e.annotation_id for e in self.s.episodes.evidence_of(event.id)]
            if evidence and not any(self.annotation(a) for a in evidence):
                self.withheld.append(f"event “{event.title}” rests only on internal passages")
                continue
            kept.append((event, evidence))
        titles = {event.id: event.title for event, _ in kept}
        entries = []
        for event, evidence in kept:
            sources, excerpts = self._cited(evidence)
            if not evidence:
                self.gaps.append(f"The event “{event.title}” has no evidence yet.")
            answered = event.responds_to if event.responds_to in titles else None
            entries.append(
                TimelineEntry(
                    event_id=event.id,
                    date=event.date,
                    date_label=format_event_date(event.date, event.precision),
                    kind=event.kind,
                    title=event.title,
                    summary=event.summary,
                    actor=self._name(event.actor_id),
                    target=self._name(event.target_id),
                    legal_basis=event.legal_basis,
                    responds_to=answered,
                    responds_to_title=titles.get(answered, "") if answered else "",
                    sources=sources,
                    excerpts=excerpts,
                    precision=event.precision,
                    actor_id=event.actor_id or "",
                    target_id=event.target_id or "",
                )
            )
        return entries

    def _name(self, entity_id: str | None) -> str:
        entity = self.entity(entity_id)
        return entity.name if entity else "—"

    def _actors(self, timeline: list[TimelineEntry]) -> list[Actor]:
        roles: dict[str, set[str]] = {}
        touches: dict[str, list[str]] = {}
        events = {e.id: e for e in self.s.episodes.events(self.episode.id)}
        for entry in timeline:
            event = events[entry.event_id]
            for entity_id, role in ((event.actor_id, "actor"), (event.target_id, "target")):
                if entity_id:
                    roles.setdefault(entity_id, set()).add(role)
                    touches.setdefault(entity_id, []).append(entry.title)
        # Only who acts or is acted on in the events: everyone merely linked to the evidence
        # would bury them. With no events yet, those the evidence marks as actor or target.
        for annotation_id in [] if timeline else list(self.excerpt_numbers):
            for mention in self.s.entities.mentions_of(annotation_id):
                if mention.role in ("actor", "target"):
                    roles.setdefault(mention.entity_id, set()).add(mention.role)
        actors = []
        for entity_id, entity_roles in roles.items():
            entity = self.entity(entity_id)
            if entity is None:
                continue
            actors.append(
                Actor(
                    entity.name,
                    entity.kind,
                    tuple(sorted(entity_roles)),
                    tuple(entity.aliases),
                    tuple(dict.fromkeys(touches.get(entity_id, []))),
                    entity_id=entity_id,
                )
            )
        actors.sort(key=lambda a: (-len(a.measures), a.name.casefold()))
        return actors

    def _sources(self) -> list[Source]:
        sources = []
        for document_id, number in sorted(self.source_numbers.items(), key=lambda kv: kv[1]):
            doc = self.document(document_id)
            grade = format_grade(doc.reliability, doc.credibility)
            grade_text = (
                f"{RELIABILITY.get(grade[0], '')}; {CREDIBILITY.get(grade[1:], '').lower()}"
            )
            sources.append(
                Source(
                    number,
                    doc.id,
                    doc.title,
                    doc.outlet or "",
                    doc.published or "",
                    doc.url or "",
                    grade,
                    grade_text,
                )
            )
        return sources

    def _excerpts(self) -> list[Excerpt]:
        excerpts = []
        for annotation_id, number in sorted(self.excerpt_numbers.items(), key=lambda kv: kv[1]):
            annotation = self.annotation(annotation_id)
            assert annotation is not None  # only releasable passages are ever numbered
            doc = self.document(annotation.document_id)
            excerpts.append(
                Excerpt(
                    number=number,
                    annotation_id=annotation.id,
                    quote=annotation.exact,
                    note=annotation.note.strip(),
                    annotator=annotation.author,
                    source_number=self.source_numbers[annotation.document_id],
                    document_title=doc.title,
                    start=annotation.start,
                    end=annotation.end,
                    category=self.categories.get(annotation.category_id or "", ""),
                    paragraph=pageone.paragraph_of(doc.body, annotation.start),
                )
            )
        return excerpts

    def _note_gaps(
        self, judgments: list[Judgment], timeline: list[TimelineEntry], sources: list[Source]
    ) -> None:
        if not self.episode.bottom_line.strip():
            self.gaps.append("No bottom line has been written for this episode.")
        if not judgments:
            self.gaps.append("No key judgments have been recorded.")
        if not timeline:
            self.gaps.append("No events have been recorded.")
        if not self.episode.outlook.strip():
            self.gaps.append("No outlook has been written.")
        if not sources:
            self.gaps.append("No releasable evidence is cited, so no sources are listed.")
        for judgment in judgments:
            if not judgment.excerpts:
                self.gaps.append(f"Key judgment {judgment.number} cites no evidence.")

    def _changes_since_previous(self, brief: Brief) -> None:
        # This very brief (same content and options) may already be recorded; comparing
        # with itself would change its own text and break byte-identical rebuilds.
        earlier = [
            b
            for b in self.s.episodes.briefs(self.episode.id)
            if b.options.get("signature") != brief.signature
        ]
        if not earlier:
            return
        previous = max(earlier, key=lambda b: (b.built_at, b.id))
        brief.previous_brief = str(previous.options.get("brief_id", previous.id))
        brief.changes = diff_changes(previous.manifest, brief.manifest, self._withheld(brief))

    def _withheld(self, brief: Brief) -> dict[str, set[str]]:
        """Items still in the episode but left out of this brief (internal): never named."""
        judgments = [
            j
            for j in self.s.episodes.judgments(self.episode.id)
            if j.id not in {k.judgment_id for k in brief.judgments}
        ]
        shown = {t.event_id for t in brief.timeline}
        events = {e.id for e in self.s.episodes.events(self.episode.id)} - shown
        ids = {j.id for j in judgments} | {legacy_key(j.text.strip()) for j in judgments}
        return {"event": events, "judgment": ids}


# -- hashing and diffs ---------------------------------------------------------------------


def _digest(data: object) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()


def content_hash(brief: Brief) -> str:
    """Hash of what the brief says (not how it is marked, dated or addressed)."""
    return _digest(
        {
            "title": brief.title,
            "bottom_line": brief.bottom_line,
            "outlook": brief.outlook,
            "watch": brief.watch,
            "judgments": [asdict(j) for j in brief.judgments],
            "timeline": [asdict(t) for t in brief.timeline],
            "actors": [asdict(a) for a in brief.actors],
            "sources": [asdict(s) for s in brief.sources],
            "excerpts": [asdict(e) for e in brief.excerpts],
        }
    )


def _signature(brief: Brief) -> str:
    """What was asked and from what content: equal for an unchanged rebuild."""
    return _digest(
        [
            brief.episode_id,
            brief.content_hash,
            brief.marking,
            brief.status,
            brief.author,
            brief.desk,
            brief.distribution,
            list(brief.sections),
            brief.format,
            brief.issued_at.isoformat(),
            brief.information_as_of.isoformat() if brief.information_as_of else "",
            brief.language,
        ]
    )


def _newest(stamps: list[str]) -> datetime:
    latest = max((s for s in stamps if s), default="1970-01-01T00:00:00Z")
    return datetime.fromisoformat(latest.replace("Z", "+00:00")).astimezone(UTC)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
