"""``workstation suggest --kinds`` and ``workstation assistant``: the JSON contract other
tools read (README, "Suggestions as JSON"), text lines, usage errors."""

from __future__ import annotations

import json

import pytest

from bench.assistant_data import load_articles
from tests.helpers.cli import run

COMMON = {"kind", "document_id", "start", "end", "text", "score", "reason"}


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    """The sample, the first three labelled articles with their passages marked, and the
    fourth (English) and first (Russian) articles as they arrived."""
    from workstation.importers.base import DocumentDraft
    from workstation.services import create_session
    from workstation.services.sample import load_sample

    path = tmp_path_factory.mktemp("assistant") / "ws.sqlite"
    articles = load_articles()
    with create_session(path, author="tester") as session:
        load_sample(session)
        for number, article in enumerate(articles[:5]):
            document = session.documents.add(
                DocumentDraft(
                    title=article.title, text=article.body, origin_name=f"{article.id}.txt",
                    published=article.published, language=article.language,
                )
            ).record  # fmt: skip
            if number in (1, 2):  # two English articles worked: passages marked
                for quote in article.passages:
                    category = session.codebook.by_name(quote.category)
                    session.annotations.create(
                        document.id, quote.start, quote.end, category_id=category.id
                    )
    return path


def _bodies(path):
    from workstation.services import open_session

    with open_session(path, read_only=True) as session:
        return {d.id: session.documents.get(d.id).body for d in session.documents.list_documents()}


def test_every_kind_in_json_keeps_the_contract(capsys, ws):
    code, out, err = run(
        capsys, "--workspace", ws, "suggest", "--kinds", "mentions,names,passages,events", "--json"
    )
    assert code == 0, err
    items = json.loads(out)
    bodies = _bodies(ws)
    kinds = {i["kind"] for i in items}
    assert kinds == {"mention", "name", "passage", "event"}
    for item in items:
        assert set(item) >= COMMON, item
        assert bodies[item["document_id"]][item["start"] : item["end"]] == item["text"]
        assert 0 <= item["score"] <= 1 and isinstance(item["reason"], str)
    names = [i for i in items if i["kind"] == "name"]
    assert all(i["entity_kind"] in {"Person", "Organization", "PublicBody", "Country",
                                    "Company"} for i in names)  # fmt: skip
    russian = [i for i in names if any("а" <= ch <= "я" for ch in i["text"].lower())]
    assert russian and all(i["counterpart"] for i in russian if i["entity_kind"] == "Person")
    assert all(i["category"] for i in items if i["kind"] == "passage")
    for event in (i["event"] for i in items if i["kind"] == "event"):
        assert {"kind", "date", "precision", "actor", "target", "responds_to", "evidence"} <= set(
            event
        )
        assert event["precision"] in {"day", "month", "year"}
        assert event["evidence"] and {"document_id", "start", "end"} <= set(event["evidence"][0])


def test_mentions_stay_the_default_and_kinds_filter(capsys, ws):
    _, out, _ = run(capsys, "--workspace", ws, "suggest", "--json")
    assert {i["kind"] for i in json.loads(out)} == {"mention"}
    _, out, _ = run(capsys, "--workspace", ws, "suggest", "--kinds", "names", "--json")
    assert {i["kind"] for i in json.loads(out)} == {"name"}


def test_text_lines_name_the_kind(capsys, ws):
    code, out, _ = run(capsys, "--workspace", ws, "suggest", "--kinds", "names,events")
    assert code == 0
    lines = out.splitlines()
    assert lines and all(line.split()[0] in {"name", "event"} for line in lines)
    assert any("→ new Person" in line for line in lines)


def test_one_document(capsys, ws):
    _, out, _ = run(capsys, "--workspace", ws, "suggest", "--kinds", "names", "--json")
    first = json.loads(out)[0]["document_id"]
    code, out, _ = run(
        capsys, "--workspace", ws, "suggest", "--kinds", "names", "--document", first, "--json"
    )
    assert code == 0 and {i["document_id"] for i in json.loads(out)} == {first}


def test_an_unknown_kind_is_a_usage_error(capsys, ws):
    code, out, err = run(capsys, "--workspace", ws, "suggest", "--kinds", "people")
    assert code == 2 and out == ""
    assert "unknown suggestion kind 'people'" in err and len(err.strip().splitlines()) == 1


def test_status_says_what_it_learnt_and_how_well(capsys, ws):
    code, out, err = run(capsys, "--workspace", ws, "assistant", "status")
    assert code == 0, err
    assert "passages per category:" in out and "Statement:" in out
    assert "too few: not proposed yet" in out  # Arms control has fewer than 5
    assert "passages model: trained" in out
    code, out, _ = run(capsys, "--workspace", ws, "assistant", "status", "--json")
    status = json.loads(out)
    assert status["min_examples"] == 5 and status["passages_per_category"]["Statement"] >= 5
    assert "passages" in status["quality"]


def test_rebuild_records_the_training(capsys, ws):
    code, out, _ = run(capsys, "--workspace", ws, "assistant", "rebuild", "--json")
    assert code == 0
    _, out, _ = run(capsys, "--workspace", ws, "assistant", "status", "--json")
    assert "last_rebuild" in json.loads(out)["trained"]["passages"]
