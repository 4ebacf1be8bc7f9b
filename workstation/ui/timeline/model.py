"""The timeline as an item model: the timeline service's rows as a tree, each answer a
child of the event it answers."""

from __future__ import annotations

from typing import Any, overload

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtCore import QPersistentModelIndex as PersistentIndex

from workstation.domain.text_display import shown, shown_line
from workstation.services.timeline import TimelineRow

Index = QModelIndex | PersistentIndex
EVENT_ROLE = Qt.ItemDataRole.UserRole


class TimelineModel(QAbstractItemModel):
    """Rows of the timeline service as a tree: an answer is a child of the event it answers.
    Each index carries its row's number in ``rows`` as its internal id."""

    COLUMNS = ("Event", "Date", "Kind", "Actor → target")  # the first shows the chains

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[TimelineRow] = []
        self._children: dict[str | None, list[int]] = {}  # parent event id → row numbers
        self._number: dict[str, int] = {}  # event id → row number
        self._sibling: dict[int, int] = {}  # row number → its row under its parent

    def set_rows(self, rows: list[TimelineRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._number = {row.event_id: n for n, row in enumerate(self.rows)}
        self._children, self._sibling = {}, {}
        for number, row in enumerate(self.rows):
            siblings = self._children.setdefault(row.parent_id, [])
            self._sibling[number] = len(siblings)
            siblings.append(number)
        self.endResetModel()

    def row_at(self, index: Index) -> TimelineRow | None:
        return self.rows[index.internalId()] if index.isValid() else None

    def index_of(self, event_id: str | None) -> QModelIndex:
        number = self._number.get(event_id or "")
        return (
            QModelIndex() if number is None else self.createIndex(self._sibling[number], 0, number)
        )

    def _under(self, parent: Index) -> list[int]:
        row = self.row_at(parent)
        return self._children.get(row.event_id if row else None, [])

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._under(parent)[row])

    @overload
    def parent(self) -> QObject | None: ...
    @overload
    def parent(self, index: Index) -> QModelIndex: ...
    def parent(self, index: Index | None = None) -> QObject | QModelIndex | None:
        if index is None:  # QObject.parent()
            return super().parent()
        row = self.row_at(index)
        return self.index_of(row.parent_id) if row is not None else QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.column() > 0 else len(self._under(parent))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # The header's tooltip is its whole text: a narrow column cuts "Actor → target".
        roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        shown = orientation == Qt.Orientation.Horizontal and role in roles
        return self.tr(self.COLUMNS[section]) if shown and 0 <= section < 4 else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            title = ("↳ " if row.responds_to else "") + shown_line(row.title)
            kind = self.tr(row.kind.capitalize())
            return (title, row.date_label, kind, who(row))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{row.date_label} · {shown_line(row.title)}", who(row), shown(row.summary)]
            if (answered := self._number.get(row.responds_to or "")) is not None:
                answered_title = shown_line(self.rows[answered].title)
                lines.append(self.tr("Answers: {title}").format(title=answered_title))
            return "\n".join(line for line in lines if line)
        return row.event_id if role == EVENT_ROLE else None


def who(row: TimelineRow) -> str:
    if not (row.actor or row.target):
        return ""
    return f"{shown_line(row.actor or '?')} → {shown_line(row.target or '?')}"
