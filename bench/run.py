"""The benchmark for the performance budget (docs/architecture.md): ``python -m bench.run``.

Each measured row runs the workstation's own code path beside a raw baseline doing the same
work with the bare libraries, in the same process, on the same disk, and prints the ratio.
See bench/README.md for what every row measures.
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
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from bench.brief_bench import bench_briefs, brief_notes
from bench.corpus import annotation_spans, write_articles
from bench.fill import Corpus, fill_workspace
from bench.report import Row, fmt_time, log, percentile, render_table
from workstation.domain.dates import utc_now_iso
from workstation.domain.offsets import make_selector
from workstation.services import Session, create_session, open_session
from workstation.services.importing import import_files
from workstation.storage.search import fts_query

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"

IMPORT_SEED = 2021
AUTHOR = "bench"

# Budgets from docs/architecture.md, in seconds.
IMPORT_BUDGET_S = 3.0
SEARCH_P95_BUDGET_S = 0.100
SAVE_P95_BUDGET_S = 0.010

# What officers type. Each kind cycles through its examples.
QUERIES: dict[str, tuple[str, ...]] = {
    "rare name": ("Nebenzya", "Szijjártó", "Rinkēvičs", "Aurescu", "Dendias"),
    "common word": ("sanctions", "officials", "Russia"),
    "phrase": ('"asset freeze"', '"travel ban"', '"New START"'),
    "prefix": ("sanct*", "recipro*", "diplom*"),
    "Cyrillic": ("Песков", "Лавров", "Захарова"),
    "punctuation": (
        "Peskov's \"reciprocity",
        "Quai d'Orsay's (statement)",
        "U.S.-led: tit-for-tat?",
    ),
}

RAW_SEARCH_SQL = (
    "SELECT rowid, snippet(annotations_fts, -1, '[', ']', '…', 16) FROM annotations_fts "
    "WHERE annotations_fts MATCH ? ORDER BY rank LIMIT 50"
)


# -- a. import ---------------------------------------------------------------------------------


def bench_import(session: Session, folder: Path, raw_path: Path, count: int) -> list[Row]:
    paths = write_articles(folder / "articles", count, seed=IMPORT_SEED)

    gaps: list[float] = []
    last = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    started = time.perf_counter()
    last[0] = started
    results, _changes = import_files(session, paths, progress=progress)
    ours = time.perf_counter() - started
    imported = sum(1 for r in results if r.status == "imported")
    if imported != count:
        failed = [r for r in results if r.status != "imported"][:3]
        raise SystemExit(f"import benchmark: only {imported}/{count} imported: {failed}")

    # Raw baseline: sqlite-utils insert_all into a fresh FTS5 table with triggers, WAL.
    db = Database(raw_path)
    db.enable_wal()
    db.execute("PRAGMA synchronous = FULL")
    table = db.table("articles")
    table.create({"id": str, "title": str, "body": str, "origin_name": str}, pk="id")
    table.enable_fts(
        ["title", "body"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )
    started = time.perf_counter()
    rows = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "title": text.split("\n", 1)[0],
                "body": text,
                "origin_name": path.name,
            }
        )
    table.insert_all(rows)
    raw = time.perf_counter() - started
    db.close()

    return [
        Row(
            f"import {count:,} articles (~5 KB), parse + store + FTS",
            ours,
            raw,
            IMPORT_BUDGET_S if count >= 1000 else IMPORT_BUDGET_S * count / 1000,
            extra={
                "articles": count,
                "longest_gap_between_progress_calls_s": max(gaps, default=0.0),
            },
        )
    ]


# -- b. search ---------------------------------------------------------------------------------


def bench_search(session: Session, runs_per_kind: int) -> list[Row]:
    raw_conn = sqlite3.connect(session.path, isolation_level=None)
    fts = {q: fts_query(q) for queries in QUERIES.values() for q in queries}

    def raw_search(query: str) -> list[tuple]:
        return raw_conn.execute(RAW_SEARCH_SQL, [fts[query]]).fetchall()

    # Warm-up: one untimed pass of every query through both paths.
    hit_counts: dict[str, dict[str, int]] = {}
    for queries in QUERIES.values():
        for query in queries:
            hit_counts[query] = {
                "ours": len(session.search(query, limit=50)),
                "raw": len(raw_search(query)),
                "passages_matching": raw_conn.execute(
                    "SELECT count(*) FROM annotations_fts WHERE annotations_fts MATCH ?",
                    [fts[query]],
                ).fetchone()[0],
            }

    ours_by_kind: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    raw_by_kind: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    for run in range(runs_per_kind):
        for kind, queries in QUERIES.items():
            query = queries[run % len(queries)]
            started = time.perf_counter()
            session.search(query, limit=50)
            ours_by_kind[kind].append(time.perf_counter() - started)
            started = time.perf_counter()
            raw_search(query)
            raw_by_kind[kind].append(time.perf_counter() - started)
    raw_conn.close()

    ours_all = [t for samples in ours_by_kind.values() for t in samples]
    raw_all = [t for samples in raw_by_kind.values() for t in samples]
    rows = [
        Row(
            f"search top 50 + snippets, p50 ({len(ours_all)} runs)",
            percentile(ours_all, 50),
            percentile(raw_all, 50),
        ),
        Row(
            f"search top 50 + snippets, p95 ({len(ours_all)} runs)",
            percentile(ours_all, 95),
            percentile(raw_all, 95),
            SEARCH_P95_BUDGET_S,
            extra={"hits": hit_counts},
        ),
    ]
    for kind in QUERIES:
        ours, raw = ours_by_kind[kind], raw_by_kind[kind]
        o50, o95, r50, r95 = (
            percentile(ours, 50),
            percentile(ours, 95),
            percentile(raw, 50),
            percentile(raw, 95),
        )
        matching = [hit_counts[q]["passages_matching"] for q in QUERIES[kind]]
        rows.append(
            Row(
                f"  search: {kind}, p50 / p95",
                o95,
                r95,
                SEARCH_P95_BUDGET_S,
                ours_text=f"{fmt_time(o50)} / {fmt_time(o95)}",
                raw_text=f"{fmt_time(r50)} / {fmt_time(r95)}",
                extra={
                    "kind": kind,
                    "queries": list(QUERIES[kind]),
                    "passages_matching": matching,
                    "ours_p50_s": o50,
                    "raw_p50_s": r50,
                },
            )
        )
    return rows


# -- c. save one annotation --------------------------------------------------------------------


_RAW_ANNOTATIONS = """
    CREATE TABLE annotations (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, document_id TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, exact TEXT NOT NULL,
        prefix TEXT NOT NULL DEFAULT '', suffix TEXT NOT NULL DEFAULT '',
        category_id TEXT, note TEXT NOT NULL DEFAULT '', releasable INTEGER NOT NULL DEFAULT 1,
        author TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        deleted_at TEXT)
"""
_RAW_INSERT = (
    'INSERT INTO annotations (id, document_id, start, "end", exact, prefix, suffix, '
    "category_id, note, releasable, author, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?, ?, ?)"
)


def bench_save(session: Session, corpus: Corpus, raw_path: Path, runs: int) -> list[Row]:
    rng = random.Random(7)
    plan = []
    for _ in range(runs):
        document_id, body = rng.choice(corpus.documents)
        start, end = annotation_spans(body, 1, rng)[0]
        plan.append((document_id, body, start, end, rng.choice(corpus.category_ids)))

    raw_conn = sqlite3.connect(raw_path, isolation_level=None)
    raw_conn.execute("PRAGMA journal_mode = WAL")
    raw_conn.execute("PRAGMA synchronous = FULL")
    raw_conn.execute(_RAW_ANNOTATIONS)

    def raw_save(document_id: str, body: str, start: int, end: int, category_id: str) -> None:
        selector = make_selector(body, start, end)
        now = utc_now_iso()
        raw_conn.execute("BEGIN IMMEDIATE")
        raw_conn.execute(
            _RAW_INSERT,
            [
                str(uuid.uuid4()),
                document_id,
                start,
                end,
                selector.exact,
                selector.prefix,
                selector.suffix,
                category_id,
                AUTHOR,
                now,
                now,
            ],
        )
        raw_conn.execute("COMMIT")

    ours: list[float] = []
    raw: list[float] = []
    for document_id, body, start, end, category_id in plan:
        started = time.perf_counter()
        session.annotations.create(document_id, start, end, category_id=category_id)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw_save(document_id, body, start, end, category_id)
        raw.append(time.perf_counter() - started)
    raw_conn.close()
    return [
        Row(f"save one annotation, p50 ({runs} runs)", percentile(ours, 50), percentile(raw, 50)),
        Row(
            f"save one annotation, p95 ({runs} runs)",
            percentile(ours, 95),
            percentile(raw, 95),
            SAVE_P95_BUDGET_S,
            extra={"ours_max_s": max(ours), "raw_max_s": max(raw)},
        ),
    ]


# -- main --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Performance budget benchmark (docs/architecture.md).",
    )
    parser.add_argument(
        "--passages",
        type=int,
        default=None,
        help="annotations in the workspace before measuring (default 100000)",
    )
    parser.add_argument(
        "--articles",
        type=int,
        default=None,
        help="article files imported in the import row (default 1000)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small smoke run: 5,000 passages, 100 articles, a ~5-page brief, fewer runs",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for the workspace and baseline files (default: a temp dir, "
        "removed afterwards); a fresh run-* subfolder is made inside it",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (implied by --out)"
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=RESULTS,
        help=f"where to write the results as JSON (default {RESULTS})",
    )
    args = parser.parse_args(argv)
    if args.passages is None:
        args.passages = 5_000 if args.quick else 100_000
    if args.articles is None:
        args.articles = 100 if args.quick else 1_000
    if args.passages < 1 or args.articles < 1:
        parser.error("--passages and --articles must be at least 1")
    args.search_runs = 10 if args.quick else 50
    args.save_runs = 50 if args.quick else 300
    return args


def run(args: argparse.Namespace, folder: Path) -> dict:
    workspace_path = folder / "workspace.sqlite"
    log(f"workspace: {workspace_path}")

    started = time.perf_counter()
    session = create_session(workspace_path, author=AUTHOR)
    try:
        corpus = fill_workspace(session, args.passages)
    finally:
        session.close()
    setup_s = time.perf_counter() - started
    log(
        f"setup: {len(corpus.documents):,} documents, {args.passages:,} passages in {setup_s:.1f} s"
    )

    started = time.perf_counter()
    session = open_session(workspace_path, author=AUTHOR)
    open_s = time.perf_counter() - started
    try:
        log(f"import: {args.articles:,} articles…")
        rows = bench_import(session, folder, folder / "raw-import.sqlite", args.articles)
        log(f"search: {args.search_runs} runs × {len(QUERIES)} kinds…")
        rows += bench_search(session, args.search_runs)
        log(f"save: {args.save_runs} annotations…")
        rows += bench_save(session, corpus, folder / "raw-save.sqlite", args.save_runs)
    finally:
        session.close()
    size_mb = workspace_path.stat().st_size / 1e6
    brief_rows, brief_timings = bench_briefs(folder, quick=args.quick)  # own workspaces
    rows += brief_rows

    smoke = args.quick
    table = render_table(rows, smoke=smoke)
    title = (
        f"workstation benchmark — {args.passages:,} passages in {len(corpus.documents):,} "
        f"documents, {args.articles:,} articles imported"
        + (" [QUICK smoke run: sizes below the budget's]" if smoke else "")
    )
    print(title)
    print()
    print(table)
    print()
    import_row = rows[0]
    print(
        f"setup (not timed against a budget): {setup_s:.1f} s; reopen workspace {open_s:.2f} s; "
        f"workspace file {size_mb:.0f} MB"
    )
    print(
        "import: longest gap between progress callbacks "
        f"{fmt_time(import_row.extra['longest_gap_between_progress_calls_s'])}"
    )
    for line in brief_notes(brief_timings):
        print(line)
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if smoke else "full",
        "machine": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "sizes": {
            "passages": args.passages,
            "documents": len(corpus.documents),
            "articles_imported": args.articles,
            "search_runs_per_kind": args.search_runs,
            "save_runs": args.save_runs,
            "brief_pages": [t.pages for t in brief_timings],
        },
        "setup_s": setup_s,
        "reopen_s": open_s,
        "workspace_mb": size_mb,
        "table": table,
        "rows": [row.as_json(smoke=smoke) for row in rows],
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cleanup: Callable[[], None] | None = None
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="run-", dir=args.out))
    else:
        folder = Path(tempfile.mkdtemp(prefix="workstation-bench-"))
        if not args.keep:

            def cleanup() -> None:
                shutil.rmtree(folder, ignore_errors=True)

    try:
        report = run(args, folder)
    finally:
        if cleanup is not None:
            cleanup()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    log(f"results: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
