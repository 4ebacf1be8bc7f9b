"""Queries an import needs to keep ids honest: which kind of record an id already names."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from workstation.domain.records import RECORD_TYPES

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace


@functools.cache
def _kind_sql() -> str:
    # One statement, one index probe per table (every ``id`` is a key or UNIQUE).
    return (
        " UNION ALL ".join(
            f"SELECT '{cls.TABLE}' FROM {cls.TABLE} WHERE id = ?1" for cls in RECORD_TYPES
        )
        + " LIMIT 1"
    )


def table_holding(ws: Workspace, record_id: str) -> str | None:
    """The table of the record (live or tombstoned) whose id is ``record_id``, or None."""
    with ws.sqlite_errors():
        row = ws.conn.execute(_kind_sql(), [record_id]).fetchone()
    return row[0] if row else None
