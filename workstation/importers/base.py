"""What every importer produces, what it raises, and the shared title rules.

Decoding text files lives in decoding.py.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

# Articles are kilobytes; anything past this is a mistake (a dump, a video) or a denial of
# service on the reader. Stated in the README; one clear message when exceeded. This and
# every limit on what a file expands to live in limits.py.
from workstation.importers import limits
from workstation.importers.limits import MAX_FILE_BYTES
from workstation.importers.limits import describe_size as describe_size

__all__ = ["MAX_FILE_BYTES", "DocumentDraft", "Extraction", "ImportRejected"]


@dataclass
class DocumentDraft:
    """An imported article before it is stored: text plus whatever metadata the format had."""

    title: str
    text: str
    origin_name: str
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date
    language: str | None = None
    encoding: str | None = None
    # Where the article was filed from (its dateline), and which of title, published and
    # place were only read from its first lines: proposals until an officer confirms them.
    place: str | None = None
    proposed: tuple[str, ...] = ()
    # What the importer had to guess or leave out, one line each, for the import report
    # (a charset label overruled, stray bytes, the e-mail part that was not taken).
    warnings: tuple[str, ...] = ()


class ImportRejected(Exception):
    """A file that cannot be imported; the message is the reason, for the user."""


class Extraction:
    """What one reader has produced so far, held to the text and time limits.

    Readers call :meth:`add_text` as paragraphs, pages or parts come out and :meth:`check_time`
    in their loops; either raises ImportRejected naming the limit and where reading stopped.
    ``progress(done, total)`` hears about long work (pages of a PDF).
    """

    def __init__(
        self,
        *,
        max_chars: int | None = None,
        seconds: float | None = None,
        progress: Callable[[int, int], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        # Read when reading starts, so the limits can be changed in one place (and tests).
        self.max_chars = limits.MAX_TEXT_CHARS if max_chars is None else max_chars
        self.seconds = limits.MAX_READ_SECONDS if seconds is None else seconds
        self.chars = 0
        self._progress = progress
        self._clock = clock
        self._deadline = clock() + self.seconds

    def add_text(self, count: int, where: str) -> None:
        """Count ``count`` more characters of text; refuse once past the limit."""
        self.chars += count
        if self.chars > self.max_chars:
            raise ImportRejected(
                f"the text it expands to passes the {describe_size(self.max_chars)} limit "
                f"(stopped at {where})"
            )

    def check_time(self, where: str) -> None:
        if self._clock() > self._deadline:
            raise ImportRejected(
                f"reading it takes more than the {self.seconds:g} s limit (stopped at {where})"
            )

    def progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(done, total)


# -- file names --------------------------------------------------------------------------------

_SURROGATES = re.compile("[\ud800-\udfff]")


def safe_name(name: str) -> str:
    """A file name as text that can be stored and shown: a name that is not valid UTF-8
    (``b'latin\\xff.txt'``, which Python gives as ``'latin\\udcff.txt'``) keeps its other
    characters and shows each undecodable byte as ``\\xff``."""
    if not _SURROGATES.search(name):
        return name
    try:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    except UnicodeError:  # a surrogate that did not come from a file-system byte
        return safe_text(name)


def safe_text(text: str) -> str:
    """``text`` with lone surrogates (which no UTF-8 store accepts) as U+FFFD."""
    return _SURROGATES.sub("\ufffd", text)


# A headline is a line; a subject or <title> longer than this is something else pasted in.
MAX_TITLE_CHARS = 200
_NOT_IN_A_TITLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\s]+")


def tidy_title(title: str | None, fallback: str) -> str:
    """A title as one line of at most MAX_TITLE_CHARS, cut at a word with "…"; the
    fallback (the file name) when nothing printable is left.

    Metadata comes from anywhere: an e-mail subject of megabytes, a <title> with line breaks
    and control characters. The reader, the library and the brief all show titles on one line.
    """
    text = _one_line(title) or _one_line(fallback)
    if len(text) <= MAX_TITLE_CHARS:
        return text
    cut = text[: MAX_TITLE_CHARS - 1]
    word_end = cut.rfind(" ")
    if word_end > MAX_TITLE_CHARS // 2:
        cut = cut[:word_end]
    return cut.rstrip() + "…"


def _one_line(value: str | None) -> str:
    # Only the start is ever shown: tidy no more of it than can survive the cut.
    return _NOT_IN_A_TITLE.sub(" ", (value or "")[: MAX_TITLE_CHARS * 4]).strip()


def title_from_text(text: str, fallback: str) -> str:
    """The first line when it reads like a headline, else the file name."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 120 else fallback
    return fallback
