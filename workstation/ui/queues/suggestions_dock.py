"""The suggestions dock: one queue of what is proposed — unlinked mentions of known
entities, and the assistant's new names, passages to mark and events to draft (issue 16) —
with the words around each and why, worked from the keyboard. Accept, reject and accept-all
are undoable steps through ``Workbench.apply``; the queue follows every change (an alias
added, a passage linked, an undo) by re-scanning only the documents the change touched, and
asks the assistant again in the background (``assistant_queue``). Filters narrow the queue
to one kind and, for mentions, one entity; accept-all accepts exactly the rows shown (never
an event: each is confirmed in the event form), and its button and tooltip say how many, of
what, where. The panel under the list says why the current row is proposed.

The kind filter starts on All, and the officer's choice is remembered: the assistant runs
(in the background) only while the queue shows its kinds."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.assistant import Proposal
from workstation.domain.records import ChangeSet
from workstation.domain.vocab import MENTION_ROLES
from workstation.services.suggestions import Suggestion
from workstation.ui.common.widgets import count_noun, named
from workstation.ui.queues import queue_filters as filters
from workstation.ui.queues.assistant_queue import AssistantQueue, assistant_touched
from workstation.ui.queues.proposal_rows import (
    ALL,
    QueueRow,
    counts,
    explanation,
    kind_of,
    ordered,
)
from workstation.ui.queues.queue_widgets import ExplanationPanel, SteadyButton
from workstation.ui.queues.suggestions_model import (
    SUGGESTION_ROLE,
    SuggestionDelegate,
    SuggestionModel,
)
from workstation.ui.shell.actions import WIDGET, ActionRegistry, ActionSpec
from workstation.ui.shell.workbench import Workbench

__all__ = ["SteadyButton", "SuggestionsDock"]

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

    def __init__(
        self, workbench: Workbench, parent: QWidget | None = None, *, kind: str | None = None
    ):
        super().__init__(self.tr("Suggestions"), parent)
        self.setObjectName("suggestionsDock")
        self.setAccessibleName(self.tr("Mention suggestions"))
        self.workbench = workbench
        self.session = workbench.session
        self.service = workbench.session.suggestions
        self.workspace_scope = False
        self.document_id: str | None = None
        self._found: dict[str, list[Suggestion]] = {}  # document id → its suggestions
        self._order: list[str] = []  # the documents in scope, in library order
        self._pending: list[str] = []  # those a workspace scan has still to read
        self._bodies: dict[str, str] = {}
        self._titles: dict[str, str] = {}
        self._actions: list[QAction] = []
        self._accept_all_action: QAction | None = None
        self.assistant = AssistantQueue(workbench, self)
        self.assistant.arrived.connect(self._show)
        self._build(kind or filters.saved_kind())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._scan_some)
        workbench.document_opened.connect(self.show_document)
        workbench.changed.connect(self._on_changed)
        self.show_document(workbench.current_document)

    def _build(self, kind: str) -> None:
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
        self.filter_combo = named(QComboBox(), "suggestionsFilter", tr("Show suggestions of"))
        self.filter_combo.addItem(tr("All entities"), None)
        # Entity names are long and come and go: they must not widen the dock (elided, the
        # whole name in the tooltip).
        self.filter_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.filter_combo.setMinimumContentsLength(8)
        self.filter_combo.currentTextChanged.connect(self.filter_combo.setToolTip)
        self.filter_combo.currentIndexChanged.connect(lambda _=0: self._show())
        filter_label = named(QLabel(tr("S&how")), "suggestionsFilterLabel", tr("Show"))
        filter_label.setBuddy(self.filter_combo)
        kind_label, self.kind_combo, self.least_certain = filters.kind_controls(kind, tr)
        self.kind_combo.currentIndexChanged.connect(lambda _=0: self._kind_changed())
        self.least_certain.toggled.connect(self.set_least_certain_first)
        self.model = SuggestionModel(self, self)
        self.view = named(QListView(), "suggestionsList", tr("Suggestion queue"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(SuggestionDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.installEventFilter(self)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.explanation = named(
            ExplanationPanel(), "suggestionsExplanation", tr("Why it is proposed")
        )
        self.buttons: dict[str, QPushButton] = {}
        self._mention_tips: dict[str, str] = {}
        buttons = QHBoxLayout()
        for command, text, tip in (
            ("accept", tr("Accept"), tr("Create the passage, link the entity (A, Enter)")),
            ("reject", tr("Reject"), tr("Never suggest this span for this entity (R, Delete)")),
            ("accept_all", tr("Accept all"), tr("Accept every suggestion shown (Shift+A)")),
            ("skip", tr("Skip"), tr("Leave it for now, go to the next (S, Space)")),
        ):
            name = "suggestions" + command.title().replace("_", "")
            # Accept-all's text carries a count: its width must not set the dock's minimum.
            widget = SteadyButton(text, text) if command == "accept_all" else QPushButton(text)
            button = self.buttons[command] = named(widget, name, text)
            button.setToolTip(tip)
            self._mention_tips[command] = tip
            button.clicked.connect(getattr(self, command))
            buttons.addWidget(button)
        top, roles, kinds = QHBoxLayout(), QHBoxLayout(), QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.workspace_button)
        roles.addWidget(role_label)
        roles.addWidget(self.role_combo, 1)
        roles.addWidget(filter_label)
        roles.addWidget(self.filter_combo, 1)
        kinds.addWidget(kind_label)
        kinds.addWidget(self.kind_combo, 1)
        kinds.addWidget(self.least_certain)
        body = QWidget()
        body.setObjectName("suggestionsBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 6, 6, 6)
        column.addLayout(top)
        column.addLayout(kinds)
        column.addLayout(roles)
        # The list and the panel share the height; the officer moves the line between them.
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("suggestionsSplit")
        split.setChildrenCollapsible(False)
        split.addWidget(self.view)
        split.addWidget(self.explanation)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        column.addWidget(split, 1)
        column.addLayout(buttons)
        self.setWidget(body)
        self.assistant.active = self.kind != "mention"

    # -- actions ----------------------------------------------------------------------------

    def register_actions(self, registry: ActionRegistry) -> None:
        tr = self.tr
        for name, text, keys, slot, tip in (
            ("actionAcceptSuggestion", tr("&Accept suggestion"), ("A", "Return"), self.accept,
             tr("Accept the current suggestion (keys act in the suggestions list)")),
            ("actionRejectSuggestion", tr("&Reject suggestion"), ("R", "Del"), self.reject,
             tr("Never suggest the current one again")),
            ("actionAcceptAllForEntity", tr("Accept all &shown"), ("Shift+A",),
             self.accept_all, tr("Accept every suggestion the queue shows (never events)")),
            ("actionSkipSuggestion", tr("S&kip suggestion"), ("S", "Space"), self.skip,
             tr("Go to the next suggestion")),
        ):  # fmt: skip
            # Plain keys must not fire while typing elsewhere: they act in the list only,
            # which handles them itself (see eventFilter); menus and Help show them.
            action = registry.register(
                ActionSpec(
                    name, text, keys, tip, writes=name != "actionSkipSuggestion", context=WIDGET
                ),
                lambda _=0, run=slot: run(),
                widget=self.view,
            )
            self._actions.append(action)
            if name == "actionAcceptAllForEntity":
                self._accept_all_action = action
        whole = registry.register(
            ActionSpec(
                "actionSuggestWorkspace",
                tr("Suggest in whole &workspace"),
                tip=tr("Show suggestions from every document"),
                checkable=True,
                writes=False,
            ),
        )
        whole.setChecked(self.workspace_scope)
        whole.toggled.connect(self.set_workspace_scope)
        self.workspace_button.toggled.connect(whole.setChecked)
        self.assistant.register_actions(registry, self.least_certain)
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

    @property
    def kind(self) -> str:
        """The kind shown: ``"all"``, ``"mention"``, ``"name"``, ``"passage"``, ``"event"``."""
        return str(self.kind_combo.currentData() or ALL)

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))

    def _kind_changed(self) -> None:
        filters.save_kind(self.kind)
        was, self.assistant.active = self.assistant.active, self.kind != "mention"
        if self.assistant.active and not was:
            self.assistant.refresh(self._assistant_scope())
        self._show()

    def set_least_certain_first(self, on: bool) -> None:
        filters.save_least_certain_first(on)
        self._show()

    def _assistant_scope(self) -> list[str] | None:
        if self.workspace_scope:
            return None
        return [self.document_id] if self.document_id else []

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
            rows = documents.list_documents()
            self._order = [row.id for row in rows]
            self._titles = {row.id: row.title for row in rows}
        else:
            self._order = [self.document_id] if self.document_id else []
        self._pending = list(self._order)
        self.assistant.refresh(self._assistant_scope(), keep=False)
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
            return
        stale = [d for d in self._order if d in touched and d not in self._pending]
        if stale:
            self._scan(stale)
        # Any change may teach the assistant (a decision, a passage): ask again; the rows
        # shown stay until the answer arrives.
        self.assistant.refresh(self._assistant_scope(), touched=assistant_touched(changes, touched))

    def _show(self) -> None:
        current, row = self.current(), self.view.currentIndex().row()
        mentions = [s for document_id in self._order for s in self._found.get(document_id, ())]
        proposals = ordered(self.assistant.proposals, self.least_certain.isChecked())
        every: list[QueueRow] = [*mentions, *proposals]
        counted = {"mention", "name", "passage", "event"} if self.assistant.active else {"mention"}
        filters.fill_kinds(self.kind_combo, counts(every), counted, self.tr)
        kind = self.kind
        filters.fill_entities(self.filter_combo, mentions)
        wanted = self.filter_combo.currentData()
        self.filter_combo.setEnabled(kind in (ALL, "mention"))
        rows = [r for r in every if filters.shows(kind, r)]
        if wanted is not None:
            rows = [s for s in rows if isinstance(s, Suggestion) and s.entity_id == wanted]
        self.model.set_rows(rows)
        if rows:
            keys = [s.key for s in rows]
            if current is not None and current.key in keys:
                row = keys.index(current.key)
            else:
                row = max(0, min(row, len(rows) - 1))
            self.view.setCurrentIndex(self.model.index(row))
        self._update_commands()
        self._explain()

    def _update_commands(self) -> None:
        count, current = self.model.rowCount(), self.current()
        for button in self.buttons.values():
            button.setEnabled(current is not None)
        for action in self._actions:
            action.setEnabled(current is not None)
        where = self.tr("the workspace") if self.workspace_scope else self.tr("this document")
        label, tip, some = filters.accept_all_text(self.model.rows, where, self.tr)
        self.buttons["accept_all"].setText(label)
        self.buttons["accept_all"].setToolTip(tip)
        self.buttons["accept_all"].setEnabled(some)
        if self._accept_all_action is not None:
            self._accept_all_action.setStatusTip(tip)
            self._accept_all_action.setEnabled(some)
        tips = self.assistant.tips(kind_of(current)) if current is not None else {}
        for command in ("accept", "reject"):
            self.buttons[command].setToolTip(tips.get(command, self._mention_tips[command]))
        if not self.workspace_scope and self.document_id is None:
            text = self.tr("Open a document to see suggestions.")
        elif self._pending:
            text = self.tr("{n} so far; reading {left} more…").format(
                n=count,
                left=count_noun(len(self._pending), self.tr("document"), self.tr("documents")),
            )
        elif count:
            text = self.tr("{n} in {where}").format(
                n=count_noun(count, self.tr("suggestion"), self.tr("suggestions")), where=where
            )
        else:
            text = self.tr("No suggestions in {where}.").format(where=where)
        if self.assistant.active and self.assistant.reading:
            text += " " + self.tr("The assistant is reading…")
        self.summary.setText(text)

    def _explain(self) -> None:
        self.explanation.show_text(
            explanation(self.current(), self.assistant.entity_name, self.event_title)
        )

    def body(self, document_id: str) -> str:
        if document_id not in self._bodies:
            self._bodies[document_id] = self.session.documents.get(document_id).body
        return self._bodies[document_id]

    def title(self, document_id: str) -> str:
        if document_id not in self._titles:
            self._titles[document_id] = self.session.documents.get(document_id).title
        return self._titles[document_id]

    def event_title(self, event_id: str) -> str:
        return self.assistant.event_title(event_id)

    # -- commands ---------------------------------------------------------------------------

    def current(self) -> QueueRow | None:
        index = self.view.currentIndex()
        return self.model.data(index, SUGGESTION_ROLE) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_commands()
        self._explain()
        suggestion = self.model.data(current, SUGGESTION_ROLE) if current.isValid() else None
        if suggestion is not None:
            self.suggestion_shown.emit(suggestion.document_id, suggestion.start, suggestion.end)

    def accept(self) -> None:
        s, role = self.current(), self.role_combo.currentData()
        if isinstance(s, Proposal):
            self.assistant.accept(s)
        elif s is not None:
            text = self.tr("Link “{text}” to {name}").format(text=s.text, name=s.entity_name)
            self.workbench.apply(text, lambda: self.service.accept(s, role))

    def reject(self) -> None:
        s = self.current()
        if isinstance(s, Proposal):
            self.assistant.reject(s)
        elif s is not None:
            text = self.tr("Reject “{text}” as {name}").format(text=s.text, name=s.entity_name)
            self.workbench.apply(text, lambda: self.service.reject(s))

    def accept_all(self) -> None:
        """Accept every row the queue shows (its filters, its scope) in one step; events are
        left for the form."""
        rows, role = list(self.model.rows), self.role_combo.currentData()
        shown = [s for s in rows if isinstance(s, Suggestion)]
        proposals = [p for p in rows if isinstance(p, Proposal) and p.kind != "event"]
        self.assistant.accept_shown(shown, proposals, role)

    def skip(self) -> None:
        """Go to the next suggestion (wrapping round); the skipped one stays in the queue."""
        count = self.model.rowCount()
        if count:
            self.view.setCurrentIndex(
                self.model.index((self.view.currentIndex().row() + 1) % count)
            )

    def _context_menu(self, where: QPoint) -> None:
        index = self.view.indexAt(where)
        row = self.model.data(index, SUGGESTION_ROLE) if index.isValid() else None
        if index.isValid():
            self.view.setCurrentIndex(index)
        proposal = row if isinstance(row, Proposal) else None
        self.assistant.show_menu(proposal, self.view, self.view.viewport().mapToGlobal(where))

    def focus_queue(self) -> None:
        self.show()
        self.raise_()
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
