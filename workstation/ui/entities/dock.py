"""The entities dock: the registry in a windowed table (filter as you type, edit in place or
in the form below it), merging two entities and splitting an alias out — each one undo
step — and the passages that mention the selected entity, across documents, in context."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import ChangeSet, Document, Entity, Mention, Relation
from workstation.domain.vocab import ENTITY_KINDS
from workstation.ui.common.widgets import count_noun, named
from workstation.ui.entities.facts_pane import FactsPane
from workstation.ui.entities.models import NAME, EntityTableModel
from workstation.ui.entities.panes import EntityForm, PassagesPane, make_entity_table
from workstation.ui.shell.actions import ActionRegistry, ActionSpec
from workstation.ui.shell.workbench import Workbench

FILTER_DELAY_MS = 150  # typing pauses this long before the list is filtered
_SELECT = QItemSelectionModel.SelectionFlag


class EntitiesDock(QDockWidget):
    # (document id, passage id) after a passage was opened in the reader.
    passage_activated = Signal(str, str)

    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
        super().__init__(self.tr("Entities"), parent)
        self.setObjectName("entitiesDock")
        self.setAccessibleName(self.tr("Entities"))
        self.workbench = workbench
        self.session = workbench.session
        self.registry = workbench.session.registry
        self.entity: Entity | None = None
        self.model = EntityTableModel(self.registry, self._edit_field, self)
        self._actions: list[tuple[QAction, QPushButton]] = []

        self.filter_edit = named(QLineEdit(), "entityFilter", self.tr("Filter entities"))
        self.filter_edit.setPlaceholderText(self.tr("Filter by name, alias, country, description"))
        self.filter_edit.setClearButtonEnabled(True)
        self.merge_button = named(
            QPushButton(self.tr("&Merge…")), "entityMerge", self.tr("Merge entities")
        )
        self.merge_button.setToolTip(
            self.tr("Merge the two selected entities; the current one (in the form) is kept")
        )
        self.split_button = named(
            QPushButton(self.tr("S&plit alias…")), "entitySplit", self.tr("Split alias")
        )
        self.split_button.setToolTip(self.tr("Make one alias an entity of its own"))
        self.count_label = named(QLabel(), "entityCount", self.tr("Entity count"))
        self.view = make_entity_table(self.model, self.tr("Entities"))
        self.form = EntityForm()
        self.passages = PassagesPane(self.registry)
        # Imported facts and relations (issue 17), between the form and the passages.
        self.facts = FactsPane(self.session.relations.of)
        self._layout()

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self._filter_and_go_to_list)
        self.merge_button.clicked.connect(self.merge_selected)
        self.split_button.clicked.connect(self.split_alias)
        self.form.save_requested.connect(self.save_form)
        selection = self.view.selectionModel()
        selection.currentRowChanged.connect(lambda current, _: self._show_row(current.row()))
        selection.selectionChanged.connect(self._update_commands)
        self.passages.open_requested.connect(self.open_passage)
        self.facts.entity_requested.connect(self.select_entity)
        workbench.changed.connect(self._on_changed)
        self.refresh()

    def _layout(self) -> None:
        commands = QHBoxLayout()
        commands.addWidget(self.merge_button)
        commands.addWidget(self.split_button)
        commands.addStretch(1)
        commands.addWidget(self.count_label)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        for item in (self.filter_edit, commands, self.view, self.form):
            if isinstance(item, QHBoxLayout):
                column.addLayout(item)
            else:
                column.addWidget(item)
        column.setStretchFactor(self.view, 1)
        splitter = named(QSplitter(Qt.Orientation.Vertical), "entitySplitter", self.tr("Split"))
        splitter.addWidget(top)
        splitter.addWidget(self.facts)
        splitter.addWidget(self.passages)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setChildrenCollapsible(False)
        body = QWidget()
        body.setObjectName("entitiesBody")
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(splitter)
        self.setWidget(body)

    # -- commands ---------------------------------------------------------------------------

    def register_actions(self, registry: ActionRegistry) -> None:
        registry.register(
            ActionSpec(
                "actionFocusEntities",
                self.tr("Focus &entities"),
                "Ctrl+Shift+E",
                self.tr("Show the entity registry and type to filter it"),
                writes=False,
            ),
            self.focus_filter,
        )
        merge = registry.register(
            ActionSpec(
                "actionMergeEntities",
                self.tr("&Merge entities…"),
                tip=self.tr("Merge the two selected entities into the current one"),
            ),
            self.merge_selected,
        )
        split = registry.register(
            ActionSpec(
                "actionSplitAlias",
                self.tr("S&plit alias into an entity…"),
                tip=self.tr("Make one alias of the current entity an entity of its own"),
            ),
            self.split_alias,
        )
        self._actions = [(merge, self.merge_button), (split, self.split_button)]
        self._update_commands()

    def _update_commands(self, *_args: object) -> None:
        can_merge = len(self.selected_ids()) == 2
        can_split = self.entity is not None and bool(self.entity.aliases)
        for button, enabled in ((self.merge_button, can_merge), (self.split_button, can_split)):
            button.setEnabled(enabled)
        for action, button in self._actions:
            action.setEnabled(button.isEnabled())

    def focus_filter(self) -> None:
        self.show()
        self.raise_()
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def apply_filter(self) -> None:
        self._filter_timer.stop()
        kept = self._kept
        self.model.set_filter(self.filter_edit.text())
        self._after_reset(kept)

    def _filter_and_go_to_list(self) -> None:
        self.apply_filter()
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, NAME))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- showing ----------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [i for i in (self.model.entity_id(row) for row in rows) if i is not None]

    def refresh(self) -> None:
        """Re-read the registry, keeping the selection by id (scrolled into view)."""
        kept = self._kept
        self.model.refresh()
        self._after_reset(kept)

    @property
    def _kept(self) -> tuple[str | None, list[str]]:
        return (self.entity.id if self.entity else None), self.selected_ids()

    def _after_reset(self, kept: tuple[str | None, list[str]]) -> None:
        current, selected = kept
        self.select_entities([i for i in selected if i != current] + ([current] if current else []))
        rows = self.model.rowCount()
        self.count_label.setText(count_noun(rows, self.tr("entity"), self.tr("entities")))

    def select_entities(self, ids: list[str]) -> None:
        """Select these entities; the last becomes current (shown in the form)."""
        selection = self.view.selectionModel()
        selection.clear()
        rows = [row for row in (self.model.row_of(i) for i in ids) if row is not None]
        for row in rows:
            selection.select(self.model.index(row, 0), _SELECT.Select | _SELECT.Rows)
        before = selection.currentIndex()
        if rows:  # a new current row is shown through currentRowChanged
            selection.setCurrentIndex(self.model.index(rows[-1], 1), _SELECT.NoUpdate)
            self.view.scrollTo(self.model.index(rows[-1], 1))
        if not rows or selection.currentIndex() == before:
            self._show_row(rows[-1] if rows else -1)

    def select_entity(self, entity_id: str) -> None:
        if self.model.row_of(entity_id) is None and self.model.text:
            self.filter_edit.setText("")  # filtered out: show everything to show it
            self.apply_filter()
        self.select_entities([entity_id])

    def _show_row(self, row: int) -> None:
        entity_id = self.model.entity_id(row) if row >= 0 else None
        self.entity = self.session.entities.find(entity_id) if entity_id else None
        self.form.show_entity(self.entity)
        self.facts.show_entity(self.entity)
        self.passages.show_entity(self.entity)
        self._update_commands()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(Entity):
            if self.view.state() == QAbstractItemView.State.EditingState:
                # An edit in place is being committed: re-reading now would pull the
                # model from under the closing editor. Re-read once it is gone.
                QTimer.singleShot(0, self.refresh)
            else:
                self.refresh()
        elif changes.touches(Mention):
            # Links only change counts: the same rows, repainted, unless ordered by count.
            if self.model.sort_key == "passages":
                self.refresh()
            else:
                self.model.counts_changed()
                self.passages.show_entity(self.entity)
        elif changes.touches(Document):  # a retitled document
            self.passages.show_entity(self.entity)
        if changes.touches(Relation) and not changes.touches(Entity):
            self.facts.show_entity(self.entity)

    def open_passage(self, document_id: str, passage_id: str) -> None:
        """Open the passage's document in the reader and select the passage there."""
        if self.workbench.current_document != document_id:
            self.workbench.open_document(document_id)
        self.workbench.select_passage(passage_id)
        self.passage_activated.emit(document_id, passage_id)

    # -- editing ----------------------------------------------------------------------------

    def _edit_field(self, entity_id: str, field: str, value: object) -> bool:
        return self._apply_edit(entity_id, {field: value})

    def _apply_edit(self, entity_id: str, fields: dict[str, object]) -> bool:
        entity = self.session.entities.get(entity_id)
        text = self.tr("Edit {name}").format(name=entity.name)
        edit = self.session.entities.edit
        return self.workbench.apply(text, lambda: edit(entity_id, **fields)) is not None

    def save_form(self) -> None:
        if self.entity is not None:
            fields = self.form.changes_from(self.entity)
            if fields:
                self._apply_edit(self.entity.id, fields)

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            return
        counts = self.registry.mention_counts(ids)
        current = self.entity.id if self.entity else None
        keep_id = current if current in ids else max(ids, key=lambda i: counts.get(i, 0))
        gone_id = next(i for i in ids if i != keep_id)
        kept, gone = self.session.entities.get(keep_id), self.session.entities.get(gone_id)
        question = self.tr(
            "Merge “{gone}” into “{kept}”?\n\nIts {n} and its events move to "
            "“{kept}”, and its names become aliases. Undo reverses all of it."
        ).format(
            gone=gone.name,
            kept=kept.name,
            n=count_noun(counts.get(gone_id, 0), self.tr("passage"), self.tr("passages")),
        )
        if not self.workbench.prompts.confirm(self, question):
            return
        text = self.tr("Merge {gone} into {kept}").format(gone=gone.name, kept=kept.name)
        if self.workbench.apply(text, lambda: self.registry.merge(keep_id, gone_id)):
            self.select_entity(keep_id)

    def split_alias(self) -> None:
        entity = self.entity
        if entity is None or not entity.aliases:
            return
        prompts, title = self.workbench.prompts, self.tr("Split alias")
        alias = prompts.choose(
            self,
            title,
            self.tr("Alias of {name} to make an entity:").format(name=entity.name),
            list(entity.aliases),
        )
        if alias is None:
            return
        kind = prompts.choose(
            self,
            title,
            self.tr("Kind of “{alias}”:").format(alias=alias),
            list(ENTITY_KINDS),
            entity.kind,
        )
        if kind is None:
            return
        naming = self.registry.mentions_naming_only(entity.id, alias)
        move = bool(naming) and prompts.confirm(
            self,
            self.tr("Move the {n} that name {name} only as “{alias}” to the new entity?").format(
                n=count_noun(len(naming), self.tr("passage"), self.tr("passages")),
                name=entity.name,
                alias=alias,
            ),
        )
        text = self.tr("Split {alias} out of {name}").format(alias=alias, name=entity.name)
        split = self.registry.split_alias
        outcome = self.workbench.apply(
            text, lambda: split(entity.id, alias, kind, move_mentions=move)
        )
        if outcome:
            self.select_entity(outcome.record.id)
