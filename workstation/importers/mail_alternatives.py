"""Do the plain-text and HTML versions of an e-mail say the same thing?

A multipart/alternative message carries the same text twice, and mail clients show the HTML
one. When the two disagree — a plain part that says "will NOT attend" under an HTML part that
says "will attend", numbers that differ, or simply different text — the officer must know
that the archive holds one version and a colleague's client may have shown the other.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

# Below this similarity of the two word sequences (difflib's ratio: twice the matched words
# over all words) the parts are reported even when no single change stands out. Generated
# plain parts lose link addresses, bullets and emphasis marks, which the word comparison
# ignores, so faithful pairs score close to 1.0; a tenth of the words differing is not a
# rendering artefact any more.
SIMILARITY_THRESHOLD = 0.9
# Enough for any real message; bounds the comparison of a pathological one.
MAX_COMPARED_WORDS = 20_000

# A change in any of these flips or alters what a sentence asserts, however small the rest
# of the difference: always reported.
NEGATIONS = frozenset(
    {
        "not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "cannot",
        "without",
        "ne", "pas", "jamais", "non", "aucun", "aucune",
        "nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals",
        "nunca", "nada", "ninguno", "ninguna",
        "не", "нет", "ни", "никогда", "ничего", "никто", "нельзя", "без",
    }
)  # fmt: skip

_URL = re.compile(r"(?:https?|ftp|mailto):\S+|www\.\S+", re.I)
# Letters and digits, with inner apostrophes (won't, l'ambassade); "_emphasis_" and "*bold*"
# marks of generated plain parts are not words.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CONTRACTED_NOT = ("n't", "n’t")  # don't, won't, isn’t: a negation like "not"
_SHOWN_WORDS = 8


def describe_disagreement(plain: str, html: str) -> str | None:
    """A one-line report when the displayed HTML text and the plain text differ
    materially; None when they agree."""
    plain_words, html_words = _words(plain), _words(html)
    plain_keys = [w.casefold() for w in plain_words]
    html_keys = [w.casefold() for w in html_words]
    if plain_keys == html_keys:
        return None
    matcher = SequenceMatcher(None, plain_keys, html_keys)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    telling = [op for op in changes if _changes_meaning(plain_keys, html_keys, op)]
    similarity = matcher.ratio()
    if not telling and similarity >= SIMILARITY_THRESHOLD:
        return None
    _, i1, i2, j1, j2 = (telling or changes)[0]
    where = (
        f"plain text {_excerpt(plain_words, i1, i2)}, HTML {_excerpt(html_words, j1, j2)}"
        if telling
        else f"{similarity:.0%} of their words in common"
    )
    return (
        f"the plain-text and HTML parts of the e-mail differ ({where}); "
        "imported the HTML part, which is what mail clients show"
    )


def _words(text: str) -> list[str]:
    text = _URL.sub(" ", unicodedata.normalize("NFKC", text))
    return _WORD.findall(text)[:MAX_COMPARED_WORDS]


def _changes_meaning(
    plain: list[str], html: list[str], opcode: tuple[str, int, int, int, int]
) -> bool:
    """True when the change adds, drops or alters a negation or a number."""
    _, i1, i2, j1, j2 = opcode
    return _telling_words(plain[i1:i2]) != _telling_words(html[j1:j2])


def _telling_words(words: list[str]) -> Counter[str]:
    telling: Counter[str] = Counter()
    for word in words:
        if word in NEGATIONS or word.endswith(_CONTRACTED_NOT):
            telling["not"] += 1  # "don't" and "do not" assert the same
        elif any(c.isdigit() for c in word):
            telling[word] += 1
    return telling


def _excerpt(words: list[str], start: int, end: int) -> str:
    """The changed words with one word of context either side, quoted; "nothing" for an
    empty change with no context."""
    shown = words[max(start - 1, 0) : end + 1]
    if len(shown) > _SHOWN_WORDS:
        shown = [*shown[:_SHOWN_WORDS], "…"]
    return f"“{' '.join(shown)}”" if shown else "nothing"
