"""Sentences of a document body, as the passage classifier proposes them.

razdel (imported when first needed) finds sentence ends in English and Russian alike. Lines
are split first because a headline or a dateline has no full stop and razdel would glue it to
the sentence below. A stretch with no sentence end at all (a pasted table, a transcript
without punctuation) is cut near ``LONGEST_SENTENCE`` characters at a word boundary, so one
proposal never covers a whole screen.
"""

from __future__ import annotations

import re

__all__ = ["LONGEST_SENTENCE", "MIN_WORDS", "sentences"]

MIN_WORDS = 4  # fewer words is a heading, a byline or a fragment: nothing to mark
LONGEST_SENTENCE = 400

_WORD = re.compile(r"\w+")
_LINE = re.compile(r"[^\n\r\u2028\u2029]+")


def sentences(body: str) -> list[tuple[int, int]]:
    """The sentences of ``body`` as (start, end) code points, end exclusive, surrounding
    whitespace stripped, in order; spans of fewer than ``MIN_WORDS`` words are left out."""
    from razdel import sentenize

    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(body):
        for piece in sentenize(line.group()):
            start = line.start() + piece.start
            for span in _cut_long(body, start, line.start() + piece.stop):
                stripped = _strip(body, *span)
                if stripped is not None and len(_WORD.findall(body[slice(*stripped)])) >= MIN_WORDS:
                    spans.append(stripped)
    return spans


def _strip(body: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _cut_long(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` in pieces of at most about ``LONGEST_SENTENCE`` characters, each cut
    at the last whitespace before the limit (or the first after it, for a giant word)."""
    pieces: list[tuple[int, int]] = []
    while end - start > LONGEST_SENTENCE:
        cut = _last_space(body, start + LONGEST_SENTENCE // 2, start + LONGEST_SENTENCE)
        if cut is None:
            cut = _first_space(body, start + LONGEST_SENTENCE, end)
            if cut is None:
                break
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _last_space(body: str, low: int, high: int) -> int | None:
    for index in range(high, low, -1):
        if body[index].isspace():
            return index
    return None


def _first_space(body: str, low: int, high: int) -> int | None:
    for index in range(low, high):
        if body[index].isspace():
            return index
    return None
