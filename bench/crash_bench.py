"""Crash safety, long form: ``python -m bench.crash_bench --kills 200``.

Starts writer processes on one workspace and SIGKILLs each at a random moment (see
bench/crash/harness.py), verifying the file after every kill. Prints kills, acknowledged
saves, losses, half imports, integrity failures and the time; exits 1 if anything was lost,
half imported or damaged (losses must be 0).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.crash.harness import CrashConfig, CrashReport, run_crashes


def table(report: CrashReport, config: CrashConfig) -> str:
    landed = ", ".join(f"{phase} {n}" for phase, n in sorted(report.landed.items()))
    aimed = ", ".join(f"{kind} {n}" for kind, n in sorted(report.aimed.items()))
    rows = [
        ("kills (SIGKILL)", str(report.kills)),
        ("  aimed at", aimed),
        ("  landed while", landed),
        ("acknowledged saves", str(report.acknowledged)),
        ("losses (acknowledged, then missing)", str(len(report.losses))),
        ("half imports (part of a chunk, or out of order)", str(len(report.half_imports))),
        ("integrity failures (kills leaving damage)", str(report.integrity_failures)),
        ("writer failures (could not carry on)", str(len(report.writer_failures))),
        ("kills that cut an import between chunks", str(report.imports_cut)),
        ("batches imported, each finished after its kills", str(report.batches_completed)),
        ("final writer finished every import", "yes" if report.resumed else "NO"),
        ("  journalled imports left open", str(report.open_imports)),
        (
            "writers resuming by journal / by hash",
            f"{report.resumed_by['journal']} / {report.resumed_by['hash']}",
        ),
        ("documents / passages at the end", f"{report.documents} / {report.passages}"),
        (
            "setup",
            f"seed {config.seed}, {config.batch_size} files a batch, "
            f"{config.chunk_size} a chunk, an import every {config.batch_every} saves",
        ),
        ("time", f"{report.seconds:.1f} s"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    details = (
        [f"lost: {aid}" for aid in report.losses[:10]]
        + [f"half import: {p}" for p in report.half_imports[:10]]
        + [f"damage: {p}" for p in report.integrity_details[:10]]
        + [f"writer: {p}" for p in report.writer_failures[:10]]
        + [f"kept for inspection: {path}" for path in report.kept[:10]]
    )
    return "\n".join(lines + details)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    defaults = CrashConfig()
    parser = argparse.ArgumentParser(prog="python -m bench.crash_bench", description=__doc__)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--chunk-size", type=int, default=defaults.chunk_size)
    parser.add_argument("--batch-every", type=int, default=defaults.batch_every)
    parser.add_argument(
        "--out", type=Path, help="work folder (kept); default a temp folder, removed if all ok"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    config = CrashConfig(
        kills=args.kills,
        seed=args.seed,
        batch_size=args.batch_size,
        chunk_size=args.chunk_size,
        batch_every=args.batch_every,
    )
    workdir = args.out or Path(tempfile.mkdtemp(prefix="crash-bench-"))
    progress = None if args.quiet else (lambda message: print(message, file=sys.stderr))
    report = run_crashes(workdir, config, progress)
    print(table(report, config))
    if args.out is None and report.ok:
        shutil.rmtree(workdir, ignore_errors=True)
    elif not report.ok:
        print(f"work folder kept: {workdir}", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
