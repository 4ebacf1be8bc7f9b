"""Migration m010: what to watch next, on the episode (docs/architecture.md, "The brief").

Registered on schema.py's ``migrations`` after m009 (schema.py imports this module at its
end). Frozen once released, like every migration: never edit it, add the next one below.

``episodes.watch``: a JSON list of short lines — indicators and next decision points — that
page 1 of every brief shows under "What to watch".
"""

from __future__ import annotations

from sqlite_utils import Database

from workstation.storage.schema import migrations


@migrations()
def m010_episode_watch_list(db: Database) -> None:
    db.execute(
        "ALTER TABLE episodes ADD COLUMN watch TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(watch))"
    )
