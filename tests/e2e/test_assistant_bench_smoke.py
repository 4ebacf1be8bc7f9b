"""The assistant benchmark's quality part must keep running on the labelled set; its figures
are reported by the benchmark, never asserted here beyond being well-formed."""

import json

from bench.assistant_bench import main
from bench.assistant_data import CATEGORIES
from bench.assistant_quality import CURVE_POINTS, HELD_OUT_LABEL


def _fractions(scores: dict) -> list[float]:
    return [value for key, value in scores.items() if key in ("precision", "recall", "f1")]


def test_quality_part_writes_every_figure(tmp_path, capsys):
    results = tmp_path / "assistant.json"
    assert main(["--quality-only", "--json", str(results)]) == 0
    quality = json.loads(results.read_text())["quality"]
    assert set(quality) == {"A sample only", "B after 01–03"}
    # Each scenario is measured on 04–08 and, apart, on the held-out 09–10.
    measured = [group for r in quality.values() for group in (r, r["held_out"])]
    for result in measured:
        figures = []
        for language in ("en", "ru"):
            names = result["names"][language]
            assert names["labelled"] > 0
            figures += [*_fractions(names), names["kind_accuracy"]]
        passages = result["passages"]
        assert set(passages["categories"]) <= set(CATEGORIES)
        assert passages["labelled"] > 0
        figures += [passages["macro_f1"], passages["span_precision"]]
        for scores in passages["categories"].values():
            figures += _fractions(scores)
        events = result["events"]["fields"]
        assert events["drafted"]["of"] > 0
        figures += [field["accuracy"] for field in events.values()]
        assert all(0.0 <= figure <= 1.0 for figure in figures), figures
    learned = quality["B after 01–03"]
    assert learned["decisions"] > 0
    reached = [point["decisions"] for point in learned["curve"]]
    assert reached == [n for n in CURVE_POINTS if n <= learned["decisions"]]
    out = capsys.readouterr().out
    assert "learning curve" in out and "event drafts" in out
    assert HELD_OUT_LABEL in out
