"""The library dock: every document in a windowed table, a filter, and the commands to
move through the list. Selecting a row opens the document; a document opened elsewhere is
shown selected. Stays fast at 100k documents (see model.py).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import Annotation, ChangeSet, Document
from workstation.services.library import LibraryQuery, LibraryService
from workstation.ui.common.widgets import count_noun
from workstation.ui.library.details_dialog import DocumentDetailsDialog, open_details
from workstation.ui.library.grade_delegate import install_grade_editing
from workstation.ui.library.model import LibraryModel
from workstation.ui.shell.actions import WIDGET, ActionRegistry, ActionSpec
from workstation.ui.shell.workbench import Workbench

__all__ = ["LibraryDock", "LibraryModel", "OutletFilter"]

FILTER_DELAY_MS = 200  # typing pauses this long before the list is filtered


class OutletFilter(QComboBox):
    """ "All outlets" or one outlet; the list is read when it opens, so it is never stale
    and costs nothing until used."""

    def __init__(self, library: LibraryService, parent: QWidget | None = None):
        super().__init__(parent)
        self._library = library
        self.addItem(self.tr("All outlets"), None)

    def outlet(self) -> str | None:
        return self.currentData()

    def reload(self) -> None:
        """Re-read the outlets, keeping the one chosen (no signal: the choice is the same)."""
        chosen = self.outlet()
        self.blockSignals(True)
        try:
            self.clear()
            self.addItem(self.tr("All outlets"), None)
            names = self._library.outlets()
            if chosen is not None and chosen not in names:
                names.append(chosen)  # gone from the workspace: the filter still shows it
            for name in names:
                self.addItem(name, name)
            self.setCurrentIndex(self.findData(chosen) if chosen is not None else 0)
        finally:
            self.blockSignals(False)

    def showPopup(self) -> None:
        self.reload()
        super().showPopup()


class LibraryDock(QDockWidget):
    """The document list with its filter; selecting a row opens the document."""

    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
        super().__init__(self.tr("Library"), parent)
        self.setObjectName("libraryDock")
        self.setAccessibleName(self.tr("Library"))
        self.workbench = workbench
        self.library = workbench.session.library
        self.model = LibraryModel(self.library, self)
        self._reflecting = False  # selecting a row to mirror the workbench: do not reopen
        self._kept_id: str | None = None
        self.details: DocumentDetailsDialog | None = None
        self._registry: ActionRegistry | None = None

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("libraryFilter")
        self.filter_edit.setAccessibleName(self.tr("Filter documents"))
        self.filter_edit.setPlaceholderText(self.tr("Filter by title or outlet"))
        self.filter_edit.setClearButtonEnabled(True)
        self.outlet_filter = OutletFilter(self.library)
        self.outlet_filter.setObjectName("libraryOutlet")
        self.outlet_filter.setAccessibleName(self.tr("Outlet"))
        self.outlet_filter.view().setObjectName("libraryOutletList")
        self.count_label = QLabel()
        self.count_label.setObjectName("libraryCount")
        self.view = self._make_view()
        self.grade_delegate = install_grade_editing(self.view, self.model, workbench)

        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.outlet_filter)
        body = QWidget()
        body.setObjectName("libraryBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self.setWidget(body)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self._filter_and_go_to_list)
        self.outlet_filter.currentIndexChanged.connect(self.apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.view.activated.connect(self._on_activated)
        # A click opens the document; a double-click outside the Grade column (whose
        # double-click edits the grade in place) opens its details too.
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._after_reset)
        # Documents arriving in bulk (an import's chunks, a merge) re-read the list once, on
        # a turn of the event loop of its own, not inside every view's handling of each chunk.
        self._reset_timer = QTimer(self)
        self._reset_timer.setSingleShot(True)
        self._reset_timer.setInterval(0)
        self._reset_timer.timeout.connect(self._reset_now)
        workbench.changed.connect(self._on_changed)
        workbench.document_opened.connect(self.select_document)
        self._show_count()

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setObjectName("libraryView")
        view.setAccessibleName(self.tr("Documents"))
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setAlternatingRowColors(True)
        rows = view.verticalHeader()
        rows.setVisible(False)
        # Fixed row heights: ResizeToContents on 100k rows froze for 27 s
        # (docs/architecture.md, Pitfalls).
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        # Widths from the font, never from the contents (that would read every page).
        width = view.fontMetrics().horizontalAdvance
        for column, sample in enumerate(("", "Interfax  ", "2021-04-15", "Grade", "Passages")):
            if sample:
                view.setColumnWidth(column, width(sample) + 24)  # room for the sort arrow
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)  # newest added first
        view.setSortingEnabled(True)
        return view

    # -- commands ---------------------------------------------------------------------------

    def register_actions(self, registry: ActionRegistry) -> None:
        registry.register(
            ActionSpec(
                "actionNextDocument",
                self.tr("Next document"),
                "Ctrl+PgDown",
                self.tr("Open the next document in the library"),
                writes=False,
            ),
            lambda: self.step(1),
        )
        registry.register(
            ActionSpec(
                "actionPreviousDocument",
                self.tr("Previous document"),
                "Ctrl+PgUp",
                self.tr("Open the previous document in the library"),
                writes=False,
            ),
            lambda: self.step(-1),
        )
        registry.register(
            ActionSpec(
                "actionFocusLibraryFilter",
                self.tr("Filter library"),
                "Ctrl+L",
                self.tr("Type to filter the library by title or outlet"),
                writes=False,
            ),
            self.focus_filter,
        )
        # F2 in the list (outside the Grade column, where F2 edits the grade in place), the
        # context menu, and the reader's "Details…" all reach this one command.
        registry.register(
            ActionSpec(
                "actionDocumentDetails",
                self.tr("Document &details…"),
                "F2",
                self.tr("Edit the title, outlet, address, date, place, language and grade"),
                context=WIDGET,
            ),
            self.edit_current_details,
            widget=self.view,
        )
        self._registry = registry

    def edit_current_details(self) -> DocumentDetailsDialog | None:
        """Details of the row chosen in the list (F2, the context menu), else of the open
        document (the reader's "Details…", a menu)."""
        current = self.view.currentIndex()
        document_id = None
        if current.isValid() and (self.view.hasFocus() or self.workbench.current_document is None):
            document_id = self.model.document_id(current.row())
        return self.open_details(document_id or self.workbench.current_document)

    def open_details(self, document_id: str | None) -> DocumentDetailsDialog | None:
        """The Document details dialog for ``document_id`` (one at a time; typing in an
        open one is never lost to another document's)."""
        if document_id is None:
            self.workbench.status.emit(self.tr("Open a document first"))
            return None
        self.details = open_details(self.workbench, document_id, self, self.details)
        return self.details

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() != LibraryModel.GRADE:
            self.open_details(self.model.document_id(index.row()))

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        self.view.setCurrentIndex(index)
        menu = QMenu(self.view)
        menu.setObjectName("libraryContextMenu")
        menu.aboutToHide.connect(menu.deleteLater)  # the chosen action runs first
        if self._registry is not None and "actionDocumentDetails" in self._registry:
            menu.addAction(self._registry["actionDocumentDetails"])
        else:
            menu.addAction(self.tr("Document details…"), self.edit_current_details)
        grade = menu.addAction(self.tr("Edit grade"))
        grade.setObjectName("actionLibraryEditGrade")
        grade.triggered.connect(lambda: self.view.edit(index.siblingAtColumn(LibraryModel.GRADE)))
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def step(self, delta: int) -> None:
        """Open the document ``delta`` rows below (negative: above) the current one."""
        count = self.model.rowCount()
        if count == 0:
            return
        current = self.view.currentIndex()
        if current.isValid():
            row = min(max(current.row() + delta, 0), count - 1)
        else:
            row = 0 if delta > 0 else count - 1
        self._select_row(row)

    def focus_filter(self) -> None:
        self.show()
        self.raise_()
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def apply_filter(self) -> None:
        self._filter_timer.stop()
        self.model.set_filter(self.filter_edit.text(), self.outlet_filter.outlet())

    def refresh(self) -> None:
        """Re-read the list (for changes made outside ``Workbench.apply``)."""
        self.model.invalidate()

    def select_document(self, document_id: str) -> bool:
        """Show ``document_id`` as the selected row without reopening it; False (and no
        selection) when the current filter hides it."""
        current = self.view.currentIndex()
        if current.isValid() and self.model.document_id(current.row()) == document_id:
            return True
        row = self.model.row_of(document_id)
        self._reflecting = True
        try:
            if row is None:
                self.view.selectionModel().clear()
            else:
                self._select_row(row)
        finally:
            self._reflecting = False
        return row is not None

    # -- reactions --------------------------------------------------------------------------

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.selectionModel().setCurrentIndex(index, flags)
        self.view.scrollTo(index)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        document_id = self.model.document_id(current.row()) if current.isValid() else None
        if self._reflecting or document_id in (None, self.workbench.current_document):
            return
        self.workbench.open_document(document_id)

    def _on_activated(self, index: QModelIndex) -> None:
        document_id = self.model.document_id(index.row())
        if document_id:
            self.workbench.open_document(document_id)

    def _filter_and_go_to_list(self) -> None:
        self.apply_filter()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.view.currentIndex().isValid() and self.model.rowCount():
            self._select_row(0)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(Document):
            if self.workbench.operations.busy is not None or changes.count(Document) > 1:
                self._reset_timer.start()  # coalesced: once, on its own turn
            else:
                self._reset_timer.stop()
                self.model.invalidate()
        elif changes.touches(Annotation):
            self.model.passages_changed()

    def _reset_now(self) -> None:
        if self.workbench.session.workspace.conn is None:  # closed before the turn came
            return
        self.model.invalidate()

    def _remember_selection(self) -> None:
        current = self.view.currentIndex()
        self._kept_id = self.model.document_id(current.row()) if current.isValid() else None

    def _after_reset(self) -> None:
        kept, self._kept_id = self._kept_id, None
        if kept is None or not self.select_document(kept):
            self.view.scrollToTop()
        self._show_count()

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        locale = QLocale()
        one, many = self.tr("document"), self.tr("documents")
        if self.model.query.text or self.model.query.outlet is not None:
            total = self.library.count(LibraryQuery())
            text = self.tr("{shown} of {total}").format(
                shown=locale.toString(shown),
                total=count_noun(total, one, many, number=locale.toString(total)),
            )
        else:
            text = count_noun(shown, one, many, number=locale.toString(shown))
        self.count_label.setText(text)
