"""The scale benchmark (issue 7): ``python -m bench.scale_bench``.

Sizes, as issue 7's "100k documents / 1M passages / 100k annotations" is read here: 100,000
documents (~5 KB wire articles), 1,000,000 passages (annotation rows, 10 per document), of
which ~100,000 (a tenth) are annotated in the officer's sense: they carry a note and/or link
entities (mentions; 53 entities: people, states, public bodies), so entity-filtered search
and the inspector have realistic data. The workspace is built once with bulk SQL
(bench/scale_fill.py: FTS triggers fire, no change-log rows for setup) and cached under
``bench/results/.cache/`` keyed by size, seed and build version (``--rebuild`` to redo it).

Every row runs the workstation's own path beside a raw SQLite baseline doing the same work
in the same process on the same file, and reports the ratio (bench/report.py):

- open (bench/scale_file.py, with check and backup): ``services.open_session`` (instance
  lock, migration probe, pragmas, version gate) against ``sqlite3.connect`` + the same
  pragmas; the first open in the process, repeated warm opens, opens after evicting the
  file from the page cache (``posix_fadvise DONTNEED``; the VM host may still cache it),
  and evicted open + first search page;
- search first page (bench/scale_search.py): rare terms (ranked), common terms (newest
  first above ``RANK_LIMIT``), phrase, prefix, Cyrillic, "rank anyway" and an entity filter,
  against plain FTS5 queries over the same indexes;
- library: ``LibraryService`` count + first 200 rows, and the page at row 90,000, against
  the same SQL written plainly (SQL only: the Qt side is bench/library_bench.py);
- save one annotation: ``session.annotations.create`` against a raw ``BEGIN IMMEDIATE;
  INSERT; COMMIT`` into the same table of the same file (triggers fire; no change log);
- check: ``services.maintenance.check`` against ``PRAGMA integrity_check`` alone;
- backup: ``services.maintenance.backup`` (backup API + ``quick_check``) against a bare
  ``Connection.backup``;
- memory (bench/scale_memory.py): tracemalloc peak of open + every first search page
  (Python allocations), and peak RSS of a fresh process doing open + searches + library
  pages (VmHWM: a child's ru_maxrss carries its parent's peak on Linux); the bench
  process's own ru_maxrss after the reading rows, after check and after backup is printed
  under the table.

Budgets: docs/architecture.md and issue 7 (open < 1 s, search first page p95 < 150 ms, save p95 <
10 ms, library first paint < 100 ms and jump < 50 ms, here SQL only, so a lower bound).
Rows added by the run (saves) are removed before the next one (``scale_fill.reset``).
Options: ``--documents N`` (smaller sizes are marked "smoke"), ``--rebuild``, ``--runs``,
``--opens``, ``--saves``, ``--json`` (default bench/results/scale.json); see ``--help``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench.report import Row, log, render_table
from bench.scale_file import (
    PRAGMAS,
    bench_backup,
    bench_check,
    bench_open,
    raw_open,
    spread,
    timed,
)
from bench.scale_fill import ScaleSize, cached_workspace
from bench.scale_memory import in_fresh_process, max_rss_mb, traced_peak_mb
from bench.scale_search import KINDS, RawSearch, bench_search
from workstation.domain.dates import utc_now_iso
from workstation.domain.offsets import make_selector
from workstation.services import Session, open_session
from workstation.services.library import LibraryQuery, LibraryService
from workstation.services.search import search_page
from workstation.storage import open_workspace
from workstation.storage.backup import pending_migrations

RESULTS = Path(__file__).resolve().parent / "results" / "scale.json"
CACHE = Path(__file__).resolve().parent / "results" / ".cache"
AUTHOR = "bench"
SAVE_P95_BUDGET_S = 0.010
FIRST_PAGE_BUDGET_S = 0.100
JUMP_BUDGET_S = 0.050
LIBRARY_PAGE = 200
RAW_COUNT = (
    "SELECT count(*) FROM documents d INDEXED BY documents_library_added WHERE d.deleted_at IS NULL"
)
RAW_PAGE = (
    "SELECT d.id, d.title, d.outlet, d.published, d.reliability, d.credibility, "
    "(SELECT count(*) FROM annotations a WHERE a.document_id = d.id AND a.deleted_at IS NULL) "
    "FROM documents d WHERE d.deleted_at IS NULL ORDER BY d.seq DESC LIMIT ? OFFSET ?"
)
RAW_INSERT = (
    'INSERT INTO annotations (id, document_id, start, "end", exact, prefix, suffix, '
    "category_id, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def megabytes(label: str, ours: float, raw: float) -> Row:
    def text(value: float) -> str:
        return f"{value:,.1f} MB" if value >= 10 else f"{value:.3f} MB"

    return Row(label, ours, raw, ours_text=text(ours), raw_text=text(raw), extra={"unit": "MB"})


# -- library ------------------------------------------------------------------------------------


def bench_library(session: Session, raw: sqlite3.Connection, runs: int) -> list[Row]:
    library, query = LibraryService(session), LibraryQuery()
    total = library.count(query)
    target = min(90_000, int(total * 0.9))
    cases = [
        ("library first page: count + 200 rows (SQL)", FIRST_PAGE_BUDGET_S,
         lambda: (library.count(query), library.page(query, 0, LIBRARY_PAGE)),
         lambda: (raw.execute(RAW_COUNT).fetchone(),
                  raw.execute(RAW_PAGE, [LIBRARY_PAGE, 0]).fetchall())),
        (f"library jump to row {target:,}: 200 rows (SQL)", JUMP_BUDGET_S,
         lambda: library.page(query, target, LIBRARY_PAGE),
         lambda: raw.execute(RAW_PAGE, [LIBRARY_PAGE, target]).fetchall()),
    ]  # fmt: skip
    rows = []
    for label, budget, ours, baseline in cases:
        ours(), baseline()  # warm-up
        ours_s, raw_s = [], []
        for _ in range(runs):
            ours_s.append(timed(ours))
            raw_s.append(timed(baseline))
        rows.append(spread(f"{label}, p50 / p95", ours_s, raw_s, budget))
    return rows


# -- save ---------------------------------------------------------------------------------------


def bench_save(session: Session, raw: sqlite3.Connection, runs: int) -> list[Row]:
    rng = random.Random(7)
    last = raw.execute("SELECT max(seq) FROM documents").fetchone()[0]
    categories = [c.id for c in session.codebook.list_categories()]
    plan = []
    for _ in range(runs):
        doc_id, body = raw.execute(
            "SELECT id, body FROM documents WHERE seq = ?", [rng.randint(1, last)]
        ).fetchone()
        start = rng.randrange(0, len(body) - 200)
        plan.append((doc_id, body, start, start + rng.randint(40, 200), rng.choice(categories)))

    def raw_save(doc_id: str, body: str, start: int, end: int, category: str) -> None:
        selector, now = make_selector(body, start, end), utc_now_iso()
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(
            RAW_INSERT,
            [
                str(uuid.uuid4()),
                doc_id,
                start,
                end,
                selector.exact,
                selector.prefix,
                selector.suffix,
                category,
                AUTHOR,
                now,
                now,
            ],
        )
        raw.execute("COMMIT")  # fmt: skip

    ours_s, raw_s = [], []
    for doc_id, body, start, end, category in plan:
        started = time.perf_counter()
        session.annotations.create(doc_id, start, end, category_id=category)
        ours_s.append(time.perf_counter() - started)
        raw_s.append(timed(lambda: raw_save(doc_id, body, start, end, category)))  # noqa: B023
    row = spread(f"save one annotation, p50 / p95 ({runs} runs)", ours_s, raw_s,
                 SAVE_P95_BUDGET_S)  # fmt: skip
    row.extra |= {"ours_max_s": max(ours_s), "raw_max_s": max(raw_s)}
    return [row]


# -- memory -------------------------------------------------------------------------------------


def bench_memory(path: Path, texts: list[str], target: int) -> list[Row]:
    raw_search = RawSearch(path, "", pragmas=PRAGMAS)
    queries = [raw_search.prepare(text) for text in texts]
    statements = [(RAW_COUNT, [])] + [(RAW_PAGE, [LIBRARY_PAGE, o]) for o in (0, target)]
    for query in queries:
        statements += raw_search.statements(query)
    raw_search.close()

    def ours() -> None:
        with open_session(path, author=AUTHOR) as session:
            for text in texts:
                search_page(session, text)

    def raw() -> None:
        searcher = RawSearch(path, "", pragmas=PRAGMAS, counts=raw_search.counts)
        for query in queries:
            searcher.page(query)
        searcher.close()

    traced = (traced_peak_mb(ours), traced_peak_mb(raw))
    plan = {"texts": texts, "library_offsets": [0, target], "library_page": LIBRARY_PAGE,
            "pragmas": list(PRAGMAS), "statements": statements}  # fmt: skip
    rss = (in_fresh_process("ours", path, plan), in_fresh_process("raw", path, plan))
    return [
        megabytes("memory: tracemalloc peak, open + every first search page", *traced),
        megabytes("memory: peak RSS (VmHWM), fresh process: open + searches + library", *rss),
    ]


# -- main ---------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale_bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--documents", type=int, default=100_000, help="default 100000 (10 passages each)")
    add("--passages-per-document", type=int, default=10)
    add("--seed", type=int, default=1)
    add("--cache-dir", type=Path, default=CACHE, help=f"built workspaces (default {CACHE})")
    add("--rebuild", action="store_true", help="build the workspace again even if cached")
    add("--runs", type=int, default=40, help="first pages per search kind (default 40)")
    add("--rank-anyway-runs", type=int, default=10)
    add("--library-runs", type=int, default=30)
    add("--opens", type=int, default=20)
    add("--saves", type=int, default=300)
    add("--json", type=Path, default=RESULTS, help=f"results as JSON (default {RESULTS})")
    return parser.parse_args(argv)  # fmt: skip


def run(args: argparse.Namespace, folder: Path) -> dict:
    size = ScaleSize(args.documents, args.passages_per_document, seed=args.seed)
    log(f"workspace: {size.documents:,} documents, {size.passages:,} passages (cache "
        f"{args.cache_dir})")  # fmt: skip
    started = time.perf_counter()
    path, meta = cached_workspace(size, args.cache_dir, rebuild=args.rebuild)
    if pending_migrations(path):  # a schema newer than the cache migrates here, untimed
        open_workspace(path, author=AUTHOR).close()
    prepare_s = time.perf_counter() - started
    size_mb = path.stat().st_size / 1e6
    log("open…")
    rows = bench_open(path, args.opens)
    notes: list[str] = []
    session = open_session(path, author=AUTHOR)
    raw = raw_open(path)
    try:
        log("search…")
        search_rows, search_notes = bench_search(session, args.runs, args.rank_anyway_runs)
        rows += search_rows
        log("library…")
        rows += bench_library(session, raw, args.library_runs)
        log("save…")
        rows += bench_save(session, raw, args.saves)
        rss = {"after searches, library, saves": max_rss_mb()}
        log("check…")
        check_rows, check_notes = bench_check(session, raw)
        rows += check_rows
        notes += check_notes
        rss["after check"] = max_rss_mb()
    finally:
        raw.close()
        session.close()
    log("backup…")
    backup_rows, backup_note = bench_backup(path, folder)
    rows += backup_rows
    rss["after backup"] = max_rss_mb()
    log("memory…")
    texts = [queries[0] for queries in KINDS.values()]
    target = min(90_000, int(size.documents * 0.9))
    rows += bench_memory(path, texts, target)

    smoke = size.documents < 100_000
    table = render_table(rows, smoke=smoke)
    counts = meta["counts"]
    print(f"scale benchmark — {counts['documents']:,} documents, {counts['passages']:,} "
          f"passages, {counts['annotated']:,} annotated ({counts['notes']:,} notes, "
          f"{counts['mentions']:,} entity links), {meta['entities']} entities"
          + (" [SMOKE: below issue 7's size]" if smoke else ""))  # fmt: skip
    print()
    print(table)
    print()
    print(f"setup: built in {meta['build_s']:.0f} s (cached; this run's preparation "
          f"{prepare_s:.1f} s, {meta['reset_rows']} rows of earlier runs removed); "
          f"workspace {size_mb:,.0f} MB on disk; {backup_note}")  # fmt: skip
    print("bench process ru_maxrss: " + "; ".join(f"{k} {v:,.0f} MB" for k, v in rss.items()))
    for line in [*notes, "search matches (RANK_LIMIT 20,000 per index):", *search_notes]:
        print(line)
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "platform": platform.platform(), "cpus": os.cpu_count()},
        "sizes": meta["counts"] | {"entities": meta["entities"]},
        "build_s": meta["build_s"],
        "reset_rows": meta["reset_rows"],
        "workspace_mb": size_mb,
        "max_rss_mb": rss,
        "table": table,
        "rows": [row.as_json(smoke=smoke) for row in rows],
    }  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    try:
        report = run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    log(f"results: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
