"""Every user command is a QAction declared once, by an :class:`ActionSpec`: its text, its
shortcuts, where the shortcuts act, and whether it changes the workspace.

Menus, toolbars, the keyboard and tests all reach a command through the registry by name,
so a shortcut is defined in exactly one place, Help can list them all, and a read-only
workspace disables exactly the commands whose spec says they write. A name the registry
does not know (a typo in a menu list) is an error, raised while the window is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

Key = QKeySequence.StandardKey
Shortcut = QKeySequence.StandardKey | str
WINDOW = Qt.ShortcutContext.WindowShortcut
WIDGET = Qt.ShortcutContext.WidgetShortcut
_NAME = re.compile(r"action[A-Z][A-Za-z0-9]*")


@dataclass(frozen=True)
class ActionSpec:
    """One command. ``shortcuts`` is a key, a standard key (every binding the platform has
    for it) or a tuple of them, the first being the one menus show. ``writes``: the command
    changes the workspace, so a read-only workspace disables it; the default is True, so a
    new command is disabled there until someone decides it only reads. ``context``: where
    the keys act; a widget-only command (``WIDGET``) is registered with the widget it acts
    in."""

    name: str  # objectName, "action" + CamelCase
    text: str  # already translated
    shortcuts: Shortcut | tuple[Shortcut, ...] | None = ()
    tip: str = ""
    checkable: bool = False
    writes: bool = True
    context: Qt.ShortcutContext = WINDOW

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"action name {self.name!r} is not 'action' + CamelCase")
        keys = self.shortcuts
        if keys is None:
            keys = ()
        elif not isinstance(keys, tuple):
            keys = (keys,)
        object.__setattr__(self, "shortcuts", keys)

    def key_sequences(self) -> list[QKeySequence]:
        """Every key sequence of the spec, standard keys expanded, without repeats."""
        found: dict[str, QKeySequence] = {}
        for key in self.shortcuts:  # type: ignore[union-attr]  # a tuple after __post_init__
            if isinstance(key, QKeySequence.StandardKey):
                sequences = QKeySequence.keyBindings(key)
            else:
                sequences = [QKeySequence(key)]
            for sequence in sequences:
                if not sequence.isEmpty():
                    found.setdefault(sequence.toString(), sequence)
        return list(found.values())


# Keys a desk officer's keyboard has. Platforms bind standard keys to dedicated hardware keys
# as well (Undo, Exit, Sun's F14 for Undo): kept on the action, left out of Help.
_FUNCTION_KEYS = range(Qt.Key.Key_F1.value, Qt.Key.Key_F12.value + 1)
_EDITING_KEYS = frozenset(
    k.value
    for k in (
        Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Backspace,
        Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Insert, Qt.Key.Key_Delete,
        Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Right,
        Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Space,
    )
)  # fmt: skip


def on_a_keyboard(sequence: QKeySequence) -> bool:
    """Whether every key of ``sequence`` is on an ordinary keyboard."""
    for i in range(sequence.count()):
        key = sequence[i].key().value  # type: ignore[index]  # QKeySequence.__getitem__ is missing from the stubs
        if not (key < Qt.Key.Key_Escape.value or key in _FUNCTION_KEYS or key in _EDITING_KEYS):
            return False
    return True


def key_text(sequences: Iterable[QKeySequence]) -> str:
    """The keys as this platform writes them (⌘Z on macOS, Ctrl+Z elsewhere)."""
    return ", ".join(
        s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if on_a_keyboard(s)
    )


class ActionRegistry(QObject):
    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        self._actions: dict[str, QAction] = {}
        self._specs: dict[str, ActionSpec] = {}
        self._scopes: dict[str, QWidget] = {}

    def register(
        self,
        spec: ActionSpec,
        slot: Callable[..., object] | None = None,
        *,
        widget: QWidget | None = None,
    ) -> QAction:
        action = QAction(spec.text, self._window)
        action.setCheckable(spec.checkable)
        if slot is not None:
            action.triggered.connect(slot)
        return self.adopt(spec, action, widget=widget)

    def adopt(self, spec: ActionSpec, action: QAction, *, widget: QWidget | None = None) -> QAction:
        """Register ``action`` under ``spec``: one we made, or one Qt made for us (undo and
        redo, a dock's toggle), whose text Qt keeps up to date."""
        if spec.name in self._actions:
            raise ValueError(f"action {spec.name} registered twice")
        widget_only = spec.context in (WIDGET, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if widget_only and widget is None:
            raise ValueError(f"{spec.name} acts in one widget: register it with that widget")
        action.setObjectName(spec.name)
        action.setShortcuts(spec.key_sequences())
        action.setShortcutContext(spec.context)
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        # Shortcuts work even when the action is only in a toolbar or a context menu.
        self._window.addAction(action)
        if widget is not None and widget is not self._window:
            widget.addAction(action)
        self._actions[spec.name] = action
        self._specs[spec.name] = spec
        self._scopes[spec.name] = widget if widget is not None else self._window
        return action

    def __getitem__(self, name: str) -> QAction:
        try:
            return self._actions[name]
        except KeyError:
            raise KeyError(f"no action named {name!r} (misspelled, or not registered)") from None

    def __contains__(self, name: str) -> bool:
        return name in self._actions

    def all(self) -> list[QAction]:
        return list(self._actions.values())

    def spec(self, name: str) -> ActionSpec:
        self[name]  # the same error for an unknown name
        return self._specs[name]

    def specs(self) -> list[ActionSpec]:
        return list(self._specs.values())

    def scope(self, name: str) -> QWidget:
        """Where the action's keys act: the window, or the one widget of a widget-only spec."""
        self[name]
        return self._scopes[name]

    def writing(self) -> list[QAction]:
        """The commands that change the workspace (disabled when it is read-only)."""
        return [self._actions[n] for n, spec in self._specs.items() if spec.writes]

    def fill_menu(self, menu: QMenu, names: list[str | None]) -> None:
        """``None`` is a separator. An unknown name raises ``KeyError``."""
        actions = [None if name is None else self[name] for name in names]
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)

    def shortcut_table(self) -> list[tuple[str, str]]:
        """(command, keys) for Help → Keyboard shortcuts, from the specs, sorted by command;
        commands without keys are left out."""
        rows = []
        for spec in self._specs.values():
            keys = key_text(spec.key_sequences())
            where = self._scopes[spec.name].accessibleName()
            if keys and spec.context != WINDOW and where:
                keys = self.tr("{keys} (in the {where})").format(keys=keys, where=where.lower())
            if keys:
                rows.append((spec.text.replace("&", ""), keys))
        return sorted(rows, key=lambda row: row[0].casefold())
