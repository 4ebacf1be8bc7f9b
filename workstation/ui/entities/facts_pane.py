"""The facts pane of the entities dock: what imports brought about the current entity beyond
its names (weak aliases, previous names, nationality, birth date, identifiers, topics,
addresses… — ``services.entity_facts``) and its relations to other entities, worded from its
end ("Owns 51% of LLC CST", "Director: Alexander Zakharov"; ``services.relations``).
Activating a relation shows the other entity. Every value is outside text: shown through
``shown_line``, in plain-text items (never rich text)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import Entity
from workstation.domain.text_display import shown_line
from workstation.services.entity_facts import Fact, entity_facts
from workstation.services.relations import RelationLine
from workstation.ui.common.widgets import named

# Facts listed one value per row (an address each); the others on one row ("ru; by"),
# every value in the row's tooltip.
_ONE_PER_ROW = frozenset({"address", "sanctionsUndated"})
_OTHER_ID = Qt.ItemDataRole.UserRole
_SHOWN_RELATIONS = 500  # a hub's thousands of relations: the first ones and a count


class FactsPane(QWidget):
    """The current entity's facts and relations, in two groups of a read-only tree."""

    # The id of another entity the user asked to see (an activated relation).
    entity_requested = Signal(str)

    def __init__(
        self,
        relations_of: Callable[[str], list[RelationLine]],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("entityFactsPane")
        self.relations_of = relations_of
        self.label = named(QLabel(), "entityFactsLabel", self.tr("Facts and relations"))
        self.label.setWordWrap(True)
        self.tree = named(QTreeWidget(), "entityFacts", self.tr("Facts and relations"))
        self.tree.setColumnCount(2)
        # Hidden, but named: screen readers announce the columns by these.
        labels = (self.tr("Fact"), self.tr("Value"))
        self.tree.setHeaderLabels(list(labels))
        for section, label in enumerate(labels):
            self.tree.headerItem().setToolTip(section, label)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        sample = "Sanctions (undated)"  # the longest label
        self.tree.setColumnWidth(0, self.fontMetrics().horizontalAdvance(sample) + 32)
        self.tree.setToolTip(self.tr("Enter or double-click on a relation shows the other entity"))
        self.tree.itemActivated.connect(self._activated)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.label)
        column.addWidget(self.tree, 1)
        # Its label at the least: the pane must not make the dock (and so the window) taller
        # than it was without it — a 1024×700 window, a 768-pixel laptop screen less its
        # panel, must still fit; the splitter gives it room when there is.
        self.setMinimumHeight(self.fontMetrics().height() + 6)
        self.show_entity(None)

    def show_entity(self, entity: Entity | None) -> None:
        self.tree.clear()
        if entity is None:
            self.label.setText(self.tr("Select an entity to see its facts and relations."))
            return
        facts = entity_facts(entity)
        relations = self.relations_of(entity.id)
        self.label.setText(
            self.tr("Facts and relations of {name}").format(name=shown_line(entity.name))
            if facts or relations
            else self.tr("No further facts or relations recorded for {name}.").format(
                name=shown_line(entity.name)
            )
        )
        main = [fact for fact in facts if fact.main]
        if main:
            group = self._group(self.tr("Facts"))
            for fact in main:
                self._add_fact(group, fact)
        if relations:
            group = self._group(self.tr("Relations ({n})").format(n=len(relations)))
            for relation in relations[:_SHOWN_RELATIONS]:
                self._add_relation(group, relation)
            if len(relations) > _SHOWN_RELATIONS:
                more = len(relations) - _SHOWN_RELATIONS
                QTreeWidgetItem(group, [self.tr("… and {n} more").format(n=more)])
        rest = [fact for fact in facts if not fact.main]
        if rest:  # bookkeeping and detail (notes, source URLs, gender…): after relations
            group = self._group(self.tr("Other facts"))
            for fact in rest:
                self._add_fact(group, fact)
        self.tree.expandAll()

    def _group(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        item.setFirstColumnSpanned(True)
        font = QFont(self.tree.font())
        font.setBold(True)
        item.setFont(0, font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return item

    def _add_fact(self, group: QTreeWidgetItem, fact: Fact) -> None:
        values = [shown_line(v) for v in fact.values]
        rows = values if fact.property in _ONE_PER_ROW else ["; ".join(values)]
        for number, value in enumerate(rows):
            label = self.tr(fact.label) if number == 0 else ""
            item = QTreeWidgetItem(group, [label, value])
            item.setToolTip(1, value if len(rows) > 1 else "\n".join(values))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)

    def _add_relation(self, group: QTreeWidgetItem, relation: RelationLine) -> None:
        text = shown_line(relation.text)
        details = [shown_line(relation.role)] if relation.role else []
        if relation.period:
            details.append(shown_line(relation.period))
        if details:
            text += f" ({', '.join(details)})"
        item = QTreeWidgetItem(group, [text])
        item.setFirstColumnSpanned(True)
        item.setData(0, _OTHER_ID, relation.other_id)
        tip = self.tr("From {source}. Enter or double-click shows {name}.").format(
            source=shown_line(relation.source) or self.tr("an import"),
            name=shown_line(relation.other_name),
        )
        item.setToolTip(0, tip)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)

    def relation_items(self) -> list[QTreeWidgetItem]:
        """The relation rows, in order (for tests and accessibility checks)."""
        rows = []
        for n in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(n)
            for i in range(group.childCount() if group is not None else 0):
                child = group.child(i) if group is not None else None
                if child is not None and child.data(0, _OTHER_ID):
                    rows.append(child)
        return rows

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        other = item.data(0, _OTHER_ID)
        if isinstance(other, str) and other:
            self.entity_requested.emit(other)
