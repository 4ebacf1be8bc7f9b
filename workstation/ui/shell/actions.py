"""Every user command is a QAction registered once: text, shortcut, objectName.

Menus, toolbars, the keyboard and tests all reach a command through the registry, so a
shortcut is defined in exactly one place and Help can list them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

Shortcut = QKeySequence.StandardKey | str | None


@dataclass(frozen=True)
class ActionSpec:
    name: str  # objectName, "action" + CamelCase
    text: str  # already translated
    shortcut: Shortcut = None
    tip: str = ""
    checkable: bool = False


class ActionRegistry(QObject):
    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        self._actions: dict[str, QAction] = {}

    def register(self, spec: ActionSpec, slot: Callable[..., object] | None = None) -> QAction:
        if spec.name in self._actions:
            raise ValueError(f"action {spec.name} registered twice")
        action = QAction(spec.text, self._window)
        action.setObjectName(spec.name)
        if isinstance(spec.shortcut, QKeySequence.StandardKey):
            action.setShortcuts(spec.shortcut)
        elif spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        action.setCheckable(spec.checkable)
        if slot is not None:
            action.triggered.connect(slot)
        # Shortcuts work even when the action is only in a toolbar or a context menu.
        self._window.addAction(action)
        self._actions[spec.name] = action
        return action

    def adopt(self, action: QAction) -> QAction:
        """Register an action Qt made for us (undo/redo, dock toggles)."""
        if not action.objectName():
            raise ValueError("adopted actions need an objectName")
        self._actions[action.objectName()] = action
        self._window.addAction(action)
        return action

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __contains__(self, name: str) -> bool:
        return name in self._actions

    def all(self) -> list[QAction]:
        return list(self._actions.values())

    def fill_menu(self, menu: QMenu, names: list[str | None]) -> None:
        """``None`` is a separator."""
        for name in names:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self._actions[name])

    def shortcut_table(self) -> list[tuple[str, str]]:
        """(command, shortcut) for Help → Keyboard shortcuts, sorted by command."""
        rows = []
        for action in self._actions.values():
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
            )
            if keys:
                rows.append((action.text().replace("&", ""), keys))
        return sorted(rows, key=lambda row: row[0].casefold())
