"""Is a workspace's schema the one the migrations make? (docs/architecture.md, "Trust boundaries".)

Anyone with the file can add to it with any SQLite tool: a trigger that rewrites judgments
on the next import, a view standing in for a table, a table of their own. So the schema is
compared, object by object, with what the migrations create for the same applied steps:
the migrations are run once into an in-memory database (cached per set of steps) and its
``sqlite_master`` is the expected one — no hand-kept list to fall out of step.

Compared: every table, index, trigger and view by name, type and SQL (whitespace runs
collapsed). Of what the migrations make, only a table is missed when absent: a trigger,
index or view that is gone runs nothing. Left out: SQLite's own objects (``sqlite_*``, whose
names nobody else may use) and sqlite-utils' bookkeeping table ``_sqlite_migrations`` with
its indexes (their SQL depends on the sqlite-utils version that made them; a trigger on it
is still foreign).

Reads ``sqlite_master`` and the list of applied steps (from a table, never a view of that
name): safe on any connection, before anything else runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlite_utils import Database

from workstation.storage.schema import MIGRATION_SET, migrations

MIGRATIONS_TABLE = "_sqlite_migrations"
# Objects a repair can recreate from the migrations' SQL without losing anything: they hold
# no rows of their own (a table does; its definition is not restored in place).
_RECREATABLE = ("trigger", "view", "index")
_SHOWN = 4  # objects named in one line; the rest are counted


@dataclass(frozen=True)
class SchemaObject:
    type: str
    name: str
    table: str
    sql: str  # as SQLite keeps it; compared normalised


@dataclass(frozen=True)
class Deviation:
    """One way the schema differs from the migrations'."""

    kind: str  # "unknown" | "altered" | "missing" | "replaced"
    type: str  # the object's type as found ("missing": as expected)
    name: str
    expected: SchemaObject | None = None  # the migrations' object of that name, if any

    def __str__(self) -> str:
        what = f"{self.type} {self.name}"
        if self.kind == "unknown":
            return f"{what} is not part of a workspace"
        if self.kind == "altered":
            return f"{what} differs from the workspace's own definition"
        if self.kind == "missing":
            return f"{what} is missing"
        assert self.expected is not None
        return f"{self.name} is a {self.type} where a workspace has a {self.expected.type}"

    @property
    def repairable(self) -> bool:
        """Whether ``check --repair`` can put it right without guessing: drop what is foreign,
        recreate what holds no rows. A table's own definition or its loss is not."""
        if self.kind == "unknown":
            return True
        assert self.expected is not None
        return self.expected.type in _RECREATABLE

    @property
    def blocks_reading(self) -> bool:
        """A table the workspace reads is gone or something else stands in its place."""
        return (
            self.expected is not None
            and self.expected.type == "table"
            and (self.kind in ("missing", "replaced"))
        )


def normalised(sql: str | None) -> str:
    return " ".join((sql or "").split())


def is_table(conn: sqlite3.Connection, name: str) -> bool:
    """``name`` is a table (a view of that name is never read: it could run for ever)."""
    row = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", [name]).fetchone()
    return row is not None and row[0] == "table"


def applied_steps(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The migrations this file says were applied, in the order they were."""
    if not is_table(conn, MIGRATIONS_TABLE):
        return ()
    try:
        rows = conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET],
        ).fetchall()
    except sqlite3.OperationalError:
        return ()
    return tuple(row[0] for row in rows)


@cache
def expected_schema(applied: frozenset[str]) -> dict[str, SchemaObject]:
    """Name → object, as the known migrations among ``applied`` make them (run in order into
    an in-memory database; ~20 ms, once per set)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db = Database(conn)
        migrations.ensure_migrations_table(db)
        for migration in migrations._migrations:
            if migration.name in applied:
                migration.fn(db)
        return {obj.name: obj for obj in _objects(conn)}
    finally:
        conn.close()


def deviations(conn: sqlite3.Connection, applied: Sequence[str] | None = None) -> list[Deviation]:
    """How the schema behind ``conn`` differs from the migrations' for its applied steps."""
    steps = frozenset(applied_steps(conn) if applied is None else applied)
    expected = expected_schema(steps)
    found = {obj.name: obj for obj in _objects(conn)}
    result: list[Deviation] = []
    for name, obj in found.items():
        want = expected.get(name)
        if want is None:
            if not _bookkeeping(obj):
                result.append(Deviation("unknown", obj.type, name))
        elif want.type != obj.type:
            result.append(Deviation("replaced", obj.type, name, want))
        elif name != MIGRATIONS_TABLE and normalised(obj.sql) != normalised(want.sql):
            result.append(Deviation("altered", obj.type, name, want))
    for name, want in expected.items():
        # A trigger, index or view that is gone runs nothing: not a matter of trust (the
        # full-text checks report what a missing trigger leaves undone). A table is.
        if name not in found and want.type == "table" and not _bookkeeping(want):
            result.append(Deviation("missing", want.type, name, want))
    order = {"replaced": 0, "missing": 1, "altered": 2, "unknown": 3}
    return sorted(result, key=lambda d: (order[d.kind], d.type, d.name))


def describe(found: Iterable[Deviation]) -> str:
    """One line naming what is wrong and what can be done: what the refusals say."""
    found = list(found)
    parts = []
    for kind, one, many in (
        ("replaced", None, None),
        ("missing", "is missing", "are missing"),
        (
            "altered",
            "differs from the workspace's own definition",
            "differ from the workspace's own definitions",
        ),
        ("unknown", "is not part of a workspace", "are not part of a workspace"),
    ):
        group = [d for d in found if d.kind == kind]
        if not group:
            continue
        if kind == "replaced":
            parts += [str(d) for d in group]
            continue
        names = [f"{d.type} {d.name}" for d in group[:_SHOWN]]
        if len(group) > _SHOWN:
            names.append(f"{len(group) - _SHOWN} more")
        parts.append(f"{', '.join(names)} {one if len(group) == 1 else many}")
    fixable = [d for d in found if d.repairable]
    if len(fixable) == len(found):
        it = "it" if len(found) == 1 else "them"
        advice = f"open read-only, or `workstation check --repair` removes {it} after a backup"
        if any(d.kind != "unknown" for d in found):
            advice = (
                f"open read-only, or `workstation check --repair` puts {it} right after a backup"
            )
    else:
        advice = "writing is refused: restore a backup (`workstation check` lists what differs)"
    return f"{'; '.join(parts)}; {advice}"


def _objects(conn: sqlite3.Connection) -> list[SchemaObject]:
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    return [SchemaObject(t, n, tbl, sql or "") for t, n, tbl, sql in rows]


def _bookkeeping(obj: SchemaObject) -> bool:
    """sqlite-utils' own migrations table and its indexes."""
    return obj.type in ("table", "index") and obj.table == MIGRATIONS_TABLE


def deviations_at(path: Path | str) -> list[Deviation]:
    """``deviations`` of the workspace file at ``path``, through a read-only connection of
    its own ([] when it cannot be read: opening it says why)."""
    from workstation.storage.uris import read_only_uri

    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return []
    try:
        conn.execute("PRAGMA query_only = 1")
        return deviations(conn)
    except (sqlite3.Error, UnicodeDecodeError):
        return []
    finally:
        conn.close()
