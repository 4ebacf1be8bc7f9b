"""What every importer produces, what it raises, and the shared text-decoding rules."""

from __future__ import annotations

import codecs
import itertools
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
    single-byte fallbacks, cp1251 when the high bytes read as Cyrillic words, latin-1
    otherwise. Binary content is refused rather than decoded into garbage.
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
        return data.decode("cp1251"), "cp1251"
    return data.decode("latin-1"), "latin-1"


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


def _reads_as_cyrillic(data: bytes) -> bool:
    """True when most high bytes are cp1251 Cyrillic letters (0xC0–0xFF, Ёё)."""
    high = [b for b in data if b >= 0x80]
    if not high:
        return False
    cyrillic = sum(1 for b in high if b >= 0xC0 or b in (0xA8, 0xB8))
    # Latin-1 text has isolated accented letters between ASCII; Cyrillic text is mostly
    # runs of high bytes. Both signals must agree before choosing cp1251.
    runs = sum(1 for a, b in itertools.pairwise(data) if a >= 0xC0 and b >= 0xC0)
    return cyrillic / len(high) > 0.9 and runs >= len(high) // 3


def title_from_text(text: str, fallback: str) -> str:
    """The first line when it reads like a headline, else the file name."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 120 else fallback
    return fallback
