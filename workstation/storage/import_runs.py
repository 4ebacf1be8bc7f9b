"""The import journal (m007): which files an import covers and how far it got."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workstation.domain.dates import utc_now_iso

if TYPE_CHECKING:
    from workstation.storage.workspace import Workspace


@dataclass(frozen=True)
class ImportRun:
    id: str
    started_at: str
    status: str  # "running" | "done" | "cancelled"
    files: list[str]
    done: int
    author: str

    @property
    def remaining(self) -> list[str]:
        return self.files[self.done :]


def start(ws: Workspace, files: list[str]) -> str:
    run_id = str(uuid.uuid4())
    with ws.transaction(), ws.sqlite_errors():
        ws.conn.execute(
            "INSERT INTO import_runs (id, started_at, status, files, done, author) "
            "VALUES (?, ?, 'running', ?, 0, ?)",
            [run_id, utc_now_iso(), _files_json(files), ws.author],
        )
    return run_id


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _files_json(files: list[str]) -> str:
    """The file list as JSON that SQLite can store and that reads back to the very same
    names. A name that is not valid UTF-8 reaches Python with each undecodable byte as a
    lone surrogate (b'latin\\xff.txt' is 'latin\\udcff.txt'), which no UTF-8 text column
    takes: such characters are written as JSON escapes (\\udcff), which ``json.loads``
    turns back into the same surrogate, so a resumed import opens the same file."""
    text = json.dumps(files, ensure_ascii=False)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def advance(ws: Workspace, run_id: str, done: int) -> None:
    """Record progress; call inside the chunk's own transaction so both commit together."""
    if not ws.in_transaction:
        raise RuntimeError("advance the import journal inside the chunk's transaction")
    with ws.sqlite_errors():
        ws.conn.execute("UPDATE import_runs SET done = ? WHERE id = ?", [done, run_id])


def finish(ws: Workspace, run_id: str, status: str, done: int) -> None:
    with ws.transaction(), ws.sqlite_errors():
        ws.conn.execute(
            "UPDATE import_runs SET status = ?, done = ?, finished_at = ? WHERE id = ?",
            [status, done, utc_now_iso(), run_id],
        )


def unfinished(ws: Workspace) -> list[ImportRun]:
    """Imports that stopped before their last file, newest first.

    A run still marked ``running`` is one whose process died: the workspace has a single
    writer, and that is whoever asks now.
    """
    with ws.sqlite_errors():
        rows = ws.conn.execute(
            "SELECT id, started_at, status, files, done, author FROM import_runs "
            "WHERE status != 'done' ORDER BY started_at DESC"
        ).fetchall()
    runs = [ImportRun(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) for r in rows]
    return [run for run in runs if run.remaining]


def get(ws: Workspace, run_id: str) -> ImportRun | None:
    with ws.sqlite_errors():
        r = ws.conn.execute(
            "SELECT id, started_at, status, files, done, author FROM import_runs WHERE id = ?",
            [run_id],
        ).fetchone()
    return ImportRun(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]) if r else None
