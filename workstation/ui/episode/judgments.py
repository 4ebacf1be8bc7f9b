"""Pieces of the episode editor: the ordered key-judgment list model, text boxes saved when
the officer leaves them, the live ICD 203 wording warnings under a judgment's text, and
the naming helpers that give every control an objectName and an accessible name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QTextEdit

from workstation.domain.judgment_checks import check_judgment
from workstation.domain.offsets import utf16_offset
from workstation.domain.records import Judgment
from workstation.domain.text_display import invisibles_sentence, shown, shown_line

Index = QModelIndex | QPersistentModelIndex
_Role = Qt.ItemDataRole
_SAVE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
LIST_CHARS = 160  # the list shows the start of each judgment; the tooltip has all of it


class JudgmentListModel(QAbstractListModel):
    """The episode's key judgments in brief order: "1 · likely · moderate — text…"."""

    IdRole = _Role.UserRole

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._judgments: list[Judgment] = []

    def set_judgments(self, judgments: list[Judgment]) -> None:
        """Show ``judgments``; the same ids in the same order repaint in place, so the
        selection and the scroll position stay."""
        if [j.id for j in judgments] == [j.id for j in self._judgments]:
            self._judgments = list(judgments)
            if judgments:
                self.dataChanged.emit(self.index(0), self.index(len(judgments) - 1))
            return
        self.beginResetModel()
        self._judgments = list(judgments)
        self.endResetModel()

    def judgment(self, row: int) -> Judgment | None:
        return self._judgments[row] if 0 <= row < len(self._judgments) else None

    def row_of(self, judgment_id: str | None) -> int:
        ids = [j.id for j in self._judgments]
        return ids.index(judgment_id) if judgment_id in ids else -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._judgments)

    def data(self, index: Index, role: int = _Role.DisplayRole) -> Any:
        judgment = self.judgment(index.row()) if index.isValid() else None
        if judgment is None:
            return None
        if role == _Role.DisplayRole:
            text = " ".join(shown_line(judgment.text).split())
            if len(text) > LIST_CHARS:
                text = text[: LIST_CHARS - 1].rstrip() + "…"
            return self.tr("{n} · {likelihood} · {confidence} confidence — {text}").format(
                n=index.row() + 1,
                likelihood=judgment.likelihood,
                confidence=judgment.confidence,
                text=text,
            )
        if role == _Role.ToolTipRole:
            return self.tr("{text}\n\nLikelihood: {likelihood}. Confidence: {confidence}.").format(
                text=shown(judgment.text[:2000]),
                likelihood=judgment.likelihood,
                confidence=judgment.confidence,
            )
        if role == self.IdRole:
            return judgment.id
        return None


class SavedText(QObject):
    """A text box saved as one undo step when the officer leaves it or presses Ctrl+Enter
    (Enter alone in a one-line box). ``load`` keeps unsaved typing unless the stored value
    itself changed (an undo, another window), so a refresh never eats a sentence."""

    def __init__(self, edit: QPlainTextEdit | QLineEdit, save: Callable[[str], None]):
        super().__init__(edit)
        self.edit = edit
        self._save = save
        self._loaded: str | None = None
        edit.installEventFilter(self)

    def text(self) -> str:
        edit = self.edit
        return edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()

    def modified(self) -> bool:
        edit = self.edit
        return edit.isModified() if isinstance(edit, QLineEdit) else edit.document().isModified()

    def _set_modified(self, value: bool) -> None:
        if isinstance(self.edit, QLineEdit):
            self.edit.setModified(value)
        else:
            self.edit.document().setModified(value)

    def load(self, value: str, *, force: bool = False) -> None:
        if not force and self.modified() and value == self._loaded:
            return
        self._loaded = value
        if self.text() != value:  # rewriting the same text would move the cursor
            if isinstance(self.edit, QLineEdit):
                self.edit.setText(value)
                self.edit.setCursorPosition(0)
            else:
                self.edit.setPlainText(value)
        self._set_modified(False)

    def commit(self) -> None:
        if not self.modified():
            return
        self._set_modified(False)
        if self.text() != self._loaded:
            self._save(self.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit:
            if event.type() == QEvent.Type.FocusOut:
                self.commit()
            elif (
                event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in _SAVE_KEYS
                and (
                    isinstance(self.edit, QLineEdit)
                    or event.modifiers() & Qt.KeyboardModifier.ControlModifier
                )
            ):
                self.commit()
                return True
        return super().eventFilter(watched, event)


class WordingWarnings(QObject):
    """Checks a judgment's text as it is typed: lists the warnings in ``label`` and puts a
    wavy underline under each word or sentence they are about."""

    def __init__(self, edit: QPlainTextEdit, label: QLabel):
        super().__init__(edit)
        self.edit = edit
        self.label = label
        self.messages: list[str] = []
        self.likelihood: QComboBox | None = None
        edit.textChanged.connect(self.refresh)

    def follow_likelihood(self, picker: QComboBox) -> None:
        """Also warn when the text's estimative words name another band than ``picker``'s
        term (its item data): checked again as either changes."""
        self.likelihood = picker
        picker.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        text = self.edit.toPlainText()
        chosen = self.likelihood.currentData() if self.likelihood is not None else None
        warnings = check_judgment(text, chosen if isinstance(chosen, str) else None)
        self.messages = [w.message for w in warnings]
        # Qt obeys a bidi override inside the editor: say what is hidden in the text.
        hidden = invisibles_sentence(text)
        shown_messages = [*self.messages, *([hidden] if hidden else [])]
        self.label.setText("\n".join(f"⚠ {message}" for message in shown_messages))
        self.label.setVisible(bool(shown_messages))
        # Layouts leave a wrapped label's height out of their minimum: claim it, so the
        # warnings push what follows down (the episode tab scrolls) instead of overlapping
        # the text above them.
        width = max(self.label.width(), self.edit.width(), 200)
        self.label.setMinimumHeight(self.label.heightForWidth(width) if shown_messages else 0)
        underline = QTextCharFormat()
        underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        underline.setUnderlineColor(QColor("#d97706"))  # amber: advice, not an error
        marks = []
        for warning in warnings:
            mark = QTextEdit.ExtraSelection()
            mark.cursor = QTextCursor(self.edit.document())
            start, end = (utf16_offset(text, offset) for offset in warning.span)
            mark.cursor.setPosition(start)
            mark.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            mark.format = underline
            marks.append(mark)
        self.edit.setExtraSelections(marks)
