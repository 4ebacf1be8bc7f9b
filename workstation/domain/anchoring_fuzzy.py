"""Fuzzy placement: where a quote that no longer occurs verbatim now lies, if anywhere.

A typo fixed inside a quote, a word added, quote marks re-typeset: the quote is aligned
character by character with the text where it is expected, its ends are nudged to where it
matches best and snapped to word edges, and the result is accepted only if it scores at
least 85 against the old quote, kept its length within a quarter, and sits in surroundings
still like its old prefix and suffix (more alike for short quotes and far from the hint).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from workstation.domain.anchoring_diff import Block, OffsetMap
from workstation.domain.anchoring_search import Passage, Placement, overlaps

# Fuzzy matches ----------------------------------------------------------------------------------
MIN_FUZZY_SCORE = 85.0  # rapidfuzz ratio of the placed text against the old quote
# (both with typography folded: "’ten’" is "'ten'" re-typeset, not two letters changed)
LENGTH_TOLERANCE = 0.25  # the placed text is at most this much shorter or longer
LOCAL_CONTEXT_SIMILARITY = 60.0  # how much the surroundings may have changed near the hint
STRICT_CONTEXT_SIMILARITY = 80.0  # ... for short quotes and matches far from the hint
LOCAL_WINDOW = 2048  # how far around a position from elsewhere (place_quote) to look first
SEED_WORDS = 3  # rare words of the passage whose occurrences seed the body-wide search
SEED_OCCURRENCES = 4  # ... each looked at this many times at most
MIN_SEED_LETTERS = 4  # shorter words are too common to seed anything
MAX_SNAP = 24  # the furthest a fuzzy boundary moves to reach the edge of its word
# Below this partial-ratio, an alignment cannot hold a quote scoring MIN_FUZZY_SCORE (the
# quote alone) or its context was lost (the quote with context): not worth refining.
MIN_ALIGNMENT_SCORE = 70.0
MAX_TIGHTEN = 16  # the furthest a fuzzy boundary moves to make the quote match better
EDGE = 32  # code points either side of a quote's end aligned to find that end
_WORD = re.compile(r"\w+")
# Typographic variants a re-edited article swaps wholesale (quote marks, dashes, spaces),
# each folded to one plain character so fuzzy comparison sees them as equal and offsets
# into the folded text are offsets into the original.
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u00a0\u2002\u2003\u2009\u200a\u202f", " "),
    }
)


def plain(text: str) -> str:
    """``text`` with typographic variants folded, code point for code point."""
    return text.translate(_TYPOGRAPHY)


def find_fuzzy(
    body: str, passage: Passage, hint: int | None, region: tuple[int, int] | None
) -> Placement | None:
    """The best confirmed approximate match: overlapping the region first, then (strictly)
    near the hint or wherever the rarest words of the quote and its context occur."""
    pad = len(passage.exact) // 4 + passage.context_length + 16
    if region is not None and region[1] > region[0]:
        low, high = region
        placed = _best_in(
            body, passage, [(low - pad, high + pad)], strict=passage.is_short, overlapping=region
        )
        if placed is not None:
            return placed
    windows = list(_seed_windows(body, passage))
    if hint is not None and region is None:
        reach = LOCAL_WINDOW + len(passage.exact) + pad
        windows.insert(0, (hint - reach, hint + reach))
    return _best_in(body, passage, windows, strict=True)


def _best_in(
    body: str,
    passage: Passage,
    windows: list[tuple[int, int]],
    strict: bool,
    overlapping: tuple[int, int] | None = None,
) -> Placement | None:
    """The best alignment in any window that passes judgment. *Where* is chosen by the quote's
    score plus how alike its surroundings are, so a repeated sentence is told apart by its
    context; the *boundaries* there by the quote's score alone."""
    judged: list[tuple[float, Placement]] = []
    for low, high in windows:
        for span in _aligned_spans(body, passage, max(0, low), min(len(body), high)):
            if overlapping is not None and not overlaps(span, overlapping):
                continue
            verdict = _judge(body, passage, span, strict)
            if verdict is not None:
                judged.append(verdict)
                break  # guided by the context, it needs no second opinion from the quote alone
    if not judged:
        return None
    where = max(judged, key=lambda verdict: verdict[0])[1]
    same_place = [
        placed
        for _, placed in judged
        if overlaps((placed.start, placed.end), (where.start, where.end))
    ]
    return max(same_place, key=lambda placed: placed.score)


@functools.lru_cache(maxsize=4)
def _word_positions(body: str) -> dict[str, list[int]]:
    """Where each word of four letters or more starts in ``body``: built once per body (a
    re-import places many passages in the same one) so seeds cost no scan of the body."""
    positions: dict[str, list[int]] = {}
    for match in _WORD.finditer(body):
        if match.end() - match.start() >= MIN_SEED_LETTERS:
            positions.setdefault(match.group(), []).append(match.start())
    return positions


def _seed_windows(body: str, passage: Passage) -> Iterator[tuple[int, int]]:
    """Stretches of the body holding one of the rarest words of the quote or its context
    where the passage would put it, merged when they overlap."""
    needle = passage.prefix + passage.exact + passage.suffix
    positions = _word_positions(body)
    seeds = []  # (occurrences in the body, where the word sits relative to the quote, word)
    for match in _WORD.finditer(needle):
        found = positions.get(match.group())
        if found and match.end() - match.start() >= MIN_SEED_LETTERS:
            seeds.append((len(found), match.start() - len(passage.prefix), match.group()))
    spans = []
    pad = len(passage.exact) // 4 + passage.context_length + 16
    for _, offset_in_quote, word in sorted(seeds)[:SEED_WORDS]:
        for index in positions[word][:SEED_OCCURRENCES]:
            start = index - offset_in_quote
            spans.append((start - pad, start + len(passage.exact) + pad))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for low, high in spans:
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    yield from merged


def _aligned_spans(body: str, passage: Passage, low: int, high: int) -> Iterator[tuple[int, int]]:
    """Where the quote best aligns in ``body[low:high]``: once guided by its context (which
    tells repeated sentences apart), once by the quote alone (for when the context changed).

    Each end is found on its own, from the text either side of it (at most 64 code points,
    which rapidfuzz aligns bit-parallel: a whole long quote would cost a hundred times
    more); the end is then looked for only where the quote's length puts it.
    """
    exact = passage.exact
    sides = [(passage.prefix, passage.suffix)]
    if passage.context_length:
        sides.append(("", ""))
    for prefix, suffix in sides:
        start = _boundary(body, (low, high), prefix[-EDGE:], exact[:EDGE], starts=True)
        if start is None:
            end_low, end_high = low, high
        else:  # where an end keeping the length within tolerance can fall
            end_low = start + int(len(exact) * (1 - LENGTH_TOLERANCE)) - EDGE
            end_high = start + int(len(exact) * (1 + LENGTH_TOLERANCE)) + 1 + EDGE
        end_window = (max(low, end_low), min(high, end_high))
        end = _boundary(body, end_window, exact[-EDGE:], suffix[:EDGE], starts=False)
        # One end found: the other is where the quote's length puts it, then nudged.
        if start is None:
            if end is None:  # neither end: nothing here
                continue
            start = end - len(exact)
        elif end is None:
            end = start + len(exact)
        yield snap_to_words(body, *_tighten(body, start, end, passage), passage)


def _boundary(
    body: str, window: tuple[int, int], before: str, after: str, *, starts: bool
) -> int | None:
    """Where in the window of ``body`` the text reads ``before`` then ``after``
    (approximately): the offset between the two, or None if nothing there is alike enough.
    ``starts`` says whether the quote starts there (``after`` is its head) or ends there."""
    low, high = window
    room = high - low
    if room <= 0:
        return None
    if len(before) + len(after) > room:  # a small body: keep what fits, nearest the point
        keep = room // 2
        before, after = before[len(before) - keep :] if keep else "", after[: room - keep]
    needle = plain(before + after)
    if not needle:
        return None
    found = fuzz.partial_ratio_alignment(
        needle, plain(body[low:high]), score_cutoff=MIN_ALIGNMENT_SCORE
    )
    if found is None or found.dest_end <= found.dest_start:
        return None
    # The alignment has the needle's length; widen it so insertions fit, then align the
    # needle character by character to see where the point between its halves fell.
    slack = len(needle) // 4 + 4
    piece_low = max(low, low + found.dest_start - slack)
    piece_high = min(high, low + found.dest_end + slack)
    blocks = [
        Block(op.src_start, op.dest_start, op.src_end - op.src_start)
        for op in Levenshtein.opcodes(needle, plain(body[piece_low:piece_high]))
        if op.tag == "equal"
    ]
    mapping = OffsetMap(blocks, len(needle), piece_high - piece_low)
    point = mapping.start(len(before)) if starts else mapping.end(len(before))
    return piece_low + point


def _tighten(body: str, start: int, end: int, passage: Passage) -> tuple[int, int]:
    """Nudge each end of an aligned span (a few code points at most) to where the span best
    matches the quote: a character alignment has many equally cheap ways to spread spaces
    or a changed letter, and only some put the quote's ends where they belong."""
    reach = min(MAX_TIGHTEN, len(passage.exact) // 4 + 2)
    low, high = max(0, start - reach), min(len(body), end + reach)
    local, exact = plain(body[low:high]), plain(passage.exact)

    # Fewest edits (a changed letter is one substitution, not a deletion and an insertion,
    # so the span keeps a changed last letter); ties go to the aligned position.
    def score(first: int, last: int) -> int:
        return -Levenshtein.distance(exact, local[first - low : last - low])

    starts = range(max(low, start - reach), min(end, start + reach + 1))
    start = max(starts, key=lambda first: (score(first, end), -abs(first - start)), default=start)
    ends = range(max(start + 1, end - reach), min(high, end + reach) + 1)
    end = max(ends, key=lambda last: (score(start, last), -abs(last - end)), default=end)
    return start, end


def _judge(
    body: str, passage: Passage, span: tuple[int, int], strict: bool
) -> tuple[float, Placement] | None:
    """The fuzzy placement of ``span`` and its rank, if it passes every test."""
    start, end = span
    if not 0 <= start < end <= len(body):
        return None
    exact, placed = passage.exact, body[start:end]
    if abs(len(placed) - len(exact)) > LENGTH_TOLERANCE * len(exact):
        return None
    score = fuzz.ratio(plain(exact), plain(placed))
    if score < MIN_FUZZY_SCORE:
        return None
    similarity = context_similarity(body, start, end, passage)
    if similarity is None:
        # Nothing to confirm with: only a long quote near its expected place can stand alone.
        if strict or passage.is_short:
            return None
    elif similarity < (STRICT_CONTEXT_SIMILARITY if strict else LOCAL_CONTEXT_SIMILARITY):
        return None
    return score + (similarity or 0.0), Placement(start, end, "fuzzy", round(score, 2))


def context_similarity(body: str, start: int, end: int, passage: Passage) -> float | None:
    """How alike (0–100) the old prefix and suffix are to what now surrounds ``start:end``,
    weighted by their lengths; None when the passage kept no context."""
    weighted, total = 0.0, 0
    if passage.prefix:
        before = body[max(0, start - len(passage.prefix)) : start]
        weighted += len(passage.prefix) * fuzz.ratio(plain(passage.prefix), plain(before))
        total += len(passage.prefix)
    if passage.suffix:
        after = body[end : end + len(passage.suffix)]
        weighted += len(passage.suffix) * fuzz.ratio(plain(passage.suffix), plain(after))
        total += len(passage.suffix)
    return weighted / total if total else None


def snap_to_words(body: str, start: int, end: int, passage: Passage) -> tuple[int, int]:
    """Move fuzzy boundaries to where the quote's own ends were: a quote that began at the
    start of a word begins at the start of one (covering a corrected first word whole), and
    likewise for its end; spaces the quote did not have are left out."""
    exact, length = passage.exact, len(body)
    start, end = max(0, min(start, length)), max(0, min(end, length))
    if exact[0].isalnum():
        while start < end and not body[start].isalnum():
            start += 1
        if not passage.prefix or not passage.prefix[-1].isalnum():
            word_start = start
            while word_start > 0 and body[word_start - 1].isalnum():
                word_start -= 1
            if start - word_start <= MAX_SNAP:  # scripts without spaces have no words to snap to
                start = word_start
    elif not exact[0].isspace():
        while start < end and body[start].isspace():
            start += 1
    if exact[-1].isalnum():
        while end > start and not body[end - 1].isalnum():
            end -= 1
        if not passage.suffix or not passage.suffix[0].isalnum():
            word_end = end
            while start < word_end < length and body[word_end].isalnum():
                word_end += 1
            if word_end - end <= MAX_SNAP:
                end = word_end
    elif not exact[-1].isspace():
        while end > start and body[end - 1].isspace():
            end -= 1
    return start, end
