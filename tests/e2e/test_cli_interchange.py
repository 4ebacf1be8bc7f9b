"""``workstation export`` and ``import-annotations`` as an officer runs them."""

from __future__ import annotations

import csv
import json

import pytest

from tests.helpers.cli import run
from workstation.interchange.w3c import validate_w3c
from workstation.services.resources import sample_dir


@pytest.mark.parametrize("fmt", ["w3c", "csv", "ftm", "brat"])
def test_export_each_format_of_the_sample(capsys, sample_path, tmp_path, fmt):
    out = tmp_path / ("brat" if fmt == "brat" else f"sample.{fmt}")
    code, printed, err = run(capsys, "--workspace", sample_path, "export", "--format", fmt,
                             "--out", out)  # fmt: skip
    assert code == 0 and not err and str(out) in printed
    if fmt == "w3c":
        lines = out.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 31
        assert all(validate_w3c(json.loads(line)) == [] for line in lines)
    elif fmt == "csv":
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
        assert rows[0][:3] == ["document_id", "document_title", "url"] and len(rows) == 32
    elif fmt == "ftm":
        schemas = {json.loads(line)["schema"] for line in out.read_text().splitlines()}
        assert {"Person", "Article", "Documentation", "Sanction"} <= schemas
    else:
        assert len(list(out.glob("*.txt"))) == 2 and len(list(out.glob("*.ann"))) == 2
    assert not list(tmp_path.glob("*.partial"))


def test_export_of_one_episode_only_holds_what_it_rests_on(capsys, sample_session, tmp_path):
    (episode,) = sample_session.episodes.list_episodes()
    cited = {e.annotation_id for ev in sample_session.episodes.events(episode.id)
             for e in sample_session.episodes.evidence_of(ev.id)}  # fmt: skip
    for judgment in sample_session.episodes.judgments(episode.id):
        cited.update(judgment.cited)
    out = tmp_path / "episode.jsonl"
    code, _, _ = run(capsys, "--workspace", sample_session.path, "export", "--format", "w3c",
                     "--out", out, "--episode", episode.title)  # fmt: skip
    assert code == 0
    exported = {json.loads(line)["id"].removeprefix("urn:uuid:")
                for line in out.read_text(encoding="utf-8").splitlines()}  # fmt: skip
    assert exported == cited and len(exported) < 31


def test_export_refuses_clearly_and_writes_nothing(capsys, sample_path, tmp_path):
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    code, _, err = run(capsys, "--workspace", sample_path, "export", "--format", "brat",
                       "--out", full)  # fmt: skip
    assert code == 1 and "empty folder" in err and err.count("\n") == 1
    code, _, err = run(capsys, "--workspace", sample_path, "export", "--format", "csv",
                       "--out", tmp_path / "nowhere" / "x.csv")  # fmt: skip
    assert code == 1 and "no such folder" in err
    code, _, err = run(capsys, "--workspace", sample_path, "export", "--format", "xml",
                       "--out", tmp_path / "x")  # fmt: skip
    assert code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "sample.sqlite"]


def test_import_annotations_round_trip_through_the_command_line(capsys, sample_path, tmp_path):
    w3c, ftm = tmp_path / "p.jsonl", tmp_path / "e.ftm.jsonl"
    run(capsys, "--workspace", sample_path, "export", "--format", "w3c", "--out", w3c)
    run(capsys, "--workspace", sample_path, "export", "--format", "ftm", "--out", ftm)
    other = tmp_path / "other.sqlite"
    run(capsys, "--workspace", other, "init")
    articles = sorted((sample_dir() / "articles").glob("*.txt"))
    run(capsys, "--workspace", other, "import", *articles)
    code, out, _err = run(capsys, "--workspace", other, "import-annotations", ftm)
    assert code == 0 and "22 entities added" in out
    code, out, _ = run(capsys, "--workspace", other, "import-annotations", w3c)
    assert code == 0 and "31 passages imported" in out and "0 kept as orphans" in out
    code, out, _ = run(capsys, "--workspace", other, "check")
    assert code == 0
