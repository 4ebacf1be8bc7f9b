"""Migration m012: mention-only annotations (docs/architecture.md, "The workspace").

Registered on schema.py's ``migrations`` after m011 (schema.py imports this module at its
end). Frozen once released, like every migration: never edit it, add the next one below.

``annotations.mention_only``: 1 for a span that only carries a link to an entity (an
accepted suggestion outside any passage: "Lavrov", "Washington"), 0 for a passage the
officer marked. Mention-only spans are not passages: the library's and the document list's
passage counts leave them out (``annotations_live_passage`` keeps that count an index walk).
"""

from __future__ import annotations

from sqlite_utils import Database

from workstation.storage.schema import migrations

M012_PASSAGE_INDEX = (
    "CREATE INDEX IF NOT EXISTS annotations_live_passage ON annotations(document_id) "
    "WHERE deleted_at IS NULL AND mention_only = 0"
)


@migrations()
def m012_mention_only_annotations(db: Database) -> None:
    db.execute(
        "ALTER TABLE annotations ADD COLUMN mention_only INTEGER NOT NULL DEFAULT 0 "
        "CHECK (mention_only IN (0, 1))"
    )
    db.execute(M012_PASSAGE_INDEX)
