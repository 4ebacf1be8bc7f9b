"""What the GUI remembers between runs: window geometry, dock layout, recent workspaces.

Kept in an INI file in the workstation's data folder (the same folder the default workspace
lives in), so tests that isolate the data folder isolate the GUI settings too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDockWidget, QMainWindow

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
    # Which docks were open: a dock made on first use (the brief composer) must exist before
    # restoreState for the layout to put it back where it was.
    open_docks = [
        d.objectName() for d in window.findChildren(QDockWidget) if d.toggleViewAction().isChecked()
    ]
    store.setValue("window/open_docks", open_docks)
    store.sync()


def saved_open_docks() -> set[str]:
    """The objectNames of the docks open when the layout was last saved."""
    raw = settings().value("window/open_docks", [])
    if isinstance(raw, str):  # QSettings returns a lone item as a string
        raw = [raw]
    if not isinstance(raw, (list, tuple)):  # None (nothing saved), or not a list at all
        return set()
    return {str(name) for name in raw if name}


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
    if not isinstance(raw, (list, tuple)):  # None (nothing saved), or not a list at all
        return []
    return [Path(p) for p in raw if p]


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


# -- preferences: yes/no settings of the GUI ---------------------------------------------------

SNAP_TO_WORDS = "reader/snap_to_words"  # mouse selections snap to whole words (default on)
GETTING_STARTED_DISMISSED = "help/getting_started_dismissed"  # "Don't show again" was left on


def preference(key: str, default: bool) -> bool:
    """A yes/no preference; ``default`` when never set or unreadable."""
    raw = settings().value(key, default)
    if isinstance(raw, str):  # an INI file gives "true"/"false" back
        return raw.strip().lower() in ("true", "1", "yes")
    return bool(raw)


def set_preference(key: str, value: bool) -> None:
    store = settings()
    store.setValue(key, bool(value))
    store.sync()


# -- last folders: each kind of file dialog starts where the officer last went ------------------


def last_folder(purpose: str) -> str:
    """The folder last used for ``purpose`` ("export", "import", "brief", …), or "" when
    none was, or it is gone (a removed USB stick): the dialog then starts at its default."""
    raw = settings().value(f"folders/{purpose}", "")
    folder = str(raw) if isinstance(raw, str) else ""
    return folder if folder and Path(folder).is_dir() else ""


def remember_folder(purpose: str, chosen: str | Path | None) -> None:
    """Remember the folder that holds ``chosen`` (a file or a folder the officer picked) as
    where the next ``purpose`` dialog starts; nothing chosen (cancelled): nothing changes."""
    if not chosen:
        return
    store = settings()
    store.setValue(f"folders/{purpose}", str(Path(chosen).resolve().parent))
    store.sync()
