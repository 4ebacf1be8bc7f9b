"""Names across scripts: one loose Latin key for a word in any script.

An article in Russian writes "Вашингтон" and "Лавров" where the registry holds Washington and
Lavrov; an English one writes "Navalny" where the registry may hold only "Навальный". ICU
transliterates to Latin (``Any-Latin; Latin-ASCII``: "Vasington", "Lavrov", "Naval'nyj"), and
the key then smooths over the usual romanisation choices, so both sides of each pair meet:

* w→v, sh/sch/shch→s, zh→z, kh→h, ch→c, ts/tz→c, ck→k, ph→f, x→ks, q→k ("Washington" and
  "Vasington": vasington);
* j, y and i are one letter, and dropped before a vowel ("Nebenzia", "Nebenzya" and the ICU
  "Nebenza": nebenza; "Naval'nyj" and "Navalny": navalni);
* apostrophes (soft signs) and doubled letters go ("Brussel'", "Brussel").

The key is for proposing, never for deciding: a match through it is a suggestion ranked below
every exact one, with the reason shown to the officer.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from workstation.domain.text_display import fold_ignorables

_NOT_LETTERS = re.compile(r"[^a-z]+")
_SPELLINGS = (
    ("shch", "s"),
    ("sch", "s"),
    ("sh", "s"),
    ("zh", "z"),
    ("kh", "h"),
    ("ch", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("ck", "k"),
    ("ph", "f"),
    ("w", "v"),
    ("x", "ks"),
    ("q", "k"),
    ("j", "i"),
    ("y", "i"),
)
_GLIDE = re.compile(r"i(?=[aeou])")
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = "aeiou"


@functools.cache
def _to_latin() -> Any:
    import icu  # ~10 ms: imported on first use only

    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


@functools.lru_cache(maxsize=100_000)
def latin(text: str) -> str:
    """``text`` in plain Latin letters (ASCII), as ICU transliterates it."""
    text = fold_ignorables(text)
    return text if text.isascii() else _to_latin().transliterate(text)


@functools.lru_cache(maxsize=100_000)
def sound_key(word: str) -> str:
    """The loose Latin key of one word: "Вашингтон" and "Washington" both give "vasington"."""
    key = _NOT_LETTERS.sub("", latin(word).lower())
    for written, said in _SPELLINGS:
        key = key.replace(written, said)
    return _DOUBLED.sub(r"\1", _GLIDE.sub("", key))


def stem_key(key: str) -> str:
    """A key without its final vowels: what a declined Russian form keeps of a name
    ("Навального" → navaln, as "Navalny" → navalni → navaln)."""
    return key.rstrip(_VOWELS)
