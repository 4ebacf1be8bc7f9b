"""The entities dock's item models: the registry a page at a time (editable in place), and
the passages mentioning one entity as keyword-in-context rows."""

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
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from workstation.domain.text_display import invisibles_sentence, shown, shown_line
from workstation.services.entity_registry import (
    SORT_KEYS,
    EntityPassage,
    EntityRegistry,
    EntityRow,
    LookAlikeFlags,
)

# A page is a screenful or two: each page counts its entities' passages, a lookup per
# mention (200-row pages made each keystroke of the filter ~60 ms at 5k entities and 100k
# mentions; 64-row pages ~40 ms).
PAGE_ROWS = 64
CACHED_PAGES = 16
_Role = Qt.ItemDataRole
Index = QModelIndex | QPersistentModelIndex
# A narrow column cuts its header: the whole header on hover.
_HEADER_ROLES = (_Role.DisplayRole, _Role.ToolTipRole)
# By column: the header (marked for lupdate, translated in headerData), the registry's sort
# key and the entity field edited in place (None: read only). The passage count sits by
# the name so a narrow dock still shows it.
COLUMNS = (
    (QT_TRANSLATE_NOOP("EntityTableModel", "Kind"), "kind", None),
    (QT_TRANSLATE_NOOP("EntityTableModel", "Name"), "name", "name"),
    (QT_TRANSLATE_NOOP("EntityTableModel", "Passages"), "passages", None),
    (QT_TRANSLATE_NOOP("EntityTableModel", "Aliases"), "aliases", "aliases"),
    (QT_TRANSLATE_NOOP("EntityTableModel", "Country"), "country", "country"),
    (QT_TRANSLATE_NOOP("EntityTableModel", "Wikidata"), "wikidata", "wikidata_id"),
    (QT_TRANSLATE_NOOP("EntityTableModel", "Description"), "description", "description"),
)
NAME, PASSAGES = 1, 2
FIELDS = tuple(field for _header, _key, field in COLUMNS)
assert {key for _header, key, _field in COLUMNS} == set(SORT_KEYS)


def parse_field(field: str, text: str) -> object:
    """A field's value from what was typed: aliases as "a; b; c", blanks as None."""
    if field == "aliases":
        return [alias.strip() for alias in text.split(";") if alias.strip()]
    if field in ("country", "wikidata_id"):
        return text.strip() or None
    return text.strip() if field == "name" else text


def _cells(row: EntityRow) -> tuple[object, ...]:
    aliases = "; ".join(row.aliases)
    country, wikidata = row.country or "", row.wikidata_id or ""
    return row.kind, row.name, row.passages, aliases, country, wikidata, row.description


def look_alike_tip(flags: LookAlikeFlags) -> str:
    """Why an entity is flagged, in the officer's words."""
    lines = [
        f"“{shown_line(name)}” mixes letters of different scripts (look-alike letters)"
        for name in flags.mixed_script
    ]
    lines += [
        f"“{shown_line(twin.looks_like)}” looks like “{shown_line(twin.label)}” of "
        f"{shown_line(twin.entity_name)}: a duplicate, or a disguise?"
        for twin in flags.twins
    ]
    return "\n".join(lines)


class EntityTableModel(QAbstractTableModel):
    """Entities a page at a time, in SQL order, under SQL filtering (see storage/entities)."""

    IdRole = _Role.UserRole

    def __init__(
        self,
        registry: EntityRegistry,
        edit: Callable[[str, str, object], bool],
        parent: QObject | None,
    ):
        super().__init__(parent)
        self._registry, self._edit = registry, edit
        self.text, self.sort_key, self.descending = "", "name", False
        self._count: int | None = None
        self._pages: OrderedDict[int, list[EntityRow]] = OrderedDict()
        # Entity id → look-alike flags (mixed scripts, twins); one registry pass per refresh.
        self._flags: dict[str, LookAlikeFlags] | None = None

    def set_filter(self, text: str) -> None:
        if text.strip() != self.text:
            self.text = text.strip()
            self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else "name"
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, descending
            self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._count = None
        self._pages.clear()
        self._flags = None
        self.endResetModel()

    def look_alike(self, entity_id: str) -> LookAlikeFlags | None:
        if self._flags is None:
            self._flags = self._registry.look_alike_flags()
        return self._flags.get(entity_id)

    def counts_changed(self) -> None:
        """Passages were linked or unlinked: repaint the counts in place, so selection,
        editors and scroll position stay (the pages are re-read as they are painted)."""
        self._pages.clear()
        last = self.rowCount() - 1
        if last >= 0:
            self.dataChanged.emit(self.index(0, PASSAGES), self.index(last, PASSAGES))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        if parent.isValid():
            return 0
        if self._count is None:
            self._count = self._registry.count(self.text)
        return self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def row(self, row: int) -> EntityRow | None:
        if not 0 <= row < self.rowCount():
            return None
        number, offset = divmod(row, PAGE_ROWS)
        if number not in self._pages:
            self._pages[number] = self._registry.rows(
                self.text,
                sort=self.sort_key,
                descending=self.descending,
                offset=number * PAGE_ROWS,
                limit=PAGE_ROWS,
            )
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        self._pages.move_to_end(number)
        page = self._pages[number]
        return page[offset] if offset < len(page) else None

    def entity_id(self, row: int) -> str | None:
        found = self.row(row)
        return found.id if found else None

    def row_of(self, entity_id: str) -> int | None:
        return self._registry.position(
            entity_id, self.text, sort=self.sort_key, descending=self.descending
        )

    def data(self, index: Index, role: int = _Role.DisplayRole) -> Any:
        found = self.row(index.row()) if index.isValid() else None
        if found is None:
            return None
        column = index.column()
        if role == _Role.EditRole:  # edited as stored
            return _cells(found)[column]
        if role == _Role.DisplayRole:
            value = _cells(found)[column]
            shown_value = shown_line(value) if isinstance(value, str) else value
            if FIELDS[column] == "name" and self.look_alike(found.id) is not None:
                return f"⚠ {shown_value}"  # look-alike letters: the tooltip says which
            return shown_value
        if role == _Role.ToolTipRole and FIELDS[column] == "name":
            flags = self.look_alike(found.id)
            tips = [look_alike_tip(flags) if flags is not None else shown(found.name)]
            tips.append(invisibles_sentence(found.name))  # what its marks stand for, if any
            return "\n".join(tip for tip in tips if tip)
        if role == _Role.ToolTipRole:  # a cut cell: all of it on hover
            value = _cells(found)[column]
            return shown(value) or None if isinstance(value, str) else None
        if role == _Role.TextAlignmentRole and column == PASSAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return found.id if role == self.IdRole else None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _Role.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role in _HEADER_ROLES:
            return self.tr(str(COLUMNS[section][0])) if 0 <= section < len(COLUMNS) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and FIELDS[index.column()] is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = _Role.EditRole) -> bool:
        field = FIELDS[index.column()] if index.isValid() else None
        found = self.row(index.row()) if field else None
        if not field or found is None or role != _Role.EditRole:
            return False
        if str(value) == str(_cells(found)[index.column()]):
            return True  # unchanged: no undo step
        return self._edit(found.id, field, parse_field(field, str(value)))


class PassageModel(QAbstractTableModel):
    """Keyword in context: the passages mentioning one entity, the quote between the words
    before and after it, so a column of quotes can be scanned at a glance."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("PassageModel", "Document"),
        QT_TRANSLATE_NOOP("PassageModel", "Before"),
        QT_TRANSLATE_NOOP("PassageModel", "Passage"),
        QT_TRANSLATE_NOOP("PassageModel", "After"),
        QT_TRANSLATE_NOOP("PassageModel", "Role"),
    )
    BEFORE, QUOTE = 1, 2

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.passages: list[EntityPassage] = []

    def set_passages(self, passages: list[EntityPassage]) -> None:
        self.beginResetModel()
        self.passages = passages
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.passages)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = _Role.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.passages):
            return None
        p, column = self.passages[index.row()], index.column()
        if role == _Role.DisplayRole:
            roles = ", ".join(p.roles)
            if p.mention_only:  # a link only, not a passage (m012)
                roles = self.tr("{roles} (mention only)").format(roles=roles)
            cells = (p.document_title, p.before, p.exact, p.after, roles)
            return " ".join(shown_line(cells[column]).split())
        if role == _Role.ToolTipRole:
            tip = shown(f"{p.document_title}\n\n…{p.before}[{p.exact}]{p.after}…")
            if p.mention_only:
                tip += "\n\n" + self.tr("A mention, not a passage")
            return tip
        if role == _Role.FontRole and column == self.QUOTE:
            font = QFont()
            font.setBold(not p.mention_only)
            font.setItalic(p.mention_only)
            return font
        if role == _Role.TextAlignmentRole and column == self.BEFORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _Role.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role in _HEADER_ROLES:
            return self.tr(str(self.COLUMNS[section])) if 0 <= section < len(self.COLUMNS) else None
        return None


class ElideLeft(QStyledItemDelegate):
    """The words just before a quote matter most: cut the far end of the context."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft
