"""A workspace opened read-only: a banner across the top of the window saying why, and every
command that would change the workspace disabled.

Two cases end here: another workstation holds the workspace open for writing (the app then
opens it read-only rather than refusing it), and a file the user may not write. The banner
only tells; what guarantees nothing is written is the read-only connection itself and
``Workbench.apply``, which refuses every edit of a read-only workspace.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar

from workstation.ui.shell.actions import ActionRegistry

BANNER_NAME = "readOnlyBanner"
BAR_NAME = "readOnlyBannerBar"

# Which commands are disabled is not listed here: each command's ActionSpec says whether it
# writes (the default, so a command added later is disabled until someone decides it only
# reads), and the registry answers (``ActionRegistry.writing``).


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReadOnlyBanner", text)


def banner_text(reason: str | None) -> str:
    why = reason or _tr("this workspace was opened read-only")
    return _tr("Read-only: {why}. Changes are disabled.").format(why=why)


def install(window: QMainWindow, registry: ActionRegistry, reason: str | None) -> QLabel:
    """Show the banner at the top of ``window`` and disable its writing commands (those
    registered so far: call this after every component has registered its actions)."""
    label = QLabel(banner_text(reason))
    label.setObjectName(BANNER_NAME)
    label.setToolTip(label.text())
    label.setAccessibleName(_tr("Read-only workspace"))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    # One line (a wrapped label in a tool bar takes several lines' height for one) that
    # never forces the window wider: a long reason is cut off, the tooltip has it whole.
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    label.setMinimumWidth(1)
    # Amber with dark text reads as a warning in light and dark palettes alike.
    label.setStyleSheet(
        "QLabel { background: #ffe08a; color: #3d2e00; padding: 6px 10px; font-weight: 600; }"
    )
    bar = QToolBar(_tr("Read-only"), window)
    bar.setObjectName(BAR_NAME)
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.toggleViewAction().setEnabled(False)  # not something to hide from the context menu
    bar.toggleViewAction().setVisible(False)
    bar.addWidget(label)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    for action in registry.writing():
        keep_disabled(action)
    window.setWindowTitle(_tr("{title} (read-only)").format(title=window.windowTitle()))
    return label


def keep_disabled(action: QAction) -> None:
    """Disable ``action`` for good: components enable their commands as the selection
    changes (a passage selected, a suggestion shown), and must not re-enable these."""
    action.setEnabled(False)
    action.changed.connect(lambda: action.setEnabled(False) if action.isEnabled() else None)
