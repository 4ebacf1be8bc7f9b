"""Undo you can see: after an undo or a redo, show where it acted and say what it was.

The document the step touched is opened (``AnnotationService.place_of`` finds it from the
ChangeSet: its passages, its entity links' passages, or the document itself), the passage
selected when it is live, its range scrolled to and flashed for a second in the reader
(``Workbench.flash_requested``, which the reader answers, opening the document if it shows
another), and the status bar says "Undone: Mark passage as Sanction —
Russia-US Relations". A step that touches no document (the codebook, an entity renamed) only
gets the status line.

The ChangeSet's initiator is None by then (ChangeCommand clears it before views hear of the
step), so every view re-reads as usual; this only moves the officer's eyes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from workstation.domain.records import ChangeSet
from workstation.domain.text_display import shown_line
from workstation.services.errors import WorkspaceError
from workstation.services.outcome import ServiceError

if TYPE_CHECKING:
    from workstation.ui.shell.workbench import Workbench

FLASH_MS = 1000  # how long the reader tints the range


def _tr(text: str) -> str:
    return QCoreApplication.translate("UndoLocator", text)


def undone_message(what: str, title: str | None = None) -> str:
    return _message(_tr("Undone: {what}"), what, title)


def redone_message(what: str, title: str | None = None) -> str:
    return _message(_tr("Redone: {what}"), what, title)


def _message(pattern: str, what: str, title: str | None) -> str:
    text = pattern.format(what=what)
    return text if title is None else f"{text} — {shown_line(title)}"


def show_step(workbench: Workbench, what: str, changes: ChangeSet, *, undone: bool) -> None:
    """Open, select and flash where ``changes`` acted, and say "Undone: …"/"Redone: …"."""
    message = undone_message if undone else redone_message
    try:
        place = workbench.session.annotations.place_of(changes)
    except (ServiceError, WorkspaceError):  # showing the place must not cost the step
        place = None
    if place is None:
        workbench.status.emit(message(what))
        return
    # The reader opens the document when it shows another one (selecting a passage of
    # another document opens it too) and flashes the range; with no range it only opens.
    if place.passage_id is not None:
        workbench.select_passage(place.passage_id)
    start, end = place.start or 0, place.end or 0
    workbench.flash_requested.emit(place.document_id, start, max(start, end))
    workbench.status.emit(message(what, place.title))
