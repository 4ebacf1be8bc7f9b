"""``workstation import-annotations FILE``: W3C Web Annotations, a brat collection, a REFI-QDA
project or codebook, or FollowTheMoney lines (``services.facades.annotation_file_kind``).

The file is read first — a regular file only, at most the size an annotation file may have
(``services.annotation_files``) — and only then is the workspace opened: a FIFO, a device or
a file too large is refused in one line without ever holding the workspace's writer lock.

Readable lines are imported even when others are not; each unreadable or refused one is
reported with its line number on stderr, and the exit status is then 1. Each annotation (or
target of one) kept as an orphan is listed on stdout with its reason: it waits for review,
and leaves the status 0. What was kept as a claim only (ids that were not UUIDs, times in
the future) and names held back from known entities for the officer to add by hand are
printed on stdout; they leave the status 0.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workstation.cli.output import say, warn
from workstation.services import open_session
from workstation.services.annotation_import import UNKNOWN_TAG_POLICIES, read_annotation_file
from workstation.services.facades import annotation_file_kind

NAME = "import-annotations"
HELP = "import W3C, brat, REFI-QDA (.qdpx/.qdc) annotations or FollowTheMoney lines"
DESCRIPTION = (
    "Import annotations from another tool: W3C Web Annotations (JSON/JSONL), a brat "
    "collection (a folder of .txt and .ann files, or one .ann file), a REFI-QDA project "
    "(.qdpx) or codebook (.qdc), or FollowTheMoney entities, sanctions and relations (JSONL). "
    "Every item not imported is listed with its reason."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="a .json/.jsonl file, a brat folder or .ann file, or a .qdpx/.qdc file",
    )
    parser.add_argument(
        "--unknown-tags",
        choices=UNKNOWN_TAG_POLICIES,
        default="keep",
        help="a W3C tag naming no category: keep it as a tag (default), create the category,"
        " or skip it (listed)",
    )
    parser.add_argument(
        "--document",
        metavar="ID",
        help="every annotation of the file belongs to this document (its source is ignored)",
    )


def run(args: argparse.Namespace, path: Path) -> int:
    kind = annotation_file_kind(args.file)
    text = None
    # The file is checked (or read) before the workspace opens: refused files never take
    # its lock.
    if kind in ("qdpx", "qdc"):
        from workstation.services import refi_qda

        refi_qda.check_file(args.file)
    elif kind == "json":
        text = read_annotation_file(args.file)
    with open_session(path) as session:
        report = session.exchange.import_annotations(
            args.file, text=text, unknown_tags=args.unknown_tags, document_id=args.document
        )
    say(report.summary(), *report.note_lines())
    warn(*report.error_lines())
    return 1 if report.errors else 0
