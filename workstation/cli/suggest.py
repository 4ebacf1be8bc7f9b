"""``workstation suggest``: unlinked mentions of known entities (name, alias, fuzzy).

Text mode prints one line per suggestion (document id, span, score, quoted text, entity name
and id); ``--json`` prints a list of objects with the same fields for other programs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workstation.cli import _open_for_reading
from workstation.cli.output import say, say_json
from workstation.services.suggestions import Suggestion

NAME = "suggest"
HELP = "unlinked mentions of known entities (name, alias, fuzzy)"
DESCRIPTION = (
    "List unlinked mentions of known entities (by name, alias or fuzzy match) in the "
    "documents. Read-only: nothing is linked."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--document", metavar="ID", help="only this document (default: the whole workspace)"
    )
    parser.add_argument("--json", action="store_true", help="a JSON list, one object each")


def run(args: argparse.Namespace, path: Path) -> int:
    with _open_for_reading(path) as session:
        suggestions = session.suggestions.suggest(args.document)
    if args.json:
        say_json([as_json(s) for s in suggestions])
        return 0
    if not suggestions:
        say("no suggestions")
    for suggestion in suggestions:
        say(as_line(suggestion))
    return 0


def as_json(suggestion: Suggestion) -> dict:
    return {
        "document_id": suggestion.document_id,
        "start": suggestion.start,
        "end": suggestion.end,
        "text": suggestion.text,
        "entity_id": suggestion.entity_id,
        "entity_name": suggestion.entity_name,
        "score": suggestion.score,
        # Why a match ranks below exact ones ("look-alike letters…", "transliteration of…").
        "reason": suggestion.reason,
    }


def as_line(suggestion: Suggestion) -> str:
    text = " ".join(suggestion.text.split())  # a name broken over two lines stays on one
    return (
        f"{suggestion.document_id} {suggestion.start}-{suggestion.end} "
        f"{suggestion.score:.2f} “{text}” → {suggestion.entity_name} [{suggestion.entity_id}]"
        + (f" ({suggestion.reason})" if suggestion.reason else "")
    )
