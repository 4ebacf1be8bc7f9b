"""The search dock's filter controls: category, entity (with a completer), outlet, dates.

The bar only shows and reports a SearchFilters; the dock runs the search. Choices come from
services.search.filter_choices, so the bar never reads the workspace itself.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from workstation.services.search import FilterChoices, SearchFilters
from workstation.ui.common.widgets import line_edit, named, tip_items

# The earliest date a QDateEdit offers doubles as "any date" (shown as special text).
ANY_DATE = QDate(1900, 1, 1)


class SearchFilterBar(QWidget):
    changed = Signal()  # the user changed a filter (not emitted by set_filters/set_choices)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("searchFilters")
        self.category_combo = self._combo("searchCategoryFilter", self.tr("Category filter"))
        self.entity_combo = self._combo("searchEntityFilter", self.tr("Entity filter"))
        self.entity_combo.setEditable(True)
        self.entity_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        entity_text = line_edit(self.entity_combo)
        named(entity_text, "searchEntityText", self.tr("Entity name"))
        entity_text.setPlaceholderText(self.tr("Any entity"))
        entity_text.editingFinished.connect(self._match_typed_entity)
        completer = self.entity_combo.completer()
        if completer is not None:  # an editable combo box always has one
            completer.setObjectName("searchEntityCompleter")
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.outlet_combo = self._combo("searchOutletFilter", self.tr("Outlet filter"))
        self.date_from = self._date_edit("searchDateFrom", self.tr("Published from"))
        self.date_to = self._date_edit("searchDateTo", self.tr("Published until"))
        self.clear_button = named(
            QPushButton(self.tr("Clear filters")), "searchClearFilters", self.tr("Clear filters")
        )
        self.clear_button.clicked.connect(self.clear)

        published = named(QLabel(self.tr("Published:")), "searchPublishedLabel", "")
        published.setBuddy(self.date_from)
        dates = QHBoxLayout()
        dates.addWidget(published)
        dates.addWidget(self.date_from, 1)
        dates.addWidget(named(QLabel("–"), "searchDateDash", ""))
        dates.addWidget(self.date_to, 1)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.category_combo, 0, 0)
        grid.addWidget(self.entity_combo, 0, 1)
        grid.addWidget(self.outlet_combo, 1, 0)
        grid.addWidget(self.clear_button, 1, 1)
        grid.addLayout(dates, 2, 0, 1, 2)

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = named(QComboBox(), name, accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        combo.currentIndexChanged.connect(self.changed)
        return combo

    def _date_edit(self, name: str, accessible: str) -> QDateEdit:
        edit = named(QDateEdit(), name, accessible)
        edit.setToolTip(accessible)
        edit.setMinimumDate(ANY_DATE)
        edit.setSpecialValueText(self.tr("Any date"))
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setCalendarPopup(True)
        edit.setDate(ANY_DATE)
        text = edit.findChild(QLineEdit)
        if text is not None:  # a QDateEdit's text field
            text.setAccessibleName(accessible)
        edit.calendarWidget().setObjectName(f"{name}Calendar")
        edit.calendarWidget().installEventFilter(self)
        edit.dateChanged.connect(self.changed)
        return edit

    # -- values -----------------------------------------------------------------------------

    def filters(self) -> SearchFilters:
        return SearchFilters(
            category_id=self.category_combo.currentData(),
            entity_id=self.entity_combo.currentData(),
            outlet=self.outlet_combo.currentData(),
            published_from=_iso_or_none(self.date_from),
            published_to=_iso_or_none(self.date_to),
        )

    def set_filters(self, filters: SearchFilters) -> None:
        """Show ``filters``; quietly, the caller decides whether to search again."""
        combos = (self.category_combo, self.entity_combo, self.outlet_combo)
        values = (filters.category_id, filters.entity_id, filters.outlet)
        controls = (*combos, self.date_from, self.date_to)
        for control in controls:
            control.blockSignals(True)
        for combo, value in zip(combos, values, strict=True):
            combo.setCurrentIndex(max(0, combo.findData(value)) if value else 0)
        for edit, value in (
            (self.date_from, filters.published_from),
            (self.date_to, filters.published_to),
        ):
            edit.setDate(QDate.fromString(value, Qt.DateFormat.ISODate) if value else ANY_DATE)
        for control in controls:
            control.blockSignals(False)

    def clear(self) -> None:
        self.set_filters(SearchFilters())
        self.changed.emit()

    def set_choices(self, choices: FilterChoices) -> bool:
        """Refill the lists, keeping each selection that still exists; True if one did not."""
        before = self.filters()
        _fill(
            self.category_combo,
            self.tr("Any category"),
            [(c.name, c.id) for c in choices.categories],
        )
        _fill(self.entity_combo, "", [(e.name, e.id) for e in choices.entities])
        _fill(self.outlet_combo, self.tr("Any outlet"), [(o, o) for o in choices.outlets])
        self.set_filters(before)
        return self.filters() != before

    def _match_typed_entity(self) -> None:
        """An editable combo does not pick an item for typed text by itself: do it, or go
        back to the current entity when the text names none."""
        combo = self.entity_combo
        text = combo.currentText().strip()
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString) if text else 0
        if index == -1:
            index = combo.currentIndex()
            combo.setEditText(combo.itemText(index))
        combo.setCurrentIndex(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            # A popup over "any date" would open in January 1900: show this month instead.
            for edit in (self.date_from, self.date_to):
                if watched is edit.calendarWidget() and edit.date() == ANY_DATE:
                    today = QDate.currentDate()
                    edit.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)


def _fill(combo: QComboBox, any_text: str, items: list[tuple[str, str]]) -> None:
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(any_text, None)
    for text, data in items:
        combo.addItem(text, data)
    tip_items(combo)  # its completer's popup may cut a long name
    combo.blockSignals(False)


def _iso_or_none(edit: QDateEdit) -> str | None:
    return None if edit.date() == ANY_DATE else edit.date().toString(Qt.DateFormat.ISODate)
