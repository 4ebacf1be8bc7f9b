from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.domain.dates import check_event_date, format_event_date
from workstation.domain.dtg import format_dtg
from workstation.domain.estimative import LIKELIHOOD_TERMS, check_confidence, likelihood
from workstation.domain.grades import check_grade, format_grade
from workstation.domain.offsets import (
    OffsetError,
    body_sha256,
    codepoint_offset,
    find_quote,
    make_selector,
    normalize_body,
    selector_matches,
    utf16_offset,
)


def test_dtg_matches_the_brief_convention():
    assert format_dtg(datetime(2021, 4, 15, 14, 30, tzinfo=UTC)) == "151430Z APR 21"


def test_dtg_converts_to_utc_and_refuses_naive_times():
    moscow = timezone(timedelta(hours=3))
    assert format_dtg(datetime(2021, 4, 16, 1, 5, tzinfo=moscow)) == "152205Z APR 21"
    with pytest.raises(ValueError):
        format_dtg(datetime(2021, 4, 15, 14, 30))


def test_body_normalisation_is_nfc_with_lf_endings():
    decomposed = "Cafe\u0301\r\nsecond\rthird\n"
    body = normalize_body("\ufeff" + decomposed)
    assert body == "Café\nsecond\nthird"
    assert body_sha256(body) == body_sha256(normalize_body(body))


@pytest.mark.parametrize(
    "body",
    [
        "😀 before: Peskov said reciprocity applies.",
        "Песков 😀 сказал: reciprocity applies 🇷🇺 today.",
        "plain text then emoji after 👍🏽",
    ],
)
def test_selectors_use_code_points_with_emoji_and_cyrillic(body):
    start = body.index("reciprocity") if "reciprocity" in body else body.index("emoji")
    end = start + 11
    selector = make_selector(body, start, end)
    assert selector.exact == body[start:end]
    assert selector_matches(body, start, end, selector.exact)
    assert selector.prefix == body[max(0, start - 32) : start]
    assert find_quote(body, selector.exact, selector.prefix, selector.suffix) == (start, end)


def test_selector_refuses_ranges_outside_the_body():
    with pytest.raises(OffsetError):
        make_selector("short", 3, 9)
    with pytest.raises(OffsetError):
        make_selector("short", 2, 2)


def test_find_quote_prefers_the_occurrence_whose_context_fits():
    body = "Biden said no. Later, Putin said no. Then Biden said no again."
    second = body.index("said no", 20)
    assert find_quote(body, "said no", prefix="Later, Putin ", suffix=". Then") == (
        second,
        second + 7,
    )
    assert find_quote(body, "absent") is None


@pytest.mark.parametrize(
    ("text", "cp", "units"),
    [
        ("abc", 2, 2),
        ("😀abc", 1, 2),
        ("😀abc", 2, 3),
        ("Песков😀", 6, 6),
        ("Песков😀x", 7, 8),
    ],
)
def test_utf16_conversion_round_trips(text, cp, units):
    assert utf16_offset(text, cp) == units
    assert codepoint_offset(text, units) == cp


def test_utf16_position_inside_a_surrogate_pair_snaps_to_the_character_start():
    assert codepoint_offset("a😀b", 2) == 1


def _reference_utf16(text: str, cp: int) -> int:
    head = text[:cp]
    return len(head) + sum(1 for ch in head if ord(ch) > 0xFFFF)


def _reference_codepoint(text: str, units: int) -> int:
    seen = 0
    for index, ch in enumerate(text):
        width = 2 if ord(ch) > 0xFFFF else 1
        if seen + width > units:
            return index
        seen += width
    return len(text)


_PIECES = ["plain words ", "Лавров и Песков ", "😀", "𝔸𝔹", "\n\n", "é中 ", "🇷🇺 flag "]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), min_size=20, max_size=90)
    .map("".join)
    .map(lambda text: text * (256 // len(text) + 1)),
    st.lists(st.integers(min_value=-5, max_value=1500), min_size=5, max_size=20),
)
def test_long_texts_convert_exactly_as_walking_them_does(text, offsets):
    """Long texts take the cached astral-table path; it must agree with the plain walk
    everywhere, including out-of-range offsets and positions inside surrogate pairs."""
    assert len(text) >= 256
    for offset in offsets:
        assert utf16_offset(text, offset) == _reference_utf16(text, offset)
        assert codepoint_offset(text, offset) == _reference_codepoint(text, offset)


def test_long_texts_round_trip_around_emoji_and_cyrillic():
    body = ("Песков said " * 30) + "😀 sanctions 🇷🇺 " + ("тест " * 60)
    for cp in range(len(body) + 1):
        assert codepoint_offset(body, utf16_offset(body, cp)) == cp
    flag = body.index("🇷🇺")
    units = utf16_offset(body, flag)
    assert units == flag + 1  # one emoji before it
    assert codepoint_offset(body, units + 1) == flag  # inside the first regional indicator


def test_long_ascii_and_bmp_texts_take_the_identity_path():
    ascii_body = "x" * 10_000
    cyrillic = "Лавров " * 2_000
    assert utf16_offset(ascii_body, 7_000) == 7_000
    assert codepoint_offset(cyrillic, 13_999) == 13_999
    assert codepoint_offset(cyrillic, 10**9) == len(cyrillic)


def test_icd203_scale_and_confidence():
    assert likelihood("Probable").term == "likely"
    assert likelihood("almost certain").high == 99
    assert len(LIKELIHOOD_TERMS) == 7
    assert check_confidence("Moderate") == "moderate"
    with pytest.raises(ValueError):
        likelihood("maybe")
    with pytest.raises(ValueError):
        check_confidence("certain")


def test_event_dates_respect_their_precision():
    assert check_event_date("2021-04", "month") == "2021-04-01"
    assert format_event_date("2021-04-01", "month") == "APR 2021"
    assert format_event_date("2021-04-15", "day") == "15 APR 2021"
    assert format_event_date("2021-01-01", "year") == "2021"
    with pytest.raises(ValueError):
        check_event_date("2021-04", "day")
    with pytest.raises(ValueError):
        check_event_date("2021-02-30", "day")
    with pytest.raises(ValueError):
        check_event_date("15/04/2021", "day")


def test_admiralty_grades():
    assert check_grade("b", "2") == ("B", "2")
    assert format_grade(None, None) == "F6"
    with pytest.raises(ValueError):
        check_grade("G", "1")
    with pytest.raises(ValueError):
        check_grade("A", "7")
