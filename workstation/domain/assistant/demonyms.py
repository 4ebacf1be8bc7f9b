"""Adjectives of nationality that stand for a state in news copy: "expelled three Russian
diplomats" acts on Russia, "чешским дипломатам" on the Czech Republic. The event drafter
needs the state as a party, and the registry names states, not their adjectives.

Each adjective (English as written; Russian by stem, so every case ending reads) maps to the
names a registry may give the state, in both scripts; the caller matches those against its
entities' names and aliases.
"""

from __future__ import annotations

import re
from functools import cache

# adjective or stem → names of the state (English first)
_STATES: dict[str, tuple[str, ...]] = {
    "russian": ("Russia", "Russian Federation", "Россия"),
    "российск": ("Russia", "Russian Federation", "Россия"),
    "русск": ("Russia", "Россия"),
    "american": ("United States", "USA", "США"),
    "us": ("United States", "USA", "США"),
    "u.s.": ("United States", "USA", "США"),
    "американск": ("United States", "USA", "США"),
    "czech": ("Czech Republic", "Czechia", "Чехия"),
    "чешск": ("Czech Republic", "Czechia", "Чехия"),
    "polish": ("Poland", "Польша"),
    "польск": ("Poland", "Польша"),
    "ukrainian": ("Ukraine", "Украина"),
    "украинск": ("Ukraine", "Украина"),
    "british": ("United Kingdom", "UK", "Великобритания"),
    "британск": ("United Kingdom", "UK", "Великобритания"),
    "german": ("Germany", "Германия"),
    "немецк": ("Germany", "Германия"),
    "германск": ("Germany", "Германия"),
    "french": ("France", "Франция"),
    "французск": ("France", "Франция"),
    "chinese": ("China", "Китай"),
    "китайск": ("China", "Китай"),
    "slovak": ("Slovakia", "Словакия"),
    "словацк": ("Slovakia", "Словакия"),
    "lithuanian": ("Lithuania", "Литва"),
    "литовск": ("Lithuania", "Литва"),
    "latvian": ("Latvia", "Латвия"),
    "латвийск": ("Latvia", "Латвия"),
    "estonian": ("Estonia", "Эстония"),
    "эстонск": ("Estonia", "Эстония"),
    "bulgarian": ("Bulgaria", "Болгария"),
    "болгарск": ("Bulgaria", "Болгария"),
    "european": ("European Union", "EU", "Евросоюз"),
    "европейск": ("European Union", "EU", "Евросоюз"),
}
_ENGLISH = sorted((k for k in _STATES if k.isascii()), key=len, reverse=True)
_RUSSIAN = sorted((k for k in _STATES if not k.isascii()), key=len, reverse=True)


@cache
def _pattern() -> re.Pattern[str]:
    english = "|".join(re.escape(word) for word in _ENGLISH)
    russian = "|".join(re.escape(stem) for stem in _RUSSIAN)
    # English adjectives whole ("Russian", not "Russians"); "US" only in capitals; Russian
    # stems with any ending ("российских", "чешским").
    return re.compile(
        rf"(?<![\w.])(?:(?i:(?:{english})(?![\w]))|(?i:(?:{russian})\w*))", re.UNICODE
    )


def states_named(text: str) -> list[tuple[int, tuple[str, ...]]]:
    """(position, names of the state) for each adjective of nationality in ``text``."""
    found = []
    for match in _pattern().finditer(text):
        word = match.group(0)
        if word.casefold() in ("us", "u.s.") and not word.isupper():
            continue  # "us" the pronoun
        key = word.casefold()
        names = _STATES.get(key)
        if names is None:
            stem = next((s for s in _RUSSIAN if key.startswith(s)), None)
            names = _STATES.get(stem) if stem else None
        if names is not None:
            found.append((match.start(), names))
    return found
