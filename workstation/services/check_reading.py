"""Reading a workspace for ``workstation check`` without writing a byte of it.

A check must leave the file and every sidecar as it found them: no migration, no WAL folded
back, no ``-wal``/``-shm`` created, and a foreign ``-wal`` neither read nor moved. Yet the
full-text checks are issued as (rolled-back) writes, and an older workspace can only be read
migrated. So:

- If no other workstation holds the workspace (its instance lock is free — held for the
  length of the check, so none starts meanwhile), the file is copied into a private
  temporary folder with its own ``-wal`` (never a foreign one) and the copy is checked,
  opened as any workspace is (migrated if older, flagged if its schema differs).
- If another workstation writes to it, or the lock cannot be taken (a read-only folder),
  it is read in place through a read-only connection (immutable where nothing else can
  change it, and whenever a foreign ``-wal`` lies beside it); the full-text checks are then
  skipped with a note, as before.

Errors name the workspace, never the copy.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from workstation.services.session import Session, open_session
from workstation.services.settings import current_author
from workstation.storage import (
    WorkspaceError,
    WorkspaceInUse,
    WorkspaceMissing,
    WorkspaceReadOnly,
    instance_lock,
    wal_guard,
)
from workstation.storage.errors import WorkspaceUntrusted
from workstation.storage.workspace import Workspace, open_workspace


@dataclass
class CheckedCopy:
    session: Session
    foreign_wal: wal_guard.ForeignWal | None  # beside the workspace, left untouched
    copied: bool  # False: read in place (beside a writer), full-text checks skipped


@contextmanager
def reading_for_check(path: Path | str) -> Iterator[CheckedCopy]:
    path = Path(path)
    if not path.is_file():
        raise WorkspaceMissing(path)
    try:
        lock = instance_lock.acquire(path)
    except (WorkspaceInUse, WorkspaceReadOnly):
        foreign = wal_guard.foreign_wal(path)  # frames judged only if no -shm shows a writer
        try:
            with open_session(path, read_only=True) as session:
                yield CheckedCopy(session, foreign, copied=False)
        except WorkspaceError as exc:
            raise _naming(exc, path) from exc
        return
    foreign = wal_guard.foreign_wal(path, settled=True)  # no workstation can be writing
    try:
        with tempfile.TemporaryDirectory(prefix="workstation-check-") as folder:
            copied = _copy(path, Path(folder), with_wal=foreign is None)
            try:
                if copied is None:  # no room for a copy: read in place, as beside a writer
                    opened = open_session(path, read_only=True)
                else:
                    opened = Session(_open_copy(copied))
                with opened as session:
                    yield CheckedCopy(session, foreign, copied=copied is not None)
            except WorkspaceError as exc:
                raise _naming(exc, path) from exc
    finally:
        lock.release()


def _open_copy(copied: Path) -> Workspace:
    """The copy as a writer (so an older one is migrated, and the full-text checks run), or
    read-only where even the copy cannot be written."""
    try:
        return open_workspace(copied, author=current_author(), allow_untrusted=True)
    except WorkspaceUntrusted:
        raise
    except WorkspaceReadOnly:
        return open_workspace(copied, author=current_author(), read_only=True)


def _copy(path: Path, folder: Path, *, with_wal: bool) -> Path | None:
    copied = folder / path.name
    wal = wal_guard.wal_path(path)
    try:
        shutil.copyfile(path, copied)
        if with_wal and wal.is_file():
            shutil.copyfile(wal, wal_guard.wal_path(copied))
    except OSError:
        return None
    return copied


def _naming(exc: WorkspaceError, path: Path) -> WorkspaceError:
    """``exc`` about ``path`` (the workspace) rather than the copy that was read."""
    if exc.path == path:
        return exc
    renamed = type(exc).__new__(type(exc))  # each kind has its own __init__: not called
    renamed.__dict__.update(exc.__dict__)
    renamed.path = path
    renamed.args = (f"{exc.detail}: {path}",)
    return renamed
