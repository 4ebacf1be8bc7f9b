"""The SQL a workspace merge needs.

Reads: every record of a type, tombstones included, in one query per table; the bodies of
chosen documents; the change-log history of chosen records. Writes: records and field
values that keep the other officer's stamps (``author``, ``created_at``, ``updated_at``),
in batches (``executemany``), each row still logged in ``changes`` like any mutation.

The write functions return the :class:`Change` rows they logged without announcing them to
the open transaction's ChangeSet: the merge service decides which of them belong in the
one undo step it hands to the GUI.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from workstation.domain.dates import utc_now_iso
from workstation.domain.records import Change, Record, per_record_type
from workstation.storage import errors, other_workspace

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace

R = TypeVar("R", bound=Record)

# Ids per ``IN (...)`` list: far below SQLite's limit on bound variables.
_CHUNK = 500
# Inserts of at least this many rows go through a staging table and one INSERT … SELECT:
# row by row, each statement's savepoint makes FTS5 flush its pending terms, and 100k
# passages took 6 s instead of 2 s.
_STAGED_FROM = 100
# A change-log row that records a version seen in another workspace and superseded by ours
# (a conflict ours won). Its ``before`` is their version, its ``after`` ours; it changes no
# record, but the next merge finds their version in our history and does not ask again.
SUPERSEDED = "superseded"


# -- opening the other workspace ------------------------------------------------------------

# Read-only, known tables only, under a time limit: see ``other_workspace``.
open_other = other_workspace.open_other


def _limited(ws: Workspace) -> AbstractContextManager[None]:
    """The other workspace's per-statement time limit around a read; nothing for ours."""
    return ws.time_limit.limit() if ws.time_limit is not None else nullcontext()


# -- reads ----------------------------------------------------------------------------------

_FREED_AT_ONCE = 2000


def free_gradually(items: list[Any]) -> None:
    """Empty ``items`` a slice at a time. Freeing 100k rows or records at once is one
    C-level cascade of deallocations that holds the GIL throughout (50 ms for 100k row
    tuples, 190 ms for 100k records with their fields): a merge runs in a worker thread,
    and the GUI thread would wait that long (bench/gui_stall_bench.py). Between slices the
    interpreter can hand the GIL over. Only what nothing else still holds is freed."""
    while items:
        del items[-_FREED_AT_ONCE:]


def read_all(ws: Workspace, cls: type[R], *, bodies: bool = False) -> list[R]:
    """Every record of ``cls``, tombstones included, in the order they were written.

    Large unlogged fields (a document's body) are left empty unless ``bodies``: a merge
    never compares or rewrites them (the sha256 stands for the body).
    """
    shape = _shape(cls)
    skipped = () if bodies else cls.UNLOGGED_FIELDS
    selected = [name for name in shape.names if name not in skipped]
    columns = ", ".join(f'"{name}"' for name in selected)
    with _limited(ws), ws.sqlite_errors():
        rows = ws.conn.execute(f"SELECT {columns} FROM main.{cls.TABLE} ORDER BY rowid").fetchall()
    blanks: dict[str, Any] = dict.fromkeys(skipped, "")
    records = []
    for row in rows:
        values = dict(zip(selected, row, strict=True))
        for name in shape.json:
            try:
                values[name] = json.loads(values[name])
            except (TypeError, ValueError) as exc:  # CHECKs can be switched off by anyone
                raise errors.WorkspaceCorrupt(ws.path) from exc
        for name in shape.bools:
            values[name] = bool(values[name])
        records.append(cls(**blanks, **values))
    free_gradually(rows)
    return records


def document_bodies(ws: Workspace, document_ids: Iterable[str]) -> dict[str, str]:
    """Document id → body, for the given ids."""
    found: dict[str, str] = {}
    for chunk in _chunks(list(document_ids)):
        marks = ", ".join("?" for _ in chunk)
        with _limited(ws), ws.sqlite_errors():
            rows = ws.conn.execute(
                f"SELECT id, body FROM main.documents WHERE id IN ({marks})", chunk
            ).fetchall()
        found.update(rows)
    return found


@dataclass
class RecordHistory:
    """What the change log knows of one record."""

    # before/after snapshots, oldest first
    versions: list[dict[str, Any]] = field(default_factory=list)
    editor: str | None = None  # who made its latest change


def history(ws: Workspace, table: str, record_ids: Iterable[str]) -> dict[str, RecordHistory]:
    """Record id → its history, for the given ids of ``table``."""
    found: dict[str, RecordHistory] = {}
    for chunk in _chunks(list(record_ids)):
        marks = ", ".join("?" for _ in chunk)
        with _limited(ws), ws.sqlite_errors():
            rows = ws.conn.execute(
                "SELECT record_id, author, action, before, after FROM main.changes "
                f"WHERE table_name = ? AND record_id IN ({marks}) ORDER BY seq",
                [table, *chunk],
            ).fetchall()
        for record_id, author, action, before, after in rows:
            kept = found.setdefault(record_id, RecordHistory())
            kept.versions.extend(json.loads(s) for s in (before, after) if s is not None)
            if action != SUPERSEDED:
                kept.editor = author
    return found


# -- writes ---------------------------------------------------------------------------------


def defer_foreign_keys(ws: Workspace) -> None:
    """Check foreign keys at COMMIT, not per row: records referring to others of the same
    table (a category's parent, an event's answer) can then be written in any order. SQLite
    resets this at the end of the transaction."""
    _require_transaction(ws)
    with ws.sqlite_errors():
        ws.conn.execute("PRAGMA defer_foreign_keys = ON")


def insert_keeping_stamps(ws: Workspace, records: Sequence[Record]) -> list[Change]:
    """Insert ``records`` (all of one type) as they are, stamps included; log each."""
    if not records:
        return []
    table, shape = records[0].TABLE, _shape(type(records[0]))
    names = ", ".join(f'"{c}"' for c in shape.names)
    marks = ", ".join("?" for _ in shape.names)
    rows = [_row(record, shape) for record in records]
    if len(rows) < _STAGED_FROM:
        _write_many(ws, f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    else:
        staging = f"CREATE TEMP TABLE merge_staging AS SELECT {names} FROM {table} LIMIT 0"
        with ws.sqlite_errors():
            ws.conn.execute(staging)
        _write_many(ws, f"INSERT INTO temp.merge_staging VALUES ({marks})", rows)
        _write_many(
            ws,
            f"INSERT INTO main.{table} ({names}) SELECT {names} FROM temp.merge_staging "
            "ORDER BY rowid",
            [[]],
        )
        # On failure the rollback takes the staging table away with everything else.
        with ws.sqlite_errors():
            ws.conn.execute("DROP TABLE temp.merge_staging")
    changes = [Change("create", table, record.id, None, _snapshot(record)) for record in records]
    _log_many(ws, changes)
    return changes


def update_keeping_stamps(
    ws: Workspace, updates: Sequence[tuple[Record, dict[str, Any]]]
) -> list[Change]:
    """Write each ``(record, values)``; ``values`` carry the stamps to keep (``updated_at``,
    ``author``) alongside the fields. Rows writing the same columns go in one batch."""
    batches: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {}
    changes: list[Change] = []
    for record, values in updates:
        updated = dataclasses.replace(record, **values)
        shape = _shape(type(record))
        row = dict(zip(shape.names, _row(updated, shape), strict=True))
        columns = tuple(values)
        batches.setdefault((record.TABLE, columns), []).append(
            [row[c] for c in columns] + [record.id]
        )
        action = "update"
        if "deleted_at" in values and (record.deleted_at is None) != (updated.deleted_at is None):
            action = "delete" if updated.deleted_at else "restore"
        changes.append(
            Change(action, record.TABLE, record.id, _snapshot(record), _snapshot(updated))
        )
    for (table, columns), rows in batches.items():
        assignments = ", ".join(f'"{c}" = ?' for c in columns)
        _write_many(ws, f"UPDATE {table} SET {assignments} WHERE id = ?", rows)
    _log_many(ws, changes)
    return changes


def log_superseded(ws: Workspace, entries: Sequence[tuple[Record, Record]]) -> None:
    """Log, for each ``(theirs, ours)``, that their version was seen and ours kept."""
    _log_many(
        ws,
        [
            Change(SUPERSEDED, ours.TABLE, ours.id, _snapshot(theirs), _snapshot(ours))
            for theirs, ours in entries
        ],
    )


def _log_many(ws: Workspace, changes: Sequence[Change]) -> None:
    if not changes:
        return
    now = utc_now_iso()
    _write_many(
        ws,
        "INSERT INTO changes (at, author, action, table_name, record_id, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [now, ws.author, c.action, c.table, c.record_id, _json(c.before), _json(c.after)]
            for c in changes
        ],
    )


def _write_many(ws: Workspace, sql: str, rows: list[list[Any]]) -> None:
    """Every merge write passes here (tests interrupt a merge by making it fail)."""
    _require_transaction(ws)
    with ws.sqlite_errors():
        try:
            ws.conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise errors.conflict(exc) from exc


@dataclass(frozen=True)
class _Shape:
    """A record type's columns, worked out once: ``dataclasses.fields`` per record was a
    third of a 100k-passage merge."""

    names: tuple[str, ...]
    json: tuple[str, ...]
    bools: tuple[str, ...]
    logged: tuple[str, ...]


@per_record_type
def _shape(cls: type[Record]) -> _Shape:
    fields = dataclasses.fields(cls)
    return _Shape(
        names=tuple(f.name for f in fields),
        json=cls.JSON_FIELDS,
        bools=tuple(f.name for f in fields if f.type in ("bool", bool)),
        logged=tuple(f.name for f in fields if f.name not in cls.UNLOGGED_FIELDS),
    )


def _row(record: Record, shape: _Shape) -> list[Any]:
    """Column values in ``shape.names`` order, as ``records.to_row`` stores them."""
    values = []
    for name in shape.names:
        value = getattr(record, name)
        if name in shape.json:
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif isinstance(value, bool):
            value = int(value)
        values.append(value)
    return values


def _snapshot(record: Record) -> dict[str, Any]:
    """The record as ``records.loggable`` logs it, without ``asdict``'s deep copy of every
    field (8 s of a 100k-passage merge); only the JSON fields are mutable, so only they are
    copied."""
    data = {name: getattr(record, name) for name in _shape(type(record)).logged}
    for name in record.JSON_FIELDS:
        data[name] = copy.deepcopy(data[name])
    return data


def _require_transaction(ws: Workspace) -> None:
    if not ws.in_transaction:
        raise RuntimeError("mutations must run inside Workspace.transaction()")


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]
