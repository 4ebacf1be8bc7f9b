"""A warning under text editors whose text holds invisible characters.

Lists, the reader and the brief show invisible characters as marks (⟨RLO⟩, ⟨ZWSP⟩), but an
editor must hold the stored text itself, and Qt obeys a bidi override there: "targets ⟨RLO⟩23"
is edited as "targets 32". So under such an editor this label says what is hidden in it, in
the same words the reader uses, while the officer types.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from workstation.domain.text_display import invisibles_sentence

Editor = QLineEdit | QPlainTextEdit


def _text(edit: Editor) -> str:
    return edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()


class InvisiblesWarning(QLabel):
    """Amber ⚠ lines for the watched editors that hold invisible characters; hidden else."""

    def __init__(self, editors: dict[str, Editor], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("invisiblesWarning")
        self.setAccessibleName(self.tr("Invisible characters in the text being edited"))
        self.setWordWrap(True)
        self.setStyleSheet("color: #9a5b00;")  # amber: advice, not an error
        self.editors = editors
        for edit in editors.values():
            edit.textChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        lines = []
        for name, edit in self.editors.items():
            sentence = invisibles_sentence(_text(edit))
            if sentence:
                lines.append(f"⚠ {name}: {sentence}" if len(self.editors) > 1 else f"⚠ {sentence}")
        self.setText("\n".join(lines))
        self.setVisible(bool(lines))
