"""Environment problems with the workspace file, each with one clear message.

These are the user's problems to fix (a locked file, a full disk, a file from a newer
version). Anything else that SQLite raises is a bug and propagates unchanged.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path


class WorkspaceError(Exception):
    """Base for problems with the workspace file itself; ``str()`` is the user message."""

    def __init__(self, path: Path | str, detail: str):
        self.path = Path(path)
        self.detail = detail
        super().__init__(f"{detail}: {self.path}")


class WorkspaceMissing(WorkspaceError):
    def __init__(self, path: Path | str):
        super().__init__(path, "no workspace here (create one with 'workstation init')")


class WorkspaceLocked(WorkspaceError):
    def __init__(self, path: Path | str):
        super().__init__(path, "workspace is busy: another program is writing to it; try again")


class WorkspaceInUse(WorkspaceError):
    """Another workstation holds the workspace open for writing (see instance_lock)."""

    def __init__(
        self,
        path: Path | str,
        *,
        pid: int | None = None,
        host: str | None = None,
        since: datetime | None = None,
    ):
        self.pid, self.host, self.since = pid, host, since
        super().__init__(
            path, f"open for writing in another workstation{_holder(pid, host, since)}"
        )


def _holder(pid: int | None, host: str | None, since: datetime | None) -> str:
    """The ``(pid 1234 on host, since 14:02)`` part, or as much of it as is known."""
    parts = []
    if pid is not None:
        parts.append(f"pid {pid}" + (f" on {host}" if host else ""))
    elif host:
        parts.append(f"on {host}")
    if since is not None:
        local = since.astimezone() if since.tzinfo else since
        today = datetime.now(local.tzinfo).date()
        parts.append(
            f"since {local:%H:%M}" if local.date() == today else f"since {local:%Y-%m-%d %H:%M}"
        )
    return f" ({', '.join(parts)})" if parts else ""


class WorkspaceReadOnly(WorkspaceError):
    def __init__(self, path: Path | str):
        super().__init__(path, "workspace is read-only (check the file's and folder's permissions)")


class WorkspaceUntrusted(WorkspaceReadOnly):
    """The schema holds objects the migrations do not make (a planted trigger, a view in a
    table's place…): every write is refused until ``check --repair`` removes them.
    ``detail`` names them (``schema_verify.describe``)."""

    def __init__(self, path: Path | str, detail: str):
        WorkspaceError.__init__(self, path, detail)


class ReadTimeLimit(WorkspaceError):
    """Reading a file from outside took longer than its time limit (a view or trigger doing
    endless work, or a table far too large): the work is abandoned, nothing written."""

    def __init__(self, path: Path | str, seconds: float):
        super().__init__(
            path,
            f"reading it took longer than {seconds:g} s (endless or enormous queries); "
            "stopped, nothing was changed",
        )


class DiskFull(WorkspaceError):
    def __init__(self, path: Path | str):
        super().__init__(path, "disk is full: nothing was saved; free some space and try again")


class WorkspaceCorrupt(WorkspaceError):
    def __init__(self, path: Path | str):
        super().__init__(
            path, "workspace file is damaged (restore a backup, or run 'workstation check')"
        )


class WorkspaceUnreadable(WorkspaceError):
    """An I/O error that is neither a full disk nor proven damage (a failing disk, a
    network share gone): say what happened, not more."""

    def __init__(self, path: Path | str):
        super().__init__(
            path,
            "cannot read or write the workspace file (an I/O error); check the disk, then "
            "run 'workstation check'",
        )


class NotAWorkspace(WorkspaceError):
    def __init__(self, path: Path | str, why: str = "not a workstation workspace"):
        super().__init__(path, why)


class WorkspaceTooNew(WorkspaceError):
    def __init__(self, path: Path | str, found: str):
        super().__init__(
            path,
            f"workspace was written by a newer version of workstation ({found}); "
            "it was left untouched — update workstation to open it",
        )


def translate(exc: sqlite3.Error, path: Path | str) -> Exception:
    """Map an SQLite error to the environment problem it reports, or return it unchanged."""
    message = str(exc).lower()
    code = getattr(exc, "sqlite_errorname", "") or ""
    if "locked" in message or "busy" in message or code.startswith("SQLITE_BUSY"):
        return WorkspaceLocked(path)
    if "readonly" in message or "read-only" in message or code.startswith("SQLITE_READONLY"):
        return WorkspaceReadOnly(path)
    if "disk is full" in message or code == "SQLITE_FULL":
        return DiskFull(path)
    if "malformed" in message or code.startswith("SQLITE_CORRUPT"):
        return WorkspaceCorrupt(path)
    if "not a database" in message or code == "SQLITE_NOTADB":
        return NotAWorkspace(path, "not an SQLite file, so not a workspace")
    if "unable to open" in message or code.startswith("SQLITE_CANTOPEN"):
        return WorkspaceReadOnly(path)
    if "disk i/o error" in message or code.startswith("SQLITE_IOERR"):
        # A full disk often shows as an I/O error (the -shm cannot be sized) rather than
        # SQLITE_FULL: say "full" when it is, not "damaged".
        if no_room_beside(path):
            return DiskFull(path)
        return WorkspaceUnreadable(path)
    if "unsupported file format" in message or "could not decode to utf-8" in message:
        # A damaged header, or text bytes that are not what SQLite wrote.
        return WorkspaceCorrupt(path)
    return exc


def no_room_beside(path: Path | str) -> bool:
    try:
        return shutil.disk_usage(Path(path).resolve().parent).free < _ROOM_NEEDED
    except OSError:
        return False


# Less than this free beside a file SQLite failed to write: the disk is (nearly) full.
_ROOM_NEEDED = 1024 * 1024


class RecordConflict(ValueError):
    """A write the schema's rules refuse (a second live document with the same text, a
    reference to a missing record); the message says which rule, in plain words."""


def conflict(exc: sqlite3.IntegrityError) -> RecordConflict:
    message = str(exc)
    if "documents.sha256" in message:
        return RecordConflict("a document with the same text is already in the workspace")
    if "FOREIGN KEY" in message:
        return RecordConflict("that refers to a record that does not exist")
    return RecordConflict(f"the workspace's rules refuse this change ({message})")
