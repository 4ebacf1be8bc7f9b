"""Tools → Check workspace…: a non-modal dialog listing problems (checked off the GUI
thread), a Repair button, then the rows changed, the backup, and what is left."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from tests.unit.test_repair import corrupt_index_page, drop_index_rows_of_first_document
from workstation.services import open_session
from workstation.services.backups import list_backups, take_backup
from workstation.storage.integrity import FTS_NOT_CHECKED
from workstation.ui.exchange.check_dialog import CheckDialog
from workstation.ui.shell.workbench import Workbench


def raw(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def items(widget) -> list[str]:
    return [widget.item(row).text() for row in range(widget.count())]


def open_check(page) -> CheckDialog:
    page.trigger("actionCheckWorkspace")
    dialog = page.window.commands.checks.dialog
    wait_checked(page.qtbot, dialog)
    return dialog


def wait_checked(qtbot, dialog: CheckDialog) -> None:
    # The result is delivered on the GUI thread, which ends `running`.
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)


@pytest.fixture
def broken(sample_path: Path) -> str:
    """The sample with a document missing from its index and one passage shifted by two
    characters; returns the passage's id. Broken before the window opens it."""
    drop_index_rows_of_first_document(sample_path)
    raw(sample_path, 'UPDATE annotations SET start = start + 2, "end" = "end" + 2 WHERE seq = 5')
    conn = sqlite3.connect(sample_path)
    passage = conn.execute("SELECT id FROM annotations WHERE seq = 5").fetchone()[0]
    conn.close()
    return passage


def test_the_tools_menu_holds_the_check_and_a_sound_workspace_has_nothing_to_repair(page):
    tools = page.window.menuBar().findChild(QMenu, "menuTools")
    assert tools is not None
    assert page.action("actionCheckWorkspace") in tools.actions()
    dialog = open_check(page)
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.objectName() == "checkDialog"
    assert dialog.summary.text() == "No problems found."
    assert items(dialog.problems) == []
    assert not dialog.repair_button.isEnabled()
    assert not dialog.repaired.isVisible()
    assert page.prompts.errors == []


def test_repair_lists_the_rows_changed_and_the_backup_then_checks_again(page, broken, qtbot):
    dialog = open_check(page)
    problems = items(dialog.problems)
    assert problems[0] == "fts: documents_fts: index out of step with the live rows"
    assert problems[1].startswith(f"offsets: annotations {broken}: quote does not match")
    assert dialog.summary.text() == "2 problems found; 2 can be repaired."
    assert dialog.repair_button.isEnabled()

    qtbot.mouseClick(dialog.repair_button, Qt.MouseButton.LeftButton)
    repaired = items(dialog.repaired)
    assert repaired[0] == "rebuilt index documents_fts"
    assert repaired[1].startswith(f"annotations {broken}: re-anchored")
    assert dialog.repaired.isVisible()
    (backup,) = [b.path for b in list_backups(page.session.path)]
    assert str(backup) in dialog.backup_label.text() and backup.is_file()
    assert "repair" in backup.name

    wait_checked(qtbot, dialog)  # the check that follows the repair
    assert dialog.summary.text() == "No problems found."
    assert items(dialog.problems) == [] and dialog.advice.text() == ""
    assert not dialog.repair_button.isEnabled()
    assert page.workbench.undo_stack.undoText() == "Repair workspace"
    assert page.prompts.errors == []


def test_what_is_left_after_a_repair_is_listed_with_advice(page, sample_path, qtbot):
    passage = page.session.annotations.for_document(page.session.documents.list_documents()[0].id)[
        0
    ]
    raw(
        sample_path,
        "UPDATE annotations SET exact = 'never in the article at all', prefix = '', "
        f"suffix = '' WHERE id = '{passage.id}'",
    )
    dialog = open_check(page)
    assert dialog.summary.text() == "1 problem found; 1 can be repaired."
    qtbot.mouseClick(dialog.repair_button, Qt.MouseButton.LeftButton)
    assert items(dialog.repaired) == [
        f"annotations {passage.id}: quote not found in its document; flagged for the Orphans "
        "review queue: orphan no → yes"
    ]
    wait_checked(qtbot, dialog)
    (left,) = items(dialog.problems)
    assert left.startswith(f"offsets: annotations {passage.id}") and "Orphans review" in left
    assert dialog.summary.text() == "1 problem found; none has a safe automatic fix."
    assert "no safe automatic fix" in dialog.advice.text()
    assert not dialog.repair_button.isEnabled()
    assert page.session.annotations.get(passage.id).orphan  # kept, queued for review


def test_a_damaged_file_offers_no_repair_and_names_the_backups(sample_path, qtbot, prompts):
    kept = take_backup(sample_path, "auto")
    corrupt_index_page(sample_path)
    with open_session(sample_path) as session:
        workbench = Workbench(session, prompts)
        dialog = CheckDialog(workbench)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.start_check()
        wait_checked(qtbot, dialog)
        assert dialog.summary.text() == "The workspace file itself is damaged."
        assert all(line.startswith("sqlite: database: ") for line in items(dialog.problems))
        advice = dialog.advice.text()
        assert "restore a backup" in advice and kept.name in advice
        assert not dialog.repair_button.isEnabled()
        dialog.repair()  # even if called, nothing happens
        assert [b.reason for b in list_backups(sample_path)] == ["auto"]
        dialog.close()


def test_a_read_only_workspace_is_checked_but_not_repaired(sample_path, qtbot, prompts):
    drop_index_rows_of_first_document(sample_path)
    with open_session(sample_path, read_only=True) as session:
        dialog = CheckDialog(Workbench(session, prompts))
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.start_check()
        wait_checked(qtbot, dialog)
        assert items(dialog.problems) == ["note: " + FTS_NOT_CHECKED]
        assert not dialog.repair_button.isEnabled()
        dialog.close()
    assert list_backups(sample_path) == []


def test_closing_the_window_while_a_check_runs_waits_for_it(page, qtbot):
    page.trigger("actionCheckWorkspace")
    dialog = page.window.commands.checks.dialog
    page.window.close()  # the check's worker must not outlive its dialog
    assert not dialog.running or page.window.workbench.operations.wait(0)
