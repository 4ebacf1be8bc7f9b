"""Mouse selections snapped to words (workstation.domain.word_snap)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.domain.word_snap import snap_to_words

TEXT = (
    "Russia expelled ten U.S. diplomats. Washington answered, "
    '"We will respond (in kind)." Then nothing.'
)


def snapped(text: str, start_quote: str, end_quote: str, *, end_cut: int = 0) -> str:
    """Snap the selection from ``start_quote``'s start to ``end_quote``'s end less
    ``end_cut`` code points, and return the snapped text."""
    start = text.index(start_quote)
    end = text.index(end_quote) + len(end_quote) - end_cut
    s, e = snap_to_words(text, start, end)
    return text[s:e]


@pytest.mark.parametrize(
    ("start", "end", "cut", "expected"),
    [
        # ends mid-word: snaps out to the whole word, both ends
        ("pelled", "ten", 1, "expelled ten"),
        # starts on the previous sentence's full stop: dropped, with the space
        (". Washington", "Washington answered", 0, "Washington answered"),
        # a trailing comma and space are dropped
        ("Washington", "answered, ", 0, "Washington answered"),
        # a whole sentence keeps its full stop; a phrase does not
        ("Russia", "diplomats.", 0, "Russia expelled ten U.S. diplomats."),
        ("ten", "diplomats.", 0, "ten U.S. diplomats"),
        # an abbreviation keeps its stop
        ("ten", "U.S.", 0, "ten U.S."),
        # a closing quote and bracket stay when they pair with an opening one inside
        (', "We', 'kind)." ', 0, '"We will respond (in kind)."'),
        ("respond (in", "kind).", 0, "respond (in kind)"),
        # an unpaired bracket goes
        ("(in", "kind", 0, "in kind"),
    ],
)
def test_snapping_latin(start, end, cut, expected):
    assert snapped(TEXT, start, end, end_cut=cut) == expected


def test_cyrillic_snaps_to_whole_words():
    text = "Лавров заявил, что ответ будет."
    assert text[slice(*snap_to_words(text, 2, 16))] == "Лавров заявил, что"


def test_chinese_without_spaces_is_not_taken_whole():
    text = "中华人民共和国成立了"
    got = text[slice(*snap_to_words(text, 3, 5))]
    assert "共和" in got and got != text  # a dictionary word, not the whole run


def test_emoji_sequences_are_never_cut():
    family = "👨\u200d👩\u200d👧"
    text = f"a {family} b"
    s, e = snap_to_words(text, 3, 5)  # inside the ZWJ sequence
    assert text[s:e] == family


def test_only_punctuation_is_kept_rather_than_emptied():
    assert snap_to_words("...", 0, 3) == (0, 3)
    assert snap_to_words("a  b", 1, 3) == (1, 3)  # whitespace only: left as it was


def test_a_trailing_percent_stays():
    text = "rose by 5% last year"
    assert text[slice(*snap_to_words(text, 3, 10))] == "rose by 5%"


_ALPHABET = st.sampled_from(
    [*"ab Zя Ж.,;:!?\"'()«»“”„‘’-—…\n\t", "中", "国", "人", "😀", "👩\u200d👧", "\u0301", "_", "%"]
)


@st.composite
def selections(draw):
    text = "".join(draw(st.lists(_ALPHABET, max_size=40)))
    a = draw(st.integers(-3, len(text) + 3))
    b = draw(st.integers(-3, len(text) + 3))
    return text, a, b


@given(selections())
def test_snap_properties(case):
    text, a, b = case
    s, e = snap_to_words(text, a, b)
    assert 0 <= s <= e <= len(text)  # always inside the document
    lo, hi = sorted((min(max(a, 0), len(text)), min(max(b, 0), len(text))))
    if text[lo:hi].strip():
        assert s < e  # never empty unless the selection was whitespace only
        assert text[s:e].strip()
    assert snap_to_words(text, s, e) == (s, e)  # idempotent
