"""Turning a text file's bytes into text, and saying so whenever that took a guess.

The rules, in order (README "Import rules"):

1. A byte-order mark decides (UTF-8, UTF-16, UTF-32).
2. UTF-16 or UTF-32 without a mark is recognised by where its zero and low bytes fall
   (wide_text.py); what looks wide but cannot be read is refused with the reason.
3. A declared charset (a page's ``<meta charset>``, an e-mail part's ``charset=``) is
   followed, unless the bytes are UTF-8: legacy text is practically never valid UTF-8 by
   accident, so a UTF-8 file labelled koi8-r or windows-1251 is a wrong label, and reading it
   as labelled would give mojibake (``Ð¡Ð°Ð½ÐºÑ†Ð¸Ð¸``).
4. Strict UTF-8; else "mostly UTF-8" (a few stray bytes, typically one cp1252 dash pasted
   into a UTF-8 file): UTF-8 with each stray byte shown as U+FFFD and named by line.
5. Else the single-byte fallbacks: cp1251 when the high bytes read as Cyrillic words,
   else cp1252 (latin-1 where cp1252 leaves a byte undefined).

A warning for the officer goes with every result that rests on a guess or overrules the
file's own label: wide text without a mark, a contradicted declaration, stray bytes, a
single-byte fallback. A mark, clean UTF-8 and a declaration the bytes agree with need none.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

from workstation.importers.base import ImportRejected
from workstation.importers.wide_text import read_wide_text


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # Python codec name: "utf-8", "cp1251", "utf-16-le"…
    warnings: tuple[str, ...] = ()


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# A file is "mostly UTF-8" when it holds at least this many valid UTF-8 sequences for each
# byte that fits none. Far from "99% valid" on purpose: text really written in cp1251, koi8-r
# or cp1252 almost never forms a valid sequence (a letter would have to be followed by exactly
# the right punctuation bytes), so such files score near 0% valid (the tests check under
# 20%), while a short UTF-8 note with two curly quotes and one stray dash scores 67% and must
# be read as UTF-8, not turned into "â€œ" mojibake by the cp1252 fallback.
MOSTLY_UTF8_VALID_PER_STRAY = 2
# Stray bytes named one by one in the report; the rest are counted.
MAX_STRAY_BYTES_NAMED = 5
# The profile is taken on this much of the file: enough to be representative, and a 20 MB
# legacy file is not scanned in full just to learn that it is not UTF-8.
_PROFILE_BYTES = 1024 * 1024


def decode_text(data: bytes, declared: str | None = None) -> DecodedText:
    """Decode a text file's bytes (see the module's rules). ``declared`` is the charset the
    file itself claims, as written there; raises ImportRejected for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise ImportRejected(f"damaged {encoding} text at byte {exc.start}") from exc
    if not declared:
        return _undeclared(data)
    codec = _codec_name(declared)
    if codec is None:
        return _reread(data, f"declared charset {declared!r} is unknown")
    if codec == "utf-8":
        found, reading = _best_reading(data)
        if found.encoding == "utf-8":
            return found
        return _with_lead(
            found, f"declared {declared}, but the bytes are not UTF-8; read as {reading}"
        )
    return _declared(data, declared, codec)


def _declared(data: bytes, declared: str, codec: str) -> DecodedText:
    """Follow a declared charset other than UTF-8, unless the bytes say otherwise."""
    contradicted = f"declared {declared}, but the bytes are not {declared}"
    if codec.startswith(("utf-16", "utf-32")):
        # Declared wide but without a mark: take the declaration if the bytes agree.
        try:
            return DecodedText(data.decode(codec), codec)
        except UnicodeDecodeError:
            return _reread(data, contradicted)
    if data.isascii():
        return DecodedText(data.decode(codec, errors="replace"), codec)
    if b"\x00" in data[:8192]:  # binary, or wide text: the content's evidence decides
        return _reread(data, contradicted)
    as_utf8 = _read_as_utf8(data)
    if as_utf8 is not None:
        return _with_lead(as_utf8, f"declared {declared}, but the bytes are UTF-8; read as UTF-8")
    try:
        return DecodedText(data.decode(codec), codec)
    except UnicodeDecodeError as exc:
        bad = _describe_bytes(data[exc.start : exc.end])
        line = _line_of(data, exc.start)
        found, reading = _best_reading(data)
        if found.encoding == codec:  # the label holds; a byte it leaves undefined does not
            return _with_lead(found, f"line {line}: {bad} is not {declared}, shown as \ufffd")
        lead = f"declared {declared}, but {bad} at line {line} is not {declared}"
        return _with_lead(found, f"{lead}; read as {reading}")


def _undeclared(data: bytes) -> DecodedText:
    """Decode by the content's own evidence; say so unless that gave UTF-8."""
    found, reading = _best_reading(data)
    if found.encoding == "utf-8":
        return found
    if found.encoding.startswith("utf-"):
        return _with_lead(found, f"no byte-order mark; read as {reading}")
    return _with_lead(found, f"not UTF-8 and no charset declared; read as {reading}")


def _reread(data: bytes, problem: str) -> DecodedText:
    """A declaration that cannot be followed: the content's evidence, and a warning naming
    both."""
    found, reading = _best_reading(data)
    return _with_lead(found, f"{problem}; read as {reading}")


def _with_lead(found: DecodedText, lead: str) -> DecodedText:
    return DecodedText(found.text, found.encoding, (lead, *found.warnings))


def _best_reading(data: bytes) -> tuple[DecodedText, str]:
    """The bytes decoded by their own evidence, and the reading named for a warning
    ("UTF-8", "UTF-16LE", "cp1251 (Cyrillic)"…); stray-byte warnings come with UTF-8."""
    binary = _looks_binary(data)
    if binary or _has_control_bytes(data):
        # Wide text is full of zero and control bytes; a short file may hold only a few.
        try:
            wide = read_wide_text(data)
        except ImportRejected:  # looks wide, cannot be read as such: refused if not text
            if binary:
                raise
            wide = None
        if wide is not None:
            text, encoding = wide
            return DecodedText(text, encoding), _label(encoding)
        if binary:
            raise ImportRejected("binary data, not text")
    as_utf8 = _read_as_utf8(data)
    if as_utf8 is not None:
        return as_utf8, "UTF-8"
    if _reads_as_cyrillic(data):
        # cp1251 leaves 0x98 undefined: one stray byte must not lose the whole article
        return DecodedText(data.decode("cp1251", errors="replace"), "cp1251"), "cp1251 (Cyrillic)"
    try:
        # Western files saved by Windows tools are cp1252 (curly quotes, €, dashes live in
        # 0x80–0x9F, where latin-1 has invisible control characters).
        return DecodedText(data.decode("cp1252"), "cp1252"), "cp1252 (Western)"
    except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
        return DecodedText(data.decode("latin-1"), "latin-1"), "latin-1 (Western)"


def _read_as_utf8(data: bytes) -> DecodedText | None:
    """UTF-8, strictly or with a few stray bytes replaced (and reported); None when the
    bytes are not mostly UTF-8."""
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    valid, stray = utf8_profile(_profile_sample(data))
    if valid < MOSTLY_UTF8_VALID_PER_STRAY * stray:
        return None
    text, strays = _decode_noting_strays(data)
    return DecodedText(text, "utf-8", _describe_strays(data, strays))


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))


def utf8_profile(data: bytes) -> tuple[int, int]:
    """(valid UTF-8 multi-byte sequences, bytes of 0x80 and above outside any) in ``data``."""
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if not high:
        return 0, 0
    rest, valid = _UTF8_SEQUENCE.subn(b"", data)
    return valid, high - (len(data) - len(rest))


def _profile_sample(data: bytes) -> bytes:
    """The start of the file, or all of it when the start is plain ASCII (says nothing)."""
    sample = data[:_PROFILE_BYTES]
    return data if sample.isascii() else sample


# Decoding with a recording error handler notes each stray byte's place in one pass (in C
# but for the strays themselves). The handler is process-wide, so the notes are per thread:
# the GUI reads files in a worker thread.
_strays = threading.local()


def _note_stray(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):  # registered for decoding only
        raise error
    _strays.spans.append((error.start, error.end))
    return "\ufffd", error.end


codecs.register_error("workstation-note-stray-bytes", _note_stray)


def _decode_noting_strays(data: bytes) -> tuple[str, list[tuple[int, int]]]:
    _strays.spans = []
    try:
        return data.decode("utf-8", errors="workstation-note-stray-bytes"), _strays.spans
    finally:
        _strays.spans = []


def _describe_strays(data: bytes, spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """``line 3: byte 0x97 is not UTF-8, shown as �`` for the first few, then a count."""
    lines = []
    for start, end in spans[:MAX_STRAY_BYTES_NAMED]:
        bad = data[start:end]
        verb = "is" if len(bad) == 1 else "are"
        lines.append(
            f"line {_line_of(data, start)}: {_describe_bytes(bad)} {verb} not UTF-8, "
            "shown as \ufffd"
        )
    more = spans[MAX_STRAY_BYTES_NAMED:]
    if more:
        count = sum(end - start for start, end in more)
        lines.append(f"{count} more bytes that are not UTF-8, each run shown as \ufffd")
    return tuple(lines)


def _describe_bytes(bad: bytes) -> str:
    hexes = " ".join(f"0x{b:02x}" for b in bad[:4]) + (" …" if len(bad) > 4 else "")
    return f"byte {hexes}" if len(bad) == 1 else f"bytes {hexes}"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# Python text codecs that are no charset a file could be written in: they raise UnicodeError
# (not UnicodeDecodeError) on ordinary bytes, or turn escapes into any character.
_NOT_CHARSETS = frozenset({"undefined", "idna", "punycode", "unicode-escape", "raw-unicode-escape"})


def text_codec(declared: str) -> str | None:
    """Python's name for a declared charset, or None when it names no text encoding:
    unknown, or one of Python's bytes-to-bytes codecs (``base64``, ``zlib``, ``hex``,
    ``rot13``), which ``bytes.decode`` refuses."""
    try:
        info = codecs.lookup(declared.strip().strip("\"'"))
    except (LookupError, ValueError):  # ValueError: a name with NUL bytes
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return "utf-8" if info.name == "utf-8-sig" else info.name


_codec_name = text_codec


_LABELS = {"utf-8": "UTF-8", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE",
           "utf-32-le": "UTF-32LE", "utf-32-be": "UTF-32BE"}  # fmt: skip


def _label(encoding: str) -> str:
    return _LABELS.get(encoding, encoding)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _has_control_bytes(data: bytes) -> bool:
    sample = data[:8192]
    return len(sample.translate(None, _CONTROL_BYTES)) < len(sample)


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
