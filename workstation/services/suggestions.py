"""Mention suggestions: spans of the text that name a registry entity but are not linked yet.

Exact names, aliases and their Russian declensions come from one compiled scan per document
(``domain.matching.AliasIndex``, rebuilt only when the registry changes); small spelling
variants of people's names ("Zakharowa", "Navalnyi") from rapidfuzz. A span already inside a
live passage that mentions the entity is not suggested again, nor is one the officer rejected.
Accepting creates the passage (or reuses one with exactly that span) and links the entity,
in one transaction, so one undo takes it back.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from workstation.domain.matching import AliasForm, AliasIndex, NameMatch, alias_forms, fold_text
from workstation.domain.records import Annotation, ChangeSet, Document, Entity, Mention, Rejection
from workstation.services.base import RecordService
from workstation.services.outcome import Outcome, ServiceError
from workstation.storage import suggestions as queries

if TYPE_CHECKING:
    from workstation.services.session import Session

SCORE_NAME = 1.0  # the entity's own name, as written
SCORE_ALIAS = 0.95
DECLINED_PENALTY = 0.05  # a Russian case ending is a little less certain than the bare form
FUZZY_CEILING = 0.85  # a misspelling never outranks a name the registry knows
FUZZY_KINDS = ("Person",)  # "Russian" is one letter from "Russia": only names of people vary
FUZZY_MIN_LETTERS = 5
_CAPITALISED = re.compile(rf"(?<!\w)[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ]\w{{{FUZZY_MIN_LETTERS - 1},}}")
_CACHE_SIZE = 4
_MAX_SEEN_TOKENS = 1_000_000  # distinct tokens remembered per registry (~60 MB at most)


class Suggestion(NamedTuple):
    """One proposed mention. A named tuple: a workspace scan makes ~100,000 of them."""

    document_id: str
    start: int  # code points into the document body, end exclusive
    end: int
    text: str
    entity_id: str
    entity_name: str
    score: float  # 0–1: how sure the match is (name > alias > declined > misspelt)

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.document_id, self.start, self.end, self.entity_id)


class _Registry:
    """The registry compiled for matching: built once per state of the entities."""

    def __init__(self, entities: Sequence[Entity]):
        self.names = {entity.id: entity.name for entity in entities}
        forms = []
        for entity in entities:
            forms += alias_forms(entity.id, entity.name, is_name=True)
            for alias in entity.aliases:
                forms += alias_forms(entity.id, alias)
        self.index = AliasIndex(forms)
        self.known_words = {word for form in forms for word in form.canonical.split(" ")}
        self.fuzzy_targets: dict[str, set[str]] = defaultdict(set)  # folded word → entities
        for entity in entities:
            if entity.kind in FUZZY_KINDS:
                for label in (entity.name, *entity.aliases):
                    word = fold_text(label).strip()
                    if word.isalpha() and len(word) >= FUZZY_MIN_LETTERS:
                        self.fuzzy_targets[word].add(entity.id)
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for word in self.fuzzy_targets:
            self._by_initial[word[0]].append(word)
        self._near: dict[str, list[tuple[str, float]]] = {}
        self._seen_tokens: set[str] = set()
        self._misspelt_tokens: dict[str, list[str]] = {}

    def misspelt_words(self, tokens: set[str]) -> set[str]:
        """The words of these whitespace-separated tokens ("(Navalnyi's") that are near
        misses. Set operations keep the common case (every token seen before) in C."""
        unseen = tokens - self._seen_tokens
        if len(self._seen_tokens) > _MAX_SEEN_TOKENS:
            self._seen_tokens.clear()
        self._seen_tokens |= unseen
        for token in unseen:
            words = [w for w in _CAPITALISED.findall(token) if self.near_misses(w)]
            if words:
                self._misspelt_tokens[token] = words
        hits = tokens & self._misspelt_tokens.keys()
        return {word for token in hits for word in self._misspelt_tokens[token]}

    def near_misses(self, written: str) -> list[tuple[str, float]]:
        """(entity id, score) for a word one or two edits from a person's single-word name."""
        found = self._near.get(written)
        if found is None:
            capitalised = written[:1].isupper()
            found = self._compute_near(fold_text(written)) if capitalised else []
            self._near[written] = found
        return found

    def _compute_near(self, word: str) -> list[tuple[str, float]]:
        if word in self.known_words or not word.isalpha():
            return []
        candidates = [
            target
            for target in self._by_initial.get(word[0], ())
            if abs(len(target) - len(word)) <= _allowed_edits(target, word)
        ]
        found = []
        for target, distance, _ in process.extract(
            word, candidates, scorer=Levenshtein.distance, score_cutoff=2, limit=None
        ):
            if 0 < distance <= _allowed_edits(target, word):
                score = FUZZY_CEILING * (1 - distance / max(len(word), len(target)))
                found += [(entity_id, score) for entity_id in self.fuzzy_targets[target]]
        return found


def _allowed_edits(a: str, b: str) -> int:
    return 2 if min(len(a), len(b)) >= 8 else 1


_compiled: dict[tuple, _Registry] = {}


def _registry(entities: Sequence[Entity]) -> _Registry:
    key = tuple((e.id, e.kind, e.name, tuple(e.aliases)) for e in entities)
    registry = _compiled.get(key)
    if registry is None:
        while len(_compiled) >= _CACHE_SIZE:
            del _compiled[next(iter(_compiled))]
        registry = _compiled[key] = _Registry(entities)
    return registry


def forget_compiled() -> None:
    """Drop the compiled registries (the benchmark times a cold start with it)."""
    _compiled.clear()


Spans = dict[str, list[tuple[int, int]]]  # entity id → linked passage spans, one document


def find_in_text(
    registry: _Registry,
    document_id: str,
    body: str,
    linked: Spans | None = None,
    rejected: set[tuple[int, int, str]] | None = None,
) -> list[Suggestion]:
    """The suggestions for one text, in reading order, leaving out spans inside a passage
    already linked to the entity (``linked``) and rejected ones (start, end, entity id)."""
    linked, rejected = linked or {}, rejected or set()
    names = registry.names
    found: list[Suggestion] = []

    def offer(start: int, end: int, entity_id: str, score: float) -> None:
        spans = linked.get(entity_id)
        if spans and any(a <= start and end <= b for a, b in spans):
            return
        if (start, end, entity_id) not in rejected:
            found.append(Suggestion(
                document_id, start, end, body[start:end], entity_id, names[entity_id],
                round(score, 3),
            ))  # fmt: skip

    matches = registry.index.find(body)
    for start, end, readings in matches:
        if len(readings) == 1:  # the common case, kept short: a scan may see 100,000
            form, declined = readings[0]
            offer(start, end, form.entity_id, _score(form, declined))
            continue
        best: dict[str, float] = {}
        for form, declined in readings:
            best[form.entity_id] = max(best.get(form.entity_id, 0.0), _score(form, declined))
        for entity_id, score in sorted(best.items(), key=lambda pair: -pair[1]):
            offer(start, end, entity_id, score)
    if registry.fuzzy_targets:
        # Near misses are rare: each distinct capitalised word is looked up once (cached),
        # and only the few that are one are looked for in the text.
        misspelt = registry.misspelt_words(set(body.split()))
        exact = len(found)
        starts = [match.start for match in matches]
        for word in misspelt:
            for token in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", body):
                start, end = token.span()
                if not _overlaps(matches, starts, start, end):
                    for entity_id, score in registry.near_misses(word):
                        offer(start, end, entity_id, score)
        if len(found) > exact:
            found.sort(key=lambda s: (s.start, -s.score, s.end, s.entity_name))
    return found


def _score(form: AliasForm, declined: bool) -> float:
    return (SCORE_NAME if form.is_name else SCORE_ALIAS) - DECLINED_PENALTY * declined


def _overlaps(matches: list[NameMatch], starts: list[int], start: int, end: int) -> bool:
    # Exact matches never overlap one another, so only the last one starting before ``end``
    # can reach into [start, end).
    index = bisect.bisect_left(starts, end)
    return index > 0 and matches[index - 1].end > start


class SuggestionService(RecordService):
    def suggest(self, document_id: str | None = None) -> list[Suggestion]:
        """Unlinked mentions in one document, or in the whole workspace (library order)."""
        if document_id is not None:
            self._require(Document, document_id)
            return self.suggest_documents([document_id])
        return self.suggest_documents(None)

    def suggest_documents(self, document_ids: Sequence[str] | None) -> list[Suggestion]:
        """Suggestions for these documents (``None``: all); unknown or deleted ids give none."""
        registry = _registry(self.session.entities.list())
        if not registry.index.forms:
            return []
        linked: dict[str, Spans] = defaultdict(lambda: defaultdict(list))
        for doc_id, start, end, entity_id in queries.linked_spans(self.ws, document_ids):
            linked[doc_id][entity_id].append((start, end))
        rejected: dict[str, set[tuple[int, int, str]]] = defaultdict(set)
        for doc_id, start, end, entity_id in queries.rejected_spans(self.ws, document_ids):
            rejected[doc_id].add((start, end, entity_id))
        found: list[Suggestion] = []
        for doc_id, _title, body in queries.document_texts(self.ws, document_ids):
            found += find_in_text(registry, doc_id, body, linked.get(doc_id), rejected.get(doc_id))
        return found

    def accept(self, suggestion: Suggestion, role: str = "mentioned") -> Outcome[Mention]:
        """Create the passage (or reuse one with exactly this span) and link the entity."""
        with self.ws.transaction() as changes:
            self._check(suggestion)
            span = {"document_id": suggestion.document_id, "start": suggestion.start}
            same = [a for a in self.ws.records.where(Annotation, span) if a.end == suggestion.end]
            if same:
                annotation_id = same[0].id
            else:
                annotation_id = self.session.annotations.create(
                    suggestion.document_id, suggestion.start, suggestion.end
                ).record.id
            mention = self.session.entities.link(annotation_id, suggestion.entity_id, role).record
        return Outcome(mention, changes)

    def accept_all(
        self, entity_id: str, document_id: str | None = None, role: str = "mentioned"
    ) -> ChangeSet:
        """Accept every suggestion of one entity (in one document, or everywhere) at once."""
        self._require(Entity, entity_id)
        todo = [s for s in self.suggest(document_id) if s.entity_id == entity_id]
        with self.ws.transaction() as changes:
            for suggestion in todo:
                self.accept(suggestion, role)
        return changes

    def reject(self, suggestion: Suggestion) -> Outcome[Rejection]:
        """Remember that this span does not mention this entity; it is not suggested again."""
        with self.ws.transaction() as changes:
            self._check(suggestion)
            key = {
                "document_id": suggestion.document_id,
                "entity_id": suggestion.entity_id,
                "start": suggestion.start,
            }
            earlier = [r for r in self.ws.records.where(Rejection, key) if r.end == suggestion.end]
            saved = earlier[0] if earlier else self.ws.records.insert(
                Rejection(**key, end=suggestion.end, exact=suggestion.text)
            )  # fmt: skip
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
        touched: set[str] = set()
        for change in changes.changes:
            states = [state for state in (change.before, change.after) if state]
            if change.table == "entities":
                return None
            if change.table == "documents":
                touched.add(change.record_id)
            elif change.table in ("annotations", Rejection.TABLE):
                touched.update(state["document_id"] for state in states)
            elif change.table == "mentions":
                for state in states:
                    document_id = queries.annotation_document(self.ws, state["annotation_id"])
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
