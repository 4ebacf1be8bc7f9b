"""Finding mention suggestions in a text: spans that name a registry entity.

Exact names, aliases and their Russian declensions come from one compiled scan per document
(``domain.matching.AliasIndex``, rebuilt only when the registry changes); small spelling
variants of people's names ("Zakharowa", "Navalnyi") from rapidfuzz; names written with
look-alike letters of another script ("Sergеy" with a Cyrillic е) and names written in another
script ("Вашингтон" for Washington) from ``domain.cross_script``, ranked below every exact
match and each with its reason. Invisible characters never hide a name ("Nav<ZWSP>alny").
A capital's name used as the place ("MOSCOW, April 16 –", "went back to Washington") is not
suggested as the state it stands for (``domain.places``); once a person is linked in a
document, their surname alone ("Lavrov added", "Ambassador Sullivan", "Лаврова") is.
No workspace here: ``suggestions.SuggestionService`` reads the texts, links and rejections
and decides what accepting means.
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
from workstation.domain.offsets import CONTEXT_CHARS as _PREFIX_LENGTH
from workstation.domain.places import PLACE_KINDS, place_use, seat_key
from workstation.domain.records import Entity
from workstation.domain.spoofing import mixed_script, mixed_word

if TYPE_CHECKING:
    pass

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
# A surname alone ("Lavrov added", "Mr Lavrov", "Лаврова") of a person linked in the same
# document: likely that person, never a registry name as written.
SCORE_SURNAME = 0.9
# A capital's name where it may be the city ("a message to Moscow"): kept, at half the score.
PLACE_DOUBT = 0.5
_NOT_SURNAMES = frozenset(("jr", "jr.", "sr", "sr.", "ii", "iii", "iv"))
_MIN_SURNAME_LETTERS = 3
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
        self.kinds = {entity.id: entity.kind for entity in entities}
        self.folded_names = {entity.id: fold_text(entity.name).strip() for entity in entities}
        self.surnames = {
            entity.id: _surnames(entity) for entity in entities if entity.kind == "Person"
        }
        self._surname_scans: dict[tuple[str, ...], tuple[AliasIndex, TransliterationIndex]] = {}
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

    def surname_scan(self, people: Sequence[str]) -> tuple[AliasIndex, TransliterationIndex] | None:
        """The surnames of these people compiled for matching (with their Russian endings,
        and read across scripts), or None when they have none."""
        key = tuple(sorted(set(people) & self.surnames.keys()))
        if not key:
            return None
        scan = self._surname_scans.get(key)
        if scan is None:
            forms = [
                form
                for entity_id in key
                for surname in sorted(self.surnames[entity_id])
                for form in alias_forms(entity_id, surname)
            ]
            if len(self._surname_scans) > 256:
                self._surname_scans.clear()
            scan = self._surname_scans[key] = (
                AliasIndex(forms),
                TransliterationIndex(forms, ()),
            )
        return scan

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


def _surnames(entity: Entity) -> set[str]:
    """The last word of a person's name and of each alias of two words or more ("Sergey
    Lavrov", "Сергей Лавров" → Lavrov, Лавров; "Joseph R. Biden Jr." → Biden)."""
    found = set()
    for label in (entity.name, *entity.aliases):
        words = [w for w in label.split() if w.lower() not in _NOT_SURNAMES]
        if len(words) < 2:
            continue
        surname = words[-1].strip(".,")
        if surname[:1].isupper() and sum(c.isalpha() for c in surname) >= _MIN_SURNAME_LETTERS:
            found.add(surname)
    return found


def _allowed_edits(a: str, b: str) -> int:
    return 2 if min(len(a), len(b)) >= 8 else 1


# (id, kind, name, aliases) of every entity → the registry compiled from them.
_compiled: dict[tuple[tuple[str, str, str, tuple[str, ...]], ...], _Registry] = {}


def compiled_registry(entities: Sequence[Entity]) -> _Registry:
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
    mapped: set[tuple[str, str]] | None = None,
) -> list[Suggestion]:
    """The suggestions for one text, in reading order, leaving out spans inside a passage
    already linked to the entity (``linked``) and rejected ones (start, end, entity id).

    People linked in the text (in ``linked``) are also suggested where their surname stands
    alone. A capital's name used as the place ("MOSCOW, April 16 –", "went back to
    Washington", "в Москве") is not suggested as the state it is an alias of, unless the
    officer has linked such a use of it to that state before (``mapped``: (entity id, seat
    key) pairs, ``place_mappings``); a doubtful one ("a message to Moscow") is kept at a
    lower score, with the reason."""
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
    exact = len(found)  # in reading order; anything offered after them is sorted in
    people = [e for e in linked if e in registry.surnames]
    scan = registry.surname_scan(people) if people else None
    if scan is not None:
        _offer_surnames(registry, scan, body, found, offer)
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
    found = _places_apart(registry, body, found, mapped or set())
    if len(found) > exact:
        found.sort(key=lambda s: (s.start, -s.score, s.end, s.entity_name))
    return found


def _offer_surnames(
    registry: _Registry,
    scan: tuple[AliasIndex, TransliterationIndex],
    body: str,
    found: list[Suggestion],
    offer: Callable[[int, int, str, float, str], None],
) -> None:
    """Offer the capitalised surnames of people linked in this text, where no suggestion
    of the same person covers them already ("Sergey Lavrov" unlinked holds "Lavrov")."""
    exact, crossing = scan
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for suggestion in found:
        taken[suggestion.entity_id].append((suggestion.start, suggestion.end))
    hits = [
        (m.start, m.end, form, declined) for m in exact.find(body) for form, declined in m.readings
    ]
    words = {w for w in set(re.findall(r"\w+", body)) if w[:1].isupper() and crossing.candidate(w)}
    if words:
        hits += [(m.start, m.end, m.form, m.declined) for m in crossing.find(body, words)]
    for start, end, form, declined in hits:
        entity_id = form.entity_id
        if not body[start : start + 1].isupper():
            continue  # "brown", "rice": a surname is written with a capital
        if any(a < end and start < b for a, b in taken[entity_id]):
            continue
        taken[entity_id].append((start, end))
        name = registry.names[entity_id]
        offer(
            start, end, entity_id, SCORE_SURNAME - DECLINED_PENALTY * declined,
            f"surname of {name}, linked in this document",
        )  # fmt: skip


def _places_apart(
    registry: _Registry, body: str, found: list[Suggestion], mapped: set[tuple[str, str]]
) -> list[Suggestion]:
    """Leave out (or mark down) a capital's name used as the place, where it is suggested
    as another entity (a state) through an alias; the entity's own name ("Kremlin", an
    entity named "Moscow") and entities that are places themselves are left alone."""
    kept = []
    for s in found:
        key = seat_key(s.text)
        if (
            key is None
            or registry.kinds.get(s.entity_id) in PLACE_KINDS
            or registry.folded_names.get(s.entity_id) == fold_text(s.text).strip()
        ):
            kept.append(s)
            continue
        use = place_use(body, s.start, s.end)
        if use is None:
            kept.append(s)
        elif (s.entity_id, key) in mapped:
            reason = f"{use.reason}; you have linked such a use to {s.entity_name}"
            kept.append(s._replace(reason=_joined(s.reason, reason)))
        elif not use.certain:
            score = round(s.score * PLACE_DOUBT, 3)
            kept.append(s._replace(score=score, reason=_joined(s.reason, use.reason)))
    return kept


def _joined(*reasons: str) -> str:
    return "; ".join(reason for reason in reasons if reason)


def place_mappings(rows: Sequence[tuple[str, str, str, str]]) -> set[tuple[str, str]]:
    """(entity id, seat key) of each linked span (entity id, exact, prefix, suffix) that is a
    capital's name used as the place: the officer maps such uses to that entity."""
    mapped = set()
    for entity_id, exact, prefix, suffix in rows:
        key = seat_key(exact)
        if key is None:
            continue
        # A full prefix may not start the line: keep a word before it so no dateline is read.
        lead = "… " if len(prefix) >= _PREFIX_LENGTH else ""
        text = lead + prefix + exact + suffix
        start = len(lead) + len(prefix)
        if place_use(text, start, start + len(exact)) is not None:
            mapped.add((entity_id, key))
    return mapped


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
