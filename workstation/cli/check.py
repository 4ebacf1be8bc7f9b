"""``workstation check [--repair]``: SQLite integrity, foreign keys, FTS consistency, offsets,
orphans, hashes; with ``--repair``, fix what has one safe fix, after a backup.

Problems go to stderr one per line, then a summary; repairs and the backup's path to
stdout. Exit 0 when nothing is left wrong, 1 otherwise.

``check`` writes nothing: it reads a private copy of the file, or reads it in place
read-only beside another workstation (``services.check_reading``); the file and its sidecars
stay byte for byte as they were. The schema is compared with the migrations' (objects that
are no part of a workspace are problems), and a ``-wal`` that is not the workspace's own is
reported, never read. ``--repair`` opens it for writing: a foreign ``-wal`` is moved aside
first, then a backup, then what differs in the schema is put right, then the records.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from workstation.cli.output import say, warn
from workstation.domain.counts import count_noun
from workstation.services.backups import list_backups
from workstation.services.check_reading import CheckedCopy, reading_for_check
from workstation.services.errors import ServiceError, WorkspaceCorrupt
from workstation.services.maintenance import open_for_repair, restore_advice
from workstation.services.session import Session

NAME = "check"
HELP = "integrity, foreign keys, FTS, offsets, orphans (--repair fixes what it safely can)"
DESCRIPTION = (
    "Check the workspace: SQLite integrity, foreign keys, the search index, annotation "
    "offsets and orphans. Read-only unless --repair, which fixes what has one safe fix and "
    "lists every row it changed."
)


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
    with _reading(path) as reading:
        # Read in place (another workstation writes to it, or no permission): the full-text
        # checks, issued as rolled-back writes, are skipped with a note: never a second writer.
        session = reading.session
        findings = session.maintenance.inspect()
        fixable = session.maintenance.repairable(findings) if findings else 0
    for note in findings.notes:
        say(f"note: {note}")
    problems: list[object] = list(findings.problems())
    if reading.foreign_wal is not None:
        problems.insert(
            0,
            f"wal: {reading.foreign_wal.describe()} ('workstation check --repair' moves it "
            "aside, unread)",
        )
        fixable += 1
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
    warn(f"{count_noun(len(problems), 'problem')} in {path}; {hint}")
    return 1


def _repair(path: Path) -> int:
    with _opened(path, open_for_repair) as session:  # a writer: read-only or in use fails here
        report = session.maintenance.repair()
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
        fixed = f" ({count_noun(len(report.found), 'problem')} repaired)" if report.found else ""
        say(f"ok: {path}{fixed}")
        return 0
    for problem in left:
        warn(f"left: {problem}")
    warn(f"{count_noun(len(left), 'problem')} left in {path}: {report.advice}")
    return 1


@contextmanager
def _reading(path: Path) -> Iterator[CheckedCopy]:
    """The workspace read for checking, or one line naming the backups when the file is
    too damaged to open."""
    try:
        with reading_for_check(path) as reading:
            yield reading
    except WorkspaceCorrupt as exc:
        raise ServiceError(restore_advice(path, list_backups(path))) from exc


def _opened(path: Path, opener: Callable[[Path], Session]) -> Session:
    """The session, or one line naming the backups when the file is too damaged to open."""
    try:
        return opener(path)
    except WorkspaceCorrupt as exc:
        raise ServiceError(restore_advice(path, list_backups(path))) from exc
