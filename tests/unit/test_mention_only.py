"""Mention-only spans (issue 15, m012): an accepted suggestion outside any passage links the
entity there but is not a passage. Not counted (library, entities, search), never quoted in a
brief, exported honestly (W3C "identifying", brat "Mention", CSV ``mention_only``) and read
back as a mention; merged like any other field; made a passage by giving it a category."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from briefs.compose import compose_brief
from briefs.model import BriefOptions
from workstation.domain.records import Annotation
from workstation.domain.search import SearchFilters
from workstation.interchange.w3c import validate_w3c
from workstation.services import open_session
from workstation.services.annotation_import import import_annotations
from workstation.services.exporting import export
from workstation.services.merge import merge_workspace
from workstation.services.outcome import ServiceError
from workstation.storage import search as search_sql


def first_document(session) -> str:
    return session.documents.list_documents()[0].id


def add_mention(session, doc: str, word: str, entity_name: str = "Zorgon Ministry") -> Annotation:
    """A mention-only span on the first ``word`` of ``doc``, linked to a new entity."""
    body = session.documents.get(doc).body
    start = body.index(word)
    entity = session.entities.create("Organization", entity_name).record
    span = session.annotations.create(doc, start, start + len(word), mention_only=True).record
    session.entities.link(span.id, entity.id)
    return span


def passages_of(session, doc: str) -> int:
    return next(r.passages for r in session.documents.list_documents() if r.id == doc)


@pytest.fixture
def mentioned(sample_session):
    doc = first_document(sample_session)
    before = passages_of(sample_session, doc)
    body = sample_session.documents.get(doc).body
    word = next(w for w in body.split() if w.isalpha() and len(w) > 5)
    span = add_mention(sample_session, doc, word)
    return sample_session, doc, span, before


# -- counts -------------------------------------------------------------------------------


def test_counts_leave_mentions_out(mentioned):
    session, doc, span, before = mentioned
    assert passages_of(session, doc) == before
    entity_id = session.entities.mentions_of(span.id)[0].entity_id
    assert session.registry.mention_counts([entity_id]).get(entity_id, 0) == 0
    found = session.registry.passages_mentioning(entity_id)
    assert [(p.annotation_id, p.mention_only) for p in found] == [(span.id, True)]


def test_a_mention_is_no_passage_hit_in_search(mentioned):
    session, _doc, span, _before = mentioned
    session.annotations.edit(span.id, note="zorgonian remark")
    assert not [h for h in session.search.hits("zorgonian") if h.kind == "passage"]
    category_id = session.codebook.list_categories()[0].id
    filters = SearchFilters(category_id=category_id)
    assert search_sql._passage_keys(session.workspace, "zorgonian", filters, 20, 0, "rank") == []
    session.annotations.make_passage(span.id)
    assert [h.record_id for h in session.search.hits("zorgonian") if h.kind == "passage"] == [
        span.id
    ]


def test_giving_a_category_makes_it_a_passage(mentioned):
    session, doc, span, before = mentioned
    category = session.codebook.list_categories()[0]
    session.annotations.edit(span.id, category_id=category.id)
    made = session.annotations.get(span.id)
    assert (made.mention_only, made.category_id) == (False, category.id)
    assert passages_of(session, doc) == before + 1
    with pytest.raises(ServiceError, match="passage already"):
        session.annotations.make_passage(span.id)


def test_make_passage_keeps_the_links(mentioned):
    session, doc, span, before = mentioned
    session.annotations.make_passage(span.id)
    assert not session.annotations.get(span.id).mention_only
    assert len(session.entities.mentions_of(span.id)) == 1
    assert passages_of(session, doc) == before + 1


# -- the brief ----------------------------------------------------------------------------


def test_a_mention_is_no_evidence_and_never_quoted(mentioned):
    session, _doc, span, _before = mentioned
    episode = session.episodes.list_episodes()[0]
    with pytest.raises(ServiceError, match="mention, not a passage"):
        session.episodes.add_event(episode.id, date="2021-04-16", title="x", evidence=[span.id])
    # Cited while it was a passage, then stored as a mention (an import, a merge): the brief
    # still never quotes it.
    session.annotations.make_passage(span.id)
    session.episodes.add_event(episode.id, date="2021-04-16", title="Zorgon", evidence=[span.id])
    with session.workspace.transaction():
        session.workspace.records.update(session.annotations.get(span.id), mention_only=True)
    brief = compose_brief(session, episode.id, BriefOptions(format="full"))
    assert span.id not in {e.annotation_id for e in brief.excerpts}
    assert any("mention (not a passage)" in line for line in brief.withheld)


# -- exports and the round trip -------------------------------------------------------------


def test_w3c_export_says_identifying_and_reads_back_as_a_mention(sample_path, tmp_path):
    other = tmp_path / "other.sqlite"
    shutil.copyfile(sample_path, other)  # the same articles, without the mention
    out = tmp_path / "all.jsonl"
    with open_session(sample_path, author="alice") as session:
        doc = first_document(session)
        span = add_mention(session, doc, session.documents.get(doc).body.split()[0])
        summary = export(session, "w3c", out)
    assert "and 1 mention-only span " in summary.describe()
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ours = next(i for i in items if i["id"] == f"urn:uuid:{span.id}")
    assert ours["motivation"] == "identifying" and validate_w3c(ours) == []
    assert all(validate_w3c(i) == [] for i in items)
    # issue 17: every passage says its motivation too, never "identifying"
    assert all(i["motivation"] != "identifying" for i in items if i is not ours)
    assert {b["purpose"] for b in ours["body"]} == {"identifying"}
    with open_session(other, author="bob") as session:
        before = passages_of(session, doc)
        report = import_annotations(session, out)
        assert "and 1 mention-only span," in report.summary()
        arrived = session.annotations.get(span.id)
        assert arrived.mention_only and arrived.category_id is None
        assert passages_of(session, doc) == before
        assert session.entities.mentions_of(span.id)


def test_brat_writes_a_mention_type_and_csv_a_column(mentioned, tmp_path):
    session, _doc, span, _before = mentioned
    export(session, "brat", tmp_path / "brat")
    anns = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "brat").glob("*.ann"))
    mention_lines = [line for line in anns.splitlines() if line.startswith("T")]
    assert any(line.split("\t")[1].startswith("Mention ") for line in mention_lines)
    assert "\nMention\n" in (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8")
    export(session, "csv", tmp_path / "all.csv")
    with open(tmp_path / "all.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    flagged = [r for r in rows if r["mention_only"] == "yes"]
    assert [(r["quote"], r["category"]) for r in flagged] == [(span.exact, "")]
    assert {r["mention_only"] for r in rows} == {"yes", "no"}


# -- merge --------------------------------------------------------------------------------


def test_a_mention_merges_as_a_mention(sample_path: Path, tmp_path: Path):
    theirs = tmp_path / "bob.sqlite"
    shutil.copyfile(sample_path, theirs)
    with open_session(theirs, author="bob") as bob:
        doc = first_document(bob)
        span = add_mention(bob, doc, bob.documents.get(doc).body.split()[0])
    with open_session(sample_path, author="alice") as alice:
        before = passages_of(alice, doc)
        report = merge_workspace(alice, theirs)
        assert report.counts["annotations"].added == 1
        arrived = alice.annotations.get(span.id)
        assert arrived.mention_only and passages_of(alice, doc) == before
