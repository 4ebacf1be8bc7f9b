"""Every question and message the GUI puts to the user goes through a prompt service.

Widgets receive a ``Prompts`` object and never open a modal dialog themselves, so tests can
swap in a fake (a modal dialog hangs an offscreen test; see DESIGN.md, Pitfalls).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from workstation.domain.text_display import shown


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

    def open_file(self, parent: QWidget | None, title: str, filters: str = "") -> str | None:
        path, _chosen = QFileDialog.getOpenFileName(parent, title, "", filters)
        return path or None

    def open_files(self, parent: QWidget | None, title: str, filters: str = "") -> list[str]:
        paths, _chosen = QFileDialog.getOpenFileNames(parent, title, "", filters)
        return list(paths)

    def choose_folder(self, parent: QWidget | None, title: str) -> str | None:
        return QFileDialog.getExistingDirectory(parent, title) or None

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


class RecordingPrompts(Prompts):
    """A scripted stand-in for tests and screenshots: answers from queues, records messages.

    ``answers`` are returned by ``save_file`` in order (None = the user cancelled). Other
    questions take their answers from ``queue[method]`` (see ``will_answer``); an empty
    queue means the user cancelled (``confirm``: said no).
    """

    def __init__(self, answers: list[str | None] | None = None):
        self.answers: list[str | None] = list(answers or [])
        self.queue: dict[str, list[object]] = {}
        self.asked: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.details: list[str] = []

    def will_answer(self, method: str, *values: object) -> RecordingPrompts:
        self.queue.setdefault(method, []).extend(values)
        return self

    def _next(self, method: str, title: str, default: object = None) -> object:
        self.asked.append((method, title))
        pending = self.queue.get(method)
        return pending.pop(0) if pending else default

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str = ""
    ) -> str | None:
        self.asked.append((title, suggested))
        return self.answers.pop(0) if self.answers else None

    def open_file(self, parent, title, filters=""):
        return self._next("open_file", title)

    def open_files(self, parent, title, filters=""):
        return list(self._next("open_files", title, []))

    def choose_folder(self, parent, title):
        return self._next("choose_folder", title)

    def choose(self, parent, title, label, options, current=None):
        return self._next("choose", title)

    def ask_text(self, parent, title, label, text=""):
        return self._next("ask_text", title)

    def confirm(self, parent, message):
        return bool(self._next("confirm", message, False))

    def error(self, parent: QWidget | None, message: str) -> None:
        self.errors.append(message)

    def info(self, parent: QWidget | None, message: str, details: str = "") -> None:
        self.infos.append(message)
        self.details.append(details)
