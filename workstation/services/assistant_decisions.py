"""Accepting and rejecting the assistant's proposals (issue 16), each in one transaction
together with the ``AssistantDecision`` it teaches from: one undo takes back both the
entity, passage or event and what the assistant learnt from it.

- A name: accepted as a new entity (its proposed kind, or the officer's; the name as
  proposed; the words as written and the other script's spelling as aliases) linked where
  it stands, or merged into an existing entity (the words become an alias), or rejected
  (never proposed again, anywhere in the workspace).
- A passage: accepted as a passage of its category (or the officer's), or rejected.
- An event: accepted with the fields the officer confirmed in the event form (the draft is
  never saved as it stands without that), or rejected.
"""

from __future__ import annotations

from typing import Any

from workstation.domain.assistant import Proposal
from workstation.domain.records import (
    Annotation,
    AssistantDecision,
    Category,
    ChangeSet,
    Document,
    Entity,
    Event,
)
from workstation.services.base import RecordService
from workstation.services.outcome import Outcome, ServiceError


class AssistantDecisions(RecordService):
    def accept_name(
        self, proposal: Proposal, *, kind: str | None = None, name: str | None = None
    ) -> Outcome[Entity]:
        """Create the entity and link it where the name stands."""
        self._expect(proposal, "name")
        kind = kind or proposal.entity_kind or "Person"
        name = (name or proposal.normal or proposal.text).strip()
        aliases = [a for a in (proposal.text, proposal.counterpart) if a and a.strip() != name]
        with self.ws.transaction() as changes:
            self._check(proposal)
            entity = self.session.entities.create(
                kind, name, aliases=list(dict.fromkeys(aliases))
            ).record
            self._link(proposal, entity.id)
            self._decide(proposal, "accepted", label=kind, entity_id=entity.id)
        return Outcome(entity, changes)

    def merge_name(self, proposal: Proposal, entity_id: str) -> Outcome[Entity]:
        """Link the name to an existing entity; its words (and the proposed name and its
        counterpart) become aliases where the entity lacks them."""
        self._expect(proposal, "name")
        with self.ws.transaction() as changes:
            self._check(proposal)
            entity = self._require(Entity, entity_id)
            known = {entity.name.casefold(), *(a.casefold() for a in entity.aliases)}
            for written in (proposal.text, proposal.normal, proposal.counterpart):
                if written and written.strip() and written.casefold() not in known:
                    entity = self.session.entities.add_alias(entity_id, written).record
                    known.add(written.casefold())
            self._link(proposal, entity_id)
            self._decide(proposal, "accepted", label=entity.kind, entity_id=entity_id)
        return Outcome(entity, changes)

    def accept_passage(
        self, proposal: Proposal, *, category_id: str | None = None
    ) -> Outcome[Annotation]:
        """Mark the sentence as a passage of the proposed category (or ``category_id``)."""
        self._expect(proposal, "passage")
        category_id = category_id or proposal.category_id
        if category_id is None:
            raise ServiceError(f"the category {proposal.category!r} no longer exists")
        with self.ws.transaction() as changes:
            self._check(proposal)
            passage = self.session.annotations.create(
                proposal.document_id, proposal.start, proposal.end, category_id=category_id
            ).record
            category = self._require(Category, category_id).name
            self._decide(
                proposal, "accepted", label=category, annotation_id=passage.id,
                category_id=category_id,
            )  # fmt: skip
        return Outcome(passage, changes)

    def accept_event(self, proposal: Proposal, **fields: Any) -> Outcome[Event]:
        """Create the event the officer confirmed (``fields`` as ``episodes.add_event``
        takes them; the draft fills what they leave out), with the passage as evidence."""
        self._expect(proposal, "event")
        draft = proposal.draft
        if draft is None or proposal.episode_id is None or proposal.passage_id is None:
            raise ServiceError("this event proposal carries no draft")
        values: dict[str, Any] = {
            "date": draft.date,
            "precision": draft.precision,
            "kind": draft.kind,
            "title": draft.title,
            "actor_id": draft.actor_id,
            "target_id": draft.target_id,
            "responds_to": draft.responds_to,
            "evidence": [proposal.passage_id],
        }
        values.update(fields)
        if not values.get("date"):
            raise ServiceError("an event needs a date")
        episode_id = values.pop("episode_id", proposal.episode_id)
        with self.ws.transaction() as changes:
            self._require(Annotation, proposal.passage_id)
            event = self.session.episodes.add_event(episode_id, **values).record
            self._decide(proposal, "accepted", label=event.kind, event_id=event.id)
        return Outcome(event, changes)

    def reject_proposal(self, proposal: Proposal) -> Outcome[AssistantDecision]:
        """Remember that the officer turned this proposal down: not proposed again, and the
        models learn from it."""
        with self.ws.transaction() as changes:
            self._check(proposal)
            label = proposal.entity_kind or proposal.category or ""
            if proposal.draft is not None:
                label = proposal.draft.kind
            decision = self._decide(proposal, "rejected", label=label)
        return Outcome(decision, changes)

    def accept_proposals(self, proposals: list[Proposal]) -> ChangeSet:
        """Accept names and passages as proposed, in one transaction (one undo). Events need
        the officer's confirmation in the form and are refused here."""
        with self.ws.transaction() as changes:
            for proposal in proposals:
                if proposal.kind == "name":
                    self.accept_name(proposal)
                elif proposal.kind == "passage":
                    self.accept_passage(proposal)
                else:
                    raise ServiceError("events are confirmed one by one in the event form")
        return changes

    # -- shared -----------------------------------------------------------------------------

    @staticmethod
    def _expect(proposal: Proposal, kind: str) -> None:
        if proposal.kind != kind:
            raise ServiceError(f"expected a {kind} proposal, got a {proposal.kind} one")

    def _check(self, proposal: Proposal) -> None:
        document = self._require(Document, proposal.document_id)
        if document.body[proposal.start : proposal.end] != proposal.text:
            raise ServiceError(
                f"“{proposal.text[:60]}” is not at {proposal.start}–{proposal.end} "
                "of that document any more"
            )

    def _link(self, proposal: Proposal, entity_id: str) -> None:
        """Link the entity where the name stands: to a passage of exactly that span, else to a
        new mention-only span (not a passage, not counted as one)."""
        same = [
            a
            for a in self.session.annotations.for_document(proposal.document_id)
            if (a.start, a.end) == (proposal.start, proposal.end) and not a.orphan
        ]
        if same:
            annotation_id = same[0].id
        else:
            annotation_id = self.session.annotations.create(
                proposal.document_id, proposal.start, proposal.end, mention_only=True
            ).record.id
        self.session.entities.link(annotation_id, entity_id)

    def _decide(self, proposal: Proposal, verdict: str, **fields: Any) -> AssistantDecision:
        return self.ws.records.insert(
            AssistantDecision(
                kind=proposal.kind,
                verdict=verdict,
                document_id=proposal.document_id,
                start=proposal.start,
                end=proposal.end,
                exact=proposal.text,
                score=proposal.score,
                **fields,
            )
        )
