"""The parts of the entities dock below its table: the form editing the current entity,
and the passages mentioning it (keyword in context), which open in the reader."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import Entity
from workstation.domain.text_display import shown_line
from workstation.domain.vocab import ENTITY_KINDS
from workstation.services.entity_registry import EntityRegistry
from workstation.ui.common.widgets import named
from workstation.ui.entities.models import NAME, ElideLeft, PassageModel, parse_field


def make_table(
    model: QAbstractItemModel, name: str, accessible: str, samples: tuple[str, ...]
) -> QTableView:
    """A table with fixed row heights and column widths from the font, never from the
    contents (that would read every page of the registry)."""
    view = named(QTableView(), name, accessible)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    rows = view.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    width = view.fontMetrics().horizontalAdvance
    for column, sample in enumerate(samples):
        view.setColumnWidth(column, width(sample) + 24)  # room for the sort arrow
    return view


def make_entity_table(model: QAbstractItemModel, accessible: str) -> QTableView:
    """The registry table: sorted by name to start with, several rows selectable (to merge
    two), cells edited by double-click, F2 or typing."""
    samples = ("PublicBody", "Alexander Bastrykin", "Passages", "Bastrykin; Бастрыкин", "Country")
    view = make_table(model, "entityTable", accessible, (*samples, "Q1234567"))
    view.horizontalHeader().setSortIndicator(NAME, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    triggers = QAbstractItemView.EditTrigger
    view.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed)
    return view


class EntityForm(QWidget):
    """The selected entity's fields; Save writes every changed field as one undo step."""

    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("entityForm")
        self.kind = named(QComboBox(), "entityKind", self.tr("Kind"))
        self.kind.addItems(list(ENTITY_KINDS))
        self.name = named(QLineEdit(), "entityName", self.tr("Name"))
        self.aliases = named(QLineEdit(), "entityAliases", self.tr("Aliases"))
        self.aliases.setPlaceholderText(self.tr("Other names, separated by ;"))
        self.aliases.setToolTip(self.tr("Other names, separated by ; (any script)"))
        self.country = named(QLineEdit(), "entityCountry", self.tr("Country"))
        self.country.setPlaceholderText(self.tr("e.g. ru"))  # short: the field is narrow
        self.country.setToolTip(self.tr("Country: two-letter ISO code, e.g. ru"))
        self.wikidata = named(QLineEdit(), "entityWikidata", self.tr("Wikidata id"))
        self.wikidata.setPlaceholderText("Q12345")
        self.wikidata.setToolTip(self.tr("Wikidata id, e.g. Q12345"))
        self.description = named(QLineEdit(), "entityDescription", self.tr("Description"))
        self.save = named(QPushButton(self.tr("&Save")), "entitySave", self.tr("Save entity"))
        self.save.clicked.connect(self.save_requested)
        codes = QHBoxLayout()
        codes.addWidget(self.country, 1)
        wikidata_label = QLabel(self.tr("&Wikidata"))
        wikidata_label.setObjectName("entityWikidataLabel")
        wikidata_label.setBuddy(self.wikidata)
        codes.addWidget(wikidata_label)
        codes.addWidget(self.wikidata, 1)
        codes.addWidget(self.save)
        form = QFormLayout(self)
        form.setContentsMargins(0, 4, 0, 4)
        for label, field, buddy in (
            (self.tr("&Kind"), self.kind, self.kind),
            (self.tr("&Name"), self.name, self.name),
            (self.tr("&Aliases"), self.aliases, self.aliases),
            (self.tr("&Country"), codes, self.country),
            (self.tr("&Description"), self.description, self.description),
        ):
            caption = QLabel(label)
            caption.setObjectName(buddy.objectName() + "Label")
            caption.setBuddy(buddy)
            form.addRow(caption, field)
        for line in (self.name, self.aliases, self.country, self.wikidata, self.description):
            line.returnPressed.connect(self.save_requested)
        self.show_entity(None)

    def show_entity(self, entity: Entity | None) -> None:
        self.setEnabled(entity is not None)
        self.kind.setCurrentText(entity.kind if entity else ENTITY_KINDS[0])
        self.name.setText(entity.name if entity else "")
        self.aliases.setText("; ".join(entity.aliases) if entity else "")
        self.country.setText((entity.country or "") if entity else "")
        self.wikidata.setText((entity.wikidata_id or "") if entity else "")
        self.description.setText(entity.description if entity else "")
        for line in (self.name, self.aliases, self.country, self.wikidata, self.description):
            line.setCursorPosition(0)  # long aliases: show where they start

    def changes_from(self, entity: Entity) -> dict[str, object]:
        """The fields whose typed value differs from ``entity``'s."""
        typed: dict[str, object] = {"kind": self.kind.currentText()}
        for field, line in (
            ("name", self.name),
            ("aliases", self.aliases),
            ("country", self.country),
            ("wikidata_id", self.wikidata),
            ("description", self.description),
        ):
            typed[field] = parse_field(field, line.text())
        return {k: v for k, v in typed.items() if v != getattr(entity, k)}


class PassagesPane(QWidget):
    """Every passage mentioning the current entity, across documents."""

    # (document id, passage id) of a passage the user asked to open.
    open_requested = Signal(str, str)

    def __init__(self, registry: EntityRegistry, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("entityPassagesPane")
        self.registry = registry
        self.model = PassageModel(self)
        self.label = named(QLabel(), "entityPassagesLabel", self.tr("Passages"))
        self.label.setWordWrap(True)
        self.view = make_table(
            self.model,
            "entityPassages",
            self.tr("Passages mentioning the entity"),
            (
                "Biden imposes",
                "the words just before",
                "the quote itself, in bold here",
                "after it",
            ),
        )
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setItemDelegateForColumn(PassageModel.BEFORE, ElideLeft(self.view))
        self.view.setToolTip(self.tr("Enter or double-click opens the passage in the reader"))
        self.view.activated.connect(self.open)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.label)
        column.addWidget(self.view, 1)
        self.show_entity(None)

    def show_entity(self, entity: Entity | None) -> None:
        found = self.registry.passages_mentioning(entity.id) if entity else []
        self.model.set_passages(found)
        # Mention-only spans are listed (where the entity is named) but are not passages.
        mentions = sum(p.mention_only for p in found)
        text = self.tr("Select an entity to see the passages that mention it.")
        if entity is not None:
            text = self.tr("Passages mentioning {name}: {n}").format(
                name=shown_line(entity.name), n=len(found) - mentions
            )
            if mentions:
                text += self.tr(" (and {m} mention-only)").format(m=mentions)
        self.label.setText(text)

    def open(self, index: QModelIndex) -> None:
        if index.isValid():
            passage = self.model.passages[index.row()]
            self.open_requested.emit(passage.document_id, passage.annotation_id)
