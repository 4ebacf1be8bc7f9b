"""The GUI's shared state: the session, the undo stack, prompts and change notifications.

Widgets never call a mutating service directly: they call ``Workbench.apply`` with a label
and a function that performs the service call. The call runs once, its ChangeSet becomes a
QUndoCommand, and every view hears about it through ``changed`` — on do, undo and redo.

Long work (import, merge…) runs through ``operations`` (``ui.common.operations``), off the
GUI thread on its own connection; while a writing operation runs, ``apply``, undo and redo
refuse with one status line, so there is one writer at a time and no edit joins its work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack

from workstation.domain.records import ChangeSet
from workstation.services import Session
from workstation.services.errors import WorkspaceError
from workstation.services.outcome import Outcome, ServiceError
from workstation.ui.common.operations import OperationRunner
from workstation.ui.shell.prompts import Prompts
from workstation.ui.shell.undo_locator import show_step

T = TypeVar("T")


class ChangeCommand(QUndoCommand):
    """An edit already applied through the services, undone and redone from its ChangeSet."""

    def __init__(
        self,
        workbench: Workbench,
        text: str,
        changes: ChangeSet,
        parent: QUndoCommand | None = None,
    ):
        super().__init__(text, parent)
        self._workbench = workbench
        self.changes = changes
        self._first = True

    def redo(self) -> None:
        replayed = not self._first
        if self._first:  # the service call already ran in Workbench.apply
            self._first = False
        elif not self._run(self._workbench.session.reapply):
            return
        else:
            self.changes.initiator = None  # a redo: nobody's own edit any more
        self._workbench.changed.emit(self.changes)
        if replayed:  # show where it acted (ui.shell.undo_locator)
            show_step(self._workbench, self.text(), self.changes, undone=False)

    def undo(self) -> None:
        if self._run(self._workbench.session.revert):
            self.changes.initiator = None  # every view re-reads, the one that made it too
            self._workbench.changed.emit(self.changes)
            show_step(self._workbench, self.text(), self.changes, undone=True)

    def _run(self, step: Callable[[ChangeSet], object]) -> bool:
        """Undo or redo through the services; if the workspace refuses (the record changed
        since, a duplicate came back, the file is locked), nothing was written: say why and
        drop this step, so the stack never claims a state the workspace does not have."""
        running = self._workbench.operations.writing
        if running is not None:  # undo/redo are disabled meanwhile; this is the backstop
            self._workbench.status.emit(self._workbench.operations.refusal(running))
            self.setObsolete(True)
            return False
        try:
            step(self.changes)
        except (ServiceError, ValueError, WorkspaceError) as exc:
            self._workbench.prompts.error(None, str(exc))
            self.setObsolete(True)
            return False
        return True


class Workbench(QObject):
    """One per main window."""

    changed = Signal(object)  # ChangeSet: after an edit, an undo or a redo
    document_opened = Signal(str)  # document id
    passage_selected = Signal(object)  # annotation id, or None
    status = Signal(str)  # a short message for the status bar
    # document id, code points [start, end): where an undo or redo acted, for the reader to
    # scroll to and flash (ui.shell.undo_locator)
    flash_requested = Signal(str, int, int)

    def __init__(
        self, session: Session, prompts: Prompts | None = None, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.session = session
        self.prompts = prompts or Prompts()
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self.current_document: str | None = None
        self.current_passage: str | None = None
        self.selection_initiator: object = None  # who chose the current passage
        self.operations = OperationRunner(self)
        self.operations.started.connect(self._guard_undo)
        self.operations.finished.connect(self._guard_undo)

    @property
    def read_only(self) -> bool:
        return self.session.workspace.read_only

    def apply(self, text: str, action: Callable[[], T], *, initiator: object = None) -> T | None:
        """Run a service mutation as one undoable step; returns its result, or None if the
        rules or the workspace refused it (the user has been told why).

        ``initiator`` (the widget or model making the edit) travels with the ChangeSet, so
        a view that already shows its own edit can tell it from anyone else's.

        A read-only workspace refuses every edit here, before the service runs, with one
        line in the status bar: the banner already says why, a dialog per keypress would
        only get in the way."""
        if self.read_only:
            self.status.emit(
                self.tr("Not saved: the workspace is read-only ({what})").format(what=text)
            )
            return None
        running = self.operations.writing
        if running is not None:
            # It would write beside the operation's connection (SQLITE_BUSY, and two writers
            # at once): refused, like a read-only workspace, with one line.
            self.status.emit(self.operations.refusal(running))
            return None
        result: T | None
        try:
            result = action()
        except (ServiceError, ValueError, WorkspaceError) as exc:
            self.prompts.error(None, str(exc))
            result = None
        else:
            changes = result.changes if isinstance(result, Outcome) else result
            if isinstance(changes, ChangeSet) and changes:
                changes.initiator = initiator
                self.undo_stack.push(ChangeCommand(self, text, changes))
        return result

    def record_step(self, text: str, changes: ChangeSet) -> None:
        """Push work already done (an operation's ChangeSet) as one undo step; every view
        hears of it through ``changed``."""
        if changes:
            self.undo_stack.push(ChangeCommand(self, text, changes))

    def _guard_undo(self, *_args: object) -> None:
        """Undo and redo write through this connection: disabled while a writing operation
        runs, back as the stack allows when it ends."""
        window = self.parent()
        if window is None or self.read_only:  # read-only: the banner keeps them disabled
            return
        writing = self.operations.writing is not None
        for name, can in (
            ("actionUndo", self.undo_stack.canUndo()),
            ("actionRedo", self.undo_stack.canRedo()),
        ):
            action = window.findChild(QAction, name)
            if action is not None:
                action.setEnabled(can and not writing)

    def open_document(self, document_id: str) -> None:
        self.current_document = document_id
        # The current passage is one of the open document's: another document's passage
        # must not linger in the inspector (nor be cited or linked) after switching.
        current = self.current_passage
        if current is not None:
            passage = self.session.annotations.find(current)
            if passage is None or passage.document_id != document_id:
                self.select_passage(None)
        self.document_opened.emit(document_id)

    def select_passage(self, annotation_id: str | None, *, initiator: object = None) -> None:
        """Make ``annotation_id`` the current passage; ``selection_initiator`` says who chose
        it while the signal is delivered, so that view need not show it again."""
        self.current_passage = annotation_id
        self.selection_initiator = initiator
        self.passage_selected.emit(annotation_id)
