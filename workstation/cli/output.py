"""Every line the command prints goes through here, so that no user text can forge an output
line or drive the officer's terminal (docs/architecture.md, "Text display: one policy").

File names, titles, outlets, notes, quotes, entity names and the messages that embed them may
hold newlines and escape sequences. Printed raw, a newline in a file name prints a fake
"failed …" line of its own, ``ESC ] 0 ;`` retitles the terminal and ``ESC [ 2 J`` clears it.
So a line is formatted first and then escaped whole with ``terminal()``: the command's own
words hold no control characters, so only the user's text changes, and one record stays one
line. A record shown on two lines is given as two lines, each escaped on its own.

``--json`` output stays JSON for programs, but it is read in terminals too. ``json.dumps``
escapes C0 controls only; DEL, C1 controls (``\\x9b`` is a one-byte CSI), line separators,
lone surrogates and bidi or zero-width format characters are escaped here as ``\\uXXXX``,
which JSON reads back as the very same text.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from typing import IO, TYPE_CHECKING, Any, NoReturn

from workstation.domain.text_display import has_ignorables, is_default_ignorable, terminal

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


def say(*lines: object) -> None:
    """Print each of ``lines`` to stdout as one escaped line."""
    _write(sys.stdout, lines)


def warn(*lines: object) -> None:
    """Print each of ``lines`` to stderr as one escaped line."""
    _write(sys.stderr, lines)


def escaped_lines(text: str) -> str:
    """Text that is meant to span lines (argparse's usage and help), each line escaped."""
    return "\n".join(terminal(line) for line in text.split("\n"))


def _write(stream: IO[str], lines: tuple[object, ...]) -> None:
    for line in lines:
        text = terminal(line)
        try:
            print(text, file=stream)
        except UnicodeEncodeError:
            # A terminal that cannot show Cyrillic (LANG=C, PYTHONIOENCODING=ascii): the name
            # escaped further, rather than an internal error about the output itself.
            encoding = getattr(stream, "encoding", None) or "ascii"
            print(text.encode(encoding, "backslashreplace").decode(encoding), file=stream)


class StatusLine:
    """One line of progress on a terminal, rewritten in place (``\\r``) and cleared at the
    end; escaped like every other line, and cut to the terminal's width so that it never
    wraps (a wrapped line cannot be rewritten). Only for streams that are terminals: the
    caller checks ``isatty``."""

    def __init__(self, stream: IO[str] | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self._width = 0  # what is on screen now

    def show(self, text: str) -> None:
        columns = shutil.get_terminal_size((80, 24)).columns
        line = terminal(text)[: max(columns - 1, 20)]
        pad = " " * max(self._width - len(line), 0)
        self._put("\r" + line + pad)
        self._width = len(line) + len(pad)

    def clear(self) -> None:
        if self._width:
            self._put("\r" + " " * self._width + "\r")
            self._width = 0

    def _put(self, text: str) -> None:
        try:
            self.stream.write(text)
        except UnicodeEncodeError:  # as in _write: a terminal that cannot show the name
            encoding = getattr(self.stream, "encoding", None) or "ascii"
            self.stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
        self.stream.flush()


# -- JSON --------------------------------------------------------------------------------------


def say_json(value: Any) -> None:
    """Print ``value`` as indented JSON that cannot drive a terminal."""
    try:
        print(json_text(value), file=sys.stdout)
    except UnicodeEncodeError:  # as in _write; ASCII-only JSON is the same data
        print(json.dumps(value, ensure_ascii=True, indent=2), file=sys.stdout)


def json_text(value: Any) -> str:
    """``json.dumps`` (readable: letters of every script kept as they are), with every
    character that could act on a terminal or reorder what it shows escaped."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    # Such characters can only stand inside JSON strings (the structure is printable ASCII
    # and the indenting newlines), where ``\\uXXXX`` means the same character.
    return "\n".join(_json_line(line) for line in text.split("\n"))


def _json_line(line: str) -> str:
    if line.isprintable() and not has_ignorables(line):
        return line
    return "".join(
        char if char.isprintable() and not is_default_ignorable(char) else _json_escape(char)
        for char in line
    )


def _json_escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:  # JSON spells a character beyond the BMP as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


# -- argparse ----------------------------------------------------------------------------------


class EscapingArgumentParser(argparse.ArgumentParser):
    """argparse prints usage errors with the user's own arguments in them ("unrecognized
    arguments: …"): the message is escaped whole, so a newline in an argument stays in its
    line. Usage and help span lines of their own; each is escaped as a safety net.
    Sub-command parsers are made of the same class (argparse uses ``type(parent)``)."""

    def error(self, message: str) -> NoReturn:
        super().error(terminal(message))

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            super()._print_message(escaped_lines(message), file)
