"""Ways a workspace (or the disk under it) can be broken, for the bad-input tests.

Each ``make_*`` writes a broken file at a path; ``BAD_WORKSPACES`` lists them with a word
the refusal must contain. ``hold_write_lock`` is another process holding SQLite's write
lock; ``limit_growth`` and ``small_filesystem`` are a full disk; ``read_only_folder`` is a
genuinely read-only file system (as root, permissions alone do not stop writes).
``workspace_state`` is what "left as it was" compares: every table row by row, or the raw
bytes of a file SQLite cannot read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from workstation.importers import DocumentDraft
from workstation.services import create_session
from workstation.storage.schema import MIGRATION_SET, known_migration_names

ARTICLE = (
    "Washington expelled ten Russian diplomats on 15 April 2021. Moscow promised a "
    "reciprocal answer; Peskov said the response would be mirror-like and inevitable.\n"
)


# -- "as it was": the state to compare before and after -------------------------------------


# The import journal: a failed import leaves its run open on purpose, so that it can be
# resumed once the problem is fixed (issue 7, resumable imports). Not content.
IMPORT_JOURNAL = ("import_runs",)


def workspace_state(path: Path, *, besides: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every table of the workspace dumped row by row (with the header pragmas), read
    through a separate read-only connection: what was committed. Rows of the tables named
    in ``besides`` are left out. A file SQLite cannot dump is described by its bytes, so a
    damaged file must stay byte for byte."""
    path = Path(path)
    if not path.exists():
        return ("<no file>",)
    try:
        dumped = _dump(path)
    except sqlite3.Error:
        return ("<bytes>", hashlib.sha256(path.read_bytes()).hexdigest())
    skipped = tuple(f'INSERT INTO "{table}"' for table in besides)
    return tuple(line for line in dumped if not line.startswith(skipped)) if skipped else dumped


def _dump(path: Path) -> tuple[str, ...]:
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # A WAL file in a read-only folder without its -shm: readable only as immutable.
        conn = sqlite3.connect(f"{uri}?immutable=1", uri=True)
    try:
        header = tuple(
            f"{name}={conn.execute(f'PRAGMA {name}').fetchone()[0]}"
            for name in ("application_id", "user_version")
        )
        return header + tuple(conn.iterdump())
    finally:
        conn.close()


# -- workspaces with content ---------------------------------------------------------------


def make_workspace(
    path: Path, *, documents: int = 3, author: str = "tester", passage: bool = True
) -> Path:
    """A real workspace with a few documents and (unless ``passage`` is false) one passage
    on the first. Documents of the same number have the same text in every workspace."""
    with create_session(path, author=author) as session:
        first = None
        for number in range(documents):
            draft = DocumentDraft(
                title=f"Article {number}",
                text=f"{ARTICLE}Paragraph {number} about sanctions and reciprocity.",
                origin_name=f"article-{number}.txt",
            )
            saved = session.documents.add(draft).record
            first = first or saved
        if first is not None and passage:
            start = first.body.index("Peskov")
            session.annotations.create(first.id, start, start + len("Peskov"))
    return path


# -- broken workspace files ------------------------------------------------------------------


def make_not_sqlite(path: Path) -> Path:
    path.write_text("Minutes of the meeting. Not a database at all.\n" * 200, encoding="utf-8")
    return path


def make_empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def make_random_bytes(path: Path, size: int = 64 * 1024) -> Path:
    path.write_bytes(os.urandom(size))
    return path


def make_truncated(path: Path, keep: float = 0.4) -> Path:
    """A real workspace cut short, as by a copy that stopped half way."""
    make_workspace(path, documents=30)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def make_corrupt(path: Path) -> Path:
    """A real workspace whose pages past the first two were overwritten with garbage."""
    make_workspace(path, documents=30)
    data = bytearray(path.read_bytes())
    for offset in range(8192, len(data), 4096):
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return path


def make_foreign_sqlite(path: Path) -> Path:
    """Somebody else's SQLite database."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    conn.commit()
    conn.close()
    return path


def make_newer(path: Path) -> Path:
    """A workspace written by a later version: one schema step this build does not know."""
    make_workspace(path, documents=1)
    conn = sqlite3.connect(path)
    future = f"m{len(known_migration_names()) + 1:03d}_from_the_future"
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        [MIGRATION_SET, future, "2031-01-01T00:00:00"],
    )
    conn.execute(f"PRAGMA user_version = {len(known_migration_names()) + 1}")
    conn.commit()
    conn.close()
    return path


@dataclass(frozen=True)
class BadWorkspace:
    name: str
    make: Callable[[Path], Path]
    says: tuple[str, ...]  # the refusal must contain one of these (lower case)


BAD_WORKSPACES = (
    BadWorkspace("not-sqlite", make_not_sqlite, ("not an sqlite file", "not a workstation")),
    BadWorkspace("random-bytes", make_random_bytes, ("not an sqlite file", "damaged")),
    BadWorkspace("empty-file", make_empty_file, ("not a workstation", "empty")),
    BadWorkspace("truncated", make_truncated, ("damaged", "not an sqlite file")),
    BadWorkspace("corrupt", make_corrupt, ("damaged",)),
    BadWorkspace("foreign-sqlite", make_foreign_sqlite, ("not a workstation",)),
    BadWorkspace("newer", make_newer, ("newer version",)),
)


def bad_workspace_ids() -> list[str]:
    return [bad.name for bad in BAD_WORKSPACES]


# -- another process holding the write lock --------------------------------------------------

_LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()  # until the test closes our stdin
conn.execute("ROLLBACK")
conn.close()
"""


@contextlib.contextmanager
def hold_write_lock(path: Path) -> Iterator[subprocess.Popen]:
    """Another process (plain sqlite3, not a workstation) in ``BEGIN EXCLUSIVE`` on the
    workspace until the block ends. In WAL mode that blocks writers, not readers."""
    locker = subprocess.Popen(
        [sys.executable, "-c", _LOCKER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout is not None
        ready = locker.stdout.readline().strip()
        assert ready == "locked", f"the locking process did not start ({ready!r})"
        yield locker
    finally:
        assert locker.stdin is not None
        locker.stdin.close()
        try:
            locker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            locker.kill()
            locker.wait()


def short_busy_timeout(monkeypatch: pytest.MonkeyPatch, ms: int = 200) -> None:
    """Make every workspace opened in this test give up on a held lock after ``ms``
    (the default waits 3 s, which only slows the tests down)."""
    from workstation.storage.workspace import open_workspace

    monkeypatch.setitem(open_workspace.__kwdefaults__, "busy_timeout_ms", ms)


# -- a full disk -----------------------------------------------------------------------------


def limit_growth(conn: sqlite3.Connection, extra_pages: int = 2) -> None:
    """Let the file behind ``conn`` grow by ``extra_pages`` pages at most: past that,
    SQLite reports SQLITE_FULL exactly as on a full disk."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + extra_pages}")


def can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and Path("/usr/bin/mount").exists()


@contextlib.contextmanager
def small_filesystem(size_kb: int) -> Iterator[Path]:
    """A real file system of ``size_kb`` KiB (tmpfs), mounted for the block; skips the test
    where mounting is not allowed (not root, or in a container without the capability)."""
    if not can_mount():
        pytest.skip("mounting a small file system needs root")
    folder = Path(tempfile.mkdtemp(prefix="workstation-smallfs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        with contextlib.suppress(OSError):
            folder.rmdir()


def fill_up(folder: Path, *, leave_kb: int = 0) -> None:
    """Use every free byte of the file system holding ``folder`` but ``leave_kb`` KiB."""
    fd = os.open(folder / "filler.bin", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (64 * 1024, 4096, 1):  # big steps first, then the last partial block
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
        if leave_kb:
            os.ftruncate(fd, max(0, os.fstat(fd).st_size - leave_kb * 1024))
    finally:
        os.close(fd)


def remount_read_only(folder: Path, *, read_only: bool = True) -> None:
    mode = "ro" if read_only else "rw"
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


class ReadOnlyFolder:
    """A folder on its own small file system: set files up in ``path``, then ``freeze()``
    it read-only (then not even root can write there)."""

    def __init__(self, path: Path):
        self.path = path

    def freeze(self) -> None:
        remount_read_only(self.path)


@contextlib.contextmanager
def read_only_folder(size_kb: int = 16 * 1024) -> Iterator[ReadOnlyFolder]:
    with small_filesystem(size_kb) as folder:
        try:
            yield ReadOnlyFolder(folder)
        finally:
            with contextlib.suppress(subprocess.CalledProcessError):
                remount_read_only(folder, read_only=False)
