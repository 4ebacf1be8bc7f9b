"""Progress of long commands on the terminal: one line, rewritten in place, then cleared.

Shown only when stderr is a terminal and the work has run for a couple of seconds, so quick
commands, pipes, logs and tests see nothing of it; the lines a command prints for its
results are untouched (they come after the progress line is cleared).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from workstation.cli.output import StatusLine

# Work shorter than this shows no progress at all; after it, at most this often.
DELAY_SECONDS = 2.0
INTERVAL_SECONDS = 0.2


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # replaced or closed streams
        return False


class ImportProgress:
    """``importing: 120/300 files`` — with ``, report.pdf page 812/2,000`` during a long
    read. Pass ``files`` and ``pages`` as import_files' ``progress`` and ``pages``."""

    def __init__(
        self,
        stream: IO[str] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        enabled: bool | None = None,
    ):
        stream = stream if stream is not None else sys.stderr
        self.enabled = is_terminal(stream) if enabled is None else enabled
        self._line = StatusLine(stream)
        self._clock = clock
        self._started = clock()
        self._last = float("-inf")
        self._done = self._total = 0
        self._reading: str | None = None

    def files(self, done: int, total: int) -> None:
        self._done, self._total, self._reading = done, total, None
        self._update()

    def pages(self, path: Path, done: int, total: int) -> None:
        self._reading = f"{path.name} page {done:,}/{total:,}"
        self._update()

    def clear(self) -> None:
        if self.enabled:
            self._line.clear()

    def _update(self) -> None:
        if not self.enabled:
            return
        now = self._clock()
        if now - self._started < DELAY_SECONDS or now - self._last < INTERVAL_SECONDS:
            return
        self._last = now
        parts = [f"{self._done:,}/{self._total:,} files"] if self._total else []
        if self._reading:
            parts.append(self._reading)
        self._line.show("importing: " + ", ".join(parts))
