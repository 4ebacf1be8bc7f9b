"""Where each stretch of an old article body went in its new version.

A re-imported article usually differs from the stored one in a few places: a paragraph
added, a typo fixed, a correction appended. The two bodies are compared coarsely first
(common head and tail, then paragraphs) and finely only inside the paragraphs that changed
(words), so a 300,000-character article with a few edits is compared in milliseconds.

The result is a list of *equal blocks* — ``(old_start, new_start, length)`` runs of text
present unchanged in both — and an :class:`OffsetMap` that carries an old offset across.
Blocks from the head, tail and paragraph comparison are *trusted*: whole lines that did not
change. Blocks from the word comparison are not: in rewritten text a common word or two can
line up by chance, so what they carry across must be confirmed by its context.
Offsets are code points (docs/architecture.md, "Offsets").
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from rapidfuzz.distance import Indel


class Block(NamedTuple):
    """A run of text equal in both bodies."""

    old_start: int
    new_start: int
    length: int
    trusted: bool = True


_PARAGRAPHS = re.compile(r"[^\n]*\n+|[^\n]+")  # a line with the newlines that end it
_WORDS = re.compile(r"\w+\W*|\W+")  # a word with the spaces and punctuation after it
# Above this many words on either side of a changed stretch (0.1 s of comparing), the word
# diff is skipped; the passages there are found by their quotes instead.
_MAX_WORDS = 20_000
_CHUNK = 4096


def common_prefix_length(a: str, b: str) -> int:
    """How many leading code points ``a`` and ``b`` share (compared in C-speed chunks)."""
    limit = min(len(a), len(b))
    done = 0
    while done < limit:
        step = min(_CHUNK, limit - done)
        if a[done : done + step] == b[done : done + step]:
            done += step
            continue
        low, high = 0, step  # a[done:done+low] equal, a[done:done+high] not
        while high - low > 1:
            middle = (low + high) // 2
            if a[done : done + middle] == b[done : done + middle]:
                low = middle
            else:
                high = middle
        return done + low
    return limit


def diff_blocks(old: str, new: str) -> list[Block]:
    """Runs of text the two bodies share, in order in both."""
    shared_head = common_prefix_length(old, new)
    room = min(len(old), len(new)) - shared_head  # the tail may not overlap the head
    shared_tail = min(common_prefix_length(old[::-1], new[::-1]), room)
    tail_starts = (len(old) - shared_tail, len(new) - shared_tail)
    head = _line_start_before(old, shared_head)
    tail = len(old) - _line_start_after(old, tail_starts[0])
    middle = [
        block
        for block in _paragraph_blocks(old, new, (head, len(old) - tail), (head, len(new) - tail))
        if block.trusted or _clear_of(block, shared_head, tail_starts)
    ]
    # What the cut left of the shared head and tail is still equal text: keep it where the
    # middle's paragraphs did not match that text elsewhere (an insertion at the very start
    # of a line must not orphan the line's first characters). Words the middle lined up
    # there by chance gave way to it above, being less sure.
    head_end = shared_head
    if middle:
        head_end = min(head_end, middle[0].old_start, middle[0].new_start)
    shift = len(new) - len(old)
    tail_start = max(tail_starts[0], head_end, head_end - shift)
    if middle:
        last = middle[-1]
        ends = (last.old_start + last.length, last.new_start + last.length)
        tail_start = max(tail_start, ends[0], ends[1] - shift)
    blocks = [Block(0, 0, head_end)] if head_end > 0 else []
    blocks += middle
    if tail_start < len(old):
        blocks.append(Block(tail_start, tail_start + shift, len(old) - tail_start))
    return blocks


def _clear_of(block: Block, head_end: int, tail_starts: tuple[int, int]) -> bool:
    """Whether ``block`` stays out of the shared head (before ``head_end`` in both texts)
    and the shared tail (from ``tail_starts``, old and new)."""
    return (
        block.old_start >= head_end
        and block.new_start >= head_end
        and block.old_start + block.length <= tail_starts[0]
        and block.new_start + block.length <= tail_starts[1]
    )


# The common head and tail are cut back to whole lines, so the paragraphs between them are
# compared whole: a paragraph ending "…expelled." whose successor ending "…freezes." was
# deleted must not lose its "." to the tail and look edited. Unless no line ends nearby.
_SNAP_LIMIT = 4096
_NEWLINES = re.compile(r"\n+")


def _line_start_before(text: str, offset: int) -> int:
    """The start of the line holding ``offset`` (``offset`` itself if no line starts near)."""
    newline = text.rfind("\n", max(0, offset - _SNAP_LIMIT), offset)
    if newline != -1:
        return newline + 1
    return 0 if offset <= _SNAP_LIMIT else offset


def _line_start_after(text: str, offset: int) -> int:
    """The first line start at or after ``offset`` (the end of the text when the line
    holding it is the last; ``offset`` itself if no line starts near)."""
    if offset == 0 or (text[offset - 1] == "\n" and text[offset : offset + 1] != "\n"):
        return offset
    newlines = _NEWLINES.search(text, offset, offset + _SNAP_LIMIT)
    if newlines is not None:
        return newlines.end()
    return len(text) if len(text) - offset <= _SNAP_LIMIT else offset


def _tokens(pattern: re.Pattern[str], text: str, offset: int) -> tuple[list[str], list[int]]:
    """The tokens of ``text`` and where each starts (plus ``offset``); one past the end last."""
    tokens = pattern.findall(text)
    starts = [offset]
    for token in tokens:
        starts.append(starts[-1] + len(token))
    return tokens, starts


def _paragraph_blocks(
    old: str, new: str, old_range: tuple[int, int], new_range: tuple[int, int]
) -> list[Block]:
    (a_lo, a_hi), (b_lo, b_hi) = old_range, new_range
    if a_lo >= a_hi or b_lo >= b_hi:
        return []  # a pure insertion or deletion: nothing in common
    a_tokens, a_starts = _tokens(_PARAGRAPHS, old[a_lo:a_hi], a_lo)
    b_tokens, b_starts = _tokens(_PARAGRAPHS, new[b_lo:b_hi], b_lo)
    # Lines are compared without the newlines after them: the last paragraph of a body has
    # none, and it is the same paragraph when another is appended after it.
    a_lines = [token.rstrip("\n") for token in a_tokens]
    b_lines = [token.rstrip("\n") for token in b_tokens]
    blocks: list[Block] = []
    # A longest common subsequence of lines, bit-parallel in rapidfuzz: difflib's matcher
    # took 37 s on 20,000 short lines drawn from 50 distinct ones.
    i, j = 0, 0  # where the stretch since the last equal run begins
    for op in [*Indel.opcodes(a_lines, b_lines), None]:
        if op is not None and op.tag != "equal":
            continue
        i_end, j_end = (len(a_lines), len(b_lines)) if op is None else (op.src_start, op.dest_start)
        blocks += _changed_paragraphs(old, new, a_starts[i : i_end + 1], b_starts[j : j_end + 1])
        if op is None:
            break
        for k in range(op.src_end - op.src_start):
            a, b = op.src_start + k, op.dest_start + k
            newlines = min(len(a_tokens[a]) - len(a_lines[a]), len(b_tokens[b]) - len(b_lines[b]))
            _append_merged(blocks, Block(a_starts[a], b_starts[b], len(a_lines[a]) + newlines))
        i, j = op.src_end, op.dest_end
    return blocks


def _changed_paragraphs(
    old: str, new: str, old_starts: list[int], new_starts: list[int]
) -> list[Block]:
    """Words in common between changed paragraphs (given by where each starts, and where
    the last ends)."""
    if len(old_starts) < 2 or len(new_starts) < 2:
        return []  # paragraphs only deleted, or only inserted
    if len(old_starts) == len(new_starts):
        # As many paragraphs on both sides: each was edited in place, compare in pairs
        # (cheaper, and no word pairs up with a word of another paragraph).
        blocks: list[Block] = []
        for k in range(len(old_starts) - 1):
            blocks += _word_blocks(
                old, new, (old_starts[k], old_starts[k + 1]), (new_starts[k], new_starts[k + 1])
            )
        return blocks
    return _word_blocks(old, new, (old_starts[0], old_starts[-1]), (new_starts[0], new_starts[-1]))


def _append_merged(blocks: list[Block], block: Block) -> None:
    """Append ``block``, joined to the last one when it continues it in both texts."""
    if blocks:
        last = blocks[-1]
        if (
            last.trusted == block.trusted
            and last.old_start + last.length == block.old_start
            and last.new_start + last.length == block.new_start
        ):
            blocks[-1] = last._replace(length=last.length + block.length)
            return
    if block.length:
        blocks.append(block)


def _word_blocks(
    old: str, new: str, old_range: tuple[int, int], new_range: tuple[int, int]
) -> list[Block]:
    (a_lo, a_hi), (b_lo, b_hi) = old_range, new_range
    a_tokens, a_starts = _tokens(_WORDS, old[a_lo:a_hi], a_lo)
    b_tokens, b_starts = _tokens(_WORDS, new[b_lo:b_hi], b_lo)
    if not a_tokens or not b_tokens or max(len(a_tokens), len(b_tokens)) > _MAX_WORDS:
        return []
    # A longest common subsequence of words (bit-parallel in rapidfuzz): difflib's matcher
    # took 18 s on two 6,000-word stretches edited every few words.
    return [
        Block(
            a_starts[op.src_start],
            b_starts[op.dest_start],
            a_starts[op.src_end] - a_starts[op.src_start],
            trusted=False,
        )
        for op in Indel.opcodes(a_tokens, b_tokens)
        if op.tag == "equal"
    ]


class OffsetMap:
    """Carries offsets of one text into another through their equal blocks.

    Between two equal blocks lies a *gap*: old text replaced by new text (either side may be
    empty). An offset inside a block moves with it exactly; one inside a gap lands at the same
    proportion of the gap's new side, which is only a hint for a search.
    """

    def __init__(self, blocks: list[Block], old_length: int, new_length: int):
        # Sentinels at both ends so every gap is bounded by two blocks.
        self._blocks = [Block(0, 0, 0), *blocks, Block(old_length, new_length, 0)]
        self._old_starts = [block.old_start for block in self._blocks]

    def _holding_start(self, offset: int) -> int:
        """Index of the last block starting at or before ``offset`` (holding it, or the gap
        after it does)."""
        return bisect.bisect_right(self._old_starts, offset) - 1

    def _holding_end(self, offset: int) -> int:
        """Index of the last block starting before ``offset`` (an end offset is the position
        after its character)."""
        return max(0, bisect.bisect_left(self._old_starts, offset) - 1)

    def start(self, offset: int) -> int:
        """Where a passage beginning at old ``offset`` begins in the new text."""
        index = self._holding_start(offset)
        block = self._blocks[index]
        if offset < block.old_start + block.length:
            return block.new_start + offset - block.old_start
        (a1, b1), (a2, b2) = self._gap_after(index)
        return b1 + (offset - a1) * (b2 - b1) // max(1, a2 - a1)

    def end(self, offset: int) -> int:
        """Where a passage ending at old ``offset`` (exclusive) ends in the new text."""
        index = self._holding_end(offset)
        block = self._blocks[index]
        if offset <= block.old_start + block.length:
            return block.new_start + offset - block.old_start
        (a1, b1), (a2, b2) = self._gap_after(index)
        return b2 - (a2 - offset) * (b2 - b1) // max(1, a2 - a1)

    def start_block(self, offset: int) -> Block | None:
        """The equal block holding the character at old ``offset``; None inside a gap."""
        block = self._blocks[self._holding_start(offset)]
        return block if offset < block.old_start + block.length else None

    def end_block(self, offset: int) -> Block | None:
        """The equal block holding the character before old ``offset``; None inside a gap."""
        block = self._blocks[self._holding_end(offset)]
        return block if 0 < offset <= block.old_start + block.length else None

    def region(self, start: int, end: int) -> tuple[int, int]:
        """The new stretch old ``start:end`` became: widened to whole gaps at either end."""
        if self.start_block(start) is not None:
            low = self.start(start)
        else:
            low = self._gap_after(self._holding_start(start))[0][1]
        if self.end_block(end) is not None:
            high = self.end(end)
        else:
            high = self._gap_after(self._holding_end(end))[1][1]
        return low, max(low, high)

    def enclosing_gap(self, start: int, end: int) -> tuple[Block, Block] | None:
        """The blocks either side of the one gap holding all of old ``start:end``, if any."""
        index = self._holding_start(start)
        block, following = self._blocks[index], self._blocks[index + 1]
        if start >= block.old_start + block.length and end <= following.old_start:
            return block, following
        return None

    def _gap_after(self, index: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """((old, new) where the gap after block ``index`` begins, (old, new) where it ends)."""
        block, following = self._blocks[index], self._blocks[index + 1]
        return (
            (block.old_start + block.length, block.new_start + block.length),
            (following.old_start, following.new_start),
        )
