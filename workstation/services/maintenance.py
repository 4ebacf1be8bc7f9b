"""Checking and backing up a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workstation.storage.backup import backup_file
from workstation.storage.integrity import Problem, check_workspace

if TYPE_CHECKING:
    from workstation.services.session import Session


def check(session: Session) -> list[Problem]:
    return check_workspace(session.workspace)


def backup(workspace_path: Path | str, dest: Path | str) -> Path:
    """Copy a workspace (possibly open elsewhere) to ``dest``, verified."""
    return backup_file(workspace_path, dest)


__all__ = ["Problem", "backup", "check"]
