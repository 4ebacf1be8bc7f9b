"""The merge review's Agreement tab: Cohen's κ and Krippendorff's α per category and overall
between our coding (as it stood before the merge) and the merged workspace's, and the spans
coded differently — double-click or Enter opens one in the reader, scrolled to and tinted.

The figures are computed when the tab is first shown (services/agreement.py reads their
file again, read-only); "Compute again" repeats it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.agreement import Figures
from workstation.services.agreement import AgreementReport, DisagreementRow
from workstation.services.errors import ServiceError, WorkspaceError
from workstation.services.merge import MergeReport
from workstation.ui.common.widgets import count_noun, named
from workstation.ui.exchange.row_table import Index, RowTableModel
from workstation.ui.shell.workbench import Workbench

DISAGREEMENT_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_FIGURE_ROWS = 12  # categories shown at once before the table scrolls
MIN_WINDOW_HEIGHT = 620  # the review is 320 high without conflicts: too low for the tab


def number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def labels(names: tuple[str, ...]) -> str:
    return " + ".join(names) if names else "—"


class FiguresModel(RowTableModel):
    """One row per category, then the overall row (bold)."""

    HEADERS = ("Category", "Ours", "Theirs", "Cohen's κ", "Krippendorff's α")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        figures: Figures = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                figures.category or self.tr("Overall"),
                str(figures.ours),
                str(figures.theirs),
                number(figures.kappa),
                number(figures.alpha),
            )
            return values[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and figures.category is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column >= 3:
            value = figures.kappa if column == 3 else figures.alpha
            if value is None:
                return self.tr("Undefined: no variation to agree on beyond chance")
        return None


class DisagreementModel(RowTableModel):
    """One row per span coded differently, in document then position order."""

    HEADERS = ("Document", "Where", "Ours", "Theirs", "Text")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row: DisagreementRow = self.rows[index.row()]
        if role == DISAGREEMENT_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                row.title,
                f"{row.start}–{row.end}",
                labels(row.ours),
                labels(row.theirs),
                row.excerpt,
            )
            return values[index.column()]
        return None


class AgreementSection(QWidget):
    def __init__(self, workbench: Workbench, report: MergeReport, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mergeAgreement")
        self.workbench = workbench
        self.report = report
        self.result: AgreementReport | None = None
        self.computed = False
        tr = self.tr
        self.summary = named(QLabel(), "agreementSummary", tr("Agreement summary"))
        self.summary.setWordWrap(True)
        self.figures = FiguresModel([], self)
        self.table = named(QTableView(), "agreementFigures", tr("Agreement by category"))
        self.table.setModel(self.figures)
        self.disagreements = DisagreementModel([], self)
        self.list = named(QTableView(), "agreementDisagreements", tr("Disagreements"))
        self.list.setModel(self.disagreements)
        for view in (self.table, self.list):
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.verticalHeader().hide()
            view.setWordWrap(False)
            # One line a row, fixed: no measuring every row of a long list.
            view.verticalHeader().setDefaultSectionSize(view.fontMetrics().lineSpacing() + 8)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            self.table.setColumnWidth(column, 110)
        for column, width in ((0, 220), (1, 90), (2, 140), (3, 140)):
            self.list.setColumnWidth(column, width)
        self.list.horizontalHeader().setStretchLastSection(True)
        # activated: double-click, or Enter on the current row
        self.list.activated.connect(self.open_disagreement)
        self.list_label = named(QLabel(), "agreementListLabel", tr("Disagreements"))
        self.again = named(
            QPushButton(tr("Compute &again")), "agreementCompute", tr("Compute again")
        )
        self.again.clicked.connect(self.compute)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.again)
        rows = QVBoxLayout(self)
        rows.addLayout(top)
        rows.addWidget(self.table)
        rows.addWidget(self.list_label)
        rows.addWidget(self.list, 3)

    def compute(self) -> None:
        """Read their file again and compare it with our coding before the merge."""
        self.computed = True
        try:
            result = self.workbench.session.exchange.agreement(
                self.report.other, before=self.report.changes
            )
        except (ServiceError, WorkspaceError) as exc:
            self.result = None
            self.figures.set_rows([])
            self.disagreements.set_rows([])
            self.summary.setText(self.tr("No agreement figures: {why}").format(why=exc))
            self.list_label.setText("")
            return
        self.result = result
        self.figures.set_rows([*result.categories, result.overall])
        self._fit_figures()
        self.disagreements.set_rows(result.disagreements)
        self.summary.setText(
            self.tr(
                "Our passages as they were before the merge against those in {name}, on "
                "{documents} ({characters}, each a unit)."
            ).format(
                name=self.report.other.name,
                documents=count_noun(result.documents, "shared document"),
                characters=count_noun(result.characters, "character"),
            )
        )
        count = len(result.disagreements)
        self.list_label.setText(
            self.tr("{spans} coded differently (double-click or Enter opens one):").format(
                spans=count_noun(count, "span")
            )
            if count
            else self.tr("No span was coded differently.")
        )
        if count:
            self.list.selectRow(0)

    def _fit_figures(self) -> None:
        """Every category in view without scrolling, up to a dozen rows; the list of
        disagreements takes the rest."""
        shown = min(self.figures.rowCount(), MAX_FIGURE_ROWS)
        rows = self.table.verticalHeader().defaultSectionSize() * shown
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(rows + header + 2 * self.table.frameWidth())

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self and window.height() < MIN_WINDOW_HEIGHT:
            window.resize(window.width(), MIN_WINDOW_HEIGHT)
        if not self.computed:
            self.compute()

    def open_disagreement(self, index: QModelIndex) -> None:
        row = index.data(DISAGREEMENT_ROLE) if index.isValid() else None
        if row is None:
            return
        # The reader opens the document, scrolls to the span and tints it.
        self.workbench.flash_requested.emit(row.document_id, row.start, row.end)
