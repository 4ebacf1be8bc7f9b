"""Re-anchoring passages when an article comes back in a changed version.

Every passage (quote, up to 32 code points of prefix and suffix, start and end in the old
body) is moved to the new body or reported unplaceable (``None``: the caller keeps it as an
orphan for review, docs/architecture.md "Offsets"). A wrong placement is worse than an
orphan, so each step below must be vouched for:

1. ``unchanged`` / ``shifted``: the diff of the two bodies carries the passage across and the
   new text there reads exactly the quote (anchored at its mapped start or its mapped end).
2. ``quote``: the quote occurs verbatim, inside the stretch the diff says its text became
   with a little context, or anywhere with more context (see ``anchoring_search``).
3. ``fuzzy``: an approximate match (a typo fixed inside the quote) scoring at least 85 with
   its length kept and its surroundings still alike; boundaries snapped to word edges
   (see ``anchoring_fuzzy``).

The diff itself lives in ``anchoring_diff``. Everything here is pure: no I/O.
"""

from __future__ import annotations

from workstation.domain.anchoring_diff import Block, OffsetMap, diff_blocks
from workstation.domain.anchoring_fuzzy import find_fuzzy
from workstation.domain.anchoring_search import (
    Passage,
    Placement,
    context_kept,
    find_verbatim,
    verbatim_confirmed,
)
from workstation.domain.offsets import TextSelector, selector_matches

__all__ = ["Placement", "Reanchorer", "place_quote"]

# How far from the mapped start a passage may be looked for inside a changed stretch: only
# a rewrite of most of an article makes a stretch this long, and there the diff says little.
REGION_REACH = 2048


class Reanchorer:
    """Built once per (old body, new body) pair; places many passages cheaply.

    The bodies are compared once here; placing a passage whose text was untouched is then a
    couple of binary searches and one string comparison.
    """

    def __init__(self, old_body: str, new_body: str):
        self.old_body = old_body
        self.new_body = new_body
        self._identical = old_body == new_body
        blocks = (
            [Block(0, 0, len(old_body))] if self._identical else diff_blocks(old_body, new_body)
        )
        self._map = OffsetMap(blocks, len(old_body), len(new_body))

    def place(
        self, start: int, end: int, exact: str, prefix: str = "", suffix: str = ""
    ) -> Placement | None:
        """Where the passage ``start:end`` of the old body lies in the new one, or None."""
        if not exact or not self.new_body:
            return None
        passage = Passage(exact, prefix, suffix)
        if not selector_matches(self.old_body, start, end, exact):
            # The stored offsets do not hold the quote (an older orphan, a foreign record):
            # they say nothing about where it went, so only the quote and context can.
            hint = self._map.start(min(max(start, 0), max(len(self.old_body) - 1, 0)))
            return locate(self.new_body, passage, hint, None)
        if self._identical:
            return Placement(start, end, "unchanged", 100.0)
        followed = self._follow(passage, start, end)
        if followed is not None:
            return followed
        return locate(self.new_body, passage, self._map.start(start), self._region(start, end))

    def place_selector(self, selector: TextSelector) -> Placement | None:
        return self.place(
            selector.start, selector.end, selector.exact, selector.prefix, selector.suffix
        )

    def _follow(self, passage: Passage, start: int, end: int) -> Placement | None:
        """The passage carried across by the diff, if the new text there is the quote.

        It may be anchored at both mapped ends, or at just one when the other fell in a gap:
        an insertion the diff put just inside the passage's edge (where it could equally
        have gone just outside) then still leaves the quote readable from its other end.
        Anchors in word-diff blocks, which can line up by chance, need the context too.
        """
        exact = passage.exact
        start_block, end_block = self._map.start_block(start), self._map.end_block(end)
        new_start, new_end = self._map.start(start), self._map.end(end)
        candidates = []
        if start_block is not None and end_block is not None:
            candidates.append((new_start, new_end, start_block.trusted and end_block.trusted))
        if start_block is not None:
            candidates.append((new_start, new_start + len(exact), start_block.trusted))
        if end_block is not None:
            candidates.append((new_end - len(exact), new_end, end_block.trusted))
        candidates += self._slid_out_of_deletion(start, end)
        for low, high, trusted in candidates:
            if not selector_matches(self.new_body, low, high, exact):
                continue
            if trusted or verbatim_confirmed(
                passage, context_kept(self.new_body, low, high, passage), local=True
            ):
                method = "unchanged" if (low, high) == (start, end) else "shifted"
                return Placement(low, high, method, 100.0)
        return None

    def _slid_out_of_deletion(self, start: int, end: int) -> list[tuple[int, int, bool]]:
        """Where a passage inside deleted text lies if the deletion slid along repeated text.

        Deleting one of two equal runs ("aa" → "a", a doubled paragraph removed) can be
        described as deleting either; the diff picks one. A passage in the copy it picked
        reads the same in the other, next to the gap: that is where it went.
        """
        around = self._map.enclosing_gap(start, end)
        if around is None:
            return []
        before, after = around
        gap_start, gap_end = before.old_start + before.length, after.old_start
        new_point = before.new_start + before.length
        if after.new_start != new_point:
            return []  # new text replaced the old here: no slide, a search decides
        slid_right = (new_point + start - gap_start, new_point + end - gap_start)
        slid_left = (new_point - (gap_end - start), new_point - (gap_end - end))
        # A slide is valid when the whole deleted stretch it crosses repeats beside the gap.
        candidates = []
        if slid_right[1] <= after.new_start + after.length and (
            self.old_body[gap_start:end] == self.new_body[new_point : slid_right[1]]
        ):
            candidates.append((*slid_right, after.trusted))
        if slid_left[0] >= before.new_start and (
            self.old_body[start:gap_end] == self.new_body[slid_left[0] : new_point]
        ):
            candidates.append((*slid_left, before.trusted))
        return candidates

    def _region(self, start: int, end: int) -> tuple[int, int]:
        """The new stretch the old passage became (empty when its text was deleted), kept
        within reach of the mapped start when the changed stretch is huge (a rewrite)."""
        low, high = self._map.region(start, end)
        reach = 4 * (end - start) + REGION_REACH
        hint = self._map.start(start)
        low, high = max(low, hint - reach), min(high, hint + reach)
        return low, max(low, high)


def locate(
    body: str, passage: Passage, hint: int | None, region: tuple[int, int] | None
) -> Placement | None:
    """The passage in ``body``: verbatim if confirmed, else fuzzy if confirmed, else None.

    ``hint`` is where it is expected to start (breaks ties by nearness); ``region`` is the
    stretch the diff says its text became, or None when nothing vouches for any place.
    """
    if not passage.exact or not body:
        return None
    return find_verbatim(body, passage, hint, region) or find_fuzzy(body, passage, hint, region)


def place_quote(
    body: str,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
) -> Placement | None:
    """Place an annotation made elsewhere (a W3C import): at its position if the body holds
    the quote there, else by quote and context, else fuzzily; None if unplaceable.

    The position came from another copy of the text, so apart from that first check it only
    breaks ties by nearness: it vouches for no place, and every match must be confirmed by
    context or by a long quote being unique.
    """
    if not exact or not body:
        return None
    if start is not None and end is not None and selector_matches(body, start, end, exact):
        return Placement(start, end, "unchanged", 100.0)
    hint = min(max(start, 0), len(body)) if start is not None else None
    return locate(body, Passage(exact, prefix, suffix), hint, None)
