"""Whether a name may join an entity's names without a person deciding.

An imported record matched to a known entity (by id, Wikidata id or one of its names) often
brings other names: a transliteration, a spelling, the full form. Added silently, a hostile
or mistaken file could make "Vladimir Putin" an alias of Joe Biden. A name is taken only
when it *agrees* with one the entity already has:

* the two read alike once both are in Latin letters (``transliteration.latin``, case and
  punctuation set aside) or once each word is reduced to its loose sound key
  (``transliteration.sound_key``: "Сергей Лавров" ~ "Sergey Lavrov", "Москва" ~ "Moscow"):
  rapidfuzz's token-sort ratio of at least ``AGREEMENT``; or
* the words of one are all words of the other ("Lavrov" and "Sergey Lavrov", "Vladimir
  Vladimirovich Putin" and "Vladimir Putin").

Anything else ("MID" for "Ministry of Foreign Affairs" as much as "Vladimir Putin" for
"Joe Biden") is held back for the officer. Measured pairs are in
tests/unit/test_untrusted_annotations.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from workstation.domain.transliteration import latin, sound_key

AGREEMENT = 60.0  # "Joseph R. Biden Jr."~"Joe Biden" 69; "Vladimir Putin"~"Joe Biden" 27
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def _words(name: str) -> tuple[str, ...]:
    return tuple(_NOT_LETTERS.sub(" ", latin(name).casefold()).split())


def _forms(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    words = _words(name)
    return words, tuple(key for key in (sound_key(word) for word in words) if key)


def names_agree(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` can be two ways of writing one name."""
    from rapidfuzz import fuzz

    for left, right in zip(_forms(a), _forms(b), strict=True):
        if not left or not right:
            continue
        if set(left) <= set(right) or set(right) <= set(left):
            return True
        if fuzz.token_sort_ratio(" ".join(left), " ".join(right)) >= AGREEMENT:
            return True
    return False


def agrees_with_any(name: str, known: Iterable[str]) -> bool:
    """True when ``name`` agrees with at least one of ``known``."""
    return any(names_agree(name, other) for other in known)
