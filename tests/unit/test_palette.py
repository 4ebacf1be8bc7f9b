"""The default codebook's colours can be told apart, as swatches and as the reader's tints,
in light and dark schemes, and text stays readable on every tint (issue 15)."""

from __future__ import annotations

import itertools

import pytest

from workstation.domain.colour import (
    DARK_BASE,
    DARK_TINT,
    EXTRA_COLOURS,
    LIGHT_BASE,
    LIGHT_TINT,
    closest_pair,
    contrast,
    delta_e,
    difference,
    next_colour,
    tint,
)
from workstation.domain.vocab import DEFAULT_CATEGORIES

COLOURS = [category.colour for category in DEFAULT_CATEGORIES]
SWATCH_MIN = 20.0  # reads as another colour at a glance
TINT_MIN = 15.0  # a pale tint compresses every difference; the old palette's worst was 7.4


# Sharma, Wu and Dalal (2005), Table 1: the published CIEDE2000 test pairs.
@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, -1.3802, -84.2814), (50.0, 0.0, -82.7485), 1.0000),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0011), 7.2195),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((90.8027, -2.0831, 1.441), (91.1528, -1.6435, 0.0447), 1.4441),
        ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
    ],
)
def test_ciede2000_matches_the_published_test_data(first, second, expected):
    assert delta_e(first, second) == pytest.approx(expected, abs=1e-4)
    assert delta_e(second, first) == pytest.approx(expected, abs=1e-4)


def test_the_old_sanction_and_expulsion_tints_were_too_close():
    # What officers saw: #F8CCB6 and #F3BEBE side by side.
    assert tint(LIGHT_BASE, "#e6550d", LIGHT_TINT) == "#f8ccb6"
    assert difference("#F8CCB6", "#F3BEBE") < TINT_MIN


def test_default_colours_are_pairwise_distinct():
    worst, first, second = closest_pair(COLOURS)
    assert worst >= SWATCH_MIN, f"{first} and {second} are only ΔE {worst:.1f} apart"


@pytest.mark.parametrize(
    ("scheme", "base", "strength"),
    [("light", LIGHT_BASE, LIGHT_TINT), ("dark", DARK_BASE, DARK_TINT)],
)
def test_default_tints_are_pairwise_distinct(scheme, base, strength):
    tints = {tint(base, colour, strength): colour for colour in COLOURS}
    assert len(tints) == len(COLOURS)
    worst, first, second = closest_pair(list(tints))
    assert worst >= TINT_MIN, (
        f"{scheme}: tints of {tints[first]} and {tints[second]} are only ΔE {worst:.1f} apart"
    )


@pytest.mark.parametrize(
    ("base", "strength", "text"),
    [(LIGHT_BASE, LIGHT_TINT, "#000000"), (DARK_BASE, DARK_TINT, "#ffffff")],
)
def test_body_text_is_readable_on_every_tint(base, strength, text):
    for colour in COLOURS:
        assert contrast(text, tint(base, colour, strength)) >= 4.5, colour


def test_no_two_default_categories_share_a_colour_or_a_key():
    assert len(set(COLOURS)) == len(COLOURS)
    keys = [category.shortcut for category in DEFAULT_CATEGORIES]
    assert len(set(keys)) == len(keys)
    assert all(a != b for a, b in itertools.combinations(COLOURS, 2))


def test_a_new_category_gets_the_colour_furthest_from_those_in_use():
    chosen = next_colour(COLOURS)
    assert chosen not in COLOURS
    shown = tint(LIGHT_BASE, chosen, LIGHT_TINT)
    nearest = min(difference(shown, tint(LIGHT_BASE, c, LIGHT_TINT)) for c in COLOURS)
    for other in EXTRA_COLOURS:
        other_shown = tint(LIGHT_BASE, other, LIGHT_TINT)
        assert nearest >= min(
            difference(other_shown, tint(LIGHT_BASE, c, LIGHT_TINT)) for c in COLOURS
        )
    assert next_colour([]) == EXTRA_COLOURS[0]
    # Every colour used up: still a colour, never a crash.
    assert next_colour(list(EXTRA_COLOURS)) in EXTRA_COLOURS
