"""Migrations m014 and m015: what other tools' files bring (issue 17; docs/architecture.md,
"The workspace").

Registered on schema.py's ``migrations`` after m013 (schema.py imports this module at its
end). Frozen once released, like every migration: never edit it, add the next one below.

m014 (annotation interchange):
- ``annotations.tags``: a JSON list of tags beyond the category (another tool's tags that
  match no category, kept rather than dropped or turned into categories).
- ``foreign_ids``: a record table mapping another tool's id (scheme + id) to one of our
  records, so a re-import recognises what it brought before.

m015 (FollowTheMoney facts):
- ``entities.properties``: a JSON object of further facts by FtM property name.
- ``relations``: a record table of standing relations between entities (ownership,
  directorship…).
"""

from __future__ import annotations

from sqlite_utils import Database

from workstation.storage.schema import _STAMPS, _run_script, migrations

_PROVENANCE = """
    imported_by TEXT,
    imported_at TEXT,
    claimed TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(claimed))
"""


@migrations()
def m014_annotation_interchange(db: Database) -> None:
    _run_script(
        db,
        f"""
        ALTER TABLE annotations ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'
            CHECK (json_valid(tags));
        CREATE TABLE foreign_ids (
            id TEXT PRIMARY KEY,
            scheme TEXT NOT NULL,
            foreign_id TEXT NOT NULL,
            record_table TEXT NOT NULL,
            record_id TEXT NOT NULL,
            {_STAMPS},
            {_PROVENANCE}
        );
        CREATE INDEX foreign_ids_lookup ON foreign_ids(scheme, foreign_id)
            WHERE deleted_at IS NULL;
        CREATE INDEX foreign_ids_record ON foreign_ids(record_id) WHERE deleted_at IS NULL;
        """,
    )


@migrations()
def m015_entity_facts(db: Database) -> None:
    _run_script(
        db,
        f"""
        ALTER TABLE entities ADD COLUMN properties TEXT NOT NULL DEFAULT '{{}}'
            CHECK (json_valid(properties));
        CREATE TABLE relations (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            subject_id TEXT NOT NULL REFERENCES entities(id),
            object_id TEXT NOT NULL REFERENCES entities(id),
            role TEXT NOT NULL DEFAULT '',
            share TEXT NOT NULL DEFAULT '',
            start_date TEXT NOT NULL DEFAULT '',
            end_date TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            {_STAMPS},
            {_PROVENANCE}
        );
        CREATE INDEX relations_subject ON relations(subject_id) WHERE deleted_at IS NULL;
        CREATE INDEX relations_object ON relations(object_id) WHERE deleted_at IS NULL;
        """,
    )
