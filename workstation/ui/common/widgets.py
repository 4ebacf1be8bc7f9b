"""Small widget helpers every feature uses: naming a control, a form caption, a row of
controls, a colour swatch, and one line of user text shortened for a list or a menu.

Every control carries an object name (tests, style sheets) and an accessible name (screen
readers; a test checks each focusable control has both)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from workstation.domain.counts import count_noun as count_noun  # one plural rule, for all
from workstation.domain.text_display import shown, shown_line

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible: str, tip: str = "") -> W:
    """``widget`` with its object name, accessible name and (optional) tooltip set; a combo
    box's popup list is named too, since it is a control of its own. Returned for chaining."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible)
    if tip:
        widget.setToolTip(tip)
    if isinstance(widget, QComboBox):
        widget.view().setObjectName(object_name + "List")
        widget.view().setAccessibleName(accessible)
    return widget


def line_edit(combo: QComboBox) -> QLineEdit:
    """The text field of an editable ``combo`` (Qt has none until ``setEditable(True)``)."""
    edit = combo.lineEdit()
    if edit is None:
        raise ValueError(f"{combo.objectName() or 'the combo box'} is not editable")
    return edit


def caption(text: str, buddy: QWidget) -> QLabel:
    """A form label whose Alt+letter moves focus to ``buddy``."""
    label = QLabel(text)
    label.setObjectName(buddy.objectName() + "Label")
    label.setBuddy(buddy)
    return label


def hbox(*widgets: QWidget, grow: tuple[int, ...] = ()) -> QHBoxLayout:
    """Side by side; the widgets at ``grow`` share the spare width (none: space follows)."""
    row = QHBoxLayout()
    for number, widget in enumerate(widgets):
        row.addWidget(widget, 1 if number in grow else 0)
    if not grow:
        row.addStretch(1)
    return row


def swatch(colour: str, size: int = 12) -> QIcon:
    """A square of a category's colour, for lists and menus."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def elide(text: str, limit: int) -> str:
    """One line of user text as every surface shows it (invisible characters as marks,
    runs of white space as one space), cut to ``limit`` characters with "…"."""
    text = " ".join(shown_line(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tip_items(combo: QComboBox) -> QComboBox:
    """Each item's whole text as its tooltip (invisible characters as marks), so a completer
    popup or list that cuts an item still shows all of it; an item's own tooltip is kept.
    Call after filling the combo. Returned for chaining."""
    role = Qt.ItemDataRole.ToolTipRole
    for row in range(combo.count()):
        text = combo.itemText(row)
        if text and not combo.itemData(row, role):
            combo.setItemData(row, shown(text), role)
    return combo
