"""Every question and message the GUI puts to the user goes through a prompt service.

Widgets receive a ``Prompts`` object and never open a modal dialog themselves, so tests can
swap in a fake (a modal dialog hangs an offscreen test; see docs/architecture.md, Pitfalls).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from workstation.domain.text_display import shown
from workstation.ui.shell.window_state import last_folder, remember_folder


def _tr(text: str) -> str:
    return QCoreApplication.translate("Prompts", text)


class Prompts:
    """The real prompts: native file dialogs, input dialogs and message boxes."""

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str = ""
    ) -> str | None:
        """A path to write to, or None when the user cancels."""
        path, _chosen = QFileDialog.getSaveFileName(
            parent, title, suggested, filters or _tr("PDF files (*.pdf)")
        )
        return path or None

    def open_file(
        self, parent: QWidget | None, title: str, filters: str = "", folder: str = ""
    ) -> str | None:
        """A file to read, the dialog starting in ``folder`` ("": its default)."""
        path, _chosen = QFileDialog.getOpenFileName(parent, title, folder, filters)
        return path or None

    def open_files(
        self, parent: QWidget | None, title: str, filters: str = "", folder: str = ""
    ) -> list[str]:
        paths, _chosen = QFileDialog.getOpenFileNames(parent, title, folder, filters)
        return list(paths)

    def choose_folder(self, parent: QWidget | None, title: str, folder: str = "") -> str | None:
        return QFileDialog.getExistingDirectory(parent, title, folder) or None

    # -- the same, starting where the officer last went for this purpose --------------------
    # Defined here once, so the scripted prompts of the tests remember folders exactly as
    # the real ones do. ``purpose`` names the kind of dialog: "export", "import",
    # "annotations", "merge", "brief", "workspace".

    def save_file_for(
        self,
        purpose: str,
        parent: QWidget | None,
        title: str,
        suggested: str,
        filters: str = "",
        *,
        as_given: bool = False,
    ) -> str | None:
        """``save_file`` with the suggested name in the folder last used for ``purpose``
        (the suggestion as given when none was, or ``as_given``: a path the form already
        placed); the answer's folder is remembered."""
        start = suggested if as_given else in_last_folder(purpose, suggested)
        path = self.save_file(parent, title, start, filters)
        remember_folder(purpose, path)
        return path

    def open_file_for(
        self, purpose: str, parent: QWidget | None, title: str, filters: str = ""
    ) -> str | None:
        path = self.open_file(parent, title, filters, folder=last_folder(purpose))
        remember_folder(purpose, path)
        return path

    def open_files_for(
        self, purpose: str, parent: QWidget | None, title: str, filters: str = ""
    ) -> list[str]:
        paths = self.open_files(parent, title, filters, folder=last_folder(purpose))
        remember_folder(purpose, paths[0] if paths else None)
        return paths

    def choose_folder_for(self, purpose: str, parent: QWidget | None, title: str) -> str | None:
        folder = self.choose_folder(parent, title, folder=last_folder(purpose))
        remember_folder(purpose, folder)  # where it lives: the next one is likely beside it
        return folder

    def choose(
        self,
        parent: QWidget | None,
        title: str,
        label: str,
        options: list[str],
        current: str | None = None,
    ) -> str | None:
        """One of ``options``, or None when the user cancels."""
        index = options.index(current) if current in options else 0
        value, ok = QInputDialog.getItem(parent, title, label, options, index, False)
        return value if ok else None

    def ask_text(
        self, parent: QWidget | None, title: str, label: str, text: str = ""
    ) -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, text=text)
        return value if ok else None

    def confirm(self, parent: QWidget | None, message: str) -> bool:
        answer = QMessageBox.question(parent, _tr("Workstation"), shown(message))
        return answer == QMessageBox.StandardButton.Yes

    def error(self, parent: QWidget | None, message: str) -> None:
        QMessageBox.critical(parent, _tr("Workstation"), shown(message))

    def info(self, parent: QWidget | None, message: str, details: str = "") -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _tr("Workstation"),
            shown(message),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        if details:
            box.setDetailedText(shown(details))
        box.exec()


def in_last_folder(purpose: str, suggested: str) -> str:
    """``suggested``'s file name in the folder last used for ``purpose``, or ``suggested``
    itself when no folder was remembered (or it is gone)."""
    folder = last_folder(purpose)
    if not folder or not suggested:
        return suggested
    return str(Path(folder) / Path(suggested).name)
