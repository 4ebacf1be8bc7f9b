"""A scripted stand-in for the GUI's prompt service, for tests and benchmarks: answers from
queues, records every message, never opens a dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from workstation.ui.shell.prompts import Prompts


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
        self.started_in: list[tuple[str, str]] = []  # (title, folder) of open/folder dialogs

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

    def open_file(self, parent, title, filters="", folder=""):
        self.started_in.append((title, folder))
        return self._next("open_file", title)

    def open_files(self, parent, title, filters="", folder=""):
        self.started_in.append((title, folder))
        return list(self._next("open_files", title, []))

    def choose_folder(self, parent, title, folder=""):
        self.started_in.append((title, folder))
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
