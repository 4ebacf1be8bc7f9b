"""Small widgets of the suggestions dock: a push button whose count never widens the dock,
and the plain-text panel that says why the current row is proposed."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

# The panel's height in lines: at least two (the row and why), at first four; the officer
# drags the splitter above it for an event draft's fields, which scroll meanwhile.
EXPLANATION_LINES = 4
EXPLANATION_MIN_LINES = 2


class SteadyButton(QPushButton):
    """A push button whose minimum width is that of a fixed floor text ("Accept all"), not
    of the text it shows ("Accept all 128"): a changing count never widens the dock (nor
    moves a restored layout). Squeezed below its text, it paints the text elided; ``text()``
    stays whole (the tooltip says the rest)."""

    def __init__(self, text: str, floor: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._floor = floor
        # A push button's policy is Minimum (its size hint is its floor): Preferred lets it
        # shrink to minimumSizeHint.
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)

    def _hint(self, text: str) -> QSize:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = text
        metrics = self.fontMetrics()
        inner = QSize(metrics.horizontalAdvance(text), max(metrics.height(), 14))
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option, inner, self)

    def minimumSizeHint(self) -> QSize:
        return self._hint(self._floor)

    def paintEvent(self, event: QPaintEvent) -> None:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        metrics = self.fontMetrics()
        padding = self._hint(self.text()).width() - metrics.horizontalAdvance(self.text())
        room = max(self.width() - padding, 0)
        option.text = metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, room)
        QStylePainter(self).drawControl(QStyle.ControlElement.CE_PushButton, option)


class ExplanationPanel(QPlainTextEdit):
    """Why the current row is proposed. Plain text only: document words never become
    markup here (a QLabel would guess rich text from a "<b>" in an article)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.height_for(EXPLANATION_MIN_LINES))

    def height_for(self, lines: int) -> int:
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() + margins.top() + margins.bottom()
        spacing = self.fontMetrics().lineSpacing() * lines
        return spacing + frame + 2 * int(self.document().documentMargin())

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height_for(EXPLANATION_LINES))

    def show_text(self, text: str) -> None:
        if text != self.toPlainText():
            self.setPlainText(text)
