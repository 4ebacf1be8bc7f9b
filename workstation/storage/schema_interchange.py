"""Migrations m014 and m015: what other tools' files bring (issue 17; docs/architecture.md,
"The workspace").

Registered on schema.py's ``migrations`` after m013 (schema.py imports this module at its
end). Frozen once released, like every migration: never edit it, add the next one below.

m014 (annotation interchange):
- ``annotations.tags``: a JSON list of tags beyond the category (another tool's tags that
  match no category, kept rather than dropped or turned into categories), searchable:
  annotations_fts is remade with a ``tags`` column.
- ``foreign_ids``: a record table mapping another tool's id (scheme + id) to one of our
  records, so a re-import recognises what it brought before.

m015 (FollowTheMoney facts):
- ``entities.properties``: a JSON object of further facts by FtM property name.
- ``relations``: a record table of standing relations between entities (ownership,
  directorship…).
- ``documents.note``: a note on the whole document (another tool's page notes land here).
"""

from __future__ import annotations

from sqlite_utils import Database

from workstation.storage.schema import _STAMPS, _run_script, migrations
from workstation.storage.schema_folding import m008_indexed_text

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
    _annotation_tags_searchable(db)


def _annotation_tags_searchable(db: Database) -> None:
    """annotations_fts gains a ``tags`` column, so searching a tag finds the passage; index,
    view and triggers are remade. It holds the JSON list's text as stored (non-ASCII kept,
    ``records.to_row``), folded as m008 folds text: the tokenizer drops the brackets, quotes
    and commas. Not the values through json_each: FTS5 cannot rebuild from a view whose
    columns run a correlated table-valued function (SQLite 3.40: "SQL logic error")."""
    folded = {c: m008_indexed_text(c) for c in ("exact", "note")}
    tags_text = m008_indexed_text("{}")
    for event in ("insert", "delete", "update"):
        db.execute(f"DROP TRIGGER IF EXISTS annotations_fts_{event}")
    db.execute("DROP TABLE IF EXISTS annotations_fts")
    db.execute("DROP VIEW IF EXISTS annotations_live")
    db.execute(
        f"CREATE VIEW annotations_live AS SELECT seq, {folded['exact']} AS exact, "
        f"{folded['note']} AS note, {tags_text.format('tags')} AS tags FROM annotations "
        "WHERE deleted_at IS NULL"
    )
    db.execute(
        "CREATE VIRTUAL TABLE annotations_fts USING fts5(exact, note, tags, "
        "content='annotations_live', content_rowid='seq', "
        "tokenize='unicode61 remove_diacritics 2')"
    )

    def values(row: str) -> str:
        return ", ".join(
            (
                m008_indexed_text(f"{row}.exact"),
                m008_indexed_text(f"{row}.note"),
                tags_text.format(f"{row}.tags"),
            )
        )

    _run_script(
        db,
        f"""
        CREATE TRIGGER annotations_fts_insert AFTER INSERT ON annotations
        WHEN new.deleted_at IS NULL BEGIN
            INSERT INTO annotations_fts(rowid, exact, note, tags)
                VALUES (new.seq, {values("new")});
        END;
        CREATE TRIGGER annotations_fts_delete AFTER DELETE ON annotations
        WHEN old.deleted_at IS NULL BEGIN
            INSERT INTO annotations_fts(annotations_fts, rowid, exact, note, tags)
                VALUES ('delete', old.seq, {values("old")});
        END;
        -- One trigger, two statements in order (see m002).
        CREATE TRIGGER annotations_fts_update AFTER UPDATE OF exact, note, tags, deleted_at
        ON annotations BEGIN
            INSERT INTO annotations_fts(annotations_fts, rowid, exact, note, tags)
                SELECT 'delete', old.seq, {values("old")} WHERE old.deleted_at IS NULL;
            INSERT INTO annotations_fts(rowid, exact, note, tags)
                SELECT new.seq, {values("new")} WHERE new.deleted_at IS NULL;
        END;
        """,
    )
    db.execute("INSERT INTO annotations_fts(annotations_fts) VALUES ('rebuild')")


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
        ALTER TABLE documents ADD COLUMN note TEXT NOT NULL DEFAULT '';
        """,
    )
