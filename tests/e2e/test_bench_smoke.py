"""The benchmark must keep running; its figures are reported, never asserted here."""

import json

from bench.run import main


def test_quick_benchmark_runs_and_writes_every_row(tmp_path, capsys):
    results = tmp_path / "results.json"
    assert (
        main(
            [
                "--quick",
                "--passages",
                "600",
                "--articles",
                "10",
                "--out",
                str(tmp_path),
                "--json",
                str(results),
            ]
        )
        == 0
    )
    data = json.loads(results.read_text())
    works = [row["work"] for row in data["rows"]]
    assert any(w.startswith("import") for w in works)
    assert any(w.startswith("search") for w in works)
    assert any(w.startswith("save one annotation") for w in works)
    assert all(row["raw_s"] > 0 for row in data["rows"] if "raw_s" in row)
    assert "raw baseline" in capsys.readouterr().out


def test_reader_benchmark_runs(capsys):
    from bench.reader_bench import main as reader_main

    assert reader_main(["--quick"]) == 0
    assert "add one highlight" in capsys.readouterr().out


def test_startup_imports_no_heavy_module(capsys):
    """Start-up stays light: ReportLab, trafilatura, pypdf, python-docx and QtPdf load only
    when a brief, an import or a preview needs them (checked in a fresh process)."""
    from bench.startup_bench import main as startup_main

    assert startup_main(["--runs", "1"]) == 0
    assert "heavy modules imported at start-up: none" in capsys.readouterr().out


def test_interchange_benchmark_runs(tmp_path, capsys):
    from bench.interchange_bench import main as interchange_main

    results = tmp_path / "interchange.json"
    argv = ["--passages", "300", "--conflicts", "3", "--agreement-passages", "100"]
    assert interchange_main([*argv, "--json", str(results)]) == 0
    out = capsys.readouterr().out
    assert "export w3c" in out and "merge again: 0 records written" in out
    rows = {row["work"].split(" (")[0]: row for row in json.loads(results.read_text())["rows"]}
    works = [row["work"] for row in rows.values()]
    for fmt in ("w3c", "brat", "refi-qda"):  # every exported passage accounted for
        row = rows[f"import {fmt}"]
        assert row["placed"] + row["already"] == 300 and row["placed"] > 0, row
        assert row["orphans"] == 0 and row["refused"] == 0, row
    assert rows["import ftm"]["entities_added"] > 0
    assert any(w.startswith("export refi-qda (300 passages)") for w in works)
    assert any(w.startswith("import csv: not measured") for w in works)
    assert any(w.startswith("agreement: 100 passages each side, 10 changed") for w in works)


def test_anchor_benchmark_runs(capsys):
    from bench.anchor_bench import main as anchor_main

    assert anchor_main(["--chars", "20000", "--passages", "100"]) == 0
    out = capsys.readouterr().out
    assert "unchanged: 100 unchanged" in out and "every space doubled" in out
