"""Backups taken by the workstation itself, their retention, and restoring one.

They live in a folder beside the workspace (``<name>.backups/``) so that they travel with it
and the officer finds them next to the file they protect. Each is a verified copy made with
the SQLite backup API (``storage.backup``). One is taken on opening when the newest is older
than ``AUTO_BACKUP_AGE``, and always before a migration, a merge, a repair, a bulk delete
and a restore. Retention keeps the newest few, one a day for a week and one a week for a
month; older ones are removed (only files this module named).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.storage import instance_lock, wal_guard
from workstation.storage.backup import backup_file, pending_migrations
from workstation.storage.errors import WorkspaceError

if TYPE_CHECKING:
    from workstation.services.session import Session

SUFFIX = ".sqlite"
AUTO_BACKUP_AGE = timedelta(hours=12)
KEEP_RECENT = 5
KEEP_DAILY = 7  # days
KEEP_WEEKLY = 4  # weeks
_NAME = re.compile(r"^(\d{8}T\d{6}Z)-([a-z-]+?)(?:-\d+)?\.sqlite$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int

    def describe(self) -> str:
        local = self.taken_at.astimezone()
        return f"{local:%Y-%m-%d %H:%M} — {self.reason} ({self.size / 1_048_576:.1f} MB)"


def backup_folder(workspace_path: Path) -> Path:
    return workspace_path.with_name(workspace_path.name + ".backups")


def backup_before(session: Session, reason: str) -> Path:
    """Take a verified backup of the session's workspace now, named by time and ``reason``.

    Must be called outside a transaction: the copy reads the last committed state.
    """
    if session.workspace.in_transaction:
        raise RuntimeError("take the backup before opening the transaction it protects")
    return take_backup(session.path, reason)


def take_backup(workspace_path: Path, reason: str, *, now: datetime | None = None) -> Path:
    """Back up the workspace file at ``workspace_path`` (open or not), then apply retention."""
    folder = backup_folder(workspace_path)
    folder.mkdir(exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    dest = folder / f"{stamp}-{reason}{SUFFIX}"
    counter = 1
    while dest.exists():  # two backups in the same second
        counter += 1
        dest = folder / f"{stamp}-{reason}-{counter}{SUFFIX}"
    made = backup_file(workspace_path, dest)
    prune(workspace_path, now=now)
    return made


def backup_if_stale(workspace_path: Path, *, now: datetime | None = None) -> Path | None:
    """The opening backup: taken when the newest backup is older than AUTO_BACKUP_AGE.

    Path-based and read-only on the workspace (its own connection), so the GUI runs it in a
    worker thread after the window is up: start-up never waits for a copy."""
    now = now or datetime.now(UTC)
    newest = next(iter(list_backups(workspace_path)), None)
    if newest is not None and now - newest.taken_at < AUTO_BACKUP_AGE:
        return None
    return take_backup(workspace_path, "auto", now=now)


def backup_before_migration(workspace_path: Path) -> Path | None:
    """Called before opening for writing: a workspace about to be migrated is copied first,
    so the officer can go back to the version that wrote it."""
    if not workspace_path.is_file() or not pending_migrations(workspace_path):
        return None
    return take_backup(workspace_path, "before-migration")


def list_backups(workspace_path: Path) -> list[BackupInfo]:
    """This workspace's backups, newest first (files not named by us are ignored)."""
    folder = backup_folder(workspace_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or not path.is_file():
            continue
        taken = datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        found.append(BackupInfo(path, taken, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def prune(workspace_path: Path, *, now: datetime | None = None) -> list[Path]:
    """Apply retention: keep the KEEP_RECENT newest, the newest of each of the last KEEP_DAILY
    days and of each of the last KEEP_WEEKLY weeks. Returns the files removed."""
    now = now or datetime.now(UTC)
    backups = list_backups(workspace_path)
    keep = {b.path for b in backups[:KEEP_RECENT]}
    days: set[date] = set()
    weeks: set[tuple[int, int]] = set()
    for backup in backups:  # newest first: the first seen of a day or week is its newest
        age = now - backup.taken_at
        day = backup.taken_at.date()
        week = backup.taken_at.isocalendar()[:2]
        if age < timedelta(days=KEEP_DAILY) and day not in days:
            days.add(day)
            keep.add(backup.path)
        if age < timedelta(weeks=KEEP_WEEKLY) and week not in weeks:
            weeks.add(week)
            keep.add(backup.path)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


@dataclass(frozen=True)
class PreparedRestore:
    """A restore whose slow part is done (``prepare_restore``): the backup copied beside the
    workspace as ``partial``, and the state it will replace backed up as ``safety``."""

    backup: Path
    workspace: Path
    partial: Path
    safety: Path | None


def prepare_restore(backup: Path, workspace_path: Path) -> PreparedRestore:
    """The slow half of a restore, while the workspace may still be open (the GUI runs it off
    its thread, edits refused meanwhile): back up the current state ("before-restore"), then
    copy ``backup`` beside the workspace (verified), ready to be swapped in by
    ``finish_restore``. On failure nothing is left behind but the safety backup."""
    if not backup.is_file():
        raise WorkspaceError(backup, "no such backup")
    safety = take_backup(workspace_path, "before-restore") if workspace_path.exists() else None
    partial = workspace_path.with_name(workspace_path.name + ".restoring")
    try:
        backup_file(backup, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return PreparedRestore(backup, workspace_path, partial, safety)


def finish_restore(prepared: PreparedRestore, *, changed_since: bool = False) -> Path:
    """Swap the prepared copy in (the workspace must be closed by the caller); fast.

    ``changed_since``: the workspace was written after ``prepare_restore`` (an edit saved as
    the window closed), so the safety backup is taken again, or that edit would be lost.
    Returns the safety backup of the state replaced."""
    workspace_path, partial = prepared.workspace, prepared.partial
    safety = prepared.safety
    try:
        # Hold the writer's lock while the file is swapped: another workstation writing to
        # it would lose its log (-wal) to the swap; it is refused (WorkspaceInUse) instead.
        with instance_lock.acquire(workspace_path):
            # A -wal that is not the workspace's own is kept, moved aside, never deleted.
            wal_guard.move_aside(workspace_path)
            if (changed_since or safety is None) and workspace_path.exists():
                safety = take_backup(workspace_path, "before-restore")
            for sidecar in ("-wal", "-shm"):
                workspace_path.with_name(workspace_path.name + sidecar).unlink(missing_ok=True)
            os.replace(partial, workspace_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return safety or prepared.backup


def restore(backup: Path, workspace_path: Path) -> Path:
    """Put ``backup`` in place of the workspace (which must be closed by the caller).

    The current state is backed up first ("before-restore"), so a restore can itself be
    undone; the backup is copied beside the workspace and renamed over it, and the old
    file's -wal/-shm are removed so SQLite cannot replay them onto the restored copy.
    Returns the safety backup of the state replaced.
    """
    if not backup.is_file():
        raise WorkspaceError(backup, "no such backup")
    # Hold the writer's lock while the file is swapped: another workstation writing to it
    # would lose its log (-wal) to the swap; it is refused (WorkspaceInUse) instead.
    with instance_lock.acquire(workspace_path):
        # A -wal that is not the workspace's own is kept, moved aside, never deleted.
        wal_guard.move_aside(workspace_path)
        safety = take_backup(workspace_path, "before-restore") if workspace_path.exists() else None
        partial = workspace_path.with_name(workspace_path.name + ".restoring")
        try:
            backup_file(backup, partial)
            for sidecar in ("-wal", "-shm"):
                workspace_path.with_name(workspace_path.name + sidecar).unlink(missing_ok=True)
            os.replace(partial, workspace_path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return safety or backup


__all__ = [
    "BackupInfo",
    "PreparedRestore",
    "backup_before",
    "backup_before_migration",
    "backup_if_stale",
    "finish_restore",
    "list_backups",
    "prepare_restore",
    "prune",
    "restore",
]
