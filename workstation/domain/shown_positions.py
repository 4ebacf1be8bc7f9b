"""Positions in a body as the reader shows it: the one pair of conversions the widget uses.

The reader shows ``shown(body)`` (invisible characters as marks, several code points each),
with very long lines broken at spaces (``display_lines``, same length), and Qt counts UTF-16
units of that. Passages are stored in code points of the body. Every conversion between the
two goes through ``ShownBody.to_units`` and ``ShownBody.to_codepoint``.
"""

from __future__ import annotations

from workstation.domain.display_lines import display_text
from workstation.domain.offsets import codepoint_offset, utf16_offset
from workstation.domain.text_display import shown_with_map


class ShownBody:
    """A stored body and the text the reader lays out for it."""

    __slots__ = ("map", "stored", "text")

    def __init__(self, stored: str = ""):
        self.stored = stored
        shown, self.map = shown_with_map(stored)
        self.text = display_text(shown)

    def to_units(self, codepoint: int) -> int:
        """Stored code-point offset → UTF-16 offset in the laid-out text."""
        if self.map.identity:
            return utf16_offset(self.text, codepoint)
        return utf16_offset(self.text, self.map.to_shown(codepoint))

    def to_codepoint(self, units: int, *, towards_end: bool = False) -> int:
        """UTF-16 offset in the laid-out text → stored code-point offset. Inside a mark it
        snaps to the marked character's start, or past it with ``towards_end``."""
        shown_at = codepoint_offset(self.text, units)
        if self.map.identity:
            return shown_at
        return self.map.to_stored(shown_at, towards_end=towards_end)

    def shown_offset(self, codepoint: int) -> int:
        """Stored code-point offset → code-point offset in the laid-out text."""
        return self.map.to_shown(codepoint)

    def stored_range(self, shown_start: int, shown_end: int) -> tuple[int, int]:
        """A range of laid-out code points → the stored range it shows."""
        return self.map.to_stored(shown_start), self.map.to_stored(shown_end, towards_end=True)
