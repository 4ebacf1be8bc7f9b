"""The scale benchmark's rows about the workspace file as a whole: open, check, backup.

Also the helpers the other rows share: timing, p50 / p95 rows, the raw connection with the
workstation's pragmas, and evicting the file from the page cache.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from bench.report import Row, fmt_time, percentile
from bench.scale_search import KINDS, RawSearch
from workstation.services import Session, open_session
from workstation.services.maintenance import backup, check
from workstation.services.search import search_page

AUTHOR = "bench"
OPEN_BUDGET_S = 1.0  # issue 7: opening the workspace at 1M passages
PRAGMAS = (
    "PRAGMA busy_timeout = 3000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def evict(path: Path) -> None:
    """Drop the workspace's clean pages from the OS page cache (no root needed)."""
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            fd = os.open(file, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def raw_open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def spread(label: str, ours: list[float], raw: list[float], budget: float | None) -> Row:
    """A row showing p50 / p95 of each side; the budget is checked against our p95."""
    o50, o95 = percentile(ours, 50), percentile(ours, 95)
    r50, r95 = percentile(raw, 50), percentile(raw, 95)
    return Row(label, o95, r95, budget, ours_text=f"{fmt_time(o50)} / {fmt_time(o95)}",
               raw_text=f"{fmt_time(r50)} / {fmt_time(r95)}",
               extra={"ours_p50_s": o50, "raw_p50_s": r50, "runs": len(ours)})  # fmt: skip


# -- open ---------------------------------------------------------------------------------------


def bench_open(path: Path, opens: int) -> list[Row]:
    def ours() -> Callable[[], None]:
        session = open_session(path, author=AUTHOR)
        return session.close

    def raw() -> Callable[[], None]:
        return raw_open(path).close

    def run(opener, *, cold: bool) -> float:
        if cold:
            evict(path)
        started = time.perf_counter()
        closer = opener()
        elapsed = time.perf_counter() - started
        closer()
        return elapsed

    first_ours = run(ours, cold=True)
    first_raw = run(raw, cold=True)
    samples: dict[str, list[float]] = {k: [] for k in ("ours", "raw", "ours_c", "raw_c")}
    for _ in range(opens):
        samples["ours"].append(run(ours, cold=False))
        samples["raw"].append(run(raw, cold=False))
        samples["ours_c"].append(run(ours, cold=True))
        samples["raw_c"].append(run(raw, cold=True))
    rows = [
        Row("open workspace: first in this process (page cache evicted)", first_ours,
            first_raw, OPEN_BUDGET_S),
        spread(f"open workspace, warm, p50 / p95 ({opens} opens)", samples["ours"],
               samples["raw"], OPEN_BUDGET_S),
        spread(f"open workspace, page cache evicted, p50 / p95 ({opens} opens)",
               samples["ours_c"], samples["raw_c"], OPEN_BUDGET_S),
    ]  # fmt: skip
    # What the officer waits for after a cold start: open, then the first search page.
    text = KINDS["rare name"][0]
    probe = RawSearch(path, "")
    query, counts = probe.prepare(text), probe.counts
    probe.close()
    ours_s, raw_s = [], []
    for _ in range(max(1, opens // 2)):
        evict(path)
        started = time.perf_counter()
        with open_session(path, author=AUTHOR) as session:
            search_page(session, text)
            ours_s.append(time.perf_counter() - started)
        evict(path)
        started = time.perf_counter()
        searcher = RawSearch(path, "", pragmas=PRAGMAS, counts=counts)
        searcher.page(query)
        raw_s.append(time.perf_counter() - started)
        searcher.close()
    rows.append(spread(f"open + first search page ({text}), evicted, p50 / p95", ours_s,
                       raw_s, None))  # fmt: skip
    return rows


# -- check and backup ---------------------------------------------------------------------------


def bench_check(session: Session, raw: sqlite3.Connection) -> tuple[list[Row], list[str]]:
    evict(session.path)
    started = time.perf_counter()
    problems = check(session)
    ours = time.perf_counter() - started
    evict(session.path)
    started = time.perf_counter()
    integrity = raw.execute("PRAGMA integrity_check").fetchall()
    raw_s = time.perf_counter() - started
    row = Row("check: full (services.maintenance.check) vs PRAGMA integrity_check", ours, raw_s,
              extra={"problems": len(problems), "raw_result": integrity[0][0]})  # fmt: skip
    notes = [f"check: {len(problems)} problem(s); integrity_check: {integrity[0][0]}"]
    notes += [f"  {problem}" for problem in problems[:10]]
    return [row], notes


def bench_backup(path: Path, folder: Path) -> tuple[list[Row], str]:
    ours_dest, raw_dest = folder / "ours-backup.sqlite", folder / "raw-backup.sqlite"
    evict(path)
    ours = timed(lambda: backup(path, ours_dest))
    size_mb = ours_dest.stat().st_size / 1e6
    ours_dest.unlink()

    def raw_backup() -> None:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        target = sqlite3.connect(raw_dest)
        try:
            source.backup(target, pages=-1)
        finally:
            target.close()
            source.close()

    evict(path)
    raw = timed(raw_backup)
    raw_dest.unlink()
    row = Row("backup: backup API + quick_check vs bare Connection.backup", ours, raw,
              extra={"backup_mb": size_mb})  # fmt: skip
    return [row], f"backup copy {size_mb:,.0f} MB"
