"""Mention suggestions: spans of the text that name a registry entity but are not linked yet.

Exact names, aliases and their Russian declensions come from one compiled scan per document
(``domain.matching.AliasIndex``, rebuilt only when the registry changes); small spelling
variants of people's names ("Zakharowa", "Navalnyi") from rapidfuzz; names written with
look-alike letters of another script ("Sergеy" with a Cyrillic е) and names written in another
script ("Вашингтон" for Washington) from ``domain.cross_script``, ranked below every exact
match and each with its reason. Invisible characters never hide a name ("Nav<ZWSP>alny").
A span already inside a live passage that mentions the entity is not suggested again, nor is
one the officer rejected.
Accepting creates the passage (or reuses one with exactly that span) and links the entity,
in one transaction, so one undo takes it back.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from workstation.domain.cross_script import CrossMatch, LookAlikeIndex, TransliterationIndex
from workstation.domain.matching import AliasForm, AliasIndex, NameMatch, alias_forms, fold_text
from workstation.domain.records import Annotation, ChangeSet, Document, Entity, Mention, Rejection
from workstation.domain.spoofing import mixed_script, mixed_word
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
# Another script's spelling of a name: likely the name, but read through a loose key.
SCORE_TRANSLITERATION = 0.75
# Look-alike letters of another script: a disguise as often as a typing slip, so never taken
# for the name itself, even where the registry's own name is the one written that way.
SCORE_LOOK_ALIKE = 0.6
ALIAS_PENALTY = SCORE_NAME - SCORE_ALIAS
LOOK_ALIKE_REASON = "look-alike letters (mixed scripts)"
_WORDS = re.compile(r"\w+")
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
    # Why a match that is not the name as written was proposed ("transliteration of Лавров",
    # "look-alike letters (mixed scripts)"); "" for names, aliases, endings and misspellings.
    reason: str = ""

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
                    if mixed_script(label):
                        continue  # one letter from its plain twin: the look-alike scan's
                    word = fold_text(label).strip()
                    if word.isalpha() and len(word) >= FUZZY_MIN_LETTERS:
                        self.fuzzy_targets[word].add(entity.id)
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for word in self.fuzzy_targets:
            self._by_initial[word[0]].append(word)
        self.look_alikes = LookAlikeIndex(forms)
        self.transliterations = TransliterationIndex(forms, self.known_words)
        self._near: dict[str, list[tuple[str, float]]] = {}
        # What each whitespace-separated token ever seen holds, worked out once: its near
        # misses, whether it may be a look-alike, the words that may start a transliteration.
        self._seen_tokens: set[str] = set()
        self._misspelt_tokens: dict[str, list[str]] = {}
        self._look_alike_tokens: set[str] = set()
        self._transliterated_tokens: dict[str, list[str]] = {}

    def learn(self, tokens: set[str]) -> None:
        """Work out the tokens not seen before. Set operations keep the common case (every
        token seen before) in C."""
        unseen = tokens - self._seen_tokens
        if len(self._seen_tokens) > _MAX_SEEN_TOKENS:
            self._seen_tokens.clear()
        self._seen_tokens |= unseen
        for token in unseen:
            if self.fuzzy_targets:
                words = [w for w in _CAPITALISED.findall(token) if self.near_misses(w)]
                if words:
                    self._misspelt_tokens[token] = words
            pieces = _WORDS.findall(token)
            if any(self.look_alikes.suspicious(piece) for piece in pieces):
                self._look_alike_tokens.add(token)
            starts = [p for p in pieces if p[0].isupper() and self.transliterations.candidate(p)]
            if starts:
                self._transliterated_tokens[token] = starts

    def misspelt_words(self, tokens: set[str]) -> set[str]:
        """The words of these (learnt) tokens ("(Navalnyi's") that are near misses."""
        hits = tokens & self._misspelt_tokens.keys()
        return {word for token in hits for word in self._misspelt_tokens[token]}

    def may_hold_look_alikes(self, tokens: set[str]) -> bool:
        return not self._look_alike_tokens.isdisjoint(tokens)

    def transliteration_starts(self, tokens: set[str]) -> set[str]:
        hits = tokens & self._transliterated_tokens.keys()
        return {word for token in hits for word in self._transliterated_tokens[token]}

    def near_misses(self, written: str) -> list[tuple[str, float]]:
        """(entity id, score) for a word one or two edits from a person's single-word name."""
        found = self._near.get(written)
        if found is None:
            # A word mixing scripts is the look-alike scan's: one letter off would otherwise
            # rank a disguised name as a plain misspelling.
            plain = written[:1].isupper() and not mixed_word(written)
            found = self._compute_near(fold_text(written)) if plain else []
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

    def offer(start: int, end: int, entity_id: str, score: float, reason: str = "") -> None:
        spans = linked.get(entity_id)
        if spans and any(a <= start and end <= b for a, b in spans):
            return
        if (start, end, entity_id) not in rejected:
            found.append(Suggestion(
                document_id, start, end, body[start:end], entity_id, names[entity_id],
                round(score, 3), reason,
            ))  # fmt: skip

    matches = registry.index.find(body)
    for start, end, readings in matches:
        if len(readings) == 1:  # the common case, kept short: a scan may see 100,000
            form, declined = readings[0]
            if form.mixed_script:
                offer(start, end, form.entity_id, _look_alike_score(form), LOOK_ALIKE_REASON)
            else:
                offer(start, end, form.entity_id, _score(form, declined))
            continue
        best: dict[str, tuple[float, str]] = {}
        for form, declined in readings:
            rated = (
                (_look_alike_score(form), LOOK_ALIKE_REASON)
                if form.mixed_script
                else (_score(form, declined), "")
            )
            best[form.entity_id] = max(best.get(form.entity_id, (0.0, "")), rated)
        for entity_id, (score, reason) in sorted(best.items(), key=lambda pair: -pair[1][0]):
            offer(start, end, entity_id, score, reason)
    exact = len(found)
    # Near misses, look-alikes and transliterations are rare: each distinct token is worked
    # out once (cached), and only texts holding a token that may be one are scanned for them.
    tokens = set(body.split())
    registry.learn(tokens)
    if registry.fuzzy_targets:
        starts = [match.start for match in matches]
        for word in registry.misspelt_words(tokens):
            for token in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", body):
                start, end = token.span()
                if not _overlaps(matches, starts, start, end):
                    for entity_id, score in registry.near_misses(word):
                        offer(start, end, entity_id, score)
    crossing: list[tuple[CrossMatch, float, str]] = []
    if registry.may_hold_look_alikes(tokens):
        crossing += [
            (m, _look_alike_score(m.form), LOOK_ALIKE_REASON)
            for m in registry.look_alikes.find(body)
        ]
    words = registry.transliteration_starts(tokens)
    if words:
        crossing += [
            (m, _transliteration_score(m), f"transliteration of {m.form.label}")
            for m in registry.transliterations.find(body, words)
        ]
    if crossing:
        _offer_crossing(crossing, found, offer)
    if len(found) > exact:
        found.sort(key=lambda s: (s.start, -s.score, s.end, s.entity_name))
    return found


def _offer_crossing(
    crossing: list[tuple[CrossMatch, float, str]],
    found: list[Suggestion],
    offer: Callable[[int, int, str, float, str], None],
) -> None:
    """Offer look-alike and transliterated readings, best first, where no other suggestion
    of the same entity covers any of the span already."""
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for suggestion in found:
        taken[suggestion.entity_id].append((suggestion.start, suggestion.end))
    for match, score, reason in sorted(crossing, key=lambda item: -item[1]):
        entity_id = match.form.entity_id
        if any(a < match.end and match.start < b for a, b in taken[entity_id]):
            continue
        taken[entity_id].append((match.start, match.end))
        offer(match.start, match.end, entity_id, score, reason)


def _score(form: AliasForm, declined: bool) -> float:
    return (SCORE_NAME if form.is_name else SCORE_ALIAS) - DECLINED_PENALTY * declined


def _look_alike_score(form: AliasForm) -> float:
    return SCORE_LOOK_ALIKE - ALIAS_PENALTY * (not form.is_name)


def _transliteration_score(match: CrossMatch) -> float:
    penalty = ALIAS_PENALTY * (not match.form.is_name) + DECLINED_PENALTY * match.declined
    return SCORE_TRANSLITERATION - penalty


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
