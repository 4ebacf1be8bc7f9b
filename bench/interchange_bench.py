"""Export, import, merge and agreement of a large workspace:
``python -m bench.interchange_bench [--quick]``.

Issues 6 and 17's benchmark. A workspace of ``--passages`` passages (default 100k, 10 per
article, built with bulk SQL by ``bench.scale_fill``; ``--quick``: 10k) plus 500 entities
linked to a tenth of the passages is exported in each format (W3C, CSV, brat, FtM,
REFI-QDA); each export is imported into a workspace holding the same documents and no
passages (bench.interchange_formats). Then a copy of it edited by a second officer (new
passages, edited notes, deletions, the same notes edited on both sides) is merged back, and
merged again (which must write nothing). Last, agreement (κ, α) between two workspaces of
``--agreement-passages`` (10k) passages on the same documents, a tenth changed on one side
(bench.interchange_agreement).

Raw baselines do the same I/O with the bare libraries (bench.interchange_raw): for exports,
one SQL query written out with ``json``/``csv``/``xml.etree``/plain files; for imports, the
parse alone (``json.loads``, ``ElementTree``, ``csv.reader``); for the merge, ``ATTACH`` and
``INSERT OR IGNORE`` of the other file's new passages — no matching by hash, no conflicts,
no change log, no backup, so they show the floor, not an equivalent. The table is printed
and saved to ``--json`` (bench/results/interchange.json).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import shutil
import sqlite3
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from bench.interchange_agreement import agreement_row
from bench.interchange_formats import (
    EXPORT_NAMES,
    documents_only_copy,
    export_qdpx_row,
    import_rows,
    timed,
)
from bench.interchange_raw import raw_brat, raw_csv, raw_ftm, raw_w3c
from bench.report import Row, fmt_time, log, print_run_in_scratch, render_table
from bench.scale_fill import ScaleSize, build
from workstation.domain.records import Annotation, Entity, Mention
from workstation.services import Session, open_session
from workstation.services.exporting import export
from workstation.services.merge import merge_workspace

SEED = 6
PASSAGES_PER_DOCUMENT = 10
RESULTS = Path(__file__).parent / "results" / "interchange.json"
ENTITY_COUNT = 500
LINKED_SHARE = 0.1


def add_entities(session: Session, rng: random.Random) -> None:
    ws = session.workspace
    passages = [a.id for a in ws.records.where(Annotation)]
    with ws.transaction():
        entities = [
            ws.records.insert(Entity(kind="Person", name=f"Person {i:04d}", aliases=[f"P{i}"]))
            for i in range(ENTITY_COUNT)
        ]
        for passage_id in rng.sample(passages, int(len(passages) * LINKED_SHARE)):
            ws.records.insert(Mention(annotation_id=passage_id, entity_id=rng.choice(entities).id))


def edit_as_second_officer(path: Path, rng: random.Random, share: float) -> dict[str, int]:
    """Another officer's work on a copy: new passages, note edits, deletions."""
    with open_session(path, author="second-officer") as session:
        passages = list(session.workspace.records.where(Annotation))
        touched = rng.sample(passages, int(len(passages) * share * 2))
        edited, deleted = touched[: len(touched) // 2], touched[len(touched) // 2 :]
        with session.workspace.transaction():
            for passage in edited:
                session.workspace.records.update(passage, note="second officer: checked")
            for passage in deleted:
                session.workspace.records.tombstone(passage)
            added = 0
            for passage in rng.sample(passages, int(len(passages) * share)):
                if passage.end - passage.start > 4 and passage not in deleted:
                    session.workspace.records.insert(
                        Annotation(
                            document_id=passage.document_id,
                            start=passage.start + 1,
                            end=passage.end - 1,
                            exact=passage.exact[1:-1],
                            category_id=passage.category_id,
                        )
                    )
                    added += 1
    return {"edited": len(edited), "deleted": len(deleted), "added": added}


def edit_same_notes_here(session: Session, other: Path, count: int) -> None:
    """Edit, on our side, notes the second officer also edited: real conflicts."""
    ours = session.workspace.records
    with open_session(other) as theirs:
        changed = [
            a.id for a in theirs.workspace.records.where(Annotation) if a.note.startswith("second")
        ][:count]
    with session.workspace.transaction():
        for passage_id in changed:
            passage = ours.get(Annotation, passage_id)
            if passage is not None:
                ours.update(passage, note="first officer: disputed")


# -- raw baselines (the exports' and imports': bench.interchange_raw) -----------------------


def raw_merge(ours: Path, theirs: Path) -> None:
    conn = sqlite3.connect(ours)
    conn.execute("ATTACH ? AS other", [str(theirs)])
    columns = [r[1] for r in conn.execute("PRAGMA table_info(annotations)") if r[1] != "seq"]
    names = ", ".join(f'"{c}"' for c in columns)
    with conn:
        conn.execute(
            f"INSERT OR IGNORE INTO annotations ({names}) SELECT {names} FROM other.annotations"
        )
    conn.close()


# -- the run -----------------------------------------------------------------------------------


def run(args: argparse.Namespace, folder: Path) -> str:
    rng = random.Random(SEED)
    ours_path = folder / "ours.sqlite"
    documents = max(1, args.passages // PASSAGES_PER_DOCUMENT)
    log(f"setup: {documents * PASSAGES_PER_DOCUMENT:,} passages …")
    build(ours_path, ScaleSize(documents=documents, passages_per_document=PASSAGES_PER_DOCUMENT))
    empty_path = folder / "documents-only.sqlite"
    documents_only_copy(ours_path, empty_path)
    with open_session(ours_path, author="first-officer") as session:
        add_entities(session, rng)
        passages_stored = session.workspace.records.count(Annotation)
    theirs_path = folder / "theirs.sqlite"
    shutil.copyfile(ours_path, theirs_path)
    edits = edit_as_second_officer(theirs_path, rng, args.share)
    rows: list[Row] = []
    with open_session(ours_path, author="first-officer") as session:
        edit_same_notes_here(session, theirs_path, args.conflicts)
        for fmt, raw in (("w3c", raw_w3c), ("csv", raw_csv), ("brat", raw_brat), ("ftm", raw_ftm)):
            name = EXPORT_NAMES[fmt]
            log(f"export {fmt} …")
            summary, ours_s = timed(partial(export, session, fmt, folder / name))
            _, raw_s = timed(partial(raw, ours_path, folder / f"raw-{name}"))
            rows.append(Row(f"export {fmt} ({summary.describe().split(' as ')[0][9:]})",
                            ours_s, raw_s))  # fmt: skip
        rows.append(export_qdpx_row(session, ours_path, folder))
        rows += import_rows(folder, empty_path, session.author)
        raw_copy = folder / "raw-ours.sqlite"
        shutil.copyfile(ours_path, raw_copy)
        log("merge …")
        report, merge_s = timed(lambda: merge_workspace(session, theirs_path))
        _, raw_merge_s = timed(lambda: raw_merge(raw_copy, theirs_path))
        passages = report.counts["annotations"]
        rows.append(
            Row(
                f"merge: {passages.added:,} passages added, {passages.updated:,} updated, "
                f"{len(report.conflicts)} conflicts",
                merge_s,
                raw_merge_s,
            )
        )
        again, again_s = timed(lambda: merge_workspace(session, theirs_path))
        rows.append(Row(f"merge again: {again.written} records written", again_s, raw_merge_s))
    rows.append(agreement_row(folder, args.agreement_passages, SEED))
    smoke = args.passages < 100_000
    title = (
        f"interchange benchmark{' (--quick: NOT the 100k of issue 17)' if args.quick else ''}: "
        f"{passages_stored:,} passages, {ENTITY_COUNT} entities, "
        f"{int(passages_stored * LINKED_SHARE):,} links; second officer {edits}"
    )
    notes = [
        "imports: each export into a workspace with the same documents and no passages; "
        "raw = parsing the file only.",
        "merge includes reading the other workspace, the verified backup taken first, "
        f"matching, and one transaction with the change log ({fmt_time(merge_s)} in all).",
    ]
    if args.json is not None:
        save_results(args, title, notes, rows, smoke=smoke)
    return "\n".join([title, "", render_table(rows, smoke=smoke), "", *notes])


def save_results(
    args: argparse.Namespace, title: str, notes: list[str], rows: list[Row], *, smoke: bool
) -> None:
    args.json.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "benchmark": "interchange",
        "title": title,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "passages": args.passages,
        "agreement_passages": args.agreement_passages,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "notes": notes,
        "rows": [_no_nan(row.as_json(smoke=smoke)) for row in rows],
    }
    args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")


def _no_nan(row: dict) -> dict:
    """A figure not measured (NaN) is null in the JSON (NaN is not JSON)."""
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passages", type=int, default=None, help="default 100k (--quick: 10k)")
    parser.add_argument("--quick", action="store_true", help="10k passages, clearly labelled")
    parser.add_argument("--agreement-passages", type=int, default=10_000)
    parser.add_argument("--share", type=float, default=0.01, help="share edited by the other")
    parser.add_argument("--conflicts", type=int, default=50)
    parser.add_argument(
        "--json", type=Path, default=RESULTS, help="where the rows are saved ('-': nowhere)"
    )
    args = parser.parse_args(argv)
    if args.passages is None:
        args.passages = 10_000 if args.quick else 100_000
    if str(args.json) == "-":
        args.json = None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    return print_run_in_scratch("interchange-bench-", run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
