"""New names in Cyrillic (Russian) text, found by natasha's news NER.

natasha tags PER, ORG and LOC spans; we keep the mostly Cyrillic ones (``names_latin`` reads
Latin script), give each its nominative ("Алексея Навального" → "Алексей Навальный") and a Latin
spelling as the alias ("Aleksey Navalny"), and map the tags onto the registry's kinds:

* PER → Person;
* ORG → PublicBody when the nominative holds a word of a state organ (МИД, министерство,
  Госдума, Кремль, ФСБ…); Company after a company's word ("госкорпорация «Росатом»");
  else Organization. An organ and its state in the genitive are one name, and an agency's
  acronym is filed under its full name ("ФСБ России" → "Федеральная служба безопасности",
  "МИД Польши" → "Министерство иностранных дел Польши");
* LOC → Country only for a state ("Россия", "США"); the Kremlin, the White House and the
  Pentagon are PublicBody, the European Union is an Organization, and every other place
  (Москва, Вашингтон, АЭС «Дукованы») is left out: places are not registry entities.

Offline by construction: the models ship inside the wheels (``natasha/data/emb/…tar``,
``natasha/data/model/slovnet_{ner,morph}_news_v1.tar``, read with ``tarfile``), and
pymorphy2's dictionaries come from the installed ``pymorphy2_dicts_ru`` package (by its
path, not through pkg_resources: see ``_morph_vocab``). Nothing fetches, so no environment
variable is needed.

pymorphy2 0.9.1 calls ``inspect.getargspec`` (gone in Python 3.11) whenever an analyser is
built; ``import natasha`` imports yargy, whose ``yargy/morph.py`` swaps in a
``getfullargspec`` version (``pymorphy2_311_hotfix``), so this module patches nothing (were
the fix gone, building ``MorphVocab`` would raise and every test here would fail).

The natasha objects (~1.5 s to build) are built once, on first use, under a lock; importing
this module imports none of natasha.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from workstation.domain.assistant import NameCandidate
from workstation.domain.assistant.names_russian_words import (
    AGENCIES,
    COMPANY_STEMS,
    COUNTRY_NAMES,
    FACILITY_STEMS,
    INTERNATIONAL_NAMES,
    LETTERS,
    MASCULINE_ENDINGS,
    MINISTRIES,
    PUBLIC_BODY_PHRASES,
    PUBLIC_BODY_WORDS,
    VOWELS,
    name_key,
)

_BASE_SCORE = {"PER": 0.85, "LOC": 0.75, "ORG": 0.7}
_TAG_LABEL = {"PER": "person", "ORG": "organisation", "LOC": "place"}
_BODY_KINDS = frozenset(("PublicBody", "Organization", "Company"))
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+")
_WORD = re.compile(r"\w+")
_CUE = re.compile(r"(\w+)\s*«?\s*$")  # the last word before a name or its opening quote


@dataclass(frozen=True)
class _Pipeline:
    segmenter: Any
    ner: Any
    morph: Any
    vocab: Any


_lock = threading.Lock()
_pipeline: _Pipeline | None = None


def loaded() -> bool:
    """Whether natasha's models are in memory."""
    return _pipeline is not None


def warm_up() -> None:
    """Load natasha's models now (~1.5 s) rather than on the first article."""
    _load()


def _load() -> _Pipeline:
    global _pipeline
    pipeline = _pipeline
    if pipeline is not None:
        return pipeline
    with _lock:  # two threads asking at once build the models once
        if _pipeline is None:
            from natasha import (
                NewsEmbedding,
                NewsMorphTagger,
                NewsNERTagger,
                Segmenter,
            )

            embedding = NewsEmbedding()
            _pipeline = _Pipeline(
                Segmenter(), NewsNERTagger(embedding), NewsMorphTagger(embedding), _morph_vocab()
            )
        return _pipeline


def _morph_vocab() -> Any:
    """natasha's ``MorphVocab`` with pymorphy2's dictionary given by path. Built plainly,
    pymorphy2 finds the dictionary through the ``pymorphy2_dicts`` entry point with
    ``pkg_resources``, which recent setuptools (84 in the lock, brought by PyInstaller) no
    longer has and a frozen bundle need not carry; the dictionary package knows its own
    path, so ask it. (``PYMORPHY2_DICT_PATH`` is not read: the shipped dictionary is the one
    the assistant was measured with.)"""
    import pymorphy2_dicts_ru
    from natasha.morph.vocab import MorphForm, MorphVocab, PymorphyAnalyzer

    class ShippedDictionaryVocab(MorphVocab):  # type: ignore[misc]  # natasha is untyped
        def __init__(self) -> None:
            PymorphyAnalyzer.__init__(
                self, path=pymorphy2_dicts_ru.get_path(), lang="ru", result_type=MorphForm
            )

    return ShippedDictionaryVocab()


def romanise(text: str) -> str:
    """Russian in the Latin letters officers type: BGN/PCGN without its apostrophes and
    diaereses, with the press's "-y" for "-ый/-ий" ("Алексей Навальный" → "Aleksey Navalny",
    "Мария Захарова" → "Mariya Zakharova"). ICU's scholarly "Aleksej Naval'nyj" (from
    ``transliteration.latin``) is not what anyone searches for, nor is its "Dzon" for "Джон"
    (Latin-ASCII strips the caron of "Džon")."""
    return _CYRILLIC_WORD.sub(lambda match: _romanise_word(match.group()), text)


def _romanise_word(word: str) -> str:
    lower = word.lower()
    if lower.endswith(("ый", "ий")) and len(lower) > 2:
        lower = lower[:-2] + "y"  # a Latin y survives the table below unchanged
    parts: list[str] = []
    for index, letter in enumerate(lower):
        before = lower[index - 1] if index else ""
        after_vowel = not before or before in VOWELS or before in "ъь"
        if letter == "е":
            parts.append("ye" if after_vowel else "e")
        elif letter == "ё":
            parts.append("e" if before in "жчшщ" else "yo")  # Gorbachev, but Fyodor
        elif letter == "ь" and lower[index + 1 : index + 2] == "и":
            parts.append("y")  # Ilyin
        else:
            parts.append(LETTERS.get(letter, letter))
    latin = "".join(parts)
    if len(word) > 1 and word.isupper():  # an acronym is spelled letter by letter: ЕС → ES
        return "".join(LETTERS.get(letter, letter) for letter in lower).upper()
    return latin[:1].upper() + latin[1:] if word[:1].isupper() else latin


def _mostly_cyrillic(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    cyrillic = sum(1 for char in letters if "\u0400" <= char <= "\u04ff")
    return cyrillic * 2 > len(letters)


def _public_body_word(normal: str) -> str | None:
    key = name_key(normal)
    for phrase in PUBLIC_BODY_PHRASES:
        if phrase in key:
            return phrase
    return next((word for word in _WORD.findall(key) if word in PUBLIC_BODY_WORDS), None)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    tag: str  # natasha's PER / ORG / LOC
    tokens: tuple[Any, ...]
    normal: str = ""
    state: str = ""  # the English name of the state joined to an organ ("МИД Польши")
    counterpart: str | None = None  # when it is not the normal romanised
    cue: str = ""  # the word before the name ("госкорпорация «Росатом»", "компании X")
    quoted: bool = False  # the name stands in «quotes» after that word


def propose_russian(
    body: str,
    *,
    known: Sequence[tuple[int, int]] = (),
    rejected: Collection[str] = (),
) -> list[NameCandidate]:
    """Names natasha finds in the Cyrillic parts of ``body``: one candidate per mention, in
    text order, none overlapping a ``known`` span (start, end) or with its text or nominative
    among ``rejected`` (case-insensitive)."""
    if not _CYRILLIC_WORD.search(body):
        return []  # nothing for natasha: an English article does not load it
    pipeline = _load()
    found = [_with_normal(span, pipeline.vocab) for span in _analyse(body, pipeline)]
    found = _complete_surnames(_join_bodies_with_countries(body, found))
    found = [_expand_agency(_with_cue(body, span)) for span in found]
    # "АЭС «Дукованы»": a facility's name is a place, not an entity ("на складе Минобороны"
    # names the owner, so only a quoted name goes)
    found = [
        span
        for span in found
        if span.tag == "PER" or not (span.quoted and span.cue.startswith(FACILITY_STEMS))
    ]
    companies = {name_key(span.normal) for span in found if span.cue.startswith(COMPANY_STEMS)}
    rejected_keys = {name_key(text) for text in rejected}
    kept = [
        (span, kind)
        for span in found
        if (kind := _kind(span, companies)) is not None
        and not _hidden(span.start, span.end, kind, known)
        and name_key(body[span.start : span.end]) not in rejected_keys
        and name_key(span.normal) not in rejected_keys
    ]
    counts = Counter(name_key(span.normal) for span, _ in kept)
    # "МИД Польши" gives the English of "Министерство иностранных дел Польши" too
    english = {name_key(span.normal): span.counterpart for span, _ in kept if span.counterpart}
    return [
        _candidate(body, replace(span, counterpart=english.get(key)), kind, counts[key])
        for span, kind in kept
        for key in [name_key(span.normal)]
    ]


def hides(known: Sequence[tuple[int, int]], candidate: NameCandidate) -> bool:
    """Whether a known span (start, end) hides ``candidate``: any overlap, except a known name
    inside a body's longer name ("России" in "ФСБ России", "МИД" in "МИД Польши"): that is a
    new body, named after a known one."""
    return _hidden(candidate.start, candidate.end, candidate.entity_kind, known)


def _hidden(start: int, end: int, kind: str, known: Sequence[tuple[int, int]]) -> bool:
    return any(
        start < b
        and a < end
        and not (kind in _BODY_KINDS and start <= a and b <= end and (a, b) != (start, end))
        for a, b in known
    )


def _analyse(body: str, pipeline: _Pipeline) -> list[_Found]:
    """natasha's mostly Cyrillic spans, their words tagged for part of speech and case."""
    from natasha import Doc

    doc = Doc(body)
    doc.segment(pipeline.segmenter)
    doc.tag_ner(pipeline.ner)
    spans = [span for span in doc.spans if span.tokens and _mostly_cyrillic(span.text)]
    # Only the sentences holding a name: the tagger costs as much as the NER per sentence.
    wanted = {id(token) for span in spans for token in span.tokens}
    sentences = [sent for sent in doc.sents if any(id(token) in wanted for token in sent.tokens)]
    markups = pipeline.morph.map([[token.text for token in sent.tokens] for sent in sentences])
    for sent, markup in zip(sentences, markups, strict=True):
        for token, tagged in zip(sent.tokens, markup.tokens, strict=True):
            token.pos, token.feats = tagged.pos, tagged.feats
    found = []
    for span in spans:
        # natasha may take a closing quote in ("Росатом»"): the name is the words
        tokens = list(span.tokens)
        while tokens and not _WORD.search(tokens[-1].text):
            tokens.pop()
        while tokens and not _WORD.search(tokens[0].text):
            tokens.pop(0)
        if tokens and all(token.feats is not None for token in tokens):  # else outside a sentence
            found.append(_Found(tokens[0].start, tokens[-1].stop, span.type, tuple(tokens)))
    return found


def _with_normal(span: _Found, vocab: Any) -> _Found:
    """The nominative. A person's every word declines ("Алексея Навального"); in an
    organisation or a place only the head noun and the adjectives before it do, the words after
    it are its genitive complement ("Совете Федерации" → "Совет Федерации"). natasha gets that
    from its syntax parser, which costs more than the rest together."""
    from natasha.norm import NOUN, PROPN, inflect_word, recover_shape

    words: list[str] = []
    declining = True
    for index, token in enumerate(span.tokens):
        if not declining:
            words.append(token.text)
            continue
        word, pos = inflect_word(vocab, token), token.pos
        if word == token.text.lower().replace("ё", "е") and token.feats.get("Case") != "Nom":
            if span.tag == "PER":
                word = _masculine_nominative(word, token.feats)
            else:
                following = span.tokens[index + 1 : index + 2] or [token]
                word, pos = _adjective_nominative(vocab, word, token, following[0], pos)
        words.append(_keep_yo(recover_shape(word, token.text), token.text))
        declining = span.tag == "PER" or pos not in (NOUN, PROPN)
    parts = [words[0]] if words else []
    for before, token, word in zip(span.tokens, span.tokens[1:], words[1:], strict=False):
        parts.append(" " * (token.start - before.stop) + word)
    return replace(span, normal="".join(parts))


def _adjective_nominative(
    vocab: Any, word: str, token: Any, head: Any, pos: str
) -> tuple[str, str]:
    """An adjective the tagger mistook: in "Соединённых Штатов" it calls the first word a
    proper noun of the wrong number, so natasha finds no form to inflect; pymorphy's adjective
    (or participle) reading in the case of the word and the number of the noun after it does."""
    for form in vocab(word):
        if (
            (form.pos == "ADJ" or form.feats.get("VerbForm") == "Part")
            and form.feats.get("Case") == token.feats.get("Case")
            and form.feats.get("Number") == head.feats.get("Number")
        ):
            nominative = form.inflect({"Nom"})
            if nominative:
                return nominative.word.replace("ё", "е"), "ADJ"
    return word, pos


def _masculine_nominative(word: str, feats: dict[str, str]) -> str:
    if feats.get("Gender") != "Masc" or feats.get("Number") != "Sing":
        return word
    for ending, nominative in MASCULINE_ENDINGS.get(feats.get("Case", ""), ()):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + nominative
    return word


def _keep_yo(word: str, written: str) -> str:
    """Put back the ё natasha folds to е where the inflected word keeps the written stem
    ("Соединённых" → "Соединённые", not "Соединенные")."""
    letters = list(word)
    for index, (mine, theirs) in enumerate(zip(word, written, strict=False)):
        if theirs in "ёЁ" and mine in "еЕ":
            letters[index] = "ё" if mine == "е" else "Ё"
        elif name_key(mine) != name_key(theirs):
            break
    return "".join(letters)


def _join_bodies_with_countries(body: str, found: list[_Found]) -> list[_Found]:
    """One name for an organ and its state or union: natasha tags "МИД" and "России" apart, but
    the name the officer files is "МИД России" (also "Минфин США", "Совет ЕС"), the second part
    in the genitive as written."""
    joined: list[_Found] = []
    for span in found:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.tag == "ORG"
            and span.tag != "PER"
            and body[previous.end : span.start] == " "
            and (
                name_key(span.normal) in COUNTRY_NAMES
                or name_key(span.normal) in INTERNATIONAL_NAMES
            )
            and (
                body[span.start : span.end].isupper() or span.tokens[-1].feats.get("Case") == "Gen"
            )
        ):
            joined[-1] = replace(
                previous,
                end=span.end,
                tokens=previous.tokens + span.tokens,
                normal=f"{previous.normal} {body[span.start : span.end]}",
                state=COUNTRY_NAMES.get(name_key(span.normal), ""),
            )
        else:
            joined.append(span)
    return joined


def _complete_surnames(found: list[_Found]) -> list[_Found]:
    """A lone surname takes the full name it shares with exactly one person named in full in
    the same text: "с Байденом" after "Джо Байдена" is "Джо Байден"."""
    full_names: dict[str, set[str]] = {}
    for span in found:
        words = span.normal.split()
        if span.tag == "PER" and len(words) > 1:
            full_names.setdefault(name_key(words[-1]), set()).add(span.normal)
    completed: list[_Found] = []
    for span in found:
        names = full_names.get(name_key(span.normal), set())
        if span.tag == "PER" and " " not in span.normal and len(names) == 1:
            span = replace(span, normal=next(iter(names)))
        completed.append(span)
    return completed


def _with_cue(body: str, span: _Found) -> _Found:
    """The word (lowercase) before the name or the «quotes» it stands in: "госкорпорация" for
    "госкорпорация «Росатом»", "аэс" for natasha's "АЭС «Дукованы»"."""
    text = body[span.start : span.end]
    quote = text.find("«")
    before = text[:quote] if quote > 0 else body[max(0, span.start - 40) : span.start]
    match = _CUE.search(before)
    if match is None:
        return span
    return replace(span, cue=match.group(1).lower(), quoted=quote > 0 or "«" in match.group())


def _expand_agency(span: _Found) -> _Found:
    """An agency's acronym as the name the officer files: "ФСБ России" → "Федеральная служба
    безопасности"; a ministry keeps its state: "МИД Польши" → "Министерство иностранных дел
    Польши" (alone, "МИД" says not whose, and stays as written)."""
    head, _, rest = span.normal.partition(" ")
    key = name_key(head)
    if span.tag != "ORG" or (rest and not span.state):
        return span
    if key in AGENCIES:
        normal, english = AGENCIES[key]
        return replace(span, normal=normal, counterpart=english)
    if key in MINISTRIES and rest:
        normal, english = MINISTRIES[key]
        return replace(span, normal=f"{normal} {rest}", counterpart=f"{english} of {span.state}")
    return span


def _kind(span: _Found, companies: Collection[str] = ()) -> str | None:
    key = name_key(span.normal)
    if key in INTERNATIONAL_NAMES:
        return "Organization"
    if span.tag == "PER":
        return "Person"
    if key in COUNTRY_NAMES:
        return "Country"
    if _public_body_word(span.normal) is not None:
        return "PublicBody"
    if span.tag == "ORG" and key in companies:  # "госкорпорация «Росатом»", "ПАО «Газпром»"
        return "Company"
    return "Organization" if span.tag == "ORG" else None  # other places: cities, regions


def _candidate(body: str, span: _Found, kind: str, mentions: int) -> NameCandidate:
    score = _BASE_SCORE[span.tag]
    notes: list[str] = []
    if span.tag == "ORG" and len(span.tokens) == 1:
        score -= 0.1
    if mentions == 1:
        score -= 0.1
    else:
        score += min(0.1, 0.05 * (mentions - 1))
        notes.append(f"named {mentions} times")
    key = name_key(span.normal)
    if kind == "PublicBody":
        notes.append(f"state organ “{_public_body_word(span.normal)}”")
    elif kind == "Company":
        company = span.cue.startswith(COMPANY_STEMS)
        notes.append(f"“{span.cue}” before it" if company else "a company, as named elsewhere")
    counterpart = (
        span.counterpart
        or COUNTRY_NAMES.get(key)
        or INTERNATIONAL_NAMES.get(key)
        or romanise(span.normal)
    )
    reason = (
        f"natasha NER: {span.tag} ({_TAG_LABEL[span.tag]}), nominative {span.normal}"
        + "".join(f"; {note}" for note in notes)
    )
    return NameCandidate(
        start=span.start,
        end=span.end,
        text=body[span.start : span.end],
        entity_kind=kind,
        score=round(min(0.98, max(0.05, score)), 3),
        reason=reason,
        normal=span.normal,
        counterpart=counterpart if counterpart != span.normal else None,
    )
