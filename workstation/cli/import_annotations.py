"""``workstation import-annotations FILE``: W3C Web Annotations or FollowTheMoney entities.

The file is read first — a regular file only, at most the size an annotation file may have
(``services.annotation_files``) — and only then is the workspace opened: a FIFO, a device or
a file too large is refused in one line without ever holding the workspace's writer lock.

Readable lines are imported even when others are not; each unreadable or refused one is
reported with its line number on stderr, and the exit status is then 1. What was kept as a
claim only (ids that were not UUIDs, times in the future) and names held back from known
entities for the officer to add by hand are printed on stdout; they leave the status 0.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workstation.cli.output import say, warn
from workstation.services import open_session
from workstation.services.annotation_import import read_annotation_file

NAME = "import-annotations"
HELP = "import W3C annotations (JSON/JSONL) or FollowTheMoney entities (JSONL)"
DESCRIPTION = (
    "Import annotations from another tool: W3C Web Annotations (JSON/JSONL) or FollowTheMoney"
    " entities (JSONL). Adds them to the workspace in one transaction."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, metavar="FILE", help="a .json or .jsonl file of annotations or entities"
    )


def run(args: argparse.Namespace, path: Path) -> int:
    text = read_annotation_file(args.file)  # before the lock: refused files never take it
    with open_session(path) as session:
        report = session.exchange.import_annotations(args.file, text=text)
    say(report.summary(), *report.note_lines())
    warn(*report.error_lines())
    return 1 if report.errors else 0
