"""The error log: tracebacks of what went wrong unexpectedly, for a bug report.

The user sees one line; the details go to ``errors.log`` in the data folder, the same file
the command line's "internal error" path writes.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from workstation.services.settings import data_dir


def log_path() -> Path:
    return data_dir() / "errors.log"


def record(exc: BaseException, context: str = "") -> Path | None:
    """Append ``exc``'s traceback (after a ``context`` line) to the log; its path, or None
    when it cannot be written (a read-only data folder, no memory left)."""
    log = log_path()
    try:
        text = "".join(traceback.format_exception(exc))
        log.parent.mkdir(parents=True, exist_ok=True)
        # backslashreplace: a message may hold a file name that is not UTF-8 (\udcff).
        with log.open("a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write((f"{context}\n" if context else "") + text + "\n")
    except Exception:  # the log is a courtesy, never a second failure
        return None
    return log
