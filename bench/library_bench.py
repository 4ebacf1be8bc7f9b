"""The library list at 100k documents: ``python -m bench.library_bench``.

Each row times the workstation's LibraryDock (windowed model, SQL pages, SQL sort and filter)
beside a bare QTableView over a minimal QAbstractTableModel fed by the same SQL through a
separate raw sqlite3 connection, in the same process; the raw cell also shows the SQL alone
(count + one ``LIMIT 200 OFFSET n`` page, no Qt). Medians of alternating runs; the p95 of
ours is printed under the table. Budgets (docs/architecture.md): first paint < 100 ms, jump < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMainWindow, QTableView

from bench.corpus import OUTLETS, articles
from bench.report import Row, fmt_time, log, percentile, print_run_in_scratch, render_table
from tests.helpers.prompts import RecordingPrompts
from workstation.domain.offsets import body_sha256, make_selector, normalize_body
from workstation.domain.records import Annotation, Document
from workstation.services import Session, create_session, open_session
from workstation.storage.library import LIBRARY_INDEXES
from workstation.ui.library.dock import LibraryDock
from workstation.ui.shell.workbench import Workbench

FIRST_PAINT_BUDGET_S = 0.100
JUMP_BUDGET_S = 0.050
FILTER_WORD = "navalny"
PAGE = 200
CHUNK_ROWS = 5000
PASSAGES_EVERY = 10  # every 10th document carries 10 passages: 100k passages at 100k documents

# The raw baseline's SQL: what the list needs, written plainly (the same ORDER BY terms as
# ours, so the same indexes serve both).
RAW_PASSAGES = (
    "(SELECT count(*) FROM annotations a WHERE a.document_id = d.id AND a.deleted_at IS NULL)"
)
RAW_ORDERS = {
    "added": "d.seq DESC",
    "title": "d.title COLLATE NOCASE, d.outlet, d.seq",
}


# -- setup (not timed) -------------------------------------------------------------------------


def fill(session: Session, documents: int, seed: int = 1) -> None:
    """``documents`` ~5 KB articles (1,000 generated bodies reused, each made unique by its
    numbered title) with passages, via the storage layer in transactions of ~5,000 rows."""
    ws, rng = session.workspace, random.Random(seed)
    pool = [
        (title.rsplit(" (", 1)[0], normalize_body(body)) for title, body in articles(seed, 1000)
    ]
    chunk: list[Document | Annotation] = []
    for index in range(documents):
        headline, text = pool[rng.randrange(len(pool))]
        title = f"{headline} ({index})"
        body = f"{title}\n\n{text}"
        graded, month, day = rng.random() < 0.8, rng.randint(1, 12), rng.randint(1, 28)
        document = Document(
            title=title,
            body=body,
            sha256=body_sha256(body),
            outlet=rng.choice(OUTLETS),
            published=f"{rng.randint(2015, 2021)}-{month:02d}-{day:02d}",
            reliability=rng.choice("ABCDEF") if graded else None,
            credibility=rng.choice("123456") if graded else None,
        )
        chunk.append(document)
        for k in range(10 if index % PASSAGES_EVERY == 0 else 0):
            selector = make_selector(body, 200 + k * 300, 260 + k * 300)
            chunk.append(Annotation(document_id=document.id, **asdict(selector)))
        if len(chunk) >= CHUNK_ROWS or index == documents - 1:
            with ws.transaction():
                for record in chunk:
                    ws.records.insert(record)
            chunk.clear()


class RawModel(QAbstractTableModel):
    """The minimal windowed model: a count, then one 200-row page at a time, raw SQL."""

    def __init__(self, conn: sqlite3.Connection, narrow: bool):
        super().__init__()
        self.conn, self.order, self.word = conn, RAW_ORDERS["added"], ""
        self.source = "documents d INDEXED BY documents_library_added" if narrow else "documents d"
        self.count: int | None = None
        self.pages: dict[int, list[tuple]] = {}

    def where(self) -> tuple[str, list[str]]:
        if not self.word:
            return "d.deleted_at IS NULL", []
        pattern = f"%{self.word}%"
        return "d.deleted_at IS NULL AND (d.title LIKE ? OR d.outlet LIKE ?)", [pattern, pattern]

    def reset(self, order: str | None = None, word: str | None = None) -> None:
        self.beginResetModel()
        self.order = order or self.order
        self.word = self.word if word is None else word
        self.count, self.pages = None, {}
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        if self.count is None:
            where, params = self.where()
            sql = f"SELECT count(*) FROM {self.source} WHERE {where}"
            self.count = self.conn.execute(sql, params).fetchone()[0]
        return self.count

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def page(self, offset: int) -> list[tuple]:
        where, params = self.where()
        sql = (
            f"SELECT d.id, d.title, d.outlet, d.published, d.reliability, d.credibility, "
            f"{RAW_PASSAGES} FROM documents d WHERE {where} ORDER BY {self.order} LIMIT ? OFFSET ?"
        )
        return self.conn.execute(sql, [*params, PAGE, offset]).fetchall()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        number = index.row() // PAGE
        if number not in self.pages:
            self.pages = {number: self.page(number * PAGE)}
        rows = self.pages[number]
        offset = index.row() - number * PAGE
        if offset >= len(rows):
            return None
        row = rows[offset]
        grade = f"{row[4] or 'F'}{row[5] or '6'}"
        return (row[1], row[2] or "", row[3] or "", grade, row[6])[index.column()]


# -- measuring ---------------------------------------------------------------------------------


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def compare(app: QApplication, repeat: int, prepare, *actions) -> list[list[float]]:
    """Alternate the ``actions`` (ours, bare Qt, SQL alone), each after ``prepare`` (untimed)."""
    samples: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for bucket, action in zip(samples, actions, strict=True):
            prepare()
            app.processEvents()  # let delayed layouts run before the clock starts
            bucket.append(timed(action))
    return samples


def prepare_workspace(args: argparse.Namespace, path: Path) -> tuple[Session, str]:
    """Fill (once), reopen as a user would, and put the library indexes in the wanted state."""
    if not path.exists():
        log(f"filling {args.documents:,} documents into {path} …")
        with create_session(path, author="bench") as session:
            fill(session, args.documents)
    session = open_session(path, author="bench")
    ws = session.workspace
    names = [statement.split(" IF NOT EXISTS ")[1].split(" ")[0] for statement in LIBRARY_INDEXES]
    present = {row[0] for row in ws.conn.execute("SELECT name FROM sqlite_master")}
    with ws.transaction():
        if args.without_indexes:
            for name in names:
                ws.conn.execute(f"DROP INDEX IF EXISTS {name}")
            return session, "none (the schema as it stands)"
        for statement in LIBRARY_INDEXES:
            ws.conn.execute(statement)
    if set(names) <= present:
        return session, "LIBRARY_INDEXES, already in the workspace (a migration or --reuse)"
    return session, "LIBRARY_INDEXES, created by this benchmark (no schema migration yet)"


def open_views(app: QApplication, session: Session, raw_conn, narrow: bool):
    """Our dock in a 1280×800 window, and a bare view of the same size; each timed once."""
    window = QMainWindow()
    window.resize(1280, 800)
    started = time.perf_counter()
    dock = LibraryDock(Workbench(session, RecordingPrompts(), window), window)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.show()
    dock.view.grab()
    ours = time.perf_counter() - started
    window.resizeDocks([dock], [640], Qt.Orientation.Horizontal)
    app.processEvents()
    started = time.perf_counter()
    raw_view = QTableView()
    raw_view.setModel(RawModel(raw_conn, narrow))
    raw_view.verticalHeader().hide()
    raw_view.verticalHeader().setDefaultSectionSize(dock.view.verticalHeader().defaultSectionSize())
    raw_view.resize(dock.view.size())
    raw_view.show()
    raw_view.grab()
    raw = time.perf_counter() - started
    opened = Row("open the dock: build + first paint (once)", ours, raw,
                 raw_text=f"{fmt_time(raw)} (bare view)")  # fmt: skip
    return window, dock, raw_view, opened


def measure(app: QApplication, session: Session, raw_conn, args) -> tuple[list[Row], list[str]]:
    narrow = not args.without_indexes
    window, dock, raw_view, opened = open_views(app, session, raw_conn, narrow)
    view, model, raw_model = dock.view, dock.model, raw_view.model()
    target = min(90_000, int(session.documents.count() * 0.9))
    top = QAbstractItemView.ScrollHint.PositionAtTop

    def sql_alone(order: str = RAW_ORDERS["added"], word: str = "", offset: int = 0):
        def run_sql() -> None:
            probe = RawModel(raw_conn, narrow)
            probe.order, probe.word = order, word
            if offset == 0:  # a jump keeps the count it has
                probe.rowCount()
            probe.page(offset)

        return run_sql

    def back_to_default() -> None:
        dock.filter_edit.setText("")
        dock.apply_filter()
        view.sortByColumn(-1, Qt.SortOrder.DescendingOrder)
        model.invalidate()
        raw_model.reset(RAW_ORDERS["added"], "")
        for table in (view, raw_view):
            table.scrollToTop()
            table.grab()

    def then_paint(table: QTableView, *actions: Callable[[], object]) -> Callable[[], None]:
        return lambda: ([action() for action in actions], table.grab())

    def jump(table: QTableView) -> Callable[[], None]:
        return then_paint(table, lambda: table.scrollTo(table.model().index(target, 0), top))

    def ours_filter() -> None:
        dock.filter_edit.setText(FILTER_WORD)
        dock.apply_filter()

    cases = [
        ("first paint: count + first page + paint", FIRST_PAINT_BUDGET_S, lambda: None,
         then_paint(view, model.invalidate), then_paint(raw_view, raw_model.reset), sql_alone()),
        (f"jump to row {target:,} (scrollTo + paint)", JUMP_BUDGET_S, back_to_default,
         jump(view), jump(raw_view), sql_alone(offset=target)),
        ("sort by title (header + paint)", None, back_to_default,
         then_paint(view, lambda: view.sortByColumn(0, Qt.SortOrder.AscendingOrder)),
         then_paint(raw_view, lambda: raw_model.reset(RAW_ORDERS["title"])),
         sql_alone(RAW_ORDERS["title"])),
        (f"filter by a word ({FILTER_WORD!r}) + paint", None, back_to_default,
         then_paint(view, ours_filter),
         then_paint(raw_view, lambda: raw_model.reset(word=FILTER_WORD)),
         sql_alone(word=FILTER_WORD)),
    ]  # fmt: skip
    rows, notes = [opened], []
    for label, budget, prepare, ours, raw, sql in cases:
        log(f"measuring: {label}")
        ours_s, raw_s, sql_s = compare(app, args.repeat, prepare, ours, raw, sql)
        ours_m, raw_m, sql_m = map(statistics.median, (ours_s, raw_s, sql_s))
        raw_text = f"{fmt_time(raw_m)} (SQL {fmt_time(sql_m)})"
        rows.append(Row(label, ours_m, raw_m, budget, raw_text=raw_text))
        notes.append(f"  {label}: ours p95 {fmt_time(percentile(ours_s, 95))}")
    back_to_default()
    located = model.document_id(target)
    dock.workbench.current_document = None
    located_s = timed(lambda: (dock.select_document(located), view.grab()))
    notes.append(f"  locate the document at row {target:,} (select_document + paint): "
                 f"{fmt_time(located_s)}")  # fmt: skip
    window.close()
    raw_view.close()
    return rows, notes


def run(args: argparse.Namespace, folder: Path) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed
    app = QApplication.instance() or QApplication([])
    started = time.perf_counter()
    session, indexes = prepare_workspace(args, args.reuse or folder / "library.sqlite")
    setup = time.perf_counter() - started
    raw_conn = sqlite3.connect(session.path)
    try:
        rows, notes = measure(app, session, raw_conn, args)
        documents = session.documents.count()
        passages = session.workspace.records.count(Annotation)
        size_mb = session.path.stat().st_size / 1e6
    finally:
        raw_conn.close()
        session.close()
    return "\n".join(
        [
            render_table(rows, smoke=documents < 100_000),
            "",
            f"{documents:,} documents, {passages:,} passages; medians of {args.repeat} "
            "alternating runs; raw = bare QTableView + minimal model over a raw sqlite3 "
            "connection (the SQL alone in brackets)",
            f"library indexes: {indexes}",
            *notes,
            f"setup {fmt_time(setup)}; workspace {size_mb:,.0f} MB",
        ]
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.library_bench", description=__doc__)
    parser.add_argument("--documents", type=int, default=100_000, help="default 100000")
    parser.add_argument("--repeat", type=int, default=15, help="runs per row (default 15)")
    parser.add_argument(
        "--without-indexes",
        action="store_true",
        help="measure the schema as it stands (drops the library indexes if present)",
    )
    parser.add_argument(
        "--reuse", type=Path, help="workspace file to fill once and reuse (kept; ~100 s to fill)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    return print_run_in_scratch("library-bench-", run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
