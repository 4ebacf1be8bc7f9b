"""The suggestions dock: a queue of unlinked mentions of known entities, with the words
around each, worked from the keyboard. Accept, reject and accept-all are undoable steps
through ``Workbench.apply``; the queue follows every change (an alias added, a passage
linked, an undo) by re-scanning only the documents the change touched. A filter narrows the
queue to one entity; accept-all accepts exactly the suggestions shown, and its button and
tooltip say how many, of which entity, where."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import ChangeSet
from workstation.domain.text_display import shown_line
from workstation.domain.vocab import MENTION_ROLES
from workstation.services.suggestions import Suggestion
from workstation.ui.common.widgets import count_noun, named
from workstation.ui.queues.suggestions_model import (
    SUGGESTION_ROLE,
    SuggestionDelegate,
    SuggestionModel,
)
from workstation.ui.shell.actions import WIDGET, ActionRegistry, ActionSpec
from workstation.ui.shell.workbench import Workbench

SCAN_CHUNK = 40  # documents per event-loop turn in a workspace scan: the GUI stays live
_K = Qt.Key
_KEYS = {  # (key, shift) → command, in the queue list
    (_K.Key_A, False): "accept", (_K.Key_Return, False): "accept",
    (_K.Key_Enter, False): "accept", (_K.Key_R, False): "reject",
    (_K.Key_Delete, False): "reject", (_K.Key_A, True): "accept_all",
    (_K.Key_S, False): "skip", (_K.Key_Space, False): "skip",
}  # fmt: skip
_PLAIN_KEYS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


class SteadyButton(QPushButton):
    """A push button whose minimum width is that of a fixed floor text ("Accept all"), not
    of the text it shows ("Accept all 128"): a changing count never widens the dock (nor
    moves a restored layout). Squeezed below its text, it paints the text elided; ``text()``
    stays whole (the tooltip says the rest)."""

    def __init__(self, text: str, floor: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._floor = floor
        # A push button's policy is Minimum (its size hint is its floor): Preferred lets it
        # shrink to minimumSizeHint.
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)

    def _hint(self, text: str) -> QSize:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = text
        metrics = self.fontMetrics()
        inner = QSize(metrics.horizontalAdvance(text), max(metrics.height(), 14))
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option, inner, self)

    def minimumSizeHint(self) -> QSize:
        return self._hint(self._floor)

    def paintEvent(self, event: QPaintEvent) -> None:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        metrics = self.fontMetrics()
        padding = self._hint(self.text()).width() - metrics.horizontalAdvance(self.text())
        room = max(self.width() - padding, 0)
        option.text = metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, room)
        QStylePainter(self).drawControl(QStyle.ControlElement.CE_PushButton, option)


class SuggestionsDock(QDockWidget):
    # (document id, start, end) of the suggestion now current, for the reader to show it.
    suggestion_shown = Signal(str, int, int)

    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
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
            ("accept_all", tr("Accept all"), tr("Accept every suggestion shown (Shift+A)")),
            ("skip", tr("Skip"), tr("Leave it for now, go to the next (S, Space)")),
        ):
            name = "suggestions" + command.title().replace("_", "")
            # Accept-all's text carries a count: its width must not set the dock's minimum.
            widget = SteadyButton(text, text) if command == "accept_all" else QPushButton(text)
            button = self.buttons[command] = named(widget, name, text)
            button.setToolTip(tip)
            button.clicked.connect(getattr(self, command))
            buttons.addWidget(button)
        top, roles = QHBoxLayout(), QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.workspace_button)
        roles.addWidget(role_label)
        roles.addWidget(self.role_combo, 1)
        roles.addWidget(filter_label)
        roles.addWidget(self.filter_combo, 1)
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
            ("actionAcceptAllForEntity", tr("Accept all &shown"), ("Shift+A",),
             self.accept_all, tr("Link every suggestion the queue shows (its filter, its scope)")),
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
            rows = documents.list_documents()
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
        self._fill_filter(rows)
        wanted = self.filter_combo.currentData()
        if wanted is not None:
            rows = [s for s in rows if s.entity_id == wanted]
        self.model.set_rows(rows)
        if rows:
            keys = [s.key for s in rows]
            if current is not None and current.key in keys:
                row = keys.index(current.key)
            else:
                row = max(0, min(row, len(rows) - 1))
            self.view.setCurrentIndex(self.model.index(row))
        self._update_commands()

    def _fill_filter(self, rows: list[Suggestion]) -> None:
        """One entry per entity in the queue, with its count, most suggested first; the
        chosen entity stays chosen while it has suggestions."""
        counts = Counter(s.entity_id for s in rows)
        names = {s.entity_id: s.entity_name for s in rows}
        chosen = self.filter_combo.currentData()
        combo = self.filter_combo
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for entity_id, n in sorted(counts.items(), key=lambda i: (-i[1], names[i[0]])):
                combo.addItem(f"{shown_line(names[entity_id])} ({n})", entity_id)
            index = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(index, 0))
        finally:
            combo.blockSignals(False)

    def accept_all_text(self) -> tuple[str, str]:
        """(button text, tooltip) of accept-all: how many, of which entity, where."""
        n = self.model.rowCount()
        where = self.tr("the workspace") if self.workspace_scope else self.tr("this document")
        names = sorted({s.entity_name for s in self.model.rows})
        if len(names) == 1:
            whom = shown_line(names[0])
        else:
            whom = count_noun(len(names), self.tr("entity"), self.tr("entities"))
        button = self.tr("Accept all {n}").format(n=n)
        tip = self.tr(
            "Link all {n} shown ({whom}) in {where}, as one undo step (Shift+A). "
            "Choose an entity under Show to accept only its suggestions."
        ).format(
            n=count_noun(n, self.tr("suggestion"), self.tr("suggestions")), whom=whom, where=where
        )
        return button, tip

    def _update_commands(self) -> None:
        count, current = self.model.rowCount(), self.current()
        for button in self.buttons.values():
            button.setEnabled(current is not None)
        for action in self._actions:
            action.setEnabled(current is not None)
        label, tip = self.accept_all_text()
        self.buttons["accept_all"].setText(label)
        self.buttons["accept_all"].setToolTip(tip)
        if self._accept_all_action is not None:
            self._accept_all_action.setStatusTip(tip)
        where = self.tr("the workspace") if self.workspace_scope else self.tr("this document")
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
        """Accept every suggestion the queue shows (its filter, its scope) in one step."""
        shown, role = list(self.model.rows), self.role_combo.currentData()
        if shown:
            entities = {s.entity_name for s in shown}
            if len(entities) == 1:
                text = self.tr("Link all {n} of {name}").format(
                    n=count_noun(len(shown), self.tr("suggestion"), self.tr("suggestions")),
                    name=next(iter(entities)),
                )
            else:
                text = self.tr("Link all {n} shown ({k})").format(
                    n=count_noun(len(shown), self.tr("suggestion"), self.tr("suggestions")),
                    k=count_noun(len(entities), self.tr("entity"), self.tr("entities")),
                )
            self.workbench.apply(text, lambda: self.service.accept_many(shown, role))

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
