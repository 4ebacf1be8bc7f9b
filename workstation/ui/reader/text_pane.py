"""The reader's text pane: hands clicks, keys and the context menu to its view, and draws
the outline of the selected passage over the highlights.

Keys while the text has focus: with text selected, a category's key (Category.shortcut, 1–9 by
default) marks the selection; Delete removes the selected passage; Copy copies the stored text.

Selections: a mouse selection (drag, double-click, Shift+click) is snapped to whole words when
Edit → Snap selections to words is on (the default; ``word_snap.snap_to_words``): a hand lands
a character off, so the release snaps it. Keyboard selections (Shift+arrows, Shift+Ctrl+arrows)
are never snapped: keys are precise, and the officer who reaches for them means the character
they stop on. Shift+click and Shift+arrows extend any selection: a dragged or double-clicked
one, and the selected passage (outlined, no text selected), which they start from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit

from workstation.ui.reader.commands import build_context_menu

if TYPE_CHECKING:
    from workstation.ui.reader.view import ReaderView

# A key pressed with these held is a shortcut, never a category key.
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


_FORWARD_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_End, Qt.Key.Key_PageDown)
_SELECTING_KEYS = (
    *_FORWARD_KEYS,
    Qt.Key.Key_Left,
    Qt.Key.Key_Up,
    Qt.Key.Key_Home,
    Qt.Key.Key_PageUp,
)


def _extends_by_key(event: QKeyEvent) -> bool:
    """Shift (with or without Ctrl) and a key that moves the caret: extends the selection."""
    held = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    shift = Qt.KeyboardModifier.ShiftModifier
    return event.key() in _SELECTING_KEYS and held in (
        shift,
        shift | Qt.KeyboardModifier.ControlModifier,
    )


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReaderMenu", text)


class ReaderText(QPlainTextEdit):
    """The text pane: hands clicks, keys and the context menu to its view; draws the outline of
    the selected passage over the highlights."""

    paletteChanged = Signal()  # light ↔ dark: the highlight tints must follow

    def __init__(self, view: ReaderView):
        super().__init__(view)
        self._view = view
        self._last_click: int | None = None  # code point of the last click on a passage
        self.setObjectName("reader")
        self.setAccessibleName(_tr("Reader"))
        self.setAccessibleDescription(
            _tr("Select text and press a category's key (1–9) to mark it as a passage")
        )
        self.setPlaceholderText(_tr("Open a document from the library to read it here."))
        self.setReadOnly(True)
        # Keyboard selection too, so passages can be marked without a mouse.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.document().setDocumentMargin(10)
        self.document().setUndoRedoEnabled(False)

    def copy_stored(self) -> None:
        """Copy the selection as stored: a very long line is laid out broken at spaces.

        Not an override of ``createMimeDataFromSelection``: a QMimeData made in Python and
        left on the clipboard crashes the interpreter at exit (PySide6 6.11)."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return
        view = self._view
        start = view.to_codepoint(cursor.selectionStart())
        end = view.to_codepoint(cursor.selectionEnd(), towards_end=True)
        QGuiApplication.clipboard().setText(view.body[start:end])

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        units = self._view.selected_units()
        if units is not None:
            paint_outline(self, *units, self.palette().highlight().color())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.paletteChanged.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._view.format_visible()  # a taller or narrower view shows more blocks

    def mousePressEvent(self, event: QMouseEvent) -> None:
        shift_click = (
            event.button() == Qt.MouseButton.LeftButton
            and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
        )
        if not shift_click:
            super().mousePressEvent(event)
            return
        # Qt extends from the word of the last double-click, even after another selection
        # was made since (by keys, a drag or a search hit): extend from what is selected now.
        units = self.cursorForPosition(event.position().toPoint()).position()
        self.extend_selection(units)
        event.accept()

    def extend_selection(self, units: int) -> None:
        """Extend the selection to the UTF-16 position ``units`` (Shift+click): the text
        selection from its anchor, else the selected passage from its far end, else from the
        caret."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            cursor = self._passage_cursor(forward=units >= cursor.position()) or cursor
        cursor.setPosition(units, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def _passage_cursor(self, *, forward: bool) -> QTextCursor | None:
        """The selected passage as a text selection, anchored at its start (``forward``) or
        its end: where Shift+click and Shift+arrows start from when no text is selected."""
        units = self._view.selected_units()
        if units is None:
            return None
        cursor = QTextCursor(self.document())
        start, end = units
        cursor.setPosition(start if forward else end)
        cursor.setPosition(end if forward else start, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if not self.textCursor().hasSelection():
            self.click_at(self.cursorForPosition(event.position().toPoint()).position())
        elif self._view.snap_to_words:  # a drag, a double-click or a Shift+click: the mouse
            self._view.snap_selection()

    def click_at(self, units: int) -> None:
        """A click at a UTF-16 position: select the passage there, or the next one stacked
        under it when the same spot is clicked again; a click on plain text deselects."""
        view = self._view
        codepoint = view.to_codepoint(units)
        under = view.marks.under(codepoint)
        if not under:
            if view.selected_passage is not None:
                view.select_passage(None)
            self._last_click = None
            return
        choice = under[0]
        if self._last_click == codepoint and view.selected_passage in under:
            choice = under[(under.index(view.selected_passage) + 1) % len(under)]
        self._last_click = codepoint
        view.select_passage(choice, scroll=False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        marking = (
            not (event.modifiers() & _COMMAND_MODIFIERS)
            and event.text()
            and self.textCursor().hasSelection()
        )
        if marking and self._view.annotate_with_key(event.text()):
            return
        if event.matches(QKeySequence.StandardKey.Delete) and self._view.delete_selected_passage():
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_stored()
            return
        if _extends_by_key(event) and not self.textCursor().hasSelection():
            # Shift+arrows with a passage selected start from the passage, not the caret.
            forward = event.key() in _FORWARD_KEYS
            cursor = self._passage_cursor(forward=forward)
            if cursor is not None:
                self.setTextCursor(cursor)
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = build_context_menu(self._view, event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()


# -- the selected passage's outline -------------------------------------------------------


def range_outline(edit: QPlainTextEdit, start_units: int, end_units: int) -> QPainterPath:
    """The on-screen outline (viewport coordinates) of a UTF-16 range, visible lines only."""
    path = QPainterPath()
    offset = edit.contentOffset()
    height = edit.viewport().height()
    block = edit.firstVisibleBlock()
    while block.isValid() and block.position() <= end_units:
        top = edit.blockBoundingGeometry(block).translated(offset).top()
        if top > height:
            break
        block_end = block.position() + block.length() - 1
        if block.isVisible() and block_end >= start_units:
            _add_block_lines(path, block, top, start_units, end_units)
        block = block.next()
    return path


def _add_block_lines(
    path: QPainterPath, block: QTextBlock, top: float, start: int, end: int
) -> None:
    layout = block.layout()
    origin = layout.position()
    local_start = max(0, start - block.position())
    local_end = min(block.length() - 1, end - block.position())
    for number in range(layout.lineCount()):
        line = layout.lineAt(number)
        line_start = line.textStart()
        line_end = line_start + line.textLength()
        left, right = max(local_start, line_start), min(local_end, line_end)
        if left >= right:
            continue
        # cursorToX returns (x, position); the stubs say object
        x1 = origin.x() + line.cursorToX(left)[0]  # type: ignore[index]
        x2 = origin.x() + line.cursorToX(right)[0]  # type: ignore[index]
        y = top + origin.y() + line.y()
        rect = QRectF(QPointF(x1, y), QPointF(x2, y + line.height()))
        path.addRoundedRect(rect.adjusted(-1.5, 0.5, 1.5, -0.5), 3, 3)


def paint_outline(edit: QPlainTextEdit, start_units: int, end_units: int, colour: QColor) -> None:
    """Draw a rounded outline around a range on the viewport (the selected passage)."""
    path = range_outline(edit, start_units, end_units)
    if path.isEmpty():
        return
    painter = QPainter(edit.viewport())
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(colour, 2))
    painter.drawPath(path.simplified())
    painter.end()
