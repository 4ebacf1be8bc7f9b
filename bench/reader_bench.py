"""Reader benchmark: ``python -m bench.reader_bench [--quick] [--json FILE]``.

Opens a 200 KB article with 2,000 highlights and a 1 MB article with 20,000 in the reader
(``ReaderView.load`` → first paint), scrolls page by page, and marks passages one at a time,
each beside a raw baseline doing the same work in the same process: a bare QPlainTextEdit with
a minimal QSyntaxHighlighter over a sorted interval list, fed by plain sqlite3 queries.
Budgets from docs/architecture.md: open < 150 ms / < 300 ms; scroll repaint and add-one p95 < 16 ms.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from bench.corpus import annotation_spans, article
from bench.report import Row, fmt_time, log, percentile, render_table
from tests.helpers.prompts import RecordingPrompts
from workstation.domain.offsets import body_sha256, make_selector, normalize_body
from workstation.domain.records import Annotation, Document
from workstation.services import Session, create_session
from workstation.ui.reader.view import ReaderView
from workstation.ui.shell.workbench import Workbench

# (characters, highlights, open budget in seconds)
FULL_SIZES = ((200_000, 2_000, 0.150), (1_000_000, 20_000, 0.300))
QUICK_SIZES = ((50_000, 500, 0.150), (200_000, 2_000, 0.150))
FRAME_S = 0.016  # one frame at 60 Hz: the scroll and add-one budget
# A badly converted article: all its text on one line (characters; quick run).
ONE_LINE_CHARS, ONE_LINE_QUICK = 10_000_000, 2_000_000
WINDOW = (1000, 800)


# Invisible characters the reader shows as marks (⟨ZWSP⟩, ⟨RLO⟩…): a hostile article has one
# every few hundred characters, so every block needs the stored ↔ shown offset map.
HOSTILE_CHARS = "\u200b\u202e\u202c\u2066\u2069\u00ad\ufeff"
HOSTILE_EVERY = 400


def store_article(
    session: Session, chars: int, highlights: int, seed: int, *, hostile: bool = False
) -> str:
    """One article of ~``chars`` code points with ``highlights`` passages (setup, untimed);
    ``hostile`` sprinkles invisible characters through it."""
    rng = random.Random(seed)
    parts = []
    while sum(map(len, parts)) < chars:
        parts.append(article(rng, target_chars=min(chars, 20_000))[1])
    text = "\n\n".join(parts)[:chars]
    if hostile:
        text = "".join(
            piece + rng.choice(HOSTILE_CHARS)
            for piece in (text[i : i + HOSTILE_EVERY] for i in range(0, len(text), HOSTILE_EVERY))
        )
    body = normalize_body(text)
    document = Document(title=f"Bench {chars:,} chars", body=body, sha256=body_sha256(body))
    categories = [c.id for c in session.codebook.list_categories()]
    ws = session.workspace
    with ws.transaction():
        ws.records.insert(document)
        for start, end in annotation_spans(body, highlights, rng):
            selector = make_selector(body, start, end)
            ws.records.insert(
                Annotation(
                    document_id=document.id,
                    start=start,
                    end=end,
                    exact=selector.exact,
                    prefix=selector.prefix,
                    suffix=selector.suffix,
                    category_id=rng.choice(categories),
                )
            )
    return document.id


class RawHighlighter(QSyntaxHighlighter):
    """The baseline: sorted (start, end, format) list, bisect by start, one setFormat each."""

    def __init__(self, document):
        super().__init__(document)
        self.starts: list[int] = []
        self.spans: list[tuple[int, int, QTextCharFormat]] = []
        self.longest = 0

    def add(self, start: int, end: int, fmt: QTextCharFormat) -> None:
        index = bisect.bisect_right(self.starts, start)
        self.starts.insert(index, start)
        self.spans.insert(index, (start, end, fmt))
        self.longest = max(self.longest, end - start)

    def highlightBlock(self, text: str) -> None:
        first = self.currentBlock().position()
        last = first + len(text)
        low = bisect.bisect_left(self.starts, first - self.longest)
        high = bisect.bisect_left(self.starts, last)
        for start, end, fmt in self.spans[low:high]:
            if end > first:
                left, right = max(start, first), min(end, last)
                self.setFormat(left - first, right - left, fmt)


class RawReader:
    """A bare read-only QPlainTextEdit, its highlighter, and plain sqlite3 reads and writes."""

    def __init__(self, workspace: Path, scratch: Path):
        self.conn = sqlite3.connect(workspace)
        self.scratch = sqlite3.connect(scratch, isolation_level=None)
        self.scratch.execute("PRAGMA journal_mode = WAL")
        self.scratch.execute("PRAGMA synchronous = FULL")
        self.scratch.execute("CREATE TABLE IF NOT EXISTS marks (id, document_id, start, end_)")
        self.edit = QPlainTextEdit()
        self.edit.setReadOnly(True)
        self.highlighter = RawHighlighter(self.edit.document())
        self.formats: dict[str, QTextCharFormat] = {}

    def format(self, colour: str | None) -> QTextCharFormat:
        colour = colour or "#7f7f7f"
        if colour not in self.formats:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(colour).lighter(160))
            self.formats[colour] = fmt
        return self.formats[colour]

    def load(self, document_id: str) -> None:
        (body,) = self.conn.execute(
            "SELECT body FROM documents WHERE id = ?", [document_id]
        ).fetchone()
        rows = self.conn.execute(
            'SELECT a.start, a."end", c.colour FROM annotations a '
            "LEFT JOIN categories c ON c.id = a.category_id "
            'WHERE a.document_id = ? AND a.deleted_at IS NULL ORDER BY a.start, a."end"',
            [document_id],
        ).fetchall()
        highlighter = self.highlighter
        highlighter.spans = [(s, e, self.format(colour)) for s, e, colour in rows]
        highlighter.starts = [s for s, _e, _c in rows]
        highlighter.longest = max((e - s for s, e, _c in rows), default=0)
        self.edit.setPlainText(body)  # contentsChange reformats every block, synchronously

    def add(self, document_id: str, start: int, end: int) -> float:
        """Save and highlight one passage; returns the seconds the save took."""
        began = time.perf_counter()
        self.scratch.execute("BEGIN IMMEDIATE")
        self.scratch.execute(
            "INSERT INTO marks VALUES (?, ?, ?, ?)", [str(began), document_id, start, end]
        )
        self.scratch.execute("COMMIT")
        saved = time.perf_counter() - began
        self.highlighter.add(start, end, self.format("#1f77b4"))
        self.highlighter.rehighlightBlock(self.edit.document().findBlock(start))
        self.edit.viewport().repaint()
        return saved


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def finish_idle_formatting(view: ReaderView) -> list[float]:
    """Run the event loop until the highlighter has formatted every block; returns how long
    each turn of the loop took (how long input would have waited)."""
    app = QApplication.instance()
    turns = []
    while not view.highlighter.idle:
        began = time.perf_counter()
        app.processEvents()
        turns.append(time.perf_counter() - began)
    return turns


def wait_exposed(*widgets) -> None:
    app = QApplication.instance()
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline:
        app.processEvents()
        if all(w.windowHandle() and w.windowHandle().isExposed() for w in widgets):
            return
        time.sleep(0.01)


def scroll_samples(edit: QPlainTextEdit, runs: int) -> list[float]:
    bar = edit.verticalScrollBar()
    bar.setValue(0)
    samples = []
    for _ in range(runs):
        target = bar.value() + bar.pageStep()
        began = time.perf_counter()
        bar.setValue(target if target <= bar.maximum() else 0)
        edit.viewport().repaint()
        samples.append(time.perf_counter() - began)
    return samples


def measure_open(session: Session, view: ReaderView, raw: RawReader, document_id: str, runs: int):
    """Medians of ours, raw, and the services' share of ours."""
    view.load(document_id)  # warm-up: fonts, imports, caches
    raw.load(document_id)
    ours, baseline, reads = [], [], []
    for _ in range(runs):
        ours.append(timed(lambda: (view.load(document_id), view.repaint())))
        baseline.append(timed(lambda: (raw.load(document_id), raw.edit.repaint())))
        reads.append(
            timed(
                lambda: (
                    session.documents.get(document_id),
                    session.annotations.spans_for_document(document_id),
                )
            )
        )
    return statistics.median(ours), statistics.median(baseline), statistics.median(reads)


def measure_adds(view: ReaderView, raw: RawReader, saved_at: list[float], runs: int):
    """(ours: reader part, ours: end to end, raw: reader part, raw: end to end) samples.

    ``saved_at`` receives the time of every Workbench.changed, which fires as soon as the
    service call has committed: what follows is the reader's part."""
    samples: tuple[list[float], ...] = ([], [], [], [])
    category_id = view.categories[0].id
    for start, end in annotation_spans(view.body, runs, random.Random(7)):
        view.select_range(start, end)  # scrolls there: untimed
        began = time.perf_counter()
        view.annotate_selection(category_id)
        view.text.viewport().repaint()
        done = time.perf_counter()
        samples[0].append(done - saved_at[-1])
        samples[1].append(done - began)
        raw.edit.verticalScrollBar().setValue(view.text.verticalScrollBar().value())
        began = time.perf_counter()
        saving = raw.add(view.document_id, start, end)
        samples[3].append(time.perf_counter() - began)
        samples[2].append(samples[3][-1] - saving)
    return samples


def bench_size(
    session, view, raw, saved_at, size, runs, *, hostile: bool = False
) -> tuple[list[Row], list[str]]:
    chars, highlights, budget = size
    label = f"{chars // 1000:,} KB, {highlights:,} highlights"
    if hostile:
        label += f", a mark every {HOSTILE_EVERY} chars"
    document_id = store_article(session, chars, highlights, seed=chars, hostile=hostile)
    ours_open, raw_open, reads = measure_open(session, view, raw, document_id, runs["open"])
    blocks = view.text.document().blockCount()
    finish_idle_formatting(view)  # what the timed opens left queued, and any other events
    QApplication.processEvents()
    formatted = view.highlighter.formatted
    view.load(document_id)
    view.repaint()
    first_screen = view.highlighter.formatted - formatted
    turns = finish_idle_formatting(view)
    ours_scroll = scroll_samples(view.text, runs["scroll"])
    raw_scroll = scroll_samples(raw.edit, runs["scroll"])
    ours_add, ours_mark, raw_add, raw_mark = measure_adds(view, raw, saved_at, runs["add"])
    p95 = lambda samples: percentile(samples, 95)  # noqa: E731
    rows = [
        Row(f"open {label} (load → first paint, median)", ours_open, raw_open, budget),
        Row(f"scroll a page + repaint p95, {label}", p95(ours_scroll), p95(raw_scroll), FRAME_S),
        Row(
            f"add one highlight p95, {label} (after the save)", p95(ours_add), p95(raw_add), FRAME_S
        ),
        Row(f"mark one passage p95, {label} (save + highlight)", p95(ours_mark), p95(raw_mark)),
    ]
    notes = [
        f"{label}: {blocks:,} blocks; {first_screen} formatted before the first paint, the rest "
        f"when idle in {len(turns)} turns of the event loop (longest {fmt_time(max(turns))}, "
        f"total {fmt_time(sum(turns))}). Of the open, the services' read of the body and "
        f"passages took {fmt_time(reads)}; the reader's own part {fmt_time(ours_open - reads)}.",
    ]
    return rows, notes


def store_one_line(session: Session, chars: int) -> str:
    """An article whose ~``chars`` characters stand on one line, with 100 passages."""
    rng = random.Random(chars)
    words = " ".join(article(rng, target_chars=20_000)[1].split())
    body = normalize_body((words + " ") * (chars // (len(words) + 1) + 1))[:chars].rstrip()
    document = Document(title="One line", body=body, sha256=body_sha256(body))
    ws = session.workspace
    with ws.transaction():
        ws.records.insert(document)
        for start, end in annotation_spans(body, 100, rng):
            selector = make_selector(body, start, end)
            ws.records.insert(
                Annotation(document_id=document.id, start=start, end=end, exact=selector.exact)
            )
    return document.id


def bench_one_line(session, view, raw, chars: int, runs: int) -> tuple[list[Row], list[str]]:
    """Open and scroll an article on one line: ours shows long lines broken at spaces."""
    label = f"{chars / 1e6:.0f} MB on one line"
    document_id = store_one_line(session, chars)
    ours = [timed(lambda: (view.load(document_id), view.repaint())) for _ in range(runs)]
    baseline = [timed(lambda: (raw.load(document_id), raw.edit.repaint())) for _ in range(runs)]
    ours_scroll = scroll_samples(view.text, 10)
    raw_scroll = scroll_samples(raw.edit, 10)
    rows = [
        Row(f"open {label} (median)", statistics.median(ours), statistics.median(baseline)),
        Row(
            f"scroll a page + repaint p95, {label}",
            percentile(ours_scroll, 95),
            percentile(raw_scroll, 95),
            FRAME_S,
        ),
    ]
    blocks = view.text.document().blockCount()
    notes = [f"{label}: shown as {blocks:,} blocks; the raw view lays it out as one."]
    return rows, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reader_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller articles, fewer runs")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    runs = (
        {"open": 3, "scroll": 20, "add": 10} if args.quick else {"open": 7, "scroll": 50, "add": 50}
    )
    _app = QApplication.instance() or QApplication([])  # kept alive for the whole run
    rows: list[Row] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as folder:
        session = create_session(Path(folder) / "bench.sqlite", author="bench")
        workbench = Workbench(session, RecordingPrompts())
        saved_at: list[float] = []  # connected before the reader's own slot, so it runs first
        workbench.changed.connect(lambda _changes: saved_at.append(time.perf_counter()))
        view = ReaderView(workbench)
        raw = RawReader(session.path, Path(folder) / "raw.sqlite")
        try:
            for widget in (view, raw.edit):
                widget.resize(*WINDOW)
                widget.show()
            raw.edit.setFont(view.text.font())
            wait_exposed(view, raw.edit)
            for size in sizes:
                log(f"reader: {size[0]:,} characters, {size[1]:,} highlights…")
                size_rows, size_notes = bench_size(session, view, raw, saved_at, size, runs)
                rows += size_rows
                notes += size_notes
            # The largest size again with invisible characters the reader shows as marks.
            log("reader: the largest article again, with invisible characters as marks…")
            size_rows, size_notes = bench_size(
                session, view, raw, saved_at, sizes[-1], runs, hostile=True
            )
            rows += size_rows
            notes += size_notes
            chars = ONE_LINE_QUICK if args.quick else ONE_LINE_CHARS
            log(f"reader: {chars:,} characters on one line…")
            line_rows, line_notes = bench_one_line(session, view, raw, chars, 3)
            rows += line_rows
            notes += line_notes
        finally:
            view.close()
            raw.edit.close()
            raw.conn.close()
            raw.scratch.close()
            session.close()
    print(render_table(rows, smoke=args.quick))
    print()
    print("\n".join(notes))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"rows": [r.as_json(smoke=args.quick) for r in rows], "notes": notes},
                indent=2,
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
