"""Finding known names in article text: folding, word boundaries, Russian endings, one scan.

Text and names are compared *folded*: case folded, diacritics removed (ё→е, é→e), typographic
apostrophes made plain, invisible (default-ignorable) characters left out, so "Nav<ZWSP>alny"
is Navalny (docs/architecture.md, "Text display"). Folding can change a text's length (ß→ss, a stray
combining accent or a zero-width space vanishes), so :class:`Folded` keeps a map back to code
points of the stored body, and every span reported here is an offset pair into the original
text (docs/architecture.md, "Offsets").

Rules a match must pass:

- it starts and ends on a word boundary, so "Duma" is never found inside "Dumaev" nor "US"
  inside "USA"; a possessive ("Navalny's", "Navalny’s") ends the name before the apostrophe;
- short all-caps names ("US", "EU", "МИД") match case-sensitively, or the pronoun "us" would
  flood the queue; a dotted abbreviation ("U.S.") also matches undotted ("US");
- Cyrillic words of a name may take a Russian case ending ("Путина", "Захаровой",
  "Госдумы"): a name is written in the nominative, an article declines it;
- a name directly followed by a noun that completes a longer proper name ("Washington Post",
  "Moscow Times", "USA Today") is part of that other name, not a mention.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from workstation.domain.spoofing import mixed_script
from workstation.domain.text_display import fold_ignorables, is_default_ignorable

# -- folding -----------------------------------------------------------------------------------

_PUNCTUATION = {"’": "'", "‘": "'", "ʼ": "'", "‐": "-", "‑": "-"}


class _FoldTable(dict[int, str]):
    """code point → its folded string, computed once per distinct character (a mapping
    ``str.translate`` reads)."""

    def __missing__(self, code: int) -> str:
        if is_default_ignorable(chr(code)):
            self[code] = ""
            return ""
        decomposed = unicodedata.normalize("NFKD", chr(code))
        kept = "".join(c for c in decomposed if not unicodedata.combining(c))
        folded = _PUNCTUATION.get(kept, kept).casefold()
        self[code] = folded
        return folded


_FOLD = _FoldTable()


@dataclass(frozen=True)
class Folded:
    """A folded text and the way back to the original's code points."""

    text: str
    origin: list[int] | None  # folded index → original index; None when one to one
    source_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A folded range → the original range it was folded from (whole characters, with
        any combining marks that trail the last one)."""
        if self.origin is None:
            return start, end
        # Marks with no base before them (a text opening with a combining accent) fold to
        # nothing; they belong to the span that starts the text, so nothing is left outside.
        first = 0 if start == 0 else self.origin[start]
        last = self.origin[end - 1]
        after = self.origin[end] if end < len(self.origin) else self.source_length
        return first, after if after > last else last + 1


# Characters folded one for one by ``str.lower()`` (plus ё→е, й→и): ASCII, Cyrillic, dashes and
# typographic quotes. A text made only of these (most English and Russian wire copy) is folded
# at C speed.
_NOT_PLAIN = re.compile("[^\x00-\x7f\u0401\u0410-\u044f\u0451–—“”«»]")


def fold(text: str) -> Folded:
    """``text`` case folded, without diacritics, with the way back to its offsets."""
    if text.isascii():
        return Folded(text.lower(), None, len(text))
    lowered = text.lower()
    if len(lowered) == len(text):  # lower() made nothing longer ("İ" would)
        # Plain characters fold by lower(); the few others (accents) are patched in one by
        # one, as long as each folds to exactly one character.
        pieces: list[str] = []
        last = 0
        for odd in _NOT_PLAIN.finditer(text):
            folded_char = _FOLD[ord(odd.group())]
            if len(folded_char) != 1:
                break
            pieces += (lowered[last : odd.start()], folded_char)
            last = odd.end()
        else:
            pieces.append(lowered[last:])
            folded = "".join(pieces).replace("ё", "е").replace("й", "и")
            return Folded(folded, None, len(text))
    folded = text.translate(_FOLD)
    lengths = [len(_FOLD[ord(char)]) for char in text]
    origin = [index for index, size in enumerate(lengths) for _ in range(size)]
    return Folded(folded, origin, len(text))


def fold_text(text: str) -> str:
    return fold(text).text


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def strip_marks(text: str) -> str:
    """Diacritics and invisible characters removed, case kept: how a case-sensitive name is
    compared."""
    decomposed = unicodedata.normalize("NFKD", fold_ignorables(text))
    return collapse_spaces("".join(c for c in decomposed if not unicodedata.combining(c)))


# -- the forms a registry name is looked for in --------------------------------------------------

# Russian case endings a declined name may show, folded (й→и, ё→е): nouns, -ий/-ия nouns,
# adjectival surnames ("Навальный" → "Навального"). A name word is cut to its stem (trailing
# vowels, й and ь removed) and any one of these may follow.
_RU_ENDINGS = (
    "а я у ю е и ы о ь ом ем ои еи ою ею ам ям ах ях ами ями ов ев "
    "ии ия ию ие ием иеи иям иях иями ея еем ее "
    "ыи ая яя ое ые ие ого его ому ему ым им ых их ыми ими ую юю"
)
ENDINGS = frozenset(_RU_ENDINGS.split()) | {""}
# The scan lets any short Cyrillic tail through (a small pattern compiles fast even with
# thousands of names); the tail is then checked against ENDINGS, so "Путинизм" and "россиян"
# (Russians, not Russia) stay out.
_ENDING_RE = f"[а-я]{{0,{max(map(len, ENDINGS))}}}"
_RU_STEM_TRAIL = set("аеиоуыэюяь")
_MIN_STEM = 3
# Short all-caps names are abbreviations that collide with ordinary words in lower case.
_MAX_CASE_SENSITIVE_LETTERS = 5
_DOTTED = re.compile(r"^(?:\w\.){2,}$")

# Nouns that turn a preceding place or body name into the name of something else.
_CONTINUATIONS = (
    "Post Times Journal Today Herald Tribune Gazette Telegraph Review Daily Weekly "
    "Institute University College Airport Airlines Consensus Stadium Metro"
)
NAME_CONTINUATIONS = frozenset(_CONTINUATIONS.split())
_GAP = " \t\u00a0"
_NEXT_WORD = re.compile(f"[{_GAP}]+(\\w+)")

_SPACE = " "
_ENDING = "\x00ending"


def _is_cyrillic(word: str) -> bool:
    return any("а" <= c <= "я" for c in word)


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


@dataclass(frozen=True)
class AliasForm:
    """One way an entity is written: its name, an alias, or an undotted abbreviation."""

    entity_id: str
    label: str  # as the registry writes it
    canonical: str  # folded, spaces collapsed: what an undeclined match reads
    surface: str | None  # case-sensitive forms: the exact letters the text must show
    is_name: bool
    stems: tuple[str | None, ...]  # per word: the stem a Russian ending may follow, or None
    tokens: tuple[str, ...]  # what the scan matches: characters, spaces, Russian endings
    # A word of it mixes scripts (a Cyrillic е in "Sergеy"): a match is a look-alike at best.
    mixed_script: bool = False

    def reads(self, matched: str) -> bool:
        """Whether ``matched`` (folded, spaces collapsed) is this form, declined or not."""
        if matched == self.canonical:
            return True
        words = matched.split(" ")
        if len(words) != len(self.stems):
            return False
        return all(
            word == written if stem is None else word[len(stem) :] in ENDINGS
            for word, written, stem in zip(
                words, self.canonical.split(" "), self.stems, strict=True
            )
        )


def alias_forms(entity_id: str, label: str, *, is_name: bool = False) -> list[AliasForm]:
    label = collapse_spaces(unicodedata.normalize("NFC", label))
    plain = collapse_spaces(fold_ignorables(label))  # what the text must show
    letters = _letters(plain)
    if len(letters) < 2 or len(plain) > 200:
        return []  # one letter matches everywhere; 200 characters is a sentence, not a name
    short_caps = (
        " " not in plain and letters.isupper() and len(letters) <= _MAX_CASE_SENSITIVE_LETTERS
    )
    written = [plain]
    if short_caps and _DOTTED.match(plain):
        written.append(plain.replace(".", ""))  # "U.S." is also written "US"
    mixed = mixed_script(plain)
    forms = []
    for text in written:
        canonical = collapse_spaces(fold_text(text))
        stems = _stems(text, canonical)
        forms.append(
            AliasForm(
                entity_id=entity_id,
                label=label,
                canonical=canonical,
                surface=strip_marks(text) if short_caps else None,
                is_name=is_name,
                stems=stems,
                tokens=_tokens(canonical, stems),
                mixed_script=mixed,
            )
        )
    return forms


def literal_form(form: AliasForm, canonical: str) -> AliasForm:
    """``form`` looked for as ``canonical`` letter for letter: no Russian endings, no
    case-sensitive surface (the look-alike scan looks for skeletons this way)."""
    stems = (None,) * len(canonical.split(" "))
    return replace(
        form, canonical=canonical, surface=None, stems=stems, tokens=_tokens(canonical, stems)
    )


def _stems(written: str, canonical: str) -> tuple[str | None, ...]:
    """Per word of a name: the stem Russian endings attach to (trailing vowels, й and ь cut
    off), or None for a word that is matched as written (Latin, abbreviations, short)."""
    originals, words = written.split(" "), canonical.split(" ")
    if len(originals) != len(words):  # folding made or removed a space: match as written
        return (None,) * len(words)
    stems: list[str | None] = []
    for original, word in zip(originals, words, strict=True):
        # An abbreviation keeps all its letters and takes a lower-case ending ("МИДа").
        abbreviation = _letters(original).isupper()
        stem = word if abbreviation else word.rstrip("".join(_RU_STEM_TRAIL))
        declines = _is_cyrillic(word) and len(stem) >= _MIN_STEM and stem.isalpha()
        stems.append(stem if declines else None)
    return tuple(stems)


def _tokens(canonical: str, stems: tuple[str | None, ...]) -> tuple[str, ...]:
    tokens: list[str] = []
    for word, stem in zip(canonical.split(" "), stems, strict=True):
        if tokens:
            tokens.append(_SPACE)
        if stem is None:
            tokens.extend(word)
        else:
            tokens.extend(stem)
            tokens.append(_ENDING)
    return tuple(tokens)


# -- one scan for every name --------------------------------------------------------------------


class NameMatch(NamedTuple):
    """A span naming one or more registry forms (an alias two entities share gives two)."""

    start: int  # code points into the original text, end exclusive
    end: int
    readings: list[tuple[AliasForm, bool]]  # (form, read declined rather than as written)


# token → subtrie; the key None holds the forms that end at this node (a list[AliasForm]).
_Trie = dict[str | None, Any]


class AliasIndex:
    """Every form of every name compiled into one regular expression shaped as a trie, so a
    document is scanned once however many names the registry holds."""

    def __init__(self, forms: Iterable[AliasForm]):
        self.forms = list(forms)
        trie: _Trie = {}
        for form in self.forms:
            node = trie
            for token in form.tokens:
                node = node.setdefault(token, {})
            node.setdefault(None, []).append(form)
        self._groups: list[list[AliasForm]] = []
        body = self._emit(trie) if self.forms else "(?!)"
        self._pattern = re.compile(r"(?<!\w)" + body + r"(?!\w)")

    def _emit(self, node: _Trie) -> str:
        # Longer continuations come first and this node's own end last, so the scan prefers
        # the longest name ("State Duma" over "State"), backtracking when a boundary fails.
        branches = [
            _token_regex(token) + self._emit(child)
            for token, child in sorted((k, v) for k, v in node.items() if k is not None)
        ]
        if None in node:
            self._groups.append(node[None])
            branches.append("()")  # an empty group marks which name ended here
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    def find(self, text: str) -> list[NameMatch]:
        """Every name in ``text``, leftmost-longest, in order."""
        return self.find_in(fold(text), text)

    def find_in(self, folded: Folded, text: str) -> list[NameMatch]:
        """Every name in ``folded``, a folding of ``text`` (``fold`` or another one with its
        map back), with spans in ``text``."""
        found: list[NameMatch] = []
        groups, length = self._groups, len(text)
        for match in self._pattern.finditer(folded.text):
            if folded.origin is None:
                start, end = match.span()
            else:
                start, end = _without_invisible_edges(text, *folded.span(*match.span()))
            if end < length and text[end] in _GAP and _continues_into_longer_name(text, end):
                continue
            read = match.group(0)
            surface = None
            readings = []
            ended = match.lastindex  # the empty group after the name that matched (_emit)
            assert ended is not None
            for form in groups[ended - 1]:
                if read != form.canonical:
                    read = collapse_spaces(read)
                    if not form.reads(read):
                        continue
                if form.surface is not None:
                    surface = surface or strip_marks(text[start:end])
                    if not _shows(surface, form.surface):
                        continue
                readings.append((form, read != form.canonical))
            if readings:
                found.append(NameMatch(start, end, readings))
        return found


def _without_invisible_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """A span less the invisible characters at its ends (a ZWSP after a name folds away with
    it, but is no part of the mention)."""
    while start < end and is_default_ignorable(text[start]):
        start += 1
    while end > start and is_default_ignorable(text[end - 1]):
        end -= 1
    return start, end


def _token_regex(token: str) -> str:
    if token == _SPACE:
        return r"\s+"
    if token == _ENDING:
        return _ENDING_RE
    return re.escape(token)


def _shows(surface: str, wanted: str) -> bool:
    """A case-sensitive name as written, or followed by a lower-case ending ("МИДа")."""
    return surface == wanted or (surface.startswith(wanted) and surface[len(wanted) :].islower())


def _continues_into_longer_name(text: str, end: int) -> bool:
    following = _NEXT_WORD.match(text, end)
    return following is not None and following.group(1) in NAME_CONTINUATIONS


# -- the words around a match ---------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")


def context(text: str, start: int, end: int, words: int = 6) -> tuple[str, str]:
    """Up to ``words`` words either side of ``text[start:end]``, each on one line; the
    space next to the match is kept so the three parts join as the text reads."""
    reach = 40 * (words + 1)  # generous: a word is cut at the window's edge only if huge
    head = _WHITESPACE.sub(" ", text[max(0, start - reach) : start]).split(" ")
    tail = _WHITESPACE.sub(" ", text[end : end + reach]).split(" ")
    return " ".join(head[-(words + 1) :]).lstrip(), " ".join(tail[: words + 1]).rstrip()
