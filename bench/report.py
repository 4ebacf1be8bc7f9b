"""Percentiles, formatting and the results table of the benchmark."""

from __future__ import annotations

import math
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# -- small helpers -----------------------------------------------------------------------------


def percentile(samples: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100)."""
    ordered = sorted(samples)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def fmt_time(seconds: float) -> str:
    if math.isnan(seconds):
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.2f} ms"


def fmt_ratio(ours: float, raw: float) -> str:
    if not raw or math.isnan(raw) or math.isnan(ours):
        return "—"
    return f"{ours / raw:.1f}×"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Row:
    work: str
    ours: float
    raw: float
    budget: float | None = None  # seconds; ours must stay below it
    ours_text: str | None = None  # when the cell shows more than one figure
    raw_text: str | None = None
    extra: dict = field(default_factory=dict)

    def verdict(self, *, smoke: bool) -> str:
        if self.budget is None:
            return "—"
        verdict = "ok" if self.ours < self.budget else "OVER BUDGET"
        return f"{verdict} (smoke)" if smoke else verdict

    def cells(self, *, smoke: bool) -> list[str]:
        return [
            self.work,
            self.ours_text or fmt_time(self.ours),
            self.raw_text or fmt_time(self.raw),
            fmt_ratio(self.ours, self.raw),
            f"< {fmt_time(self.budget)}" if self.budget is not None else "—",
            self.verdict(smoke=smoke),
        ]

    def as_json(self, *, smoke: bool) -> dict:
        return {
            "work": self.work,
            "ours_s": self.ours,
            "raw_s": self.raw,
            "ratio": None if not self.raw else self.ours / self.raw,
            "budget_s": self.budget,
            "verdict": self.verdict(smoke=smoke),
            **self.extra,
        }


def render_table(rows: list[Row], *, smoke: bool) -> str:
    header = ["work", "ours", "raw baseline", "ratio", "budget", "verdict"]
    body = [row.cells(smoke=smoke) for row in rows]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return " | ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width) if i < 4 else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(cells) for cells in body)])


def print_run_in_scratch(prefix: str, run: Callable[[Any, Path], str], args: Any) -> int:
    """``run(args, folder)`` in a scratch folder removed afterwards; prints its table."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        print(run(args, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0
