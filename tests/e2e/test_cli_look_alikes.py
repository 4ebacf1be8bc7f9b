"""``workstation search`` and ``workstation suggest`` see through disguise (issue 11, point 5):
a word with an invisible character inside is found by the plain word, and an entity whose
name mixes scripts is never suggested as a sure match."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers.cli import run
from workstation.importers.base import DocumentDraft
from workstation.services import open_session

TEXT = "Officials said Nav\u200balny was moved. Sergey Lavrov answered on Monday."
SPOOF_LAVROV = "Serg\u0435y Lavrov"  # a Cyrillic е among Latin letters


@pytest.fixture
def ws(tmp_path, capsys):
    path = tmp_path / "ws.sqlite"
    article = tmp_path / "disguised.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert run(capsys, "--workspace", path, "init")[0] == 0
    assert run(capsys, "--workspace", path, "import", article)[0] == 0
    return path


def test_search_finds_the_word_with_an_invisible_character_inside(capsys, ws):
    code, out, err = run(capsys, "--workspace", ws, "search", "Navalny", "--json")
    assert code == 0 and err == ""
    [hit] = json.loads(out)
    assert hit["kind"] == "document"
    assert TEXT[hit["start"] : hit["end"]] == "Nav\u200balny"  # code points of the stored text
    assert re.search(r"\[Nav.+alny\]", hit["snippet"])
    code, out, _ = run(capsys, "--workspace", ws, "search", "Navalny")
    assert code == 0 and out.startswith("[document] ")
    assert re.search(r"\[Nav.+alny\] was moved", out)


def test_suggest_ranks_the_look_alike_entity_below_the_real_name(capsys, ws):
    with open_session(ws, author="tester") as session:
        real = session.entities.create("Person", "Sergey Lavrov").record
        spoof = session.entities.create("Person", SPOOF_LAVROV).record
        navalny = session.entities.create("Person", "Navalny").record
        session.documents.add(
            DocumentDraft(title="Spoof", text=f"{SPOOF_LAVROV} spoke.", origin_name="s.txt")
        )
    code, out, err = run(capsys, "--workspace", ws, "suggest", "--json")
    assert code == 0 and err == ""
    scores = {(item["text"], item["entity_id"]): item["score"] for item in json.loads(out)}
    assert scores[("Sergey Lavrov", real.id)] == 1.0
    assert scores[("Sergey Lavrov", spoof.id)] <= 0.6
    assert scores[(SPOOF_LAVROV, spoof.id)] <= 0.6  # even written exactly as the registry has it
    assert scores[(SPOOF_LAVROV, real.id)] <= 0.6
    assert scores[("Nav\u200balny", navalny.id)] == 1.0
    items = json.loads(out)
    same_span = [i["entity_id"] for i in items if i["text"] == "Sergey Lavrov"]
    assert same_span == [real.id, spoof.id]  # the real name first
    reasons = {(i["text"], i["entity_id"]): i["reason"] for i in items}
    assert reasons[("Sergey Lavrov", real.id)] == ""
    assert "look-alike letters" in reasons[("Sergey Lavrov", spoof.id)]
    code, out, _ = run(capsys, "--workspace", ws, "suggest")
    assert "(look-alike letters" in out  # the text form says why, too
