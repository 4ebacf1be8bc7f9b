"""Search hits as an item model, a page at a time, and the delegate that paints them.

Snippet text comes from the workspace, so it is escaped before it meets HTML and only our
own hit markers become markup.
"""

from __future__ import annotations

import html
import math
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from workstation.domain.text_display import shown, shown_line
from workstation.services import Session
from workstation.services import search as search_service
from workstation.services.errors import WorkspaceError
from workstation.services.search import MARK_END, MARK_START, PAGE_SIZE, SearchCursor, SearchFilters

Index = QModelIndex | QPersistentModelIndex
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
SNIPPET_HTML_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_ROLE = Qt.ItemDataRole.UserRole + 3

# Dark text on amber stays readable on light and dark palettes alike.
MARK_STYLE = "background-color:#ffd54f;color:#1a1a1a;font-weight:600"


def snippet_html(snippet: str) -> str:
    """Escape the text first, so nothing typed by a user can become markup; then turn our
    hit markers (control characters that escaping leaves alone) into highlight spans."""
    escaped = html.escape(" ".join(shown_snippet(snippet).split()), quote=True)
    return escaped.replace(MARK_START, f'<span style="{MARK_STYLE}">').replace(MARK_END, "</span>")


def plain_snippet(snippet: str) -> str:
    return " ".join(shown(snippet.replace(MARK_START, "").replace(MARK_END, "")).split())


def shown_snippet(snippet: str) -> str:
    """The snippet as every surface shows text, its hit markers kept (they are control
    characters, which the display policy would otherwise turn into marks). Line breaks stay
    line breaks here: the callers fold all white space into single spaces."""
    return MARK_END.join(
        MARK_START.join(shown(piece) for piece in part.split(MARK_START))
        for part in snippet.split(MARK_END)
    )


class SearchModel(QAbstractListModel):
    """Hits of one query, a page at a time: ``fetchMore`` asks the workspace for the next."""

    failed = Signal(str)
    exhausted = Signal()  # a fetch found no further page: ``canFetchMore`` turned false

    def __init__(
        self, session: Session, parent: QObject | None = None, *, page_size: int = PAGE_SIZE
    ):
        super().__init__(parent)
        self._session = session
        self._page_size = page_size
        self._hits: list[search_service.SearchHit] = []
        self._text = ""
        self._filters = SearchFilters()
        self._cursor = SearchCursor()
        self._more = False
        self.rank_anyway = False
        self.newest_first = False  # the current results are newest first, not ranked

    def set_query(
        self, text: str, filters: SearchFilters | None = None, *, rank_anyway: bool = False
    ) -> None:
        self._text, self._filters = text, filters or SearchFilters()
        self.rank_anyway = rank_anyway
        page = self._next_page(SearchCursor())
        self.newest_first = bool(page and page.newest_first)
        self.beginResetModel()
        self._hits = list(page.hits) if page else []
        self._cursor = page.next_cursor if page else SearchCursor()
        self._more = bool(page and page.has_more)
        self.endResetModel()

    def refresh(self) -> None:
        """Run the current query again from its first page (after an edit)."""
        self.set_query(self._text, self._filters)

    @property
    def query_text(self) -> str:
        return self._text

    def hit(self, row: int) -> search_service.SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def _next_page(self, cursor: SearchCursor) -> search_service.SearchPage | None:
        try:
            return self._session.search.page(
                self._text,
                self._filters,
                cursor,
                limit=self._page_size,
                rank_anyway=self.rank_anyway,
            )
        except WorkspaceError as exc:
            self.failed.emit(str(exc))
            return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._hits)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        page = self._next_page(self._cursor)
        self._more = bool(page and page.has_more)
        if page is None or not page.hits:
            self.exhausted.emit()  # no rows inserted, yet "more" changed
            return
        self._cursor = page.next_cursor
        first = len(self._hits)
        self.beginInsertRows(QModelIndex(), first, first + len(page.hits) - 1)
        self._hits.extend(page.hits)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return shown_line(hit.title)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            title = shown_line(hit.title)
            return f"{self.hit_label(hit)}: {title} — {plain_snippet(hit.snippet)}"
        if role == HIT_ROLE:
            return hit
        if role == SNIPPET_HTML_ROLE:
            return snippet_html(hit.snippet)
        if role == KIND_ROLE:
            return self.hit_label(hit)
        return None

    def hit_label(self, hit: search_service.SearchHit) -> str:
        """The kind, and whether the hit lies in an earlier version of its article."""
        label = self.kind_label(hit.kind)
        if hit.earlier_version:
            label = self.tr("{kind} · earlier version").format(kind=label)
        return label

    def kind_label(self, kind: str) -> str:
        labels = {
            "document": self.tr("Document"),
            "passage": self.tr("Passage"),
            "entity": self.tr("Entity"),
        }
        return labels.get(kind, kind)


class SnippetDelegate(QStyledItemDelegate):
    """Kind and title on one line, the snippet with its hits highlighted on two below."""

    PADDING = 5

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._document = QTextDocument(self)
        self._document.setDocumentMargin(0)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(160, option.fontMetrics.lineSpacing() * 3 + 2 * self.PADDING + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_colour = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = text_colour if selected else opt.palette.color(QPalette.ColorRole.PlaceholderText)
        rect = opt.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        line = opt.fontMetrics.lineSpacing()
        painter.save()
        small = QFont(opt.font)
        small.setPointSizeF(max(6.0, opt.font.pointSizeF() * 0.85))
        small.setCapitalization(QFont.Capitalization.AllUppercase)
        painter.setFont(small)
        painter.setPen(muted)
        kind = str(index.data(KIND_ROLE) or "")
        kind_width = QFontMetrics(small).horizontalAdvance(kind.upper()) + self.PADDING * 2
        header = QRect(rect.left(), rect.top(), rect.width(), line)
        painter.drawText(header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, kind)
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        title = QFontMetrics(bold).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            max(0, rect.width() - kind_width),
        )
        painter.drawText(
            header.adjusted(kind_width, 0, 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )
        self._document.setDefaultFont(opt.font)
        self._document.setHtml(str(index.data(SNIPPET_HTML_ROLE) or ""))
        self._document.setTextWidth(rect.width())
        painter.translate(rect.left(), rect.top() + line)
        visible = _whole_lines_height(self._document, rect.height() - line)
        painter.setClipRect(QRect(0, 0, rect.width(), visible))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, text_colour)
        self._document.documentLayout().draw(painter, context)
        painter.restore()


def _whole_lines_height(document: QTextDocument, available: int) -> int:
    """Height of the laid-out lines that fit entirely in ``available`` pixels, so a clipped
    snippet never shows the top sliver of a line it cannot show."""
    layout = document.documentLayout()
    fitted = 0.0
    block = document.begin()
    while block.isValid():
        top = layout.blockBoundingRect(block).top()
        lines = block.layout()
        for number in range(lines.lineCount()):
            bottom = top + lines.lineAt(number).rect().bottom()
            if bottom > available:
                return math.ceil(fitted)
            fitted = bottom
        block = block.next()
    return math.ceil(fitted)
