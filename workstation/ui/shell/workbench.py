"""The GUI's shared state: the session, the undo stack, prompts and change notifications.

Widgets never call a mutating service directly: they call ``Workbench.apply`` with a label
and a function that performs the service call. The call runs once, its ChangeSet becomes a
QUndoCommand, and every view hears about it through ``changed`` — on do, undo and redo.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from workstation.domain.records import ChangeSet
from workstation.services import Session
from workstation.services.outcome import Outcome, ServiceError
from workstation.storage import WorkspaceError
from workstation.ui.prompts import Prompts


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
        if self._first:  # the service call already ran in Workbench.apply
            self._first = False
        elif not self._run(self._workbench.session.reapply):
            return
        self._workbench.changed.emit(self.changes)

    def undo(self) -> None:
        if self._run(self._workbench.session.revert):
            self._workbench.changed.emit(self.changes)

    def _run(self, step) -> bool:
        """Undo or redo through the services; if the workspace refuses (the record changed
        since, a duplicate came back, the file is locked), nothing was written: say why and
        drop this step, so the stack never claims a state the workspace does not have."""
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
        # Edits that arrive while a step runs (a merge's progress dialog lets events through,
        # and a note editor saves as it loses focus to it) wait for it to finish.
        self._running = False
        self._deferred: list[tuple[str, Callable[[], Any]]] = []

    @property
    def read_only(self) -> bool:
        return self.session.workspace.read_only

    def apply(self, text: str, action: Callable[[], Any]) -> Any:
        """Run a service mutation as one undoable step; returns its result, or None if the
        rules or the workspace refused it (the user has been told why).

        A read-only workspace refuses every edit here, before the service runs, with one
        line in the status bar: the banner already says why, a dialog per keypress would
        only get in the way."""
        if self.read_only:
            self.status.emit(
                self.tr("Not saved: the workspace is read-only ({what})").format(what=text)
            )
            return None
        if self._running:
            # Run inside the running step it would join its transaction (and be rolled back
            # with a cancelled merge) and share its undo step: it runs after, as its own.
            self._deferred.append((text, action))
            return None
        self._running = True
        try:
            result = action()
        except (ServiceError, ValueError, WorkspaceError) as exc:
            self.prompts.error(None, str(exc))
            result = None
        else:
            changes = result.changes if isinstance(result, Outcome) else result
            if isinstance(changes, ChangeSet) and changes:
                self.undo_stack.push(ChangeCommand(self, text, changes))
        finally:
            self._running = False
            if self._deferred:  # after the caller has finished with this step's result
                QTimer.singleShot(0, self._apply_deferred)
        return result

    def _apply_deferred(self) -> None:
        pending, self._deferred = self._deferred, []
        for text, action in pending:
            try:
                self.apply(text, action)
            except Exception:  # a bug: reported, and the edits after it still run
                sys.excepthook(*sys.exc_info())

    def begin_step(self, text: str) -> ChangeCommand:
        """Open an undo step that work arriving over time (an import in chunks) extends
        with ``extend_step``. It takes its place on the stack now, so edits the user makes
        meanwhile come after it and undo in the right order."""
        command = ChangeCommand(self, text, ChangeSet())
        self.undo_stack.push(command)
        return command

    def extend_step(self, command: ChangeCommand, changes: ChangeSet) -> None:
        command.changes.extend(changes)
        self.changed.emit(changes)

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Group several ``apply`` calls into one undo step (bulk edits)."""
        self.undo_stack.beginMacro(text)
        try:
            yield
        finally:
            self.undo_stack.endMacro()

    def open_document(self, document_id: str) -> None:
        self.current_document = document_id
        self.document_opened.emit(document_id)

    def select_passage(self, annotation_id: str | None) -> None:
        self.current_passage = annotation_id
        self.passage_selected.emit(annotation_id)
