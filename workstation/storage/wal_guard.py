"""A ``-wal`` file beside a workspace that is not the workspace's own: told apart from the
workspace's own log without SQLite reading it, and moved aside untouched.

SQLite replays any valid-looking write-ahead log it finds beside a database file — for a
read-only connection too, and even for a database in rollback mode — so a ``-wal`` left
there by another database (copied by mistake, or planted) would be folded into the
workspace by the next open and then deleted. The log's header names no database, so a log
can only be shown *not* to belong; one that cannot be is left to SQLite, as before.

The rule: a ``-wal`` of at least a header's size (32 bytes; a shorter one holds nothing SQLite
would read) is foreign when

- its magic is not 0x377f0682/0x377f0683 or its format is not 3007000 (not a WAL at all);
- its page size differs from the database's (header offset 16);
- it holds a committed frame and the database is not in WAL mode (header bytes 18–19 ≠ 2):
  a database leaves WAL mode only after folding its log back and removing it;
- a committed frame of page 1 (the database header) names another database: a different
  application id, page size or text encoding, no "SQLite format 3" header, or a schema
  cookie older than the file's (a database's log is never older than the file).

Frames count as SQLite counts them: from the first, while their salts are the header's, up
to the last commit frame. Their checksums are not recomputed (that needs every byte of the
log), so the final commit frame — which a writer killed between writing its header and its
page leaves torn, and which SQLite's checksum then drops — is never judged by its content;
every other committed frame of our own log describes our own page 1. What cannot be proven
this way —
a log of another workspace with the same page size whose frames never touch page 1 — is
not caught, and is read by SQLite as the workspace's own.

Reading a log costs its header plus 24 bytes per frame, stopping at the first stale frame.
The frames are only judged when no writer can be appending to the log meanwhile (``settled``:
the caller holds the writer's lock, or no ``-shm`` shows a connection at work), since a frame
caught half-written could look like another database's; otherwise only the header is.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_FORMAT = 3007000
_WAL_HEADER = 32
_FRAME_HEADER = 24
_DB_MAGIC = b"SQLite format 3\x00"
# Frames scanned at most (a log of ~4 GB at 4 KB pages): beyond that, what was seen decides.
_MAX_FRAMES = 1_000_000
_REPORTS: list[str] = []


@dataclass(frozen=True)
class ForeignWal:
    wal: Path  # where it was found
    reason: str  # why it is not the workspace's own, in a few words
    moved_to: Path | None = None  # where it was put, once moved aside

    def describe(self) -> str:
        what = f"{self.wal.name} beside the workspace is not its own write-ahead log"
        if self.moved_to is None:
            return f"{what} ({self.reason}); left untouched"
        return f"{what} ({self.reason}); moved aside untouched to {self.moved_to}"


def wal_path(workspace: Path | str) -> Path:
    path = Path(workspace)
    return path.with_name(path.name + "-wal")


def foreign_wal(workspace: Path | str, *, settled: bool | None = None) -> ForeignWal | None:
    """The workspace's ``-wal`` when it provably belongs to another database, else None.

    ``settled``: no writer can be appending to the log now (None: judged by the absence of a
    ``-shm``). Reads only (two headers and the frame headers); never raises for an unreadable
    file: what cannot be read cannot be shown foreign, and opening reports the real problem."""
    wal = wal_path(workspace)
    if settled is None:
        settled = not Path(workspace).with_name(Path(workspace).name + "-shm").exists()
    try:
        if wal.stat().st_size < _WAL_HEADER:
            return None
        with open(workspace, "rb") as db_file:
            db = db_file.read(100)
        with open(wal, "rb") as handle:
            reason = _mismatch(db, handle, frames=settled)
    except OSError:
        return None
    return ForeignWal(wal, reason) if reason else None


def move_aside(workspace: Path | str, *, now: datetime | None = None) -> ForeignWal | None:
    """Rename a foreign ``-wal`` to ``<name>-wal.foreign-<UTC time>`` before SQLite opens the
    workspace (the caller holds the writer's lock); returns what was moved, or None."""
    found = foreign_wal(workspace, settled=True)
    if found is None:
        return None
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = found.wal.with_name(f"{found.wal.name}.foreign-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = found.wal.with_name(f"{found.wal.name}.foreign-{stamp}-{counter}")
    os.rename(found.wal, target)
    moved = ForeignWal(found.wal, found.reason, target)
    _REPORTS.append(moved.describe())
    return moved


def reports() -> list[str]:
    """What was moved aside since the last call (the command line prints these), cleared."""
    taken = list(_REPORTS)
    _REPORTS.clear()
    return taken


# -- the rule -----------------------------------------------------------------------------------


def _mismatch(db: bytes, wal: BinaryIO, *, frames: bool = True) -> str:
    """Why the log read from ``wal`` is not that of the database whose header is ``db``
    ("" when it cannot be shown); ``frames``: judge the frames too, not just the header."""
    if len(db) < 100 or not db.startswith(_DB_MAGIC):
        return ""  # not a database we can compare with: opening says what it is
    header = wal.read(_WAL_HEADER)
    if len(header) < _WAL_HEADER:
        return ""
    magic, version, page_size, _sequence, salt1, salt2, _c1, _c2 = struct.unpack(">8I", header)
    if magic not in WAL_MAGIC or version != WAL_FORMAT:
        return "not an SQLite write-ahead log"
    db_page_size = _page_size(db)
    if page_size != db_page_size:
        return f"its pages are {page_size} bytes, the workspace's {db_page_size}"
    if not frames:
        return ""
    committed, page_ones = _committed_frames(wal, page_size, (salt1, salt2))
    if not committed:
        return ""  # SQLite reads nothing from it
    if db[18] != 2 or db[19] != 2:
        return "the workspace is not in WAL mode, so no log of its own can hold changes"
    # The final commit frame may be torn (its header written, its page not: a writer killed
    # between the two writes), and SQLite's checksums would drop it: never judged by.
    whole = [content for number, content in page_ones if number != committed - 1]
    for content in whole:
        reason = _other_database(db, content)
        if reason:
            return reason
    if page_ones and page_ones[-1][0] != committed - 1 and _older(db, page_ones[-1][1]):
        return "it is older than the workspace (an earlier schema)"
    return ""


def _page_size(header: bytes) -> int:
    size = struct.unpack(">H", header[16:18])[0]
    return 65536 if size == 1 else size


def _committed_frames(
    wal: BinaryIO, page_size: int, salts: tuple[int, int]
) -> tuple[int, list[tuple[int, bytes]]]:
    """(number of committed frames, [(frame number, first 100 bytes)] of the first and the
    newest committed page-1 frames)."""
    committed = 0
    page_ones: list[tuple[int, bytes]] = []
    pending: list[tuple[int, bytes]] = []
    for number in range(_MAX_FRAMES):
        offset = _WAL_HEADER + number * (_FRAME_HEADER + page_size)
        wal.seek(offset)
        frame = wal.read(_FRAME_HEADER)
        if len(frame) < _FRAME_HEADER:
            break
        page, commit_size, salt1, salt2 = struct.unpack(">4I", frame[:16])
        if (salt1, salt2) != salts:
            break  # a stale frame from before the log was restarted: SQLite stops here too
        if page == 1:
            content = wal.read(100)
            if len(content) < 100:
                break
            pending.append((number, content))
        if commit_size:
            committed = number + 1
            page_ones.extend(pending)
            pending = []
            if len(page_ones) > 2:  # the first and the newest are all that is judged
                page_ones = [page_ones[0], page_ones[-1]]
    return committed, page_ones


def _other_database(db: bytes, page_one: bytes) -> str:
    if not page_one.startswith(_DB_MAGIC):
        return "its copy of page 1 is no database header"
    if page_one[68:72] != db[68:72]:
        return "its copy of page 1 carries another database's application id"
    if _page_size(page_one) != _page_size(db):
        return "its copy of page 1 gives another page size"
    if page_one[56:60] != db[56:60]:
        return "its copy of page 1 gives another text encoding"
    return ""


def _older(db: bytes, page_one: bytes) -> bool:
    """The log's newest page 1 has an earlier schema cookie than the file: a database's own
    log is never older than the file (checkpoints copy from the log into the file)."""
    (log_cookie,) = struct.unpack(">I", page_one[40:44])
    (file_cookie,) = struct.unpack(">I", db[40:44])
    return bool(log_cookie < file_cookie)
