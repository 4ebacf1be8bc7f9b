"""Numbered schema migrations (sqlite-utils ``Migrations``).

Rules: never edit an applied migration; add ``mNNN_what`` below it. A workspace that has a
migration this build does not know was written by a newer version and is refused unopened.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "workstation"
# PRAGMA application_id: marks the file as ours for `file(1)` and for NotAWorkspace checks.
APPLICATION_ID = 0x57534B31  # "WSK1"

migrations = Migrations(MIGRATION_SET)

_STAMPS = """
    author TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
"""


@migrations()
def m001_core_records(db: Database) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    # Tables indexed by FTS get an INTEGER PRIMARY KEY `seq`: external-content FTS needs a
    # rowid that VACUUM cannot renumber. Everything else is keyed by its UUID.
    _run_script(
        db,
        f"""
        CREATE TABLE documents (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            outlet TEXT, url TEXT, published TEXT, language TEXT, origin_name TEXT,
            reliability TEXT CHECK (reliability IN ('A','B','C','D','E','F')),
            credibility TEXT CHECK (credibility IN ('1','2','3','4','5','6')),
            {_STAMPS}
        );
        CREATE UNIQUE INDEX documents_live_sha ON documents(sha256) WHERE deleted_at IS NULL;

        CREATE TABLE categories (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            colour TEXT NOT NULL,
            parent_id TEXT REFERENCES categories(id),
            shortcut TEXT,
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0,
            {_STAMPS}
        );

        CREATE TABLE annotations (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            document_id TEXT NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            category_id TEXT REFERENCES categories(id),
            note TEXT NOT NULL DEFAULT '',
            releasable INTEGER NOT NULL DEFAULT 1,
            {_STAMPS},
            CHECK (0 <= start AND start < "end")
        );
        CREATE INDEX annotations_document ON annotations(document_id, start);

        CREATE TABLE entities (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),
            description TEXT NOT NULL DEFAULT '',
            country TEXT,
            wikidata_id TEXT,
            {_STAMPS}
        );

        CREATE TABLE mentions (
            id TEXT PRIMARY KEY,
            annotation_id TEXT NOT NULL REFERENCES annotations(id),
            entity_id TEXT NOT NULL REFERENCES entities(id),
            role TEXT NOT NULL,
            {_STAMPS}
        );
        CREATE INDEX mentions_annotation ON mentions(annotation_id);
        CREATE INDEX mentions_entity ON mentions(entity_id);

        CREATE TABLE episodes (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            bottom_line TEXT NOT NULL DEFAULT '',
            outlook TEXT NOT NULL DEFAULT '',
            marking TEXT NOT NULL DEFAULT 'TLP:AMBER',
            {_STAMPS}
        );

        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            episode_id TEXT NOT NULL REFERENCES episodes(id),
            date TEXT NOT NULL,
            precision TEXT NOT NULL CHECK (precision IN ('day','month','year')),
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            actor_id TEXT REFERENCES entities(id),
            target_id TEXT REFERENCES entities(id),
            responds_to TEXT REFERENCES events(id),
            legal_basis TEXT NOT NULL DEFAULT '',
            {_STAMPS}
        );
        CREATE INDEX events_episode ON events(episode_id, date);

        CREATE TABLE evidence (
            id TEXT PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id),
            annotation_id TEXT NOT NULL REFERENCES annotations(id),
            {_STAMPS}
        );
        CREATE INDEX evidence_event ON evidence(event_id);
        CREATE INDEX evidence_annotation ON evidence(annotation_id);

        CREATE TABLE judgments (
            id TEXT PRIMARY KEY,
            episode_id TEXT NOT NULL REFERENCES episodes(id),
            position INTEGER NOT NULL DEFAULT 0,
            text TEXT NOT NULL,
            likelihood TEXT NOT NULL,
            confidence TEXT NOT NULL CHECK (confidence IN ('high','moderate','low')),
            cited TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(cited)),
            {_STAMPS}
        );

        CREATE TABLE briefs (
            id TEXT PRIMARY KEY,
            episode_id TEXT NOT NULL REFERENCES episodes(id),
            built_at TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(options)),
            content_hash TEXT NOT NULL,
            pdf_hash TEXT NOT NULL,
            {_STAMPS}
        );

        -- The change log: one row per mutation, written in the mutation's transaction.
        CREATE TABLE changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            author TEXT NOT NULL,
            action TEXT NOT NULL,
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            before TEXT CHECK (before IS NULL OR json_valid(before)),
            after TEXT CHECK (after IS NULL OR json_valid(after))
        );
        CREATE INDEX changes_record ON changes(table_name, record_id);
        """,
    )


@migrations()
def m002_full_text_search(db: Database) -> None:
    # Each index covers live rows only: its content is a view over non-tombstoned rows, so
    # FTS5's own integrity-check compares the index with exactly what search should see.
    _run_script(
        db,
        """
        CREATE VIEW documents_live AS
            SELECT seq, title, body FROM documents WHERE deleted_at IS NULL;
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, body, content='documents_live', content_rowid='seq',
            tokenize='unicode61 remove_diacritics 2');

        CREATE VIEW annotations_live AS
            SELECT seq, exact, note FROM annotations WHERE deleted_at IS NULL;
        CREATE VIRTUAL TABLE annotations_fts USING fts5(
            exact, note, content='annotations_live', content_rowid='seq',
            tokenize='unicode61 remove_diacritics 2');

        -- Entities are few and their aliases are JSON: a self-contained index is simpler
        -- than an external-content one (a view computing the alias text cannot be one).
        CREATE VIRTUAL TABLE entities_fts USING fts5(
            name, aliases, tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER entities_fts_insert AFTER INSERT ON entities
        WHEN new.deleted_at IS NULL BEGIN
            INSERT INTO entities_fts(rowid, name, aliases) VALUES (new.seq, new.name,
                (SELECT group_concat(value, ' · ') FROM json_each(new.aliases)));
        END;
        CREATE TRIGGER entities_fts_delete AFTER DELETE ON entities BEGIN
            DELETE FROM entities_fts WHERE rowid = old.seq;
        END;
        CREATE TRIGGER entities_fts_update AFTER UPDATE OF name, aliases, deleted_at ON entities
        BEGIN
            DELETE FROM entities_fts WHERE rowid = old.seq;
            INSERT INTO entities_fts(rowid, name, aliases)
                SELECT new.seq, new.name,
                       (SELECT group_concat(value, ' · ') FROM json_each(new.aliases))
                WHERE new.deleted_at IS NULL;
        END;
        """,
    )
    for table, cols in (
        ("documents", ("title", "body")),
        ("annotations", ("exact", "note")),
    ):
        _sync_triggers(db, table, cols)


@migrations()
def m003_brief_manifest(db: Database) -> None:
    # Each recorded brief keeps a per-item manifest so the next one can say what changed.
    db.execute(
        "ALTER TABLE briefs ADD COLUMN manifest TEXT NOT NULL DEFAULT '{}' "
        "CHECK (json_valid(manifest))"
    )


# Frozen with the migration that creates them: never edit; add a new migration instead.
M004_LIBRARY_INDEXES = (
    "CREATE INDEX IF NOT EXISTS documents_library_added ON documents(seq, id, title, outlet) "
    "WHERE deleted_at IS NULL",
    "CREATE INDEX IF NOT EXISTS documents_library_title ON documents("
    "title COLLATE NOCASE, outlet) WHERE deleted_at IS NULL",
    "CREATE INDEX IF NOT EXISTS documents_library_outlet ON documents("
    "outlet COLLATE NOCASE, title COLLATE NOCASE) WHERE deleted_at IS NULL",
    "CREATE INDEX IF NOT EXISTS documents_library_published ON documents("
    "published, title, outlet) WHERE deleted_at IS NULL",
    "CREATE INDEX IF NOT EXISTS documents_library_grade ON documents("
    "coalesce(reliability, 'F'), coalesce(credibility, '6'), title, outlet) "
    "WHERE deleted_at IS NULL",
    "CREATE INDEX IF NOT EXISTS annotations_live_document ON annotations(document_id) "
    "WHERE deleted_at IS NULL",
)


@migrations()
def m004_library_indexes(db: Database) -> None:
    # The library sorts and filters live documents by walking these; without them every sort
    # or filter reads each document's body pages (~0.5 s at 100k documents, bench/library).
    for statement in M004_LIBRARY_INDEXES:
        db.execute(statement)


def _sync_triggers(db: Database, table: str, cols: tuple[str, ...]) -> None:
    """Keep an external-content index in step with the live rows of ``table``."""
    fts = f"{table}_fts"
    col_list = ", ".join(cols)
    old_vals = ", ".join(f"old.{c}" for c in cols)
    new_vals = ", ".join(f"new.{c}" for c in cols)
    watched_cols = ", ".join((*cols, "deleted_at"))
    _run_script(
        db,
        f"""
        CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table}
        WHEN new.deleted_at IS NULL BEGIN
            INSERT INTO {fts}(rowid, {col_list}) VALUES (new.seq, {new_vals});
        END;
        CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table}
        WHEN old.deleted_at IS NULL BEGIN
            INSERT INTO {fts}({fts}, rowid, {col_list}) VALUES ('delete', old.seq, {old_vals});
        END;
        -- One trigger, two statements in order: with two triggers SQLite may run the
        -- re-index before the un-index and corrupt an external-content index.
        CREATE TRIGGER {table}_fts_update AFTER UPDATE OF {watched_cols} ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {col_list})
                SELECT 'delete', old.seq, {old_vals} WHERE old.deleted_at IS NULL;
            INSERT INTO {fts}(rowid, {col_list})
                SELECT new.seq, {new_vals} WHERE new.deleted_at IS NULL;
        END;
        """,
    )


def _run_script(db: Database, script: str) -> None:
    """Run a multi-statement script inside the migration's transaction.

    ``sqlite3.executescript`` would COMMIT first and break the migration's atomicity, so the
    script is split into complete statements (trigger bodies included) and run one by one.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            db.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending[:80]!r}")


def known_migration_names() -> list[str]:
    return [m.name for m in migrations._migrations]


@migrations()
def m005_suggestion_rejections(db: Database) -> None:
    # A rejected mention suggestion is remembered per span and entity, so it is never offered
    # again; a tombstone (undo) offers it again. Merges see rejections like any record.
    _run_script(
        db,
        f"""
        CREATE TABLE suggestion_rejections (
            id TEXT PRIMARY KEY,
            entity_id TEXT NOT NULL REFERENCES entities(id),
            document_id TEXT NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            exact TEXT NOT NULL,
            {_STAMPS},
            CHECK (0 <= start AND start < "end")
        );
        CREATE INDEX suggestion_rejections_document ON suggestion_rejections(document_id)
            WHERE deleted_at IS NULL;
        """,
    )


@migrations()
def m006_versions_and_orphans(db: Database) -> None:
    # Re-import of a changed article: the new version names the one it supersedes, passages
    # that could not move stay on the old one flagged `orphan`, and imported annotations that
    # fit no document here are kept whole in `orphans` until the officer places them.
    _run_script(
        db,
        f"""
        ALTER TABLE documents ADD COLUMN supersedes TEXT REFERENCES documents(id);
        CREATE INDEX documents_supersedes ON documents(supersedes) WHERE supersedes IS NOT NULL;
        CREATE INDEX documents_url ON documents(url) WHERE url IS NOT NULL AND deleted_at IS NULL;
        ALTER TABLE annotations ADD COLUMN orphan INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX annotations_orphan ON annotations(document_id) WHERE orphan = 1;
        CREATE TABLE orphans (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            document_id TEXT REFERENCES documents(id),
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(payload)),
            resolved_at TEXT,
            {_STAMPS}
        );
        CREATE INDEX orphans_open ON orphans(created_at) WHERE resolved_at IS NULL;
        """,
    )


@migrations()
def m007_import_runs(db: Database) -> None:
    # An import journal: the files of each import and how many are done, written in the same
    # transaction as each chunk, so an import cut short (crash, kill, cancel) can be resumed
    # exactly where it stopped. Operational state, not a record: merges never carry it.
    _run_script(
        db,
        """
        CREATE TABLE import_runs (
            id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled')),
            files TEXT NOT NULL CHECK (json_valid(files)),
            done INTEGER NOT NULL DEFAULT 0,
            author TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX import_runs_open ON import_runs(started_at) WHERE status != 'done';
        """,
    )


# Later migrations (m008 on) live in modules of their own; each registers on
# ``migrations`` when imported, in this order (by number, not by name: hence I001).
from workstation.storage import (  # noqa: E402, I001
    schema_folding,  # noqa: F401  (m008)
    schema_provenance,  # noqa: F401  (m009)
    schema_watch,  # noqa: F401  (m010)
    schema_details,  # noqa: F401  (m011)
    schema_mentions,  # noqa: F401  (m012)
    schema_assistant,  # noqa: F401  (m013)
    schema_interchange,  # noqa: F401  (m014, m015)
)
