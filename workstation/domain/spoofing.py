"""Look-alike letters: mixed scripts and confusable skeletons (Unicode UTS #39, through ICU).

"Sergеy Lavrov" with a Cyrillic е reads as Sergey Lavrov but is another string: searched,
matched or merged as plain text it either hides from the real name or poses as it. UTS #39
gives two tools, both used here as ICU's SpoofChecker implements them:

* the *restriction level*: a word whose letters come from scripts that are not normally
  written together (Latin with Cyrillic, Latin with Greek…) is flagged. Words are checked one
  by one, so a name written in one script ("Лавров", "Lavrov") is not flagged, nor is a text
  or a name list holding words of several scripts ("Sergey Lavrov / Сергей Лавров");
* the *confusable skeleton*: the string every look-alike of a text maps to ("Pаypal" and
  "Paypal" share one). Two different names with one skeleton are look-alike twins.

Matching ignores invisible characters (text_display.fold_ignorables) and case before either.
ICU is imported on first use: it costs ~10 ms, and start-up imports nothing heavy.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from workstation.domain.text_display import fold_ignorables

# Scripts every script shares (digits, punctuation, combining marks): they mix with anything.
_SHARED_SCRIPTS = frozenset({"Zyyy", "Zinh", "Zzzz"})


@functools.cache
def _icu() -> Any:
    import icu

    return icu


@functools.cache
def _restriction_checker() -> Any:
    icu = _icu()
    checker = icu.SpoofChecker()
    # Only the restriction level: invisible characters are folded before checking, and the
    # other checks (allowed characters, numbers) flag ordinary text in names.
    checker.setChecks(icu.USpoofChecks.RESTRICTION_LEVEL)
    checker.setRestrictionLevel(icu.URestrictionLevel.HIGHLY_RESTRICTIVE)
    return checker


@functools.cache
def _skeleton_checker() -> Any:
    return _icu().SpoofChecker()


def _comparable(text: str) -> str:
    """What is compared: NFC, no invisible characters, no case, single spaces."""
    return " ".join(fold_ignorables(unicodedata.normalize("NFC", text)).casefold().split())


@functools.lru_cache(maxsize=100_000)
def mixed_word(word: str) -> bool:
    """True when one word mixes scripts in a way UTS #39 flags ("Sergеy", "Pаypal")."""
    if word.isascii():  # every ASCII letter is Latin: nothing to mix
        return False
    folded = fold_ignorables(unicodedata.normalize("NFC", word))
    return bool(folded) and _restriction_checker().check(folded) != 0


def mixed_script(text: str) -> bool:
    """True when a word of ``text`` mixes scripts as UTS #39 flags (HIGHLY_RESTRICTIVE: Latin
    with Han and kana, as Japanese writes, is allowed; Latin with Cyrillic or Greek is not).

    Words are split at white space: "Sergеy Lavrov" is mixed, "Сергей Лавров" and "Sergey
    Lavrov" are not, and neither is "Lavrov Лавров" (two words, one script each)."""
    if text.isascii():
        return False
    return any(mixed_word(word) for word in text.split())


@functools.lru_cache(maxsize=100_000)
def skeleton(text: str) -> str:
    """The UTS #39 confusable skeleton of ``text`` without invisible characters and case:
    equal for every look-alike of it ("Pаypal" and "PAYPAL" both give "paypal"). Case is
    folded first, so a capital I is an i here, not the look-alike of an l."""
    # Folded again after ICU: the skeleton maps some characters to capitals (digit 0 → O).
    found: str = _skeleton_checker().getSkeleton(0, _comparable(text))
    return found.casefold()


def confusable(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are different strings that look alike: one skeleton, but not
    the same text once case and invisible characters are set aside ("Sergеy" with a Cyrillic
    е and "Sergey"; not "Sergey" and "SERGEY", which are one name written twice)."""
    return _comparable(a) != _comparable(b) and skeleton(a) == skeleton(b)


@functools.lru_cache(maxsize=100_000)
def scripts(text: str) -> frozenset[str]:
    """The ISO 15924 codes of the scripts of the letters of ``text`` ("Latn", "Cyrl"…),
    leaving out what every script shares (digits, punctuation, combining marks)."""
    if text.isascii():
        return frozenset({"Latn"}) if any(c.isalpha() for c in text) else frozenset()
    script_of = _icu().Script.getScript
    found = {script_of(ord(c)).getShortName() for c in fold_ignorables(text) if c.isalpha()}
    return frozenset(found - _SHARED_SCRIPTS)


def scripts_differ(a: str, b: str) -> bool:
    """True when one of ``a`` and ``b`` mixes scripts, or they are written in different ones
    ("Рау" in Cyrillic beside "Pay")."""
    return mixed_script(a) or mixed_script(b) or scripts(a) != scripts(b)


def look_alike_twins(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are confusable and the difference is in the scripts.

    Confusables within one script ("rn" and "m", "cl" and "d": "Kirn" and "Kim") are ordinary
    spelling differences between real names far more often than disguise: left out."""
    return confusable(a, b) and scripts_differ(a, b)
