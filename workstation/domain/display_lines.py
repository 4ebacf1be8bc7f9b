"""Break very long lines for display without moving a single offset.

Qt lays a paragraph out whole: a 6-million-character line took 2.3 s to show and half a
second for every repaint after, while the same text in 500-word paragraphs took 0.03 s.
A text view counts a paragraph break as one position, like the space it stands in for, so
turning a space into a line break keeps every offset of the text where it was. The stored
body never changes; only what the reader is handed to lay out does.
"""

from __future__ import annotations

# Lines up to this long are shown as they are: a long paragraph of a real article is a few
# thousand characters, and reads best unbroken.
LONG_LINE = 10_000
# A longer line is broken at the last space before every this many characters.
PIECE = 2_000


def display_text(body: str, *, long_line: int = LONG_LINE, piece: int = PIECE) -> str:
    """``body`` with spaces turned into line breaks inside lines over ``long_line``.

    The result has the same length as ``body`` and differs only where a space became a
    line break. A stretch with no space (a long token) is left unbroken.
    """
    if len(body) <= long_line:
        return body
    return "\n".join(
        line if len(line) <= long_line else _break_line(line, piece) for line in body.split("\n")
    )


def _break_line(line: str, piece: int) -> str:
    chars: list[str] = []
    position = 0
    while len(line) - position > piece:
        space = line.rfind(" ", position + 1, position + piece + 1)
        if space < 0:  # no space in this stretch: take the next one, however far
            space = line.find(" ", position + piece + 1)
            if space < 0:
                break
        chars.append(line[position:space])
        chars.append("\n")
        position = space + 1
    chars.append(line[position:])
    return "".join(chars)
