"""Finding the entity an officer means from a partial, misspelled or other-script name.

The inspector's link field asks this as the officer types: "Russian Foreign" must offer the
Russian Foreign Ministry, "Lavorv" Sergei Lavrov, "лавров" Sergei Lavrov (a registry that
writes him only in Latin letters), long before anything offers to create a new entity.

Each name and alias of each entity is scored against the query; an entity is listed once,
by its best-scoring label. In order of trust:

* ``exact``: the label, folded (case, diacritics, invisible characters), is the query;
* ``prefix``: the label starts with the query;
* ``words``: every word of the query begins a different word of the label, in any order
  ("Foreign Rus" → Russian Foreign Ministry);
* ``transliteration``: the same, word by word through the loose Latin sound key
  (``transliteration.sound_key``): "лавров" → Lavrov, "Vashington" → Washington;
* ``similar``: rapidfuzz's ratio of each query word with its likeliest word of the label
  (also in Latin letters, so a misspelled Cyrillic name meets a Latin one), every word at
  least ``SIMILAR``.

Pure: no storage, no Qt. Scores are 0–100; only their order matters to callers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from workstation.domain.matching import fold_text
from workstation.domain.transliteration import latin, sound_key

SIMILAR = 75.0  # "lavorv"~"lavrov" 83, "zakarova"~"zakharova" 94, "lavrov"~"gromov" 67
_MIN_FUZZY = 4  # letters a query word needs before spelling similarity is tried
_MIN_SOUND = 2  # letters of sound key a query word needs before transliteration is tried
_WORDS = re.compile(r"\w+")

SCORES = {"exact": 100.0, "prefix": 96.0, "words": 92.0, "transliteration": 88.0}


@dataclass(frozen=True)
class Candidate:
    """An entity's names as the lookup sees them."""

    entity_id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class LookupMatch:
    """The best reason to offer an entity for a query."""

    entity_id: str
    label: str  # the name or alias that matched, as the registry writes it
    is_name: bool
    score: float
    how: str  # "exact" | "prefix" | "words" | "transliteration" | "similar"


@dataclass(frozen=True)
class _Label:
    entity_id: str
    label: str
    is_name: bool
    folded: str
    words: tuple[str, ...]
    latin_words: tuple[str, ...]
    sounds: tuple[str, ...]


def _fold(text: str) -> str:
    return " ".join(fold_text(text).split())


def _words(folded: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(folded))


def _latin_words(text: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(latin(_fold(text)).casefold()))


def _prepare(entity_id: str, label: str, is_name: bool) -> _Label:
    folded = _fold(label)
    latin_words = _latin_words(label)
    return _Label(
        entity_id=entity_id,
        label=label,
        is_name=is_name,
        folded=folded,
        words=_words(folded),
        latin_words=latin_words,
        sounds=tuple(sound_key(word) for word in latin_words),
    )


def _each_begins_a_word(wanted: Iterable[str], words: tuple[str, ...]) -> bool:
    """Whether every wanted word begins a different one of ``words`` (greedy, longest
    wanted first so "rus" cannot take the word "russian" from "russian")."""
    free = list(words)
    for part in sorted(wanted, key=len, reverse=True):
        hit = next((i for i, word in enumerate(free) if word.startswith(part)), None)
        if hit is None:
            return False
        free.pop(hit)
    return True


def _similarity(query_words: tuple[str, ...], words: tuple[str, ...]) -> float:
    """The worst, over the query's words, of the best ratio each has with a word of the
    label (the last query word also against the same-length start of a word: it may be
    unfinished). Every word must look like one of the label's: "Сергей Рябков" is not
    Sergei Lavrov for sharing a first name."""
    if not query_words or not words:
        return 0.0
    worst = 100.0
    for index, part in enumerate(query_words):
        if len(part) < _MIN_FUZZY:
            best = 100.0 if any(word.startswith(part) for word in words) else 0.0
        else:
            unfinished = index == len(query_words) - 1
            best = max(
                max(
                    fuzz.ratio(part, word),
                    fuzz.ratio(part, word[: len(part)]) - 5 if unfinished else 0.0,
                )
                for word in words
            )
        worst = min(worst, best)
    return worst


class NameLookup:
    """Every name and alias of a registry, prepared once; ``find`` per keystroke."""

    def __init__(self, candidates: Iterable[Candidate]):
        self._labels: list[_Label] = []
        for candidate in candidates:
            self._labels.append(_prepare(candidate.entity_id, candidate.name, True))
            self._labels.extend(
                _prepare(candidate.entity_id, alias, False) for alias in candidate.aliases
            )

    def find(self, query: str, limit: int | None = 12) -> list[LookupMatch]:
        """Entities ``query`` may mean, best first (exact, then prefix, words,
        transliteration, similar spelling; names before aliases; shorter labels first)."""
        folded = _fold(query)
        if not folded:
            return []
        query_words = _words(folded)
        query_latin = _latin_words(query)
        query_sounds = tuple(
            key for key in (sound_key(word) for word in query_latin) if len(key) >= _MIN_SOUND
        )
        best: dict[str, LookupMatch] = {}
        for label in self._labels:
            found = self._score(label, folded, query_words, query_latin, query_sounds)
            if found is None:
                continue
            score, how = found
            match = LookupMatch(label.entity_id, label.label, label.is_name, score, how)
            held = best.get(label.entity_id)
            if held is None or _rank(match) < _rank(held):
                best[label.entity_id] = match
        ranked = sorted(best.values(), key=_rank)
        return ranked if limit is None else ranked[:limit]

    @staticmethod
    def _score(
        label: _Label,
        folded: str,
        query_words: tuple[str, ...],
        query_latin: tuple[str, ...],
        query_sounds: tuple[str, ...],
    ) -> tuple[float, str] | None:
        if label.folded == folded:
            return SCORES["exact"], "exact"
        if label.folded.startswith(folded):
            return SCORES["prefix"], "prefix"
        if query_words and _each_begins_a_word(query_words, label.words):
            return SCORES["words"], "words"
        if (
            query_sounds
            and len(query_sounds) == len(query_latin)
            and _each_begins_a_word(query_sounds, label.sounds)
        ):
            return SCORES["transliteration"], "transliteration"
        similar = max(
            _similarity(query_words, label.words), _similarity(query_latin, label.latin_words)
        )
        if similar >= SIMILAR:
            return similar * 0.8, "similar"  # always below every kind of exact reading
        return None


def _rank(match: LookupMatch) -> tuple[float, bool, int, str]:
    return (-match.score, not match.is_name, len(match.label), match.label.casefold())
