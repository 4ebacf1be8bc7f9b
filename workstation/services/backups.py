"""Backups taken by the workstation itself: before a merge, a migration or a bulk delete.

They live in a folder beside the workspace (``<name>.backups/``) so that they travel with it
and the officer finds them next to the file they protect. Each is a verified copy made with
the SQLite backup API (``storage.backup``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.storage.backup import backup_file

if TYPE_CHECKING:
    from workstation.services.session import Session

SUFFIX = ".sqlite"


def backup_folder(workspace_path: Path) -> Path:
    return workspace_path.with_name(workspace_path.name + ".backups")


def backup_before(session: Session, reason: str) -> Path:
    """Take a verified backup of the session's workspace now, named by time and ``reason``.

    Must be called outside a transaction: the copy reads the last committed state.
    """
    if session.workspace.in_transaction:
        raise RuntimeError("take the backup before opening the transaction it protects")
    folder = backup_folder(session.path)
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = folder / f"{stamp}-{reason}{SUFFIX}"
    counter = 1
    while dest.exists():  # two backups in the same second
        counter += 1
        dest = folder / f"{stamp}-{reason}-{counter}{SUFFIX}"
    return backup_file(session.path, dest)


def list_backups(workspace_path: Path) -> list[Path]:
    """Backups of the workspace, newest first."""
    folder = backup_folder(workspace_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*{SUFFIX}"), reverse=True)
