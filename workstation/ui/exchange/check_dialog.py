"""Tools → Check workspace…: what is wrong with the workspace, and a Repair button.

The check runs in a worker thread through a connection of its own (at a million passages it
takes seconds; the window stays usable). The repair runs on the GUI thread through
``Workbench.apply`` (the session's connection is the only writer, and the repair becomes one
undo step); a backup is taken first. The dialog then lists every row the repair changed and
where the backup is, and checks again for what is left.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThread, Signal
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

from workstation.services.backups import list_backups
from workstation.services.maintenance import (
    Findings,
    RepairReport,
    advice_for,
    inspect_path,
    repair,
    repairable,
    restore_advice,
    with_fts,
)
from workstation.ui.actions import ActionSpec
from workstation.ui.workers import describe_error

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow
    from workstation.ui.workbench import Workbench


def _tr(text: str) -> str:
    return QCoreApplication.translate("CheckDialog", text)


class _CheckThread(QThread):
    inspected = Signal(object)  # Findings
    failed = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.path = path

    def run(self) -> None:
        try:
            findings = inspect_path(self.path)
        except Exception as exc:  # shown in the dialog: the thread has no one else to tell
            self.failed.emit(describe_error(exc))
            return
        self.inspected.emit(findings)


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
        self.thread: _CheckThread | None = None

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
        return self.thread is not None

    def start_check(self) -> None:
        if self.running:
            return
        self.summary.setText(_tr("Checking {name}…").format(name=self.workbench.session.path.name))
        thread = _CheckThread(self.workbench.session.path, self)
        thread.inspected.connect(self._inspected)
        thread.failed.connect(self._failed)
        thread.finished.connect(self._finished)
        self.thread = thread
        self._set_buttons()
        thread.start()

    def _inspected(self, findings: Findings) -> None:
        # The worker's connection is read-only; the full-text checks run here, on the
        # window's own (the only writing) connection.
        findings = with_fts(self.workbench.session, findings)
        self.findings = findings
        problems = findings.problems()
        self.problems.clear()
        self.problems.addItems([str(problem) for problem in problems])
        self.problems.addItems([_tr("note: {note}").format(note=n) for n in findings.notes])
        self.fixable = 0
        if findings.damaged:
            path = self.workbench.session.path
            backups = list_backups(path)
            lines = [restore_advice(path, backups)]
            lines += [f"  {b.path.name} — {b.describe()}" for b in backups]
            self.advice.setText("\n".join(lines))
            self.summary.setText(_tr("The workspace file itself is damaged."))
        else:
            self.fixable = repairable(self.workbench.session, findings)
            self.summary.setText(self._summary(len(problems)))
            self.advice.setText(advice_for(problems) if self.report else "")

    def _summary(self, count: int) -> str:
        if not count:
            return _tr("No problems found.")
        if self.fixable:
            return _tr("{count} problem(s) found; {fixable} can be repaired.").format(
                count=count, fixable=self.fixable
            )
        return _tr("{count} problem(s) found; none has a safe automatic fix.").format(count=count)

    def _failed(self, message: str) -> None:
        self.findings = None
        self.fixable = 0
        self.summary.setText(
            _tr("Could not check the workspace: {message}").format(message=message)
        )

    def _finished(self) -> None:
        thread, self.thread = self.thread, None
        if thread is not None:
            thread.deleteLater()
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

        def run():
            report = repair(self.workbench.session, findings, recheck=False)
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
        if self.thread is not None:
            self.thread.wait()


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
            ),
            self.show_dialog,
        )
        # The window's close waits for a running check, whose thread the dialog owns.
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
