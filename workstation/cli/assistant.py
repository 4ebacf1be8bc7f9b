"""``workstation assistant status|rebuild``: what the offline assistant learns from (examples
per category, names, decisions), when its models were trained and how well they do on
held-out examples; ``rebuild`` retrains them now and records the training."""

from __future__ import annotations

import argparse
from pathlib import Path

from workstation.cli import _open_for_reading
from workstation.cli.output import say, say_json
from workstation.domain.counts import count_noun
from workstation.services import open_session
from workstation.services.assistant_status import AssistantStatus

NAME = "assistant"
HELP = "the offline assistant: status (examples, training, quality) or rebuild"
DESCRIPTION = (
    "Show what the offline assistant learns from — passages per category, categories with too "
    "few examples, names and decisions — when its models were trained and their quality on "
    "held-out examples (status, read-only), or retrain them now (rebuild)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("status", "rebuild"), help="what to do")
    parser.add_argument("--json", action="store_true", help="one JSON object")


def run(args: argparse.Namespace, path: Path) -> int:
    if args.action == "rebuild":
        with open_session(path) as session:
            found = session.assistant.rebuild()
    else:
        with _open_for_reading(path) as session:
            found = session.assistant.status()
    if args.json:
        say_json(found.as_json())
    else:
        for line in lines(found):
            say(line)
    return 0


def lines(found: AssistantStatus) -> list[str]:
    out = ["passages per category:"]
    width = max((len(c) for c in found.passages_per_category), default=0)
    for category, count in found.passages_per_category.items():
        flag = "  (too few: not proposed yet)" if category in found.too_few else ""
        out.append(f"  {category + ':':<{width + 1}} {count}{flag}")
    out.append(f"  unmarked sentences and rejected proposals: {found.unmarked_examples}")
    if found.too_few:
        need = count_noun(found.min_examples, "example")
        out.append(f"categories need {need} each before they are proposed")
    out.append(f"names learnt from: {found.names_learnt}")
    for kind, verdicts in found.decisions.items():
        decided = count_noun(verdicts["accepted"] + verdicts["rejected"], f"{kind} decision")
        out.append(f"{decided}: {verdicts['accepted']} accepted, {verdicts['rejected']} rejected")
    for model, figures in found.trained.items():
        line = f"{model} model: trained {figures.get('trained_at', '?')}"
        examples = count_noun(int(figures.get("examples", 0)), "example")
        line += f" on {examples} in {figures.get('seconds', '?')} s"
        if "last_rebuild" in figures:
            line += f"; last rebuild recorded {figures['last_rebuild']}"
        out.append(line)
    for model, figures in found.quality.items():
        if "macro_f1" in figures:
            held = count_noun(int(figures["held_out"]), "held-out example")
            out.append(f"{model} quality on {held}: macro-F1 {figures['macro_f1']:.2f}")
        else:
            out.append(f"{model} quality: {figures.get('note', 'not measured')}")
    return out
