"""Re-anchoring passages in a changed version of an article (workstation.domain.anchoring)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workstation.domain.anchoring import Placement, Reanchorer, place_quote
from workstation.domain.anchoring_diff import (
    Block,
    OffsetMap,
    common_prefix_length,
    diff_blocks,
)
from workstation.domain.offsets import TextSelector, make_selector, utf16_offset

PARAGRAPHS = [
    "On 15 April 2021 the United States imposed sanctions on Russia over the SolarWinds "
    "intrusion and interference in the 2020 election.",
    "The Treasury barred American banks from buying new rouble bonds issued by the central "
    "bank, the finance ministry and the national wealth fund after 14 June.",
    "Washington also expelled ten Russian diplomats, among them officers of the intelligence "
    "services, and named 32 people and entities accused of election meddling.",
    "Sergey Lavrv said Moscow would respond in kind to the expulsions and summoned the "
    "American ambassador, John Sullivan, for a difficult conversation.",
    "On 16 April Russia expelled ten American diplomats and advised the ambassador to return "
    "to Washington for consultations.",
    "The European Union imposed travel bans and asset freezes on four senior Russian officials "
    "over the jailing of Alexei Navalny.",
    "Both sides said the New START extension agreed in February was not affected.",
]


def body_of(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def selector_for(body: str, quote: str, occurrence: int = 0) -> TextSelector:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(quote, start + 1)
    return make_selector(body, start, start + len(quote))


def assert_fits(placement: Placement | None, body: str) -> None:
    """The invariant every placement keeps, whatever the method."""
    if placement is not None:
        assert 0 <= placement.start < placement.end <= len(body)
        assert placement.method in {"unchanged", "shifted", "quote", "fuzzy"}


def place(old: str, new: str, selector: TextSelector) -> Placement | None:
    placement = Reanchorer(old, new).place_selector(selector)
    assert_fits(placement, new)
    return placement


QUOTES = [
    "imposed sanctions on Russia",
    "rouble bonds",
    "expelled ten Russian diplomats",
    "respond in kind",
    "advised the ambassador to return",
    "travel bans and asset freezes",
    "New START extension",
]


def test_unchanged_text_keeps_every_passage_where_it_was():
    body = body_of(PARAGRAPHS)
    reanchorer = Reanchorer(body, body)
    for quote in QUOTES:
        selector = selector_for(body, quote)
        placement = reanchorer.place_selector(selector)
        assert placement == Placement(selector.start, selector.end, "unchanged", 100.0)


@pytest.mark.parametrize("position", [0, 3, len(PARAGRAPHS)])
def test_inserted_paragraphs_shift_passages_after_them(position):
    old = body_of(PARAGRAPHS)
    added = [
        "Editor's note: this article was updated with the Kremlin's response.",
        "The rouble fell 1.5 per cent against the dollar.",
    ]
    new = body_of(PARAGRAPHS[:position] + added + PARAGRAPHS[position:])
    reanchorer = Reanchorer(old, new)
    for quote in QUOTES:
        selector = selector_for(old, quote)
        placement = reanchorer.place_selector(selector)
        assert_fits(placement, new)
        assert placement is not None
        assert new[placement.start : placement.end] == quote
        assert placement.start == new.index(quote)
        expected_method = "unchanged" if placement.start == selector.start else "shifted"
        assert placement.method == expected_method
        assert placement.score == 100.0
    # Passages before the insertion point stay put; those after move by what was inserted.
    later = selector_for(old, "New START extension")
    assert reanchorer.place_selector(later).start - later.start == (
        0 if position == len(PARAGRAPHS) else len(body_of(added)) + 2
    )


def test_a_passage_in_a_deleted_paragraph_is_orphaned_and_the_others_follow():
    old = body_of(PARAGRAPHS)
    new = body_of(PARAGRAPHS[:2] + PARAGRAPHS[3:])  # the expulsions paragraph is gone
    reanchorer = Reanchorer(old, new)
    # Gone with its paragraph: even "Russian diplomats" and "ten", which still occur
    # elsewhere in the article, must not be placed there.
    for quote in ["expelled ten Russian diplomats", "Russian diplomats", "ten", "services"]:
        assert reanchorer.place_selector(selector_for(old, quote)) is None, quote
    for quote in QUOTES:
        if quote in new:
            placement = reanchorer.place_selector(selector_for(old, quote))
            assert placement is not None
            assert (placement.start, placement.end) == (
                new.index(quote),
                new.index(quote) + len(quote),
            )


def test_a_deleted_paragraph_is_not_matched_to_its_look_alike_neighbour():
    old = body_of(
        [
            "The EU imposed travel bans on Alexander Bastrykin, head of the investigative "
            "committee.",
            "The EU imposed travel bans on Igor Krasnov, the prosecutor general.",
            "Moscow called the measures illegitimate.",
        ]
    )
    new = body_of([old.split("\n\n")[0], old.split("\n\n")[2]])
    selector = selector_for(old, "The EU imposed travel bans on Igor Krasnov")
    assert place(old, new, selector) is None


def test_a_typo_fixed_inside_the_quote_is_placed_fuzzily_over_the_corrected_words():
    old = body_of(PARAGRAPHS)
    new = old.replace("Lavrv", "Lavrov")
    cases = {
        "Sergey Lavrv said Moscow would respond": "Sergey Lavrov said Moscow would respond",
        "Lavrv said Moscow": "Lavrov said Moscow",
        "Sergey Lavrv": "Sergey Lavrov",
    }
    for quote, corrected in cases.items():
        placement = place(old, new, selector_for(old, quote))
        assert placement is not None
        assert placement.method == "fuzzy"
        assert new[placement.start : placement.end] == corrected
        assert 85 <= placement.score < 100
    # Passages elsewhere in the edited paragraph are still exact.
    placement = place(old, new, selector_for(old, "respond in kind"))
    assert placement.method == "shifted"
    assert new[placement.start : placement.end] == "respond in kind"


def test_a_sentence_rewritten_beyond_recognition_is_orphaned():
    old = body_of(PARAGRAPHS)
    rewritten = (
        "The Kremlin's spokesman declined to comment on what retaliatory steps were planned, "
        "saying only that the decision belonged to the president."
    )
    new = body_of([*PARAGRAPHS[:3], rewritten, *PARAGRAPHS[4:]])
    for quote in [
        "Sergey Lavrv said Moscow would respond in kind to the expulsions",
        "a difficult conversation",
        "Lavrv",
    ]:
        assert place(old, new, selector_for(old, quote)) is None, quote


def test_a_doubled_paragraph_removed_keeps_passages_of_either_copy():
    doubled = [*PARAGRAPHS[:3], PARAGRAPHS[2], *PARAGRAPHS[3:]]
    old, new = body_of(doubled), body_of(PARAGRAPHS)
    for occurrence in (0, 1):
        selector = selector_for(old, "among them officers", occurrence)
        placement = place(old, new, selector)
        assert placement is not None and placement.method in {"unchanged", "shifted"}
        assert placement.start == new.index("among them officers")


def test_a_paragraph_appended_after_the_last_leaves_its_passages_unchanged():
    old = body_of(PARAGRAPHS)
    new = body_of([*PARAGRAPHS, "Update: the Kremlin confirmed the expulsions."])
    selector = selector_for(old, "was not affected.")  # the very end of the old body
    assert place(old, new, selector) == Placement(selector.start, selector.end, "unchanged", 100.0)


def test_repetitive_lines_with_scattered_edits_reanchor_exactly():
    # A table of few distinct cells: every line has thousands of look-alikes.
    rng = random.Random(5)
    lines = [f"row {rng.randrange(50)}: {rng.choice(['yes', 'no', 'n/a'])}" for _ in range(5000)]
    edited = [("edited " if index % 97 == 0 else "") + line for index, line in enumerate(lines)]
    old, new = "\n".join(lines), "\n".join(edited)
    old_starts, new_starts = [0], [0]
    for before, after in zip(lines, edited, strict=True):
        old_starts.append(old_starts[-1] + len(before) + 1)
        new_starts.append(new_starts[-1] + len(after) + 1)
    reanchorer = Reanchorer(old, new)
    for index in rng.sample(range(5000), 500):
        selector = make_selector(old, old_starts[index], old_starts[index] + len(lines[index]))
        placement = reanchorer.place_selector(selector)
        expected = new_starts[index] + len(edited[index]) - len(lines[index])
        assert placement is not None
        assert (placement.start, placement.end) == (expected, expected + len(lines[index]))


def test_typography_changed_throughout_still_places_every_passage():
    old = body_of(PARAGRAPHS).replace("Lavrv", "Lavrov's").replace("ten", "'ten'")
    new = old.replace("'", "’")  # every apostrophe and quote mark made typographic
    for quote in ["Sergey Lavrov's said", "expelled 'ten' Russian diplomats", "'ten'"]:
        for occurrence in range(old.count(quote)):
            placement = place(old, new, selector_for(old, quote, occurrence))
            expected = selector_for(new, quote.replace("'", "’"), occurrence)
            assert placement is not None
            assert (placement.start, placement.end) == (expected.start, expected.end)
            assert placement.method == "fuzzy"


def test_place_quote_breaks_a_tie_by_nearness_to_the_given_position():
    body = "Moscow said it would respond. " * 3
    # The first two occurrences keep all their context (the third has no "Moscow" after).
    first, second = body.index("would respond"), body.index("would respond", 20)
    for start, expected in [(second + 25, second), (first + 3, first), (None, first)]:
        placement = place_quote(body, "would respond", "Moscow said it ", ". Moscow", start=start)
        assert placement == Placement(expected, expected + 13, "quote", 100.0)


def test_context_picks_the_right_one_of_a_quote_occurring_twice():
    body = (
        "Biden said the response would be proportionate. Putin said the response would be "
        "swift and painful."
    )
    second = body.index("the response would be", 20)
    placement = place_quote(
        body, "the response would be", prefix="proportionate. Putin said ", suffix=" swift"
    )
    assert placement == Placement(second, second + 21, "quote", 100.0)
    first = place_quote(body, "the response would be", prefix="Biden said ", suffix=" prop")
    assert first.start == body.index("the response would be")
    # Without context the repeated quote is ambiguous: no placement.
    assert place_quote(body, "the response would be") is None


def test_a_moved_paragraph_is_found_by_context_though_its_quote_repeats():
    paragraphs = [
        *PARAGRAPHS,
        "Lavrov later said Moscow would respond in kind to any new sanctions.",
    ]
    old = body_of(paragraphs)
    moved = [paragraphs[0], *paragraphs[4:-1], paragraphs[1], paragraphs[2], paragraphs[3]]
    new = body_of([*moved, paragraphs[-1]])
    selector = selector_for(old, "respond in kind")  # the first of two occurrences
    placement = place(old, new, selector)
    assert placement is not None
    assert placement.start == new.index("respond in kind")
    assert placement.start != new.rindex("respond in kind")


def test_a_moved_and_corrected_paragraph_is_found_fuzzily_far_from_where_it_was():
    paragraphs = [p.replace("intelligence", "inteligence") for p in PARAGRAPHS]
    old = body_of(paragraphs)
    new = body_of([*PARAGRAPHS[:2], *PARAGRAPHS[3:], PARAGRAPHS[2]])  # moved last, fixed
    placement = place(old, new, selector_for(old, "officers of the inteligence services"))
    assert placement is not None and placement.method == "fuzzy"
    assert new[placement.start : placement.end] == "officers of the intelligence services"


def test_a_long_quote_with_a_word_inserted_covers_the_new_word():
    old = body_of(PARAGRAPHS)
    new = old.replace("bonds issued by the central", "bonds issued by Russia's central")
    quote = "barred American banks from buying new rouble bonds issued by the central bank"
    placement = place(old, new, selector_for(old, quote))
    assert placement.method == "fuzzy"
    assert new[placement.start : placement.end] == quote.replace("the central", "Russia's central")


def test_offsets_count_code_points_after_emoji_and_cyrillic():
    old = body_of(PARAGRAPHS)
    preface = "😀😀 Сергей Лавров, министр иностранных дел 🇷🇺, заявил:"
    new = body_of([preface, *PARAGRAPHS])
    for quote in ["respond in kind", "travel bans and asset freezes"]:
        placement = place(old, new, selector_for(old, quote))
        assert placement.start == new.index(quote)  # code points, as str indexing counts
        assert utf16_offset(new, placement.start) == placement.start + 4  # 4 astral chars
        assert new[placement.start : placement.end] == quote


def test_cyrillic_passages_with_a_fixed_typo_and_an_emoji_before_them():
    old = "😀 Вчера Сергей Лавров заявил, что Москва ответит зеркально на высылку дипломатов."
    new = (
        "😀👍 Вчера министр Сергей Лавров заявил, что Москва ответит зеркально на высылку "
        "дипломатов."
    )
    placement = place(old, new, selector_for(old, "Москва ответит зеркально"))
    assert new[placement.start : placement.end] == "Москва ответит зеркально"
    typo = old.replace("высылку", "высылу")
    placement = place(typo, new, selector_for(typo, "зеркально на высылу дипломатов"))
    assert placement.method == "fuzzy"
    assert new[placement.start : placement.end] == "зеркально на высылку дипломатов"


def test_stale_offsets_fall_back_to_the_quote_and_its_context():
    old = body_of(PARAGRAPHS)
    selector = selector_for(old, "travel bans and asset freezes")
    wrong = TextSelector(0, 10, selector.exact, selector.prefix, selector.suffix)
    placement = Reanchorer(old, old).place_selector(wrong)
    assert placement == Placement(selector.start, selector.end, "quote", 100.0)


def test_place_quote_uses_the_position_then_the_quote_then_fuzzy():
    body = body_of(PARAGRAPHS).replace("Lavrv", "Lavrov")
    selector = selector_for(body, "expelled ten Russian diplomats")
    assert place_quote(body, selector.exact, start=selector.start, end=selector.end) == (
        Placement(selector.start, selector.end, "unchanged", 100.0)
    )
    moved = place_quote(body, selector.exact, selector.prefix, selector.suffix, start=3, end=9)
    assert moved == Placement(selector.start, selector.end, "quote", 100.0)
    # A long quote found once needs no context; a shorter one does, even if unique.
    long_quote = "expelled ten Russian diplomats, among them officers"
    assert place_quote(body, long_quote).start == body.index(long_quote)
    assert body.count("rouble bonds") == 1
    assert place_quote(body, "rouble bonds") is None

    fuzzy = place_quote(body, "Sergey Lavrv said", "election meddling.\n\n", " Moscow would")
    assert fuzzy.method == "fuzzy"
    assert body[fuzzy.start : fuzzy.end] == "Sergey Lavrov said"
    assert place_quote(body, "A sentence no version of this article ever held.") is None


def test_short_quotes_are_never_placed_fuzzily_without_confirming_context():
    body = body_of(PARAGRAPHS).replace("Lavrv", "Lavrov")
    assert place_quote(body, "Lavrv") is None
    assert place_quote(body, "Lavrv", prefix="Bogus context here ", suffix=" nothing alike") is None
    confirmed = place_quote(body, "Lavrv", prefix="meddling.\n\nSergey ", suffix=" said Moscow")
    assert confirmed is not None and body[confirmed.start : confirmed.end] == "Lavrov"


def test_empty_or_impossible_inputs_give_none():
    body = body_of(PARAGRAPHS)
    assert place_quote(body, "") is None
    assert place_quote("", "anything") is None
    assert Reanchorer(body, "").place(0, 5, body[:5]) is None
    assert Reanchorer(body, body).place(0, 0, "") is None


def test_offset_map_carries_offsets_through_blocks_and_gaps():
    # old "aaaaXXbbbb" → new "aaaaYYYYbbbb": the gap XX (4–6) became YYYY (4–8).
    mapping = OffsetMap([Block(0, 0, 4), Block(6, 8, 4, trusted=False)], 10, 12)
    assert [mapping.start(i) for i in (0, 3, 4, 5, 6, 9)] == [0, 3, 4, 6, 8, 11]
    assert [mapping.end(i) for i in (1, 4, 5, 6, 10)] == [1, 4, 6, 8, 12]
    assert mapping.start_block(3) == Block(0, 0, 4) and mapping.start_block(4) is None
    assert mapping.end_block(4) == Block(0, 0, 4) and mapping.end_block(5) is None
    assert mapping.start_block(6).trusted is False
    assert mapping.region(5, 8) == (4, 10)  # from the gap's new start
    assert mapping.region(1, 3) == (1, 3)
    # A deleted stretch (old "aaXXbb" → new "aabb") becomes an empty region.
    deleted = OffsetMap([Block(0, 0, 2), Block(4, 2, 2)], 6, 4)
    assert deleted.region(2, 4) == (2, 2)


def test_common_prefix_length_across_chunk_boundaries():
    base = "x" * 10_000
    for cut in (0, 1, 4095, 4096, 4097, 9_999):
        assert common_prefix_length(base, base[:cut] + "y" + base[cut + 1 :]) == cut
    assert common_prefix_length(base, base[:5000]) == 5000


def test_diff_blocks_cover_the_untouched_text():
    old = body_of(PARAGRAPHS)
    new = body_of([*PARAGRAPHS[:2], "A new paragraph.", *PARAGRAPHS[2:]])
    new = new.replace("Lavrv", "Lavrov")
    blocks = diff_blocks(old, new)
    for block in blocks:
        assert block.length > 0
        assert (
            old[block.old_start : block.old_start + block.length]
            == new[block.new_start : block.new_start + block.length]
        )
    assert sum(block.length for block in blocks) >= len(old) - len("Lavrv said ")
    # Whole paragraphs are trusted; words lined up inside the edited one are not.
    edited = [block for block in blocks if not block.trusted]
    assert edited and all(
        old.rfind("\n", 0, block.old_start) == old.rfind("\n", 0, old.index("Lavrv"))
        for block in edited
    )


def test_a_long_article_with_thousands_of_passages_reanchors_exactly():
    # Words from a small vocabulary repeat everywhere: the hard case for telling a passage
    # apart from look-alikes.
    rng = random.Random(7)
    words = [
        *("sanctions", "Moscow", "Washington", "embassy", "diplomats", "expelled", "measures"),
        *("Kremlin", "Treasury", "bonds", "rouble", "Navalny", "travel", "bans", "asset"),
        *("freezes", "ministry", "response", "reciprocal"),
    ]
    paragraphs = [
        f"{index}. " + " ".join(rng.choice(words) for _ in range(rng.randint(10, 30))) + "."
        for index in range(2000)
    ]
    old = body_of(paragraphs)
    edited = list(paragraphs)
    edited[500] = edited[500].replace("Moscow", "Moskva") + " (corrected)"
    del edited[1200]
    edited.insert(1700, "An inserted paragraph about the New START extension.")
    new = body_of(edited)
    old_starts = [old.index(f"\n{index}. ") + 1 if index else 0 for index in range(2000)]
    reanchorer = Reanchorer(old, new)
    outcomes = {"moved": 0, "orphaned": 0}
    for index in [*rng.sample(range(2000), 1000), *[1200] * 10, *[500] * 10]:
        within = rng.randrange(len(paragraphs[index]) - 4)
        length = rng.randint(4, min(60, len(paragraphs[index]) - within))
        selector = make_selector(
            old, old_starts[index] + within, old_starts[index] + within + length
        )
        placement = reanchorer.place_selector(selector)
        assert_fits(placement, new)
        if index == 1200:  # deleted
            assert placement is None or new[placement.start : placement.end] == selector.exact
            outcomes["orphaned" if placement is None else "moved"] += 1
        elif index != 500:  # untouched: exactly where its paragraph went
            expected = new.index(f"\n{index}. ") + 1 if index else 0
            assert placement is not None
            assert (placement.start, placement.end) == (
                expected + within,
                expected + within + length,
            )
            assert placement.method == ("unchanged" if index < 500 else "shifted")
            outcomes["moved"] += 1
        elif placement is not None:  # edited: the quote as it was, or close to it
            assert placement.method == "fuzzy" or (
                new[placement.start : placement.end] == selector.exact
            )
            assert placement.score >= 85
    assert outcomes["moved"] >= 990 and outcomes["orphaned"] >= 9


TEXT = st.text(alphabet="ab \n😀Л.", min_size=1, max_size=120)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    old=TEXT,
    inserted=st.text(alphabet="abc \n😀Л", min_size=1, max_size=40),
    data=st.data(),
)
def test_an_insertion_leaves_every_passage_outside_it_readable(old, inserted, data):
    point = data.draw(st.integers(0, len(old)), label="insertion point")
    new = old[:point] + inserted + old[point:]
    reanchorer = Reanchorer(old, new)
    spans = data.draw(
        st.lists(st.tuples(st.integers(0, len(old) - 1), st.integers(1, 40)), max_size=8),
        label="passages",
    )
    assume(spans)
    for start, length in spans:
        end = min(len(old), start + length)
        selector = make_selector(old, start, end)
        placement = reanchorer.place_selector(selector)
        assert_fits(placement, new)
        if end <= point or start >= point:  # the insertion is not inside the passage
            assert placement is not None
            assert placement.method in {"unchanged", "shifted"}
            assert new[placement.start : placement.end] == selector.exact


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=TEXT, cut=st.integers(1, 30), data=st.data())
def test_a_deletion_leaves_every_passage_outside_it_readable(old, cut, data):
    point = data.draw(st.integers(0, len(old) - 1), label="deletion point")
    new = old[:point] + old[point + cut :]
    assume(new)
    reanchorer = Reanchorer(old, new)
    for start, length in data.draw(
        st.lists(st.tuples(st.integers(0, len(old) - 1), st.integers(1, 40)), min_size=1),
        label="passages",
    ):
        selector = make_selector(old, start, min(len(old), start + length))
        placement = reanchorer.place_selector(selector)
        assert_fits(placement, new)
        if selector.end <= point or start >= point + cut:  # untouched by the deletion
            assert placement is not None
            assert new[placement.start : placement.end] == selector.exact


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=TEXT, new=TEXT, data=st.data())
def test_any_edit_gives_placements_that_fit_and_exact_methods_that_read_the_quote(old, new, data):
    reanchorer = Reanchorer(old, new)
    for start, length in data.draw(
        st.lists(st.tuples(st.integers(0, len(old) - 1), st.integers(1, 40)), min_size=1),
        label="passages",
    ):
        selector = make_selector(old, start, min(len(old), start + length))
        for placement in (
            reanchorer.place_selector(selector),
            place_quote(new, selector.exact, selector.prefix, selector.suffix, start),
        ):
            assert_fits(placement, new)
            if placement is not None and placement.method != "fuzzy":
                assert new[placement.start : placement.end] == selector.exact
