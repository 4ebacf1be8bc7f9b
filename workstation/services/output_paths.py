"""Where a command may write: never over the workspace or what belongs to it.

Every command and dialog that writes a path the officer chose (export in every format, the
brief's PDF, a backup or a saved copy, a new workspace) asks ``refuse_workspace_paths``
first. Refused: the workspace file itself, its ``-wal``, ``-shm`` and ``-journal``, its
``.lock``, and its backups folder (``<workspace>.backups/``) with anything inside it. Paths
are compared resolved (symlinks and ``..`` followed) and, where the target exists, by device
and inode too (a hard link is the same file under another name). Writers that go through a
scratch file beside the target (``<target>.partial``) name it in ``scratch``: it is checked
the same way, since it is created, and removed on failure.

Overwriting an unrelated file the officer chose stays allowed (that is what "save as" does).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from workstation.services.backups import backup_folder
from workstation.services.outcome import ServiceError

_SIDECARS = (
    ("-wal", "its write-ahead log"),
    ("-shm", "its shared-memory file"),
    ("-journal", "its rollback journal"),
    (".lock", "its lock file"),
)
PARTIAL = ".partial"  # the scratch suffix of the export, brief and backup writers


class RefusedPath(ServiceError):
    """Writing there would overwrite the workspace or what belongs to it."""


def refuse_workspace_paths(
    target: Path | str, workspace: Path | str, *, scratch: Iterable[str] = (PARTIAL,)
) -> None:
    """Raise RefusedPath (one line, naming the reason) if writing ``target`` — or its scratch
    files ``target + suffix`` for each of ``scratch`` — could touch ``workspace``'s family."""
    target = Path(target)
    workspace = Path(workspace)
    for candidate in (target, *(target.with_name(target.name + s) for s in scratch)):
        reason = _clash(candidate, workspace)
        if reason:
            raise RefusedPath(f"refusing to write over {reason}: {target}")


def sidecar_owner(path: Path | str) -> Path | None:
    """The existing file whose sidecar or backups folder ``path`` would be (``x.sqlite-wal``
    beside ``x.sqlite``), for commands with no workspace open yet (``init``)."""
    path = Path(path)
    for suffix in (*(s for s, _ in _SIDECARS), ".backups"):
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            owner = path.with_name(path.name[: -len(suffix)])
            if owner.is_file():
                return owner
    for parent in _real(path).parents:
        if parent.name.endswith(".backups"):
            owner = parent.with_name(parent.name[: -len(".backups")])
            if owner.is_file():
                return owner
    return None


def _clash(candidate: Path, workspace: Path) -> str:
    """Which member of the workspace's family ``candidate`` is, in words, or ""."""
    real = _real(candidate)
    for base in _spellings(workspace):
        if real == base:
            return "the workspace itself"
        for suffix, what in _SIDECARS:
            if real == base.with_name(base.name + suffix):
                return f"the workspace's {what.removeprefix('its ')}"
        folder = backup_folder(base)
        if real == folder or folder in real.parents:
            return "the workspace's backups"
    same = _same_file(candidate, workspace)
    return same


def _same_file(candidate: Path, workspace: Path) -> str:
    """A hard link (or any other name) of an existing member of the family."""
    try:
        target = os.stat(candidate)
    except OSError:
        return ""
    members = [("the workspace itself", workspace)]
    members += [
        (f"the workspace's {what.removeprefix('its ')}", workspace.with_name(workspace.name + s))
        for s, what in _SIDECARS
    ]
    for what, member in members:
        try:
            found = os.stat(member)
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino):
            return what
    return ""


def _spellings(workspace: Path) -> list[Path]:
    """The workspace as named and as resolved: SQLite puts sidecars beside either."""
    named = Path(os.path.abspath(workspace))
    real = _real(workspace)
    return [real] if real == named else [real, named]


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


__all__ = ["PARTIAL", "RefusedPath", "refuse_workspace_paths", "sidecar_owner"]
