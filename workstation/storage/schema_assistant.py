"""Migration m013: the assistant's decisions and the state of its models (issue 16;
docs/architecture.md, "The assistant").

Registered on schema.py's ``migrations`` after m012 (schema.py imports this module at its
end). Frozen once released, like every migration: never edit it, add the next one below.

- ``assistant_decisions``: a record table (``domain.records.AssistantDecision``): each
  accept or reject of a proposed name, passage or event. Logged, undone and merged like any
  record, so a backup or a merge carries what the assistant learnt.
- ``assistant_models``: operational state, not records (merges never carry it): per model,
  when it was last trained, on how many examples, and its quality on held-out decisions.
  The fitted models themselves are rebuilt from the records, never stored.
"""

from __future__ import annotations

from sqlite_utils import Database

from workstation.storage.schema import _STAMPS, _run_script, migrations


@migrations()
def m013_assistant(db: Database) -> None:
    _run_script(
        db,
        f"""
        CREATE TABLE assistant_decisions (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('name', 'passage', 'event')),
            verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
            document_id TEXT NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            exact TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            score REAL NOT NULL DEFAULT 0,
            entity_id TEXT REFERENCES entities(id),
            annotation_id TEXT REFERENCES annotations(id),
            category_id TEXT REFERENCES categories(id),
            event_id TEXT REFERENCES events(id),
            {_STAMPS},
            imported_by TEXT,
            imported_at TEXT,
            claimed TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(claimed)),
            CHECK (0 <= start AND start <= "end")
        );
        CREATE INDEX assistant_decisions_document ON assistant_decisions(document_id, kind)
            WHERE deleted_at IS NULL;
        CREATE TABLE assistant_models (
            name TEXT PRIMARY KEY,
            trained_at TEXT NOT NULL,
            examples INTEGER NOT NULL,
            quality TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(quality))
        );
        """,
    )
