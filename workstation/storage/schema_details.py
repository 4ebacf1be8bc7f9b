"""Migration m011: a document's dateline place and which of its details are proposals
(docs/architecture.md, "The workspace"; issue 15, "Document details").

Registered on schema.py's ``migrations`` after m010 (schema.py imports this module at its
end). Frozen once released, like every migration: never edit it, add the next one below.

- ``documents.place``: where the article was filed from, as its dateline names it
  ("Moscow"); empty when unknown.
- ``documents.proposed``: a JSON list of the detail fields (``title``, ``published``,
  ``place``) that were read from the article's first lines at import and not yet confirmed
  by an officer; the library shows them as proposals until the details are saved.
"""

from __future__ import annotations

from sqlite_utils import Database

from workstation.storage.schema import migrations


@migrations()
def m011_document_details(db: Database) -> None:
    db.execute("ALTER TABLE documents ADD COLUMN place TEXT")
    db.execute(
        "ALTER TABLE documents ADD COLUMN proposed TEXT NOT NULL DEFAULT '[]' "
        "CHECK (json_valid(proposed))"
    )
