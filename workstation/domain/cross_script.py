"""Names the exact scan cannot see: look-alike letters and names written in another script.

Two scans beside ``matching.AliasIndex``, each worth running only on a text holding a word that
may be what it looks for; the caller asks word by word (``suspicious``, ``candidate``) and
caches the answers, so a text without such a word costs nothing more:

* look-alikes: the registry's names and the text are compared through their UTS #39 skeletons
  (``spoofing``), so "Sergеy Lavrov" with a Cyrillic е is found for the registry's Sergey
  Lavrov, and a registry name "Sergеy Lavrov" for the text "Sergey Lavrov". Only differences
  of script count (``spoofing.scripts_differ``): "rn" for "m" within Latin is left alone;
* transliterations: a capitalised word of one script is read as a registry name of another
  through a loose Latin key (``transliteration``): "Вашингтон" for Washington, "Lavrov" for
  Лавров, the declined "Навального" for Navalny.

Spans are code points of the text, as everywhere (docs/architecture.md, "Offsets").
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from workstation.domain.matching import (
    ENDINGS,
    AliasForm,
    AliasIndex,
    Folded,
    collapse_spaces,
    fold,
    fold_text,
    literal_form,
)
from workstation.domain.spoofing import mixed_word, scripts, scripts_differ, skeleton
from workstation.domain.transliteration import sound_key, stem_key


class CrossMatch(NamedTuple):
    """A span read as a registry form by look-alike letters or by transliteration."""

    start: int  # code points into the text, end exclusive
    end: int
    form: AliasForm
    declined: bool  # read through a Russian case ending


# -- look-alike letters -------------------------------------------------------------------------


class _SkeletonTable(dict[int, str]):
    """code point → its skeleton (case folded), computed once per distinct character (a
    mapping ``str.translate`` reads). The UTS #39 skeleton maps character by character, so a
    folded text's skeleton is its characters' skeletons joined."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = char if char.isspace() else skeleton(char)  # spaces keep words apart
        self[code] = value
        return value


_SKELETONS = _SkeletonTable()


def skeleton_folding(text: str) -> Folded:
    """The skeleton of ``fold(text)`` with the way back to ``text``'s code points."""
    folded = fold(text)
    skeletal = folded.text.translate(_SKELETONS)
    if len(skeletal) == len(folded.text) and all(
        len(_SKELETONS[ord(c)]) == 1 for c in set(folded.text)
    ):
        return Folded(skeletal, folded.origin, len(text))
    steps = [i for i, c in enumerate(folded.text) for _ in range(len(_SKELETONS[ord(c)]))]
    origin = steps if folded.origin is None else [folded.origin[i] for i in steps]
    return Folded(skeletal, origin, len(text))


def _skeleton_of_folded(word: str) -> str:
    return word.translate(_SKELETONS)


class LookAlikeIndex:
    """The registry's forms by skeleton."""

    def __init__(self, forms: Sequence[AliasForm]):
        self._original: dict[int, AliasForm] = {}
        self._literal: list[AliasForm] = []
        # skeleton of a registry word → the registry's (folded) spellings of it
        self._spellings: dict[str, set[str]] = defaultdict(set)
        for form in forms:
            if form.surface is not None:
                continue  # short abbreviations ("US", "МИД"): too short to tell look-alikes
            written = literal_form(form, _skeleton_of_folded(form.canonical))
            self._original[id(written)] = form
            self._literal.append(written)
            for word in form.canonical.split(" "):
                self._spellings[_skeleton_of_folded(word)].add(word)
        # Plain ASCII text can only look like the registry's non-ASCII spellings with an
        # ASCII skeleton (a mixed "sergеy", a Cyrillic "рау"); none, and ASCII is never read.
        self._ascii_reachable = frozenset(
            key
            for key, words in self._spellings.items()
            if key.isascii() and any(not word.isascii() for word in words)
        )

    def suspicious(self, word: str) -> bool:
        """Whether ``word`` of a text may be a look-alike of a registry word."""
        if word.isascii():  # most words, so checked without folding first
            reachable = self._ascii_reachable
            return bool(reachable) and _skeleton_of_folded(word.lower()) in reachable
        if mixed_word(word):
            return True
        folded = fold_text(word)
        spellings = self._spellings.get(_skeleton_of_folded(folded))
        return bool(spellings) and spellings != {folded}

    @functools.cached_property
    def _index(self) -> AliasIndex:
        # Compiled on the first text that needs it: as costly as the exact scan's (~0.2 s
        # for 2,500 names), and most registries never meet a look-alike.
        return AliasIndex(self._literal)

    def find(self, text: str) -> list[CrossMatch]:
        """Spans of ``text`` that look like a registry form without being it, where the
        difference lies in the scripts."""
        found = []
        for start, end, readings in self._index.find_in(skeleton_folding(text), text):
            written = text[start:end]
            for literal, _declined in readings:
                form = self._original[id(literal)]
                if collapse_spaces(fold_text(written)) == form.canonical:
                    continue  # the form itself: the exact scan reports it
                if scripts_differ(written, form.label):
                    found.append(CrossMatch(start, end, form, False))
        return found


# -- transliteration ----------------------------------------------------------------------------

_MIN_LETTERS = 4  # "США" → "ssa", "Мир" → "mir": shorter keys meet too many words
_NEXT_WORD = re.compile(r"\s+(\w+)")
_Entry = tuple[tuple[str, ...], AliasForm]  # the keys of a form's words, the form


@functools.lru_cache(maxsize=100_000)
def _readings(word: str) -> tuple[tuple[str, bool], ...]:
    """(key, declined) for a word of a text: its own key, and for a Cyrillic word the keys of
    its stem under each Russian case ending it may carry ("Лаврова" → lavrov)."""
    found = [(sound_key(word), False)]
    folded = fold_text(word)
    if any("а" <= c <= "я" for c in folded):
        for ending in ENDINGS:
            if ending and folded.endswith(ending) and len(folded) - len(ending) >= 3:
                found.append((sound_key(folded[: -len(ending)]), True))
    return tuple(found)


def _reads_as(word: str, key: str) -> tuple[bool, bool]:
    """(whether ``word`` reads as the registry word keyed ``key``, through an ending)."""
    for reading, declined in _readings(word):
        if reading == key:
            return True, declined
        if declined and reading == stem_key(key) and len(reading) >= 3:
            return True, True
    return False, False


class TransliterationIndex:
    """The registry's forms by the loose Latin keys of their words."""

    def __init__(self, forms: Sequence[AliasForm], known_words: Iterable[str]):
        self._known = frozenset(known_words)  # folded words an exact match may start with
        self._by_key: dict[str, list[_Entry]] = defaultdict(list)
        for form in forms:
            if form.surface is not None or form.mixed_script:
                continue  # abbreviations; look-alikes are the other scan's
            words = form.canonical.split(" ")
            if sum(map(len, words)) < _MIN_LETTERS:
                continue
            keys = tuple(sound_key(word) for word in words)
            if all(keys):
                self._by_key[keys[0]].append((keys, form))
                stem = stem_key(keys[0])
                if stem != keys[0] and len(stem) >= 3:
                    self._by_key[stem].append((keys, form))

    def candidate(self, word: str) -> bool:
        """Whether a capitalised ``word`` of a text, not a word of any registry name, may
        start a registry name written in another script."""
        folded = word.lower() if word.isascii() else fold_text(word)
        if len(word) < 3 or folded in self._known or mixed_word(word):
            return False  # short; exact-match territory; or a look-alike (the other scan's)
        return bool(self._entries(word))

    def _entries(self, word: str) -> list[tuple[_Entry, bool]]:
        own = scripts(word)
        found: dict[int, tuple[_Entry, bool]] = {}  # a form is keyed by its key and stem
        for reading, _declined in _readings(word):
            for entry in self._by_key.get(reading, ()):
                if id(entry[1]) in found or not _other_script(entry[1].label, own):
                    continue
                reads, declined = _reads_as(word, entry[0][0])
                if reads:
                    found[id(entry[1])] = (entry, declined)
        return list(found.values())

    def find(self, text: str, words: Iterable[str]) -> list[CrossMatch]:
        """Where the candidate ``words`` start a registry name of another script in
        ``text``, the name's following words read as it too."""
        found = []
        for word in words:
            entries = self._entries(word)
            for occurrence in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text):
                for (keys, form), declined in entries:
                    end = _rest_of_name(text, occurrence.end(), keys[1:])
                    if end is not None:
                        start, declined_later = occurrence.start(), end[1]
                        found.append(CrossMatch(start, end[0], form, declined or declined_later))
        return found


def _other_script(label: str, own: frozenset[str]) -> bool:
    """Whether a registry ``label`` is written in one script, not the text word's (``own``)."""
    theirs = scripts(label)
    return len(theirs) == 1 and len(own) == 1 and theirs != own


def _rest_of_name(text: str, position: int, keys: tuple[str, ...]) -> tuple[int, bool] | None:
    """(where the name ends, whether a word was declined) when the words after ``position``
    read as ``keys``, else None."""
    declined = False
    for key in keys:
        following = _NEXT_WORD.match(text, position)
        if following is None:
            return None
        reads, through_ending = _reads_as(following.group(1), key)
        if not reads:
            return None
        declined |= through_ending
        position = following.end()
    return position, declined
