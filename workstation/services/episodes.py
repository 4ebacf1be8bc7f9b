"""Episodes and what a brief is made of: events, their evidence, key judgments."""

from __future__ import annotations

from collections.abc import Set
from typing import Any, TypedDict

from workstation.domain.dates import check_event_date, utc_now_iso
from workstation.domain.estimative import check_confidence, likelihood
from workstation.domain.records import (
    Annotation,
    Brief,
    Entity,
    Episode,
    Event,
    Evidence,
    Judgment,
    Record,
)
from workstation.domain.vocab import EVENT_KINDS
from workstation.services.base import RecordService
from workstation.services.outcome import NotFound, Outcome, ServiceError
from workstation.storage import queries


class _EventFields(TypedDict):
    """An event's checked fields (EpisodeService._event_fields)."""

    date: str
    precision: str
    kind: str
    title: str
    actor_id: str | None
    target_id: str | None
    responds_to: str | None


class _JudgmentFields(TypedDict):
    """A judgment's checked fields (EpisodeService._judgment_fields)."""

    text: str
    likelihood: str
    confidence: str
    cited: list[str]


class EpisodeService(RecordService):
    # -- episodes ---------------------------------------------------------------------------

    def create(
        self, title: str, *, bottom_line: str = "", outlook: str = "", marking: str = "TLP:AMBER"
    ) -> Outcome[Episode]:
        if not title.strip():
            raise ServiceError("an episode needs a title")
        return self._create(
            Episode(title=title.strip(), bottom_line=bottom_line, outlook=outlook, marking=marking)
        )

    def list_episodes(self) -> list[Episode]:
        return list(self.ws.records.where(Episode))

    def get(self, episode_id: str) -> Episode:
        return self._require(Episode, episode_id)

    def resolve(self, title_or_id: str | None) -> Episode:
        """The episode a command means: by id, by title, or the only one there is."""
        episodes = self.list_episodes()
        if title_or_id is None:
            if len(episodes) == 1:
                return episodes[0]
            if not episodes:
                raise NotFound("the workspace has no episode yet")
            names = "; ".join(e.title for e in episodes)
            raise ServiceError(f"several episodes ({names}): name one with --episode")
        wanted = title_or_id.strip().casefold()
        for episode in episodes:
            if episode.id == title_or_id or episode.title.casefold() == wanted:
                return episode
        raise NotFound(f"no episode titled or with id {title_or_id!r}")

    def edit(self, episode_id: str, **fields: Any) -> Outcome[Episode]:
        allowed = {"title", "bottom_line", "outlook", "marking", "watch"}
        if set(fields) - allowed:
            raise ServiceError(f"cannot edit {', '.join(sorted(set(fields) - allowed))}")
        if "title" in fields:
            if not (fields["title"] or "").strip():
                raise ServiceError("an episode needs a title")
            fields["title"] = fields["title"].strip()
        if "watch" in fields:  # one item a line, blank lines dropped
            fields["watch"] = [w.strip() for w in fields["watch"] or [] if w and w.strip()]
        return self._edit(Episode, episode_id, **fields)

    def delete(self, episode_id: str) -> Outcome[Episode]:
        return self._delete(Episode, episode_id)

    def _delete_dependents(self, record: Record) -> None:
        if isinstance(record, Episode):
            for event_id in queries.live_children(self.ws, "events", "episode_id", record.id):
                self._tombstone_event(event_id)
            for judgment_id in queries.live_children(self.ws, "judgments", "episode_id", record.id):
                judgment = self.ws.records.get(Judgment, judgment_id)
                if judgment is not None:
                    self.ws.records.tombstone(judgment)
        elif isinstance(record, Event):
            for evidence_id in queries.live_children(self.ws, "evidence", "event_id", record.id):
                evidence = self.ws.records.get(Evidence, evidence_id)
                if evidence is not None:
                    self.ws.records.tombstone(evidence)
            # Answers to a deleted event lose the link, not their existence.
            for answer in self.ws.records.where(Event, {"responds_to": record.id}):
                self.ws.records.update(answer, responds_to=None)

    def _tombstone_event(self, event_id: str) -> None:
        event = self.ws.records.get(Event, event_id)
        if event is not None:
            self._delete_dependents(event)
            self.ws.records.tombstone(event)

    # -- events -----------------------------------------------------------------------------

    def add_event(
        self,
        episode_id: str,
        *,
        date: str,
        precision: str = "day",
        kind: str = "other",
        title: str,
        summary: str = "",
        actor_id: str | None = None,
        target_id: str | None = None,
        responds_to: str | None = None,
        legal_basis: str = "",
        evidence: list[str] | None = None,
    ) -> Outcome[Event]:
        self.get(episode_id)
        fields = self._event_fields(
            episode_id,
            None,
            date=date,
            precision=precision,
            kind=kind,
            title=title,
            actor_id=actor_id,
            target_id=target_id,
            responds_to=responds_to,
        )
        with self.ws.transaction() as changes:
            event = self.ws.records.insert(
                Event(episode_id=episode_id, summary=summary, legal_basis=legal_basis, **fields)
            )
            for annotation_id in evidence or []:
                self._insert_evidence(event.id, annotation_id)
        return Outcome(event, changes)

    def events(self, episode_id: str) -> list[Event]:
        return list(
            self.ws.records.where(Event, {"episode_id": episode_id}, order_by="date, created_at")
        )

    def edit_event(self, event_id: str, **fields: Any) -> Outcome[Event]:
        allowed = {
            "date",
            "precision",
            "kind",
            "title",
            "summary",
            "actor_id",
            "target_id",
            "responds_to",
            "legal_basis",
        }
        if set(fields) - allowed:
            raise ServiceError(f"cannot edit {', '.join(sorted(set(fields) - allowed))}")
        current = self._require(Event, event_id)
        merged = {
            k: getattr(current, k)
            for k in ("date", "precision", "kind", "title", "actor_id", "target_id", "responds_to")
        }
        merged.update({k: v for k, v in fields.items() if k in merged})
        checked = self._event_fields(current.episode_id, event_id, **merged)
        fields.update({k: v for k, v in checked.items() if k in fields})
        return self._edit(Event, event_id, **fields)

    def delete_event(self, event_id: str) -> Outcome[Event]:
        return self._delete(Event, event_id)

    def add_evidence(self, event_id: str, annotation_id: str) -> Outcome[Evidence]:
        self._require(Event, event_id)
        with self.ws.transaction() as changes:
            evidence = self._insert_evidence(event_id, annotation_id)
        return Outcome(evidence, changes)

    def remove_evidence(self, evidence_id: str) -> Outcome[Evidence]:
        return self._delete(Evidence, evidence_id)

    def evidence_of(self, event_id: str) -> list[Evidence]:
        return list(self.ws.records.where(Evidence, {"event_id": event_id}))

    def _insert_evidence(self, event_id: str, annotation_id: str) -> Evidence:
        self._require_passage(annotation_id)
        if any(e.annotation_id == annotation_id for e in self.evidence_of(event_id)):
            raise ServiceError("that passage is already evidence for this event")
        return self.ws.records.insert(Evidence(event_id=event_id, annotation_id=annotation_id))

    def _event_fields(
        self,
        episode_id: str,
        event_id: str | None,
        *,
        date: str,
        precision: str,
        kind: str,
        title: str,
        actor_id: str | None,
        target_id: str | None,
        responds_to: str | None,
    ) -> _EventFields:
        try:
            date = check_event_date(date, precision)
        except ValueError as exc:
            raise ServiceError(str(exc)) from exc
        if kind not in EVENT_KINDS:
            raise ServiceError(f"kind must be one of {', '.join(EVENT_KINDS)}, not {kind!r}")
        if not title.strip():
            raise ServiceError("an event needs a title")
        for entity_id in (actor_id, target_id):
            if entity_id is not None:
                self._require(Entity, entity_id)
        if responds_to is not None:
            self._check_answer_chain(episode_id, event_id, responds_to)
        return {
            "date": date,
            "precision": precision,
            "kind": kind,
            "title": title.strip(),
            "actor_id": actor_id,
            "target_id": target_id,
            "responds_to": responds_to,
        }

    def _check_answer_chain(self, episode_id: str, event_id: str | None, responds_to: str) -> None:
        seen = {event_id} if event_id else set()
        cursor: str | None = responds_to
        while cursor is not None:
            if cursor in seen:
                raise ServiceError("an event cannot answer itself, directly or through others")
            seen.add(cursor)
            answered = self._require(Event, cursor)
            if answered.episode_id != episode_id:
                raise ServiceError("an event can only answer an event of the same episode")
            cursor = answered.responds_to

    # -- judgments --------------------------------------------------------------------------

    def add_judgment(
        self,
        episode_id: str,
        *,
        text: str,
        likelihood_term: str,
        confidence: str,
        cited: list[str] | None = None,
    ) -> Outcome[Judgment]:
        self.get(episode_id)
        fields = self._judgment_fields(
            text=text, likelihood=likelihood_term, confidence=confidence, cited=cited or []
        )
        position = max((j.position for j in self.judgments(episode_id)), default=-1) + 1
        return self._create(Judgment(episode_id=episode_id, position=position, **fields))

    def judgments(self, episode_id: str) -> list[Judgment]:
        return list(
            self.ws.records.where(Judgment, {"episode_id": episode_id}, order_by="position")
        )

    def edit_judgment(self, judgment_id: str, **fields: Any) -> Outcome[Judgment]:
        allowed = {"text", "likelihood", "confidence", "cited", "position"}
        if set(fields) - allowed:
            raise ServiceError(f"cannot edit {', '.join(sorted(set(fields) - allowed))}")
        current = self._require(Judgment, judgment_id)
        # Citations already there stay acceptable even if their passage was deleted since:
        # only newly cited passages must exist (the brief skips the deleted ones).
        checked = self._judgment_fields(
            text=fields.get("text", current.text),
            likelihood=fields.get("likelihood", current.likelihood),
            confidence=fields.get("confidence", current.confidence),
            cited=fields.get("cited", current.cited),
            known=set(current.cited),
        )
        fields.update({k: v for k, v in checked.items() if k in fields})
        return self._edit(Judgment, judgment_id, **fields)

    def delete_judgment(self, judgment_id: str) -> Outcome[Judgment]:
        return self._delete(Judgment, judgment_id)

    def move_judgment(self, judgment_id: str, new_position: int) -> Outcome[Judgment]:
        """Put the judgment at ``new_position`` among its episode's and renumber them all,
        in one transaction (``episode_editor.move_judgment``)."""
        from workstation.services.episode_editor import move_judgment

        return move_judgment(self.session, judgment_id, new_position)

    def _require_passage(self, annotation_id: str) -> Annotation:
        """A live passage: a mention-only span (a link to an entity, m012) is no evidence
        until the officer makes it a passage."""
        annotation = self._require(Annotation, annotation_id)
        if annotation.mention_only:
            raise ServiceError(
                f"“{annotation.exact[:40]}” is a mention, not a passage: make it a passage "
                "(give it a category) before citing it"
            )
        return annotation

    def _judgment_fields(
        self,
        *,
        text: str,
        likelihood: str,
        confidence: str,
        cited: list[str],
        known: Set[str] = frozenset(),
    ) -> _JudgmentFields:
        if not text.strip():
            raise ServiceError("a judgment needs text")
        try:
            term = likelihood_of(likelihood)
            level = check_confidence(confidence)
        except ValueError as exc:
            raise ServiceError(str(exc)) from exc
        for annotation_id in cited:
            if annotation_id not in known:
                self._require_passage(annotation_id)
        return {
            "text": text.strip(),
            "likelihood": term,
            "confidence": level,
            "cited": list(dict.fromkeys(cited)),
        }

    # -- briefs built from the episode ------------------------------------------------------

    def record_brief(
        self,
        episode_id: str,
        *,
        options: dict[str, Any],
        content_hash: str,
        pdf_hash: str,
        manifest: dict[str, Any] | None = None,
    ) -> Outcome[Brief]:
        """Remember that a brief was built, from what content, so the next can say what
        changed since."""
        self.get(episode_id)
        return self._create(
            Brief(
                episode_id=episode_id,
                built_at=utc_now_iso(),
                options=dict(options),
                content_hash=content_hash,
                pdf_hash=pdf_hash,
                manifest=dict(manifest or {}),
            )
        )

    def briefs(self, episode_id: str) -> list[Brief]:
        return list(self.ws.records.where(Brief, {"episode_id": episode_id}))


def likelihood_of(term: str) -> str:
    return likelihood(term).term
