"""Merging safely: one transaction (an interruption leaves nothing), a backup first, older
files read through a migrated copy, newer/foreign/same files refused, bulk inserts that
keep full-text search in step, and one live document per text.

Shares the two-officer fixtures of ``test_merge``: Alice's copy of the sample is ours,
Bob's copy (same ids) is theirs.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from tests.unit.test_merge import (
    TEXT,
    change_rows,
    dump,
    first_passage,
    merge,
    officer,
    ours,
    passage,
    theirs,
)
from workstation.domain.offsets import body_sha256
from workstation.domain.records import Annotation, Document
from workstation.importers import DocumentDraft
from workstation.services import open_session
from workstation.services.maintenance import check
from workstation.services.merge import merge_workspace, take_version
from workstation.services.outcome import ServiceError
from workstation.storage import NotAWorkspace, WorkspaceTooNew, merging
from workstation.storage.records import loggable
from workstation.storage.schema import APPLICATION_ID, migrations

__all__ = ["ours", "theirs"]  # fixtures, used by name


def test_an_interrupted_merge_leaves_the_workspace_as_it_was(ours, theirs, monkeypatch):
    with officer(theirs, "bob") as s:
        doc = s.documents.list_documents()[0].id
        for start in range(0, 200, 20):
            s.annotations.create(doc, start, start + 10, note=f"n{start}")
        s.annotations.edit(first_passage(theirs).id, note="edited")
    before = dump(ours)
    calls = []
    real = merging._write_many

    def failing(ws, sql, rows):
        calls.append(sql)
        if len(calls) == 3:
            raise OSError("power cut")
        real(ws, sql, rows)

    monkeypatch.setattr(merging, "_write_many", failing)
    with pytest.raises(OSError, match="power cut"), officer(ours, "alice") as s:
        merge_workspace(s, theirs)
    after = dump(ours)
    # Bob's edit was written and logged before the insert failed: all of it rolled back.
    assert calls[0].startswith("UPDATE annotations") and calls[2].startswith("INSERT")
    assert after == before


def test_a_backup_is_taken_first_and_opens(ours, theirs):
    shared = first_passage(ours)
    with officer(theirs, "bob") as s:
        s.annotations.edit(shared.id, note="after the backup")
    report = merge(ours, theirs)
    assert report.backup.is_file() and report.backup.parent.name == "sample.sqlite.backups"
    with open_session(report.backup, author="x", read_only=True) as s:
        assert s.annotations.get(shared.id).note == shared.note


def old_schema_workspace(path: Path) -> tuple[str, str]:
    """A workspace as the build before m006 wrote it, with one document and passage."""
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    migrations.apply(db, stop_before="m006_versions_and_orphans")
    conn.execute("PRAGMA user_version = 5")
    stamps = ("bob", "2021-04-16T10:00:00.000000Z", "2021-04-16T10:00:00.000000Z")
    conn.execute(
        "INSERT INTO documents (id, title, body, sha256, author, created_at, updated_at) "
        "VALUES ('old-doc', 'Old', ?, ?, ?, ?, ?)",
        [TEXT, body_sha256(TEXT), *stamps],
    )
    conn.execute(
        'INSERT INTO annotations (id, document_id, start, "end", exact, note, author, '
        "created_at, updated_at) VALUES ('old-note', 'old-doc', 0, 6, 'Москва', 'old', ?, ?, ?)",
        list(stamps),
    )
    conn.close()
    return "old-doc", "old-note"


def test_an_older_workspace_is_read_through_a_migrated_copy(ours, tmp_path):
    old = tmp_path / "old.sqlite"
    doc_id, note_id = old_schema_workspace(old)
    untouched = dump(old)
    report = merge(ours, old)
    assert report.counts["documents"].added == 1 and report.counts["annotations"].added == 1
    arrived = passage(ours, note_id)
    assert (arrived.document_id, arrived.exact, arrived.orphan) == (doc_id, "Москва", False)
    assert dump(old) == untouched
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_newer_foreign_and_same_files_are_refused(ours, theirs, tmp_path):
    conn = sqlite3.connect(theirs)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('workstation', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    text = tmp_path / "notes.txt"
    text.write_text("not a workspace")
    before = dump(ours)
    with officer(ours, "alice") as s:
        with pytest.raises(WorkspaceTooNew):
            merge_workspace(s, theirs)
        with pytest.raises(NotAWorkspace):
            merge_workspace(s, text)
        with pytest.raises(ServiceError, match="this workspace itself"):
            merge_workspace(s, ours)
        with pytest.raises(ServiceError, match="no such file"):
            merge_workspace(s, tmp_path / "missing.sqlite")
    assert dump(ours) == before
    assert not (ours.parent / "sample.sqlite.backups").exists()  # refused before any backup


def test_many_new_passages_arrive_in_order_searchable_and_logged(ours, theirs):
    with officer(theirs, "bob") as s:
        doc = s.documents.list_documents()[0]
        made = [
            s.annotations.create(doc.id, i, i + 7, note=f"ploughshare{i}").record
            for i in range(0, 1500, 10)
        ]
    assert len(made) >= merging._STAGED_FROM  # the staged INSERT … SELECT path
    before = change_rows(ours)
    report = merge(ours, theirs)
    assert report.counts["annotations"].added == len(made)
    assert change_rows(ours) == before + len(made)
    with officer(ours, "alice") as s:
        arrived = [a for a in s.workspace.records.where(Annotation, order_by="seq")][-len(made) :]
        assert [a.id for a in arrived] == [a.id for a in made]
        assert {h.record_id for h in s.search("ploughshare140")} == {made[14].id}
        assert check(s) == []
        for change in report.changes.changes[:3]:
            record = s.workspace.records.get(Annotation, change.record_id)
            assert change.after == loggable(record)
        logged = s.workspace.conn.execute(
            "SELECT after FROM changes WHERE record_id = ?", [made[0].id]
        ).fetchone()[0]
        # As Bob made it, and who brought it in and when (provenance, m009).
        provenance = {"imported_by": "alice", "imported_at": arrived[0].imported_at}
        assert json.loads(logged) == {**loggable(made[0]), **provenance}


def test_a_restore_of_theirs_never_makes_a_second_live_copy_of_a_text(ours, theirs):
    with officer(ours, "alice") as s:
        doc = s.documents.list_documents()[0]
        body = s.documents.get(doc.id).body
        s.documents.delete(doc.id)
        again = s.documents.add(DocumentDraft(title="Again", text=body, origin_name="x")).record
    with officer(theirs, "bob") as s:
        s.documents.edit(doc.id, title="Bob's title")  # later than Alice's deletion
    [conflict] = merge(ours, theirs).conflicts
    assert conflict.deletion and conflict.winner == "theirs"
    with officer(ours, "alice") as s:
        kept = s.workspace.records.get(Document, doc.id, include_deleted=True)
        assert kept.title == "Bob's title" and kept.deleted_at is not None
        assert s.documents.get(again.id).sha256 == kept.sha256
        with pytest.raises(ServiceError, match="same text"):
            take_version(s, conflict, "theirs")  # still refused: one live copy per text


def test_a_new_copy_of_a_text_live_here_lands_on_ours(ours, theirs):
    with officer(theirs, "bob") as s:
        doc = s.documents.list_documents()[0]
        body = s.documents.get(doc.id).body
        s.documents.delete(doc.id)
        copy = s.documents.add(DocumentDraft(title="Copy", text=body, origin_name="y")).record
        note = s.annotations.create(copy.id, 0, 9, note="on the copy").record
    with officer(ours, "alice") as s:
        s.documents.edit(doc.id, title="Alice keeps it")  # later: ours wins the conflict
    report = merge(ours, theirs)
    assert report.counts["documents"].recognised == 1 and report.counts["documents"].added == 0
    arrived = passage(ours, note.id)
    assert arrived.document_id == doc.id and arrived.exact == body[0:9]
    with officer(ours, "x") as s:
        assert s.documents.get(doc.id).title == "Alice keeps it"
        assert not [p for p in check(s) if p.check in ("foreign-key", "offsets", "fts")]


class _Stop(Exception):
    pass


def test_a_large_table_reports_within_itself_so_a_cancel_is_heard_there(ours, theirs, monkeypatch):
    from workstation.services import merge as merge_service

    monkeypatch.setattr(merge_service, "_RECORDS_PER_REPORT", 5)
    with officer(theirs, "bob") as s:
        for passage_ in list(s.workspace.records.where(Annotation))[:12]:
            s.annotations.edit(passage_.id, note=f"Bob read {passage_.id[:4]}")
    steps: list[str] = []

    def record(step: str, done: int, total: int) -> None:
        steps.append(step)

    with officer(ours, "alice") as s:
        merge_workspace(s, theirs, progress=record)
    # The sample's 31 passages compared, 12 of them differing: reports inside the table.
    assert steps.count("comparing annotations") >= 1 + 31 // 5
    before = dump(ours)

    def cancel_inside(step: str, done: int, total: int) -> None:
        if step == "comparing annotations" and steps.count(step) > 0:
            steps.append("cancelled")
            raise _Stop
        steps.append(step)

    steps.clear()
    with officer(theirs, "bob") as s:
        s.annotations.edit(first_passage(theirs).id, note="one more of Bob's")
    with pytest.raises(_Stop), officer(ours, "alice") as s:
        merge_workspace(s, theirs, progress=cancel_inside)
    assert steps[-2:] == ["comparing annotations", "cancelled"]
    assert dump(ours) == before
