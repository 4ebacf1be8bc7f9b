"""``workstation export``: passages, entities and events for other tools.

Without ``--episode`` the whole workspace is exported; with it, only the passages the
episode's events and judgments rest on, their documents and entities, and its events.

W3C, brat, FtM and CSV are written from one gathered bundle (``services.exporting``); the
REFI-QDA formats (``qdpx`` project, ``qdc`` codebook) have their own service,
``services.refi_qda``, imported only in their branch so that, should it be missing or broken,
only those two formats fail.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from workstation.cli import UsageError, _open_for_reading
from workstation.cli.output import say
from workstation.services.errors import ServiceError
from workstation.services.exporting import FORMATS, export

NAME = "export"
HELP = "export passages, entities and events as W3C, brat, FollowTheMoney, CSV or REFI-QDA"
DESCRIPTION = (
    "Export passages, entities and events (all, or what one episode rests on) to a file or "
    "folder. The workspace is not changed."
)
# REFI-QDA: a whole project (.qdpx) or the codebook alone (.qdc).
QDPX, QDC = "qdpx", "qdc"
REFI_QDA_FORMATS = (QDPX, QDC)
REFI_QDA_SERVICE = "workstation.services.refi_qda"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", required=True, choices=FORMATS + REFI_QDA_FORMATS, help="output format"
    )
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
        help="only what this episode rests on (default: the whole workspace; not for qdc)",
    )
    parser.add_argument(
        "--body-language",
        metavar="LANG",
        help="the language notes and category names are written in (e.g. en): W3C bodies "
        "then say so (default: not stated)",
    )


def run(args: argparse.Namespace, path: Path) -> int:
    if args.format == QDC and args.episode:
        raise UsageError("--episode does not apply to a codebook (qdc): it holds every category")
    with _open_for_reading(path) as session:
        episode = session.episodes.resolve(args.episode) if args.episode else None
        summary: Any
        if args.format == QDPX:
            summary = _refi_qda().export_project(session, args.out, episode=episode)
        elif args.format == QDC:
            summary = _refi_qda().export_codebook(session, args.out)
        else:
            summary = export(
                session,
                args.format,
                args.out,
                episode=episode,
                body_language=args.body_language,
            )
    say(summary.describe())
    return 0


def _refi_qda() -> ModuleType:
    """The REFI-QDA service, imported here so a missing one fails only its two formats, with
    one line rather than an internal error."""
    try:
        return importlib.import_module(REFI_QDA_SERVICE)
    except ModuleNotFoundError as exc:
        if exc.name != REFI_QDA_SERVICE:
            raise
        raise ServiceError("REFI-QDA export (qdpx, qdc) is not available in this build") from None
