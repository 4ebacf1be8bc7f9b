"""How the reader is driven: its text pane's clicks and keys, its context menu, its actions.

Keys while the text has focus: with text selected, a category's key (Category.shortcut, 1–9 by
default) marks the selection; Delete removes the selected passage. The actions registered here
add Ctrl+] / F8 (next passage) and Ctrl+[ / Shift+F8 (previous passage).

The context menu is built by a function (not inside contextMenuEvent) so tests can inspect and
trigger it without opening it: ``QMenu.exec`` would block an offscreen test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QResizeEvent,
    QTextBlock,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from workstation.ui.actions import ActionRegistry, ActionSpec

if TYPE_CHECKING:
    from workstation.ui.reader import ReaderView

QUOTE_CHARS = 40  # how much of a passage the menu shows
# A key pressed with these held is a shortcut, never a category key.
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReaderMenu", text)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


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

    def paintEvent(self, event) -> None:
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

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            self.click_at(self.cursorForPosition(event.position().toPoint()).position())

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
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = build_context_menu(self._view, event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()


def register_reader_actions(view: ReaderView, registry: ActionRegistry) -> None:
    walks = (
        ("actionNextPassage", _tr("&Next passage"), ("Ctrl+]", "F8"), view.next_passage),
        (
            "actionPreviousPassage",
            _tr("&Previous passage"),
            ("Ctrl+[", "Shift+F8"),
            view.previous_passage,
        ),
    )
    for name, text, keys, slot in walks:
        tip = (
            _tr("Select and show the next passage")
            if "Next" in name
            else _tr("Select and show the previous passage")
        )
        action = registry.register(
            ActionSpec(name, text, keys[0], tip), lambda _=False, walk=slot: walk()
        )
        action.setShortcuts([QKeySequence(key) for key in keys])
    registry.register(
        ActionSpec(
            "actionDeletePassage",
            _tr("&Delete passage"),
            QKeySequence.StandardKey.Delete,
            _tr("Delete the selected passage (undoable)"),
        ),
        lambda _=False: view.delete_selected_passage(),
    )
    registry.register(
        ActionSpec(
            "actionDeletePassagesInSelection",
            _tr("Delete passages in selec&tion"),
            "Ctrl+Shift+Del",
            _tr("Delete every passage inside the selected text, as one undo step"),
        ),
        lambda _=False: view.delete_passages_in_selection(),
    )


def build_context_menu(view: ReaderView, pos: QPoint) -> QMenu:
    """The menu for a right-click at ``pos`` (viewport coordinates) in the reader's text."""
    menu = view.text.createStandardContextMenu(pos)
    menu.setObjectName("readerContextMenu")
    copy = menu.findChild(QAction, "edit-copy")
    if copy is not None:  # the stored text, as Ctrl+C copies it
        copy.triggered.disconnect()
        copy.triggered.connect(lambda _=False: view.text.copy_stored())
    standard = menu.actions()
    first_standard = standard[0] if standard else None
    ours: list[QAction] = []

    if view.selection_span() is not None:
        ours.append(_section(menu, _tr("Mark selection as")))
        for number, category in enumerate(view.categories):
            label = category.name + (f"\t{category.shortcut}" if category.shortcut else "")
            action = QAction(label, menu)
            action.setObjectName(f"markAsCategory{number}")
            action.setData(category.id)
            action.triggered.connect(lambda _=False, cid=category.id: view.annotate_selection(cid))
            ours.append(action)

    marks = view.marks
    units = view.text.cursorForPosition(pos).position()
    under = marks.under(view.to_codepoint(units))
    if under:
        ours.append(_section(menu, _tr("Passages here")))
        names = {c.id: c.name for c in view.categories}
        for number, passage_id in enumerate(under):
            span = marks.spans[passage_id]
            category = names.get(marks.category_of[passage_id], _tr("Uncategorised"))
            quote = _quote(marks.body[span.start : span.end])
            action = QAction(f"{category}: “{quote}”", menu)
            action.setObjectName(f"selectPassage{number}")
            action.setData(passage_id)
            action.setCheckable(True)
            action.setChecked(passage_id == view.selected_passage)
            action.triggered.connect(
                lambda _=False, pid=passage_id: view.select_passage(pid, scroll=False)
            )
            ours.append(action)

    if view.selected_passage is not None:
        delete = QAction(_tr("Delete selected passage"), menu)
        delete.setObjectName("deleteSelectedPassage")
        delete.triggered.connect(lambda _=False: view.delete_selected_passage())
        ours.append(delete)

    if ours:
        ours.append(_separator(menu))
        menu.insertActions(first_standard, ours)
    return menu


def _section(menu: QMenu, title: str) -> QAction:
    action = QAction(title, menu)
    action.setEnabled(False)  # a heading, not a command
    return action


def _separator(menu: QMenu) -> QAction:
    action = QAction(menu)
    action.setSeparator(True)
    return action


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
        x1 = origin.x() + line.cursorToX(left)[0]
        x2 = origin.x() + line.cursorToX(right)[0]
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
