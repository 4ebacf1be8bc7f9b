"""Names every control carries: an object name for tests and style sheets, an accessible
name for screen readers (and for the test that checks each focusable control has both)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible: str) -> W:
    """``widget`` with its object name and accessible name set; returned for chaining."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible)
    return widget
