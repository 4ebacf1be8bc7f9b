"""The library dock: every document in a windowed table, a filter, and the commands to
move through the list. Selecting a row opens the document; a document opened elsewhere is
shown selected. Stays fast at 100k documents (see library_model.py).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import ChangeSet
from workstation.services.library import LibraryQuery, LibraryService
from workstation.ui.actions import ActionRegistry, ActionSpec
from workstation.ui.grade_delegate import install_grade_editing
from workstation.ui.library_model import LibraryModel
from workstation.ui.workbench import Workbench

__all__ = ["LibraryDock", "LibraryModel", "OutletFilter"]

FILTER_DELAY_MS = 200  # typing pauses this long before the list is filtered


class OutletFilter(QComboBox):
    """ "All outlets" or one outlet; the list is read when it opens, so it is never stale
    and costs nothing until used."""

    def __init__(self, library: LibraryService, parent=None):
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
        self.toggleViewAction().setObjectName("actionShowLibrary")  # for ActionRegistry.adopt
        self.workbench = workbench
        self.library = LibraryService(workbench.session)
        self.model = LibraryModel(self.library, self)
        self._reflecting = False  # selecting a row to mirror the workbench: do not reopen
        self._kept_id: str | None = None

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
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._after_reset)
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
        # Fixed row heights: ResizeToContents on 100k rows froze for 27 s (DESIGN.md).
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
            ),
            lambda: self.step(1),
        )
        registry.register(
            ActionSpec(
                "actionPreviousDocument",
                self.tr("Previous document"),
                "Ctrl+PgUp",
                self.tr("Open the previous document in the library"),
            ),
            lambda: self.step(-1),
        )
        registry.register(
            ActionSpec(
                "actionFocusLibraryFilter",
                self.tr("Filter library"),
                "Ctrl+L",
                self.tr("Type to filter the library by title or outlet"),
            ),
            self.focus_filter,
        )

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
        tables = {change.table for change in changes.changes}
        if "documents" in tables:
            self.model.invalidate()
        elif "annotations" in tables:
            self.model.passages_changed()

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
        if self.model.query.text or self.model.query.outlet is not None:
            total = self.library.count(LibraryQuery())
            text = self.tr("{shown} of {total} documents").format(
                shown=locale.toString(shown), total=locale.toString(total)
            )
        elif shown == 1:
            text = self.tr("1 document")
        else:
            text = self.tr("{count} documents").format(count=locale.toString(shown))
        self.count_label.setText(text)
