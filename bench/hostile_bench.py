"""Hostile-input benchmark: ``python -m bench.hostile_bench [--only TEXT] [--json FILE]``.

Runs every attack of ``bench/hostile/`` (workspaces, annotation files, documents, briefs) in a
fresh Python process limited to 1 GB of address space (``resource.setrlimit``) and killed
after 60 s, and prints one row each: attack, outcome, wall time, peak memory (the child's
``ru_maxrss``). The budget (docs/architecture.md): every hostile input refused or done in
< 60 s and < 1 GB.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.hostile import AREAS, Attack

LIMIT_BYTES = 1 << 30
LIMIT_SECONDS = 60


def attacks() -> list[Attack]:
    found: list[Attack] = []
    for name in AREAS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue  # an area with no attacks yet
        found += module.ATTACKS
    return found


def run_one(name: str) -> None:
    """In the child: limit memory, run the attack, print its outcome as JSON."""
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))
    attack = next(a for a in attacks() if a.name == name)
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        outcome = attack.run(Path(folder))
    # Its own peak, or that of a command it ran as a process of its own, whichever is larger.
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    print(json.dumps({"verdict": outcome.verdict, "detail": outcome.detail, "peak_kb": peak_kb}))


def measure(attack: Attack) -> dict:
    began = time.perf_counter()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.hostile_bench", "--child", attack.name],
            capture_output=True,
            text=True,
            timeout=LIMIT_SECONDS,
            env=env,
        )
        elapsed = time.perf_counter() - began
        lines = done.stdout.strip().splitlines()
        if done.returncode == 0 and lines:
            result = json.loads(lines[-1])
        else:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            result = {"verdict": "FAILED", "detail": f"exit {done.returncode}: {tail}"}
    except subprocess.TimeoutExpired:
        elapsed = time.perf_counter() - began
        result = {"verdict": "FAILED", "detail": f"still running after {LIMIT_SECONDS} s"}
    peak_kb = result.pop("peak_kb", None)
    result.update(
        attack=attack.name,
        area=attack.area,
        seconds=elapsed,
        peak_mb=None if peak_kb is None else peak_kb / 1024,
    )
    return result


def render(rows: list[dict]) -> str:
    header = ("attack", "area", "outcome", "time", "peak memory", "what it said")
    cells = [
        (
            r["attack"],
            r["area"],
            r["verdict"],
            f"{r['seconds']:.2f} s",
            "—" if r["peak_mb"] is None else f"{r['peak_mb']:.0f} MB",
            r["detail"][:110],
        )
        for r in rows
    ]
    widths = [max(len(str(c[i])) for c in [header, *cells]) for i in range(len(header))]
    lines = [" | ".join(str(v).ljust(w) for v, w in zip(header, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(str(v).ljust(w) for v, w in zip(c, widths, strict=True)) for c in cells]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile_bench", description=__doc__)
    parser.add_argument("--only", help="run the attacks whose name contains this text")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_one(args.child)
        return 0
    chosen = [a for a in attacks() if not args.only or args.only in a.name]
    rows = []
    for attack in chosen:
        print(f"hostile: {attack.name}…", file=sys.stderr, flush=True)
        rows.append(measure(attack))
    print(render(rows))
    failed = [r for r in rows if r["verdict"] == "FAILED"]
    over = [
        r
        for r in rows
        if r["seconds"] >= LIMIT_SECONDS or (r["peak_mb"] or 0) >= LIMIT_BYTES / (1 << 20)
    ]
    print(f"\n{len(rows)} attacks: {len(failed)} failed, {len(over)} over 60 s or 1 GB")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 1 if failed or over else 0


if __name__ == "__main__":
    sys.exit(main())
