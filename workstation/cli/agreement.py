"""``workstation agreement OTHER``: how far our coding and a colleague's agree on the
articles both hold — Cohen's κ and Krippendorff's unitised α per category and overall, then
the spans coded differently. Read-only on both sides (services/agreement.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from workstation.cli import UsageError, _open_for_reading
from workstation.cli.output import say, say_json
from workstation.domain.agreement import Figures
from workstation.services.agreement import AgreementReport, DisagreementRow, agreement_with

NAME = "agreement"
HELP = "Cohen's κ and Krippendorff's α between our passages and a colleague's workspace"
DESCRIPTION = (
    "Compare our passages with those of another workspace on the documents both hold (same"
    " text): per category and overall, Cohen's κ and Krippendorff's unitised α on character"
    " spans, then the spans coded differently. Neither workspace is changed."
)
SHOWN = 20  # disagreements listed without --all
_NAME_WIDTH = 28


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("other", type=Path, metavar="OTHER", help="the colleague's workspace")
    parser.add_argument(
        "--episode", metavar="TITLE_OR_ID", help="only the documents the episode cites"
    )
    parser.add_argument("--json", action="store_true", help="figures and disagreements as JSON")
    parser.add_argument("--all", action="store_true", help="list every disagreement")
    parser.add_argument(
        "--limit",
        type=int,
        default=SHOWN,
        metavar="N",
        help=f"list the first N disagreements (default: {SHOWN})",
    )


def run(args: argparse.Namespace, path: Path) -> int:
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    with _open_for_reading(path) as session:
        report = agreement_with(session, args.other, episode=args.episode)
    if args.json:
        say_json(_as_json(report))
        return 0
    say(
        f"Agreement with {report.other.name}: {report.documents} shared "
        f"{'document' if report.documents == 1 else 'documents'}, "
        f"{report.characters} characters"
    )
    if report.only_ours or report.only_theirs:
        say(
            f"not compared: {report.only_ours} of ours and {report.only_theirs} of theirs "
            "that the other side does not hold"
        )
    if report.unplaceable_ours or report.unplaceable_theirs:
        say(
            f"left out: {report.unplaceable_ours} passages of ours and "
            f"{report.unplaceable_theirs} of theirs whose offsets do not fit their text"
        )
    say(_row("category", "ours", "theirs", "κ", "α"))
    for figures in [*report.categories, report.overall]:
        say(_figures_row(figures))
    shown = report.disagreements if args.all else report.disagreements[: args.limit]
    total = len(report.disagreements)
    say("")
    if not total:
        say("no disagreements")
        return 0
    more = "" if len(shown) == total else f" (first {len(shown)}; --all for every one)"
    say(f"{total} {'disagreement' if total == 1 else 'disagreements'}{more}:")
    for row in shown:
        say(_disagreement_line(row))
    return 0


def number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _row(name: str, ours: str, theirs: str, kappa: str, alpha: str) -> str:
    if len(name) > _NAME_WIDTH:
        name = name[: _NAME_WIDTH - 1] + "…"
    return f"{name:<{_NAME_WIDTH}} {ours:>6} {theirs:>6} {kappa:>7} {alpha:>7}"


def _figures_row(f: Figures) -> str:
    name = "overall" if f.category is None else f.category
    return _row(name, str(f.ours), str(f.theirs), number(f.kappa), number(f.alpha))


def _labels(names: tuple[str, ...]) -> str:
    return " + ".join(names) if names else "none"


def _disagreement_line(row: DisagreementRow) -> str:
    return (
        f"{row.title} @{row.start}-{row.end}: ours {_labels(row.ours)}, "
        f"theirs {_labels(row.theirs)} — “{row.excerpt}”"
    )


def _figures_json(f: Figures) -> dict:
    return {
        "category": f.category,
        "passages_ours": f.ours,
        "passages_theirs": f.theirs,
        "kappa": f.kappa,
        "alpha": f.alpha,
    }


def _as_json(report: AgreementReport) -> dict:
    return {
        "other": str(report.other),
        "documents": report.documents,
        "characters": report.characters,
        "not_compared": {"ours": report.only_ours, "theirs": report.only_theirs},
        "unplaceable_passages": {
            "ours": report.unplaceable_ours,
            "theirs": report.unplaceable_theirs,
        },
        "categories": [_figures_json(f) for f in report.categories],
        "overall": _figures_json(report.overall),
        "disagreements": [
            {
                "document_id": d.document_id,
                "title": d.title,
                "start": d.start,
                "end": d.end,
                "excerpt": d.excerpt,
                "ours": list(d.ours),
                "theirs": list(d.theirs),
            }
            for d in report.disagreements
        ],
    }
