"""Tools → Check workspace…: what is wrong with the workspace, and a Repair button.

The check runs through the window's operation runner, off the GUI thread: first the reading
checks through a read-only connection of its own (at a million passages they take seconds;
the window stays usable and edits go on), then the full-text checks, which SQLite issues as
writes (rolled back), as a short writing operation on a writing connection of its own
(edits wait meanwhile; a read-only workspace skips them and says so). The repair runs on the
GUI thread through ``Workbench.apply`` (the repair becomes one undo step); a backup is taken
first. The dialog then lists every row the repair changed and
where the backup is, and checks again for what is left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import ChangeSet
from workstation.services.maintenance import (
    Findings,
    RepairReport,
    advice_for,
    inspect_path,
    restore_advice,
)
from workstation.ui.common.operations import Operation, OperationContext
from workstation.ui.common.widgets import count_noun
from workstation.ui.common.workers import describe_error
from workstation.ui.shell.actions import ActionSpec

if TYPE_CHECKING:
    from workstation.ui.shell.main_window import MainWindow
    from workstation.ui.shell.workbench import Workbench


def _tr(text: str) -> str:
    return QCoreApplication.translate("CheckDialog", text)


class CheckDialog(QDialog):
    """Non-modal: problems, Repair, then the rows changed, the backup and what is left."""

    checked = Signal()  # a check finished (its result is shown)

    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checkDialog")
        self.setWindowTitle(_tr("Check workspace"))
        self.setModal(False)
        self.workbench = workbench
        self.findings: Findings | None = None
        self.report: RepairReport | None = None
        self.fixable = 0
        self._checking = False  # an operation of this dialog's is running

        self.summary = self._label("checkSummary")
        self.problems = self._list("checkProblems")
        self.repair_button = QPushButton(_tr("&Repair"))
        self.repair_button.setObjectName("checkRepair")
        self.repair_button.setToolTip(
            _tr("Back up the workspace, then fix what has one safe fix (nothing is deleted)")
        )
        self.repair_button.clicked.connect(self.repair)
        self.again_button = QPushButton(_tr("Check &again"))
        self.again_button.setObjectName("checkAgain")
        self.again_button.clicked.connect(self.start_check)
        self.backup_label = self._label("checkBackup")
        self.repaired = self._list("checkRepaired")
        self.advice = self._label("checkAdvice")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 2)
        row = QHBoxLayout()
        row.addWidget(self.repair_button)
        row.addWidget(self.again_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.repaired_title = QLabel(_tr("Rows the repair changed:"))
        layout.addWidget(self.repaired_title)
        layout.addWidget(self.repaired, 2)
        layout.addWidget(self.backup_label)
        layout.addWidget(self.advice)
        layout.addWidget(buttons)
        self.resize(760, 520)
        self._show_repair(None)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _list(self, name: str) -> QListWidget:
        widget = QListWidget(self)
        widget.setObjectName(name)
        widget.setWordWrap(True)
        return widget

    # -- checking ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._checking

    def start_check(self) -> None:
        if self.running:
            return
        path = self.workbench.session.path
        self.summary.setText(_tr("Checking {name}…").format(name=path.name))
        label = _tr("Checking {name}").format(name=path.name)

        def inspect(context: OperationContext) -> Findings:
            context.progress(label, 0, 0)
            return inspect_path(path)

        self._run(Operation(label, inspect, writes=False, on_done=self._inspected))

    def _run(self, operation: Operation[Any], so_far: Findings | None = None) -> None:
        operation.on_error = self._failed
        operation.on_cancelled = self._cancelled
        self._checking = self.workbench.operations.run(operation)
        self._set_buttons()
        if self._checking:
            return
        # Another writing operation runs (its status line says so): what is known so far.
        if so_far is not None:
            self._show(so_far)
            return
        self.summary.setText(_tr("Not checked: another operation is running; check again."))
        self._finished()

    def _inspected(self, findings: Findings) -> None:
        # The worker's connection was read-only; the full-text checks, issued as writes
        # and rolled back, run next on a writing connection of their own.
        if self.workbench.read_only or findings.damaged:
            self._show(findings)
            return

        def fts(context: OperationContext) -> Findings:
            context.progress(_tr("Checking the full-text indexes"), 0, 0)
            return context.session.maintenance.with_fts(findings)

        label = _tr("Checking the full-text indexes")
        self._run(Operation(label, fts, on_done=self._show), findings)

    def _show(self, findings: Findings) -> None:
        self.findings = findings
        problems = findings.problems()
        self.problems.clear()
        self.problems.addItems([str(problem) for problem in problems])
        self.problems.addItems([_tr("note: {note}").format(note=n) for n in findings.notes])
        self.fixable = 0
        if findings.damaged:
            path = self.workbench.session.path
            backups = self.workbench.session.maintenance.list_backups()
            lines = [restore_advice(path, backups)]
            lines += [f"  {b.path.name} — {b.describe()}" for b in backups]
            self.advice.setText("\n".join(lines))
            self.summary.setText(_tr("The workspace file itself is damaged."))
        else:
            self.fixable = self.workbench.session.maintenance.repairable(findings)
            self.summary.setText(self._summary(len(problems)))
            self.advice.setText(advice_for(problems) if self.report else "")
        self._finished()

    def _summary(self, count: int) -> str:
        if not count:
            return _tr("No problems found.")
        if self.fixable:
            return _tr("{count} found; {fixable} can be repaired.").format(
                count=count_noun(count, _tr("problem"), _tr("problems")), fixable=self.fixable
            )
        return _tr("{count} found; none has a safe automatic fix.").format(
            count=count_noun(count, _tr("problem"), _tr("problems"))
        )

    def _failed(self, exc: BaseException) -> None:
        self.findings = None
        self.fixable = 0
        self.summary.setText(
            _tr("Could not check the workspace: {message}").format(message=describe_error(exc))
        )
        self._finished()

    def _cancelled(self) -> None:
        self.findings = None
        self.fixable = 0
        self.summary.setText(_tr("Check cancelled."))
        self._finished()

    def _finished(self) -> None:
        self._checking = False
        self._set_buttons()
        self.checked.emit()

    def _set_buttons(self) -> None:
        read_only = self.workbench.read_only
        self.repair_button.setEnabled(
            not self.running and not read_only and self.fixable > 0 and self.findings is not None
        )
        if read_only:
            self.repair_button.setToolTip(_tr("The workspace is open read-only"))
        self.again_button.setEnabled(not self.running)

    # -- repairing --------------------------------------------------------------------------

    def repair(self) -> None:
        if self.running or self.findings is None or not self.repair_button.isEnabled():
            return
        findings = self.findings
        made: list[RepairReport] = []

        def run() -> ChangeSet:
            report = self.workbench.session.maintenance.repair(findings, recheck=False)
            made.append(report)
            return report.changes

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.workbench.apply(_tr("Repair workspace"), run)
        finally:
            QApplication.restoreOverrideCursor()
        if not made:  # refused or failed: the workbench has said why, once
            return
        self._show_repair(made[0])
        self.start_check()  # what is left, off the GUI thread

    def _show_repair(self, report: RepairReport | None) -> None:
        self.report = report
        self.repaired.clear()
        shown = report is not None
        for widget in (self.repaired_title, self.repaired, self.backup_label):
            widget.setVisible(shown)
        if report is None:
            return
        self.repaired.addItems([str(line) for line in report.repaired])
        if report.backup is not None:
            self.backup_label.setText(_tr("Backup taken first: {path}").format(path=report.backup))
        else:
            self.backup_label.setText(_tr("Nothing needed repairing; no backup was taken."))

    # -- lifecycle --------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Let a running check finish (its connection must close before the window goes)."""
        if self.running:
            self.workbench.operations.wait()


class CheckCommands(QObject):
    """Registers Tools → Check workspace… and keeps its one dialog."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.dialog: CheckDialog | None = None
        window.registry.register(
            ActionSpec(
                "actionCheckWorkspace",
                _tr("&Check workspace…"),
                tip=_tr("Integrity, full-text indexes, offsets, orphans; repair after a backup"),
                writes=False,  # a repair asks first and runs only on a writable workspace
            ),
            self.show_dialog,
        )
        # The window's close waits for a running check, whose connection must close first.
        window.installEventFilter(self)

    def show_dialog(self) -> CheckDialog:
        if self.dialog is None:
            self.dialog = CheckDialog(self.window.workbench, self.window)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.start_check()
        return self.dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and self.dialog:
            self.dialog.shutdown()
        return False
