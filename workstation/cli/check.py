"""``workstation check [--repair]``: SQLite integrity, foreign keys, FTS consistency, offsets,
orphans, hashes; with ``--repair``, fix what has one safe fix, after a backup.

Problems go to stderr one per line, then a summary; repairs and the backup's path to
stdout. Exit 0 when nothing is left wrong, 1 otherwise.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workstation.cli import _open_for_reading
from workstation.cli.output import say, warn
from workstation.services import open_session
from workstation.services.backups import list_backups
from workstation.services.maintenance import (
    inspect,
    repair,
    repairable,
    restore_advice,
)
from workstation.services.outcome import ServiceError
from workstation.storage import WorkspaceCorrupt

NAME = "check"
HELP = "integrity, foreign keys, FTS, offsets, orphans (--repair fixes what it safely can)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--repair",
        action="store_true",
        help="after a backup, fix what has one safe fix and list every row changed "
        "(nothing is deleted)",
    )


def run(args: argparse.Namespace, path: Path) -> int:
    return _repair(path) if args.repair else _check(path)


def _check(path: Path) -> int:
    with _opened(path, _open_for_reading) as session:
        # Read-only (another workstation writes to it, or no permission): the full-text
        # checks, issued as rolled-back writes, are skipped with a note: never a second writer.
        findings = inspect(session)
        fixable = repairable(session, findings) if findings else 0
    for note in findings.notes:
        say(f"note: {note}")
    problems = findings.problems()
    if not problems:
        say(f"ok: {path}")
        return 0
    for problem in problems:
        warn(problem)
    if findings.damaged:
        warn(restore_advice(path, list_backups(path)))
        hint = "not repairable in place"
    elif fixable:
        hint = f"{fixable} with a safe fix: run 'workstation check --repair'"
    else:
        hint = "none with a safe automatic fix; each line says what is wrong"
    warn(f"{len(problems)} problem(s) in {path}; {hint}")
    return 1


def _repair(path: Path) -> int:
    with _opened(path, open_session) as session:  # a writer: read-only or in use fails here
        report = repair(session)
    for problem in report.found:
        warn(problem)
    if report.damaged:
        warn(report.advice)
        return 1
    if report.backup is not None:
        say(f"backup: {report.backup}")
    for repaired in report.repaired:
        say(f"repaired: {repaired}")
    left = report.left or []
    if not left:
        fixed = f" ({len(report.found)} problem(s) repaired)" if report.found else ""
        say(f"ok: {path}{fixed}")
        return 0
    for problem in left:
        warn(f"left: {problem}")
    warn(f"{len(left)} problem(s) left in {path}: {report.advice}")
    return 1


def _opened(path: Path, opener):
    """The session, or one line naming the backups when the file is too damaged to open."""
    try:
        return opener(path)
    except WorkspaceCorrupt as exc:
        raise ServiceError(restore_advice(path, list_backups(path))) from exc
