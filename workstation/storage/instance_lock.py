"""One writer per workspace: an exclusive ``flock`` on a sidecar file ``<workspace>.lock``.

A workstation (GUI or command) that opens a workspace for writing holds the lock for as long
as its connection is open. A second one is refused with :class:`WorkspaceInUse`, which names
the holder from the JSON the holder wrote into the lock file, and may open read-only instead.

Why a sidecar and not the SQLite file: closing any other descriptor of the database file
drops SQLite's own POSIX locks on it. Why ``flock``: the kernel releases it when the holder
exits, however it exits (crash, SIGKILL), so a lock file left behind is harmless; and two
descriptors in one process conflict too, so a second open inside one process is refused
like one from another process.

The holder unlinks the file before it lets go, so a clean close leaves nothing beside the
workspace. That is safe because an acquirer, once it holds the lock, checks that the path
still names the file it locked, and starts over if not (the file was unlinked meanwhile).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import TypedDict

from workstation.storage import errors

try:  # POSIX only; elsewhere (Windows is not a target) instances are not locked
    import fcntl
except ImportError:  # pragma: no cover - exercised only off POSIX
    fcntl = None  # type: ignore[assignment]

# flock errors that mean "this filesystem cannot lock", not "someone else holds it".
_UNSUPPORTED = {errno.ENOLCK, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP}
_HELD = {errno.EWOULDBLOCK, errno.EAGAIN}
_MAX_ATTEMPTS = 5  # each retry means a holder unlinked the file between our open and lock


def lock_path(workspace: Path | str) -> Path:
    """Where the lock of ``workspace`` lives. Resolved, so that two spellings of one file
    (relative, absolute, through a symlink) share one lock."""
    resolved = Path(workspace).resolve()
    return resolved.with_name(resolved.name + ".lock")


class InstanceLock:
    """The held lock of one workspace; :meth:`release` lets it go (idempotent).

    Also a context manager, for work that replaces the file without opening it (restoring
    a backup): ``with instance_lock.acquire(path): ...``.
    """

    def __init__(self, path: Path, fd: int | None):
        self.path = path
        self._fd = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        # Unlink while still holding (see the module docstring for why that is safe); a
        # file we may not remove (another user's folder) is harmless.
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        os.close(fd)  # closing drops the flock

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire(workspace: Path | str) -> InstanceLock:
    """Take the writer's lock of ``workspace`` without waiting.

    Raises WorkspaceInUse (naming the holder) when another writer holds it, or a
    WorkspaceError when the lock file cannot be created beside the workspace.
    """
    workspace = Path(workspace)
    path = lock_path(workspace)
    if fcntl is None:
        return InstanceLock(path, None)
    for _ in range(_MAX_ATTEMPTS):
        fd, writable = _open_lock_file(workspace, path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in _HELD:
                holder = _read_holder(fd)
                os.close(fd)
                raise errors.WorkspaceInUse(workspace, **holder) from None
            os.close(fd)
            if exc.errno in _UNSUPPORTED:
                # No locking on this filesystem: SQLite still serialises each write; we
                # cannot do better here than let the open go ahead unlocked.
                return InstanceLock(path, None)
            raise _environment_error(exc, workspace, path) from exc
        if _still_linked(fd, path):
            if writable:
                _write_holder(fd)
            return InstanceLock(path, fd)
        os.close(fd)  # the holder we waited on unlinked it: lock the file that is there now
    raise errors.WorkspaceInUse(workspace)


def _open_lock_file(workspace: Path, path: Path) -> tuple[int, bool]:
    """(descriptor, whether we may write the holder's details into it)."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644), True
    except PermissionError:
        pass  # left by another user: locking works through a read-only descriptor too
    except OSError as exc:
        raise _environment_error(exc, workspace, path) from exc
    try:
        return os.open(path, os.O_RDONLY), False
    except OSError as exc:
        raise _environment_error(exc, workspace, path) from exc


def _still_linked(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)


def _write_holder(fd: int) -> None:
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now().astimezone().isoformat(timespec="seconds"),
        "program": Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python",
    }
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode("utf-8"), 0)
    except OSError:
        pass  # the lock is what matters; the details only make the refusal friendlier


class _Holder(TypedDict, total=False):
    """What the lock file says of its holder (errors.WorkspaceInUse's keywords)."""

    pid: int | None
    host: str | None
    since: datetime | None


def _read_holder(fd: int) -> _Holder:
    """The holder's pid, host and start time, as far as the lock file tells (it may be
    empty or half-written if the holder is just starting)."""
    try:
        raw = os.pread(fd, 4096, 0)
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    pid = data.get("pid")
    host = data.get("host")
    since = None
    if isinstance(data.get("since"), str):
        try:
            since = datetime.fromisoformat(data["since"])
        except ValueError:
            since = None
    return {
        "pid": pid if isinstance(pid, int) else None,
        "host": host if isinstance(host, str) and host else None,
        "since": since,
    }


def _environment_error(exc: OSError, workspace: Path, path: Path) -> errors.WorkspaceError:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return errors.WorkspaceReadOnly(workspace)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return errors.DiskFull(workspace)
    reason = exc.strerror or type(exc).__name__
    return errors.WorkspaceError(workspace, f"cannot create the lock file {path.name} ({reason})")
