"""The window and an untrusted workspace (issue 12): a planted trigger opens read-only with
the banner naming it; the export, brief and copy dialogs refuse the workspace's own files;
the merge review says why a conflict is listed ("future timestamp")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from bench.hostile.workspace import REWRITE_TRIGGER, plant_rewriting_trigger
from tests.helpers.untouched import family_bytes, table_digest
from workstation.services.merge_plan import FUTURE_TIMESTAMP, Conflict
from workstation.ui.exchange.export_dialog import ExportRunner
from workstation.ui.exchange.merge_review import WHAT, ConflictModel
from workstation.ui.shell.app import open_for_window
from workstation.ui.shell.main_window import MainWindow
from workstation.ui.shell.menus import WindowCommands
from workstation.ui.shell.read_only_banner import BANNER_NAME
from workstation.ui.shell.workbench import Workbench


def test_a_planted_trigger_opens_read_only_with_the_banner_naming_it(qtbot, sample_path, prompts):
    plant_rewriting_trigger(sample_path)
    before = table_digest(sample_path)
    session = open_for_window(sample_path)
    window = MainWindow(session, prompts, restore=False)
    qtbot.addWidget(window)
    try:
        banner = window.findChild(QLabel, BANNER_NAME)
        assert banner is not None
        assert banner.text().startswith(
            f"Read-only: trigger {REWRITE_TRIGGER} is not part of a workspace; open read-only, "
            "or `workstation check --repair` removes it after a backup."
        )
        assert window.workbench.read_only  # every edit refused before it runs
    finally:
        window.close()
        session.close()
    assert table_digest(sample_path) == before


def test_the_export_runner_refuses_the_workspace_and_its_log(qtbot, sample_session, prompts):
    workbench = Workbench(sample_session, prompts)
    runner = ExportRunner(workbench)
    path = sample_session.path
    before = family_bytes(path)
    for target in (path, path.with_name(path.name + "-wal")):
        assert runner.start("csv", None, target) is False
    assert not runner.running
    assert prompts.errors == [
        f"refusing to write over the workspace itself: {path}",
        f"refusing to write over the workspace's write-ahead log: {path}-wal",
    ]
    assert family_bytes(path) == before


def test_save_a_copy_over_the_workspace_is_refused(qtbot, sample_session, prompts):
    window = MainWindow(sample_session, prompts, restore=False)
    qtbot.addWidget(window)
    found = window.findChildren(WindowCommands)
    assert len(found) == 1
    prompts.answers.append(str(sample_session.path.with_name("sample.sqlite.backups") / "c.sqlite"))
    found[0].save_copy()
    assert not found[0].saving and not window.workbench.operations.busy
    assert prompts.errors[-1].startswith("refusing to write over the workspace's backups: ")
    window.close()


def test_the_review_says_why_a_conflict_is_listed(qtbot):
    conflict = Conflict(
        table="entities",
        record_id="e1",
        label="Joe Biden",
        fields=("name",),
        ours={"name": "Joe Biden"},
        theirs={"name": "Vladimir Putin"},
        our_updated_at="2021-04-16T10:00:00Z",
        our_author="alice",
        their_updated_at="2099-01-01T00:00:00.000000Z",
        their_author="mallory",
        winner="ours",
        reason=FUTURE_TIMESTAMP,
    )
    model = ConflictModel([conflict])
    what = model.index(0, WHAT)
    assert model.data(what) == "Entity «Joe Biden»\nfuture timestamp"
    assert "never wins" in model.data(what, Qt.ItemDataRole.ToolTipRole)
