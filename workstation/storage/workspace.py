"""Opening a workspace file: pragmas, version gate, migrations, the single writer connection."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from sqlite_utils import Database

from workstation.domain.records import RECORD_TYPES, Change, ChangeSet
from workstation.storage import errors, instance_lock, schema_verify, wal_guard
from workstation.storage.records import RecordStore
from workstation.storage.schema import (
    APPLICATION_ID,
    MIGRATION_SET,
    known_migration_names,
    migrations,
)
from workstation.storage.uris import read_only_uri

if TYPE_CHECKING:
    from workstation.storage.other_workspace import QueryTimer

DEFAULT_BUSY_TIMEOUT_MS = 3000


class Workspace:
    """One open workspace file and its single writer connection.

    All writes happen inside :meth:`transaction`; each mutation there also appends its row to
    the ``changes`` log, so a crash can never leave a change without its log entry.

    A writable workspace holds the instance lock (one writer per file, across processes)
    until :meth:`close`. ``read_only_reason`` is set by whoever fell back to a read-only
    open, to tell the user why changes are disabled (e.g. WorkspaceInUse's detail).

    ``untrusted`` lists how the schema differs from the migrations' (``schema_verify``),
    checked right after connecting, before anything could write: such a workspace opens
    read-only (``PRAGMA query_only`` too, so no statement can fire a planted trigger) and
    every write is refused with one line naming them, until ``check --repair``
    (``schema_repair``) removes them. ``moved_wal`` is a foreign ``-wal`` moved aside before
    the writer's open (``wal_guard``).
    """

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        author: str,
        read_only: bool,
        lock: instance_lock.InstanceLock | None = None,
    ):
        self.path = path
        self.conn = conn
        self.db = Database(conn)
        self.author = author
        self.read_only = read_only
        self.read_only_reason: str | None = None
        self.untrusted: tuple[schema_verify.Deviation, ...] = ()
        self.moved_wal: wal_guard.ForeignWal | None = None
        # Another officer's workspace, being merged: bounds each read (other_workspace).
        self.time_limit: QueryTimer | None = None
        self.busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS  # lent to worker connections
        self._lock = lock
        self._depth = 0
        self._pending: ChangeSet | None = None
        self.records = RecordStore(self)

    # -- transactions -----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[ChangeSet]:
        """One atomic unit of work. Nested calls join the outer transaction.

        Yields the ChangeSet that collects every change made inside it.
        """
        if self.read_only:
            if self.untrusted:
                raise errors.WorkspaceUntrusted(self.path, schema_verify.describe(self.untrusted))
            raise errors.WorkspaceReadOnly(self.path)
        if self._depth:
            self._depth += 1
            try:
                assert self._pending is not None
                yield self._pending
            finally:
                self._depth -= 1
            return
        with self.sqlite_errors():
            self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        self._pending = ChangeSet()
        try:
            yield self._pending
            with self.sqlite_errors():
                self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
            self._pending = None

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @property
    def holds_lock(self) -> bool:
        """Opened as the writer (the instance lock is ours), even if flagged read-only."""
        return self._lock is not None

    def record_change(self, change: Change) -> None:
        if self._pending is None:
            raise RuntimeError("mutations must run inside Workspace.transaction()")
        self._pending.add(change)

    @contextmanager
    def sqlite_errors(self) -> Iterator[None]:
        """Turn SQLite's environment errors (locked, full, read-only…) into WorkspaceErrors."""
        try:
            yield
        except sqlite3.Error as exc:
            translated = errors.translate(exc, self.path)
            if translated is exc:
                raise
            raise translated from exc
        except UnicodeDecodeError as exc:  # bytes in a text column that SQLite never wrote
            raise errors.WorkspaceCorrupt(self.path) from exc

    # -- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        if self.conn is not None:
            try:
                if not self.read_only:
                    # Fold the WAL back so the file is complete on its own when copied.
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # busy readers elsewhere: the WAL stays, SQLite recovers it next open
            self.conn.close()
            self.conn = None  # type: ignore[assignment]
        if self._lock is not None:
            # Only after the connection (and its checkpoint) is gone: the next writer
            # must not start while we still touch the file.
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        version: int = self.conn.execute("PRAGMA user_version").fetchone()[0]
        return version


def log_folded(path: Path | str) -> bool:
    """Whether the workspace at ``path`` is whole on its own: no ``-wal`` beside it holding
    frames. Closing folds the log back; when that cannot finish (the disk filled up), the
    log keeps committed work, and the file must not be moved or copied without it."""
    wal = Path(str(path) + "-wal")
    try:
        return wal.stat().st_size == 0
    except FileNotFoundError:
        return True


def create_workspace(path: Path | str, *, author: str) -> Workspace:
    """Create a new, empty workspace (schema applied, no content) and open it."""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise errors.NotAWorkspace(path, "a file already exists here; not overwriting it")
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = instance_lock.acquire(path)
    try:
        if path.exists() and path.stat().st_size > 0:  # created by another writer meanwhile
            raise errors.NotAWorkspace(path, "a file already exists here; not overwriting it")
        return _open(
            path,
            author=author,
            create=True,
            read_only=False,
            busy_timeout_ms=DEFAULT_BUSY_TIMEOUT_MS,
            lock=lock,
        )
    except BaseException:
        lock.release()
        raise


def open_workspace(
    path: Path | str,
    *,
    author: str,
    read_only: bool = False,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    allow_untrusted: bool = False,
) -> Workspace:
    """Open an existing workspace, migrating it forward if it is older than this build.

    A writer first takes the instance lock (before anything is written, migrations
    included) and raises WorkspaceInUse if another workstation holds it; a read-only open
    never takes it, so it works beside a writer. Holding the lock, a writer moves a foreign
    ``-wal`` aside before SQLite can read it (``wal_guard``).

    A workspace whose schema differs from the migrations' opens flagged ``untrusted`` (see
    Workspace); one that also needs migrating cannot be read as it is and is refused
    (WorkspaceUntrusted) unless ``allow_untrusted`` (the repair, which removes what differs
    first and then migrates).
    """
    path = Path(path)
    if not path.is_file():
        raise errors.WorkspaceMissing(path)
    if read_only:
        return _open(
            path, author=author, create=False, read_only=True, busy_timeout_ms=busy_timeout_ms
        )
    if not _writable(path):
        raise errors.WorkspaceReadOnly(path)
    lock = instance_lock.acquire(path)
    try:
        moved = _move_foreign_wal_aside(path)
        workspace = _open(
            path,
            author=author,
            create=False,
            read_only=False,
            busy_timeout_ms=busy_timeout_ms,
            lock=lock,
            allow_untrusted=allow_untrusted,
        )
    except BaseException:
        lock.release()
        raise
    workspace.moved_wal = moved
    return workspace


def open_worker_connection(workspace: Workspace, *, writes: bool = True) -> Workspace:
    """A second connection to ``workspace``'s file, for one background operation, on the
    thread that calls this (sqlite3 ties a connection to its thread); close it there too.

    It writes under the instance lock the opened workspace already holds (it takes no lock
    of its own: a second ``flock`` in this process would be refused by our own lock), and
    only while that workspace's own connection writes nothing: the GUI refuses edits while
    a writing operation runs, so there is still one writer at a time (the WAL-reset bug of
    SQLite 3.40 needs two connections writing or checkpointing at once). SQLite's write
    lock and ``busy_timeout`` back that up. With ``writes=False``, or when the workspace is
    read-only, it is a read-only connection (``mode=ro``; ``query_only`` too).

    In WAL mode the workspace's own connection keeps reading meanwhile and sees the work
    once it commits.
    """
    if workspace.conn is None:
        raise RuntimeError("the workspace is closed")
    writable = writes and not workspace.read_only
    if writable and not workspace.holds_lock:
        raise RuntimeError("only a workspace opened for writing lends a writing connection")
    path = workspace.path
    uri = f"{path.resolve().as_uri()}?mode=rw" if writable else read_only_uri(path)
    busy = workspace.busy_timeout_ms  # not asked of its connection: another thread's
    conn = _connect(uri, path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy)}")
        if not writable:
            conn.execute("PRAGMA query_only = 1")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        _reraise(exc, path)
    worker = Workspace(path, conn, author=workspace.author, read_only=not writable)
    worker.busy_timeout_ms = busy
    worker.read_only_reason = workspace.read_only_reason
    worker.untrusted = workspace.untrusted
    return worker


def _move_foreign_wal_aside(path: Path) -> wal_guard.ForeignWal | None:
    try:
        return wal_guard.move_aside(path)
    except OSError as exc:
        raise errors.WorkspaceError(
            path,
            f"the -wal beside it is not the workspace's own and cannot be moved aside "
            f"({exc.strerror or exc}); move it away by hand",
        ) from exc


def _writable(path: Path) -> bool:
    # SQLite needs to write the file and create -wal/-shm files beside it.
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _open(
    path: Path,
    *,
    author: str,
    create: bool,
    read_only: bool,
    busy_timeout_ms: int,
    lock: instance_lock.InstanceLock | None = None,
    allow_untrusted: bool = False,
) -> Workspace:
    if read_only:
        uri = read_only_uri(path)
    else:
        uri = f"{path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"
    conn = _connect(uri, path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        _refuse_foreign_or_newer(conn, path, create=create)
        # Before anything could write (and so fire a trigger): is the schema ours?
        untrusted = () if create else tuple(schema_verify.deviations(conn))
        if untrusted:
            conn.execute("PRAGMA query_only = 1")
        elif not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # On failure below the caller still releases the lock (releasing is idempotent).
        workspace = Workspace(path, conn, author=author, read_only=read_only, lock=lock)
        workspace.busy_timeout_ms = busy_timeout_ms
        if untrusted:
            _flag_untrusted(workspace, untrusted, allow=allow_untrusted)
            return workspace
        if not read_only:
            _migrate(workspace)
        elif migrations.pending(workspace.db):
            raise errors.WorkspaceReadOnly(path)
        _verify_columns(conn, path)
        return workspace
    except sqlite3.Error as exc:
        conn.close()
        _reraise(exc, path)
    except UnicodeDecodeError as exc:  # text in the file's own tables that SQLite never wrote
        conn.close()
        raise errors.WorkspaceCorrupt(path) from exc
    except BaseException:
        conn.close()
        raise


def _flag_untrusted(
    workspace: Workspace, found: tuple[schema_verify.Deviation, ...], *, allow: bool
) -> None:
    """Open it read-only for writing, naming what differs; refuse it where reading it as it
    is would fail or could hang (a table gone or replaced, columns missing, steps pending)."""
    detail = schema_verify.describe(found)
    path = workspace.path
    pending = bool(migrations.pending(workspace.db))
    if not allow and (pending or any(d.blocks_reading for d in found)):
        raise errors.WorkspaceUntrusted(path, detail)
    if not pending and not any(d.blocks_reading for d in found):
        _verify_columns(workspace.conn, path)  # a table without its columns is damage
    workspace.untrusted = found
    workspace.read_only = True
    workspace.read_only_reason = detail


def finish_opening(workspace: Workspace) -> None:
    """After ``schema_repair`` made the schema the migrations' again: writable, migrated."""
    if workspace._lock is None:
        raise RuntimeError("only the writer (holding the instance lock) repairs a schema")
    workspace.untrusted = ()
    workspace.read_only = False
    workspace.read_only_reason = None
    with workspace.sqlite_errors():
        workspace.conn.execute("PRAGMA query_only = 0")
        workspace.conn.execute("PRAGMA journal_mode = WAL")
        _migrate(workspace)
        _verify_columns(workspace.conn, workspace.path)


def _verify_columns(conn: sqlite3.Connection, path: Path) -> None:
    """Every record table has every column its record needs.

    A damaged schema (a flipped byte in a CREATE TABLE's text) can pass integrity_check
    and then fail each query with 'no such column', which would look like a bug; checked
    here once, it is reported as the damage it is (about 1 ms)."""
    for cls in RECORD_TYPES:
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({cls.TABLE})")}
        missing = [f.name for f in dataclasses.fields(cls) if f.name not in present]
        if missing:
            raise errors.WorkspaceCorrupt(path)


def _translated(exc: sqlite3.Error, path: Path) -> Exception:
    """An environment problem as its WorkspaceError; anything else (a bug, e.g. in a
    migration) stays itself, so it is reported as a bug and not as a damaged file."""
    return errors.translate(exc, path)


def _reraise(exc: sqlite3.Error, path: Path) -> NoReturn:
    """Raise ``exc`` as its WorkspaceError, or as itself when it is a bug."""
    translated = _translated(exc, path)
    if translated is exc:
        raise exc
    raise translated from exc


def _connect(uri: str, path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves. check_same_thread stays on:
    # each connection belongs to the thread that opened it, and sqlite3 enforces that.
    try:
        return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=True)
    except sqlite3.Error as exc:
        _reraise(exc, path)


def _refuse_foreign_or_newer(conn: sqlite3.Connection, path: Path, *, create: bool) -> None:
    """Read-only checks, before anything is written to the file."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if app_id != APPLICATION_ID:
        if (tables - {"_sqlite_migrations"}) or not create:
            raise errors.NotAWorkspace(path, "an SQLite file, but not a workstation workspace")
        return
    if "_sqlite_migrations" not in tables:
        raise errors.WorkspaceCorrupt(path)
    applied = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
        )
    }
    unknown = sorted(applied - set(known_migration_names()))
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if unknown or version > len(known_migration_names()):
        steps = f", unknown steps {', '.join(unknown)}" if unknown else ""
        raise errors.WorkspaceTooNew(path, f"schema {version}{steps}")


def _migrate(workspace: Workspace) -> None:
    db = workspace.db
    with workspace.sqlite_errors():
        if migrations.pending(db):
            migrations.apply(db)
        # Set whenever it differs, not only after applying: a crash between the last
        # migration's commit and this line would otherwise leave it stale for good.
        if workspace.schema_version() != len(known_migration_names()):
            db.execute(f"PRAGMA user_version = {len(known_migration_names())}")
