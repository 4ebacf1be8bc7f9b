"""``workstation timeline``: an episode's events in date order, who did what to whom and in
answer to what.

Text shows each answer indented under the event it answers ("↳"), with short ids; ``--json``
gives every event flat, strictly in date order, with full ids, for other programs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workstation.cli import UsageError, _open_for_reading
from workstation.cli.output import say, say_json
from workstation.domain.vocab import EVENT_KINDS
from workstation.services.outcome import NotFound
from workstation.services.timeline import TimelineRow, in_date_order

NAME = "timeline"
HELP = "an episode's events in date order, with actor, target and what each answers"
DESCRIPTION = (
    "Print an episode's events in date order, with actor, target and the events each answers."
    " Read-only."
)
SHORT_ID = 8
_KIND_WIDTH = max(len(k) for k in EVENT_KINDS)
_DATE_WIDTH = len("15 APR 2021")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--episode", metavar="TITLE_OR_ID", help="which episode (may be left out when there is one)"
    )
    parser.add_argument("--json", action="store_true", help="flat JSON, strictly in date order")
    parser.add_argument("--actor", metavar="NAME_OR_ID", help="only events of this actor")
    parser.add_argument("--kind", help=f"only events of this kind ({', '.join(EVENT_KINDS)})")


def run(args: argparse.Namespace, path: Path) -> int:
    if args.kind is not None and args.kind not in EVENT_KINDS:
        raise UsageError(f"--kind must be one of {', '.join(EVENT_KINDS)}, not {args.kind!r}")
    with _open_for_reading(path) as session:
        episode = session.episodes.resolve(args.episode)
        actor_id = None
        if args.actor is not None:
            actor = session.entities.find(args.actor) or session.entities.find_by_name(args.actor)
            if actor is None:
                raise NotFound(f"no entity named or with id {args.actor!r}")
            actor_id = actor.id
        rows = session.timeline.rows(episode.id, actor_id=actor_id, kind=args.kind)
    if args.json:
        document = {
            "episode": {"id": episode.id, "title": episode.title},
            "events": [_row_json(row) for row in in_date_order(rows)],
        }
        say_json(document)
        return 0
    filtered = args.actor is not None or args.kind is not None
    what = ("matching " if filtered else "") + ("event" if len(rows) == 1 else "events")
    say(f"{episode.title} — {len(rows) or 'no'} {what}")
    for row in rows:
        say(*_row_lines(row))
    return 0


def _row_json(row: TimelineRow) -> dict:
    return {
        "id": row.event_id,
        "date": row.date,
        "precision": row.precision,
        "label": row.date_label,
        "kind": row.kind,
        "title": row.title,
        "summary": row.summary,
        "actor": row.actor,
        "actor_id": row.actor_id,
        "target": row.target,
        "target_id": row.target_id,
        "responds_to": row.responds_to,
        "legal_basis": row.legal_basis,
        "evidence": list(row.evidence),
        "depth": row.depth,
    }


def _row_lines(row: TimelineRow) -> tuple[str, str]:
    """The event, then its details under it: two lines, so each is escaped on its own."""
    indent = "  " * max(row.depth - 1, 0) + ("↳ " if row.depth else "")
    first = f"{row.date_label:<{_DATE_WIDTH}}  {row.kind:<{_KIND_WIDTH}}  {indent}{row.title}"
    who = f"{row.actor or '?'} → {row.target or '?'}"
    if row.actor is None and row.target is None:
        who = "no actor or target"
    details = [who, f"id {row.event_id[:SHORT_ID]}"]
    if row.responds_to:
        details.append(f"answers {row.responds_to[:SHORT_ID]}")
    passages = ", ".join(p[:SHORT_ID] for p in row.evidence) or "none"
    details.append(f"evidence {passages}")
    pad = " " * (_DATE_WIDTH + 2 + _KIND_WIDTH + 2) + " " * len(indent)
    return first, f"{pad}{' · '.join(details)}"
