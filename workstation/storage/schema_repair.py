"""Putting a workspace's schema back to the migrations' (``workstation check --repair``).

What differs (``schema_verify``) is put right in one transaction on the writer's connection,
after the caller took a verified backup: foreign triggers, views, indexes and tables are
dropped (triggers first, so nothing fires meanwhile); a trigger, view or index the
migrations make but that was altered, replaced or removed is recreated from the
migrations' own SQL. A table's own definition is never rebuilt in place (its rows would
have to be copied through a guess): it is reported and the workspace stays read-only.

Each object dropped or recreated is logged in ``changes`` (action ``schema``, table
``sqlite_master``, the object's type and SQL before and after), in the same transaction.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from workstation.domain.dates import utc_now_iso
from workstation.storage import errors, schema_verify
from workstation.storage.schema_verify import Deviation
from workstation.storage.workspace import Workspace, finish_opening

# Dropped in this order (nothing left to fire), recreated in the reverse.
_DROP_ORDER = {"trigger": 0, "view": 1, "index": 2, "table": 3}
_CREATE_ORDER = {"table": 0, "view": 1, "index": 2, "trigger": 3}


@dataclass(frozen=True)
class SchemaFix:
    deviation: Deviation
    what: str  # "removed", or "restored"/"recreated" from the migrations' SQL

    def __str__(self) -> str:
        return f"{self.deviation.type} {self.deviation.name}: {self.what}"


@dataclass
class SchemaRepair:
    fixed: list[SchemaFix]
    left: list[Deviation]  # what a repair may not touch, or could not (each says why)
    failures: dict[str, str]  # object name → SQLite's reason, for what failed to go


def restore_schema(ws: Workspace) -> SchemaRepair:
    """Drop what is foreign and recreate what was altered (see the module notes); when
    nothing is left, the workspace becomes writable and is migrated."""
    if not ws.holds_lock:
        raise errors.WorkspaceReadOnly(ws.path)
    with ws.sqlite_errors():
        found = schema_verify.deviations(ws.conn)
    fixable = [d for d in found if d.repairable]
    result = SchemaRepair(fixed=[], left=[d for d in found if not d.repairable], failures={})
    if fixable:
        _apply(ws, fixable, result)
    with ws.sqlite_errors():
        remaining = tuple(schema_verify.deviations(ws.conn))
    if remaining:
        ws.untrusted = remaining
        ws.read_only = True
        ws.read_only_reason = schema_verify.describe(remaining)
        result.left = list(remaining)
    else:
        finish_opening(ws)
        result.left = []
    return result


def _apply(ws: Workspace, fixable: list[Deviation], result: SchemaRepair) -> None:
    conn = ws.conn
    before: dict[str, str | None] = {}
    with ws.sqlite_errors():
        conn.execute("PRAGMA query_only = 0")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for deviation in sorted(fixable, key=lambda d: _drop_order(conn, d)):
                    before[deviation.name] = _sql_of(conn, deviation.name)
                    if deviation.kind != "missing":
                        drop = f"DROP {deviation.type.upper()} IF EXISTS {_quoted(deviation.name)}"
                        _run(conn, drop, deviation, result)
                for deviation in sorted(fixable, key=_create_order):
                    if deviation.expected is not None and deviation.name not in result.failures:
                        _run(conn, deviation.expected.sql, deviation, result)
                done = [d for d in fixable if d.name not in result.failures]
                _log(ws, [(d, before[d.name]) for d in done], result)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                result.fixed.clear()
                raise
        finally:
            conn.execute(f"PRAGMA query_only = {1 if ws.read_only else 0}")


def _drop_order(conn: sqlite3.Connection, deviation: Deviation) -> tuple[int, bool]:
    # A foreign virtual table before the plain tables that are its shadow tables.
    sql = _sql_of(conn, deviation.name) or ""
    return _DROP_ORDER.get(deviation.type, 9), not sql.upper().startswith("CREATE VIRTUAL")


def _create_order(deviation: Deviation) -> int:
    return _CREATE_ORDER.get(deviation.expected.type, 9) if deviation.expected else 9


def _run(conn: sqlite3.Connection, sql: str, deviation: Deviation, result: SchemaRepair) -> bool:
    """One statement; a failure (a foreign virtual table whose module is not here) is kept
    for the report and the rest goes on (SQLite undoes just that statement)."""
    try:
        conn.execute(sql)
    except sqlite3.OperationalError as exc:
        result.failures[deviation.name] = str(exc)
        return False
    return True


def _log(ws: Workspace, log: list[tuple[Deviation, str | None]], result: SchemaRepair) -> None:
    now = utc_now_iso()
    rows = []
    for deviation, before in log:
        after = deviation.expected.sql if deviation.expected is not None else None
        if deviation.expected is None:
            what = "removed"
        elif deviation.kind == "missing":
            what = "recreated"
        else:
            what = "restored"
        result.fixed.append(SchemaFix(deviation, what))
        rows.append(
            [
                now,
                ws.author,
                "schema",
                "sqlite_master",
                deviation.name,
                _json(deviation.type, before),
                _json(deviation.expected.type if deviation.expected else None, after),
            ]
        )
    ws.conn.executemany(
        "INSERT INTO changes (at, author, action, table_name, record_id, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _json(kind: str | None, sql: str | None) -> str | None:
    return None if sql is None else json.dumps({"type": kind, "sql": sql}, ensure_ascii=False)


def _sql_of(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
