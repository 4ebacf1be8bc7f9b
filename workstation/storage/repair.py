"""The SQL of repairs that are not record edits: rebuilding the full-text indexes.

Record repairs (offsets, hashes, links) go through ``Workspace.records`` so each lands in
the change log; an index is derived data, rebuilt whole from the rows it mirrors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workstation.storage.integrity import (
    EXTERNAL_FTS,
    FTS_TABLES,
    indexed_entity_aliases,
    indexed_entity_name,
)

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace


def rebuild_fts(ws: Workspace, table: str) -> None:
    """Rebuild one full-text index from the live rows it should hold (inside a transaction)."""
    if table not in FTS_TABLES:
        raise ValueError(f"not a full-text index of the workspace: {table!r}")
    if not ws.in_transaction:
        raise RuntimeError("rebuild the index inside Workspace.transaction()")
    with ws.sqlite_errors():
        # 'rebuild' drops the whole index and re-reads its content: for the external-content
        # indexes that is the live-rows view, so nothing else is needed.
        ws.conn.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
        if table in EXTERNAL_FTS:
            return
        # entities_fts keeps its own copy of the text. The 'rebuild' above made the index
        # agree with that copy, so the copy can now be emptied row by row safely (deleting
        # from a broken index can fail), and refilled from the live entities exactly as the
        # triggers fill it (schema m008: without invisible characters).
        ws.conn.execute("DELETE FROM entities_fts")
        name, aliases = indexed_entity_name("name"), indexed_entity_aliases("aliases")
        ws.conn.execute(
            f"""INSERT INTO entities_fts(rowid, name, aliases)
                SELECT seq, {name}, {aliases} FROM entities WHERE deleted_at IS NULL
                ORDER BY seq"""
        )
