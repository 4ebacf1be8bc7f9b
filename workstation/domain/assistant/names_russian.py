"""New names in Cyrillic (Russian) text, found by natasha's news NER.

natasha tags PER, ORG and LOC spans; we keep the mostly Cyrillic ones (``names_latin`` reads
Latin script), give each its nominative ("Алексея Навального" → "Алексей Навальный") and a Latin
spelling as the alias ("Aleksey Navalny"), and map the tags onto the registry's kinds:

* PER → Person;
* ORG → PublicBody when the nominative holds a word of a state organ (МИД, министерство,
  Госдума, Кремль, ФСБ…), else Organization; "МИД" followed by a country in the genitive is one
  name, "МИД России";
* LOC → Country only for a state ("Россия", "США"); the Kremlin, the White House and the
  Pentagon are PublicBody, the European Union is an Organization, and every other place
  (Москва, Вашингтон) is left out: cities are places here, not registry entities.

Offline by construction: the models ship inside the wheels and are read from files beside
the code. ``natasha/data.py`` points at ``natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar``
and ``natasha/data/model/slovnet_{ner,morph}_news_v1.tar`` (read with ``tarfile`` by navec and
slovnet); ``MorphVocab`` is pymorphy2's analyser, whose dictionaries come from the installed
``pymorphy2_dicts_ru`` package (found through its entry point, a local lookup). Nothing
fetches, so no environment variable is needed.

pymorphy2 0.9.1 calls ``inspect.getargspec`` (gone in Python 3.11) from
``BaseAnalyzerUnit._get_param_names`` each time an analyser is built (``MorphVocab()``
clones its units). ``import natasha`` imports yargy, whose ``yargy/morph.py`` replaces that
method with a ``getfullargspec`` version at import (``pymorphy2_311_hotfix``), so the path we
use works as installed and this module patches nothing (were the fix gone, building
``MorphVocab`` would raise and every test of this module would fail).

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

_BASE_SCORE = {"PER": 0.85, "LOC": 0.75, "ORG": 0.7}
_TAG_LABEL = {"PER": "person", "ORG": "organisation", "LOC": "place"}
# A man's surname pymorphy does not know stays declined ("Келина", "Скрипаля"); these
# endings of the masculine cases come off to give the nominative ("Келин", "Скрипаль").
_MASCULINE_ENDINGS = {
    "Gen": (("я", "ь"), ("а", "")),
    "Acc": (("я", "ь"), ("а", "")),
    "Dat": (("ю", "ь"), ("у", "")),
    "Ins": (("ым", ""), ("ом", "")),
}

# Nominatives (matched with ё folded to е) and the English name officers type: the English is
# the counterpart, as "SShA" or ICU's "SSA" would match nothing in the registry.
_COUNTRY_TABLE = """
Россия, Российская Федерация, РФ: Russia;
США, Соединённые Штаты, Соединённые Штаты Америки, Америка: United States;
Великобритания, Британия, Соединённое Королевство: United Kingdom; Англия: England;
Германия, ФРГ: Germany; Франция: France; Китай, КНР: China;
Чехия, Чешская Республика: Czech Republic; Польша: Poland; Украина: Ukraine;
Белоруссия, Беларусь: Belarus; Молдавия, Молдова: Moldova; Киргизия, Кыргызстан: Kyrgyzstan;
Туркмения, Туркменистан: Turkmenistan; Нидерланды, Голландия: Netherlands;
Северная Македония, Македония: North Macedonia; Южная Корея, Республика Корея: South Korea;
Северная Корея, КНДР: North Korea; ЮАР, Южная Африка: South Africa;
ОАЭ, Объединённые Арабские Эмираты: United Arab Emirates; Казахстан: Kazakhstan; Грузия: Georgia;
Армения: Armenia; Азербайджан: Azerbaijan; Узбекистан: Uzbekistan; Таджикистан: Tajikistan;
Латвия: Latvia; Литва: Lithuania; Эстония: Estonia; Финляндия: Finland; Швеция: Sweden;
Норвегия: Norway; Дания: Denmark; Исландия: Iceland; Бельгия: Belgium; Люксембург: Luxembourg;
Швейцария: Switzerland; Австрия: Austria; Италия: Italy; Испания: Spain; Португалия: Portugal;
Греция: Greece; Кипр: Cyprus; Мальта: Malta; Ирландия: Ireland; Венгрия: Hungary;
Словакия: Slovakia; Словения: Slovenia; Хорватия: Croatia; Сербия: Serbia; Черногория: Montenegro;
Босния и Герцеговина: Bosnia and Herzegovina; Албания: Albania; Болгария: Bulgaria;
Румыния: Romania; Турция: Turkey; Израиль: Israel; Палестина: Palestine; Иран: Iran; Ирак: Iraq;
Сирия: Syria; Ливан: Lebanon; Иордания: Jordan; Саудовская Аравия: Saudi Arabia; Катар: Qatar;
Кувейт: Kuwait; Йемен: Yemen; Египет: Egypt; Ливия: Libya; Тунис: Tunisia; Алжир: Algeria;
Марокко: Morocco; Судан: Sudan; Эфиопия: Ethiopia; Нигерия: Nigeria; Кения: Kenya; Мали: Mali;
Афганистан: Afghanistan; Пакистан: Pakistan; Индия: India; Монголия: Mongolia; Япония: Japan;
Вьетнам: Vietnam; Таиланд: Thailand; Индонезия: Indonesia; Малайзия: Malaysia;
Сингапур: Singapore; Филиппины: Philippines; Австралия: Australia; Новая Зеландия: New Zealand;
Канада: Canada; Мексика: Mexico; Куба: Cuba; Венесуэла: Venezuela; Колумбия: Colombia;
Бразилия: Brazil; Аргентина: Argentina; Чили: Chile; Перу: Peru; Никарагуа: Nicaragua;
Тайвань: Taiwan; Ватикан: Vatican
"""
# Unions of states natasha may tag LOC: members are countries, the union is not.
_INTERNATIONAL = (
    ("Евросоюз", "European Union"),
    ("Европейский союз", "European Union"),
    ("ЕС", "European Union"),
    ("НАТО", "NATO"),
    ("ООН", "United Nations"),
)
# A state organ is named by one of these words in its nominative ("Министерство иностранных
# дел", "Минфин США", "Посольство России").
_PUBLIC_BODY_TEXT = """
мид минфин минобороны минюст минэкономразвития минпромторг минэнерго минторг минздрав мвд фсб
свр гру фсо фсин цру фбр ану госдума дума совфед кремль госдеп госдепартамент пентагон
сенат конгресс парламент бундестаг рада кабмин правительство администрация посольство
консульство генконсульство министерство ведомство казначейство прокуратура генпрокуратура
совбез"""
_PUBLIC_BODY_WORDS = frozenset(_PUBLIC_BODY_TEXT.split())
_PUBLIC_BODY_PHRASES = (
    "совет федерации",
    "белый дом",
    "государственный департамент",
    "государственная дума",
    "палата представителей",
    "совет безопасности",
    "верховный суд",
    "следственный комитет",
)

_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+")
_WORD = re.compile(r"\w+")
_VOWELS = "аеёиоуыэюя"
_LETTERS = {
    **{"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh"},
    **{"з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o"},
    **{"п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts"},
    **{"ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu"},
    **{"я": "ya"},
}


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


_COUNTRY_NAMES = {
    _key(russian): english.strip()
    for entry in _COUNTRY_TABLE.split(";")
    for names, english in [entry.split(":")]
    for russian in names.split(",")
}
_INTERNATIONAL_NAMES = {_key(russian): english for russian, english in _INTERNATIONAL}


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
                MorphVocab,
                NewsEmbedding,
                NewsMorphTagger,
                NewsNERTagger,
                Segmenter,
            )

            embedding = NewsEmbedding()
            _pipeline = _Pipeline(
                Segmenter(), NewsNERTagger(embedding), NewsMorphTagger(embedding), MorphVocab()
            )
        return _pipeline


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
        after_vowel = not before or before in _VOWELS or before in "ъь"
        if letter == "е":
            parts.append("ye" if after_vowel else "e")
        elif letter == "ё":
            parts.append("e" if before in "жчшщ" else "yo")  # Gorbachev, but Fyodor
        elif letter == "ь" and lower[index + 1 : index + 2] == "и":
            parts.append("y")  # Ilyin
        else:
            parts.append(_LETTERS.get(letter, letter))
    latin = "".join(parts)
    if len(word) > 1 and word.isupper():  # an acronym is spelled letter by letter: ЕС → ES
        return "".join(_LETTERS.get(letter, letter) for letter in lower).upper()
    return latin[:1].upper() + latin[1:] if word[:1].isupper() else latin


def _mostly_cyrillic(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    cyrillic = sum(1 for char in letters if "\u0400" <= char <= "\u04ff")
    return cyrillic * 2 > len(letters)


def _public_body_word(normal: str) -> str | None:
    key = _key(normal)
    for phrase in _PUBLIC_BODY_PHRASES:
        if phrase in key:
            return phrase
    return next((word for word in _WORD.findall(key) if word in _PUBLIC_BODY_WORDS), None)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    tag: str  # natasha's PER / ORG / LOC
    tokens: tuple[Any, ...]
    normal: str = ""


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
    rejected_keys = {_key(text) for text in rejected}
    kept = [
        (span, kind)
        for span in found
        if (kind := _kind(span)) is not None
        and not any(span.start < end and start < span.end for start, end in known)
        and _key(body[span.start : span.end]) not in rejected_keys
        and _key(span.normal) not in rejected_keys
    ]
    counts = Counter(_key(span.normal) for span, _ in kept)
    return [_candidate(body, span, kind, counts[_key(span.normal)]) for span, kind in kept]


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
    return [
        _Found(span.start, span.stop, span.type, tuple(span.tokens))
        for span in spans
        if all(token.feats is not None for token in span.tokens)  # a word outside every sentence
    ]


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
    for ending, nominative in _MASCULINE_ENDINGS.get(feats.get("Case", ""), ()):
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
        elif _key(mine) != _key(theirs):
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
            and (_key(span.normal) in _COUNTRY_NAMES or _key(span.normal) in _INTERNATIONAL_NAMES)
            and (
                body[span.start : span.end].isupper() or span.tokens[-1].feats.get("Case") == "Gen"
            )
        ):
            joined[-1] = replace(
                previous,
                end=span.end,
                tokens=previous.tokens + span.tokens,
                normal=f"{previous.normal} {body[span.start : span.end]}",
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
            full_names.setdefault(_key(words[-1]), set()).add(span.normal)
    completed: list[_Found] = []
    for span in found:
        names = full_names.get(_key(span.normal), set())
        if span.tag == "PER" and " " not in span.normal and len(names) == 1:
            span = replace(span, normal=next(iter(names)))
        completed.append(span)
    return completed


def _kind(span: _Found) -> str | None:
    key = _key(span.normal)
    if key in _INTERNATIONAL_NAMES:
        return "Organization"
    if span.tag == "PER":
        return "Person"
    if key in _COUNTRY_NAMES:
        return "Country"
    if _public_body_word(span.normal) is not None:
        return "PublicBody"
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
    key = _key(span.normal)
    if kind == "PublicBody":
        notes.append(f"state organ “{_public_body_word(span.normal)}”")
    counterpart = _COUNTRY_NAMES.get(key) or _INTERNATIONAL_NAMES.get(key) or romanise(span.normal)
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
