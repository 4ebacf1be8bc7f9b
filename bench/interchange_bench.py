"""Export and merge of a large workspace: ``python -m bench.interchange_bench``.

Issue 6's benchmark. A workspace of ``--passages`` annotations (default 100k, 25 per
article, a tenth linked to entities) is exported in each format, then a copy of it edited
by a second officer (new passages, edited notes, deletions, the same notes edited on both
sides) is merged back, and merged again (which must write nothing).

Raw baselines do the same I/O with the bare libraries: for exports, one SQL query written
out with ``json``/``csv``/plain files; for the merge, ``ATTACH`` and ``INSERT OR IGNORE``
of the other file's new passages — no matching by hash, no conflicts, no change log, no
backup, so it shows the floor, not an equivalent.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.fill import fill_workspace
from bench.report import Row, fmt_time, log, print_run_in_scratch, render_table
from workstation.domain.records import Annotation, Entity, Mention
from workstation.services import Session, create_session, open_session
from workstation.services.exporting import export
from workstation.services.merge import merge_workspace

SEED = 6
ENTITY_COUNT = 500
LINKED_SHARE = 0.1


def timed(action: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


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


# -- raw baselines -----------------------------------------------------------------------------

_RAW_PASSAGES = """
    SELECT a.id, a.document_id, d.sha256, d.title, a.start, a."end", a.exact, a.prefix,
           a.suffix, c.name, a.note, a.author, a.created_at, a.updated_at
    FROM annotations a JOIN documents d ON d.id = a.document_id
    LEFT JOIN categories c ON c.id = a.category_id
    WHERE a.deleted_at IS NULL ORDER BY a.seq"""


def raw_w3c(db: Path, out: Path) -> None:
    conn = sqlite3.connect(db)
    with out.open("w", encoding="utf-8") as handle:
        for row in conn.execute(_RAW_PASSAGES):
            item = {
                "id": f"urn:uuid:{row[0]}",
                "type": "Annotation",
                "target": {
                    "source": f"urn:uuid:{row[1]}",
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": row[6], "prefix": row[7],
                         "suffix": row[8]},
                        {"type": "TextPositionSelector", "start": row[4], "end": row[5]},
                    ],
                },
                "body": [{"type": "TextualBody", "purpose": "tagging", "value": row[9]}],
            }  # fmt: skip
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    conn.close()


def raw_csv(db: Path, out: Path) -> None:
    conn = sqlite3.connect(db)
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(conn.execute(_RAW_PASSAGES))
    conn.close()


def raw_brat(db: Path, out: Path) -> None:
    conn = sqlite3.connect(db)
    out.mkdir()
    lines: dict[str, list[str]] = {}
    for row in conn.execute(_RAW_PASSAGES):
        lines.setdefault(row[1], []).append(f"T{len(lines[row[1]]) + 1}\tX {row[4]} {row[5]}\t")
    for doc_id, body in conn.execute("SELECT id, body FROM documents"):
        (out / f"{doc_id}.txt").write_text(body, encoding="utf-8")
        (out / f"{doc_id}.ann").write_text("\n".join(lines.get(doc_id, [])), encoding="utf-8")
    conn.close()


def raw_ftm(db: Path, out: Path) -> None:
    conn = sqlite3.connect(db)
    with out.open("w", encoding="utf-8") as handle:
        for entity_id, kind, name in conn.execute("SELECT id, kind, name FROM entities"):
            item = {"id": entity_id, "schema": kind, "properties": {"name": [name]}}
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
        for mention_id, annotation_id, entity_id in conn.execute(
            "SELECT id, annotation_id, entity_id FROM mentions"
        ):
            item = {"id": mention_id, "schema": "Documentation",
                    "properties": {"document": [annotation_id], "entity": [entity_id]}}  # fmt: skip
            handle.write(json.dumps(item) + "\n")
    conn.close()


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
    log(f"setup: {args.passages:,} passages …")
    with create_session(ours_path, author="first-officer") as session:
        fill_workspace(session, args.passages)
        add_entities(session, rng)
    theirs_path = folder / "theirs.sqlite"
    shutil.copyfile(ours_path, theirs_path)
    edits = edit_as_second_officer(theirs_path, rng, args.share)
    rows: list[Row] = []
    with open_session(ours_path, author="first-officer") as session:
        edit_same_notes_here(session, theirs_path, args.conflicts)
        for fmt, raw in (("w3c", raw_w3c), ("csv", raw_csv), ("brat", raw_brat), ("ftm", raw_ftm)):
            suffix = "" if fmt == "brat" else f".{fmt}"
            summary, ours_s = timed(lambda f=fmt, s=suffix: export(session, f, folder / f"o{s}"))
            _, raw_s = timed(lambda r=raw, n=f"raw-{fmt}{suffix}": r(ours_path, folder / n))
            rows.append(Row(f"export {fmt} ({summary.describe().split(' as ')[0][9:]})",
                            ours_s, raw_s))  # fmt: skip
        raw_copy = folder / "raw-ours.sqlite"
        shutil.copyfile(ours_path, raw_copy)
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
    lines = [
        f"interchange benchmark: {args.passages:,} passages, {ENTITY_COUNT} entities, "
        f"{int(args.passages * LINKED_SHARE):,} links; second officer {edits}",
        "",
        render_table(rows, smoke=args.passages < 100_000),
        "",
        "merge includes reading the other workspace, the verified backup taken first, "
        f"matching, and one transaction with the change log ({fmt_time(merge_s)} in all).",
    ]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--share", type=float, default=0.01, help="share edited by the other")
    parser.add_argument("--conflicts", type=int, default=50)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    return print_run_in_scratch("interchange-bench-", run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
