"""What the GUI remembers between runs: window geometry, dock layout, recent workspaces.

Kept in an INI file in the workstation's data folder (the same folder the default workspace
lives in), so tests that isolate the data folder isolate the GUI settings too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from workstation.services.settings import data_dir

RECENT_LIMIT = 8
STATE_VERSION = 1  # bump when docks are added or renamed, so an old layout is not applied


def settings() -> QSettings:
    path = data_dir() / "gui.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def save_window(window: QMainWindow) -> None:
    store = settings()
    store.setValue("window/geometry", window.saveGeometry())
    store.setValue("window/state", window.saveState(STATE_VERSION))
    store.sync()


def restore_window(window: QMainWindow) -> bool:
    store = settings()
    geometry = store.value("window/geometry")
    state = store.value("window/state")
    restored = False
    if geometry is not None:
        restored = window.restoreGeometry(geometry)
    if state is not None:
        restored = window.restoreState(state, STATE_VERSION) and restored
    return restored


def recent_workspaces() -> list[Path]:
    raw = settings().value("recent/workspaces", [])
    if isinstance(raw, str):  # QSettings returns a lone item as a string
        raw = [raw]
    return [Path(p) for p in raw or [] if p]


def remember_workspace(path: Path) -> list[Path]:
    path = Path(path).resolve()
    recent = [path, *[p for p in recent_workspaces() if p != path]][:RECENT_LIMIT]
    store = settings()
    store.setValue("recent/workspaces", [str(p) for p in recent])
    store.sync()
    return recent


def forget_workspace(path: Path) -> None:
    path = Path(path).resolve()
    store = settings()
    store.setValue("recent/workspaces", [str(p) for p in recent_workspaces() if p != path])
    store.sync()
