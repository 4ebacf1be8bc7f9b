"""``workstation suggest``: one line per suggestion, ``--json`` for programs, one-line
errors."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers.cli import run


@pytest.fixture
def ws(tmp_path, capsys):
    path = tmp_path / "ws.sqlite"
    assert run(capsys, "--workspace", path, "init", "--sample")[0] == 0
    return path


LINE = re.compile(r"^(\S{36}) (\d+)-(\d+) (\d\.\d\d) “(.+)” → (.+) \[(\S{36})\]$")


def test_text_lists_one_line_per_suggestion(capsys, ws):
    code, out, err = run(capsys, "--workspace", ws, "suggest")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) > 20
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    assert any(m.group(5) == "Dmitry Peskov" and m.group(6) == "Dmitry Peskov" for m in parsed)
    assert len({m.group(1) for m in parsed}) == 2  # both sample documents


def test_json_has_every_field_and_matches_the_text_mode(capsys, ws):
    _, text, _ = run(capsys, "--workspace", ws, "suggest")
    code, out, _ = run(capsys, "--workspace", ws, "suggest", "--json")
    assert code == 0
    items = json.loads(out)
    assert len(items) == len(text.splitlines())
    assert set(items[0]) == {
        "kind", "document_id", "start", "end", "text", "entity_id", "entity_name", "score",
        "reason",
    }  # fmt: skip
    assert {i["kind"] for i in items} == {"mention"}
    zakharova = next(i for i in items if i["entity_name"] == "Maria Zakharova")
    assert zakharova["text"] == "Maria Zakharova" and zakharova["score"] == 1.0
    assert zakharova["end"] - zakharova["start"] == len("Maria Zakharova")


def test_document_filter(capsys, ws):
    _, out, _ = run(capsys, "--workspace", ws, "suggest", "--json")
    items = json.loads(out)
    first = items[0]["document_id"]
    code, out, _ = run(capsys, "--workspace", ws, "suggest", "--document", first, "--json")
    assert code == 0
    assert json.loads(out) == [i for i in items if i["document_id"] == first]


def test_unknown_document_is_one_line_and_exit_1(capsys, ws):
    code, out, err = run(capsys, "--workspace", ws, "suggest", "--document", "nope")
    assert code == 1 and out == ""
    assert err == "workstation suggest: no document with id nope\n"


def test_empty_workspace_says_so(capsys, tmp_path):
    path = tmp_path / "empty.sqlite"
    run(capsys, "--workspace", path, "init")
    code, out, _ = run(capsys, "--workspace", path, "suggest")
    assert (code, out) == (0, "no suggestions\n")
    code, out, _ = run(capsys, "--workspace", path, "suggest", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_missing_workspace_fails_cleanly(capsys, tmp_path):
    code, _, err = run(capsys, "--workspace", tmp_path / "none.sqlite", "suggest")
    assert code == 1 and err.count("\n") == 1
