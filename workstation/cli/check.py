"""``workstation check``: SQLite integrity, foreign keys, FTS consistency, offsets, orphans."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workstation.cli import _open_for_reading
from workstation.services.maintenance import check

NAME = "check"
HELP = "integrity, foreign keys, FTS, offsets, orphans"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options yet


def run(args: argparse.Namespace, path: Path) -> int:
    with _open_for_reading(path) as session:
        problems = check(session)
    if not problems:
        print(f"ok: {path}")
        return 0
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
    return 1
