"""After a merge: review the conflicts (both officers changed a record; the newer version was
kept) and the entities that may be one under two ids.

"Take the other version" writes the version that lost, "Merge these entities" folds theirs
into ours: each one undoable step through ``Workbench.apply``. The dialog follows undo and
redo by recognising its own steps as they come back through ``Workbench.changed`` (each
emission of a step's ChangeSet is its undo or its redo, in turn), so the Kept column always
says which version the workspace holds, without reading records itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import ChangeSet
from workstation.services.merge import Conflict, MergeProposal, MergeReport
from workstation.ui.common.widgets import count_noun, named
from workstation.ui.exchange.agreement_section import AgreementSection
from workstation.ui.exchange.row_table import Index, RowTableModel
from workstation.ui.shell.workbench import Workbench

CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 1
PROPOSAL_ROLE = Qt.ItemDataRole.UserRole + 2
VALUE_CHARS = 48  # of each value shown in a cell; the tooltip holds all of it
WHAT, FIELDS, OURS, THEIRS, KEPT = range(5)


def other_side(side: str) -> str:
    return "ours" if side == "theirs" else "theirs"


def _field_name(name: str) -> str:
    return "deletion" if name == "deleted_at" else name.replace("_", " ")


def _value(name: str, value: Any, limit: int | None = VALUE_CHARS) -> str:
    if name == "deleted_at":
        return "deleted" if value else "not deleted"
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        value = ", ".join(map(str, value))
    text = " ".join(str(value).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”" if isinstance(value, str) else text


def describe_values(values: dict[str, Any], limit: int | None = VALUE_CHARS) -> str:
    """``values`` of a conflict's fields, readable: one field bare, several named."""
    if len(values) == 1:
        ((name, value),) = values.items()
        return _value(name, value, limit)
    return "; ".join(f"{_field_name(n)}: {_value(n, v, limit)}" for n, v in values.items())


def version_stamp(updated_at: str, author: str) -> str:
    when = updated_at[:16].replace("T", " ") if updated_at else "unknown time"
    return f"{when} by {author or 'unknown'}"


class ConflictModel(RowTableModel):
    """One row per conflict: what, which fields, our version, theirs, the one kept now."""

    HEADERS = ("What", "Fields", "Ours", "Theirs", "Kept")

    def __init__(self, conflicts: list[Conflict], parent: QObject | None = None):
        super().__init__(list(conflicts), parent)
        self.conflicts: list[Conflict] = self.rows  # the same list; this table never resets
        self.kept = [c.winner for c in self.conflicts]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.conflicts):
            return None
        conflict, column = self.conflicts[index.row()], index.column()
        if role == CONFLICT_ROLE:
            return conflict
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(conflict, column)
        if role == Qt.ItemDataRole.FontRole and column in (OURS, THEIRS, KEPT):
            side = {OURS: "ours", THEIRS: "theirs"}.get(column, self.kept[index.row()])
            if side == self.kept[index.row()]:
                font = QFont()
                font.setBold(True)
                return font
        return None

    def _text(self, row: int, column: int) -> str:
        conflict = self.conflicts[row]
        if column == WHAT:
            what = f"{conflict.noun.capitalize()} «{conflict.label}»"
            # Why it is listed when only one side changed it ("future timestamp").
            return f"{what}\n{self.tr(conflict.reason)}" if conflict.reason else what
        if column == FIELDS:
            return ", ".join(_field_name(name) for name in conflict.fields)
        if column == OURS:
            stamp = version_stamp(conflict.our_updated_at, conflict.our_author)
            return f"{describe_values(conflict.ours)}\n{stamp}"
        if column == THEIRS:
            stamp = version_stamp(conflict.their_updated_at, conflict.their_author)
            return f"{describe_values(conflict.theirs)}\n{stamp}"
        return self.tr("ours") if self.kept[row] == "ours" else self.tr("theirs")

    def _tooltip(self, conflict: Conflict, column: int) -> str | None:
        if column == OURS:
            return describe_values(conflict.ours, None)
        if column == THEIRS:
            return describe_values(conflict.theirs, None)
        if column == WHAT:
            why = f"\n{self.tr(conflict.reason)}: theirs claims a time in the future and never wins"
            return f"{conflict.noun} {conflict.record_id}" + (why if conflict.reason else "")
        return None

    def set_kept(self, row: int, side: str) -> None:
        self.kept[row] = side
        self.dataChanged.emit(self.index(row, OURS), self.index(row, KEPT))


class MergeReviewDialog(QDialog):
    """Non-modal: shown with ``show()`` after a merge with conflicts or proposals."""

    def __init__(self, workbench: Workbench, report: MergeReport, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mergeReviewDialog")
        self.setWindowTitle(self.tr("Review the merge of {name}").format(name=report.other.name))
        self.setModal(False)
        self.workbench = workbench
        self.report = report
        self.registry = workbench.session.registry
        self.merge_in_force = True
        # Our own undoable steps, each with what to flip when it is undone or redone.
        # (changes, "take", conflict row) or (changes, "entities", the proposal's list item)
        self._steps: list[tuple[ChangeSet, str, Any]] = []
        self._build()
        workbench.changed.connect(self._on_changed)
        self._update_commands()

    def _build(self) -> None:
        tr = self.tr
        self.summary = named(QLabel(), "mergeSummary", tr("Merge summary"))
        self.summary.setWordWrap(True)
        self.model = ConflictModel(self.report.conflicts, self)
        self.table = named(QTableView(), "mergeConflicts", tr("Conflicts"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        # Two lines a row (the value over who and when), fixed: no measuring every row.
        lines = self.table.fontMetrics().lineSpacing()
        self.table.verticalHeader().setDefaultSectionSize(2 * lines + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column, width in ((WHAT, 230), (FIELDS, 90), (OURS, 220), (THEIRS, 220)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(KEPT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._update_commands)
        self.take_button = named(
            QPushButton(tr("&Take the other version")),
            "mergeTakeOther",
            tr("Take the other version"),
        )
        self.take_button.setToolTip(tr("Write the version that was not kept (undoable)"))
        self.take_button.clicked.connect(self.take_other_version)

        self.proposals = named(QListWidget(), "mergeProposals", tr("Possible duplicate entities"))
        for proposal in self.report.proposals:
            item = QListWidgetItem(
                tr("«{ours}» (ours) and «{theirs}» (theirs): {reason}").format(
                    ours=proposal.ours_name, theirs=proposal.theirs_name, reason=proposal.reason
                )
            )
            item.setData(PROPOSAL_ROLE, proposal)
            self.proposals.addItem(item)
        self.proposals.currentRowChanged.connect(self._update_commands)
        self.merge_button = named(
            QPushButton(tr("&Merge these entities")), "mergeEntities", tr("Merge these entities")
        )
        self.merge_button.setToolTip(tr("Fold theirs into ours: links, events, names (undoable)"))
        self.merge_button.clicked.connect(self.merge_entities)
        self.dismiss_button = named(
            QPushButton(tr("&Not the same")), "mergeNotSame", tr("Not the same")
        )
        self.dismiss_button.setToolTip(tr("Keep both entities; take the pair off this list"))
        self.dismiss_button.clicked.connect(self.dismiss_proposal)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("mergeClose")
        close.rejected.connect(self.reject)

        self.conflicts_label = named(QLabel(), "mergeConflictsLabel", tr("Conflicts"))
        self.proposals_label = named(QLabel(), "mergeProposalsLabel", tr("Entities"))
        take_row, entity_row = QHBoxLayout(), QHBoxLayout()
        take_row.addStretch(1)
        take_row.addWidget(self.take_button)
        entity_row.addStretch(1)
        entity_row.addWidget(self.merge_button)
        entity_row.addWidget(self.dismiss_button)
        review = QWidget()
        rows = QVBoxLayout(review)
        rows.addWidget(self.summary)
        rows.addWidget(self.conflicts_label)
        rows.addWidget(self.table, 3)
        rows.addLayout(take_row)
        rows.addWidget(self.proposals_label)
        rows.addWidget(self.proposals, 1)
        rows.addLayout(entity_row)
        # The Agreement tab: κ and α between our coding and theirs (computed when shown).
        self.agreement = AgreementSection(self.workbench, self.report)
        self.tabs = named(QTabWidget(), "mergeReviewTabs", tr("Merge review"))
        self.tabs.addTab(review, tr("&Review"))
        self.tabs.addTab(self.agreement, tr("&Agreement"))
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)
        outer.addWidget(close)
        has_conflicts, has_proposals = bool(self.report.conflicts), bool(self.report.proposals)
        widget: QWidget
        for widget in (self.conflicts_label, self.table, self.take_button):
            widget.setVisible(has_conflicts)
        for widget in (
            self.proposals_label,
            self.proposals,
            self.merge_button,
            self.dismiss_button,
        ):
            widget.setVisible(has_proposals)
        if self.model.rowCount():
            self.table.selectRow(0)
        if self.proposals.count():
            self.proposals.setCurrentRow(0)
        self.resize(960, 560 if has_conflicts else 320)

    # -- state ------------------------------------------------------------------------------

    def current_conflict_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def current_proposal(self) -> QListWidgetItem | None:
        item = self.proposals.currentItem()
        return item if item is not None and not item.isHidden() else None

    def open_proposals(self) -> list[MergeProposal]:
        """The pairs still waiting for a decision, in order."""
        items = (self.proposals.item(i) for i in range(self.proposals.count()))
        return [item.data(PROPOSAL_ROLE) for item in items if not item.isHidden()]

    def _update_commands(self, *_args: object) -> None:
        live = self.merge_in_force
        self.take_button.setEnabled(live and self.current_conflict_row() is not None)
        has_pair = live and self.current_proposal() is not None
        self.merge_button.setEnabled(has_pair)
        self.dismiss_button.setEnabled(has_pair)
        conflicts, pairs = len(self.report.conflicts), len(self.open_proposals())
        self.conflicts_label.setText(
            self.tr("{n} changed on both sides; the newer version was kept (in bold):").format(
                n=count_noun(conflicts, self.tr("record"), self.tr("records"))
            )
        )
        self.proposals_label.setText(
            self.tr("{n} may be one and the same:").format(
                n=count_noun(pairs, self.tr("pair of entities"), self.tr("pairs of entities"))
            )
        )
        counts = self.report.counts.values()
        text = self.tr(
            "Merged {name}: {added} added, {updated} updated. A backup was taken before: {backup}"
        ).format(
            name=self.report.other.name,
            added=count_noun(sum(c.added for c in counts), self.tr("record"), self.tr("records")),
            updated=sum(c.updated for c in counts),
            backup=self.report.backup,
        )
        if not live:
            text = self.tr("The merge has been undone; redo it to review it here.")
        self.summary.setText(text)

    # -- commands ---------------------------------------------------------------------------

    def take_other_version(self) -> bool:
        row = self.current_conflict_row()
        if row is None or not self.merge_in_force:
            return False
        conflict, side = self.model.conflicts[row], other_side(self.model.kept[row])
        text = self.tr("Take {side} version of {noun} «{label}»").format(
            side=self.tr("our") if side == "ours" else self.tr("their"),
            noun=conflict.noun,
            label=conflict.label,
        )
        exchange = self.workbench.session.exchange
        changes = self.workbench.apply(text, lambda: exchange.take_version(conflict, side))
        if changes is None:  # refused: the user has been told why
            return False
        if changes:
            self._steps.append((changes, "take", row))
        self.model.set_kept(row, side)
        return True

    def merge_entities(self) -> bool:
        item = self.current_proposal()
        if item is None or not self.merge_in_force:
            return False
        proposal: MergeProposal = item.data(PROPOSAL_ROLE)
        text = self.tr("Merge {theirs} into {ours}").format(
            theirs=proposal.theirs_name, ours=proposal.ours_name
        )
        outcome = self.workbench.apply(
            text, lambda: self.registry.merge(proposal.ours_id, proposal.theirs_id)
        )
        if outcome is None:
            return False
        self._steps.append((outcome.changes, "entities", item))
        self._hide_proposal(item, True)
        return True

    def dismiss_proposal(self) -> None:
        item = self.current_proposal()
        if item is not None:
            self.proposals.takeItem(self.proposals.row(item))
            self._update_commands()

    def _hide_proposal(self, item: QListWidgetItem, hidden: bool) -> None:
        item.setHidden(hidden)
        if hidden:
            following = [
                self.proposals.item(i)
                for i in range(self.proposals.count())
                if not self.proposals.item(i).isHidden()
            ]
            # None clears the current item (Qt takes a null item); the stubs refuse None
            self.proposals.setCurrentItem(following[0] if following else None)  # type: ignore[arg-type]
        elif self.current_proposal() is None:  # back after an undo: ready to decide again
            self.proposals.setCurrentItem(item)
        self._update_commands()

    # -- undo and redo ----------------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes is self.report.changes:
            self.merge_in_force = not self.merge_in_force
            self._update_commands()
            return
        for step, kind, where in self._steps:
            if step is not changes:
                continue
            if kind == "take":
                self.model.set_kept(where, other_side(self.model.kept[where]))
            else:
                self._hide_proposal(where, not where.isHidden())
            return
