"""The suggestions dock: a queue of unlinked mentions of known entities, with the words
around each, worked from the keyboard. Accept, reject and accept-all are undoable steps
through ``Workbench.apply``; the queue follows every change (an alias added, a passage
linked, an undo) by re-scanning only the documents the change touched."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import ChangeSet
from workstation.domain.vocab import MENTION_ROLES
from workstation.services.suggestions import Suggestion, SuggestionService
from workstation.ui.actions import ActionRegistry, ActionSpec
from workstation.ui.naming import named
from workstation.ui.suggestion_queue import SUGGESTION_ROLE, SuggestionDelegate, SuggestionModel
from workstation.ui.workbench import Workbench

SCAN_CHUNK = 40  # documents per event-loop turn in a workspace scan: the GUI stays live
_K = Qt.Key
_KEYS = {  # (key, shift) → command, in the queue list
    (_K.Key_A, False): "accept", (_K.Key_Return, False): "accept",
    (_K.Key_Enter, False): "accept", (_K.Key_R, False): "reject",
    (_K.Key_Delete, False): "reject", (_K.Key_A, True): "accept_all",
    (_K.Key_S, False): "skip", (_K.Key_Space, False): "skip",
}  # fmt: skip
_PLAIN_KEYS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


class SuggestionsDock(QDockWidget):
    # (document id, start, end) of the suggestion now current, for the reader to show it.
    suggestion_shown = Signal(str, int, int)

    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
        super().__init__(self.tr("Suggestions"), parent)
        self.setObjectName("suggestionsDock")
        self.setAccessibleName(self.tr("Mention suggestions"))
        self.workbench = workbench
        self.session = workbench.session
        self.service = SuggestionService(workbench.session)
        self.workspace_scope = False
        self.document_id: str | None = None
        self._found: dict[str, list[Suggestion]] = {}  # document id → its suggestions
        self._order: list[str] = []  # the documents in scope, in library order
        self._pending: list[str] = []  # those a workspace scan has still to read
        self._bodies: dict[str, str] = {}
        self._titles: dict[str, str] = {}
        self._actions: list = []
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._scan_some)
        workbench.document_opened.connect(self.show_document)
        workbench.changed.connect(self._on_changed)
        self.show_document(workbench.current_document)

    def _build(self) -> None:
        tr = self.tr
        self.summary = named(QLabel(), "suggestionsSummary", tr("Queue summary"))
        self.summary.setWordWrap(True)
        self.workspace_button = named(
            QPushButton(tr("&Whole workspace")), "suggestionsWorkspace", tr("Whole workspace")
        )
        self.workspace_button.setCheckable(True)
        self.workspace_button.setToolTip(tr("Suggestions from every document, not just this one"))
        self.workspace_button.toggled.connect(self.set_workspace_scope)
        self.role_combo = named(QComboBox(), "suggestionsRole", tr("Link as role"))
        for role in MENTION_ROLES:
            self.role_combo.addItem(role, role)
        self.role_combo.setCurrentIndex(MENTION_ROLES.index("mentioned"))
        role_label = named(QLabel(tr("Link &as")), "suggestionsRoleLabel", tr("Link as"))
        role_label.setBuddy(self.role_combo)
        self.model = SuggestionModel(self, self)
        self.view = named(QListView(), "suggestionsList", tr("Suggestion queue"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(SuggestionDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.installEventFilter(self)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        for command, text, tip in (
            ("accept", tr("Accept"), tr("Create the passage, link the entity (A, Enter)")),
            ("reject", tr("Reject"), tr("Never suggest this span for this entity (R, Delete)")),
            ("accept_all", tr("Accept all"), tr("Accept every suggestion of it (Shift+A)")),
            ("skip", tr("Skip"), tr("Leave it for now, go to the next (S, Space)")),
        ):
            name = "suggestions" + command.title().replace("_", "")
            button = self.buttons[command] = named(QPushButton(text), name, text)
            button.setToolTip(tip)
            button.clicked.connect(getattr(self, command))
            buttons.addWidget(button)
        top, roles = QHBoxLayout(), QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.workspace_button)
        roles.addWidget(role_label)
        roles.addWidget(self.role_combo, 1)
        body = QWidget()
        body.setObjectName("suggestionsBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 6, 6, 6)
        column.addLayout(top)
        column.addLayout(roles)
        column.addWidget(self.view, 1)
        column.addLayout(buttons)
        self.setWidget(body)

    # -- actions ----------------------------------------------------------------------------

    def register_actions(self, registry: ActionRegistry) -> None:
        tr = self.tr
        for name, text, keys, slot, tip in (
            ("actionAcceptSuggestion", tr("&Accept suggestion"), ("A", "Return"), self.accept,
             tr("Link the current suggestion (keys act in the suggestions list)")),
            ("actionRejectSuggestion", tr("&Reject suggestion"), ("R", "Del"), self.reject,
             tr("Never suggest the current span for this entity again")),
            ("actionAcceptAllForEntity", tr("Accept all for &entity"), ("Shift+A",),
             self.accept_all, tr("Link every suggestion of the current entity")),
            ("actionSkipSuggestion", tr("S&kip suggestion"), ("S", "Space"), self.skip,
             tr("Go to the next suggestion")),
        ):  # fmt: skip
            action = registry.register(
                ActionSpec(name, text, None, tip), lambda _=0, run=slot: run()
            )
            action.setShortcuts([QKeySequence(key) for key in keys])
            # Plain keys must not fire while typing elsewhere: the list itself handles them
            # (see eventFilter); the shortcuts are shown in menus and Help.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self._actions.append(action)
        whole = registry.register(
            ActionSpec(
                "actionSuggestWorkspace",
                tr("Suggest in whole &workspace"),
                tip=tr("Show suggestions from every document"),
                checkable=True,
            ),
        )
        whole.setChecked(self.workspace_scope)
        whole.toggled.connect(self.set_workspace_scope)
        self.workspace_button.toggled.connect(whole.setChecked)
        self._update_commands()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and isinstance(event, QKeyEvent):
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            command = _KEYS.get((Qt.Key(event.key()), shift))
            if command and not event.modifiers() & ~_PLAIN_KEYS:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # ours here, not a window shortcut's (Delete, Space)
                    return True
                if event.type() == QEvent.Type.KeyPress:
                    getattr(self, command)()
                    return True
        return super().eventFilter(watched, event)

    # -- what the queue holds ---------------------------------------------------------------

    def show_document(self, document_id: str | None) -> None:
        same = document_id == self.document_id and bool(self._order)
        self.document_id = document_id
        if not self.workspace_scope and not same:
            self.rescan()

    def set_workspace_scope(self, whole: bool) -> None:
        if whole != self.workspace_scope:
            self.workspace_scope = whole
            self.workspace_button.setChecked(whole)
            self.rescan()

    def rescan(self) -> None:
        """Scan everything in scope again (a workspace in chunks, the GUI kept live)."""
        self._found.clear()
        self._bodies.clear()
        if self.workspace_scope:
            documents = self.session.documents
            rows = documents.list(limit=max(1, documents.count()))
            self._order = [row.id for row in rows]
            self._titles = {row.id: row.title for row in rows}
        else:
            self._order = [self.document_id] if self.document_id else []
        self._pending = list(self._order)
        self._scan_some()

    def _scan_some(self) -> None:
        chunk, self._pending = self._pending[:SCAN_CHUNK], self._pending[SCAN_CHUNK:]
        self._scan(chunk)
        if self._pending:
            self._timer.start(0)

    def _scan(self, document_ids: list[str]) -> None:
        for document_id in document_ids:
            self._found[document_id] = []
            self._bodies.pop(document_id, None)
        for suggestion in self.service.suggest_documents(document_ids):
            self._found[suggestion.document_id].append(suggestion)
        self._show()

    def _on_changed(self, changes: ChangeSet) -> None:
        touched = self.service.documents_touched(changes)
        if touched is None or (self.workspace_scope and touched - set(self._order)):
            self.rescan()  # the registry changed, or documents came or went
        else:
            stale = [d for d in self._order if d in touched and d not in self._pending]
            if stale:
                self._scan(stale)

    def _show(self) -> None:
        current, row = self.current(), self.view.currentIndex().row()
        rows = [s for document_id in self._order for s in self._found.get(document_id, ())]
        self.model.set_rows(rows)
        if rows:
            keys = [s.key for s in rows]
            kept = current is not None and current.key in keys
            row = keys.index(current.key) if kept else max(0, min(row, len(rows) - 1))
            self.view.setCurrentIndex(self.model.index(row))
        self._update_commands()

    def _update_commands(self) -> None:
        count, current = self.model.rowCount(), self.current()
        for button in self.buttons.values():
            button.setEnabled(current is not None)
        for action in self._actions:
            action.setEnabled(current is not None)
        where = self.tr("the workspace") if self.workspace_scope else self.tr("this document")
        if not self.workspace_scope and self.document_id is None:
            text = self.tr("Open a document to see suggestions.")
        elif self._pending:
            text = self.tr("{n} so far; reading {left} more documents…").format(
                n=count, left=len(self._pending)
            )
        elif count:
            text = self.tr("{n} suggestions in {where}").format(n=count, where=where)
        else:
            text = self.tr("No suggestions in {where}.").format(where=where)
        self.summary.setText(text)

    def body(self, document_id: str) -> str:
        if document_id not in self._bodies:
            self._bodies[document_id] = self.session.documents.get(document_id).body
        return self._bodies[document_id]

    def title(self, document_id: str) -> str:
        if document_id not in self._titles:
            self._titles[document_id] = self.session.documents.get(document_id).title
        return self._titles[document_id]

    # -- commands ---------------------------------------------------------------------------

    def current(self) -> Suggestion | None:
        index = self.view.currentIndex()
        return self.model.data(index, SUGGESTION_ROLE) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_commands()
        suggestion = self.model.data(current, SUGGESTION_ROLE) if current.isValid() else None
        if suggestion is not None:
            self.suggestion_shown.emit(suggestion.document_id, suggestion.start, suggestion.end)

    def accept(self) -> None:
        s, role = self.current(), self.role_combo.currentData()
        if s is not None:
            text = self.tr("Link “{text}” to {name}").format(text=s.text, name=s.entity_name)
            self.workbench.apply(text, lambda: self.service.accept(s, role))

    def reject(self) -> None:
        s = self.current()
        if s is not None:
            text = self.tr("Reject “{text}” as {name}").format(text=s.text, name=s.entity_name)
            self.workbench.apply(text, lambda: self.service.reject(s))

    def accept_all(self) -> None:
        s, role = self.current(), self.role_combo.currentData()
        if s is not None:
            scope = None if self.workspace_scope else s.document_id
            text = self.tr("Link every suggestion of {name}").format(name=s.entity_name)
            self.workbench.apply(text, lambda: self.service.accept_all(s.entity_id, scope, role))

    def skip(self) -> None:
        """Go to the next suggestion (wrapping round); the skipped one stays in the queue."""
        count = self.model.rowCount()
        if count:
            self.view.setCurrentIndex(
                self.model.index((self.view.currentIndex().row() + 1) % count)
            )

    def focus_queue(self) -> None:
        self.show()
        self.raise_()
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
