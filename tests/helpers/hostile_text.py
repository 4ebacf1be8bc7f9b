"""Strings that mix every script and every invisible control, for property tests of the
text-display policy (reader, brief, CLI, search)."""

from __future__ import annotations

from hypothesis import strategies as st

LATIN = "Sanctions on Navalny will not 32 targets"
CYRILLIC = "Лавров Навальный Москва"
HEBREW = "ישראל שלום"
ARABIC = "السلام عليكم روسيا"
CJK = "中国外交部 北京"
DIGITS = "0123456789"
EMOJI = "😀🇺🇸👨\u200d👩\u200d👧❤\ufe0f"
# Every bidi and zero-width control the policy names, plus tags, controls and separators.
CONTROLS = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u2028\u2029\U000e0041\x1b\x07"
)

ALPHABET = LATIN + CYRILLIC + HEBREW + ARABIC + CJK + DIGITS + EMOJI + CONTROLS + " .,()-\n"


def hostile_text(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Mixed-script text: whole words of each script, and single characters of all of them."""
    words = st.sampled_from(
        [*LATIN.split(), *CYRILLIC.split(), *HEBREW.split(), *ARABIC.split(), *CJK.split()]
    )
    chars = st.sampled_from(ALPHABET)
    pieces = st.lists(st.one_of(words, chars, chars), min_size=min_size, max_size=max_size)
    return pieces.map(lambda parts: " ".join(parts) if len(parts) % 3 == 0 else "".join(parts))
