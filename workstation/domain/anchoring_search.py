"""Finding a passage's quote in a body: verbatim where its context confirms it, else fuzzily.

A placement must be earned: a wrong one is worse than an orphan, which an officer reviews.
Evidence comes from three places, and a weaker one is asked to show more of the others:

- *where*: the stretch of the new body that the diff says the passage's old text became
  (the ``region``; empty when that text was deleted). A quote found overlapping it
  verbatim needs little context.
- *context*: the prefix and suffix (up to 32 code points each) stored with the passage.
  A quote found elsewhere must still sit in enough of its old context.
- *the quote itself*: a long quote that occurs once is its own evidence; a fuzzy match must
  score high and keep its length, and a short one is never placed on its letters alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from workstation.domain.anchoring_diff import Block, OffsetMap
from workstation.domain.offsets import TextSelector, make_selector

# Verbatim occurrences ---------------------------------------------------------------------------
LOCAL_CONTEXT = 8  # code points of context a verbatim quote inside its region must keep
FAR_CONTEXT = 24  # ... and one found anywhere else
SIDE_CONTEXT = 4  # ... on each side, for a short quote
REGION_SLACK = 8  # how far past its region a verbatim quote overlapping it may reach
DISTINCT_QUOTE = 32  # a quote this long occurring once in the body needs no context
SHORT_QUOTE = 12  # below this, a quote's letters alone never place it (fuzzily or far)
MAX_OCCURRENCES = 2000  # a quote more frequent than this is not told apart by searching
# Fuzzy matches ----------------------------------------------------------------------------------
MIN_FUZZY_SCORE = 85.0  # rapidfuzz ratio of the placed text against the old quote
# (both with typography folded: "’ten’" is "'ten'" re-typeset, not two letters changed)
LENGTH_TOLERANCE = 0.25  # the placed text is at most this much shorter or longer
LOCAL_CONTEXT_SIMILARITY = 60.0  # how much the surroundings may have changed near the hint
STRICT_CONTEXT_SIMILARITY = 80.0  # ... for short quotes and matches far from the hint
LOCAL_WINDOW = 2048  # how far around a position from elsewhere (place_quote) to look first
SEED_WORDS = 3  # rare words of the passage whose occurrences seed the body-wide search
SEED_OCCURRENCES = 8  # ... each looked at this many times at most
SEED_CANDIDATES = 12  # the longest words of the passage, among which the rarest are chosen
MAX_SNAP = 24  # the furthest a fuzzy boundary moves to reach the edge of its word
MAX_TIGHTEN = 16  # the furthest a fuzzy boundary moves to make the quote match better
_SEED_WORD = re.compile(r"\w{4,}")
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
    exact: str
    prefix: str
    suffix: str

    @property
    def is_short(self) -> bool:
        return len(self.exact) < SHORT_QUOTE

    @property
    def context_length(self) -> int:
        return len(self.prefix) + len(self.suffix)


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


def _overlaps(span: tuple[int, int], region: tuple[int, int]) -> bool:
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
            if _overlaps((start, start + length), region)
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


# -- fuzzy ---------------------------------------------------------------------------------------


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
            if overlapping is not None and not _overlaps(span, overlapping):
                continue
            verdict = _judge(body, passage, span, strict)
            if verdict is not None:
                judged.append(verdict)
    if not judged:
        return None
    where = max(judged, key=lambda verdict: verdict[0])[1]
    same_place = [
        placed
        for _, placed in judged
        if _overlaps((placed.start, placed.end), (where.start, where.end))
    ]
    return max(same_place, key=lambda placed: placed.score)


def _seed_windows(body: str, passage: Passage) -> Iterator[tuple[int, int]]:
    """Stretches of the body holding one of the rarest words of the quote or its context
    where the passage would put it, merged when they overlap."""
    needle = passage.prefix + passage.exact + passage.suffix
    counted = []
    longest = sorted(set(_SEED_WORD.findall(needle)), key=lambda word: (-len(word), word))
    for word in longest[:SEED_CANDIDATES]:
        count = body.count(word)
        if count:
            counted.append((count, -len(word), word))
    spans = []
    pad = len(passage.exact) // 4 + passage.context_length + 16
    for _, _, word in sorted(counted)[:SEED_WORDS]:
        offset_in_quote = needle.find(word) - len(passage.prefix)
        for found, index in enumerate(_occurrences(body, word, 0, len(body))):
            if found == SEED_OCCURRENCES:
                break
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
    tells repeated sentences apart), once by the quote alone (for when the context changed)."""
    needles = [passage]
    if passage.context_length:
        needles.append(Passage(passage.exact, "", ""))
    for needle in needles:
        text = plain(needle.prefix + needle.exact + needle.suffix)
        if high - low < len(needle.exact):
            continue
        if len(text) > high - low:  # the window cannot hold the context: align the quote
            needle, text = Passage(needle.exact, "", ""), plain(needle.exact)
        found = fuzz.partial_ratio_alignment(text, plain(body[low:high]))
        if found is None or found.dest_end <= found.dest_start:
            continue
        # The alignment has the needle's length; widen it so insertions fit, then align the
        # needle character by character to find where the quote's own ends fell.
        slack = len(text) // 8 + 4
        piece_low = max(low, low + found.dest_start - slack)
        piece_high = min(high, low + found.dest_end + slack)
        blocks = [
            Block(op.src_start, op.dest_start, op.src_end - op.src_start)
            for op in Levenshtein.opcodes(text, plain(body[piece_low:piece_high]))
            if op.tag == "equal"
        ]
        mapping = OffsetMap(blocks, len(text), piece_high - piece_low)
        start = piece_low + mapping.start(len(needle.prefix))
        end = piece_low + mapping.end(len(needle.prefix) + len(needle.exact))
        yield snap_to_words(body, *_tighten(body, start, end, passage), passage)


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
