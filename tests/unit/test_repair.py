"""`check` finds what is wrong and `repair` fixes what has one safe fix: after a backup, in
one transaction, every row changed listed and in the change log, nothing deleted.

Each test breaks a real workspace file behind the services' back with raw sqlite3 (dropped
index rows, shifted offsets, a wrong hash, a tombstoned parent, flipped bytes), then opens it
as the app does.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workstation.domain.records import Annotation, Event, Evidence, Mention
from workstation.importers.base import DocumentDraft
from workstation.services import open_session
from workstation.services.backups import list_backups, take_backup
from workstation.services.maintenance import (
    check,
    inspect,
    inspect_path,
    repair,
    repairable,
    restore_advice,
    with_fts,
)
from workstation.storage import WorkspaceReadOnly
from workstation.storage.integrity import FTS_NOT_CHECKED

DELETED = "2021-04-20T00:00:00Z"


def tamper(path: Path, *statements: str, params=()) -> None:
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            raw.execute(statement, params)
    finally:
        raw.close()


def one(path: Path, sql: str, params=()):
    raw = sqlite3.connect(path)
    try:
        return raw.execute(sql, params).fetchone()
    finally:
        raw.close()


def change_log_rows(path: Path) -> int:
    return one(path, "SELECT count(*) FROM changes")[0]


def kinds(problems) -> list[tuple[str, str, str]]:
    return [(p.check, p.table, p.record_id) for p in problems]


def drop_index_rows_of_first_document(path: Path) -> str:
    seq, doc_id, title, body = one(path, "SELECT seq, id, title, body FROM documents LIMIT 1")
    tamper(
        path,
        "INSERT INTO documents_fts(documents_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        params=(seq, title, body),
    )
    return doc_id


def annotation(path: Path, seq: int) -> dict:
    raw = sqlite3.connect(path)
    raw.row_factory = sqlite3.Row
    try:
        return dict(raw.execute("SELECT * FROM annotations WHERE seq = ?", [seq]).fetchone())
    finally:
        raw.close()


# -- nothing wrong ------------------------------------------------------------------------------


def test_a_sound_workspace_needs_no_repair_and_gets_no_backup(sample_path):
    before = change_log_rows(sample_path)
    with open_session(sample_path) as session:
        assert check(session) == []
        report = repair(session)
    assert report.found == [] and report.repaired == [] and report.left == []
    assert report.backup is None and list_backups(sample_path) == []
    assert change_log_rows(sample_path) == before


# -- full-text indexes --------------------------------------------------------------------------


def test_a_document_missing_from_its_index_is_found_and_the_index_rebuilt(sample_path):
    doc_id = drop_index_rows_of_first_document(sample_path)
    title = one(sample_path, "SELECT title FROM documents WHERE id = ?", [doc_id])[0]
    with open_session(sample_path) as session:
        assert kinds(check(session)) == [("fts", "documents_fts", "")]
        assert not any(h.record_id == doc_id for h in session.search('"executive order"'))
        report = repair(session)
        assert [str(r) for r in report.repaired] == ["rebuilt index documents_fts"]
        assert report.left == []
        assert any(h.record_id == doc_id for h in session.search(title.split()[0]))
    # The backup was taken before the repair: it still holds the broken index.
    assert report.backup is not None and report.backup.parent == sample_path.with_name(
        sample_path.name + ".backups"
    )
    with open_session(report.backup) as copy:
        assert kinds(check(copy)) == [("fts", "documents_fts", "")]


def test_an_annotation_indexed_with_old_text_is_found(sample_path):
    seq, exact, note = one(sample_path, "SELECT seq, exact, note FROM annotations LIMIT 1")
    # The index forgets the passage and learns a text it never had.
    tamper(
        sample_path,
        "INSERT INTO annotations_fts(annotations_fts, rowid, exact, note) "
        "VALUES ('delete', ?, ?, ?)",
        params=(seq, exact, note),
    )
    tamper(
        sample_path,
        "INSERT INTO annotations_fts(rowid, exact, note) VALUES (?, 'phantom words', '')",
        params=(seq,),
    )
    with open_session(sample_path) as session:
        assert ("fts", "annotations_fts", "") in kinds(check(session))
        report = repair(session)
        assert report.left == []
        assert not [h for h in session.search("phantom") if h.kind == "annotation"]


def test_the_entity_index_is_compared_with_the_entities_and_refilled(sample_path):
    seq, name = one(sample_path, "SELECT seq, name FROM entities WHERE name = 'Alexei Gromov'")
    gone = one(sample_path, "SELECT seq FROM entities WHERE seq != ? LIMIT 1", [seq])[0]
    tamper(
        sample_path,
        "DELETE FROM entities_fts WHERE rowid = ?",  # a live entity missing from it
        params=(seq,),
    )
    # A tombstoned entity still indexed: found by search although deleted.
    tamper(sample_path, "DROP TRIGGER entities_fts_update")
    tamper(sample_path, f"UPDATE entities SET deleted_at = '{DELETED}' WHERE seq = {gone}")
    with open_session(sample_path) as session:
        problems = check(session)
        fts = [p for p in problems if p.check == "fts"]
        assert [p.table for p in fts] == ["entities_fts"]
        assert "1 live entities missing" in fts[0].message
        assert "1 rows of deleted or missing entities" in fts[0].message
        assert not [h for h in session.search("Gromov") if h.kind == "entity"]
        report = repair(session)
        assert "rebuilt index entities_fts" in [str(r) for r in report.repaired]
        assert not [p for p in check(session) if p.check == "fts"]
        assert [h.title for h in session.search("Gromov") if h.kind == "entity"] == [name]
        alive = {h.record_id for h in session.search("*", limit=500) if h.kind == "entity"}
        dead_id = one(sample_path, "SELECT id FROM entities WHERE seq = ?", [gone])[0]
        assert dead_id not in alive


# -- offsets ------------------------------------------------------------------------------------


def test_shifted_offsets_are_re_anchored_from_the_quote_and_logged(sample_path):
    original = annotation(sample_path, 5)
    tamper(sample_path, 'UPDATE annotations SET start = start + 4, "end" = "end" + 4 WHERE seq = 5')
    logged = change_log_rows(sample_path)
    with open_session(sample_path) as session:
        assert kinds(check(session)) == [("offsets", "annotations", original["id"])]
        report = repair(session)
        (line,) = report.repaired
        assert line.table == "annotations" and line.record_id == original["id"]
        assert line.what.startswith("re-anchored")
        assert ("start", original["start"] + 4, original["start"]) in line.fields
        assert ("end", original["end"] + 4, original["end"]) in line.fields
        assert f"start {original['start'] + 4} → {original['start']}" in str(line)
        placed = session.workspace.records.get(Annotation, original["id"])
        assert (placed.start, placed.end, placed.exact) == (
            original["start"],
            original["end"],
            original["exact"],
        )
        assert report.left == []
    assert change_log_rows(sample_path) == logged + 1
    action, before = one(
        sample_path,
        "SELECT action, json_extract(before, '$.start') FROM changes ORDER BY seq DESC LIMIT 1",
    )
    assert (action, before) == ("update", original["start"] + 4)


def test_an_unplaceable_quote_is_flagged_for_review_never_deleted(sample_path):
    target = annotation(sample_path, 3)
    tamper(
        sample_path,
        "UPDATE annotations SET exact = 'a sentence that was never in the article', "
        "prefix = '', suffix = '' WHERE seq = 3",
    )
    with open_session(sample_path) as session:
        report = repair(session)
        (line,) = report.repaired
        assert line.fields == (("orphan", False, True),)
        assert "Orphans review queue" in line.what
        kept = session.workspace.records.get(Annotation, target["id"])
        assert kept is not None and kept.live and kept.orphan
        assert target["id"] in [row.id for row in session.orphans.open()]
        # Still wrong (a person must place it), and said so; a second repair changes nothing.
        assert kinds(report.left) == [("offsets", "annotations", target["id"])]
        assert "Orphans review queue" in report.left[0].message
        assert report.advice
        again = repair(session)
        assert again.repaired == [] and again.backup is None


# -- hashes -------------------------------------------------------------------------------------


def test_a_wrong_hash_is_set_to_the_bodys_hash(sample_path):
    doc_id, body_hash = one(sample_path, "SELECT id, sha256 FROM documents LIMIT 1")
    tamper(sample_path, "UPDATE documents SET sha256 = 'feedface' WHERE id = ?", params=(doc_id,))
    with open_session(sample_path) as session:
        assert kinds(check(session)) == [("hash", "documents", doc_id)]
        (line,) = repair(session).repaired
        assert line.fields == (("sha256", "feedface", body_hash),)
        assert f"sha256 “feedface” → {body_hash}" in str(line)
        assert check(session) == []


def test_a_hash_that_would_collide_with_a_live_twin_is_only_reported(sample_path):
    first, first_sha = one(sample_path, "SELECT id, sha256 FROM documents ORDER BY seq LIMIT 1")
    with open_session(sample_path) as session:
        draft = DocumentDraft(title="A note", text="A short note.", origin_name="note.txt")
        twin = session.documents.add(draft).record.id
    # The new document's body becomes the first one's: its true hash is taken by a live one.
    tamper(
        sample_path,
        "UPDATE documents SET body = (SELECT body FROM documents WHERE id = ?) WHERE id = ?",
        params=(first, twin),
    )
    stale_sha = one(sample_path, "SELECT sha256 FROM documents WHERE id = ?", [twin])[0]
    with open_session(sample_path) as session:
        findings = inspect(session)
        (stale,) = findings.stale_hashes
        assert stale.document_id == twin and stale.same_text_as == first
        assert first in stale.problem().message and "delete one" in stale.problem().message
        assert repairable(session, findings) == 0
        report = repair(session)
        assert report.repaired == [] and report.backup is None
        assert kinds(report.left) == [("hash", "documents", twin)]
    assert one(sample_path, "SELECT sha256 FROM documents WHERE id = ?", [twin])[0] == stale_sha
    assert one(sample_path, "SELECT sha256 FROM documents WHERE id = ?", [first])[0] == first_sha


# -- orphans and foreign keys -------------------------------------------------------------------


def test_links_to_a_passage_deleted_behind_the_services_back_are_tombstoned(sample_path):
    passage = annotation(sample_path, 1)
    tamper(
        sample_path,
        "UPDATE annotations SET deleted_at = ? WHERE seq = 1",
        params=(DELETED,),
    )
    with open_session(sample_path) as session:
        records = session.workspace.records
        mentions = list(records.where(Mention, {"annotation_id": passage["id"]}))
        evidence = list(records.where(Evidence, {"annotation_id": passage["id"]}))
        assert len(mentions) == 2 and len(evidence) == 1
        entities = [m.entity_id for m in mentions]
        report = repair(session)
        changed = {(r.table, r.record_id) for r in report.repaired}
        assert changed == {("mentions", m.id) for m in mentions} | {
            ("evidence", e.id) for e in evidence
        }
        for line in report.repaired:
            assert line.fields[0][:2] == ("deleted_at", None) and line.fields[0][2]
            assert f"annotation {passage['id']} is deleted" in line.what
        assert not list(records.where(Mention, {"annotation_id": passage["id"]}))
        # Tombstoned, not deleted; the entities and the passage itself stay as they were.
        kept = records.where(Mention, {"annotation_id": passage["id"]}, include_deleted=True)
        assert len(list(kept)) == 2
        assert all(session.entities.get(e).live for e in entities)
        assert records.get(Annotation, passage["id"], include_deleted=True).deleted_at == DELETED
        assert len(report.changes) == 3
        assert not [p for p in report.left if p.table in ("mentions", "evidence")]


def test_an_answer_to_a_deleted_event_loses_the_link_and_other_orphans_are_reported(
    sample_path,
):
    answer, answered = one(
        sample_path, "SELECT id, responds_to FROM events WHERE responds_to IS NOT NULL LIMIT 1"
    )
    event_with_actor, actor = one(
        sample_path, "SELECT id, actor_id FROM events WHERE actor_id IS NOT NULL LIMIT 1"
    )
    judgment, cited = one(
        sample_path,
        "SELECT j.id, c.value FROM judgments j, json_each(j.cited) c LIMIT 1",
    )
    tamper(sample_path, "DROP TRIGGER IF EXISTS entities_fts_update")
    tamper(
        sample_path,
        f"UPDATE events SET deleted_at = '{DELETED}' WHERE id = '{answered}'",
        f"UPDATE evidence SET deleted_at = '{DELETED}' WHERE event_id = '{answered}'",
        f"UPDATE entities SET deleted_at = '{DELETED}' WHERE id = '{actor}'",
        f"UPDATE mentions SET deleted_at = '{DELETED}' WHERE entity_id = '{actor}'",
    )
    tamper(
        sample_path,
        f"UPDATE annotations SET deleted_at = '{DELETED}' WHERE id = '{cited}'",
        f"UPDATE mentions SET deleted_at = '{DELETED}' WHERE annotation_id = '{cited}'",
        f"UPDATE evidence SET deleted_at = '{DELETED}' WHERE annotation_id = '{cited}'",
    )
    # Rebuild what the dropped trigger would have kept: only the links are under test here.
    tamper(sample_path, "INSERT INTO entities_fts(entities_fts) VALUES ('rebuild')")
    with open_session(sample_path) as session:
        before = {(p.check, p.table, p.record_id) for p in check(session)}
        assert ("orphan", "events", answer) in before
        assert ("orphan", "events", event_with_actor) in before
        assert ("orphan", "judgments", judgment) in before
        report = repair(session)
        answers = [r for r in report.repaired if r.record_id == answer]
        assert [r.fields for r in answers] == [(("responds_to", answered, None),)]
        assert session.workspace.records.get(Event, answer).responds_to is None
        left = kinds(report.left)
        assert ("orphan", "events", event_with_actor) in left  # who acted: a person decides
        assert ("orphan", "judgments", judgment) in left  # what it rests on: a person decides
        assert ("orphan", "events", answer) not in left


def test_a_passage_on_a_deleted_document_is_reported_not_touched(sample_path):
    doc_id = one(sample_path, "SELECT id FROM documents LIMIT 1")[0]
    tamper(sample_path, "DROP TRIGGER documents_fts_update")
    tamper(sample_path, f"UPDATE documents SET deleted_at = '{DELETED}' WHERE id = '{doc_id}'")
    tamper(sample_path, "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
    live = one(
        sample_path,
        "SELECT count(*) FROM annotations WHERE document_id = ? AND deleted_at IS NULL",
        [doc_id],
    )[0]
    with open_session(sample_path) as session:
        problems = check(session)
        on_deleted = [p for p in problems if p.table == "annotations" and p.check == "orphan"]
        assert len(on_deleted) == live > 0
        assert repairable(session, inspect(session)) == 0
        report = repair(session)
        assert report.repaired == [] and report.backup is None
    assert (
        one(
            sample_path,
            "SELECT count(*) FROM annotations WHERE document_id = ? AND deleted_at IS NULL",
            [doc_id],
        )[0]
        == live
    )


def test_a_mention_of_a_hard_deleted_passage_is_tombstoned_and_the_missing_row_reported(
    sample_path,
):
    passage = annotation(sample_path, 9)  # one mention, no evidence
    raw = sqlite3.connect(sample_path, isolation_level=None)
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("DELETE FROM annotations WHERE seq = 9")
    raw.close()
    with open_session(sample_path) as session:
        (found,) = check(session)
        assert found.check == "foreign-key" and found.table == "mentions"
        assert f"missing annotations row {passage['id']}" in found.message
        report = repair(session)
        (line,) = report.repaired
        assert line.table == "mentions" and "is missing" in line.what
        (left,) = report.left
        assert left.record_id == found.record_id and "backup may still hold" in left.message


# -- a damaged file -----------------------------------------------------------------------------


def corrupt_index_page(path: Path, index: str = "annotations_document") -> None:
    """Flip bytes in the cells of an index page: the file opens, integrity_check fails."""
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA journal_mode = DELETE")  # everything in the main file
    root = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [index]).fetchone()[0]
    page_size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    data = bytearray(path.read_bytes())
    page = (root - 1) * page_size
    for offset in range(page_size - 200, page_size - 100):
        data[page + offset] ^= 0x5A
    path.write_bytes(bytes(data))


def test_a_damaged_file_is_not_repaired_in_place_and_the_backups_are_named(sample_path):
    kept = take_backup(sample_path, "auto")
    corrupt_index_page(sample_path)
    with open_session(sample_path) as session:
        problems = check(session)
        assert problems and {p.check for p in problems} == {"sqlite"}
        report = repair(session)
    assert report.damaged and report.repaired == [] and report.backup is None
    assert [b.path for b in report.backups] == [kept]
    assert kept.name in report.advice and "restore a backup" in report.advice
    assert "\n" not in report.advice
    assert [b.reason for b in list_backups(sample_path)] == ["auto"]  # no "repair" copy


def test_restore_advice_without_backups_says_where_they_would_be(tmp_path):
    line = restore_advice(tmp_path / "w.sqlite", [])
    assert "no backup" in line and "w.sqlite.backups" in line and "\n" not in line


# -- the rules of the game ----------------------------------------------------------------------


def test_a_finding_fixed_meanwhile_is_left_alone_and_needs_no_backup(sample_path):
    original = annotation(sample_path, 5)
    tamper(sample_path, 'UPDATE annotations SET start = start + 4, "end" = "end" + 4 WHERE seq = 5')
    with open_session(sample_path) as session:
        findings = inspect(session)  # the GUI inspects, then the officer fixes it first
        with session.workspace.transaction():
            current = session.workspace.records.get(Annotation, original["id"])
            session.workspace.records.update(current, start=original["start"], end=original["end"])
        report = repair(session, findings)
        assert report.repaired == [] and report.backup is None
        assert report.left == []


def test_repair_refuses_a_read_only_session(sample_path):
    drop_index_rows_of_first_document(sample_path)
    with open_session(sample_path, read_only=True) as session:
        findings = inspect(session)
        assert findings.notes and "read-only" in findings.notes[0]
        with pytest.raises(WorkspaceReadOnly):
            repair(session)
    assert list_backups(sample_path) == []


def test_another_connection_inspects_read_only_and_the_writer_adds_the_index_checks(
    sample_path,
):
    drop_index_rows_of_first_document(sample_path)
    with open_session(sample_path) as session:  # holds the writer's lock meanwhile
        logged = change_log_rows(sample_path)
        findings = inspect_path(sample_path)
        # Never a second writer, not even a rolled-back one: the index checks are left out.
        assert findings.fts == [] and findings.notes == [FTS_NOT_CHECKED]
        assert change_log_rows(sample_path) == logged
        completed = with_fts(session, findings)
        assert [f.table for f in completed.fts] == ["documents_fts"] and not completed.notes
        # The GUI repairs with findings made that way.
        report = repair(session, completed)
        assert report.left == []


def test_every_record_repair_is_one_undoable_change(sample_path):
    tamper(sample_path, 'UPDATE annotations SET start = start + 4, "end" = "end" + 4 WHERE seq = 5')
    tamper(sample_path, "UPDATE documents SET sha256 = 'feedface' WHERE seq = 2")
    with open_session(sample_path) as session:
        report = repair(session)
        assert len(report.changes) == len(report.repaired) == 2
        session.revert(report.changes)
        assert {p.check for p in check(session)} == {"offsets", "hash"}
