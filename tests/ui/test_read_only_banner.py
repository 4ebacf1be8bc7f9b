"""A workspace another workstation is writing to opens read-only: a banner says so, editing
commands are disabled, and no edit reaches the file."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from tests.helpers.pages import WorkbenchPage
from tests.helpers.workspace_holder import held_elsewhere
from workstation.services import create_session
from workstation.ui.shell.app import WindowManager, open_for_window, run
from workstation.ui.shell.main_window import MainWindow
from workstation.ui.shell.read_only_banner import BANNER_NAME

SANCTIONS = "Biden imposes new sanctions on Russia and expels ten diplomats"


def _change_count(path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def holder(sample_path):
    with held_elsewhere(sample_path) as process:
        yield process


@pytest.fixture
def window(qtbot, sample_path, holder, prompts):
    session = open_for_window(sample_path)
    main = MainWindow(session, prompts, restore=False)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: main.reader.document_id is not None)
    yield main
    main.close()
    session.close()


def test_banner_names_the_other_workstation_at_the_top(window, holder):
    banner = window.findChild(QLabel, BANNER_NAME)
    assert banner is not None and banner.isVisible()
    assert banner.text().startswith(
        f"Read-only: open for writing in another workstation (pid {holder.pid} on "
    )
    assert banner.text().endswith("Changes are disabled.")
    top = banner.mapTo(window, QPoint(0, 0)).y()
    assert top < window.reader.mapTo(window, QPoint(0, 0)).y()
    assert top < window.library.mapTo(window, QPoint(0, 0)).y()
    assert window.windowTitle().endswith("(read-only)")
    assert window.session.workspace.read_only


def test_marking_a_passage_writes_nothing_and_says_so_once(qtbot, window, sample_path, prompts):
    page = WorkbenchPage(qtbot, window)
    page.open_document(SANCTIONS)
    before_passages = {
        p.id for p in window.session.annotations.for_document(window.reader.document_id)
    }
    before_changes = _change_count(sample_path)
    messages: list[str] = []
    window.workbench.status.connect(messages.append)
    page.select_text("national emergency")
    key = window.session.codebook.by_name("Sanction").shortcut
    QTest.keyClick(window.reader.text, key)
    after = {p.id for p in window.session.annotations.for_document(window.reader.document_id)}
    assert after == before_passages
    assert len(messages) == 1 and "read-only" in messages[0]
    assert "read-only" in window.statusBar().currentMessage()
    assert prompts.errors == [] and prompts.infos == []
    assert window.workbench.undo_stack.count() == 0
    assert _change_count(sample_path) == before_changes


def test_no_service_call_runs_through_the_workbench(window):
    ran = []
    assert window.workbench.apply("Anything", lambda: ran.append(True)) is None
    assert ran == []


def test_editing_commands_are_disabled_and_stay_disabled(qtbot, window):
    editing = (
        "actionDeletePassage",
        "actionDeletePassagesInSelection",
        "actionImportFiles",
        "actionImportFolder",
        "actionImportAnnotations",
        "actionMergeWorkspace",
        "actionNewEvent",
        "actionNewJudgment",
        "actionMergeEntities",
        "actionEditCodebook",
        "actionComposeBrief",
        "actionAcceptSuggestion",
        "actionRestoreBackup",
        "actionUndo",
        "actionRedo",
    )
    for name in editing:
        assert not window.registry[name].isEnabled(), name
    for name in ("actionExport", "actionSaveCopy", "actionOpenWorkspace", "actionNextPassage"):
        assert window.registry[name].isEnabled(), name
    # Selecting a passage is what enables "Delete passage" in a writable window.
    passage = window.session.annotations.for_document(window.reader.document_id)[0]
    window.workbench.select_passage(passage.id)
    window.registry["actionDeletePassage"].setEnabled(True)
    assert not window.registry["actionDeletePassage"].isEnabled()


def test_dropped_files_are_not_imported(window, tmp_path, sample_path):
    article = tmp_path / "dropped.txt"
    article.write_text("Moscow expelled ten US diplomats in answer.", encoding="utf-8")
    before = window.session.documents.count()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(article))])
    drop = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert not window.importer.running
    assert "nothing imported" in window.statusBar().currentMessage()
    assert window.session.documents.count() == before


def test_a_file_the_user_may_not_write_gets_the_same_banner(
    qtbot, sample_path, prompts, monkeypatch
):
    # Tests run as root here, which may write any file: the permission check is simulated.
    monkeypatch.setattr("workstation.storage.workspace._writable", lambda path: False)
    session = open_for_window(sample_path)
    main = MainWindow(session, prompts, restore=False)
    qtbot.addWidget(main)
    banner = main.findChild(QLabel, BANNER_NAME)
    assert banner.text() == (
        "Read-only: workspace is read-only (check the file's and folder's permissions). "
        "Changes are disabled."
    )
    main.close()
    session.close()


def test_a_writable_workspace_has_no_banner(main_window):
    assert main_window.findChild(QLabel, BANNER_NAME) is None
    assert main_window.registry["actionImportFiles"].isEnabled()


def test_opening_from_the_menu_a_workspace_held_elsewhere_opens_it_read_only(
    qtbot, tmp_path, sample_path, holder, prompts
):
    own = tmp_path / "own.sqlite"
    create_session(own, author="tester").close()
    manager = WindowManager(prompts)
    first = manager.show(open_for_window(own), restore=False)
    qtbot.addWidget(first)
    assert manager.switch(own, False)  # already open here, for writing: nothing to do
    assert manager.window is first and not first.session.workspace.read_only
    assert manager.switch(sample_path, False)
    second = manager.window
    qtbot.addWidget(second)
    assert second is not first and second.session.workspace.read_only
    assert second.findChild(QLabel, BANNER_NAME) is not None
    assert prompts.errors == []
    second.close()
    second.session.close()


def test_the_app_starts_read_only_instead_of_refusing(qtbot, tmp_path, sample_path, holder):
    png = tmp_path / "shot.png"
    assert run([str(sample_path), "--screenshot", str(png)]) == 0
    assert png.is_file()
