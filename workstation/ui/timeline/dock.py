"""The timeline dock: an episode's events in date order as a tree, each answer under the
event it answers (and marked "↳"), filtered by actor and kind. Selecting an event lists its
evidence; activating a passage opens it in the reader. New, edit and delete go through the
event form and ``Workbench.apply``, so each is one undo step."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import ChangeSet, Document, Entity, Episode, Event, Evidence
from workstation.domain.vocab import EVENT_KINDS
from workstation.ui.common.widgets import caption, hbox, named
from workstation.ui.shell.actions import ActionRegistry, ActionSpec
from workstation.ui.shell.workbench import Workbench
from workstation.ui.timeline.event_form import (
    DOCUMENT_ROLE,
    PASSAGE_ROLE,
    EventForm,
    PassageList,
)
from workstation.ui.timeline.model import EVENT_ROLE, TimelineModel

# Edits to these can change what the timeline shows (a deleted passage takes its evidence
# links with it, so the "evidence" table covers passages).
WATCHED = (Event, Evidence, Entity, Episode, Document)
_EDIT_KEYS = (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
# Events the tree shows at least, whatever else shares the window's height (the default
# layout gives it ~10 at 1280×800; 5 still fit beside the inspector and the history).
TIMELINE_ROWS = 5


class TimelineDock(QDockWidget):
    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
        super().__init__(self.tr("Timeline"), parent)
        self.setObjectName("timelineDock")
        self.setAccessibleName(self.tr("Timeline of events"))
        self.workbench, self.session = workbench, workbench.session
        self.form: EventForm | None = None
        self._selection_actions: list[QAction] = []  # enabled only while an event is selected
        tr = self.tr

        self.episode = named(QComboBox(), "timelineEpisode", tr("Episode"))
        self.actor_filter = named(QComboBox(), "timelineActorFilter", tr("Filter by actor"))
        self.kind_filter = named(QComboBox(), "timelineKindFilter", tr("Filter by kind"))
        self.kind_filter.addItem(tr("All kinds"), None)
        for kind in EVENT_KINDS:
            self.kind_filter.addItem(tr(kind.capitalize()), kind)
        self.model = TimelineModel(self)
        self.model.setObjectName("timelineModel")
        self.tree = named(QTreeView(), "timelineTree", tr("Events"))
        self.tree.setModel(self.model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        # A timeline is read as a sequence: never squeezed to a few events.
        row = max(self.tree.fontMetrics().height() + 4, 16)
        self.tree.setMinimumHeight(header.sizeHint().height() + row * TIMELINE_ROWS + 6)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Widths from the longest possible text, not measured per row (slow on long timelines);
        # names can be long: a fixed share, elided, and whole in the tooltip.
        metrics, pad = (
            self.tree.fontMetrics(),
            4 * self.tree.style().pixelMetric(self.tree.style().PixelMetric.PM_HeaderMargin),
        )
        kinds = [self.kind_filter.itemText(i) for i in range(1, self.kind_filter.count())]
        for column, texts in ((1, ["00 WWW 0000"]), (2, kinds), (3, ["W" * 12])):
            width = max(metrics.horizontalAdvance(t) for t in [*texts, self.model.COLUMNS[column]])
            header.resizeSection(column, width + pad)
        self.hint = named(QLabel(), "timelineHint", tr("Timeline hint"))
        self.details = named(QLabel(), "timelineDetails", tr("Selected event"))
        for label in (self.hint, self.details):
            label.setWordWrap(True)
        self.evidence = PassageList(self.session, "timelineEvidence", tr("Evidence passages"))
        self.new_button = named(QPushButton(tr("&New…")), "timelineNewEvent", tr("New event"))
        self.edit_button = named(QPushButton(tr("&Edit…")), "timelineEditEvent", tr("Edit event"))
        self.delete_button = named(
            QPushButton(tr("&Delete")), "timelineDeleteEvent", tr("Delete event")
        )
        self._lay_out()

        for combo in (self.episode, self.actor_filter, self.kind_filter):
            combo.currentIndexChanged.connect(self.reload)
        self.tree.selectionModel().currentRowChanged.connect(self._show_selected)
        self.tree.activated.connect(lambda _index: self.edit_event())
        self.tree.installEventFilter(self)
        self.evidence.activated.connect(self.open_passage)
        self.new_button.clicked.connect(self.new_event)
        self.edit_button.clicked.connect(self.edit_event)
        self.delete_button.clicked.connect(self.delete_event)
        workbench.changed.connect(self._on_changed)
        self.reload()

    def _lay_out(self) -> None:
        self.episode_row = QWidget()
        self.episode_row.setObjectName("timelineEpisodeRow")
        episode_row = hbox(caption(self.tr("E&pisode:"), self.episode), self.episode, grow=(1,))
        self.episode_row.setLayout(episode_row)
        episode_row.setContentsMargins(0, 0, 0, 0)
        actor_caption = caption(self.tr("&Actor:"), self.actor_filter)
        kind_caption = caption(self.tr("&Kind:"), self.kind_filter)
        top, bottom = QWidget(), QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(6, 4, 6, 0)
        column.addWidget(self.episode_row)
        filters = (actor_caption, self.actor_filter, kind_caption, self.kind_filter)
        column.addLayout(hbox(*filters, grow=(1, 3)))
        column.addWidget(self.hint)
        column.addWidget(self.tree, 1)
        column.addLayout(hbox(self.new_button, self.edit_button, self.delete_button))
        column = QVBoxLayout(bottom)
        column.setContentsMargins(6, 0, 6, 6)
        column.addWidget(self.details)
        column.addWidget(
            caption(self.tr("E&vidence (Enter opens it in the reader):"), self.evidence)
        )
        column.addWidget(self.evidence, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("timelineSplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([300, 200])
        self.setWidget(self.splitter)
        self.dockLocationChanged.connect(self._follow_area)

    def _follow_area(self, area: Qt.DockWidgetArea) -> None:
        """Docked above or below the reader the dock is wide: evidence beside the events."""
        wide = area in (Qt.DockWidgetArea.TopDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        # The events need the room; the evidence list is a companion.
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1 if wide else 2)

    # -- actions ----------------------------------------------------------------------------

    def register_actions(self, registry: ActionRegistry) -> None:
        tr = self.tr
        for name, text, keys, tip, slot in (
            ("actionNewEvent", tr("New &event…"), "Ctrl+E",
             tr("Make an event from the selected passage (its evidence)"), self.new_event),
            ("actionEditEvent", tr("Ed&it event…"), None,
             tr("Edit the event selected in the timeline"), self.edit_event),
            ("actionDeleteEvent", tr("De&lete event"), None,
             tr("Delete the event selected in the timeline"), self.delete_event),
            ("actionFocusTimeline", tr("Focus &timeline"), "Ctrl+Shift+T",
             tr("Show the timeline of events"), self.focus_timeline),
        ):  # fmt: skip
            writes = name != "actionFocusTimeline"
            action = registry.register(ActionSpec(name, text, keys, tip, writes=writes), slot)
            if name in ("actionEditEvent", "actionDeleteEvent"):
                self._selection_actions.append(action)
        self._update_buttons()

    def focus_timeline(self) -> None:
        self.show()
        self.raise_()
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- showing ----------------------------------------------------------------------------

    def episode_id(self) -> str | None:
        return self.episode.currentData()

    def current_event_id(self) -> str | None:
        return self.tree.currentIndex().data(EVENT_ROLE)

    def reload(self) -> None:
        keep = self.current_event_id()
        _refill(self.episode, [(e.id, e.title) for e in self.session.episodes.list_episodes()])
        self.episode_row.setVisible(self.episode.count() > 1)
        episode_id = self.episode_id()
        people = self.session.timeline.actors(episode_id) if episode_id else []
        _refill(self.actor_filter, people, self.tr("All actors"))
        actor, kind = self.actor_filter.currentData(), self.kind_filter.currentData()
        timeline = self.session.timeline
        rows = timeline.rows(episode_id, actor_id=actor, kind=kind) if episode_id else []
        self.model.set_rows(rows)
        self.tree.expandAll()
        hint = ""
        if episode_id is None:
            hint = self.tr("No episode yet: create one, then make events from passages.")
        elif not rows and actor is None and kind is None:
            hint = self.tr("No events yet: select a passage in the reader and press Ctrl+E.")
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.select_event(keep)

    def select_event(self, event_id: str | None) -> None:
        index = self.model.index_of(event_id)
        self.tree.setCurrentIndex(index)
        if index.isValid():
            self.tree.scrollTo(index)
        self._show_selected()

    def _show_selected(self, *_args: object) -> None:
        row = self.model.row_at(self.tree.currentIndex())
        self.evidence.set_passages(list(row.evidence) if row else [])
        legal = self.tr("Legal basis: {text}").format(text=row.legal_basis) if row else ""
        parts = [row.summary, legal if row.legal_basis else ""] if row else []
        self.details.setText("\n".join(p for p in parts if p))
        self.details.setVisible(bool(self.details.text()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current_event_id() is not None
        self.new_button.setEnabled(self.episode_id() is not None)
        controls: list[QPushButton | QAction] = [self.edit_button, self.delete_button]
        for control in [*controls, *self._selection_actions]:
            control.setEnabled(chosen)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(*WATCHED):
            self.reload()

    # -- commands ---------------------------------------------------------------------------

    def open_passage(self, index: QModelIndex) -> None:
        """Open an evidence passage in the reader, selected."""
        document_id, passage_id = index.data(DOCUMENT_ROLE), index.data(PASSAGE_ROLE)
        if self.workbench.current_document != document_id:
            self.workbench.open_document(document_id)
        self.workbench.select_passage(passage_id)

    def new_event(self) -> EventForm | None:
        """The event form, its evidence the passage selected in the reader."""
        passage = self.workbench.current_passage
        return self._open_form(None, [passage] if passage else [])

    def edit_event(self) -> EventForm | None:
        event_id = self.current_event_id()
        return self._open_form(event_id, []) if event_id else None

    def _open_form(self, event_id: str | None, passages: list[str]) -> EventForm | None:
        episode_id = self.episode_id()
        if episode_id is None:
            self.workbench.status.emit(self.tr("Create an episode first"))
            return None
        if self.form is not None and self.form.isVisible():
            self.form.raise_()  # one at a time: typing in an open form is never lost
            self.form.activateWindow()
            return self.form
        if self.form is not None:
            self.form.deleteLater()
        self.form = EventForm(
            self.workbench, episode_id, event_id=event_id, passages=passages, parent=self
        )
        self.form.saved.connect(self.select_event)
        self.form.show()
        return self.form

    def delete_event(self) -> None:
        row = self.model.row_at(self.tree.currentIndex())
        if row is None:
            return
        episodes = self.session.episodes
        text = self.tr("Delete event “{title}”").format(title=row.title)
        if self.workbench.apply(text, lambda: episodes.delete_event(row.event_id)):
            self.workbench.status.emit(self.tr("Event deleted (Ctrl+Z brings it back)"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Delete in the tree deletes the event, not the reader's passage (whose window-wide
        shortcut would take the key unless the tree claims it first)."""
        key = getattr(event, "key", lambda: None)()
        if watched is self.tree and event.type() in _EDIT_KEYS and key == Qt.Key.Key_Delete:
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self.delete_event()
            return True
        return super().eventFilter(watched, event)


def _refill(combo: QComboBox, items: list[tuple[str, str]], everything: str | None = None) -> None:
    """Replace a combo's items, keeping the chosen one if it is still there (no signals)."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if everything is not None:
        combo.addItem(everything, None)
    for value, label in items:
        combo.addItem(label, value)
    combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
    combo.blockSignals(False)
