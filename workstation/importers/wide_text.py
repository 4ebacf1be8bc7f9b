"""UTF-16 and UTF-32 text saved without a byte-order mark.

Such files are full of zero and control bytes, so they used to be refused as binary. They
give themselves away by where those bytes fall: in UTF-16 every other byte is the high byte
of a code point, and for Latin, Cyrillic, Greek, Arabic, Hebrew text and the usual
punctuation that byte is small (0x00–0x2F, U+0000–U+2FFF), while the bytes in between are
spread out. Random or binary data shows no such alternation. A candidate byte order is only
taken when the whole file then decodes strictly and reads as text.
"""

from __future__ import annotations

import unicodedata

from workstation.importers.base import ImportRejected

# High bytes of the code points U+0000–U+2FFF (alphabets, general punctuation, symbols).
_LOW_PAGE_BYTES = bytes(range(0x30))
_SAMPLE_BYTES = 8192
# In UTF-16 text the high-byte side is nearly all low-page bytes (only CJK and the like are
# not); the other side holds letters, of which at most about half are low (Cyrillic А–п).
_HIGH_SIDE_SHARE = 0.9
_OTHER_SIDE_SHARE = 0.7
# CJK text has high bytes all over, but its ASCII spaces, digits and line breaks put zero
# bytes on one side only.
_ZERO_SIDE_SHARE = 0.05
# Decoded text may hold this share of control, unassigned or private-use characters.
_UNREADABLE_SHARE = 0.02
_WIDTH = {"utf-16-le": 2, "utf-16-be": 2, "utf-32-le": 4, "utf-32-be": 4}
_LABEL = {"utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE",
          "utf-32-le": "UTF-32LE", "utf-32-be": "UTF-32BE"}  # fmt: skip


def read_wide_text(data: bytes) -> tuple[str, str] | None:
    """(text, codec) for UTF-16/UTF-32 without a byte-order mark; None when the bytes do not
    look like either; ImportRejected when they look like one but cannot be read as it."""
    candidates = _candidates(data[:_SAMPLE_BYTES])
    if not candidates:
        return None
    reasons = []
    for codec in candidates:
        family = _LABEL[codec][:6]
        width = _WIDTH[codec]
        if len(data) % width:
            reasons.append(
                f"looks like {family} without a byte-order mark, but its length "
                f"({len(data)} bytes) is not a multiple of {width}"
            )
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            reasons.append(
                f"looks like {family} without a byte-order mark, but it does not decode as "
                f"{_LABEL[codec]} (byte {exc.start})"
            )
            continue
        if not _readable(text):
            reasons.append(
                f"looks like {family} without a byte-order mark, but read as {_LABEL[codec]} "
                "it is not text"
            )
            continue
        return text, codec
    raise ImportRejected(reasons[0])


def _candidates(sample: bytes) -> list[str]:
    """Byte orders the layout of ``sample`` suggests, most specific first."""
    found = []
    quads = sample[: len(sample) - len(sample) % 4]
    if quads:
        # UTF-32: the top byte of every unit is zero, the next one at most 0x10.
        if _all_zero(quads[3::4]) and _at_most(quads[2::4], 0x10):
            found.append("utf-32-le")
        elif _all_zero(quads[0::4]) and _at_most(quads[1::4], 0x10):
            found.append("utf-32-be")
    pairs = sample[: len(sample) - len(sample) % 2]
    if pairs:
        low_first, high_first = pairs[0::2], pairs[1::2]
        if _looks_like_high_bytes(high_first, low_first):
            found.append("utf-16-le")
        elif _looks_like_high_bytes(low_first, high_first):
            found.append("utf-16-be")
    return found


def _looks_like_high_bytes(side: bytes, other: bytes) -> bool:
    """True when ``side`` reads as the high bytes of UTF-16 code units and ``other`` as the
    low ones."""
    low_page = _share(side, _LOW_PAGE_BYTES)
    if low_page >= _HIGH_SIDE_SHARE and _share(other, _LOW_PAGE_BYTES) <= _OTHER_SIDE_SHARE:
        return True
    zeros, other_zeros = side.count(0), other.count(0)
    return zeros >= _ZERO_SIDE_SHARE * len(side) and other_zeros * 10 <= zeros


def _share(values: bytes, of: bytes) -> float:
    return (len(values) - len(values.translate(None, of))) / len(values) if values else 0.0


def _all_zero(values: bytes) -> bool:
    return values.count(0) == len(values)


def _at_most(values: bytes, limit: int) -> bool:
    return max(values, default=0) <= limit


_UNREADABLE_CATEGORIES = frozenset({"Cc", "Cn", "Co", "Cs"})
_WHITESPACE_CONTROLS = frozenset("\t\n\r\f\v")


def _readable(text: str) -> bool:
    sample = text[:_SAMPLE_BYTES]
    unreadable = sum(
        1
        for char in sample
        if char not in _WHITESPACE_CONTROLS and unicodedata.category(char) in _UNREADABLE_CATEGORIES
    )
    return unreadable <= _UNREADABLE_SHARE * len(sample)
