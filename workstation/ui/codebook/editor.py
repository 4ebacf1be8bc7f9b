"""The codebook editor: add, rename, recolour, reorder, key and delete categories, each one
undoable step through ``Workbench.apply``. The rules (unique names and keys, no deleting a
category in use) live in ``CodebookService``; its refusals reach the user as prompt errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.colour import next_colour
from workstation.domain.records import Category, ChangeSet
from workstation.domain.text_display import shown, shown_line
from workstation.ui.shell.workbench import Workbench

Index = QModelIndex | QPersistentModelIndex
# Asked for a colour: (parent, current colour) → the new colour, or None when cancelled.
ColourChooser = Callable[[QWidget | None, QColor], QColor | str | None]
KEYS = tuple("123456789")


def choose_colour_with_dialog(parent: QWidget | None, current: QColor) -> QColor | None:
    colour = QColorDialog.getColor(current, parent)
    return colour if colour.isValid() else None


def _with_selection(command: Callable[..., None]) -> Callable[..., None]:
    """Commands act on the selected category; with none selected they do nothing."""

    def run(self: CodebookEditor, *_signal_args: object, **options: int) -> None:
        category = self.current()
        if category is not None:
            command(self, category, **options)

    return run


class CodebookModel(QAbstractTableModel):
    COLUMNS = ("Colour", "Name", "Key", "Description")
    FIELDS = ("colour", "name", "shortcut", "description")  # per column
    EDITABLE = ("name", "shortcut", "description")  # in place; colour has its picker

    def __init__(self, workbench: Workbench, parent: QObject | None = None):
        super().__init__(parent)
        self.workbench = workbench
        self.codebook = workbench.session.codebook
        self.categories: list[Category] = self.codebook.list_categories()

    def reload(self) -> None:
        fresh = self.codebook.list_categories()
        if [c.id for c in fresh] == [c.id for c in self.categories]:
            # Same rows in the same order: keep selection and any open editor.
            self.categories = fresh
            if fresh:
                last = self.index(len(fresh) - 1, len(self.COLUMNS) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self.categories = fresh
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self.categories)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.categories):
            return None
        category = self.categories[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.EditRole:
            return getattr(category, self.FIELDS[column]) or ""
        if role == Qt.ItemDataRole.DisplayRole:
            return shown_line(getattr(category, self.FIELDS[column]) or "")
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(category.colour)
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and category.description:
            return shown(category.description)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return category.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.FIELDS[index.column()] in self.EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        field = self.FIELDS[index.column()]
        if field not in self.EDITABLE or index.row() >= len(self.categories):
            return False
        category = self.categories[index.row()]
        text = str(value or "").strip()
        if field == "shortcut":
            if text and text not in KEYS:
                self.workbench.prompts.error(None, self.tr("A key is a digit from 1 to 9."))
                return False
            return self.set_field(category, "shortcut", text or None)
        return self.set_field(category, field, text)

    def set_field(self, category: Category, field: str, value: str | None) -> bool:
        labels = {
            "name": self.tr("Rename category {name}"),
            "shortcut": self.tr("Set key of {name}"),
            "description": self.tr("Describe category {name}"),
            "colour": self.tr("Recolour category {name}"),
        }
        done = self.workbench.apply(
            labels[field].format(name=category.name),
            lambda: self.codebook.edit(category.id, **{field: value}),
        )
        return done is not None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS)
        if role == Qt.ItemDataRole.DisplayRole and horizontal:
            return self.tr(self.COLUMNS[section])
        return None

    def row_of(self, category_id: str | None) -> int:
        return next((r for r, c in enumerate(self.categories) if c.id == category_id), -1)


class CodebookEditor(QDialog):
    """Non-modal: the reader stays usable while the codebook is open."""

    def __init__(
        self,
        workbench: Workbench,
        parent: QWidget | None = None,
        *,
        choose_colour: ColourChooser | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("codebookEditor")
        self.setAccessibleName(self.tr("Codebook editor"))
        self.setWindowTitle(self.tr("Codebook"))
        self.workbench = workbench
        self.codebook = workbench.session.codebook
        self.choose_colour: ColourChooser = choose_colour or choose_colour_with_dialog

        self.model = CodebookModel(workbench, self)
        self.model.setObjectName("codebookModel")
        self.table = QTableView()
        self.table.setObjectName("codebookTable")
        self.table.setAccessibleName(self.tr("Categories"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.buttons: dict[str, QPushButton] = {}
        buttons = QVBoxLayout()
        up, down = (lambda: self.move_category(step=-1)), (lambda: self.move_category(step=1))
        for name, text, accessible, slot in (
            ("codebookAdd", self.tr("&Add…"), self.tr("Add a category"), self.add),
            ("codebookRename", self.tr("&Rename…"), self.tr("Rename category"), self.rename),
            ("codebookColour", self.tr("C&olour…"), self.tr("Change colour"), self.recolour),
            ("codebookKey", self.tr("&Key…"), self.tr("Assign a key"), self.assign_key),
            ("codebookUp", self.tr("Move &up"), self.tr("Move up"), up),
            ("codebookDown", self.tr("Move do&wn"), self.tr("Move down"), down),
            ("codebookDelete", self.tr("&Delete"), self.tr("Delete category"), self.delete),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setAccessibleName(accessible)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[name] = button
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("codebookButtons")
        close.rejected.connect(self.close)
        closer = close.button(QDialogButtonBox.StandardButton.Close)
        closer.setObjectName("codebookClose")
        closer.setAccessibleName(self.tr("Close"))

        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        column = QVBoxLayout(self)
        column.addLayout(row, 1)
        column.addWidget(close)
        self.resize(640, 360)

        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        workbench.changed.connect(self._on_changed)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    # -- selection --------------------------------------------------------------------------

    def current(self) -> Category | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.categories[rows[0].row()] if rows else None

    def select(self, category_id: str | None) -> None:
        row = self.model.row_of(category_id)
        if row >= 0:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        category = self.current()
        row = self.model.row_of(category.id) if category else -1
        for name in ("codebookRename", "codebookColour", "codebookKey", "codebookDelete"):
            self.buttons[name].setEnabled(category is not None)
        self.buttons["codebookUp"].setEnabled(row > 0)
        self.buttons["codebookDown"].setEnabled(0 <= row < self.model.rowCount() - 1)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(Category):
            keep = self.current()
            old_row = self.model.row_of(keep.id) if keep else -1
            self.model.reload()
            if keep is not None and self.model.row_of(keep.id) < 0 and self.model.rowCount():
                # The selected category went away: select its neighbour instead.
                self.table.selectRow(min(old_row, self.model.rowCount() - 1))
            else:
                self.select(keep.id if keep else None)
            self._update_buttons()

    # -- commands ---------------------------------------------------------------------------

    def add(self) -> None:
        name = self.workbench.prompts.ask_text(
            self, self.tr("New category"), self.tr("Name of the new category:")
        )
        if not name or not name.strip():
            return
        used = {c.colour.lower() for c in self.model.categories}
        colour = next_colour(list(used))
        done = self.workbench.apply(
            self.tr("Add category {name}").format(name=name.strip()),
            lambda: self.codebook.create(name, colour=colour),
        )
        if done is not None:
            self.select(done.record.id)

    @_with_selection
    def rename(self, category: Category) -> None:
        name = self.workbench.prompts.ask_text(
            self, self.tr("Rename category"), self.tr("New name:"), category.name
        )
        if name is not None:
            self.model.set_field(category, "name", name)

    @_with_selection
    def recolour(self, category: Category) -> None:
        chosen = self.choose_colour(self, QColor(category.colour))
        if chosen is None or not QColor(chosen).isValid():
            return
        self.model.set_field(category, "colour", QColor(chosen).name())

    @_with_selection
    def assign_key(self, category: Category) -> None:
        none = self.tr("No key")
        answer = self.workbench.prompts.choose(
            self,
            self.tr("Category key"),
            self.tr("Key that tags a selection as {name}:").format(name=category.name),
            [none, *KEYS],
            category.shortcut or none,
        )
        if answer is not None:
            self.model.set_field(category, "shortcut", None if answer == none else answer)

    @_with_selection
    def move_category(self, category: Category, *, step: int) -> None:  # not QWidget.move
        row = self.model.row_of(category.id)
        text = self.tr("Move {name} up") if step < 0 else self.tr("Move {name} down")
        self.workbench.apply(
            text.format(name=category.name), lambda: self.codebook.move(category.id, row + step)
        )

    @_with_selection
    def delete(self, category: Category) -> None:
        self.workbench.apply(
            self.tr("Delete category {name}").format(name=category.name),
            lambda: self.codebook.delete(category.id),
        )
