"""Every question and message the GUI puts to the user goes through a prompt service.

Widgets receive a ``Prompts`` object and never open a modal dialog themselves, so tests can
swap in a fake (a modal dialog hangs an offscreen test; see DESIGN.md, Pitfalls).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("Prompts", text)


class Prompts:
    """The real prompts: native file dialogs and message boxes."""

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str = ""
    ) -> str | None:
        """A path to write to, or None when the user cancels."""
        path, _chosen = QFileDialog.getSaveFileName(
            parent, title, suggested, filters or _tr("PDF files (*.pdf)")
        )
        return path or None

    def error(self, parent: QWidget | None, message: str) -> None:
        QMessageBox.critical(parent, _tr("Workstation"), message)

    def info(self, parent: QWidget | None, message: str) -> None:
        QMessageBox.information(parent, _tr("Workstation"), message)


class RecordingPrompts(Prompts):
    """A scripted stand-in for tests and screenshots: answers from a queue, records messages.

    ``answers`` are returned by ``save_file`` in order (None = the user cancelled).
    """

    def __init__(self, answers: list[str | None] | None = None):
        self.answers: list[str | None] = list(answers or [])
        self.asked: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.infos: list[str] = []

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str = ""
    ) -> str | None:
        self.asked.append((title, suggested))
        return self.answers.pop(0) if self.answers else None

    def error(self, parent: QWidget | None, message: str) -> None:
        self.errors.append(message)

    def info(self, parent: QWidget | None, message: str) -> None:
        self.infos.append(message)
