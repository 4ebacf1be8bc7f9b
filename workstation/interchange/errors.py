"""What a reader reports for one unreadable line or item of an interchange file."""

from __future__ import annotations


class InterchangeError(Exception):
    """One line (or item) of an imported file that cannot be read; the others still can.

    ``line`` is the 1-based line number in the file, or ``None`` when the problem has no
    single line (a whole file that is not JSON, an item of a JSON array).
    """

    def __init__(self, line: int | None, message: str):
        super().__init__(line, message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InterchangeError):
            return NotImplemented
        return (self.line, self.message) == (other.line, other.message)

    def __hash__(self) -> int:
        return hash((self.line, self.message))
