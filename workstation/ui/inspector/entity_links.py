"""The inspector's linked entities: who a passage concerns, in which role, and adding more.

Adding a link takes a name or alias (any script) with a completer; a name that matches no
entity creates one after asking its kind, in the same undo step as the link.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import Mention
from workstation.domain.spoofing import mixed_script
from workstation.domain.text_display import shown_line
from workstation.domain.vocab import ENTITY_KINDS, MENTION_ROLES
from workstation.ui.naming import named
from workstation.ui.workbench import Workbench

# The completer matches and fills in this text (the name or alias typed), while its popup
# shows which entity that alias belongs to.
COMPLETION_ROLE = Qt.ItemDataRole.UserRole + 1
MENTION_ID_ROLE = Qt.ItemDataRole.UserRole


class EntityLinks(QWidget):
    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("inspectorEntityLinks")
        self.workbench = workbench
        self.entities = workbench.session.entities
        self.passage_id: str | None = None
        self._completions_stale = True
        self._submit_queued = False

        self.table = QTableWidget(0, 2)
        named(self.table, "inspectorMentions", self.tr("Linked entities"))
        self.table.setHorizontalHeaderLabels([self.tr("Entity"), self.tr("Role")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Cell widgets do not count for ResizeToContents: size the role column to a combo.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(1, self._role_combo().sizeHint().width() + 4)
        self.table.verticalHeader().setDefaultSectionSize(
            self._role_combo().sizeHint().height() + 2
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.unlink_button = QPushButton(self.tr("&Unlink"))
        named(self.unlink_button, "inspectorUnlink", self.tr("Unlink the selected entity"))
        self.unlink_button.clicked.connect(self.unlink_selected)

        self.input = QLineEdit()
        named(self.input, "inspectorEntityInput", self.tr("Entity to link"))
        self.input.setPlaceholderText(self.tr("Name or alias to link…"))
        self.input.setClearButtonEnabled(True)
        self.completion_model = QStandardItemModel(self)
        self.completion_model.setObjectName("inspectorEntityCompletions")
        self.completer = QCompleter(self.completion_model, self)
        self.completer.setObjectName("inspectorEntityCompleter")
        self.completer.setCompletionRole(COMPLETION_ROLE)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(12)
        self.input.setCompleter(self.completer)
        self.input.installEventFilter(self)
        # Enter in the field and a pick from the popup can both arrive for one choice: link
        # once, after the completer has written its text into the field.
        self.input.returnPressed.connect(self._queue_submit)
        self.completer.activated.connect(self._queue_submit)

        self.role_combo = self._role_combo()
        named(self.role_combo, "inspectorLinkRole", self.tr("Role of the entity to link"))
        self.role_combo.setCurrentIndex(MENTION_ROLES.index("mentioned"))
        self.link_button = QPushButton(self.tr("&Link"))
        named(self.link_button, "inspectorLink", self.tr("Link the entity"))
        self.link_button.clicked.connect(self.submit)

        unlink_row = QHBoxLayout()
        unlink_row.addStretch(1)
        unlink_row.addWidget(self.unlink_button)
        # A dock is narrow: the name gets a line of its own, the role and button the next.
        role_row = QHBoxLayout()
        role_caption = QLabel(self.tr("as"))
        role_caption.setObjectName("inspectorLinkRoleLabel")
        role_caption.setBuddy(self.role_combo)
        role_row.addWidget(role_caption)
        role_row.addWidget(self.role_combo, 1)
        role_row.addWidget(self.link_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addLayout(unlink_row)
        column.addWidget(self.input)
        column.addLayout(role_row)
        self._update_buttons()

    # -- showing ----------------------------------------------------------------------------

    def show_passage(self, passage_id: str | None) -> None:
        self.passage_id = passage_id
        self.refresh()

    def refresh(self) -> None:
        mentions = self.entities.mentions_of(self.passage_id) if self.passage_id else []
        self.table.setRowCount(0)
        for mention in mentions:
            self._add_row(mention)
        self._update_buttons()

    def entities_changed(self) -> None:
        """Names or aliases may differ now: rebuild the completions when next needed."""
        self._completions_stale = True

    def mention_ids(self) -> list[str]:
        return [
            self.table.item(row, 0).data(MENTION_ID_ROLE) for row in range(self.table.rowCount())
        ]

    def _add_row(self, mention: Mention) -> None:
        entity = self.entities.find(mention.entity_id)
        name = shown_line(entity.name) if entity else self.tr("(deleted entity)")
        if entity and mixed_script(entity.name):
            name = f"⚠ {name}"  # look-alike letters: a disguise, or a typo to fix
        row = self.table.rowCount()
        self.table.insertRow(row)
        item = QTableWidgetItem(name)
        item.setData(MENTION_ID_ROLE, mention.id)
        if entity is not None:
            details = [entity.kind, entity.description, ", ".join(entity.aliases)]
            item.setToolTip("\n".join(part for part in details if part))
        self.table.setItem(row, 0, item)
        combo = self._role_combo()
        named(combo, "inspectorMentionRole", self.tr("Role of {name}").format(name=name))
        combo.setCurrentIndex(combo.findData(mention.role))
        combo.activated.connect(
            lambda index, m=mention.id, c=combo: self.set_role(m, c.itemData(index))
        )
        self.table.setCellWidget(row, 1, combo)

    def _role_combo(self) -> QComboBox:
        combo = QComboBox()
        for role in MENTION_ROLES:
            combo.addItem(self.tr(role), role)
        return combo

    def _update_buttons(self) -> None:
        self.unlink_button.setEnabled(bool(self.table.selectedItems()))

    # -- editing ----------------------------------------------------------------------------

    def set_role(self, mention_id: str, role: str) -> None:
        self.workbench.apply(
            self.tr("Change role to {role}").format(role=self.tr(role)),
            lambda: self.entities.set_role(mention_id, role),
        )
        self.refresh()  # a refused change must put the combo back

    def unlink_selected(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if not rows:
            return
        row = min(rows)
        mention_id = self.table.item(row, 0).data(MENTION_ID_ROLE)
        name = self.table.item(row, 0).text()
        self.workbench.apply(
            self.tr("Unlink {name}").format(name=name), lambda: self.entities.unlink(mention_id)
        )

    def _queue_submit(self, *_args: object) -> None:
        if not self._submit_queued:
            self._submit_queued = True
            QTimer.singleShot(0, self, self.submit)

    def submit(self) -> None:
        """Link the typed name or alias; an unknown name becomes a new entity (asked kind)."""
        self._submit_queued = False
        text = self.input.text().strip()
        if not text or self.passage_id is None:
            return
        passage_id, role = self.passage_id, self.role_combo.currentData()
        self.completer.popup().hide()
        entity = self.entities.find_by_name(text)
        if entity is not None:
            done = self.workbench.apply(
                self.tr("Link {name}").format(name=entity.name),
                lambda: self.entities.link(passage_id, entity.id, role),
            )
        else:
            kind = self.workbench.prompts.choose(
                self,
                self.tr("New entity"),
                self.tr("“{name}” is not known yet. What kind of entity is it?").format(name=text),
                list(ENTITY_KINDS),
            )
            if kind is None:
                return
            done = self.workbench.apply(
                self.tr("Link new entity {name}").format(name=text),
                lambda: self.entities.create_and_link(passage_id, kind, text, role),
            )
        if done is not None:
            self.input.clear()

    # -- completions ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Rebuilt before the field handles the key, so the completer filters fresh names.
        if watched is self.input and event.type() in (QEvent.Type.FocusIn, QEvent.Type.KeyPress):
            self.ensure_completions()
        return super().eventFilter(watched, event)

    def ensure_completions(self) -> None:
        if not self._completions_stale:
            return
        self._completions_stale = False
        self.completion_model.clear()
        for label, entity in self.entities.search_names(limit=None):
            text = label if label == entity.name else f"{label} — {entity.name}"
            item = QStandardItem(f"{shown_line(text)} ({self.tr(entity.kind)})")
            item.setData(label, COMPLETION_ROLE)
            item.setEditable(False)
            self.completion_model.appendRow(item)
