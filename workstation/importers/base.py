"""What every importer produces, what it raises, and the shared text-decoding rules."""

from __future__ import annotations

import codecs
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


class ImportRejected(Exception):
    """A file that cannot be imported; the message is the reason, for the user."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of a text file; return (text, encoding name).

    Order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else strict UTF-8; else the
    single-byte fallbacks: cp1251 when the high bytes read as Cyrillic words, else cp1252
    (latin-1 where cp1252 leaves a byte undefined). Binary content is refused rather than
    decoded into garbage.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ImportRejected(f"damaged {encoding} text at byte {exc.start}") from exc
    if _looks_binary(data):
        raise ImportRejected("binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _reads_as_cyrillic(data):
        # cp1251 leaves 0x98 undefined: one stray byte must not lose the whole article
        return data.decode("cp1251", errors="replace"), "cp1251"
    try:
        # Western files saved by Windows tools are cp1252 (curly quotes, €, dashes live in
        # 0x80–0x9F, where latin-1 has invisible control characters).
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
        return data.decode("latin-1"), "latin-1"


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    # Bytes below 32 other than tab, LF, FF and CR; translate() counts them in C.
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(sample) // 100)


# A "word": a run of ASCII letters and the bytes that are letters in cp1251 (А-я, Ё, ё).
_WORD = re.compile(rb"[A-Za-z\xa8\xb8\xc0-\xff]{2,}")
_HIGH_WORD = re.compile(rb"[\xa8\xb8\xc0-\xff]+")


def _reads_as_cyrillic(data: bytes) -> bool:
    """True when the words holding high bytes are made of high bytes alone.

    A cp1251 Russian word is all high bytes (Кремль); a Latin-1 word mixes them with ASCII
    letters (Café, Zürich, Größe, ações). Punctuation (« » — …) and one-letter words (à, в)
    say nothing either way and are not counted.
    """
    pure = mixed = 0
    for word in _WORD.findall(data):
        if _HIGH_WORD.fullmatch(word):
            pure += 1
        elif _HIGH_WORD.search(word):
            mixed += 1
    return pure > mixed


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
