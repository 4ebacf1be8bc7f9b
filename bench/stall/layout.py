"""One bench for two layouts of ``workstation.ui``: the packages by feature (issue 14) and
the flat folder before it, so the same scenarios measure the code before and after."""

from __future__ import annotations

from typing import Any


def main_window_class() -> Any:
    try:
        from workstation.ui.shell.main_window import MainWindow
    except ImportError:  # the flat layout
        from workstation.ui.main_window import MainWindow  # type: ignore[no-redef]
    return MainWindow


def recording_prompts() -> Any:
    try:
        from tests.helpers.prompts import RecordingPrompts
    except ImportError:  # the double still shipped in ui/prompts.py
        from workstation.ui.prompts import RecordingPrompts  # type: ignore[no-redef]
    return RecordingPrompts()


def busy(window: Any) -> bool:
    """Whether the window still runs background work of any kind this bench starts."""
    workbench = window.workbench
    operations = getattr(workbench, "operations", None)
    if operations is not None and operations.busy:
        return True
    importer = getattr(window, "importer", None)
    if importer is not None and importer.running:
        return True
    return bool(getattr(workbench, "_running", False))
