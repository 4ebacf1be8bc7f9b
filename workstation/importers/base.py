"""What every importer produces, what it raises, and the shared title rules.

Decoding text files lives in decoding.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Articles are kilobytes; anything past this is a mistake (a dump, a video) or a denial of
# service on the reader. Stated in the README; one clear message when exceeded.
MAX_FILE_BYTES = 20 * 1024 * 1024


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
    # What the importer had to guess or leave out, one line each, for the import report
    # (a charset label overruled, stray bytes, the e-mail part that was not taken).
    warnings: tuple[str, ...] = ()


class ImportRejected(Exception):
    """A file that cannot be imported; the message is the reason, for the user."""


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
