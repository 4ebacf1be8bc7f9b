"""The interval index behind the reader's highlights: overlaps, points, navigation, edits."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.domain.intervals import Interval, IntervalIndex, KeyedIntervals


def brute_overlaps(items, start, end):
    if end <= start:
        return []  # an empty range overlaps nothing
    return sorted(
        (Interval(*item) for item in items if item[0] < end and item[1] > start),
        key=lambda i: (i.start, i.end),
    )


def test_overlaps_are_half_open_and_ordered():
    index = IntervalIndex([(10, 20, "b"), (0, 5, "a"), (15, 30, "c")], bucket_size=8)
    assert [i.payload for i in index.overlapping(4, 16)] == ["a", "b", "c"]
    assert index.overlapping(5, 10) == []  # touching ends do not overlap
    assert [i.payload for i in index.at(19)] == ["b", "c"]
    assert index.at(20) == [Interval(15, 30, "c")]
    assert index.overlapping(7, 7) == []


def test_a_long_interval_is_found_once_from_every_bucket_it_spans():
    index = IntervalIndex([(0, 10_000, "whole"), (5_000, 5_010, "inner")], bucket_size=16)
    hits = index.overlapping(4_000, 6_000)
    assert [i.payload for i in hits] == ["whole", "inner"]
    assert [i.payload for i in index.at(9_999)] == ["whole"]


def test_add_and_remove_keep_queries_and_order_exact():
    index: IntervalIndex[str] = IntervalIndex(bucket_size=4)
    index.add(3, 9, "x")
    index.add(3, 9, "y")  # same range, another passage
    index.add(1, 2, "z")
    assert [i.payload for i in index] == ["z", "x", "y"]
    index.remove(3, 9, "x")
    assert [i.payload for i in index.at(5)] == ["y"]
    assert (3, 9, "y") in index and (3, 9, "x") not in index
    with pytest.raises(KeyError):
        index.remove(3, 9, "x")
    index.remove(3, 9, "y")
    index.remove(1, 2, "z")
    assert len(index) == 0 and index.overlapping(0, 100) == []


def test_empty_or_negative_ranges_are_refused():
    with pytest.raises(ValueError):
        IntervalIndex([(5, 5, "empty")])
    with pytest.raises(ValueError):
        IntervalIndex().add(-1, 3, "negative")
    with pytest.raises(ValueError):
        IntervalIndex(bucket_size=0)


def test_next_and_previous_follow_starts():
    index = IntervalIndex([(0, 4, "a"), (10, 40, "b"), (10, 12, "c"), (50, 60, "d")])
    assert index.next_after(0).payload == "c"  # same start: the shorter comes first
    assert index.next_after(10).payload == "d"
    assert index.next_after(50) is None
    assert index.previous_before(50).payload == "b"
    assert index.previous_before(10).payload == "a"
    assert index.previous_before(0) is None


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.integers(1, 120)).map(lambda t: (t[0], t[0] + t[1])),
        max_size=60,
    ),
    st.lists(st.tuples(st.integers(0, 600), st.integers(0, 80)), min_size=1, max_size=10),
    st.sampled_from([1, 7, 64, 512]),
)
def test_queries_agree_with_brute_force(ranges, queries, bucket_size):
    items = [(start, end, n) for n, (start, end) in enumerate(ranges)]
    index = IntervalIndex(items, bucket_size=bucket_size)
    for start, length in queries:
        assert index.overlapping(start, start + length) == brute_overlaps(
            items, start, start + length
        )
    # Remove every other interval and ask again.
    kept = items[1::2]
    for item in items[::2]:
        index.remove(*item)
    for start, length in queries:
        assert index.overlapping(start, start + length) == brute_overlaps(
            kept, start, start + length
        )
    assert list(index) == sorted((Interval(*i) for i in kept), key=lambda i: (i.start, i.end))


def test_a_paragraph_query_at_20k_intervals_reads_only_nearby_buckets():
    rng = random.Random(7)
    items = []
    for n in range(20_000):
        start = rng.randrange(1_000_000)
        items.append((start, start + rng.randint(20, 400), n))
    items.append((0, 1_000_000, "whole document"))
    index = IntervalIndex(items)
    hits = index.overlapping(500_000, 500_400)
    assert hits == brute_overlaps(items, 500_000, 500_400)
    assert hits[0].payload == "whole document"
    assert len(hits) < 40  # a few passages per paragraph, not thousands


def test_step_walks_every_interval_in_order_including_ties():
    index = IntervalIndex([(10, 20, "b"), (0, 5, "a"), (10, 20, "c")])
    first = index.next_after(-1)
    walked = [first.payload]
    current = first
    while (current := index.step(current, 1)) is not None:
        walked.append(current.payload)
    assert walked == ["a", "b", "c"]
    assert index.step(Interval(10, 20, "c"), -1).payload == "b"
    assert index.step(Interval(0, 5, "a"), -1) is None
    with pytest.raises(KeyError):
        index.step(Interval(0, 5, "missing"), 1)


def test_keyed_intervals_replace_drop_and_walk_by_key():
    keyed = KeyedIntervals([("b", 10, 20), ("a", 0, 30), ("c", 12, 14)])
    assert keyed.under(13) == ["c", "b", "a"]  # innermost first
    assert keyed.under(30) == ["a"]  # just past the end: the passage ending there
    assert keyed.under(31) == []
    assert keyed.nearest(5, 1) == "b" and keyed.nearest(5, -1) == "a"
    assert keyed.step("a", 1) == "b" and keyed.step("c", 1) is None
    moved = keyed.put("c", 40, 45)
    assert moved == Interval(40, 45, "c") and keyed.spans["c"] is moved
    assert keyed.under(13) == ["b", "a"] and keyed.step("b", 1) == "c"
    assert keyed.drop("b") == Interval(10, 20, "b") and keyed.drop("b") is None
    assert "b" not in keyed and len(keyed) == 2
    with pytest.raises(ValueError):
        KeyedIntervals([("x", 0, 1), ("x", 0, 1)])
