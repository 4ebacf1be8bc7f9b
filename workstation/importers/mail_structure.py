"""A cheap pass over an e-mail's raw bytes, so the stdlib parser never sees a bomb.

``email`` parses some structures in far more than linear time or memory: a Content-Type
with 200,000 parameters took 85 s and 4.8 GB (or 12 GB and more), ten million short lines
850 MB, thousands of nested multiparts a recursion per level. This pass walks the message
the way the parser will — header blocks, then the body lines that match an open multipart's
boundary — counting what limits.py bounds, and refuses the file with one line naming the
first limit passed. It reads each header block line by line and finds boundary lines with
one regular expression, so it costs milliseconds on a 20 MB message.
"""

from __future__ import annotations

import re

from workstation.importers.base import ImportRejected, describe_size
from workstation.importers.limits import (
    MAX_HEADER_LINES,
    MAX_HEADERS,
    MAX_MAIL_LINES,
    MAX_MIME_DEPTH,
    MAX_MIME_HEADER_BYTES,
    MAX_MIME_PARAMETERS,
    MAX_MIME_PARTS,
)

# A line and its ending, as the parser splits them (\r\n, \r or \n).
_LINE = re.compile(rb"([^\r\n]*)(\r\n|\r|\n|\Z)")
# A header field's first line, as email.feedparser recognises one.
_FIELD = re.compile(rb"(From |[\041-\071\073-\176]*:)")
# A line starting with "--" (a boundary candidate), anywhere at a line start.
_DASHES = re.compile(rb"(?<![^\r\n])--([^\r\n]*)")
_BOUNDARY = re.compile(rb"""boundary\s*=\s*(?:"([^"]*)"|([^\s;]+))""", re.I)


def _line_at(data: bytes, pos: int) -> re.Match[bytes]:
    found = _LINE.match(data, pos)
    assert found is not None  # the pattern matches anywhere, if only an empty last line
    return found


def check_structure(data: bytes) -> None:
    """Raise ImportRejected when ``data`` passes any of the e-mail limits in limits.py."""
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    if lines > MAX_MAIL_LINES:
        raise ImportRejected(
            f"the e-mail has {lines:,} lines, over the {MAX_MAIL_LINES:,}-line limit"
        )
    _Walk(data).run()


class _Walk:
    def __init__(self, data: bytes):
        self.data = data
        self.parts = 0
        self.open: list[bytes] = []  # boundaries of the multiparts we are inside, outermost first

    def run(self) -> None:
        pos = self.headers(0, "the message")
        while self.open:
            found = _DASHES.search(self.data, pos)
            if found is None:
                return
            pos = _line_at(self.data, found.start()).end()
            rest = found.group(1).rstrip(b" \t")
            for level in range(len(self.open) - 1, -1, -1):
                boundary = self.open[level]
                if rest == boundary + b"--":
                    del self.open[level:]  # that multipart is closed
                    break
                if rest == boundary:
                    del self.open[level + 1 :]  # a new part of it; inner ones are done
                    self.count_part()
                    pos = self.headers(pos, f"MIME part {self.parts:,}")
                    break

    def count_part(self) -> None:
        self.parts += 1
        if self.parts > MAX_MIME_PARTS:
            raise ImportRejected(f"the e-mail has more than {MAX_MIME_PARTS:,} MIME parts")

    def headers(self, pos: int, where: str) -> int:
        """Check the header block at ``pos`` — and those of the messages a message/* part
        holds, which the parser reads as messages of their own; open the multipart the last
        one declares. Returns where the body starts."""
        nested = 0
        while True:
            pos, field = self.header_block(pos, where)
            if not field.is_message():
                break
            nested += 1
            self.count_part()
            self.check_depth(nested)
        boundary = field.boundary()
        if boundary is not None:
            self.open.append(boundary)
            self.check_depth(nested)
        return pos

    def check_depth(self, nested: int) -> None:
        if len(self.open) + nested > MAX_MIME_DEPTH:
            raise ImportRejected(
                f"the e-mail's MIME parts are nested more than {MAX_MIME_DEPTH} deep"
            )

    def header_block(self, pos: int, where: str) -> tuple[int, _ContentType]:
        """Check one header block; returns where its body starts and its Content-Type."""
        fields = lines = 0
        field = _Field(b"", where)
        content_type: _ContentType | None = None
        data = self.data
        while pos < len(data):
            line_match = _line_at(data, pos)
            line = line_match.group(1)
            if not line:  # the blank line that ends the headers (or the end of the file)
                pos = line_match.end()
                break
            if line[:1] in (b" ", b"\t"):  # a folded continuation of the field above
                field.grow(line)
            elif _FIELD.match(line):
                fields += 1
                if fields > MAX_HEADERS:
                    raise ImportRejected(
                        f"the e-mail has more than {MAX_HEADERS:,} header fields in {where}"
                    )
                name, _, rest = line.partition(b":")
                field = _Field(name.strip().lower(), where)
                if field.name == b"content-type" and content_type is None:
                    content_type = _ContentType(field.value)  # the parser takes the first
                field.grow(rest)
            else:
                break  # not a header: the parser takes the body to start here
            lines += 1
            if lines > MAX_HEADER_LINES:
                raise ImportRejected(
                    f"the e-mail has more than {MAX_HEADER_LINES:,} header lines in {where}"
                )
            pos = line_match.end()
        return pos, content_type or _ContentType(b"")


class _Field:
    """One header field as it is read; Content-* and MIME-* fields (the ones the parser
    interprets) are held to the size and parameter limits."""

    def __init__(self, name: bytes, where: str):
        self.name = name
        self.where = where
        self.checked = name.startswith((b"content-", b"mime-"))
        self.value = bytearray()
        self.parameters = 0

    def grow(self, piece: bytes) -> None:
        if not self.checked:
            return  # other fields are read only in part (mail.py), however long
        self.value += piece
        self.parameters += piece.count(b";")
        field = self.name.decode("ascii", "replace")
        if len(self.value) > MAX_MIME_HEADER_BYTES:
            raise ImportRejected(
                f"the e-mail's {field} header in {self.where} is over the "
                f"{describe_size(MAX_MIME_HEADER_BYTES)} limit"
            )
        if self.parameters > MAX_MIME_PARAMETERS:
            raise ImportRejected(
                f"the e-mail's {field} header in {self.where} has more than "
                f"{MAX_MIME_PARAMETERS} parameters"
            )


class _ContentType:
    """A Content-Type value (a bytearray still growing while its field is read)."""

    def __init__(self, value: bytes | bytearray):
        self.value = value

    def _type(self) -> bytes:
        return bytes(self.value).split(b";", 1)[0].strip().lower()

    def is_message(self) -> bool:
        # The parser reads these parts' bodies as messages (but not delivery-status).
        kind = self._type()
        return kind.startswith(b"message/") and kind != b"message/delivery-status"

    def boundary(self) -> bytes | None:
        """The boundary of a multipart; None for anything else (and for a multipart
        without one, which the parser reads as text)."""
        if not self._type().startswith(b"multipart/"):
            return None
        if b"boundary*" in bytes(self.value).lower():
            raise ImportRejected(
                "the e-mail's multipart boundary is split into RFC 2231 pieces (not supported)"
            )
        found = _BOUNDARY.search(self.value)
        if found is None:
            return None
        return found.group(1) if found.group(1) is not None else found.group(2)
