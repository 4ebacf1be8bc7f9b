"""Peak memory of the scale benchmark's reading work, each side in a fresh process.

``python -m bench.scale_memory ours|raw PATH PLAN_JSON`` opens the workspace, runs the first
page of every search and the library's first page and jump, and prints its
peak resident set (MB) as JSON. The ``raw`` side imports nothing but sqlite3 and runs the SQL
statements the plan lists; ``ours`` imports the workstation and calls its services with the
plan's search texts. A fresh process each, so neither counts the other's (or the setup's)
allocations.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path


def max_rss_mb() -> float:
    """ru_maxrss of this process (kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mb() -> float:
    """Peak resident set of this process image. In a child, ru_maxrss keeps the parent's
    peak across fork and exec on Linux, so the kernel's VmHWM (reset by exec) is read."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return max_rss_mb()


def traced_peak_mb(action: Callable[[], object]) -> float:
    """Peak of Python allocations (tracemalloc) while ``action`` runs; SQLite's own page
    cache is allocated outside Python's allocator and is not counted."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def in_fresh_process(side: str, path: Path, plan: dict) -> float:
    """Run one side's workload in a child process; its peak resident set in MB."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale_memory", side, str(path), json.dumps(plan)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])["peak_rss_mb"]


def _ours(path: Path, plan: dict) -> None:
    from workstation.services import open_session
    from workstation.services.library import LibraryQuery, LibraryService
    from workstation.services.search import search_page

    with open_session(path, author="bench") as session:
        for text in plan["texts"]:
            search_page(session, text)
        library, query = LibraryService(session), LibraryQuery()
        library.count(query)
        for offset in plan["library_offsets"]:
            library.page(query, offset, plan["library_page"])


def _raw(path: Path, plan: dict) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in plan["pragmas"]:
            conn.execute(pragma)
        for sql, params in plan["statements"]:
            conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def main(argv: Sequence[str] | None = None) -> int:
    side, path, plan = (argv if argv is not None else sys.argv[1:])[:3]
    {"ours": _ours, "raw": _raw}[side](Path(path), json.loads(plan))
    print(json.dumps({"peak_rss_mb": peak_rss_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
