"""Reading JSON made by other tools: every way it can fail is one ``UnreadableJson``.

``json.loads`` raises more than ``JSONDecodeError`` on hostile input: ``RecursionError`` for
nesting a few thousand brackets deep, a plain ``ValueError`` for an integer of more than 4300
digits. And it accepts ``"\\ud800"``, an escaped UTF-16 half that is no character at all and
that SQLite cannot store (encoding it to UTF-8 raises). Here all three become a reason for
the user, or, for the lone surrogate, the replacement character U+FFFD, as any decoder
does with bytes that are not text.
"""

from __future__ import annotations

import json
import re
from typing import Any

# A surrogate escape in the raw text; only then is the parsed value walked (pairs are joined
# into one character by the parser, so a surrogate left in a string stands alone).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


class UnreadableJson(ValueError):
    """JSON text that cannot be read; ``reason`` says why, ``line`` where (1-based, within
    the text given), when known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


def load_json(text: str) -> Any:
    """Parse ``text``; raise UnreadableJson with a reason, never anything else."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableJson(
            f"not valid JSON ({exc.msg} at column {exc.colno})", exc.lineno
        ) from None
    except RecursionError:
        raise UnreadableJson("not readable JSON (nested too deeply)") from None
    except ValueError:  # the interpreter's limit on the digits of an integer
        raise UnreadableJson("not readable JSON (a number too long to read)") from None
    if _SURROGATE_ESCAPE.search(text):
        try:
            value = _mended(value)
        except RecursionError:  # deep enough to parse, too deep to walk once more
            raise UnreadableJson("not readable JSON (nested too deeply)") from None
    return value


def _mended(value: Any) -> Any:
    """``value`` with every lone surrogate (in strings and keys) replaced by U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub(REPLACEMENT, value)
    if isinstance(value, list):
        return [_mended(item) for item in value]
    if isinstance(value, dict):
        return {_mended(key): _mended(item) for key, item in value.items()}
    return value
