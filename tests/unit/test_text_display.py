"""The text-display policy: invisible characters as marks, offsets kept, matching folded."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers.hostile_text import CONTROLS, hostile_text
from workstation.domain.text_display import (
    fold_ignorables,
    invisibles,
    invisibles_sentence,
    is_default_ignorable,
    shown,
    shown_line,
    shown_with_map,
    terminal,
)


def test_bidi_override_is_shown_not_obeyed():
    assert shown("targets \u202e23\u202c") == "targets ⟨RLO⟩23⟨PDF⟩"
    assert shown("\u202eTFARD\u202c") == "⟨RLO⟩TFARD⟨PDF⟩"
    assert shown("\u2066x\u2069") == "⟨LRI⟩x⟨PDI⟩"


def test_zero_width_and_soft_hyphen_are_marked():
    assert shown("Nav\u200balny") == "Nav⟨ZWSP⟩alny"
    assert shown("Nav\u00adalny Na\u2060v") == "Nav⟨SHY⟩alny Na⟨WJ⟩v"
    assert shown("\ufeffword") == "⟨BOM⟩word"


def test_separators_become_line_breaks_and_controls_marks():
    assert shown("a\u2028b\u2029c") == "a\nb\nc"
    assert shown("a\x1b[31mb") == "a⟨ESC⟩[31mb"
    assert shown_line("two\nrows") == "two ⏎ rows"


def test_meaningful_joiners_selectors_and_flags_stay():
    family = "👨\u200d👩\u200d👧"
    assert shown(family) == family
    assert shown("❤\ufe0f") == "❤\ufe0f"
    persian = "می\u200cخواهم"
    assert shown(persian) == persian
    scotland = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    assert shown(scotland) == scotland
    # The same characters where they only hide text are marked.
    assert shown("a\u200db") == "a⟨ZWJ⟩b"
    assert shown("x\U000e0068\U000e0069") == "x⟨TAG h⟩⟨TAG i⟩"
    assert shown(" \ufe0f") == " ⟨VS16⟩"


def test_invisibles_are_described_once_each():
    found = invisibles("a\u202eb\u202ec\u200b")
    assert [(m, n) for m, _, n in found] == [("⟨RLO⟩", 2), ("⟨ZWSP⟩", 1)]
    assert "right-to-left override" in invisibles_sentence("a\u202eb")
    assert invisibles_sentence("plain") == ""


def test_fold_ignorables_for_matching():
    assert fold_ignorables("Nav\u200balny") == "Navalny"
    assert fold_ignorables("Na\u00adval\u2060ny\u202e") == "Navalny"
    assert fold_ignorables("plain text") == "plain text"


def test_terminal_escapes_controls_and_marks_format_characters():
    assert terminal("evil\nfailed: x") == "evil\\nfailed: x"
    assert terminal("\x1b]0;owned\x07name") == "\\x1b]0;owned\\x07name"
    assert terminal("a\u202eb") == "a⟨RLO⟩b"
    assert terminal("\udcff") == "\\udcff"  # a lone surrogate from an undecodable file name
    assert "\n" not in terminal("a\u2028b")


@given(hostile_text())
def test_shown_text_holds_no_unmarked_control(text):
    out = shown(text)
    for index, char in enumerate(out):
        if char in CONTROLS and char not in "\u200c\u200d\ufe0f":
            raise AssertionError(f"{char!r} left unmarked at {index} in {out!r}")
    assert "\u2028" not in out and "\u2029" not in out


@given(hostile_text())
def test_offsets_round_trip_through_the_map(text):
    out, positions = shown_with_map(text)
    assert out == shown(text)
    previous = -1
    for stored in range(len(text) + 1):
        at = positions.to_shown(stored)
        assert at > previous or stored == 0
        previous = at
        assert positions.to_stored(at) == stored
    assert positions.to_shown(len(text)) == len(out)
    # Every stored character's mark is the shown text between its bounds.
    for stored, char in enumerate(text):
        piece = out[positions.to_shown(stored) : positions.to_shown(stored + 1)]
        assert piece == char or piece.startswith("⟨") or piece == "\n"


@given(hostile_text(), st.data())
def test_a_position_inside_a_mark_snaps_to_its_character(text, data):
    out, positions = shown_with_map(text)
    at = data.draw(st.integers(0, len(out)))
    start = positions.to_stored(at)
    end = positions.to_stored(at, towards_end=True)
    assert 0 <= start <= end <= len(text)
    assert end - start <= 1


@given(hostile_text())
def test_terminal_output_is_one_line_without_controls(text):
    out = terminal(text)
    assert "\n" not in out and "\r" not in out
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in out)


def test_default_ignorable_table_matches_icu():
    import icu

    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        expected = icu.Char.hasBinaryProperty(char, icu.UProperty.DEFAULT_IGNORABLE_CODE_POINT)
        assert is_default_ignorable(char) == expected, f"U+{cp:04X}"
