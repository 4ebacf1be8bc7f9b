"""Merging another officer's workspace: identity (ids, texts, names, identical passages),
decisions from both change logs, conflicts and taking the other version, deletions,
look-alike entities, idempotence, one undo step. (Safety: ``test_merge_safety``.)

Two officers share a starting point: the sample workspace copied, so both hold the same
ids. Alice's copy is ours, Bob's is theirs; each edits separately, then Alice merges Bob's.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from workstation.domain.offsets import body_sha256
from workstation.domain.records import (
    RECORD_TYPES,
    Annotation,
    Brief,
    Entity,
    Judgment,
    Mention,
)
from workstation.importers import DocumentDraft
from workstation.services import create_session, open_session
from workstation.services.maintenance import check
from workstation.services.merge import merge_workspace, take_version
from workstation.services.merge_plan import MERGE_ORDER, remap
from workstation.services.outcome import ServiceError
from workstation.services.sample import load_sample
from workstation.storage import queries

TEXT = "Москва ответила 🇷🇺 на санкции. The EU froze assets 💶 of four officials on Monday."


@pytest.fixture
def ours(sample_path: Path) -> Path:
    return sample_path


@pytest.fixture
def theirs(sample_path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "bob.sqlite"
    shutil.copyfile(sample_path, copy)
    return copy


def officer(path: Path, name: str):
    return open_session(path, author=name)


def merge(ours: Path, theirs: Path):
    with officer(ours, "alice") as session:
        return merge_workspace(session, theirs)


def first_passage(path: Path) -> Annotation:
    # Read-only: callers may hold the same file open for writing (one writer at a time).
    with open_session(path, author="x", read_only=True) as session:
        return next(session.workspace.records.where(Annotation, order_by="seq"))


def passage(path: Path, passage_id: str) -> Annotation:
    with officer(path, "x") as session:
        return session.workspace.records.get(Annotation, passage_id, include_deleted=True)


def change_rows(path: Path) -> int:
    with officer(path, "x") as session:
        return queries.change_count(session.workspace)


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, for before/after comparisons."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        conn.close()


def test_every_record_type_is_merged_after_what_it_refers_to():
    assert set(MERGE_ORDER) == set(RECORD_TYPES)
    order = [cls.TABLE for cls in MERGE_ORDER]
    assert order.index("categories") < order.index("annotations") < order.index("mentions")
    assert order.index("events") < order.index("evidence") < order.index("judgments")


def test_references_are_translated_lists_and_brief_manifests_included():
    maps = {"events": {"their-event": "our-event"}, "annotations": {"a2": "a1"}}
    brief = Brief(
        episode_id="ep",
        built_at="2021-04-16T10:00:00Z",
        content_hash="c",
        pdf_hash="p",
        manifest={"event": {"their-event": ["d", "15 APR — x"]}, "source": {"doc": ["d", "t"]}},
    )
    assert remap(brief, maps).manifest == {
        "event": {"our-event": ["d", "15 APR — x"]},
        "source": {"doc": ["d", "t"]},
    }
    judgment = Judgment(episode_id="ep", text="t", likelihood="likely", confidence="low")
    judgment.cited = ["a2", "a3"]
    assert remap(judgment, maps).cited == ["a1", "a3"] and judgment.cited == ["a2", "a3"]
    assert remap(judgment, {}) is judgment


def test_merging_an_identical_copy_writes_nothing(ours, theirs):
    before = change_rows(ours)
    report = merge(ours, theirs)
    assert report.written == 0 and not report.conflicts and not report.proposals
    assert report.counts["annotations"].unchanged == 31
    assert change_rows(ours) == before and not report.changes


def test_new_passages_from_both_sides_with_their_authors_and_times(ours, theirs):
    with officer(ours, "alice") as s:
        doc = s.documents.list_documents()[0].id
        mine = s.annotations.create(doc, 0, 12, note="alice's").record
    with officer(theirs, "bob") as s:
        bobs = s.annotations.create(doc, 20, 40, note="bob's").record
        s.entities.link(bobs.id, s.entities.list_entities()[0].id, "actor")
    report = merge(ours, theirs)
    assert report.counts["annotations"].added == 1 and report.counts["mentions"].added == 1
    arrived = passage(ours, bobs.id)
    assert (arrived.author, arrived.created_at, arrived.updated_at, arrived.note) == (
        "bob",
        bobs.created_at,
        bobs.updated_at,
        "bob's",
    )
    assert passage(ours, mine.id).note == "alice's"
    with officer(ours, "x") as s:
        assert check(s) == []


def test_the_same_passage_made_on_both_sides_is_recognised_as_one(ours, theirs):
    with officer(ours, "alice") as s:
        doc = s.documents.list_documents()[0].id
        sanction = s.codebook.by_name("Sanction").id
        mine = s.annotations.create(doc, 50, 70, category_id=sanction).record
    with officer(theirs, "bob") as s:
        bobs = s.annotations.create(doc, 50, 70, category_id=sanction).record
        s.annotations.edit(bobs.id, note="key line")
        entity = s.entities.list_entities()[0]
        s.entities.link(bobs.id, entity.id, "subject")
    report = merge(ours, theirs)
    # Bob then added a note; Alice's version is one Bob's log holds, so his is taken.
    assert report.counts["annotations"].updated == 1
    assert report.counts["annotations"].added == 0 and not report.conflicts
    with officer(ours, "x") as s:
        at_span = [a for a in s.annotations.for_document(doc) if (a.start, a.end) == (50, 70)]
        assert [a.id for a in at_span] == [mine.id]
        assert at_span[0].note == "key line"
        assert [(m.entity_id, m.role) for m in s.entities.mentions_of(mine.id)] == [
            (entity.id, "subject")
        ]
    assert passage(ours, bobs.id) is None


def test_an_edit_on_one_side_only_is_taken_without_conflict(ours, theirs):
    shared = first_passage(ours)
    with officer(theirs, "bob") as s:
        bobs = s.annotations.edit(shared.id, note="bob's reading").record
        doc = s.documents.list_documents()[0]
        s.documents.edit(doc.id, title="Retitled by Bob")
    report = merge(ours, theirs)
    assert not report.conflicts
    assert report.counts["annotations"].updated == 1 and report.counts["documents"].updated == 1
    arrived = passage(ours, shared.id)
    assert arrived.note == "bob's reading" and arrived.updated_at == bobs.updated_at
    assert arrived.author == shared.author == "tester"  # a record's author is who made it
    with officer(ours, "x") as s:
        merged_doc = s.documents.get(doc.id)
        assert merged_doc.title == "Retitled by Bob"
        assert body_sha256(merged_doc.body) == merged_doc.sha256  # the body is never touched


def test_our_edit_alone_is_kept_without_conflict(ours, theirs):
    shared = first_passage(ours)
    with officer(ours, "alice") as s:
        s.annotations.edit(shared.id, note="alice's reading")
    report = merge(ours, theirs)
    assert not report.conflicts and report.counts["annotations"].kept == 1
    assert passage(ours, shared.id).note == "alice's reading"


def test_both_edit_the_same_note_newer_wins_and_the_other_can_be_taken(ours, theirs):
    shared = first_passage(ours)
    with officer(ours, "alice") as s:
        s.annotations.edit(shared.id, note="alice first")
    with officer(theirs, "bob") as s:
        s.annotations.edit(shared.id, note="bob later")
    report = merge(ours, theirs)
    [conflict] = report.conflicts
    assert (conflict.table, conflict.record_id, conflict.fields) == (
        "annotations",
        shared.id,
        ("note",),
    )
    assert conflict.winner == "theirs"
    assert conflict.label[:40] == " ".join(shared.exact.split())[:40]
    assert (conflict.ours, conflict.theirs) == ({"note": "alice first"}, {"note": "bob later"})
    assert (conflict.our_author, conflict.their_author) == ("alice", "bob")
    assert passage(ours, shared.id).note == "bob later"
    with officer(ours, "alice") as s:
        undo = take_version(s, conflict, "ours")
        assert len(undo) == 1 and s.annotations.get(shared.id).note == "alice first"
        assert s.annotations.get(shared.id).updated_at == conflict.our_updated_at
    before = change_rows(ours)
    again = merge(ours, theirs)  # bob's version is in our history now: no new conflict
    assert not again.conflicts and again.written == 0 and change_rows(ours) == before
    with officer(ours, "alice") as s:
        take_version(s, conflict, "theirs")
        assert s.annotations.get(shared.id).note == "bob later"
        s.annotations.edit(shared.id, note="a third opinion")
        with pytest.raises(ServiceError, match="changed since the merge"):
            take_version(s, conflict, "ours")
        with pytest.raises(ServiceError, match="side must be"):
            take_version(s, conflict, "mine")


def test_a_conflict_ours_won_is_not_raised_again(ours, theirs):
    shared = first_passage(ours)
    with officer(theirs, "bob") as s:
        s.annotations.edit(shared.id, note="bob first")
    with officer(ours, "alice") as s:
        s.annotations.edit(shared.id, note="alice later")
    [conflict] = merge(ours, theirs).conflicts
    assert conflict.winner == "ours" and passage(ours, shared.id).note == "alice later"
    before = change_rows(ours)
    again = merge(ours, theirs)
    assert not again.conflicts and again.counts["annotations"].kept == 1
    assert change_rows(ours) == before


def test_a_deletion_on_one_side_is_respected(ours, theirs):
    shared = first_passage(ours)
    with officer(theirs, "bob") as s:
        s.annotations.delete(shared.id)
    report = merge(ours, theirs)
    assert not report.conflicts
    assert passage(ours, shared.id).deleted_at is not None
    with officer(theirs, "x") as s:
        bobs_problems = sorted(map(str, check(s)))  # e.g. a judgment citing the passage
    with officer(ours, "x") as s:
        assert s.entities.mentions_of(shared.id) == []  # bob's delete took the links too
        assert sorted(map(str, check(s))) == bobs_problems


def test_a_passage_created_and_deleted_there_arrives_deleted(ours, theirs):
    with officer(theirs, "bob") as s:
        doc = s.documents.list_documents()[0].id
        gone = s.annotations.create(doc, 3, 9).record
        s.annotations.delete(gone.id)
    report = merge(ours, theirs)
    assert report.counts["annotations"].added == 1
    assert passage(ours, gone.id).deleted_at is not None
    assert gone.id not in report.changes.ids_of(Annotation)  # nothing to undo there
    assert merge(ours, theirs).written == 0


def test_deletion_against_an_edit_is_a_conflict(ours, theirs):
    shared = first_passage(ours)
    with officer(ours, "alice") as s:
        s.annotations.delete(shared.id)
    with officer(theirs, "bob") as s:
        s.annotations.edit(shared.id, note="still matters")
    [conflict] = merge(ours, theirs).conflicts
    assert conflict.deletion and set(conflict.fields) == {"note", "deleted_at"}
    assert conflict.winner == "theirs"
    restored = passage(ours, shared.id)
    assert restored.deleted_at is None and restored.note == "still matters"


def test_look_alike_entities_are_proposed_not_merged(ours, theirs):
    with officer(ours, "alice") as s:
        lavrov = s.entities.create("Person", "Sergey Lavrov", aliases=["Sergei  LAVROV"]).record
    with officer(theirs, "bob") as s:
        other = s.entities.create("Person", "Sergei Lavrov").record
    [proposal] = merge(ours, theirs).proposals
    assert (proposal.ours_id, proposal.theirs_id) == (lavrov.id, other.id)
    assert (proposal.ours_name, proposal.theirs_name) == ("Sergey Lavrov", "Sergei Lavrov")
    with officer(ours, "x") as s:
        assert s.entities.find(lavrov.id) and s.entities.find(other.id)
    assert merge(ours, theirs).proposals == []


def fresh_workspace(path: Path, officer_name: str, spans: list[tuple[int, int, str]]):
    """A workspace made from scratch (its own codebook ids) with TEXT and passages."""
    with create_session(path, author=officer_name) as s:
        doc = s.documents.add(DocumentDraft(title="EU", text=TEXT, origin_name="eu.txt")).record
        made = [
            s.annotations.create(doc.id, a, b, category_id=s.codebook.by_name(c).id).record
            for a, b, c in spans
        ]
        return doc, made


def test_independent_workspaces_match_categories_by_name_and_texts_by_hash(tmp_path):
    emoji = TEXT.index("🇷🇺")
    ours_doc, [mine] = fresh_workspace(tmp_path / "a.sqlite", "alice", [(0, 6, "Sanction")])
    _, [same, new] = fresh_workspace(
        tmp_path / "b.sqlite", "bob", [(0, 6, "Sanction"), (emoji, emoji + 2, "Statement")]
    )
    report = merge(tmp_path / "a.sqlite", tmp_path / "b.sqlite")
    assert report.counts["categories"].recognised == 8
    assert report.counts["documents"].recognised == 1
    assert report.counts["annotations"].recognised == 1
    assert report.counts["annotations"].added == 1
    with officer(tmp_path / "a.sqlite", "x") as s:
        assert len(s.codebook.list_categories()) == 8
        arrived = s.annotations.get(new.id)
        assert arrived.document_id == ours_doc.id and arrived.exact == "🇷🇺"
        assert arrived.category_id == s.codebook.by_name("Statement").id
        assert s.annotations.find(same.id) is None and s.annotations.get(mine.id).exact == "Москва"
        assert check(s) == []


def test_references_follow_recognised_records(ours, tmp_path):
    with create_session(tmp_path / "apart.sqlite", author="bob") as s:
        load_sample(s)  # the same episode loaded apart: every id differs from ours
    merge(ours, tmp_path / "apart.sqlite")
    with officer(ours, "x") as s:
        records = s.workspace.records
        live = {a.id for a in records.where(Annotation)}
        for judgment in records.where(Judgment):
            assert set(judgment.cited) <= live
        assert check(s) == []
        assert len(list(records.where(Mention))) == 120  # each side's links to its entities
        assert len(list(records.where(Entity))) == 44


def test_merging_twice_changes_nothing(ours, theirs):
    shared = first_passage(ours)
    with officer(ours, "alice") as s:
        s.annotations.edit(shared.id, note="alice")
        s.entities.create("Person", "Kaja Kallas")
    with officer(theirs, "bob") as s:
        s.annotations.edit(shared.id, note="bob")
        s.entities.create("Person", "kaja  kallas")
        s.annotations.create(s.documents.list_documents()[1].id, 5, 25, note="новое 🙂")
    first = merge(ours, theirs)
    assert first.written and first.conflicts and first.proposals
    before_rows, before = change_rows(ours), dump(ours)
    second = merge(ours, theirs)
    assert second.written == 0 and not second.conflicts and not second.proposals
    assert change_rows(ours) == before_rows and dump(ours) == before


def test_the_merge_is_one_undo_step(ours, theirs):
    shared = first_passage(ours)
    with officer(theirs, "bob") as s:
        s.annotations.edit(shared.id, note="bob's")
        new = s.annotations.create(s.documents.list_documents()[0].id, 1, 8).record
    steps = []
    with officer(ours, "alice") as s:
        report = merge_workspace(s, theirs, progress=lambda *step: steps.append(step))
        total = 2 * len(MERGE_ORDER)  # compared, then written, per record table
        assert steps[0] == ("comparing categories", 0, total)
        assert steps[-1][1:] == (total - 1, total)
        s.revert(report.changes)
        assert s.annotations.get(shared.id).note == shared.note
        assert s.annotations.find(new.id) is None
