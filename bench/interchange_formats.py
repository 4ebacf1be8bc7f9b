"""Issue 17's rows of the interchange benchmark: REFI-QDA export, and the import of each
format's export into a workspace holding the same documents but no passages (a colleague's
coding of the same articles arriving), beside the raw parse of the same file.

Each import gets its own copy of that workspace (copied untimed), so no import finds the
passages another one stored. CSV has no import in the workstation: its row shows the raw
parse alone.
"""

from __future__ import annotations

import math
import shutil
import sqlite3
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from bench.interchange_raw import raw_qdpx, read_brat, read_csv, read_json_lines, read_qdpx
from bench.report import Row, log
from workstation.services import Session, open_session
from workstation.services.annotation_report import AnnotationImportReport

T = TypeVar("T")

# The export's file name for each format (brat writes a folder).
EXPORT_NAMES = {"w3c": "o.w3c.jsonl", "csv": "o.csv", "brat": "o-brat", "ftm": "o-ftm.jsonl"}
QDPX_NAME = "o.qdpx"


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def documents_only_copy(source: Path, target: Path) -> None:
    """``source`` without its passages and their links: the documents a colleague coded.
    Setup (untimed), written with SQL as bench.scale_fill writes its rows; the FTS delete
    triggers keep the indexes in step."""
    shutil.copyfile(source, target)
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute("DELETE FROM mentions")
        conn.execute("DELETE FROM annotations")
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def export_qdpx_row(session: Session, db: Path, folder: Path) -> Row:
    from workstation.services.refi_qda import export_project

    summary, ours_s = timed(lambda: export_project(session, folder / QDPX_NAME))
    _, raw_s = timed(lambda: raw_qdpx(db, folder / f"raw-{QDPX_NAME}"))
    return Row(f"export refi-qda ({summary.passages:,} passages)", ours_s, raw_s)


def _importer(fmt: str) -> Callable[[Session, Path], AnnotationImportReport] | None:
    """The service that imports ``fmt``, or None when there is none to measure."""
    if fmt == "refi-qda":
        from workstation.services.refi_qda import import_project

        return import_project
    if fmt == "brat":
        try:
            from workstation.services.brat_import import import_brat
        except ImportError as exc:  # another helper's work in progress
            log(f"brat import not importable: {exc}")
            return None
        return import_brat
    if fmt in ("w3c", "ftm"):
        return lambda session, path: session.exchange.import_annotations(path)
    return None  # csv: the workstation writes CSV for spreadsheets, it reads none


def _counts(report: AnnotationImportReport) -> dict[str, int]:
    """What the import stored and what it did not (saved beside the row)."""
    if report.format == "ftm":
        return {
            "entities_added": report.entities_added,
            "entities_matched": report.entities_matched,
            "lines_not_kept": report.skipped,
        }
    # already: the same span and category twice in the export (bench.scale_fill draws some);
    # brat counts it per line kind (T: spans)
    present = getattr(report, "present", None)
    return {
        "placed": report.placed + report.reanchored - report.mentions,
        "already": present["T"] if present is not None else report.already,
        "orphans": report.orphans,
        "refused": len(report.errors),
    }


def _what(counts: dict[str, int]) -> str:
    if "entities_added" in counts:
        return (
            f"{counts['entities_added']:,} entities added, {counts['entities_matched']:,} "
            f"matched; {counts['lines_not_kept']:,} article/link lines not kept, by design"
        )
    return (
        f"{counts['placed']:,} passages placed, {counts['already']:,} duplicates already "
        f"there, {counts['orphans']:,} orphaned, {counts['refused']:,} refused"
    )


_RAW_READERS: dict[str, Callable[[Path], int]] = {
    "w3c": read_json_lines,
    "ftm": read_json_lines,
    "csv": read_csv,
    "brat": read_brat,
    "refi-qda": read_qdpx,
}


def import_rows(folder: Path, empty: Path, author: str) -> list[Row]:
    """Import each export (already written in ``folder``) into a copy of ``empty``."""
    rows = []
    for fmt, name in (*EXPORT_NAMES.items(), ("refi-qda", QDPX_NAME)):
        path = folder / name
        raw_count, raw_s = timed(partial(_RAW_READERS[fmt], path))
        importer = _importer(fmt)
        if importer is None:
            why = "no CSV import (export only)" if fmt == "csv" else "importer not available"
            rows.append(
                Row(f"import {fmt}: not measured, {why}", math.nan, raw_s, ours_text="—",
                    extra={"raw_records": raw_count})
            )  # fmt: skip
            continue
        target = folder / f"import-{fmt}.sqlite"
        shutil.copyfile(empty, target)
        log(f"import {fmt} …")
        with open_session(target, author=author) as session:
            report, ours_s = timed(partial(importer, session, path))
        counts = _counts(report)
        rows.append(
            Row(f"import {fmt} ({_what(counts)})", ours_s, raw_s,
                extra={"raw_records": raw_count, **counts})
        )  # fmt: skip
        target.unlink()
    return rows
