"""Backups seen from the window: the opening backup and File → Restore, both through the
window's operation runner (off the GUI thread)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from workstation.services.backups import (
    PreparedRestore,
    backup_if_stale,
    list_backups,
    prepare_restore,
)
from workstation.ui.common.operations import Operation, OperationContext
from workstation.ui.common.workers import describe_error
from workstation.ui.shell.actions import ActionSpec

if TYPE_CHECKING:
    from workstation.ui.shell.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("Backups", text)


class BackupCommands(QObject):
    # The window manager reopens the workspace from this backup (the session must be closed
    # first, so the window cannot do it itself).
    restore_requested = Signal(object)  # PreparedRestore: the copy ready to be swapped in

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.backing_up = False  # the opening backup is being written
        window.registry.register(
            ActionSpec(
                "actionRestoreBackup",
                _tr("&Restore from backup…"),
                tip=_tr("Replace the workspace with one of its backups (kept beside it)"),
            ),
            self.restore,
        )

    def start_opening_backup(self) -> None:
        """Copy the workspace if its newest backup is stale, as a reading operation: through
        a read-only connection of its own, so start-up does not wait for it and edits go on."""
        if self.window.session.workspace.read_only or self.backing_up:
            return
        path = self.window.session.path

        def work(_context: OperationContext) -> str:
            made = backup_if_stale(path)
            return str(made) if made else ""

        self.backing_up = self.window.workbench.operations.run(
            Operation(
                _tr("Backing up"),
                work,
                writes=False,
                on_done=self._backed_up,
                on_error=self._failed,
                on_cancelled=self._finished,
            )
        )

    def _backed_up(self, path: str) -> None:
        self._finished()
        if path:
            self.window.statusBar().showMessage(_tr("Backed up to {path}").format(path=path), 8000)

    def _failed(self, exc: BaseException) -> None:
        # Reported in the status bar: a missed backup is no crash.
        self._finished()
        self.window.statusBar().showMessage(
            _tr("Automatic backup failed: {message}").format(message=str(exc)), 15000
        )

    def _finished(self) -> None:
        self.backing_up = False

    def wait(self) -> None:
        """Let a running backup finish (the window waits before it closes)."""
        if self.backing_up:
            self.window.workbench.operations.wait()

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
        if not prompts.confirm(self.window, question):
            return
        # The slow half (the safety backup, the verified copy of the backup) runs off the GUI
        # thread, edits refused meanwhile; the window manager then closes this window and
        # swaps the copy in, which is quick.
        path = self.window.session.path
        label = _tr("Restoring the backup of {when}").format(when=chosen)
        contexts: list[OperationContext] = []

        def work(context: OperationContext) -> PreparedRestore:
            contexts.append(context)
            context.progress(label, 0, 0)
            return prepare_restore(backup.path, path)

        def prepared(ready: PreparedRestore) -> None:
            if contexts and contexts[0].cancelled:  # Cancel came during the copy
                ready.partial.unlink(missing_ok=True)
                self.window.statusBar().showMessage(_tr("Restore cancelled; nothing changed"))
                return
            self.restore_requested.emit(ready)

        def failed(exc: BaseException) -> None:
            prompts.error(
                self.window,
                _tr("could not restore {name}: {why}").format(
                    name=backup.path.name, why=describe_error(exc)
                ),
            )

        self.window.workbench.operations.run(
            Operation(
                label,
                work,
                writes=not self.window.workbench.read_only,
                on_done=prepared,
                on_error=failed,
            )
        )
