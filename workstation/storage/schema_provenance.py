"""Migration m009: where imported records came from (docs/architecture.md, "Trust boundaries").

Registered on schema.py's ``migrations`` after m008 (schema.py imports this module at its
end). Frozen once released, like every migration: never edit it, add the next one below.

Every record table gains three columns, all empty for what was made here:

- ``imported_by``, ``imported_at``: the officer who imported the record and when — facts of
  this workspace, beside the ``author`` and times the source claimed. Merges may reuse them.
- ``claimed``: JSON, what the source said of itself that was not taken as ours — its own id
  when that was no UUID (``"id": "../../etc/passwd"``), the author and times it claimed
  (``"created": "2099-01-01T00:00:00Z"``), so that a future time can be kept without ordering
  anything by it.
"""

from __future__ import annotations

from sqlite_utils import Database

from workstation.storage.schema import migrations

# The record tables as of m009 (frozen: a table added later brings these columns itself).
M009_TABLES = (
    "documents", "categories", "annotations", "entities", "mentions", "episodes", "events",
    "evidence", "judgments", "briefs", "suggestion_rejections", "orphans",
)  # fmt: skip
M009_COLUMNS = (
    "imported_by TEXT",
    "imported_at TEXT",
    "claimed TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(claimed))",
)


@migrations()
def m009_imported_provenance(db: Database) -> None:
    for table in M009_TABLES:
        for column in M009_COLUMNS:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
