"""Finding a passage's quote verbatim in a body, where enough evidence says it is the passage.

A placement must be earned: a wrong one is worse than an orphan, which an officer reviews.
Evidence comes from three places, and a weaker one is asked to show more of the others:

- *where*: the stretch of the new body that the diff says the passage's old text became
  (the ``region``; empty when that text was deleted). A quote found overlapping it
  verbatim needs little context.
- *context*: the prefix and suffix (up to 32 code points each) stored with the passage.
  A quote found elsewhere must still sit in enough of its old context.
- *the quote itself*: a long quote that occurs once is its own evidence; a short one is
  never placed on its letters alone.

Approximate matches are ``anchoring_fuzzy``'s business.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from workstation.domain.offsets import TextSelector, make_selector

# Verbatim occurrences ---------------------------------------------------------------------------
LOCAL_CONTEXT = 8  # code points of context a verbatim quote inside its region must keep
FAR_CONTEXT = 24  # ... and one found anywhere else
SIDE_CONTEXT = 4  # ... on each side, for a short quote
REGION_SLACK = 8  # how far past its region a verbatim quote overlapping it may reach
DISTINCT_QUOTE = 32  # a quote this long occurring once in the body needs no context
SHORT_QUOTE = 12  # below this, a quote's letters alone never place it (fuzzily or far)
MAX_OCCURRENCES = 2000  # a quote more frequent than this is not told apart by searching


@dataclass(frozen=True)
class Placement:
    """Where a passage lies in a body: code points, end exclusive, and how it was found."""

    start: int
    end: int
    method: str  # "unchanged" | "shifted" | "quote" | "fuzzy"
    score: float  # 100.0 for exact methods, rapidfuzz ratio for fuzzy ones

    def selector(self, body: str) -> TextSelector:
        """The passage's new quote, prefix and suffix, read from the body it was placed in."""
        return make_selector(body, self.start, self.end)


@dataclass(frozen=True)
class Passage:
    """What is known of a passage wherever its offsets fail: its quote and the context
    (up to 32 code points each side) stored around it."""

    exact: str
    prefix: str
    suffix: str

    @property
    def is_short(self) -> bool:
        return len(self.exact) < SHORT_QUOTE

    @property
    def context_length(self) -> int:
        return len(self.prefix) + len(self.suffix)


# -- verbatim ------------------------------------------------------------------------------------


def verbatim_confirmed(passage: Passage, kept: tuple[int, int], *, local: bool) -> bool:
    """Whether a verbatim occurrence keeping ``kept`` (prefix, suffix) code points of its old
    context is the passage: a short quote needs context on both sides (one side alone is
    what a neighbouring paragraph offers when the quote's own was deleted); a long one needs
    less, and inside its region a distinct one needs none."""
    before, after = kept
    available = passage.context_length
    if passage.is_short:
        both_sides = before >= min(SIDE_CONTEXT, len(passage.prefix)) and after >= min(
            SIDE_CONTEXT, len(passage.suffix)
        )
        # Far from its region, a short quote's context must have survived nearly whole:
        # common phrases line up by chance for a word or two.
        needed = min(LOCAL_CONTEXT if local else max(FAR_CONTEXT, 0.75 * available), available)
        return available > 0 and both_sides and before + after >= needed
    if local:
        return len(passage.exact) >= DISTINCT_QUOTE or before + after >= min(
            LOCAL_CONTEXT, available
        )
    return available > 0 and before + after >= min(FAR_CONTEXT, available)


def overlaps(span: tuple[int, int], region: tuple[int, int]) -> bool:
    return span[0] < region[1] and region[0] < span[1]


def find_verbatim(
    body: str, passage: Passage, hint: int | None, region: tuple[int, int] | None
) -> Placement | None:
    exact, length = passage.exact, len(passage.exact)
    if region is not None:
        low, high = region
        inside = [
            start
            for start in _occurrences(body, exact, max(0, low - REGION_SLACK), high + REGION_SLACK)
            if overlaps((start, start + length), region)
        ]
        best = _best_occurrence(body, passage, inside, hint)
        if best is not None and verbatim_confirmed(passage, best[1], local=True):
            return Placement(best[0], best[0] + length, "quote", 100.0)
    occurrences = list(_occurrences(body, exact, 0, len(body)))
    best = _best_occurrence(body, passage, occurrences, hint)
    if best is None:
        return None
    distinct = len(occurrences) == 1 and length >= DISTINCT_QUOTE
    if distinct or verbatim_confirmed(passage, best[1], local=False):
        return Placement(best[0], best[0] + length, "quote", 100.0)
    return None


def _occurrences(body: str, exact: str, low: int, high: int) -> Iterator[int]:
    found = 0
    index = body.find(exact, low, high)
    while index != -1 and found < MAX_OCCURRENCES:
        yield index
        found += 1
        index = body.find(exact, index + 1, high)


def _best_occurrence(
    body: str, passage: Passage, starts: list[int], hint: int | None
) -> tuple[int, tuple[int, int]] | None:
    """The occurrence keeping the most context (then the nearest the hint), and what it kept."""
    best: tuple[int, int, int, tuple[int, int]] | None = None  # (-kept, distance, start, kept)
    for start in starts:
        kept = context_kept(body, start, start + len(passage.exact), passage)
        distance = abs(start - hint) if hint is not None else 0
        candidate = (-sum(kept), distance, start, kept)
        if best is None or candidate[:3] < best[:3]:
            best = candidate
    return None if best is None else (best[2], best[3])


def context_kept(body: str, start: int, end: int, passage: Passage) -> tuple[int, int]:
    """How many code points of the old prefix and of the old suffix still surround
    ``start:end``."""
    before = body[max(0, start - len(passage.prefix)) : start]
    after = body[end : end + len(passage.suffix)]
    kept_before = 0
    for ours, theirs in zip(reversed(before), reversed(passage.prefix), strict=False):
        if ours != theirs:
            break
        kept_before += 1
    kept_after = 0
    for ours, theirs in zip(after, passage.suffix, strict=False):
        if ours != theirs:
            break
        kept_after += 1
    return kept_before, kept_after
