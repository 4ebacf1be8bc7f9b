"""``workstation suggest``: what the workstation proposes — mentions of known entities, new
names, passages to mark and events to draft (``--kinds``; default: mentions).

Text mode prints one line per suggestion; ``--json`` prints a list of objects, the contract
other programs read (README, "Suggestions as JSON"): every object has ``kind`` (``mention``,
``name``, ``passage`` or ``event``), ``document_id``, ``start`` and ``end`` (code points, end
exclusive), ``text``, ``score`` and ``reason``; a mention adds ``entity_id`` and
``entity_name``; a name adds ``entity_kind`` (and ``normal``, ``counterpart``); a passage
adds ``category``; an event adds ``event`` = {kind, date, precision, actor, target (entity
names), responds_to (an event id or null), evidence (passage spans)}.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workstation.cli import UsageError, _open_for_reading
from workstation.cli.output import say, say_json
from workstation.domain.assistant import Proposal
from workstation.services.assistant import parse_kinds
from workstation.services.outcome import ServiceError
from workstation.services.suggestions import Suggestion

NAME = "suggest"
HELP = "proposals: mentions of known entities, new names, passages, events"
DESCRIPTION = (
    "List what the workstation proposes in the documents: unlinked mentions of known entities "
    "(by name, alias or fuzzy match), new names not in the registry, passages to mark with a "
    "category, and events to draft from accepted passages. Read-only: nothing is created."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--document", metavar="ID", help="only this document (default: the whole workspace)"
    )
    parser.add_argument(
        "--kinds",
        default="mentions",
        metavar="LIST",
        help="comma-separated: mentions, names, passages, events (default: mentions)",
    )
    parser.add_argument("--json", action="store_true", help="a JSON list, one object each")


def run(args: argparse.Namespace, path: Path) -> int:
    try:
        kinds = parse_kinds(args.kinds)
    except ServiceError as exc:
        raise UsageError(f"--kinds: {exc}") from exc
    if not kinds:
        raise UsageError("--kinds: name at least one of mentions, names, passages, events")
    documents = [args.document] if args.document else None
    found: list[Suggestion | Proposal] = []
    with _open_for_reading(path) as session:
        if "mention" in kinds:
            found += session.suggestions.suggest(args.document)
        wanted = [k for k in kinds if k != "mention"]
        if wanted:
            found += session.assistant.propose(documents, wanted)
        names = {e.id: e.name for e in session.entities.list_entities()}
        spans = {p.passage_id: p for p in found if isinstance(p, Proposal) and p.passage_id}
        evidence = {passage_id: session.annotations.get(passage_id) for passage_id in spans}
    if args.json:
        say_json([as_json(s, names, evidence) for s in found])
        return 0
    if not found:
        say("no suggestions")
    for suggestion in found:
        say(as_line(suggestion, names))
    return 0


def as_json(
    suggestion: Suggestion | Proposal,
    names: dict[str, str] | None = None,
    passages: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if isinstance(suggestion, Suggestion):
        return {
            "kind": "mention",
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
    found: dict[str, Any] = {
        "kind": suggestion.kind,
        "document_id": suggestion.document_id,
        "start": suggestion.start,
        "end": suggestion.end,
        "text": suggestion.text,
        "score": round(suggestion.score, 4),
        "reason": suggestion.reason,
    }
    if suggestion.kind == "name":
        found["entity_kind"] = suggestion.entity_kind
        found["normal"] = suggestion.normal
        found["counterpart"] = suggestion.counterpart
    elif suggestion.kind == "passage":
        found["category"] = suggestion.category
        found["margin"] = round(suggestion.margin, 4)
        if suggestion.explanation is not None:
            found["words"] = [w for w, _weight in suggestion.explanation.words]
    elif suggestion.kind == "event" and suggestion.draft is not None:
        draft, names = suggestion.draft, names or {}
        passage = (passages or {}).get(suggestion.passage_id or "")
        found["category"] = suggestion.category
        found["event"] = {
            "kind": draft.kind,
            "date": draft.date,
            "precision": draft.precision,
            "title": draft.title,
            "actor": names.get(draft.actor_id or ""),
            "target": names.get(draft.target_id or ""),
            "responds_to": draft.responds_to,
            "answers": [
                {"event_id": a.event_id, "score": round(a.score, 4), "reason": a.reason}
                for a in draft.answers
            ],
            "evidence": [
                {
                    "passage_id": suggestion.passage_id,
                    "document_id": suggestion.document_id,
                    "start": passage.start if passage else suggestion.start,
                    "end": passage.end if passage else suggestion.end,
                }
            ],
            "episode_id": suggestion.episode_id,
        }
    return found


def as_line(suggestion: Suggestion | Proposal, names: dict[str, str] | None = None) -> str:
    text = " ".join(suggestion.text.split())  # a name broken over two lines stays on one
    if isinstance(suggestion, Suggestion):
        return (
            f"{suggestion.document_id} {suggestion.start}-{suggestion.end} "
            f"{suggestion.score:.2f} “{text}” → {suggestion.entity_name} "
            f"[{suggestion.entity_id}]" + (f" ({suggestion.reason})" if suggestion.reason else "")
        )
    head = f"{suggestion.kind:<7} {suggestion.document_id} {suggestion.start}-{suggestion.end} "
    head += f"{suggestion.score:.2f} "
    if suggestion.kind == "name":
        what = f"“{text}” → new {suggestion.entity_kind} {suggestion.normal}"
    elif suggestion.kind == "passage":
        what = f"{suggestion.category}: “{_short(text)}”"
    else:
        draft, names = suggestion.draft, names or {}
        assert draft is not None
        answers = f", answers {draft.responds_to[:8]}" if draft.responds_to else ""
        what = f"{draft.kind} {draft.date} ({draft.precision}): {draft.title}{answers}"
    return f"{head}{what} ({suggestion.reason})"


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
