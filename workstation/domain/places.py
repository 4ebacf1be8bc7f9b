"""Places and the states they stand for: is "Moscow" here the city, or Russia?

A capital's name is often an alias of its state ("Washington expelled ten diplomats",
"Moscow answered"): metonymy, and a mention of the state. The same name is the city itself
in a dateline ("MOSCOW, April 16 (Reuters) –", "WASHINGTON —"), after a preposition of place
or motion ("in Moscow", "went back to Washington", "из Москвы"), in an address
("1600 Pennsylvania Avenue, Washington, DC 20500") and as an attribute ("a Moscow court").
``place_use`` tells the two apart from the words around the name; it is pure (text in,
reason out) so the suggestion service, the benchmark and the tests share one rule.

Only names in ``SEATS`` (capitals and seats of government, English and Russian) are read
this way: "in Russia" or "at the Kremlin" name the entity itself, whatever the preposition.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from workstation.domain.matching import fold_text


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitals and seats of government whose names stand for a state or a body. Russian names
# are stems: the case endings (Москве, Москвы, Москву, Москвой) follow.
_SEATS_EN = """
    washington moscow brussels london paris berlin kyiv kiev beijing tokyo minsk tehran
    ankara warsaw vilnius riga tallinn prague vienna rome madrid ottawa canberra geneva
    stockholm helsinki oslo copenhagen budapest bucharest sofia belgrade tbilisi yerevan baku
    astana chisinau pyongyang seoul delhi islamabad damascus strasbourg
"""
_SEATS_RU = """
    москв вашингтон брюссел лондон париж берлин киев пекин токио минск тегеран анкар варшав
    вильнюс риг таллин праг вен рим мадрид оттав женев стокгольм хельсинки осло копенгаген
    будапешт бухарест софи белград тбилиси ереван баку астан кишинев кишинёв пхеньян сеул
    страсбург
"""
SEATS = _words(_SEATS_EN)
# Entity kinds (FollowTheMoney) that are places themselves: a city's name used as the place
# is a mention of them.
PLACE_KINDS = frozenset(("Address",))
_RU_STEMS = tuple(sorted(_words(_SEATS_RU), key=len, reverse=True))
# Folded as ``fold_text`` folds them (й → и): "Москвой" reads "москвои".
_RU_ENDINGS = _words("а е ы у ои ою и ом я ю ем еи") | {""}

# Words before the name that make it a place, whatever comes before them.
_PLACE_PREPOSITIONS = _words(
    "in at into inside outside near around across via within throughout "
    "в во из под около возле близ у"
)
# "to" and "from" are places after a word of motion ("went back to Washington", "flew in
# from Moscow"); otherwise they may be the state ("a message to Moscow", "pressure from
# Washington"): kept, with less certainty.
_DIRECTIONS = _words("to from toward towards до к ко")
_MOTION = _words(
    """
    back return returns returned returning go goes went gone going come comes came coming
    travel travels travelled traveled travelling traveling fly flies flew flown flying
    move moves moved moving arrive arrives arrived arriving head heads headed heading
    recall recalled recalls summoned transferred relocated sent home trip visit visits
    visited journey way flight flights route train drive drove
    вернулся вернуться вернулась вернулись вылетел вылетела вылетели прилетел прилетела
    прибыл прибыла прибыли приехал приехала уехал уехала уехали отозван отозвали поехал
    """
)
# "at" after these is aimed at the state, not the place ("a swipe at Moscow").
_AIMED = _words("aimed directed targeted pointed angry swipe jab dig lashed hit back")
_MONTHS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
    r"янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек"
)
# After a dateline's place: a dash, "(Reuters)", a date ("April 16", "16 апреля", "1/15").
_DATELINE_TAIL = re.compile(
    rf"\s*(?:,\s*(?:D\.\s?C\.\s*)?)?(?:[—–-]|\(|\d|(?:{_MONTHS})\w*\.?\s+\d)", re.IGNORECASE
)
_CAPS_COMMA = re.compile(r"\s*,")
_ADDRESS_AFTER = re.compile(r",?\s*(?:D\.\s?C\.|DC\b|\d{5,6}\b)")
_ADDRESS_BEFORE = re.compile(
    r"(?:\b(?:street|st|avenue|ave|road|rd|square|sq|boulevard|blvd|lane|place|pl)\.?|"
    r"(?:ул|пл|пр|пер|наб)\.|улица|площадь|проспект|переулок|набережная|шоссе|\b\d+[\w/-]*)"
    r"[^\n,]{0,30},\s*$",
    re.IGNORECASE,
)
_WORD_BEFORE = re.compile(r"(\w+)[^\w\n]*$")
_POSSESSIVE = re.compile(r"['’]s?\b")
_ATTRIBUTIVE_BEFORE = re.compile(r"\b(?:a|an|the)\s+$", re.IGNORECASE)
_LOWER_NOUN_AFTER = re.compile(r"\s+[a-z]{3,}")
_BEFORE = 60  # characters of the line before the name that the rule reads


class PlaceUse(NamedTuple):
    """Why a seat's name reads as the place; ``certain`` ones are not the state at all."""

    reason: str
    certain: bool


def seat_key(written: str) -> str | None:
    """The seat ``written`` names, case and Russian case endings folded away ("WASHINGTON"
    → "washington", "Москве" → "москв"), or None when it names none."""
    word = fold_text(written).strip()
    if word in SEATS:
        return word
    if not word.isalpha() or word.isascii():
        return None
    for stem in _RU_STEMS:
        if word.startswith(stem) and word[len(stem) :] in _RU_ENDINGS:
            return stem
    return None


def is_seat(written: str) -> bool:
    """Whether ``written`` names a capital or seat of government (any case, Russian case
    endings included): "WASHINGTON", "Москве"."""
    return seat_key(written) is not None


def place_use(text: str, start: int, end: int) -> PlaceUse | None:
    """Whether the seat's name at ``text[start:end]`` is used as the place (a dateline, an
    address, after a preposition of place or motion, an attribute) rather than for the state
    it stands for; None when it reads as the state or is not a seat's name at all."""
    if not is_seat(text[start:end]):
        return None
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - _BEFORE) : start]
    after = text[end : end + 40]
    if _POSSESSIVE.match(after):
        return None  # "Moscow's interference", "Washington’s embassy": the state
    if not before.strip():
        written = text[start:end]
        if _DATELINE_TAIL.match(after) or (written.isupper() and _CAPS_COMMA.match(after)):
            return PlaceUse("dateline: the place the story was filed from", True)
    if _ADDRESS_AFTER.match(after) or _ADDRESS_BEFORE.search(before):
        return PlaceUse("an address: the city", True)
    words = [w.lower() for w in re.findall(r"\w+", before)[-3:]]
    if words:
        last = words[-1]
        if last in _PLACE_PREPOSITIONS and not (last == "at" and _AIMED & set(words[:-1])):
            return PlaceUse(f"the city: after “{_last_word(before)}”", True)
        if last in _DIRECTIONS:
            if _MOTION & set(words[:-1]):
                return PlaceUse(f"the city: after “{' '.join(words[-2:])}”", True)
            return PlaceUse(f"perhaps the city: after “{_last_word(before)}”", False)
    if _ATTRIBUTIVE_BEFORE.search(before) and _LOWER_NOUN_AFTER.match(after):
        return PlaceUse("the city, as an attribute (“a Moscow court”)", True)
    return None


def _last_word(before: str) -> str:
    found = _WORD_BEFORE.search(before)
    return found.group(1) if found else ""
