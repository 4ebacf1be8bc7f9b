"""The assembled workbench, driven through the page helpers as a desk officer would."""

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QTabBar

from workstation.services import open_session
from workstation.ui.shell import window_state
from workstation.ui.shell.app import WindowManager, run
from workstation.ui.shell.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def in_a_fresh_process(*args: str) -> subprocess.CompletedProcess:
    """Python with ``args`` in a new process, offscreen: what only a new application shows
    (and a crash at exit, seen only in the exit status)."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_docks_and_menus_have_object_names(main_window):
    names = {dock.objectName() for dock in main_window.findChildren(type(main_window.library))}
    assert "libraryDock" in names
    for name in (
        "libraryDock",
        "searchDock",
        "inspectorDock",
        "historyDock",
        "entitiesDock",
        "episodeEditorDock",
        "timelineDock",
    ):
        assert main_window.findChild(object, name) is not None, name
    menus = [a.menu().objectName() for a in main_window.menuBar().actions()]
    assert menus == [
        "menuFile",
        "menuEdit",
        "menuEpisode",
        "menuGo",
        "menuView",
        "menuBrief",
        "menuTools",
        "menuHelp",
    ]
    for action in main_window.registry.all():
        assert action.objectName().startswith("action"), action.text()


def test_dock_tabs_read_in_full_at_1280_by_800(main_window, qtbot):
    main_window.resize(1280, 800)
    qtbot.waitUntil(lambda: main_window.width() == 1280)
    QApplication.processEvents()
    bars = [bar for bar in main_window.findChildren(QTabBar) if bar.isVisible()]
    assert len(bars) == 2
    for bar in bars:
        for i in range(bar.count()):
            assert bar.tabRect(i).width() >= bar.tabSizeHint(i).width(), bar.tabText(i)


def test_each_dock_tab_group_has_one_bar_in_a_fresh_process(sample_path):
    # Qt can leave a spare tab bar drawn over the docks (see MainWindow._tab_behind).
    done = in_a_fresh_process("-m", "tests.helpers.tab_groups", str(sample_path))
    assert done.returncode == 0, done.stderr
    assert sorted(json.loads(done.stdout)) == [
        ["Inspector", "Entities", "Episode"],
        ["Search", "Suggestions", "Orphans"],
    ]


def test_mark_link_search_and_undo_across_documents(page):
    page.open_document("Russia-US Relations")
    page.select_text("the U.S. State Department")
    passage = page.annotate("Statement")
    assert passage.exact == "the U.S. State Department"
    page.select_passage(passage)
    page.link_entity("Госдепартамент", "speaker")
    assert page.linked(passage) == [("U.S. State Department", "speaker")]

    page.open_document("Biden imposes new sanctions on Russia and expels ten diplomats")
    page.select_text("national emergency")
    second = page.annotate("Sanction")
    assert page.search("emergency")[0][0] in {"document", "passage"}

    assert page.action("actionUndo").text() == "&Undo Mark passage as Sanction"
    page.undo()  # the second passage, in the open document
    assert page.session.annotations.find(second.id) is None
    page.undo()  # the link, made while the other document was open
    assert page.linked(passage) == []
    page.undo()
    assert page.session.annotations.find(passage.id) is None
    page.redo()
    assert page.session.annotations.find(passage.id) is not None


def test_new_entity_asks_its_kind_and_undoes_in_one_step(page):
    page.open_document("Russia-US Relations")
    page.select_text("Yekaterinburg")
    passage = page.annotate("Diplomatic step")
    page.select_passage(passage)
    page.link_entity("US Consulate General Yekaterinburg", "subject", kind="PublicBody")
    assert page.linked(passage) == [("US Consulate General Yekaterinburg", "subject")]
    page.undo()
    assert page.session.entities.find_by_name("US Consulate General Yekaterinburg") is None


def test_search_hit_opens_in_the_reader_with_the_hit_selected(page):
    page.open_document("Russia-US Relations")
    hits = page.search("Громов")  # the entity's Cyrillic alias
    assert ("entity", "Alexei Gromov") in hits
    hits = page.search("sovereign debt")
    row = next(i for i, (kind, _t) in enumerate(hits) if kind == "document")
    page.open_hit(row)
    reader = page.window.reader
    assert (
        reader.document_id != page.open_document.__self__
        and reader.title_label.text()
        == "Biden imposes new sanctions on Russia and expels ten diplomats"
    )
    span = reader.selection_span()
    assert reader.body[span.start : span.end].lower() in {"sovereign", "sovereign debt"}


def test_bulk_delete_of_passages_in_a_selection_is_one_undo_step(page):
    page.open_document("Russia-US Relations")
    document_id = page.window.reader.document_id
    before = len(page.session.annotations.for_document(document_id))
    page.select_text("Brussels imposed bans")
    body = page.window.reader.body
    start = body.index("Brussels imposed bans")
    end = body.index("Federal Prison Service") + len("Federal Prison Service")
    page.window.reader.select_range(start, end)
    page.trigger("actionDeletePassagesInSelection")
    assert len(page.session.annotations.for_document(document_id)) == before - 4
    page.undo()
    assert len(page.session.annotations.for_document(document_id)) == before


def test_help_lists_every_shortcut(page):
    dialog = page.window.commands.show_shortcuts()
    rows = dict(dialog.rows())
    for command in ("Undo", "Redo", "Compose brief…", "Search…", "Import files…"):
        assert command in rows, command
    assert "Ctrl+Shift+Z" in rows["Redo"]
    dialog.close()


def test_import_through_the_file_menu_and_by_drag_and_drop(page, qtbot, tmp_path):
    one = tmp_path / "one.txt"
    one.write_text("Peskov said reciprocity is the principle.")
    two = tmp_path / "two.md"
    two.write_text("# Zakharova\n\nMoscow summoned the ambassador.")
    page.prompts.will_answer("open_files", [str(one)])
    with qtbot.waitSignal(page.window.importer.finished, timeout=20000):
        page.trigger("actionImportFiles")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(two))])
    drop = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(page.window.importer.finished, timeout=20000):
        page.window.dropEvent(drop)
    assert page.session.documents.count() == 4
    assert page.window.library.model.rowCount() == 4


def test_save_a_copy_makes_a_verified_backup(page, qtbot, tmp_path):
    dest = tmp_path / "copy.sqlite"
    page.prompts.answers.append(str(dest))
    page.trigger("actionSaveCopy")
    # The copy may be written before a waitSignal could be set up: wait for its effect.
    qtbot.waitUntil(lambda: not page.window.commands.saving, timeout=20000)
    with open_session(dest) as copy:
        assert copy.documents.count() == 2


def test_layout_is_restored_on_restart(qtbot, sample_session, prompts):
    first = MainWindow(sample_session, prompts, restore=False)
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 540)  # inside the offscreen screen (restoreGeometry clamps to it)
    first.inspector.hide()
    size = first.size()  # what the window manager granted (the docks set a minimum width)
    first.close()
    second = MainWindow(sample_session, prompts)
    qtbot.addWidget(second)
    second.show()
    assert second.size() == size
    assert not second.inspector.isVisible()
    second.close()


def test_open_recent_and_new_workspace_switch_windows(
    qtbot, sample_session, sample_path, prompts, tmp_path
):
    manager = WindowManager(prompts)
    window = manager.show(sample_session, restore=False)
    qtbot.addWidget(window)
    window.show()
    assert sample_path.resolve() in window_state.recent_workspaces()
    fresh = tmp_path / "fresh.sqlite"
    assert manager.switch(fresh, True)
    qtbot.addWidget(manager.window)
    assert manager.window.session.path == fresh and manager.window.session.documents.count() == 0
    assert fresh.resolve() in window_state.recent_workspaces()
    assert not manager.switch(tmp_path / "missing.sqlite", False)
    assert "no workspace" in prompts.errors[-1]
    manager.window.close()


def test_screenshot_of_the_default_workspace_creates_it_with_the_sample(
    qtbot, tmp_path, isolated_data_dir
):
    png = tmp_path / "shot.png"
    assert run(["--screenshot", str(png)]) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1280, 800)
    assert (isolated_data_dir / "workspace.sqlite").is_file()
    QApplication.processEvents()


def test_main_py_screenshot_in_a_fresh_process(tmp_path, sample_path):
    png = tmp_path / "main.png"
    done = in_a_fresh_process("main.py", str(sample_path), "--screenshot", str(png))
    assert done.returncode == 0, done.stderr
    assert png.stat().st_size > 10_000


def test_copying_from_the_reader_then_quitting_exits_cleanly(sample_path):
    done = in_a_fresh_process("-m", "tests.helpers.copy_then_quit", str(sample_path))
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    assert done.stdout.strip()  # something was copied


def test_main_py_reports_a_bad_workspace_in_one_line(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not sqlite at all " * 50)
    assert run([str(bad), "--screenshot", str(tmp_path / "x.png")]) == 1
