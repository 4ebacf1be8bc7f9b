"""The offline assistant (issue 16), quality and speed: ``python -m bench.assistant_bench``.

Quality (``bench/assistant_quality.py``): new names, passages and event drafts on the
hand-labelled articles 04–08 of ``tests/data/assistant``, (A) trained on the sample only and
(B) after the officer's decisions on articles 01–03, with the learning curve; and apart, on
09–10, written after the name finder had been tuned on its errors in 04–08 (the held-out
check: their errors are listed with ``--details`` only, so nobody tunes on them by accident).

Speed, each beside the bare library call on the same data:

- proposals for one open document (all three kinds), budget 200 ms at the 95th percentile;
  raw: natasha's NER (Russian text) and scikit-learn's ``predict_proba`` on its sentences;
- proposals for a 1,000-article import in the background, budget 60 s (``--quick``: 100
  articles, extrapolated and labelled so);
- retraining the passage model after one decision at 10,000 categorised passages, budget
  1 s; raw: a bare ``LogisticRegression.fit`` on the same matrix;
- start-up (``import workstation.ui.shell.app``, ``workstation --help``) with and without
  the heavy libraries imported, and the install size the assistant adds.

``--quality-only`` skips the speed part (the smoke test uses it). Figures go to
``bench/results/assistant.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.assistant_quality import CURVE_POINTS, HELD_OUT_LABEL, scenario
from bench.assistant_speed import bench_import, bench_one_document, bench_retrain
from bench.assistant_startup import bench_startup, install_size
from bench.report import Row, log, render_table

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "assistant.json"


# -- quality tables ---------------------------------------------------------------------------


def _table(rows: Sequence[Sequence[object]]) -> str:
    cells = [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = [
        " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def _groups(quality: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(scenario, articles, result) for 04–08 and the held-out 09–10 of each scenario."""
    found = []
    for label, result in quality.items():
        found.append((label, "04–08", result))
        if "held_out" in result:
            found.append((label, HELD_OUT_LABEL, result["held_out"]))
    return found


def quality_tables(quality: dict[str, Any]) -> str:
    out = []
    rows: list[list[object]] = [
        [
            "names (new)",
            "articles",
            "lang",
            "proposed",
            "labelled",
            "right",
            "precision",
            "recall",
            "F1",
            "kind acc.",
            "normal acc.",
            "repeats",
        ]
    ]
    for label, articles, result in _groups(quality):
        for language in ("en", "ru"):
            n = result["names"][language]
            rows.append(
                [
                    label,
                    articles,
                    language,
                    n["proposed"],
                    n["labelled"],
                    n["right"],
                    n["precision"],
                    n["recall"],
                    n["f1"],
                    n["kind_accuracy"],
                    n.get("normal_accuracy", "—"),
                    n["repeated_name"],
                ]
            )
    out.append(_table(rows))
    for label, result in quality.items():
        p = result["passages"]
        rows = [
            [
                f"passages {label}",
                "proposed",
                "labelled",
                "right",
                "found",
                "precision",
                "recall",
                "F1",
            ]
        ]
        for category, s in p["categories"].items():
            rows.append(
                [
                    category,
                    s["proposed"],
                    s["labelled"],
                    s["right"],
                    s["labelled_found"],
                    s["precision"],
                    s["recall"],
                    s["f1"],
                ]
            )
        rows.append(["macro", p["proposals"], p["labelled"], "", "", "", "", p["macro_f1"]])
        out.append(_table(rows))
        out.append(
            f"  {label}: {p['proposals']} passage proposals, "
            f"{p['span_precision']:.0%} of them overlap a labelled passage "
            f"(any category)"
        )
    rows = [["passages macro-F1", "articles", "proposed", "labelled", "on a label", "macro-F1"]]
    for label, articles, result in _groups(quality):
        p = result["passages"]
        rows.append(
            [
                label,
                articles,
                p["proposals"],
                p["labelled"],
                f"{p['span_precision']:.0%}",
                p["macro_f1"],
            ]
        )
    out.append(_table(rows))
    rows = [
        [
            "passage threshold (04–08)",
            *(f"{label}: macro-F1 / proposals / on a label" for label in quality),
        ]
    ]
    for threshold in next(iter(quality.values()))["passage_thresholds"]:
        rows.append(
            [
                f"min confidence {threshold}",
                *(
                    f"{r['passage_thresholds'][threshold]['macro_f1']:.3f} / "
                    f"{r['passage_thresholds'][threshold]['proposals']} / "
                    f"{r['passage_thresholds'][threshold]['span_precision']:.0%}"
                    for r in quality.values()
                ),
            ]
        )
    out.append(_table(rows))
    groups = _groups(quality)
    rows = [["event drafts", *(f"{label}, {articles}" for label, articles, _ in groups)]]
    fields = next(iter(quality.values()))["events"]["fields"]
    for field in fields:
        rows.append(
            [
                field,
                *(
                    f"{r['events']['fields'][field]['right']}/"
                    f"{r['events']['fields'][field]['of']} "
                    f"({r['events']['fields'][field]['accuracy']:.2f})"
                    for _, _, r in groups
                ),
            ]
        )
    rows.append(
        ["answer not creatable", *(r["events"]["answer_unavailable"] for _, _, r in groups)]
    )
    rows.append(
        [
            "drafts on passages with no labelled event",
            *(r["events"]["drafts_unlabelled"] for _, _, r in groups),
        ]
    )
    out.append(_table(rows))
    for label, result in quality.items():
        if "curve" not in result:
            continue
        rows = [
            [
                "learning curve " + label,
                "decisions",
                "name F1 en",
                "name F1 ru",
                "passage macro-F1",
                "passage proposals",
            ]
        ]
        for point in result["curve"]:
            rows.append(
                [
                    "after",
                    point["decisions"],
                    point["name_f1_en"],
                    point["name_f1_ru"],
                    point["passage_macro_f1"],
                    point["passage_proposals"],
                ]
            )
        out.append(_table(rows))
        stopped = result.get("curve_stopped_at")
        actions = ", ".join(f"{k} {v}" for k, v in sorted(result["actions"].items()))
        out.append(
            f"  {result['decisions']} decisions on articles 01–03 ({actions})"
            + (f"; the curve stops at {stopped}: no more decisions" if stopped else "")
        )
    return "\n\n".join(out)


def quality_details(quality: dict[str, Any]) -> str:
    out = []
    for scenario_label, articles, result in _groups(quality):
        label = scenario_label if articles == "04–08" else f"{scenario_label} · {articles}"
        d = result["names"]["details"]
        out.append(
            f"[{label}] names proposed wrongly: "
            + "; ".join(
                f"{a[:2]} “{t}” {k}" + (f" ({why})" if why != "not a name" else "")
                for a, t, k, _n, why in d["wrong"]
            )
        )
        out.append(
            f"[{label}] new names missed: " + "; ".join(f"{a[:2]} {n}" for a, n in d["missed"])
        )
        out.append(
            f"[{label}] wrong kind: "
            + "; ".join(f"{a[:2]} “{t}” {got}≠{want}" for a, t, got, want in d["kind"])
        )
        if d["normal"]:
            out.append(
                f"[{label}] wrong normal: "
                + "; ".join(f"{a[:2]} “{t}” → {g} ≠ {w}" for a, t, g, w in d["normal"])
            )
        confusion = result["passages"]["confusion"]
        out.append(
            f"[{label}] passages proposed → labelled: "
            + "; ".join(f"{p} → {g} ×{n}" for p, g, n in confusion)
        )
        for article, key, wrong, draft in result["events"]["details"]:
            if wrong:
                out.append(
                    f"[{label}] event {article[:2]} {key}: wrong {sorted(wrong)}; draft {draft}"
                )
    return "\n".join(out)


# -- main ------------------------------------------------------------------------------------


def _load() -> str:
    try:
        one, five, _fifteen = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.assistant_bench")
    parser.add_argument("--quick", action="store_true", help="smaller speed rows")
    parser.add_argument("--quality-only", action="store_true", help="skip the speed rows")
    parser.add_argument("--details", action="store_true", help="list every error")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where the figures go")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"quick": args.quick, "load_before": _load()}
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as scratch:
        folder = Path(scratch)
        log("quality A (sample only)…")
        quality = {"A sample only": scenario(folder, learn=False)}
        log("quality B (after the decisions on 01–03)…")
        quality["B after 01–03"] = scenario(folder, learn=True, curve=CURVE_POINTS)
        results["quality"] = quality
        print(quality_tables(quality))
        print()
        print(quality_details(quality) if args.details else _headline_errors(quality))
        if not args.quality_only:
            rows: list[Row] = []
            speed: dict[str, Any] = {}
            log("one document…")
            found, speed["one_document"] = bench_one_document(folder, 5 if args.quick else 20)
            rows += found
            log("import…")
            found, speed["import"] = bench_import(folder, 100 if args.quick else 1000)
            rows += found
            log("retrain…")
            found, speed["retrain"] = bench_retrain(
                folder, 2000 if args.quick else 10_000, 3 if args.quick else 5
            )
            rows += found
            log("start-up…")
            found, speed["startup"] = bench_startup(2 if args.quick else 5)
            rows += found
            size_text, speed["install"] = install_size()
            speed["rows"] = [row.as_json(smoke=args.quick) for row in rows]
            results["speed"] = speed
            print()
            print(render_table(rows, smoke=args.quick))
            print(size_text)
    results["load_after"] = _load()
    print(f"\n{results['load_before']} before, {results['load_after']} after")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_without_nan(results), ensure_ascii=False, indent=1, default=str)
    args.json.write_text(text + "\n")
    print(f"figures: {args.json}")
    return 0


def _without_nan(value: Any) -> Any:
    """NaN (a row with no raw baseline) as null: strict JSON readers refuse NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _without_nan(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nan(item) for item in value]
    return value


def _headline_errors(quality: dict[str, Any]) -> str:
    """The first few errors of each kind on 04–08 (``--details`` lists them all, and those
    on the held-out 09–10)."""
    lines = quality_details(quality).splitlines()
    return "\n".join(
        line if len(line) < 400 else line[:397] + "…"
        for line in lines
        if not line.split("] ")[1].startswith("event ") and HELD_OUT_LABEL not in line
    )


if __name__ == "__main__":
    sys.exit(main())
