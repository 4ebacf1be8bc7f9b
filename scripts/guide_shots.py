"""Screenshots and the keyboard table of the user guide, made from the sample episode.

    .venv/bin/python scripts/guide_shots.py [OUTDIR]     (default: resources/guide)

Builds a fresh workspace with the sample in a temporary folder, opens the real main window
offscreen at 1280×800 and grabs the views the guide shows into OUTDIR/images/*.png; writes
the keyboard table of OUTDIR/user-guide.md (between its "keys" markers) from the action
registry's shortcut table, the same rows as Help → Keyboard shortcuts. Rerun it after any
change to the GUI so the guide never goes stale (./scripts/guide-screenshots does, then
compresses the PNGs). Dev tooling: not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Before any Qt import: no display needed, and the user's settings and layout never touched.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_DATA = tempfile.mkdtemp(prefix="guide-shots-")
os.environ["WORKSTATION_DATA_DIR"] = _DATA
os.environ["WORKSTATION_AUTHOR"] = "A. Officer"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench.assistant_data reads the labelled test articles

from PySide6.QtCore import QElapsedTimer, QSize, Qt  # noqa: E402
from PySide6.QtGui import QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

WIDTH, HEIGHT = 1280, 800  # the window; images wider than MAX_WIDTH are scaled down
MAX_WIDTH = 1000
NEW_ARTICLE = "05_en_eu_solidarity"  # names and passages the assistant proposes
# The passage the guide shows selected: in the first article, linked, evidence of an event.
FIRST_TITLE = "Biden imposes new sanctions on Russia and expels ten diplomats"
EVENT_TITLE = "US expels ten Russian diplomats"
PASSAGE_QUOTE = "expelled 10 of its diplomats"


def settle(app: QApplication, ms: int = 300) -> None:
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < ms:
        app.processEvents()


def wait_until(app: QApplication, done, timeout_ms: int = 30000) -> bool:
    timer = QElapsedTimer()
    timer.start()
    while not done():
        if timer.elapsed() > timeout_ms:
            return False
        app.processEvents()
    return True


def save(widget: QWidget | QPixmap, path: Path) -> None:
    pixmap = widget if isinstance(widget, QPixmap) else widget.grab()
    if pixmap.width() > MAX_WIDTH:
        pixmap = pixmap.scaledToWidth(MAX_WIDTH, Qt.TransformationMode.SmoothTransformation)
    if not pixmap.save(str(path)):
        raise SystemExit(f"guide_shots: could not write {path}")
    print(f"saved {path} ({pixmap.width()}×{pixmap.height()})")


KEYS_START, KEYS_END = "<!-- keys: start -->", "<!-- keys: end -->"


def keyboard_markdown(rows: list[tuple[str, str]]) -> str:
    """The guide's keyboard table: Help → Keyboard shortcuts' rows (tests/ui/test_user_guide
    checks the guide's table against the registry)."""
    lines = ["| Command | Keys |", "|---|---|"]
    for command, keys in rows:
        cells = [text.replace("|", "\\|") for text in (command, keys)]  # a key may be "|"
        lines.append(f"| {cells[0]} | {cells[1]} |")
    return "\n".join(lines) + "\n"


def write_keys(out: Path, table: str) -> Path:
    """Put ``table`` between the guide's key markers (markdown has no include, and the
    dialog shows one file); with no guide in ``out``, write it to keyboard.md there."""
    guide = out / "user-guide.md"
    text = guide.read_text(encoding="utf-8") if guide.is_file() else ""
    if KEYS_START not in text or KEYS_END not in text:
        (out / "keyboard.md").write_text(table, encoding="utf-8")
        return out / "keyboard.md"
    head, rest = text.split(KEYS_START, 1)
    tail = rest.split(KEYS_END, 1)[1]
    guide.write_text(f"{head}{KEYS_START}\n{table}{KEYS_END}{tail}", encoding="utf-8")
    return guide


def add_article(workbench) -> str:
    from bench.assistant_data import load_articles
    from workstation.importers.base import DocumentDraft

    article = next(a for a in load_articles() if a.id == NEW_ARTICLE)
    draft = DocumentDraft(
        title=article.title,
        text=article.body,
        origin_name=f"{article.id}.txt",
        published=article.published,
        language=article.language,
    )
    # Through the workbench, as an import is: one undo step, and the library hears of it.
    added = workbench.apply("Import 1 file", lambda: workbench.session.documents.add(draft))
    return added.record.id


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "resources" / "guide"
    images = out / "images"
    images.mkdir(parents=True, exist_ok=True)

    from tests.helpers.prompts import RecordingPrompts
    from workstation.services.session import build_workspace, open_session
    from workstation.services.settings import set_brief_byline
    from workstation.ui.shell.main_window import MainWindow

    set_brief_byline("A. Officer", "Russia desk")  # the byline the brief and composer show
    app = QApplication.instance() or QApplication(["guide_shots"])
    app.setApplicationName("Workstation")
    workspace = Path(_DATA) / "sample.sqlite"
    build_workspace(workspace, with_sample=True, author="A. Officer")
    session = open_session(workspace)
    window = MainWindow(session, RecordingPrompts(), restore=False)
    window.resize(WIDTH, HEIGHT)
    window.show()
    wait_until(app, lambda: window.reader.document_id is not None)
    settle(app, 800)

    # 1. The main window on the sample, as it opens.
    window.reader.format_visible()
    settle(app)
    save(window, images / "main-window.png")

    # 2–3. A passage selected: the reader highlights it, the inspector shows its links.
    model = window.library.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == FIRST_TITLE)
    window.library.view.selectRow(row)
    wanted = model.document_id(row)
    wait_until(app, lambda: window.reader.document_id == wanted)
    body = window.reader.body
    start = body.find(PASSAGE_QUOTE)
    passage = next(
        (
            p
            for p in session.annotations.for_document(window.reader.document_id)
            if start != -1 and p.start <= start < p.end
        ),
        None,
    )
    if passage is None:
        raise SystemExit(f"guide_shots: no passage at {PASSAGE_QUOTE!r} in the first article")
    window.workbench.select_passage(passage.id)
    wait_until(app, lambda: window.inspector.links.passage_id == passage.id)
    window.inspector.raise_()
    settle(app)
    save(window, images / "passage-selected.png")
    save(window.inspector, images / "inspector-links.png")

    # 4. The timeline: events in date order, answers under what they answer.
    tree = window.timeline.tree
    tree.expandAll()
    found = tree.model().match(
        tree.model().index(0, 0), Qt.ItemDataRole.DisplayRole, EVENT_TITLE, 1,
        Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive,
    )  # fmt: skip
    if found:
        tree.setCurrentIndex(found[0])
    settle(app)
    save(floating(app, window.timeline, 1000, 440), images / "timeline.png")
    window.timeline.setFloating(False)

    # 5. The event form, made from the selected passage (Ctrl+E); closed unsaved.
    form = window.timeline.new_event()
    if form is not None:
        form.resize(720, form.sizeHint().height())
        settle(app)
        save(form, images / "event-form.png")
        form.close()

    # 6. The episode editor with its key judgments.
    window.show_dock("episodeEditorDock")
    settle(app)
    save(floating(app, window.episode_editor, 560, 720), images / "episode-editor.png")
    window.episode_editor.setFloating(False)

    # 7. The brief composer with its live preview, and page 1 of the brief itself.
    composer = window.open_brief_composer()
    settle(app, 500)
    wait_until(app, lambda: _preview_ready(composer), 30000)
    settle(app, 500)
    save(floating(app, window.brief_dock, 1000, 760), images / "brief-composer.png")
    window.brief_dock.setFloating(False)
    brief_page(session, images / "brief-page1.png")

    # 8. The suggestions queue with the assistant's proposals for a newly arrived article.
    window.hide_dock("briefComposerDock")
    window.inspector.raise_()
    document_id = add_article(window.workbench)
    window.workbench.open_document(document_id)
    dock = window.show_dock("suggestionsDock")
    from workstation.ui.queues.proposal_rows import kind_of

    wait_until(
        app,
        lambda: {"name", "passage"} <= {kind_of(r) for r in window.suggestions.model.rows},
        60000,
    )
    window.suggestions.assistant.worker.wait()
    settle(app, 800)
    floating(app, dock, 640, 720)
    for kind in ("name", "passage"):
        window.suggestions.set_kind(kind)
        settle(app)
        if window.suggestions.model.rowCount():
            window.suggestions.view.setCurrentIndex(window.suggestions.model.index(0))
        settle(app, 500)
        save(dock, images / f"suggestions-{kind}s.png")
    window.suggestions.set_kind("all")
    dock.setFloating(False)

    # 9. Help → Keyboard shortcuts, and the table the guide includes.
    dialog = window.commands.show_shortcuts()
    dialog.resize(QSize(560, 520))
    settle(app)
    save(dialog, images / "keyboard-shortcuts.png")
    written = write_keys(out, keyboard_markdown(dialog.rows()))
    print(f"saved the keyboard table in {written} ({len(dialog.rows())} rows)")
    dialog.close()

    window.close()
    settle(app)
    session.close()
    shutil.rmtree(_DATA, ignore_errors=True)
    return 0


def floating(app: QApplication, dock, width: int, height: int):
    """The dock floated at ``width``×``height``: docked, it shares the window's width."""
    dock.setFloating(True)
    dock.resize(width, height)
    settle(app, 500)
    return dock


def _preview_ready(composer) -> bool:
    return composer.builds > 0 and composer.pdf_document.pageCount() > 0


def brief_page(session, png: Path) -> None:
    """Page 1 of the sample's standard brief, rendered by pdftoppm (poppler-utils)."""
    from briefs.build import build_brief
    from briefs.model import BriefOptions

    if shutil.which("pdftoppm") is None:
        print("guide_shots: pdftoppm not found (apt-get install poppler-utils); no brief page")
        return
    options = BriefOptions(marking="TLP:AMBER")
    built = build_brief(session, None, options, record=False)
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "brief.pdf"
        pdf.write_bytes(built.pdf)
        stem = Path(folder) / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-f", "1", "-l", "1", "-scale-to-x", "800", "-scale-to-y", "-1",
             str(pdf), str(stem)],
            check=True,
        )  # fmt: skip
        made = sorted(Path(folder).glob("page*.png"))
        page = QPixmap(str(made[0]))
    # A grey edge: a white page on the guide's white background would have none.
    from PySide6.QtGui import QColor, QPainter

    painter = QPainter(page)
    painter.setPen(QColor("#999999"))
    painter.drawRect(0, 0, page.width() - 1, page.height() - 1)
    painter.end()
    save(page, png)
    print(f"saved {png} (page 1 of {len(built.pdf)} bytes of PDF)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
