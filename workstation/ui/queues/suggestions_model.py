"""The suggestion queue's item model and its two-line delegate (the suggestions dock shows
them): each row is a mention of a known entity (a Suggestion) or an assistant Proposal,
drawn as what accepting it makes and its score over the words around the match (the match in
bold), or over the passage itself (``proposal_rows``)."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from workstation.domain.text_display import shown_line
from workstation.ui.queues.proposal_rows import Parts, QueueRow, kind_of
from workstation.ui.queues.proposal_rows import parts as row_parts

SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 1
PARTS_ROLE = Qt.ItemDataRole.UserRole + 2  # (entity, score and title, before, match, after)
_LEFT, _RIGHT = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
Index = QModelIndex | QPersistentModelIndex


class TextSource(Protocol):
    """Where the model reads bodies and titles (the dock, which caches them)."""

    workspace_scope: bool

    def body(self, document_id: str) -> str: ...

    def title(self, document_id: str) -> str: ...

    def event_title(self, event_id: str) -> str: ...


class SuggestionModel(QAbstractListModel):
    def __init__(self, texts: TextSource, parent: QObject | None = None):
        super().__init__(parent)
        self._dock = texts
        self.rows: list[QueueRow] = []
        self._parts: dict[int, Parts] = {}

    def set_rows(self, rows: list[QueueRow]) -> None:
        self.beginResetModel()
        self.rows, self._parts = rows, {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role == SUGGESTION_ROLE:
            return self.rows[index.row()]
        if role not in (PARTS_ROLE, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        entity, detail, before, match, after = parts = self.parts(index.row())
        if role == PARTS_ROLE:
            return parts
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{entity} — {before}[{match}]{after}" if match else f"{entity} — {after}"
        row = self.rows[index.row()]
        reason = row.reason  # why a place or a surname was (not) read; why it is proposed
        if kind_of(row) != "mention":
            return f"{entity} ({detail})\n{shown_line(reason)}"
        tip = f"{entity} ({detail})\n…{before}{match}{after}…"
        return f"{tip}\n{shown_line(reason)}" if reason else tip

    def parts(self, row: int) -> Parts:
        if row not in self._parts:  # the words around are worked out for rows shown only
            s = self.rows[row]
            where = self._dock.title(s.document_id) if self._dock.workspace_scope else ""
            body = self._dock.body(s.document_id)
            self._parts[row] = row_parts(s, body, self._dock.event_title, where)
        return self._parts[row]


class SuggestionDelegate(QStyledItemDelegate):
    """Two lines: the entity (bold) and its score; the words around, the match in bold."""

    PAD = 4

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(240, option.fontMetrics.height() * 2 + 3 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style = item.widget.style() if item.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        entity, detail, before, match, after = index.data(PARTS_ROLE)
        bold = QFont(option.font)
        bold.setBold(True)
        plain, strong = QFontMetrics(option.font), QFontMetrics(bold)
        box = option.rect.adjusted(2 * self.PAD, self.PAD, -2 * self.PAD, -self.PAD)
        top = QRect(box.left(), box.top(), box.width(), plain.height())
        bottom = top.translated(0, plain.height() + self.PAD)
        # The headline says what accepting makes: the score, then the document's title (in
        # workspace scope) give way to it beyond a third of the row.
        detail = plain.elidedText(detail, Qt.TextElideMode.ElideRight, box.width() // 3)
        room = box.width() - plain.horizontalAdvance(detail) - 2 * self.PAD
        # One pixel of slack: elidedText elides at exactly the advance it reported.
        wide = min(strong.horizontalAdvance(match) + 1, box.width() // 2)
        side = (box.width() - wide) // 2
        elide = Qt.TextElideMode
        pieces: tuple[tuple[QFont, QRect, str, Qt.AlignmentFlag], ...] = (
            (bold, top, strong.elidedText(entity, elide.ElideRight, room), _LEFT),
            (option.font, top, detail, _RIGHT),
        )  # (font, rectangle, text, alignment)
        if match:
            pieces += (
                (option.font, bottom.adjusted(0, 0, side - box.width(), 0),
                 plain.elidedText(before, elide.ElideLeft, side), _RIGHT),
                (bold, QRect(box.left() + side, bottom.top(), wide, bottom.height()),
                 strong.elidedText(match, elide.ElideRight, wide), _LEFT),
                (option.font, bottom.adjusted(side + wide, 0, 0, 0),
                 plain.elidedText(after, elide.ElideRight, side), _LEFT),
            )  # fmt: skip
        else:  # a passage's own sentence, from the left
            pieces += (
                (
                    option.font,
                    bottom,
                    plain.elidedText(after, elide.ElideRight, box.width()),
                    _LEFT,
                ),
            )
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        colours = option.palette
        painter.setPen((colours.highlightedText() if selected else colours.text()).color())
        for font, rect, text, align in pieces:
            painter.setFont(font)
            painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()
