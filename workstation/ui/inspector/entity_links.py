"""The inspector's linked entities: who a passage concerns, in which role, and adding more.

Adding a link takes a name or alias (any script). As the officer types, the popup lists the
entities the text may mean (``EntityService.lookup``: a word's start, a misspelling, another
script), then "Create new entity “…”…". Choosing an entry only fills the field: the link is
made by Enter or Link, in the role shown beside it (the last one used stays chosen). A name
that matches no entity is never created by Link: the matches are shown instead, and creating
one is its own choice (that entry, or "New entity…"), asking its kind, in the same undo step
as the link.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
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

from workstation.domain.records import Entity, Mention
from workstation.domain.spoofing import mixed_script
from workstation.domain.text_display import shown, shown_line
from workstation.domain.vocab import ENTITY_KINDS, MENTION_ROLES
from workstation.services.entity_lookup import EntityLookup, EntityMatch
from workstation.ui.common.widgets import named
from workstation.ui.shell.workbench import Workbench

# A popup entry fills the field with this text (the name or alias that matched), while it
# shows which entity that is; ENTITY_ROLE holds the entity's id, or CREATE for the entry that
# creates a new entity.
COMPLETION_ROLE = Qt.ItemDataRole.UserRole + 1
ENTITY_ROLE = Qt.ItemDataRole.UserRole + 2
MENTION_ID_ROLE = Qt.ItemDataRole.UserRole
CREATE = ""
MAX_MATCHES = 12
POPUP_MAX_WIDTH = 560
_HOW = {
    "exact": "the same name",
    "prefix": "the start of the name",
    "words": "the start of its words",
    "transliteration": "the name in another script",
    "similar": "a similar spelling",
}


class EntityLinks(QWidget):
    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("inspectorEntityLinks")
        self.workbench = workbench
        self.entities = workbench.session.entities
        self.passage_id: str | None = None
        self._lookup: EntityLookup | None = None  # built when first asked, after each change
        self._chosen: tuple[str, str] | None = None  # (label, entity id) picked in the popup
        self._submit_queued = False

        self.table = QTableWidget(0, 2)
        named(self.table, "inspectorMentions", self.tr("Linked entities"))
        self.table.setHorizontalHeaderLabels([self.tr("Entity"), self.tr("Role")])
        for section in range(2):  # a narrow column cuts its header: whole on hover
            if (head := self.table.horizontalHeaderItem(section)) is not None:
                head.setToolTip(head.text())
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
        # The popup lists what the lookup ranked (no filtering of its own), and the field is
        # not the completer's to fill: a choice fills it here, and never links by itself.
        self.completer = QCompleter(self.completion_model, self)
        self.completer.setObjectName("inspectorEntityCompleter")
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setCompletionRole(COMPLETION_ROLE)
        self.completer.setMaxVisibleItems(MAX_MATCHES + 1)
        self.completer.setWidget(self.input)
        self.input.installEventFilter(self)
        self.input.textEdited.connect(self._text_edited)
        self.input.textChanged.connect(self._update_buttons)
        self.input.returnPressed.connect(self._return_pressed)
        # The QModelIndex overload of activated; the stubs do not type signal[...] selection
        self.completer.activated[QModelIndex].connect(self._choose)  # type: ignore[index]

        self.role_combo = self._role_combo()
        named(self.role_combo, "inspectorLinkRole", self.tr("Role of the entity to link"))
        self.role_combo.setCurrentIndex(MENTION_ROLES.index("mentioned"))
        self.role_combo.setToolTip(self.tr("The role the next link gets (the last one used)"))
        self.role_combo.currentIndexChanged.connect(self._show_chosen)
        self.link_button = QPushButton(self.tr("&Link"))
        named(self.link_button, "inspectorLink", self.tr("Link the entity"))
        self.link_button.clicked.connect(self.submit)
        self.create_button = QPushButton(self.tr("Ne&w entity…"))
        named(
            self.create_button,
            "inspectorCreateEntity",
            self.tr("Create a new entity with the name typed, and link it"),
        )
        self.create_button.setToolTip(self.tr("Create a new entity with the name typed"))
        self.create_button.clicked.connect(self.create_new)
        # What Enter will do, or why it did nothing: always in words, never a surprise.
        self.hint = QLabel()
        self.hint.setObjectName("inspectorLinkHint")
        self.hint.setAccessibleName(self.tr("Linking"))
        self.hint.setWordWrap(True)
        self.hint.hide()

        unlink_row = QHBoxLayout()
        unlink_row.addStretch(1)
        unlink_row.addWidget(self.unlink_button)
        # A dock is narrow: the name gets a line of its own, the role and button the next.
        role_row = QHBoxLayout()
        role_caption = QLabel(self.tr("&Role:"))
        role_caption.setObjectName("inspectorLinkRoleLabel")
        role_caption.setBuddy(self.role_combo)
        role_row.addWidget(role_caption)
        role_row.addWidget(self.role_combo, 1)
        role_row.addWidget(self.link_button)
        role_row.addWidget(self.create_button)  # beside Link, never instead of it
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addLayout(unlink_row)
        column.addWidget(self.input)
        column.addLayout(role_row)
        column.addWidget(self.hint)  # shown only when there is something to say
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
        """Names or aliases may differ now: rebuild the lookup when next needed."""
        self._lookup = None

    def mention_ids(self) -> list[str]:
        items = (self.table.item(row, 0) for row in range(self.table.rowCount()))
        return [item.data(MENTION_ID_ROLE) for item in items if item is not None]

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
            # The whole name first (the cell may cut it), then what tells it apart.
            details = [shown(entity.name), entity.kind, shown(entity.description)]
            details.append(shown(", ".join(entity.aliases)))
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

    def _update_buttons(self, *_args: object) -> None:
        self.unlink_button.setEnabled(bool(self.table.selectedItems()))
        self.create_button.setEnabled(bool(self.input.text().strip()))

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
        item = self.table.item(min(rows), 0)
        if item is None:  # every row has its item; the stubs allow for none
            return
        mention_id = item.data(MENTION_ID_ROLE)
        name = item.text()
        self.workbench.apply(
            self.tr("Unlink {name}").format(name=name), lambda: self.entities.unlink(mention_id)
        )

    def _return_pressed(self) -> None:
        # Enter on an entry of the open popup chooses it (``_choose`` follows): that fills
        # the field and links nothing. Enter in the field itself links what it holds.
        popup = self.completer.popup()
        if popup is not None and popup.isVisible() and popup.currentIndex().isValid():
            return
        self._queue_submit()

    def _queue_submit(self, *_args: object) -> None:
        # Once the completer has finished with the key (it hides its popup last).
        if not self._submit_queued:
            self._submit_queued = True
            QTimer.singleShot(0, self, self.submit)

    def submit(self) -> None:
        """Link the entity in the field (an entry chosen from the popup, or a name or alias
        typed in full) in the role shown. Anything else links nothing and opens nothing: the
        entities the text may mean are listed, and "Create new entity…" after them."""
        self._submit_queued = False
        text = self.input.text().strip()
        if not text or self.passage_id is None:
            return
        self._hide_popup()
        entity = self._entity_meant(text)
        if entity is None:
            if self.show_matches(text):
                self._say(
                    self.tr(
                        "No entity is called “{name}”: choose one of the matches (↓ and "
                        "Enter), or create it with New entity…"
                    ).format(name=shown_line(text))
                )
            else:
                self._say(
                    self.tr(
                        "No entity is called “{name}” or anything like it: create it with "
                        "New entity…"
                    ).format(name=shown_line(text))
                )
            return
        passage_id, role = self.passage_id, self.role_combo.currentData()
        done = self.workbench.apply(
            self.tr("Link {name}").format(name=entity.name),
            lambda: self.entities.link(passage_id, entity.id, role),
        )
        if done is not None:
            self._reset()

    def create_new(self) -> None:
        """Create an entity named as typed (its kind asked) and link it in the role shown:
        only ever on the officer's explicit choice, never as what Link falls back to."""
        self._submit_queued = False
        text = self.input.text().strip()
        if not text:
            return
        if self.passage_id is None:
            self._say(self.tr("Select a passage to link first"))
            return
        self._hide_popup()
        known = self.entities.find_by_name(text)
        if known is not None:
            self._chosen = (text, known.id)
            self._say(
                self.tr("“{name}” is already known ({entity}): press Enter or Link").format(
                    name=shown_line(text), entity=shown_line(known.name)
                )
            )
            return
        kind = self.workbench.prompts.choose(
            self,
            self.tr("New entity"),
            self.tr("What kind of entity is “{name}”?").format(name=text),
            list(ENTITY_KINDS),
        )
        if kind is None:
            return
        passage_id, role = self.passage_id, self.role_combo.currentData()
        done = self.workbench.apply(
            self.tr("Link new entity {name}").format(name=text),
            lambda: self.entities.create_and_link(passage_id, kind, text, role),
        )
        if done is not None:
            self._reset()

    def _entity_meant(self, text: str) -> Entity | None:
        if self._chosen is not None and self._chosen[0].strip() == text:
            return self.entities.find(self._chosen[1])
        return self.entities.find_by_name(text)

    def _reset(self) -> None:
        self._chosen = None
        self.input.clear()
        self.completion_model.clear()
        self._say("")

    def _say(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setToolTip(text)
        self.hint.setVisible(bool(text))

    def _show_chosen(self, *_args: object) -> None:
        """Say what Enter will link, and as what, once an entry has been chosen."""
        if self._chosen is None or self._chosen[0].strip() != self.input.text().strip():
            return
        entity = self.entities.find(self._chosen[1])
        if entity is not None:
            self._say(
                self.tr("Enter or Link: link {name} as {role}").format(
                    name=shown_line(entity.name), role=self.role_combo.currentText()
                )
            )

    def _hide_popup(self) -> None:
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()

    # -- matches ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down in the field (popup closed) lists the matches for what it holds again.
        if (
            watched is self.input
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.input.text().strip()
        ):
            popup = self.completer.popup()
            if popup is None or not popup.isVisible():
                self.show_matches(self.input.text())
                return True
        return super().eventFilter(watched, event)

    def lookup(self) -> EntityLookup:
        if self._lookup is None:
            self._lookup = self.entities.lookup()
        return self._lookup

    def _text_edited(self, text: str) -> None:
        self._chosen = None
        self._say("")
        if text.strip():
            self.show_matches(text)
        else:
            self.completion_model.clear()
            self._hide_popup()

    def _choose(self, index: QModelIndex) -> None:
        """An entry of the popup chosen (click or Enter): fill the field, link nothing; the
        "Create new entity…" entry asks the new entity's kind."""
        label = index.data(COMPLETION_ROLE)
        entity_id = index.data(ENTITY_ROLE)
        if not isinstance(label, str) or not isinstance(entity_id, str):
            return
        self.input.setText(label)
        if entity_id == CREATE:
            QTimer.singleShot(0, self, self.create_new)  # once the completer is done
            return
        self._chosen = (label, entity_id)
        self._show_chosen()

    def show_matches(self, text: str) -> int:
        """List in the popup the entities ``text`` may mean, best first, then "Create new
        entity “…”…" (unless one is called exactly that), nothing made current: Enter still
        means the field, ↓ picks an entry. Returns how many entities are listed."""
        text = text.strip()
        matches = self.lookup().find(text, MAX_MATCHES) if text else []
        self.completion_model.clear()
        for match in matches:
            self.completion_model.appendRow(self._match_item(match))
        if text and not any(match.exact for match in matches):
            self.completion_model.appendRow(self._create_item(text))
        popup = self.completer.popup()
        if self.completion_model.rowCount() and self.input.isVisible():
            self.completer.setCompletionPrefix("")
            self.completer.complete(self._popup_rect())
            if popup is not None:
                popup.setCurrentIndex(QModelIndex())
        elif popup is not None:
            popup.hide()
        return len(matches)

    def _popup_rect(self) -> QRect:
        """Under the field, wide enough for its longest entry (up to ``POPUP_MAX_WIDTH``):
        the dock is narrow, so a wider popup reaches left, over the reader, its right edge
        on the field's (whatever is still cut has its whole text as a tooltip)."""
        width = self.input.width()
        popup = self.completer.popup()
        if popup is not None:
            frame = 2 * popup.frameWidth() + popup.verticalScrollBar().sizeHint().width()
            width = max(width, min(popup.sizeHintForColumn(0) + frame, POPUP_MAX_WIDTH))
        return QRect(self.input.width() - width, 0, width, self.input.height())

    def _match_item(self, match: EntityMatch) -> QStandardItem:
        entity = match.entity
        name = shown_line(entity.name)
        if mixed_script(entity.name):
            name = f"⚠ {name}"  # look-alike letters: a disguise, or a typo to fix
        text = name if match.label == entity.name else f"{shown_line(match.label)} — {name}"
        item = QStandardItem(f"{text} ({self.tr(entity.kind)})")
        # The popup is as narrow as the field and cuts long entries: the whole on hover.
        details = [
            shown(entity.name),
            self.tr(entity.kind),
            shown(entity.description),
            shown(", ".join(entity.aliases)),
            self.tr("Found by {how}").format(how=self.tr(_HOW.get(match.how, match.how))),
        ]
        item.setToolTip("\n".join(part for part in details if part))
        item.setData(match.label, COMPLETION_ROLE)
        item.setData(entity.id, ENTITY_ROLE)
        item.setEditable(False)
        return item

    def _create_item(self, text: str) -> QStandardItem:
        label = self.tr("Create new entity “{name}”…").format(name=shown_line(text))
        item = QStandardItem(label)
        item.setToolTip(
            self.tr("Create a new entity called “{name}” (its kind is asked) and link it").format(
                name=shown(text)
            )
        )
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        item.setData(text, COMPLETION_ROLE)
        item.setData(CREATE, ENTITY_ROLE)
        item.setEditable(False)
        return item
