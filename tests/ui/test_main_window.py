import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from workstation.ui.app import run
from workstation.ui.document_model import DocumentTableModel
from workstation.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, sample_session):
    win = MainWindow(sample_session)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_library_lists_the_sample_and_opens_the_first_document(window):
    model = window.library_model
    assert model.rowCount() == 2
    titles = {model.index(r, 0).data() for r in range(2)}
    assert "Russia-US Relations" in titles
    assert "Peskov" in window.reader.toPlainText()
    assert window.reader.isReadOnly()


def test_selecting_a_row_shows_that_document(window, qtbot):
    model = window.library_model
    row = next(r for r in range(2) if model.index(r, 0).data() == "Russia-US Relations")
    window.library.selectRow(row)
    qtbot.waitUntil(lambda: "Vladivostok" in window.reader.toPlainText())
    assert window.title_label.text() == "Russia-US Relations"


def test_document_model_passes_qtmodeltester(qtmodeltester, sample_session):
    model = DocumentTableModel(sample_session)
    qtmodeltester.check(model, force_py=True)


def test_document_model_pages_large_libraries(qtmodeltester, session):
    from workstation.importers import DocumentDraft
    from workstation.ui import document_model

    for i in range(25):
        session.documents.add(DocumentDraft(title=f"Doc {i}", text=f"text {i}", origin_name="x"))
    original = document_model.PAGE
    document_model.PAGE = 10
    try:
        model = DocumentTableModel(session)
        assert model.rowCount() == 10 and model.canFetchMore(model.index(-1, -1))
        while model.canFetchMore(model.index(-1, -1)):
            model.fetchMore(model.index(-1, -1))
        assert model.rowCount() == 25
        assert model.headerData(3, Qt.Orientation.Horizontal) == "Grade"
        qtmodeltester.check(model, force_py=True)
    finally:
        document_model.PAGE = original


def test_screenshot_of_the_default_workspace_creates_it_with_the_sample(
    qtbot, tmp_path, isolated_data_dir
):
    png = tmp_path / "shot.png"
    assert run(["--screenshot", str(png)]) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1280, 800)
    assert (isolated_data_dir / "workspace.sqlite").is_file()


def test_main_py_screenshot_in_a_fresh_process(tmp_path, sample_path):
    png = tmp_path / "main.png"
    done = subprocess.run(
        [sys.executable, "main.py", str(sample_path), "--screenshot", str(png)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    assert png.stat().st_size > 10_000


def test_main_py_reports_a_bad_workspace_in_one_line(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not sqlite at all " * 50)
    assert run([str(bad), "--screenshot", str(tmp_path / "x.png")]) == 1
