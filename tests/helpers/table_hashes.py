"""Every table of a workspace, row by row, to say what a command changed and what it did not.

``table_rows(path)`` reads each table through a read-only connection (what was committed);
``table_hashes`` gives one hash per table, for "nothing changed at all"; ``assert_only_added``
checks that every row there before is still there, unchanged, and that rows were added only
to the tables named — "the good lines imported, the workspace otherwise unchanged".
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

# Full-text indexes rewrite their own pages as rows come and go: not rows of ours.
_INDEX_INTERNALS = ("_fts_data", "_fts_idx", "_fts_docsize", "_fts_config", "_fts_content")


def table_rows(path: Path | str) -> dict[str, frozenset[tuple]]:
    """Each table's rows (with rowid where it has one), read-only."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " ORDER BY name"
            )
        ]
        found = {}
        for table in tables:
            try:
                rows = conn.execute(f'SELECT rowid, * FROM "{table}"').fetchall()
            except sqlite3.OperationalError:  # a virtual table without rowid
                rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            found[table] = frozenset(rows)
        return found
    finally:
        conn.close()


def table_hashes(path: Path | str) -> dict[str, str]:
    """One sha256 per table over its rows in a fixed order."""
    return {
        table: hashlib.sha256(repr(sorted(rows, key=repr)).encode()).hexdigest()
        for table, rows in table_rows(path).items()
    }


def is_index_internal(table: str) -> bool:
    return table.endswith(_INDEX_INTERNALS)


def assert_only_added(
    before: dict[str, frozenset[tuple]],
    after: dict[str, frozenset[tuple]],
    *,
    tables: Iterable[str],
    changed: dict[str, int] | None = None,
) -> dict[str, frozenset[tuple]]:
    """Every row of ``before`` is in ``after`` unchanged, but for exactly ``changed[table]``
    rows of a table; new rows only in ``tables`` (and the change log, which records them).
    Returns the rows added or changed, by table."""
    allowed = {*tables, *(changed or {}), "changes"}
    assert set(after) == set(before), "tables appeared or vanished"
    added = {}
    for table, rows in before.items():
        if is_index_internal(table) or table.endswith("_fts"):
            continue
        missing = rows - after[table]
        expected = (changed or {}).get(table, 0)
        assert len(missing) == expected, f"{table}: {len(missing)} rows changed or removed"
        new = after[table] - rows
        if new:
            assert table in allowed, f"{table}: {len(new)} rows added"
            added[table] = new
    return added
