"""Hostile workspaces and hostile output paths (issue 12, points 1, 2 and the merge half of 3).

The builders make each hostile input at run time (no stored binaries) and are shared with the
tests (tests/unit/test_untrusted_workspace.py, tests/e2e/test_cli_untrusted.py). Each attack
builds one in a fresh folder, runs the real command (``python -m workstation``) under the 1 GB
address-space limit and a timeout, and holds the result to the contract: one line on stderr
naming the reason, the exit status, and the workspace as it was — a hash of every table's
rows, and for ``check`` every byte of the file and its sidecars.

Verdicts: "refused" (one clear line, nothing changed), "handled" (done safely: a foreign
``-wal`` moved aside, a future time held back as a conflict), "FAILED" (anything else).
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.hostile import Attack, Outcome

MEMORY_LIMIT = 1 << 30
TIMEOUT_SECONDS = 45
FUTURE = "2099-01-01T00:00:00.000000Z"
ARTICLE = (
    "Moscow will answer the sanctions in kind, a spokesman said on 16 April 2021. "
    "Washington will expel ten diplomats.\n"
)
_ROOT = Path(__file__).resolve().parents[2]
SIDECARS = ("", "-wal", "-shm", "-journal", ".lock")


# -- running the real command ---------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    code: int | None  # None: killed at the timeout
    out: list[str]
    err: list[str]
    seconds: float


def limit_memory() -> None:
    """preexec_fn: the 1 GB address-space budget for the command."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def command(
    workspace: Path, *args: object, timeout: float = TIMEOUT_SECONDS, env: dict | None = None
) -> Run:
    """``python -m workstation --workspace WORKSPACE ARGS…`` in a process of its own."""
    argv = [sys.executable, "-m", "workstation", "--workspace", str(workspace), *map(str, args)]
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(_ROOT)}
    environment["WORKSTATION_DATA_DIR"] = str(Path(workspace).parent / "data")
    environment.setdefault("WORKSTATION_AUTHOR", "alice")
    environment.update(env or {})
    began = time.perf_counter()
    try:
        done = subprocess.run(
            argv, capture_output=True, timeout=timeout, env=environment, cwd=_ROOT,
            preexec_fn=limit_memory,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return Run(None, [], [], time.perf_counter() - began)
    out = done.stdout.decode("utf-8", "replace").splitlines()
    err = done.stderr.decode("utf-8", "replace").splitlines()
    return Run(done.returncode, out, err, time.perf_counter() - began)


# -- what "unchanged" means -----------------------------------------------------------------


def table_digest(workspace: Path) -> dict[str, str]:
    """One sha256 per table over its rows (and the schema's own rows), read through an
    immutable connection: no sidecar is created and no ``-wal`` is read, so it can be taken
    between two steps of a test without changing what it measures. Our commands close their
    workspace cleanly (nothing left in a ``-wal``), so this is what was committed."""
    uri = f"{Path(workspace).resolve().as_uri()}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        digest = {"sqlite_master": _hash(conn.execute("SELECT * FROM sqlite_master"))}
        for table in tables:
            digest[table] = _hash(conn.execute(f'SELECT * FROM "{table}"'))
        return digest
    finally:
        conn.close()


def _hash(cursor) -> str:
    return hashlib.sha256(repr(sorted(cursor.fetchall(), key=repr)).encode()).hexdigest()


def family_bytes(workspace: Path) -> dict[str, str | None]:
    """sha256 of the workspace file and of each sidecar (None: absent)."""
    found: dict[str, str | None] = {}
    for suffix in SIDECARS:
        path = Path(workspace).with_name(Path(workspace).name + suffix)
        found[suffix or "file"] = (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
        )
    return found


def value(workspace: Path, sql: str, *params: object):
    conn = sqlite3.connect(f"{Path(workspace).resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _raw(workspace: Path, *statements: str) -> None:
    conn = sqlite3.connect(workspace, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


# -- builders ---------------------------------------------------------------------------------


def sample(folder: Path, name: str = "ws.sqlite", *, author: str = "alice") -> Path:
    """A workspace holding the sample episode (Joe Biden, judgments, links…)."""
    from workstation.services.session import build_workspace

    path = Path(folder) / name
    build_workspace(path, with_sample=True, author=author)
    return path


def article(folder: Path) -> Path:
    path = Path(folder) / "answer.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


REWRITE_TRIGGER = "zz_rewrite"


def plant_rewriting_trigger(workspace: Path) -> None:
    """On the next document imported: every "will" in the judgments becomes "will not" and
    half the entity links vanish, with nothing in the change log."""
    _raw(
        workspace,
        f"""CREATE TRIGGER {REWRITE_TRIGGER} AFTER INSERT ON documents BEGIN
              UPDATE judgments SET text = replace(text, 'will', 'will not');
              DELETE FROM mentions WHERE rowid % 2 = 0;
            END""",
    )


def plant_view_and_table(workspace: Path) -> None:
    """A view that never ends when read, and a table of someone else's."""
    _raw(
        workspace,
        "CREATE VIEW zz_peek AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
        "SELECT n FROM r",
        "CREATE TABLE zz_extra (note TEXT)",
        "INSERT INTO zz_extra VALUES ('left here')",
    )


def alter_table(workspace: Path) -> None:
    """The judgments table as the migrations do not make it (a column added by hand)."""
    _raw(workspace, "ALTER TABLE judgments ADD COLUMN zz_note TEXT DEFAULT 'planted'")


def colleague_view_instead_of_table(folder: Path, ours: Path) -> Path:
    """A colleague's workspace whose ``judgments`` is a view over an endless recursive query
    (with every column a merge reads), not the table."""
    theirs = Path(folder) / "bob.sqlite"
    shutil.copyfile(ours, theirs)
    conn = sqlite3.connect(theirs, isolation_level=None)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(judgments)")]
        conn.execute("DROP TABLE judgments")
        chosen = ", ".join(f"'x' AS \"{c}\"" for c in columns)
        conn.execute(
            "CREATE VIEW judgments AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL "
            f"SELECT n + 1 FROM r) SELECT {chosen} FROM r"
        )
    finally:
        conn.close()
    return theirs


def colleague_future_rename(folder: Path, ours: Path) -> Path:
    """A colleague's copy of our workspace in which "Joe Biden" became "Vladimir Putin" and
    every judgment was rewritten, each stamped 2099: their change log (written by the real
    services) shows our version before theirs, so only the future time could make it win."""
    from workstation.services.session import open_session

    theirs = Path(folder) / "mallory.sqlite"
    shutil.copyfile(ours, theirs)
    with open_session(theirs, author="mallory") as session:
        biden = session.entities.find_by_name("Joe Biden")
        assert biden is not None, "the sample has Joe Biden"
        session.entities.edit(biden.id, name="Vladimir Putin")
        for episode in session.episodes.list_episodes():
            for judgment in session.episodes.judgments(episode.id):
                session.episodes.edit_judgment(judgment.id, text="Nothing will happen.")
    _raw(
        theirs,
        f"UPDATE entities SET updated_at = '{FUTURE}' WHERE name = 'Vladimir Putin'",
        f"UPDATE judgments SET updated_at = '{FUTURE}'",
    )
    return theirs


def foreign_wal_beside(workspace: Path) -> Path:
    """Another database's write-ahead log (its frames hold its page 1: another application
    id), copied beside the workspace as its ``-wal``."""
    other = Path(workspace).with_name("other-db.sqlite")
    conn = sqlite3.connect(other, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
        wal = Path(workspace).with_name(Path(workspace).name + "-wal")
        shutil.copyfile(other.with_name(other.name + "-wal"), wal)  # while it is still whole
    finally:
        conn.close()
    for suffix in ("", "-wal", "-shm"):
        other.with_name(other.name + suffix).unlink(missing_ok=True)
    return wal


# -- attacks ------------------------------------------------------------------------------------


def _one_line(run: Run, *words: str) -> str:
    """The line that names the reason, or "" if the run did not give exactly one."""
    lines = [line for line in run.err if all(w in line for w in words)]
    return lines[0] if len(lines) == 1 and len(run.err) == 1 else ""


def _refused(run: Run, before: dict, after: dict, *words: str) -> Outcome:
    line = _one_line(run, *words)
    if run.code is None:
        return Outcome("FAILED", f"still running after {run.seconds:.0f} s")
    if run.code != 1 or not line:
        return Outcome("FAILED", f"exit {run.code}: {(run.err or run.out or [''])[-1]}")
    if before != after:
        return Outcome("FAILED", f"the workspace changed: {line}")
    return Outcome("refused", line)


def _path_attack(make_target: Callable[[Path, Path], Path], *args: str) -> Callable:
    def run(folder: Path) -> Outcome:
        ws = sample(folder)
        (folder / "ws.sqlite.backups").mkdir(exist_ok=True)
        target = make_target(folder, ws)
        before = (table_digest(ws), family_bytes(ws))
        done = command(ws, *(a.replace("TARGET", str(target)) for a in args))
        return _refused(done, before, (table_digest(ws), family_bytes(ws)), "refusing to write")

    return run


def _symlink(folder: Path, ws: Path) -> Path:
    link = folder / "link.csv"
    link.symlink_to(ws)
    return link


def _dotdot(folder: Path, ws: Path) -> Path:
    (folder / "sub").mkdir()
    return folder / "sub" / ".." / ws.name


def _trigger_attack(folder: Path) -> Outcome:
    ws = sample(folder)
    plant_rewriting_trigger(ws)
    before = table_digest(ws)
    done = command(ws, "import", article(folder))
    return _refused(done, before, table_digest(ws), REWRITE_TRIGGER, "not part of a workspace")


def _trigger_repair(folder: Path) -> Outcome:
    """check reports it, --repair removes it after a backup, then an import works and nothing
    was rewritten."""
    ws = sample(folder)
    plant_rewriting_trigger(ws)
    judgments = value(ws, "SELECT id, text FROM judgments ORDER BY id")
    links = value(ws, "SELECT count(*) FROM mentions")
    bytes_before = family_bytes(ws)
    checked = command(ws, "check")
    if family_bytes(ws) != bytes_before:
        return Outcome("FAILED", "check changed the file or its sidecars")
    if checked.code != 1 or not any(REWRITE_TRIGGER in line for line in checked.err):
        return Outcome("FAILED", f"check: exit {checked.code}: {checked.err[-1:]}")
    repaired = command(ws, "check", "--repair")
    if repaired.code != 0 or f"repaired: removed trigger {REWRITE_TRIGGER}" not in repaired.out:
        return Outcome("FAILED", f"repair: exit {repaired.code}: {(repaired.err or [''])[-1]}")
    imported = command(ws, "import", article(folder))
    if imported.code != 0:
        return Outcome("FAILED", f"import after repair: exit {imported.code}")
    if value(ws, "SELECT id, text FROM judgments ORDER BY id") != judgments:
        return Outcome("FAILED", "judgments were rewritten")
    if value(ws, "SELECT count(*) FROM mentions") != links:
        return Outcome("FAILED", "entity links were deleted")
    return Outcome("handled", f"{checked.err[0]} → {repaired.out[1]}")


def _view_and_table(folder: Path) -> Outcome:
    ws = sample(folder)
    plant_view_and_table(ws)
    before = table_digest(ws)
    done = command(ws, "import", article(folder))
    return _refused(done, before, table_digest(ws), "zz_peek", "zz_extra")


def _altered_table(folder: Path) -> Outcome:
    ws = sample(folder)
    alter_table(ws)
    before = table_digest(ws)
    done = command(ws, "import", article(folder))
    return _refused(done, before, table_digest(ws), "table judgments differs")


def _recursive_view_merge(folder: Path) -> Outcome:
    ws = sample(folder)
    theirs = colleague_view_instead_of_table(folder, ws)
    before = table_digest(ws)
    done = command(ws, "merge", theirs, env={"WORKSTATION_READ_TIME_LIMIT": "5"})
    outcome = _refused(done, before, table_digest(ws), "not merged", "judgments is a view")
    if outcome.verdict != "refused":
        return outcome
    after = command(ws, "import", article(folder))  # the writer's lock was let go
    if after.code != 0:
        return Outcome("FAILED", f"the next command could not write: {after.err[-1:]}")
    return outcome


def _future_merge(folder: Path) -> Outcome:
    ws = sample(folder)
    theirs = colleague_future_rename(folder, ws)
    names = value(ws, "SELECT name FROM entities ORDER BY seq")
    judgments = value(ws, "SELECT id, text FROM judgments ORDER BY id")
    done = command(ws, "merge", theirs)
    conflicts = [line for line in done.out if "future timestamp" in line]
    if done.code != 0 or not any("Joe Biden" in line for line in conflicts):
        return Outcome("FAILED", f"exit {done.code}: {(done.err or done.out or [''])[-1]}")
    if value(ws, "SELECT name FROM entities ORDER BY seq") != names:
        return Outcome("FAILED", "an entity was renamed")
    if value(ws, "SELECT id, text FROM judgments ORDER BY id") != judgments:
        return Outcome("FAILED", "judgments were overwritten")
    return Outcome("handled", f"{len(conflicts)} conflicts held back; {conflicts[0]}")


def _foreign_wal(folder: Path) -> Outcome:
    ws = sample(folder)
    before = table_digest(ws)
    wal = foreign_wal_beside(ws)
    bytes_before = family_bytes(ws)
    checked = command(ws, "check")
    if family_bytes(ws) != bytes_before:
        return Outcome("FAILED", "check changed the file or its sidecars")
    if checked.code != 1 or not checked.err or not checked.err[0].startswith("wal: "):
        return Outcome("FAILED", f"check: exit {checked.code}: {checked.err[:1]}")
    searched = command(ws, "search", "sanctions")
    moved = sorted(folder.glob(wal.name + ".foreign-*"))
    notes = [line for line in searched.err if "moved aside untouched" in line]
    if searched.code != 0 or len(moved) != 1 or len(notes) != 1 or wal.exists():
        return Outcome("FAILED", f"search: exit {searched.code}: {searched.err[-1:]}")
    if table_digest(ws) != before:
        return Outcome("FAILED", "the foreign log was folded into the workspace")
    return Outcome("handled", notes[0])


ATTACKS: list[Attack] = [
    Attack(
        "workspace: export csv over the workspace itself",
        "workspace",
        _path_attack(lambda folder, ws: ws, "export", "--format", "csv", "--out", "TARGET"),
    ),
    Attack(
        "workspace: export w3c over its -wal",
        "workspace",
        _path_attack(
            lambda folder, ws: ws.with_name(ws.name + "-wal"),
            *("export", "--format", "w3c", "--out", "TARGET"),
        ),
    ),
    Attack(
        "workspace: export brat into its backups folder",
        "workspace",
        _path_attack(
            lambda folder, ws: folder / "ws.sqlite.backups" / "brat",
            *("export", "--format", "brat", "--out", "TARGET"),
        ),
    ),
    Attack(
        "workspace: export csv through a symlink to it",
        "workspace",
        _path_attack(_symlink, "export", "--format", "csv", "--out", "TARGET"),
    ),
    Attack(
        "workspace: export ftm through sub/../ws.sqlite",
        "workspace",
        _path_attack(_dotdot, "export", "--format", "ftm", "--out", "TARGET"),
    ),
    Attack(
        "workspace: brief --out into its backups folder",
        "workspace",
        _path_attack(
            lambda folder, ws: folder / "ws.sqlite.backups" / "brief.pdf",
            *("brief", "--out", "TARGET"),
        ),
    ),
    Attack(
        "workspace: backup DEST = its -wal",
        "workspace",
        _path_attack(lambda folder, ws: ws.with_name(ws.name + "-wal"), "backup", "TARGET"),
    ),
    Attack("workspace: planted trigger rewrites judgments", "workspace", _trigger_attack),
    Attack("workspace: planted trigger, check and repair", "workspace", _trigger_repair),
    Attack("workspace: planted recursive view and table", "workspace", _view_and_table),
    Attack("workspace: altered table definition", "workspace", _altered_table),
    Attack("workspace: merge a view instead of a table", "workspace", _recursive_view_merge),
    Attack("workspace: merge a rename stamped 2099", "workspace", _future_merge),
    Attack("workspace: foreign -wal beside it", "workspace", _foreign_wal),
]

__all__ = ["ATTACKS"]
