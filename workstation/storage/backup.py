"""Consistent copies of a workspace while it is in use (the SQLite online backup API)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from workstation.storage import errors
from workstation.storage.uris import read_only_uri


def backup_file(source: Path | str, dest: Path | str) -> Path:
    """Copy the workspace at ``source`` to ``dest`` and verify the copy.

    Reads through its own read-only connection, so it works while another process has the
    workspace open (WAL readers never block writers). The copy is written beside ``dest``
    and renamed into place only after ``quick_check`` passes: a failed backup leaves nothing.
    """
    source, dest = Path(source), Path(dest)
    if not source.is_file():
        raise errors.WorkspaceMissing(source)
    if dest.exists():
        raise errors.NotAWorkspace(dest, "backup destination already exists; not overwriting it")
    if not dest.parent.is_dir():
        raise errors.NotAWorkspace(dest.parent, "no such folder for the backup")
    partial = dest.with_name(dest.name + ".partial")
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True)
        try:
            _refuse_foreign(src, source)
            target = sqlite3.connect(partial)
            try:
                # pages=-1 copies in one step under one read snapshot; a fresh source
                # connection holds no transaction, so the backup cannot spin forever.
                src.backup(target, pages=-1)
                result = target.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise errors.WorkspaceCorrupt(dest)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
        finally:
            src.close()
        os.replace(partial, dest)
    except sqlite3.Error as exc:
        _remove_partial(partial)
        # The copy is written to dest's disk: no room there is "disk full" (naming the
        # backup), not a fault of the workspace being copied.
        if errors.no_room_beside(dest):
            raise errors.DiskFull(dest) from exc
        translated = errors.translate(exc, source)
        raise (translated if translated is not exc else errors.WorkspaceCorrupt(source)) from exc
    except BaseException:
        _remove_partial(partial)
        raise
    return dest


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """A backup of something that is no workspace would be reported 'verified'."""
    from workstation.storage.schema import APPLICATION_ID

    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise errors.NotAWorkspace(path, "not a workstation workspace; nothing backed up")


def _remove_partial(partial: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        partial.with_name(partial.name + suffix).unlink(missing_ok=True)


def pending_migrations(path: Path | str) -> list[str]:
    """The schema steps opening ``path`` for writing would apply (read-only probe).

    Anything unexpected (not a workspace, damaged, newer) gives ``[]``: opening the file
    reports those with its own clear message.
    """
    from workstation.storage.schema import APPLICATION_ID, MIGRATION_SET, known_migration_names
    from workstation.storage.schema_verify import is_table

    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return []
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return []
        if not is_table(conn, "_sqlite_migrations"):  # a view there is never read
            return []
        applied = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
            )
        }
    except (sqlite3.Error, UnicodeDecodeError):
        return []
    finally:
        conn.close()
    return [name for name in known_migration_names() if name not in applied]
