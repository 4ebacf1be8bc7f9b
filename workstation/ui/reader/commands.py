"""The reader's commands: its context menu and its actions (the text pane is text_pane.py).

The actions registered here add F8 / Ctrl+] (next passage) and Shift+F8 / Ctrl+[ (previous
passage); menus show the first, F8 and Shift+F8, as the README does.

The context menu is built by a function (not inside contextMenuEvent) so tests can inspect and
trigger it without opening it: ``QMenu.exec`` would block an offscreen test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import (
    QAction,
    QKeySequence,
)
from PySide6.QtWidgets import QMenu

from workstation.ui.common.widgets import elide
from workstation.ui.shell.actions import ActionRegistry, ActionSpec

if TYPE_CHECKING:
    from workstation.ui.reader.view import ReaderView

QUOTE_CHARS = 40  # how much of a passage the menu shows
# A key pressed with these held is a shortcut, never a category key.
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReaderMenu", text)


def register_reader_actions(view: ReaderView, registry: ActionRegistry) -> None:
    walks = (
        # F8 first: the key the menu shows is the one the README and getting started teach.
        ("actionNextPassage", _tr("&Next passage"), ("F8", "Ctrl+]"), view.next_passage),
        (
            "actionPreviousPassage",
            _tr("&Previous passage"),
            ("Shift+F8", "Ctrl+["),
            view.previous_passage,
        ),
    )
    for name, text, keys, slot in walks:
        tip = (
            _tr("Select and show the next passage")
            if "Next" in name
            else _tr("Select and show the previous passage")
        )
        registry.register(
            ActionSpec(name, text, keys, tip, writes=False), lambda _=False, walk=slot: walk()
        )
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
    snap = registry.register(
        ActionSpec(
            "actionSnapToWords",
            _tr("&Snap selections to words"),
            tip=_tr(
                "Mouse selections take whole words, without stray spaces or punctuation; "
                "selections made with the keys stay exact"
            ),
            checkable=True,
            writes=False,
        ),
        lambda checked=False: view.set_snap_to_words(bool(checked)),
    )
    snap.setChecked(view.snap_to_words)


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
            category_id = marks.category_of[passage_id]
            uncategorised = _tr("Uncategorised")
            name = names.get(category_id, uncategorised) if category_id else uncategorised
            quote = elide(marks.body[span.start : span.end], QUOTE_CHARS)
            action = QAction(f"{name}: “{quote}”", menu)
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
        if first_standard is None:  # Qt appends for a null `before`; the stubs refuse None
            menu.addActions(ours)
        else:
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
