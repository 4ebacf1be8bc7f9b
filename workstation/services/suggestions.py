"""Mention suggestions: spans of the text that name a registry entity but are not linked yet.
This module reads the workspace and accepts or rejects; the finding itself is in
``suggestion_finder.py``.

Exact names, aliases and their Russian declensions come from one compiled scan per document
(``domain.matching.AliasIndex``, rebuilt only when the registry changes); small spelling
variants of people's names ("Zakharowa", "Navalnyi") from rapidfuzz; names written with
look-alike letters of another script ("Sergеy" with a Cyrillic е) and names written in another
script ("Вашингтон" for Washington) from ``domain.cross_script``, ranked below every exact
match and each with its reason. Invisible characters never hide a name ("Nav<ZWSP>alny").
A span already inside a live passage that mentions the entity is not suggested again, nor is
one the officer rejected.
A capital's name used as the place ("MOSCOW, April 16 –", "went back to Washington") is not
suggested as the state it stands for (``domain.places``); once a person is linked in a
document, their surname alone ("Lavrov added", "Ambassador Sullivan", "Лаврова") is.
Accepting links the entity to the passage holding the span, or creates a mention-only span
(not a passage, not counted as one), in one transaction, so one undo takes it back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from workstation.domain.records import Annotation, ChangeSet, Document, Entity, Mention, Rejection
from workstation.services.base import RecordService
from workstation.services.outcome import Outcome, ServiceError
from workstation.services.suggestion_finder import (
    LOOK_ALIKE_REASON,
    SCORE_ALIAS,
    SCORE_LOOK_ALIKE,
    SCORE_NAME,
    Spans,
    Suggestion,
    compiled_registry,
    find_in_text,
    forget_compiled,
    place_mappings,
)
from workstation.storage import suggestions as queries

if TYPE_CHECKING:
    from workstation.services.session import Session

_LONGEST_PLACE = 24  # code points: the longest linked span read for an officer's place mapping
# (workspace path, newest change) → the officer's place mappings then (one workspace at a time).
_mappings: dict[tuple[str, int], set[tuple[str, str]]] = {}

# Re-exported: callers name the scores and reasons where they name the service.
__all__ = [
    "LOOK_ALIKE_REASON",
    "SCORE_ALIAS",
    "SCORE_LOOK_ALIKE",
    "SCORE_NAME",
    "Suggestion",
    "SuggestionService",
    "accept",
    "accept_all",
    "accept_many",
    "find_in_text",
    "forget_compiled",
    "reject",
    "suggest",
]


class SuggestionService(RecordService):
    def suggest(self, document_id: str | None = None) -> list[Suggestion]:
        """Unlinked mentions in one document, or in the whole workspace (library order)."""
        if document_id is not None:
            self._require(Document, document_id)
            return self.suggest_documents([document_id])
        return self.suggest_documents(None)

    def suggest_documents(self, document_ids: Sequence[str] | None) -> list[Suggestion]:
        """Suggestions for these documents (``None``: all); unknown or deleted ids give none."""
        registry = compiled_registry(self.session.entities.list_entities())
        if not registry.index.forms:
            return []
        linked: dict[str, Spans] = defaultdict(lambda: defaultdict(list))
        for doc_id, start, end, entity_id in queries.linked_spans(self.ws, document_ids):
            linked[doc_id][entity_id].append((start, end))
        rejected: dict[str, set[tuple[int, int, str]]] = defaultdict(set)
        for doc_id, start, end, entity_id in queries.rejected_spans(self.ws, document_ids):
            rejected[doc_id].add((start, end, entity_id))
        mapped = self._place_mappings()
        found: list[Suggestion] = []
        for doc_id, _title, body in queries.document_texts(self.ws, document_ids):
            found += find_in_text(
                registry, doc_id, body, linked.get(doc_id), rejected.get(doc_id), mapped
            )
        return found

    def _place_mappings(self) -> set[tuple[str, str]]:
        """Where the officer has linked a capital's name used as the place to an entity
        (read once per state of the change log)."""
        key = (str(self.ws.path), queries.last_change(self.ws))
        mapped = _mappings.get(key)
        if mapped is None:
            _mappings.clear()
            mapped = _mappings[key] = place_mappings(
                queries.linked_short_spans(self.ws, _LONGEST_PLACE)
            )
        return mapped

    def accept(self, suggestion: Suggestion, role: str = "mentioned") -> Outcome[Mention]:
        """Link the entity where the suggestion stands, in one transaction: to a passage with
        exactly this span, else to the narrowest passage holding it, else to a new
        mention-only span (``Annotation.mention_only``: not a passage, not counted as one)."""
        with self.ws.transaction() as changes:
            self._check(suggestion)
            holder = self._holding_passage(suggestion)
            if holder is not None:
                annotation_id = holder.id
                for earlier in self.session.entities.mentions_of(annotation_id):
                    if earlier.entity_id == suggestion.entity_id:
                        # Linked already (a second "US" in the passage, accepted together).
                        return Outcome(earlier, changes)
            else:
                annotation_id = self.session.annotations.create(
                    suggestion.document_id, suggestion.start, suggestion.end, mention_only=True
                ).record.id
            mention = self.session.entities.link(annotation_id, suggestion.entity_id, role).record
        return Outcome(mention, changes)

    def _holding_passage(self, suggestion: Suggestion) -> Annotation | None:
        """The live annotation with exactly this span, else the narrowest passage (not a
        mention-only span) that holds it."""
        holding = [
            a
            for a in self.session.annotations.for_document(suggestion.document_id)
            if a.start <= suggestion.start and suggestion.end <= a.end and not a.orphan
        ]
        same = [a for a in holding if (a.start, a.end) == (suggestion.start, suggestion.end)]
        if same:
            return same[0]
        passages = [a for a in holding if not a.mention_only]
        return min(passages, key=lambda a: a.end - a.start) if passages else None

    def accept_many(self, suggestions: Sequence[Suggestion], role: str = "mentioned") -> ChangeSet:
        """Accept these suggestions (what the queue shows) in one transaction, one undo."""
        with self.ws.transaction() as changes:
            for suggestion in suggestions:
                self.accept(suggestion, role)
        return changes

    def accept_all(
        self, entity_id: str, document_id: str | None = None, role: str = "mentioned"
    ) -> ChangeSet:
        """Accept every suggestion of one entity (in one document, or everywhere) at once."""
        self._require(Entity, entity_id)
        todo = [s for s in self.suggest(document_id) if s.entity_id == entity_id]
        return self.accept_many(todo, role)

    def reject(self, suggestion: Suggestion) -> Outcome[Rejection]:
        """Remember that this span does not mention this entity; it is not suggested again."""
        with self.ws.transaction() as changes:
            self._check(suggestion)
            key: dict[str, object] = {
                "document_id": suggestion.document_id,
                "entity_id": suggestion.entity_id,
                "start": suggestion.start,
            }
            earlier = [r for r in self.ws.records.where(Rejection, key) if r.end == suggestion.end]
            saved = (
                earlier[0]
                if earlier
                else self.ws.records.insert(
                    Rejection(
                        document_id=suggestion.document_id,
                        entity_id=suggestion.entity_id,
                        start=suggestion.start,
                        end=suggestion.end,
                        exact=suggestion.text,
                    )
                )
            )
        return Outcome(saved, changes)

    def _check(self, suggestion: Suggestion) -> None:
        document = self._require(Document, suggestion.document_id)
        self._require(Entity, suggestion.entity_id)
        if document.body[suggestion.start : suggestion.end] != suggestion.text:
            raise ServiceError(
                f"“{suggestion.text}” is not at {suggestion.start}–{suggestion.end} "
                "of that document any more"
            )

    def documents_touched(self, changes: ChangeSet) -> set[str] | None:
        """Which documents' suggestions ``changes`` may alter; ``None`` means all of them
        (the registry changed)."""
        if changes.touches(Entity):
            return None
        touched = changes.ids_of(Document)
        touched |= changes.values_of(Annotation, "document_id")
        touched |= changes.values_of(Rejection, "document_id")
        for annotation_id in changes.values_of(Mention, "annotation_id"):
            document_id = queries.annotation_document(self.ws, annotation_id)
            if document_id is None:
                return None
            touched.add(document_id)
        return touched


# -- the same as plain functions over a session --------------------------------------------------


def suggest(session: Session, document_id: str | None = None) -> list[Suggestion]:
    return SuggestionService(session).suggest(document_id)


def accept(session: Session, suggestion: Suggestion, role: str = "mentioned") -> Outcome[Mention]:
    return SuggestionService(session).accept(suggestion, role)


def reject(session: Session, suggestion: Suggestion) -> Outcome[Rejection]:
    return SuggestionService(session).reject(suggestion)


def accept_all(
    session: Session, entity_id: str, document_id: str | None = None, role: str = "mentioned"
) -> ChangeSet:
    return SuggestionService(session).accept_all(entity_id, document_id, role)


def accept_many(
    session: Session, suggestions: Sequence[Suggestion], role: str = "mentioned"
) -> ChangeSet:
    return SuggestionService(session).accept_many(suggestions, role)
