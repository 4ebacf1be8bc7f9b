"""``workstation import-annotations FILE``: W3C Web Annotations or FollowTheMoney entities.

Readable lines are imported even when others are not; each unreadable one is reported with
its line number, and the exit status is then 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workstation.cli.output import say, warn
from workstation.services import open_session
from workstation.services.annotation_import import import_annotations

NAME = "import-annotations"
HELP = "import W3C annotations (JSON/JSONL) or FollowTheMoney entities (JSONL)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE")


def run(args: argparse.Namespace, path: Path) -> int:
    with open_session(path) as session:
        report = import_annotations(session, args.file)
    summary, *problems = report.lines()
    say(summary)
    warn(*problems)
    return 1 if report.errors else 0
