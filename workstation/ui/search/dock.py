"""The search dock: full-text hits with highlighted snippets, filters, paging, open a hit.

Filtering and paging happen in SQL (services.search); the model holds only the pages the
user has asked for (see search_results).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QWidget,
)

from workstation.domain.records import Annotation, Category, ChangeSet, Document, Entity, Mention
from workstation.services import search as search_service
from workstation.services.errors import WorkspaceError
from workstation.services.search import PAGE_SIZE, SearchFilters
from workstation.ui.common.widgets import count_noun
from workstation.ui.search.filters import SearchFilterBar
from workstation.ui.search.results import (
    HIT_ROLE,
    SearchModel,
    SnippetDelegate,
    plain_snippet,
    snippet_html,
)
from workstation.ui.shell.actions import ActionRegistry, ActionSpec
from workstation.ui.shell.workbench import Workbench

__all__ = ["SearchDock", "SearchModel", "SnippetDelegate", "plain_snippet", "snippet_html"]

SEARCH_DELAY_MS = 250
# Which changed tables can alter hits, and which the filter choices are built from.
# Records whose changes can alter the hits, and the filters' choices.
_HIT_KINDS = (Document, Annotation, Entity, Mention, Category)
_CHOICE_KINDS = (Document, Entity, Category)


class SearchDock(QDockWidget):
    hit_activated = Signal(str, object, object)  # document id, start, end (code points) or None
    entity_activated = Signal(str)  # entity id

    def __init__(
        self, workbench: Workbench, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE
    ):
        super().__init__(parent)
        self.setObjectName("searchDock")
        self.setWindowTitle(self.tr("Search"))
        self.workbench = workbench
        self.model = SearchModel(workbench.session, self, page_size=page_size)
        self.model.failed.connect(self._show_failure)
        self._failure = ""
        self._stale = False  # a search was due while the dock was hidden
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(SEARCH_DELAY_MS)
        self._delay.timeout.connect(self.run_search)
        self._build()
        self.reload_filter_choices()
        self._update_status()
        workbench.changed.connect(self._on_changed)

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        panel = QWidget(self)
        panel.setObjectName("searchPanel")
        self.field = QLineEdit()
        self.field.setObjectName("searchField")
        self.field.setAccessibleName(self.tr("Search text"))
        self.field.setPlaceholderText(self.tr("Search documents, passages, notes, entities…"))
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(lambda _text: self._delay.start())
        self.field.returnPressed.connect(self._search_and_focus_results)
        self.field.installEventFilter(self)
        self.filter_bar = SearchFilterBar()
        self.filter_bar.changed.connect(self._filters_changed)
        self.results = QListView()
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setModel(self.model)
        self.results.setItemDelegate(SnippetDelegate(self.results))
        self.results.setUniformItemSizes(True)  # one fixed row height: no per-row layout
        self.results.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.results.activated.connect(self.activate)  # Enter, or a double-click
        self.status_label = QLabel()
        self.status_label.setObjectName("searchStatus")
        self.status_label.setAccessibleName(self.tr("Search status"))
        self.more_button = QPushButton(self.tr("More results"))
        self.more_button.setObjectName("searchMoreResults")
        self.more_button.setAccessibleName(self.tr("More results"))
        self.more_button.clicked.connect(self.fetch_more)
        self.rank_button = QPushButton(self.tr("Rank by relevance"))
        self.rank_button.setObjectName("searchRankAnyway")
        self.rank_button.setToolTip(
            self.tr("Over {n} matches are listed newest first; rank them all (slower)").format(
                n=f"{search_service.RANK_LIMIT:,}"
            )
        )
        self.rank_button.clicked.connect(self.rank_anyway)
        self.rank_button.hide()
        self.model.modelReset.connect(self._update_status)
        self.model.rowsInserted.connect(self._update_status)
        self.model.exhausted.connect(self._update_status)

        grid = QGridLayout(panel)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.addWidget(self.field, 0, 0, 1, 2)
        grid.addWidget(self.filter_bar, 1, 0, 1, 2)
        grid.addWidget(self.results, 2, 0, 1, 2)
        grid.addWidget(self.status_label, 3, 0)
        grid.addWidget(self.more_button, 3, 1)
        grid.addWidget(self.rank_button, 4, 1)
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(2, 1)
        self.setWidget(panel)

    def register_actions(self, registry: ActionRegistry) -> None:
        registry.register(
            ActionSpec(
                "actionFocusSearch",
                self.tr("&Search…"),
                QKeySequence.StandardKey.Find,
                tip=self.tr("Search documents, passages, notes and entities"),
                writes=False,
            ),
            self.focus_search,
        )

    # -- filters ----------------------------------------------------------------------------

    def reload_filter_choices(self) -> None:
        """Refill the filter lists; search again if a chosen item has gone."""
        try:
            choices = self.workbench.session.search.choices()
        except WorkspaceError as exc:
            self._show_failure(str(exc))
            return
        if self.filter_bar.set_choices(choices):
            self._filters_changed()

    def filters(self) -> SearchFilters:
        return self.filter_bar.filters()

    def set_filters(self, filters: SearchFilters) -> None:
        """Show ``filters`` in the controls and search once with them."""
        self.filter_bar.set_filters(filters)
        self._filters_changed()

    def clear_filters(self) -> None:
        self.set_filters(SearchFilters())

    def _filters_changed(self, *_args: object) -> None:
        if self.model.query_text or self.field.text().strip():
            self.run_search()

    # -- searching --------------------------------------------------------------------------

    def search(self, text: str) -> None:
        """Type ``text`` into the field and search at once (no typing delay)."""
        self.field.setText(text)
        self.run_search()

    def run_search(self) -> None:
        self._delay.stop()
        self._stale = False
        self._failure = ""
        self.model.set_query(self.field.text().strip(), self.filters())

    def fetch_more(self) -> None:
        self.model.fetchMore(QModelIndex())

    def rank_anyway(self) -> None:
        """Rank every match of the current query by relevance, however many there are."""
        self.model.set_query(self.model.query_text, self.filters(), rank_anyway=True)

    def focus_search(self) -> None:
        self.show()
        self.raise_()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _search_and_focus_results(self) -> None:
        self.run_search()
        self._focus_results()

    def _focus_results(self) -> None:
        if self.model.rowCount():
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(self.model.index(0, 0))

    def activate(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE) if index.isValid() else None
        if hit is None:
            return
        if hit.kind == "entity" or hit.document_id is None:
            self.entity_activated.emit(hit.record_id)
            return
        # Select the matched words when they lie in the body; else the passage, if any.
        start, end = (
            (hit.match_start, hit.match_end)
            if hit.match_start is not None
            else (hit.start, hit.end)
        )
        self.workbench.open_document(hit.document_id)
        if hit.kind == "passage":
            self.workbench.select_passage(hit.record_id)
        self.hit_activated.emit(hit.document_id, start, end)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(*_CHOICE_KINDS):
            self.reload_filter_choices()
        if changes.touches(*_HIT_KINDS) and self.model.query_text:
            self._delay.start()

    def _show_failure(self, message: str) -> None:
        self._failure = message
        self.workbench.status.emit(message)
        self._update_status()

    def _update_status(self, *_args: object) -> None:
        count = self.model.rowCount()
        more = self.model.canFetchMore(QModelIndex())
        if self._failure:
            text = self.tr("Search failed: {message}").format(message=self._failure)
        elif not self.model.query_text:
            text = self.tr('Words, "a phrase" or a prefix*')
        elif count == 0:
            text = self.tr("No matches")
        elif self.model.newest_first:
            text = self.tr("Many matches: newest {count} first").format(count=count)
        elif more:
            text = self.tr("First {count}").format(
                count=count_noun(count, self.tr("hit"), self.tr("hits"))
            )
        else:
            text = count_noun(count, self.tr("hit"), self.tr("hits"))
        self.status_label.setText(text)
        self.more_button.setEnabled(more)
        self.rank_button.setVisible(self.model.newest_first and not self._failure)

    def hideEvent(self, event: QHideEvent) -> None:
        # No searching for a hidden dock (nor after its window closed and the session went).
        if self._delay.isActive():
            self._delay.stop()
            self._stale = True
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._delay.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount()
        ):
            self._focus_results()
            return True
        return super().eventFilter(watched, event)
