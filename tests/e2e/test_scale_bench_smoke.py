"""The scale benchmark must keep running at any size; its figures are never asserted."""

import json

from bench.scale_bench import main

ROWS = (
    "open workspace: first in this process",
    "open workspace, warm",
    "open workspace, page cache evicted",
    "open + first search page",
    "search first page, every budgeted kind",
    "search first page: rare name",
    "search first page: common word",
    "search first page: phrase",
    "search first page: prefix",
    "search first page: Cyrillic",
    "search first page: rank anyway, common word",
    "search first page: entity filter",
    "library first page",
    "library jump to row",
    "save one annotation",
    "check: full",
    "backup:",
    "memory: tracemalloc peak",
    "memory: peak RSS",
)


def _run(tmp_path, capsys) -> tuple[str, dict]:
    results = tmp_path / "scale.json"
    argv = ["--documents", "30", "--cache-dir", str(tmp_path / "cache"), "--json", str(results),
            "--runs", "2", "--rank-anyway-runs", "1", "--library-runs", "2", "--opens", "2",
            "--saves", "3"]  # fmt: skip
    assert main(argv) == 0
    return capsys.readouterr().out, json.loads(results.read_text("utf-8"))


def test_scale_benchmark_prints_every_row_and_reuses_its_workspace(tmp_path, capsys):
    out, report = _run(tmp_path, capsys)
    for label in ROWS:
        assert label in out, label
        assert any(row["work"].strip().startswith(label) for row in report["rows"]), label
    assert "raw baseline" in out
    assert report["sizes"]["documents"] == 30
    assert report["sizes"]["passages"] == 300
    assert report["sizes"]["annotated"] > 0 and report["sizes"]["mentions"] > 0
    # The bulk-built workspace is a valid one: the full check finds nothing.
    check_row = next(row for row in report["rows"] if row["work"].startswith("check"))
    assert check_row["problems"] == 0 and check_row["raw_result"] == "ok"
    assert report["reset_rows"] == 0

    # Cached: the second run builds nothing and first removes the rows the first one saved
    # (3 saves of ours with their change-log rows, 3 raw inserts).
    def cached() -> list[tuple[str, int]]:
        return sorted((p.name, p.stat().st_ino) for p in (tmp_path / "cache").iterdir())

    built = cached()
    _out, again = _run(tmp_path, capsys)
    assert cached() == built
    assert again["reset_rows"] == 9
    assert again["build_s"] == report["build_s"]
