"""Hostile annotation files for ``workstation import-annotations`` (issue 12, points 3 and 6).

Each attack makes a sample workspace with the real command (``init --sample``), builds its
file (bench/hostile/annotation_inputs.py), runs ``python -m workstation --workspace W
import-annotations FILE`` under the 1 GB address-space limit and holds the result to the
contract: the line(s) it expects on the right stream, the exit status, no traceback, the good
lines imported and every other table as it was (a hash per table, before and after).

Verdicts: "refused" — nothing imported, one clear line; "handled" — the good lines imported,
the hostile ones reported, refused or kept as claims; "FAILED" — anything else.
"""

from __future__ import annotations

import hashlib
import os
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.hostile import Attack, Outcome
from bench.hostile import annotation_inputs as make
from bench.hostile.annotation_inputs import Sample

PREFIX = "annotations: "
MEMORY_LIMIT = 1 << 30
TIMEOUT_SECONDS = 30
_ROOT = Path(__file__).resolve().parents[2]


def limit_memory() -> None:
    """preexec_fn: the 1 GB address-space budget for the command."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def command(workspace: Path, *args: object, timeout: float = TIMEOUT_SECONDS):
    """(exit status or None when killed, stdout lines, stderr lines, seconds)."""
    argv = [sys.executable, "-m", "workstation", "--workspace", str(workspace), *map(str, args)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(_ROOT)}
    env["WORKSTATION_DATA_DIR"] = str(workspace.parent / "data")
    began = time.perf_counter()
    try:
        done = subprocess.run(
            argv, capture_output=True, timeout=timeout, env=env, cwd=_ROOT,
            preexec_fn=limit_memory,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return None, [], [], time.perf_counter() - began
    out = done.stdout.decode("utf-8", "replace").splitlines()
    err = done.stderr.decode("utf-8", "replace").splitlines()
    return done.returncode, out, err, time.perf_counter() - began


def table_hashes(workspace: Path) -> dict[str, str]:
    """One hash per table (rows in a fixed order), read-only."""
    conn = sqlite3.connect(f"{workspace.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: hashlib.sha256(
                repr(sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)).encode()
            ).hexdigest()
            for t in tables
        }
    finally:
        conn.close()


def rows(workspace: Path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(f"{workspace.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """Tables whose rows differ, the full-text indexes' own pages left aside."""
    return {
        t for t in before.keys() | after.keys()
        if before.get(t) != after.get(t) and "_fts" not in t
    }  # fmt: skip


_LOG = {"changes", "sqlite_sequence"}  # the change log and its AUTOINCREMENT counter
Check = Callable[[Path, Sample, tuple], str | None]  # a problem, or None


def attack(
    name: str,
    build: Callable[[Path, Sample], Path],
    *,
    verdict: str,
    code: int,
    says: str,
    stream: str = "err",
    tables: frozenset[str] = frozenset(),
    check: Check | None = None,
) -> Attack:
    """An attack expecting ``code``, a line holding ``says`` on ``stream``, changes only to
    ``tables`` (and the change log), and whatever ``check`` looks for."""

    def run(folder: Path) -> Outcome:
        workspace = folder / "ws.sqlite"
        made, _out, err, _s = command(workspace, "init", "--sample")
        if made != 0:
            return Outcome("FAILED", f"init --sample: exit {made}: {' '.join(err)[:80]}")
        sample = Sample.read(workspace)
        path = build(folder, sample)
        before = table_hashes(workspace)
        status, out, err, seconds = command(workspace, "import-annotations", path)
        result = (status, out, err)
        problems = []
        if status is None:
            problems.append(f"still running after {TIMEOUT_SECONDS} s")
        elif status != code:
            problems.append(f"exit {status}, not {code}")
        if any("Traceback" in line or "internal error" in line for line in out + err):
            problems.append("a traceback or internal error")
        lines = err if stream == "err" else out
        said = [line for line in lines if says in line]
        if not said:
            problems.append(f"no line saying {says!r} on std{stream}")
        changed = _changed(before, table_hashes(workspace))
        if changed - tables - _LOG or (tables and not changed & tables):
            problems.append(f"tables changed: {', '.join(sorted(changed)) or 'none'}")
        if check is not None and status is not None:
            problem = check(workspace, sample, result)
            if problem:
                problems.append(problem)
        if problems:
            return Outcome("FAILED", "; ".join(problems) + f" | {' / '.join(err + out)[:120]}")
        shown = said[0].removeprefix("workstation import-annotations: ")
        return Outcome(verdict, f"{shown.removeprefix(f'{path}: ')} ({seconds:.1f} s)")

    return Attack(PREFIX + name, "interchange", run)


# -- checks on what was stored ----------------------------------------------------------------


def _claims_kept(workspace: Path, sample: Sample, result: tuple) -> str | None:
    found = rows(
        workspace,
        "SELECT author, created_at, updated_at, imported_by, imported_at, claimed "
        "FROM annotations WHERE imported_by IS NOT NULL ORDER BY seq",
    )
    if len(found) != 3:
        return f"{len(found)} passages imported, not 3"
    (author, created, updated, by, at, claimed), _odd, colleague = found
    if author != "head-of-desk" or "2099" not in claimed or not by or by == "head-of-desk":
        return "the claims or the importer were not kept"
    if created != at or updated != at:
        return f"ordered by the claimed time ({created}), not the import time ({at})"
    if colleague[1] != "2021-04-16T10:00:00.000000Z":
        return "a claimed time in the past was not kept"
    return None


def _remapped(workspace: Path, sample: Sample, result: tuple) -> str | None:
    found = rows(workspace, "SELECT id, json_extract(claimed, '$.id') FROM annotations "
                 "WHERE imported_by IS NOT NULL")  # fmt: skip
    kept = sorted(str(original) for _id, original in found)
    if kept != sorted(["../../etc/passwd", "urn:x:1", "42"]):
        return f"original ids kept: {kept}"
    if any(len(new) != 36 or "/" in new for new, _ in found):
        return "an id that is not a UUID was used"
    return None


def _entity_remapped(workspace: Path, sample: Sample, result: tuple) -> str | None:
    found = rows(workspace, "SELECT id FROM entities WHERE claimed LIKE '%etc/passwd%'")
    if len(found) != 1 or "/" in found[0][0]:
        return "the entity was not given a new UUID with its original id kept"
    return None


def _no_link_to_theirs(workspace: Path, sample: Sample, result: tuple) -> str | None:
    _status, _out, err = result
    if len(err) != 1 or "line 2:" not in err[0]:
        return f"expected one line about line 2, got {len(err)}"
    linked = rows(workspace, "SELECT count(*) FROM mentions WHERE annotation_id = ? AND "
                  "imported_by IS NOT NULL", sample.passage["id"])  # fmt: skip
    if linked[0][0]:
        return "a link was added to the colleague's passage"
    return None


def _good_line_in(count: int) -> Check:
    def check(workspace: Path, sample: Sample, result: tuple) -> str | None:
        found = rows(workspace, "SELECT count(*) FROM annotations WHERE imported_by IS NOT NULL")
        return None if found[0][0] == count else f"{found[0][0]} passages imported, not {count}"

    return check


def _lock_free_after(workspace: Path, sample: Sample, result: tuple) -> str | None:
    """A second command can write at once: no lock was left held."""
    good = make.write_lines(workspace.parent / "good.jsonl", [
        make.w3c(sample.articles[1], sample.articles[1].sentences()[0])])  # fmt: skip
    status, _out, err, _seconds = command(workspace, "import-annotations", good, timeout=10)
    if status != 0:
        return f"the next import failed (exit {status}: {' '.join(err)[:60]})"
    return None


ATTACKS: list[Attack] = [
    attack("claimed author head-of-desk, created 2099", make.claimed_author_and_future,
           verdict="handled", code=0, stream="out", says="line 1: claims created 2099",
           tables=frozenset({"annotations"}), check=_claims_kept),
    attack("ids ../../etc/passwd, urn:x:1, 42", make.ids_not_uuids, verdict="handled",
           code=0, stream="out", says="3 ids were not UUIDs",
           # issue 17: each foreign id is also kept in foreign_ids (a re-import knows it)
           tables=frozenset({"annotations", "foreign_ids"}), check=_remapped),
    attack("FtM entity id ../../etc/passwd", make.ftm_id_not_uuid, verdict="handled", code=0,
           stream="out", says="1 id was not a UUID", tables=frozenset({"entities"}),
           check=_entity_remapped),
    attack("a colleague's passage id on another document", make.passage_id_of_another_document,
           verdict="handled", code=1, says="line 2: id ", tables=frozenset({"annotations"}),
           check=_no_link_to_theirs),
    attack("passage and entity ids naming a document", make.ids_of_other_kinds,
           verdict="handled", code=1, says="already names a document here; not imported",
           tables=frozenset({"annotations"}), check=_good_line_in(1)),
    attack("FtM by id adds “Vladimir Putin” to Joe Biden", make.ftm_putin_as_biden,
           verdict="refused", code=0, stream="out",
           says="line 1: would add “Vladimir Putin” as a name of Joe Biden"),
    attack("FIFO", make.fifo, verdict="refused", code=1, says="not a regular file (FIFO)",
           check=_lock_free_after),
    attack("symbolic link to /dev/zero", make.link_to_dev_zero, verdict="refused", code=1,
           says="not a regular file (character device)"),
    attack("300 MB file (sparse)", make.sparse_300_mb, verdict="refused", code=1,
           says="300 MB is more than the 256 MB"),
    # issue 17: a folder is read as a brat collection; this one's .ann has no .txt beside it
    attack("a brat export folder", make.a_folder, verdict="refused", code=1,
           says="a.txt: no such file; its lines not imported"),
    attack("PNG named .jsonl", make.png_named_jsonl, verdict="refused", code=1,
           says="a binary file, not JSON annotations"),
    attack("JSON nested 100,000 deep", make.deep_json, verdict="refused", code=1,
           says="nested too deeply"),
    attack("a line nested 100,000 deep", make.deep_line, verdict="handled", code=1,
           says="line 2: not readable JSON (nested too deeply)",
           tables=frozenset({"annotations"}), check=_good_line_in(1)),
    attack("absurd offsets (10^18, negative, 5,000 digits)", make.absurd_offsets,
           verdict="handled", code=1, says="line 2: TextPositionSelector -5–3 is not a range",
           tables=frozenset({"annotations"}), check=_good_line_in(2)),
]  # fmt: skip
