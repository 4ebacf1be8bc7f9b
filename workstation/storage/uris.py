"""How to name a workspace file to sqlite3 when only reading it."""

from __future__ import annotations

import os
from pathlib import Path


def read_only_uri(path: Path | str) -> str:
    """A ``mode=ro`` URI, made ``immutable`` where SQLite could not otherwise open it.

    A read-only open of a WAL file still needs its -shm; on a read-only medium (a mounted
    image, a write-protected share) that file cannot be created and the open fails. There,
    with no -wal holding unsaved pages, nothing can change the file under us, so SQLite may
    read it as immutable (no locks, no -shm).

    A -wal that provably belongs to another database (``wal_guard``) must not be read as
    this file's: immutable too, so SQLite ignores it (only a writer's open moves it aside;
    no workstation writer can be at work on the file while it lies there).
    """
    from workstation.storage.wal_guard import foreign_wal

    path = Path(path).resolve()
    uri = f"{path.as_uri()}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    unwritable = not os.access(path.parent, os.W_OK) and not shm.exists() and not wal.exists()
    if unwritable or foreign_wal(path) is not None:
        uri += "&immutable=1"
    return uri
