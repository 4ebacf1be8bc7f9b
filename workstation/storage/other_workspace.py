"""Another officer's workspace, opened for a merge: read-only, known tables only, under a
time limit (docs/architecture.md, "Trust boundaries").

- The connection is ``mode=ro`` with ``PRAGMA query_only``: nothing is ever written to
  their file, and no trigger of theirs can fire. Immutable when no ``-wal``/``-shm`` lies
  beside it (nobody has it open: nothing is created in their folder) or when its ``-wal`` is
  a foreign one (never read).
- Its schema is verified as ours is (``schema_verify``). A table the merge reads (every
  record table and the change log) must be exactly the migrations' table: gone, altered, or
  a view in its place refuses the merge in one line. Anything else that differs (a foreign
  trigger, view, index or table) is never read and is listed in ``untrusted`` for the
  merge's report.
- Every read runs under SQLite's progress handler with a deadline (``READ_TIME_LIMIT``
  seconds per statement; ``WORKSTATION_READ_TIME_LIMIT`` overrides it): a query doing endless
  work ends in ReadTimeLimit, and the merge — holding our writer's lock — stops with nothing
  changed.
- An older workspace is read through a temporary copy: what differs in the copy is removed
  (``schema_repair``) before the copy is migrated, so nothing of theirs runs during it.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from workstation.domain.records import RECORD_TYPES
from workstation.storage import errors, schema_verify
from workstation.storage.backup import backup_file
from workstation.storage.schema import migrations
from workstation.storage.uris import read_only_uri
from workstation.storage.workspace import (
    Workspace,
    _refuse_foreign_or_newer,
    _verify_columns,
    open_workspace,
)

READ_TIME_LIMIT = 30.0  # seconds of work per statement on their file
_HANDLER_STEPS = 10_000  # SQLite virtual-machine steps between two looks at the clock
BUSY_TIMEOUT_MS = 3000
# What a merge reads from their file: the records' tables and the change log.
READ_TABLES = frozenset({cls.TABLE for cls in RECORD_TYPES} | {"changes"})


def time_limit() -> float:
    """READ_TIME_LIMIT, or the environment's WORKSTATION_READ_TIME_LIMIT (for tests)."""
    try:
        value = float(os.environ.get("WORKSTATION_READ_TIME_LIMIT", ""))
    except ValueError:
        return READ_TIME_LIMIT
    return value if value > 0 else READ_TIME_LIMIT


class QueryTimer:
    """The progress handler of one connection, and the deadline of the statement running."""

    def __init__(self, path: Path, seconds: float):
        self.path = path
        self.seconds = seconds
        self.deadline: float | None = None
        self.expired = False

    def __call__(self) -> int:
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.expired = True
            return 1  # SQLite stops the statement: "interrupted"
        return 0

    def install(self, conn: sqlite3.Connection) -> None:
        conn.set_progress_handler(self, _HANDLER_STEPS)

    @contextmanager
    def limit(self) -> Iterator[None]:
        """Run the statements inside within ``seconds`` of now, or raise ReadTimeLimit."""
        outer = self.deadline
        self.deadline = time.monotonic() + self.seconds
        self.expired = False
        try:
            yield
        except sqlite3.OperationalError as exc:
            if self.expired:
                raise errors.ReadTimeLimit(self.path, self.seconds) from exc
            raise
        except errors.WorkspaceError as exc:
            if self.expired:
                raise errors.ReadTimeLimit(self.path, self.seconds) from exc
            raise
        finally:
            self.deadline = outer


@contextmanager
def open_other(path: Path | str, *, author: str) -> Iterator[Workspace]:
    """Their workspace for reading (see the module notes); refused with a WorkspaceError."""
    path = Path(path)
    timer = QueryTimer(path, time_limit())
    conn = _connect(path, timer)
    try:
        with timer.limit(), _translated(path):
            _refuse_foreign_or_newer(conn, path, create=False)
            found = schema_verify.deviations(conn)
            pending = bool(migrations.pending(Database(conn)))
        _refuse_unreadable(path, found)
        if not pending:
            other = Workspace(path, conn, author=author, read_only=True)
            other.untrusted = tuple(found)
            other.time_limit = timer
            with timer.limit(), _translated(path):
                _verify_columns(conn, path)
    except BaseException:
        conn.close()
        raise
    if pending:
        conn.close()
        with _migrated_copy(path, author=author, timer=timer, found=found) as copy:
            yield copy
        return
    try:
        yield other
    finally:
        other.close()


def _connect(path: Path, timer: QueryTimer) -> sqlite3.Connection:
    uri = read_only_uri(path)
    if "immutable=1" not in uri and _idle(path):
        # Nobody has their file open (no -wal, no -shm): read it as it lies, without making
        # a -wal and -shm beside a file that is not ours (a read-only open of a WAL-mode file
        # would, and would leave them there).
        uri += "&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise _as_workspace_error(exc, path) from exc
    try:
        conn.execute("PRAGMA query_only = 1")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlite3.Error as exc:
        conn.close()
        raise _as_workspace_error(exc, path) from exc
    timer.install(conn)
    return conn


def _idle(path: Path) -> bool:
    resolved = path.resolve()
    return not any(
        resolved.with_name(resolved.name + suffix).exists() for suffix in ("-wal", "-shm")
    )


def _refuse_unreadable(path: Path, found: list[schema_verify.Deviation]) -> None:
    """Refuse when a table the merge reads is not exactly the migrations' table."""
    blocking = [d for d in found if d.name in READ_TABLES and d.kind != "unknown"]
    blocking += [d for d in found if d.blocks_reading and d not in blocking]
    if blocking:
        what = "; ".join(str(d) for d in blocking[:3])
        more = f" (and {len(blocking) - 3} more)" if len(blocking) > 3 else ""
        raise errors.WorkspaceUntrusted(
            path,
            f"not merged: {what}{more}; only a workspace's own tables are read, "
            "and nothing was changed",
        )


@contextmanager
def _migrated_copy(
    path: Path, *, author: str, timer: QueryTimer, found: list[schema_verify.Deviation]
) -> Iterator[Workspace]:
    from workstation.storage.schema_repair import restore_schema

    with tempfile.TemporaryDirectory(prefix="workstation-merge-") as folder:
        copy = backup_file(path, Path(folder) / "other.sqlite")
        migrated = open_workspace(copy, author=author, allow_untrusted=True)
        try:
            if migrated.untrusted:
                left = restore_schema(migrated).left
                if left:
                    _refuse_unreadable(path, left)
                    raise errors.WorkspaceUntrusted(
                        path, f"not merged: {schema_verify.describe(left)}"
                    )
            migrated.untrusted = tuple(found)
            timer.path = path
            timer.install(migrated.conn)
            migrated.time_limit = timer
            yield migrated
        finally:
            migrated.close()


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        if "interrupted" in str(exc).lower():
            raise  # the timer's: QueryTimer.limit turns it into ReadTimeLimit
        raise _as_workspace_error(exc, path) from exc
    except UnicodeDecodeError as exc:
        raise errors.WorkspaceCorrupt(path) from exc


def _as_workspace_error(exc: sqlite3.Error, path: Path) -> Exception:
    translated = errors.translate(exc, path)
    return translated if translated is not exc else errors.WorkspaceCorrupt(path)
