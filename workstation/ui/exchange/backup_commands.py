"""Backups seen from the window: the opening backup in the background, File → Restore."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from workstation.services.backups import backup_if_stale, list_backups
from workstation.ui.actions import ActionSpec

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("Backups", text)


class _StaleBackupThread(QThread):
    """Copies the workspace through its own read-only connection: the GUI's connection and
    thread are never involved, and start-up does not wait for it."""

    done = Signal(str)  # the backup's path, or "" when none was due
    failed = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.path = path

    def run(self) -> None:
        try:
            made = backup_if_stale(self.path)
        except Exception as exc:  # reported in the status bar: a missed backup is no crash
            self.failed.emit(str(exc))
            return
        self.done.emit(str(made) if made else "")


class BackupCommands(QObject):
    # The window manager reopens the workspace from this backup (the session must be closed
    # first, so the window cannot do it itself).
    restore_requested = Signal(object)  # Path of the backup

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.thread: _StaleBackupThread | None = None
        window.registry.register(
            ActionSpec(
                "actionRestoreBackup",
                _tr("&Restore from backup…"),
                tip=_tr("Replace the workspace with one of its backups (kept beside it)"),
            ),
            self.restore,
        )

    def start_opening_backup(self) -> None:
        if self.window.session.workspace.read_only or self.thread is not None:
            return
        thread = _StaleBackupThread(self.window.session.path, self)
        thread.done.connect(self._backed_up)
        thread.failed.connect(
            lambda message: self.window.statusBar().showMessage(
                _tr("Automatic backup failed: {message}").format(message=message), 15000
            )
        )
        thread.finished.connect(self._finished)
        self.thread = thread
        thread.start()

    def _backed_up(self, path: str) -> None:
        if path:
            self.window.statusBar().showMessage(_tr("Backed up to {path}").format(path=path), 8000)

    def _finished(self) -> None:
        thread, self.thread = self.thread, None
        if thread is not None:
            thread.deleteLater()

    def wait(self) -> None:
        """Let a running backup finish (the window waits before it closes)."""
        if self.thread is not None:
            self.thread.wait()

    def restore(self) -> None:
        prompts = self.window.prompts
        backups = list_backups(self.window.session.path)
        if not backups:
            prompts.info(
                self.window,
                _tr("No backups of this workspace yet."),
                _tr("They are kept in {folder}").format(
                    folder=self.window.session.path.name + ".backups"
                ),
            )
            return
        labels = [b.describe() for b in backups]
        chosen = prompts.choose(
            self.window, _tr("Restore from backup"), _tr("Backup to restore:"), labels
        )
        if chosen is None or chosen not in labels:
            return
        backup = backups[labels.index(chosen)]
        question = _tr(
            "Replace the workspace with the backup of {when}? The current state is backed up "
            "first, so this can be undone by restoring that backup."
        ).format(when=chosen)
        if prompts.confirm(self.window, question):
            self.restore_requested.emit(backup.path)
