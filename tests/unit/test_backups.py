"""Automatic backups: before a migration and a bulk delete, on opening when stale, retention,
and restoring one."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from workstation.domain.records import Annotation
from workstation.importers.base import DocumentDraft
from workstation.services import create_session, open_session
from workstation.services.backups import (
    AUTO_BACKUP_AGE,
    KEEP_RECENT,
    backup_folder,
    backup_if_stale,
    finish_restore,
    list_backups,
    prepare_restore,
    prune,
    restore,
)
from workstation.storage.schema import known_migration_names

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _fake_backup(workspace_path, when: datetime, reason: str = "auto"):
    folder = backup_folder(workspace_path)
    folder.mkdir(exist_ok=True)
    path = folder / f"{when:%Y%m%dT%H%M%SZ}-{reason}.sqlite"
    path.write_bytes(b"x")
    return path


def test_retention_keeps_recent_daily_and_weekly(workspace_path):
    hourly = [_fake_backup(workspace_path, NOW - timedelta(hours=h)) for h in range(0, 24 * 40, 6)]
    removed = prune(workspace_path, now=NOW)
    kept = [b.path for b in list_backups(workspace_path)]
    assert set(kept) | set(removed) == set(hourly) and not set(kept) & set(removed)
    assert kept[:KEEP_RECENT] == hourly[:KEEP_RECENT]  # the newest few, whatever their age
    days = {b.taken_at.date() for b in list_backups(workspace_path)}
    assert {(NOW - timedelta(days=d)).date() for d in range(7)} <= days
    assert all(NOW - b.taken_at < timedelta(weeks=4) for b in list_backups(workspace_path))
    assert len(kept) < 20
    # Files the workstation did not name are never touched.
    stranger = backup_folder(workspace_path) / "mine.sqlite"
    stranger.write_bytes(b"y")
    prune(workspace_path, now=NOW)
    assert stranger.exists()


def test_opening_backup_only_when_the_newest_is_stale(session):
    made = backup_if_stale(session.path, now=NOW)
    assert made is not None and made.is_file()
    assert backup_if_stale(session.path, now=NOW + AUTO_BACKUP_AGE / 2) is None
    later = backup_if_stale(session.path, now=NOW + AUTO_BACKUP_AGE * 2)
    assert later is not None and later != made
    raw = sqlite3.connect(later)
    assert raw.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    raw.close()


def test_a_workspace_about_to_be_migrated_is_backed_up_first(workspace_path):
    from sqlite_utils import Database

    from workstation.storage.schema import migrations

    conn = sqlite3.connect(workspace_path)
    migrations.apply(Database(conn), stop_before=known_migration_names()[-1])
    conn.commit()
    conn.close()
    with open_session(workspace_path):
        pass
    (backup,) = list_backups(workspace_path)
    assert backup.reason == "before-migration"
    raw = sqlite3.connect(backup.path)
    applied = {r[0] for r in raw.execute("SELECT name FROM _sqlite_migrations")}
    raw.close()
    assert known_migration_names()[-1] not in applied  # the copy is of the old version
    with open_session(workspace_path):
        pass
    assert len(list_backups(workspace_path)) == 1  # nothing to migrate: no new backup


def test_bulk_delete_is_backed_up_and_one_transaction(session):
    doc = session.documents.add(
        DocumentDraft(title="T", text="one two three four five", origin_name="t.txt")
    ).record
    ids = [session.annotations.create(doc.id, s, s + 3).record.id for s in (0, 4, 8)]
    outcome = session.annotations.delete_many(ids)
    assert not list(session.workspace.records.where(Annotation))
    (backup,) = list_backups(session.path)
    assert backup.reason == "bulk-delete"
    raw = sqlite3.connect(backup.path)
    assert raw.execute("SELECT count(*) FROM annotations").fetchone()[0] == 3
    raw.close()
    session.revert(outcome.changes)
    assert len(list(session.workspace.records.where(Annotation))) == 3


def test_restore_puts_the_backup_in_place_and_keeps_the_replaced_state(tmp_path):
    path = tmp_path / "ws.sqlite"
    with create_session(path, author="t") as session:
        session.documents.add(DocumentDraft(title="Before", text="kept", origin_name="a.txt"))
        backup = backup_if_stale(path, now=NOW)
        session.documents.add(DocumentDraft(title="After", text="later", origin_name="b.txt"))
    safety = restore(backup, path)
    with open_session(path) as restored:
        assert [d.title for d in restored.documents.list_documents()] == ["Before"]
    with open_session(safety, read_only=True) as replaced:
        assert sorted(d.title for d in replaced.documents.list_documents()) == ["After", "Before"]
    with pytest.raises(Exception, match="no such backup"):
        restore(tmp_path / "missing.sqlite", path)


def test_a_prepared_restore_copies_while_open_and_backs_up_again_after_a_late_edit(tmp_path):
    path = tmp_path / "ws.sqlite"
    with create_session(path, author="t") as session:
        session.documents.add(DocumentDraft(title="Before", text="kept", origin_name="a.txt"))
        backup = backup_if_stale(path, now=NOW)
        session.documents.add(DocumentDraft(title="After", text="later", origin_name="b.txt"))
        # The slow half runs while the workspace is still open (the GUI's worker).
        prepared = prepare_restore(backup, path)
        assert prepared.partial.is_file() and prepared.safety is not None
        session.documents.add(DocumentDraft(title="Late", text="at close", origin_name="c.txt"))
    safety = finish_restore(prepared, changed_since=True)
    assert safety != prepared.safety and not prepared.partial.exists()
    with open_session(path) as restored:
        assert [d.title for d in restored.documents.list_documents()] == ["Before"]
    with open_session(safety, read_only=True) as replaced:
        titles = sorted(d.title for d in replaced.documents.list_documents())
        assert titles == ["After", "Before", "Late"]
    with pytest.raises(Exception, match="no such backup"):
        prepare_restore(tmp_path / "missing.sqlite", path)
