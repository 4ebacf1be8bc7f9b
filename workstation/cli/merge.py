"""``workstation merge OTHER``: bring in another officer's workspace.

Prints one line per kind of record with what became of theirs, then each conflict (both
sides changed the same record, or theirs claims a time in the future: which version was
kept), then entities that may be duplicates (proposed, never merged silently), then where
the backup taken first is. Objects in their file that are no part of a workspace (never
read) are noted on stderr, one line each.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workstation.cli.output import say, warn
from workstation.services import open_session
from workstation.services.merge import Conflict, MergeProposal, TableCounts
from workstation.services.merge_plan import FUTURE_TIMESTAMP, NOUNS

NAME = "merge"
HELP = "bring in another officer's workspace"
DESCRIPTION = (
    "Bring another officer's workspace into this one, matching documents, entities and "
    "annotations. Changes this workspace only."
)
SHORT_ID = 8


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "other", type=Path, metavar="OTHER_WORKSPACE", help="the workspace file to merge in"
    )


def run(args: argparse.Namespace, path: Path) -> int:
    with open_session(path) as session:
        report = session.exchange.merge(args.other)
    for line in report.ignored:
        warn(f"note: in {report.other}: {line}; ignored (only its tables were read)")
    say(f"merged {report.other} into {path}")
    width = max(len(table) for table in report.counts)
    for table, counts in report.counts.items():
        say(f"{table + ':':<{width + 1}} {summary(counts)}")
    for conflict in report.conflicts:
        say(conflict_line(conflict))
    for proposal in report.proposals:
        say(proposal_line(proposal))
    say(f"backup taken before the merge: {report.backup}")
    return 0


def summary(counts: TableCounts) -> str:
    parts = [
        f"{counts.added} added",
        f"{counts.updated} updated",
        f"{counts.unchanged} unchanged",
    ]
    if counts.recognised:
        parts.append(f"{counts.recognised} recognised as ours")
    if counts.kept:
        parts.append(f"{counts.kept} kept ours")
    if counts.conflicts:
        parts.append(f"{counts.conflicts} conflict{'s' if counts.conflicts != 1 else ''}")
    if counts.future:
        parts.append(f"{counts.future} claiming a future time")
    return ", ".join(parts)


def conflict_line(conflict: Conflict) -> str:
    if conflict.reason == FUTURE_TIMESTAMP:
        changed = ", ".join(f.replace("_", " ") for f in conflict.fields)
        what = f"{FUTURE_TIMESTAMP}: their version ({changed}) claims a time in the future"
    elif conflict.deletion:
        what = "deleted on one side, changed on the other"
    else:
        what = f"both changed {', '.join(f.replace('_', ' ') for f in conflict.fields)}"
    ours = _version(conflict.our_updated_at, conflict.our_author)
    theirs = _version(conflict.their_updated_at, conflict.their_author)
    if conflict.winner == "theirs":
        verdict = f"kept theirs ({theirs}) over ours ({ours})"
    else:
        verdict = f"kept ours ({ours}) over theirs ({theirs})"
    noun = NOUNS.get(conflict.table, conflict.table)
    return f"conflict: {noun} «{conflict.label}» — {what}; {verdict}"


def proposal_line(proposal: MergeProposal) -> str:
    return (
        f"possible duplicate entities: «{proposal.ours_name}» (ours, "
        f"{proposal.ours_id[:SHORT_ID]}) and «{proposal.theirs_name}» (theirs, "
        f"{proposal.theirs_id[:SHORT_ID]}), {proposal.reason} — review in the entity registry"
    )


def _version(updated_at: str, author: str) -> str:
    when = updated_at[:19].replace("T", " ") if updated_at else "unknown time"
    return f"{when} by {author or 'unknown'}"
