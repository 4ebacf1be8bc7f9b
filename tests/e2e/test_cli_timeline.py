"""``workstation timeline``: the sample episode's events in date order, with the chains."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from tests.helpers.cli import run

EPISODE = "US–Russia sanctions and reciprocal measures, spring 2021"
DATE_LABEL = re.compile(r"^(\d{2} [A-Z]{3} \d{4}|[A-Z]{3} \d{4}|\d{4})\s")


@pytest.fixture
def ws(sample_path):
    return sample_path


def event_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if DATE_LABEL.match(line)]


def test_text_lists_eleven_events_in_date_order_with_chains(capsys, ws):
    code, out, err = run(capsys, "--workspace", ws, "timeline")
    assert code == 0 and err == ""
    assert out.splitlines()[0] == f"{EPISODE} — 11 events"
    lines = event_lines(out)
    assert len(lines) == 11
    assert lines[0].startswith("DEC 2020     diplomatic step  US announces closure")
    assert lines[-1].startswith("16 APR 2021  countermeasure ")
    order = next(line for line in lines if "US executive order" in line)
    assert "  ↳ US executive order" in order
    kremlin = next(line for line in lines if "Kremlin calls" in line)
    assert kremlin.index("↳") > order.index("↳")  # an answer to an answer: deeper
    assert "United States → Russia · id " in out
    assert "answers " in out and "evidence " in out


def test_json_gives_every_field_in_date_order(capsys, ws):
    code, out, _ = run(capsys, "--workspace", ws, "timeline", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["episode"]["title"] == EPISODE
    events = document["events"]
    assert len(events) == 11
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    for event in events:
        assert {
            "id",
            "date",
            "precision",
            "kind",
            "title",
            "actor",
            "actor_id",
            "target",
            "target_id",
            "responds_to",
            "evidence",
            "depth",
        } <= set(event)
        assert event["evidence"], event["title"]
    ids = {e["id"] for e in events}
    answers = [e for e in events if e["responds_to"]]
    assert len(answers) == 5 and all(e["responds_to"] in ids for e in answers)
    consulates = events[0]
    assert (consulates["date"], consulates["precision"]) == ("2020-12-01", "month")
    expulsion = next(e for e in events if e["title"] == "US expels ten Russian diplomats")
    assert (expulsion["actor"], expulsion["target"], expulsion["kind"]) == (
        "United States",
        "Russia",
        "expulsion",
    )
    answering = {e["title"] for e in events if e["responds_to"] == expulsion["id"]}
    assert answering == {
        "Russian Foreign Ministry summons the US ambassador",
        "Moscow expels ten US diplomats in return",
    }
    raw = sqlite3.connect(ws)
    try:
        for event in events:
            stored = {
                row[0]
                for row in raw.execute(
                    "SELECT annotation_id FROM evidence WHERE event_id = ? AND deleted_at IS NULL",
                    (event["id"],),
                )
            }
            assert set(event["evidence"]) == stored
    finally:
        raw.close()


def test_episode_by_title_and_filters(capsys, ws):
    code, out, _ = run(capsys, "--workspace", ws, "timeline", "--episode", EPISODE.lower())
    assert code == 0 and len(event_lines(out)) == 11
    code, out, _ = run(capsys, "--workspace", ws, "timeline", "--kind", "sanction", "--json")
    assert code == 0 and {e["kind"] for e in json.loads(out)["events"]} == {"sanction"}
    code, out, _ = run(capsys, "--workspace", ws, "timeline", "--actor", "Кремль")
    assert code == 0
    assert out.splitlines()[0] == f"{EPISODE} — 1 matching event"


@pytest.mark.parametrize(
    ("args", "message", "exit_code"),
    [
        (["--episode", "Nothing like it"], "no episode titled", 1),
        (["--actor", "Nobody"], "no entity named", 1),
        (["--kind", "bombing"], "--kind must be one of", 2),
    ],
)
def test_errors_are_one_line(capsys, ws, args, message, exit_code):
    code, out, err = run(capsys, "--workspace", ws, "timeline", *args)
    assert code == exit_code and out == ""
    assert err.count("\n") == 1 and message in err and err.startswith("workstation timeline: ")


def test_several_episodes_need_one_named_and_missing_workspace_is_one_line(capsys, ws, tmp_path):
    from workstation.services import open_session

    with open_session(ws) as session:
        session.episodes.create("Consulate closures")
    code, _, err = run(capsys, "--workspace", ws, "timeline")
    assert code == 1 and err.count("\n") == 1 and "several episodes" in err
    code, out, _ = run(capsys, "--workspace", ws, "timeline", "--episode", "Consulate closures")
    assert code == 0 and out == "Consulate closures — no events\n"
    code, _, err = run(capsys, "--workspace", tmp_path / "absent.sqlite", "timeline")
    assert code == 1 and err.count("\n") == 1
