"""Generic persistence of domain records, each write logged in the ``changes`` table."""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from workstation.domain.dates import utc_now_iso
from workstation.domain.records import Change, Record, per_record_type
from workstation.storage import errors

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace

R = TypeVar("R", bound=Record)


@per_record_type
def _fields(cls: type[Record]) -> tuple[dataclasses.Field[Any], ...]:
    # dataclasses.fields() rebuilds its tuple on every call: a tenth of reading 100k rows.
    return dataclasses.fields(cls)


@per_record_type
def _columns(cls: type[Record]) -> tuple[str, ...]:
    return tuple(f.name for f in _fields(cls))


def _quoted(column: str) -> str:
    return f'"{column}"'


def to_row(record: Record) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in _fields(type(record)):
        value = getattr(record, f.name)
        if f.name in record.JSON_FIELDS:
            # Most are empty (every record's ``claimed``): "{}" needs no encoder.
            empty = None if value else _EMPTY.get(type(value))
            value = empty or json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif isinstance(value, bool):
            value = int(value)
        row[f.name] = value
    return row


def from_row(cls: type[R], row: dict[str, Any]) -> R:
    values: dict[str, Any] = {}
    for f in _fields(cls):
        value = row[f.name]
        if f.name in cls.JSON_FIELDS:
            value = {} if value == "{}" else json.loads(value)
        elif f.type == "bool":
            value = bool(value)
        values[f.name] = value
    return cls(**values)


def loggable(record: Record) -> dict[str, Any]:
    """The record as the change log keeps it (large fields left out: they have hashes)."""
    # Copied field by field: only the JSON fields hold lists or mappings, and the change
    # (kept on the undo stack) must not share them with a record. asdict's deep copy of
    # every field was a third of the cost of each save.
    unlogged, nested = record.UNLOGGED_FIELDS, record.JSON_FIELDS
    return {
        name: _copied(getattr(record, name)) if name in nested else getattr(record, name)
        for name in _columns(type(record))
        if name not in unlogged
    }


_EMPTY: dict[type, str] = {dict: "{}", list: "[]"}


def _copied(value: Any) -> Any:
    return type(value)() if type(value) in _EMPTY and not value else copy.deepcopy(value)


@functools.lru_cache(maxsize=256)
def _select_sql(
    cls: type[Record],
    tests: tuple[tuple[str, bool], ...],  # (column, compared with NULL)
    include_deleted: bool,
    order_by: str | None,
    limit: int | None,
) -> str:
    # Built once per shape of query: a save reads a few records, and building the same
    # SELECT each time cost as much as running it.
    clauses = []
    for column, is_null in tests:
        if column not in _columns(cls):
            raise KeyError(f"{cls.__name__} has no field {column!r}")
        clauses.append(f"{_quoted(column)} IS NULL" if is_null else f"{_quoted(column)} = ?")
    if not include_deleted:
        clauses.append("deleted_at IS NULL")
    sql = f"SELECT {', '.join(map(_quoted, _columns(cls)))} FROM {cls.TABLE}"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    order = order_by or ("seq" if cls.TABLE in _SEQ_TABLES else "created_at, id")
    if order not in _ORDERINGS:
        raise ValueError(f"unsupported ordering {order!r}")
    sql += f" ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return sql


class RecordStore:
    """Create, read, update and tombstone any domain record."""

    def __init__(self, workspace: Workspace):
        self._ws = workspace

    # -- reads ------------------------------------------------------------------------------

    def get(self, cls: type[R], record_id: str, *, include_deleted: bool = False) -> R | None:
        found = list(self.where(cls, {"id": record_id}, include_deleted=include_deleted))
        return found[0] if found else None

    def where(
        self,
        cls: type[R],
        equals: dict[str, Any] | None = None,
        *,
        include_deleted: bool = False,
        order_by: str | None = None,
        limit: int | None = None,
    ) -> Iterator[R]:
        equals = equals or {}
        sql = _select_sql(
            cls,  # type: ignore[arg-type]  # a class is Hashable; mypy says not (mypy#11470)
            tuple((column, equals[column] is None) for column in equals),
            include_deleted,
            order_by,
            limit,
        )
        params = [value for value in equals.values() if value is not None]
        with self._ws.sqlite_errors():
            cursor = self._ws.conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        for row in rows:
            yield from_row(cls, dict(zip(names, row, strict=True)))

    def count(self, cls: type[Record], *, include_deleted: bool = False) -> int:
        sql = f"SELECT count(*) FROM {cls.TABLE}"
        if not include_deleted:
            sql += " WHERE deleted_at IS NULL"
        with self._ws.sqlite_errors():
            count: int = self._ws.conn.execute(sql).fetchone()[0]
        return count

    # -- writes (each logged) ---------------------------------------------------------------

    def insert(self, record: R, *, keep_stamps: bool = False) -> R:
        """Insert ``record``; stamps author and times unless ``keep_stamps`` (merges)."""
        if not keep_stamps:
            now = utc_now_iso()
            record = dataclasses.replace(
                record, created_at=now, updated_at=now, author=self._ws.author
            )
        row = to_row(record)
        columns = list(row)
        sql = (
            f"INSERT INTO {record.TABLE} ({', '.join(map(_quoted, columns))}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        self._execute(sql, [row[c] for c in columns])
        self._log("create", record.TABLE, record.id, None, loggable(record))
        return record

    def update(self, record: R, **changes: Any) -> R:
        """Write ``changes`` to ``record``; returns the updated record. No-op if unchanged."""
        unknown = set(changes) - set(_columns(type(record)))
        if unknown:
            raise KeyError(f"{type(record).__name__} has no fields {sorted(unknown)}")
        effective = {k: v for k, v in changes.items() if getattr(record, k) != v}
        if not effective:
            return record
        updated = dataclasses.replace(record, **effective, updated_at=utc_now_iso())
        row = to_row(updated)
        columns = [*effective, "updated_at"]
        assignments = ", ".join(f"{_quoted(c)} = ?" for c in columns)
        self._execute(
            f"UPDATE {record.TABLE} SET {assignments} WHERE id = ?",
            [row[c] for c in columns] + [record.id],
        )
        action = "update"
        if "deleted_at" in effective:
            action = "delete" if updated.deleted_at else "restore"
        self._log(action, record.TABLE, record.id, loggable(record), loggable(updated))
        return updated

    def tombstone(self, record: R) -> R:
        if record.deleted_at is not None:
            return record
        return self.update(record, deleted_at=utc_now_iso())

    def restore(self, record: R) -> R:
        return self.update(record, deleted_at=None)

    # -- internals --------------------------------------------------------------------------

    def _execute(self, sql: str, params: list[Any]) -> None:
        if not self._ws.in_transaction:
            raise RuntimeError("mutations must run inside Workspace.transaction()")
        with self._ws.sqlite_errors():
            try:
                self._ws.conn.execute(sql, params)
            except sqlite3.IntegrityError as exc:
                raise errors.conflict(exc) from exc

    def _log(
        self,
        action: str,
        table: str,
        record_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        self._execute(
            "INSERT INTO changes (at, author, action, table_name, record_id, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                utc_now_iso(),
                self._ws.author,
                action,
                table,
                record_id,
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
            ],
        )
        self._ws.record_change(Change(action, table, record_id, before, after))


_SEQ_TABLES = {"documents", "annotations", "entities"}
_ORDERINGS = {
    "seq",
    "created_at, id",
    "position, name",
    "position",
    "date, created_at",
    "name",
    'start, "end"',
    "document_id, start",
}
