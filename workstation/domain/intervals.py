"""An interval index: which passages overlap a range of text, fast, as passages come and go.

The reader asks it once per text block it paints ("which passages touch characters 1200–1650?")
and once per click ("which passages lie under character 1432?"), on articles of a megabyte
with tens of thousands of passages. A plain sorted list answers "overlaps" badly when one long
passage (a whole paragraph marked as context) starts early, so the index is *bucketed*: the
text is cut into fixed-size buckets and every interval is listed in each bucket it covers.
A query touches only the buckets of its own range, whatever lies elsewhere; adding or removing
one interval touches only its own buckets. A second, start-sorted list serves "next/previous
passage" navigation.

Intervals are half-open ``[start, end)`` in whatever unit the caller uses (the workspace uses
code points). Payloads must be hashable; (start, end, payload) triples are unique.
``KeyedIntervals`` names each interval by a unique key (a passage id) on top of the index.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable, Iterator
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")
K = TypeVar("K")

# Wide enough that a typical passage (one to three sentences) sits in one or two buckets,
# narrow enough that a paragraph-sized query reads few unrelated intervals.
DEFAULT_BUCKET_SIZE = 512


class Interval(NamedTuple, Generic[T]):
    start: int
    end: int
    payload: T


# (start, end) of an interval, in C: sorting and bisecting 20k intervals call it a lot.
_order_key = operator.itemgetter(0, 1)


class IntervalIndex(Generic[T]):
    def __init__(
        self,
        items: Iterable[tuple[int, int, T]] = (),
        *,
        bucket_size: int = DEFAULT_BUCKET_SIZE,
    ):
        if bucket_size < 1:
            raise ValueError("bucket_size must be positive")
        self._size = bucket_size
        self._buckets: dict[int, list[Interval[T]]] = {}
        intervals: list[Interval[T]] = list(map(Interval._make, items))
        buckets = self._buckets
        for interval in intervals:  # the loop of _file, inlined: a load files 20k at once
            start, end = interval.start, interval.end
            if not 0 <= start < end:
                raise ValueError(f"not a non-empty range: {start}–{end}")
            first, last = start // bucket_size, (end - 1) // bucket_size
            for number in range(first, last + 1):
                bucket = buckets.get(number)
                if bucket is None:
                    buckets[number] = [interval]
                else:
                    bucket.append(interval)
        self._ordered: list[Interval[T]] = sorted(intervals, key=_order_key)

    # -- changes ------------------------------------------------------------------------------

    def add(self, start: int, end: int, payload: T) -> Interval[T]:
        interval = Interval(start, end, payload)
        self._check(interval)
        self._file(interval)
        bisect.insort_right(self._ordered, interval, key=_order_key)
        return interval

    def remove(self, start: int, end: int, payload: T) -> None:
        """Remove one interval; KeyError if it is not in the index."""
        interval = Interval(start, end, payload)
        del self._ordered[self._position(interval)]
        for number in self._bucket_numbers(start, end):
            bucket = self._buckets[number]
            bucket.remove(interval)
            if not bucket:
                del self._buckets[number]

    # -- queries ------------------------------------------------------------------------------

    def overlapping(self, start: int, end: int) -> list[Interval[T]]:
        """Intervals sharing at least one position with ``[start, end)``, ordered by
        (start, end). An empty range overlaps nothing."""
        if end <= start:
            return []
        size = self._size
        first = start // size
        last = (end - 1) // size
        found: list[Interval[T]] = []
        # The first bucket lists everything reaching into it; later buckets contribute only the
        # intervals that *begin* there, so an interval spanning several buckets is found once.
        for interval in self._buckets.get(first, ()):
            if interval.start < end and interval.end > start:
                found.append(interval)
        for number in range(first + 1, last + 1):
            floor = number * size
            for interval in self._buckets.get(number, ()):
                if floor <= interval.start < end:
                    found.append(interval)
        found.sort(key=_order_key)
        return found

    def at(self, position: int) -> list[Interval[T]]:
        """Intervals containing ``position`` (start <= position < end)."""
        return self.overlapping(position, position + 1)

    def next_after(self, position: int) -> Interval[T] | None:
        """The first interval (by start, then end) starting after ``position``."""
        index = bisect.bisect_right(self._ordered, position, key=lambda i: i.start)
        return self._ordered[index] if index < len(self._ordered) else None

    def previous_before(self, position: int) -> Interval[T] | None:
        """The last interval (by start, then end) starting before ``position``."""
        index = bisect.bisect_left(self._ordered, position, key=lambda i: i.start)
        return self._ordered[index - 1] if index > 0 else None

    def step(self, interval: Interval[T], steps: int) -> Interval[T] | None:
        """The interval ``steps`` places after (or, negative, before) ``interval`` in
        (start, end) order — how the reader walks passage by passage, ties included."""
        position = self._position(interval) + steps
        return self._ordered[position] if 0 <= position < len(self._ordered) else None

    def __len__(self) -> int:
        return len(self._ordered)

    def __iter__(self) -> Iterator[Interval[T]]:
        return iter(self._ordered)

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, tuple) or len(item) != 3:
            return False
        try:
            self._position(Interval(*item))
        except KeyError:
            return False
        return True

    # -- internals ----------------------------------------------------------------------------

    def _position(self, interval: Interval[T]) -> int:
        key = (interval.start, interval.end)
        low = bisect.bisect_left(self._ordered, key, key=_order_key)
        high = bisect.bisect_right(self._ordered, key, key=_order_key)
        for position in range(low, high):
            if self._ordered[position].payload == interval.payload:
                return position
        raise KeyError(interval)

    @staticmethod
    def _check(interval: Interval[T]) -> None:
        if not (0 <= interval.start < interval.end):
            raise ValueError(f"not a non-empty range: {interval.start}–{interval.end}")

    def _bucket_numbers(self, start: int, end: int) -> range:
        return range(start // self._size, (end - 1) // self._size + 1)

    def _file(self, interval: Interval[T]) -> None:
        for number in self._bucket_numbers(interval.start, interval.end):
            self._buckets.setdefault(number, []).append(interval)


class KeyedIntervals(Generic[K]):
    """Intervals named by unique keys: look one up, replace or drop it, find those under a
    position, walk them in order. ``spans[key]`` is the Interval whose payload is ``key``."""

    def __init__(self, items: Iterable[tuple[K, int, int]] = ()):
        self.index: IntervalIndex[K] = IntervalIndex((start, end, key) for key, start, end in items)
        self.spans: dict[K, Interval[K]] = {interval.payload: interval for interval in self.index}
        if len(self.spans) != len(self.index):
            raise ValueError("keys must be unique")

    def put(self, key: K, start: int, end: int) -> Interval[K]:
        self.drop(key)
        interval = self.spans[key] = self.index.add(start, end, key)
        return interval

    def drop(self, key: K) -> Interval[K] | None:
        interval = self.spans.pop(key, None)
        if interval is not None:
            self.index.remove(*interval)
        return interval

    def under(self, position: int) -> list[K]:
        """Keys of the intervals containing ``position`` — or, if none, ending just before it
        (a click at the right edge of a word) — innermost (shortest) first."""
        hits = self.index.at(position) or (self.index.at(position - 1) if position else [])
        return [h.payload for h in sorted(hits, key=lambda h: (h.end - h.start, h.start))]

    def step(self, key: K, steps: int) -> K | None:
        """The key ``steps`` places after (negative: before) ``key`` in (start, end) order."""
        found = self.index.step(self.spans[key], steps)
        return None if found is None else found.payload

    def nearest(self, position: int, steps: int) -> K | None:
        """The first interval starting at or after ``position`` (steps > 0), or the last one
        starting before it (steps < 0)."""
        found = (
            self.index.next_after(position - 1)
            if steps > 0
            else self.index.previous_before(position)
        )
        return None if found is None else found.payload

    def __contains__(self, key: object) -> bool:
        return key in self.spans

    def __len__(self) -> int:
        return len(self.spans)
