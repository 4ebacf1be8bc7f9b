"""The library's windowed table model: 100k documents without holding them.

``rowCount()`` is one SQL count, cached until something changes, and ``data()`` fetches the
fixed-size page a row falls in, keeping a few pages in a small LRU cache: jumping to row
90,000 costs one page query, with no ``fetchMore`` paging through everything before it.
Sorting and filtering are SQL (a QSortFilterProxyModel took 25 s to sort 100k rows,
docs/architecture.md).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QPalette

from workstation.domain.document_details import format_published
from workstation.domain.grades import CREDIBILITY, RELIABILITY, format_grade
from workstation.domain.text_display import shown, shown_line
from workstation.services.library import LibraryQuery, LibraryRow, LibraryService

PAGE_ROWS = 200
CACHED_PAGES = 12
Index = QModelIndex | QPersistentModelIndex
_Role = Qt.ItemDataRole


class LibraryModel(QAbstractTableModel):
    # Marked for lupdate here, translated in headerData (context: the class name).
    COLUMNS = (
        QT_TRANSLATE_NOOP("LibraryModel", "Title"),
        QT_TRANSLATE_NOOP("LibraryModel", "Outlet"),
        QT_TRANSLATE_NOOP("LibraryModel", "Published"),
        QT_TRANSLATE_NOOP("LibraryModel", "Grade"),
        QT_TRANSLATE_NOOP("LibraryModel", "Passages"),
    )
    SORT_KEYS = ("title", "outlet", "published", "grade", "passages")  # by column
    GRADE = 3
    PASSAGES = 4
    IdRole = _Role.UserRole

    def __init__(self, library: LibraryService, parent: QObject | None = None):
        super().__init__(parent)
        self._library = library
        self._query = LibraryQuery()  # newest added first until a header is clicked
        self._count: int | None = None
        self._pages: OrderedDict[int, list[LibraryRow]] = OrderedDict()
        self.page_queries = 0  # how many pages were read from the workspace (tests, bench)
        # Set by the dock (grade_delegate.install_grade_editing) to make grades editable:
        # (document id, reliability, credibility) -> saved. The model never writes itself.
        self.grade_setter: Callable[[str, str, str], bool] | None = None

    @property
    def query(self) -> LibraryQuery:
        return self._query

    def set_query(self, query: LibraryQuery) -> None:
        if query == self._query:
            return
        same_rows = (query.text, query.outlet) == (self._query.text, self._query.outlet)
        self._reset(keep_count=same_rows, query=query)  # a new order: same rows, same count

    def set_filter(self, text: str, outlet: str | None = None) -> None:
        q = self._query
        self.set_query(LibraryQuery(text.strip(), outlet, q.sort, q.descending))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        q = self._query
        if 0 <= column < len(self.SORT_KEYS):
            descending = order == Qt.SortOrder.DescendingOrder
            self.set_query(LibraryQuery(q.text, q.outlet, self.SORT_KEYS[column], descending))
        else:  # the sort indicator was cleared: back to newest added first
            self.set_query(LibraryQuery(q.text, q.outlet))

    def invalidate(self) -> None:
        """Forget the count and every page: the documents changed."""
        self._reset(keep_count=False)

    def passages_changed(self) -> None:
        """Passage counts changed but no document did: repaint that column in place, so
        selection and scroll position stay (unless the rows are ordered by it)."""
        if self._query.sort == "passages":
            self._reset(keep_count=True)
            return
        self._pages.clear()
        last = self.rowCount() - 1
        if last >= 0:
            column = self.PASSAGES
            self.dataChanged.emit(self.index(0, column), self.index(last, column))

    def _reset(self, *, keep_count: bool, query: LibraryQuery | None = None) -> None:
        self.beginResetModel()  # views still read the old rows while it is announced
        if query is not None:
            self._query = query
        self._pages.clear()
        if not keep_count:
            self._count = None
        self.endResetModel()

    # -- reading ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        if parent.isValid():
            return 0
        if self._count is None:
            self._count = self._library.count(self._query)
        return self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def row(self, row: int) -> LibraryRow | None:
        if not 0 <= row < self.rowCount():
            return None
        number = row // PAGE_ROWS
        page = self._pages.get(number)
        if page is None:
            page = self._library.page(self._query, number * PAGE_ROWS, PAGE_ROWS)
            self.page_queries += 1
            self._pages[number] = page
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        offset = row - number * PAGE_ROWS
        return page[offset] if offset < len(page) else None

    def document_id(self, row: int) -> str | None:
        found = self.row(row)
        return found.id if found else None

    def row_of(self, document_id: str) -> int | None:
        """The row listing ``document_id`` (one SQL query), or None if it is not listed."""
        return self._library.position(self._query, document_id)

    def data(self, index: Index, role: int = _Role.DisplayRole) -> Any:
        if not index.isValid() or role not in _ROLES:
            return None
        found = self.row(index.row())
        if found is None:
            return None
        column = index.column()
        if role == _Role.DisplayRole:
            value = _cells(found)[column]
            return shown_line(value) if isinstance(value, str) else value
        if role == self.IdRole:
            return found.id
        proposed = _PROPOSED_FIELD.get(column) in found.proposed
        if role == _Role.ToolTipRole:
            if column == 3:
                return _grade_tip(found)
            if proposed:
                return self.tr(
                    "{value}\nProposed from the article's first lines, not yet confirmed: "
                    "check it in Document details (F2)"
                ).format(value=format_published(found.published) if column else shown(found.title))
            if column == 2 and found.published:
                return format_published(found.published)
            if column == 0 and found.superseded:
                note = self.tr("Earlier version: a newer version of this article was imported")
                return f"{shown(found.title)}\n{note}"
            if column in (0, 1):  # a narrow column cuts a title or an outlet: all on hover
                return shown(found.title if column == 0 else found.outlet or "") or None
            return None
        if role == _Role.FontRole:
            return _earlier_font() if found.superseded or proposed else None
        if role == _Role.ForegroundRole:
            if proposed and not found.superseded:
                return _proposed_brush()
            return _earlier_brush() if found.superseded else None
        return _ALIGNMENT.get(column)  # TextAlignmentRole

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.GRADE and self.grade_setter is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = _Role.EditRole) -> bool:
        """``value`` is (reliability, credibility); saving is the dock's ``grade_setter``."""
        if role != _Role.EditRole or self.grade_setter is None or not index.isValid():
            return False
        found = self.row(index.row())
        if found is None or index.column() != self.GRADE:
            return False
        reliability, credibility = value
        return self.grade_setter(found.id, reliability, credibility)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _Role.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == _Role.DisplayRole:
            return self.tr(str(self.COLUMNS[section]))  # QT_TRANSLATE_NOOP is typed object
        if role == _Role.ToolTipRole and section == 3:
            return self.tr("Admiralty grade: source reliability (A–F), credibility (1–6)")
        if role == _Role.ToolTipRole:  # a narrow column cuts its header: whole on hover
            return self.tr(str(self.COLUMNS[section]))
        return None


_ALIGNMENT = {
    3: int(Qt.AlignmentFlag.AlignCenter),  # grades read as a column of codes
    LibraryModel.PASSAGES: int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
}
_ROLES = {
    _Role.DisplayRole,
    _Role.ToolTipRole,
    _Role.TextAlignmentRole,
    _Role.FontRole,
    _Role.ForegroundRole,
    LibraryModel.IdRole,
}


# Earlier versions stay listed (their passages may still await review) but read as past.
def _earlier_font() -> QFont:
    font = QFont()  # made on demand: a QFont wants the application to exist
    font.setItalic(True)
    return font


def _earlier_brush() -> QBrush:
    return QGuiApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)


# A proposed detail (read from the article's first lines at import, not yet confirmed) is
# shown in italics, in the link colour, with a tooltip saying so; saving the details clears it.
_PROPOSED_FIELD = {0: "title", 2: "published"}


def _proposed_brush() -> QBrush:
    return QGuiApplication.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.Link)


def _cells(row: LibraryRow) -> tuple[object, ...]:
    grade = format_grade(row.reliability, row.credibility)
    # The day only: a time and zone (2021-04-16T14:30+03:00) are in the tooltip.
    published = (row.published or "")[:10]
    return row.title, row.outlet or "", published, grade, row.passages


def _grade_tip(row: LibraryRow) -> str:
    grade = format_grade(row.reliability, row.credibility)  # two letters, e.g. "B2"
    reliability, credibility = grade[0], grade[1]
    return f"{reliability}: {RELIABILITY[reliability]} · {credibility}: {CREDIBILITY[credibility]}"
