"""Very long lines are broken for display at spaces only: same length, same offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workstation.domain.display_lines import display_text


def differences(body: str, shown: str) -> set[tuple[str, str]]:
    return {(a, b) for a, b in zip(body, shown, strict=True) if a != b}


def test_ordinary_text_is_shown_as_it_is():
    body = "Moscow answered in kind.\n\n" + "word " * 1_900  # under the limit
    assert display_text(body) is body


def test_a_long_line_is_broken_at_spaces_into_pieces_no_longer_than_asked():
    body = "Title\n" + " ".join(f"w{i}" for i in range(20_000)) + "\nlast line"
    shown = display_text(body, long_line=1_000, piece=300)
    assert len(shown) == len(body)
    assert differences(body, shown) == {(" ", "\n")}
    lines = shown.split("\n")
    assert lines[0] == "Title" and lines[-1] == "last line"
    assert max(len(line) for line in lines) <= 300
    assert len(lines) > 100


def test_a_stretch_without_spaces_stays_whole_and_breaks_after_it():
    blob = "x" * 5_000
    body = "a " * 600 + blob + " tail" + " b" * 600
    shown = display_text(body, long_line=1_000, piece=300)
    assert any(line.endswith(blob) for line in shown.split("\n"))
    assert differences(body, shown) == {(" ", "\n")}


def test_astral_characters_keep_their_places():
    body = "🇷🇺 " * 8_000 + "Песков"
    shown = display_text(body, long_line=1_000, piece=200)
    assert len(shown) == len(body)
    assert len(shown.encode("utf-16-le")) == len(body.encode("utf-16-le"))
    assert shown.endswith("Песков")


@given(
    st.text(alphabet=st.sampled_from("ab \n🙂я"), max_size=3_000),
    st.integers(min_value=1, max_value=400),
    st.integers(min_value=1, max_value=200),
)
def test_only_spaces_change_and_only_into_line_breaks(body, long_line, piece):
    shown = display_text(body, long_line=long_line, piece=piece)
    assert len(shown) == len(body)
    assert differences(body, shown) <= {(" ", "\n")}
    # Lines that were short enough are untouched, at the same place.
    offset = 0
    for line in body.split("\n"):
        if len(line) <= long_line:
            assert shown[offset : offset + len(line)] == line
        offset += len(line) + 1
