"""``workstation export``: passages, entities and events for other tools.

Without ``--episode`` the whole workspace is exported; with it, only the passages the
episode's events and judgments rest on, their documents and entities, and its events.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workstation.cli import _open_for_reading
from workstation.cli.output import say
from workstation.services.exporting import FORMATS

NAME = "export"
HELP = "export passages, entities and events as W3C, brat, FollowTheMoney or CSV"
DESCRIPTION = (
    "Export passages, entities and events (all, or what one episode rests on) to a file or "
    "folder. The workspace is not changed."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", required=True, choices=FORMATS, help="output format")
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="PATH",
        help="file to write (a new or empty folder for brat)",
    )
    parser.add_argument(
        "--episode",
        metavar="TITLE_OR_ID",
        help="only what this episode rests on (default: the whole workspace)",
    )


def run(args: argparse.Namespace, path: Path) -> int:
    with _open_for_reading(path) as session:
        episode = session.episodes.resolve(args.episode) if args.episode else None
        summary = session.exchange.export(args.format, args.out, episode=episode)
    say(summary.describe())
    return 0
