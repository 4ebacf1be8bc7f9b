"""The annotation inspector dock: the selected passage's category, note, releasability and
linked entities, each edit one undoable step through ``Workbench.apply``."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import Annotation, Category, ChangeSet, Document, Entity, Mention
from workstation.domain.spoofing import mixed_word
from workstation.domain.text_display import invisibles_sentence, shown, shown_line
from workstation.ui.codebook.editor import CodebookEditor, ColourChooser
from workstation.ui.common.invisible_warning import InvisiblesWarning
from workstation.ui.common.widgets import elide, named, swatch
from workstation.ui.inspector.entity_links import EntityLinks
from workstation.ui.shell.actions import ActionRegistry, ActionSpec
from workstation.ui.shell.workbench import Workbench

QUOTE_CHARS = 280  # longer quotes are elided; the tooltip holds the full text
_SAVE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def disguise_sentence(text: str) -> str:
    """What could disguise ``text``: invisible characters (shown as marks) and words whose
    letters mix scripts (a Cyrillic е inside a Latin name); "" when there is neither."""
    parts = [invisibles_sentence(text)]
    mixed = [word for word in dict.fromkeys(text.split()) if mixed_word(word)]
    if mixed:
        words = ", ".join(f"“{shown_line(word)}”" for word in mixed[:5])
        parts.append(f"Mixes letters of different scripts (look-alike letters): {words}.")
    return " ".join(part for part in parts if part)


class InspectorDock(QDockWidget):
    def __init__(
        self,
        workbench: Workbench,
        parent: QWidget | None = None,
        *,
        choose_colour: ColourChooser | None = None,
    ):
        super().__init__(self.tr("Inspector"), parent)
        self.setObjectName("inspectorDock")
        self.setAccessibleName(self.tr("Annotation inspector"))
        self.workbench = workbench
        self.session = workbench.session
        self.choose_colour = choose_colour
        self.codebook_editor: CodebookEditor | None = None
        self.passage: Annotation | None = None
        self._titles: dict[str, str] = {}

        self.hint = QLabel(self.tr("Select a passage in the reader to see and edit it here."))
        self.hint.setObjectName("inspectorHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setEnabled(False)  # greyed: it is a hint, not content
        self.hint.setMargin(16)

        self.quote = QLabel()
        named(self.quote, "inspectorQuote", self.tr("Passage quote"))
        self.quote.setWordWrap(True)
        self.quote.setFrameShape(QFrame.Shape.StyledPanel)
        self.quote.setMargin(6)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # What the marks in the quote stand for (⟨RLO⟩, ⟨ZWSP⟩…), when it holds any.
        self.invisibles = QLabel()
        named(self.invisibles, "inspectorInvisibles", self.tr("Invisible characters"))
        self.invisibles.setWordWrap(True)
        self.invisibles.hide()
        self.document_label = QLabel()
        named(self.document_label, "inspectorDocument", self.tr("Document"))
        self.document_label.setWordWrap(True)
        # For an imported passage: who imported it and when, beside what it claims.
        self.provenance = QLabel()
        named(self.provenance, "inspectorProvenance", self.tr("Imported"))
        self.provenance.setWordWrap(True)
        self.provenance.hide()
        # A mention-only span (an accepted suggestion outside any passage) is a link, not a
        # passage: say so, and offer to make it one (giving it a category does too).
        self.mention_note = QLabel(
            self.tr(
                "A mention, not a passage: it links the entity below here, and is not "
                "counted, quoted in a brief or exported as a passage. Choosing a category "
                "makes it one."
            )
        )
        named(self.mention_note, "inspectorMentionNote", self.tr("Mention, not a passage"))
        self.mention_note.setWordWrap(True)
        self.make_passage_button = QPushButton(self.tr("Make it a &passage"))
        named(
            self.make_passage_button,
            "inspectorMakePassage",
            self.tr("Make it a passage"),
            self.tr("Make this mention a passage (uncategorised until you choose a category)"),
        )
        self.make_passage_button.clicked.connect(self.make_passage)
        self.mention_note.hide()
        self.make_passage_button.hide()
        self.category = QComboBox()
        named(self.category, "inspectorCategory", self.tr("Category"))
        self.category.activated.connect(self._category_chosen)
        self.note = QPlainTextEdit()
        named(self.note, "inspectorNote", self.tr("Note"))
        self.note.setPlaceholderText(self.tr("Your note — saved when you leave the field"))
        self.note.setToolTip(self.tr("Saved when you leave the field or press Ctrl+Enter"))
        self.note.setTabChangesFocus(True)
        self.note.installEventFilter(self)
        self.releasable = QCheckBox(self.tr("Releasable (unticked = internal, never in a brief)"))
        named(self.releasable, "inspectorReleasable", self.tr("Releasable"))
        self.releasable.clicked.connect(self._releasable_clicked)
        self.links = EntityLinks(workbench)

        self.form = QWidget()
        self.form.setObjectName("inspectorForm")
        column = QVBoxLayout(self.form)
        column.setContentsMargins(8, 6, 8, 8)
        column.addWidget(self.quote)
        column.addWidget(self.invisibles)
        column.addWidget(self.document_label)
        column.addWidget(self.provenance)
        column.addWidget(self.mention_note)
        column.addWidget(self.make_passage_button)
        for label, field, stretch in (
            (self.tr("&Category"), self.category, 0),
            (self.tr("&Note"), self.note, 2),
            (None, self.releasable, 0),
            (self.tr("Linked &entities"), self.links, 3),
        ):
            if label is not None:
                caption = QLabel(label)
                caption.setObjectName(field.objectName() + "Label")
                caption.setBuddy(field if field is not self.links else self.links.input)
                column.addWidget(caption)
            column.addWidget(field, stretch)
            if field is self.note:  # Qt obeys a bidi override while editing: say so
                self.note_invisibles = InvisiblesWarning({self.tr("Note"): self.note})
                column.addWidget(self.note_invisibles)
        self.pages = QStackedWidget()
        self.pages.setObjectName("inspectorPages")
        self.pages.addWidget(self.hint)
        self.pages.addWidget(self.form)
        self.setWidget(self.pages)

        workbench.passage_selected.connect(self.show_passage)
        workbench.changed.connect(self._on_changed)
        self.show_passage(workbench.current_passage)

    # -- actions ----------------------------------------------------------------------------

    def register_actions(self, registry: ActionRegistry) -> None:
        registry.register(
            ActionSpec(
                "actionFocusInspector",
                self.tr("Focus &inspector"),
                "Ctrl+I",
                self.tr("Show the inspector and edit the selected passage's note"),
                writes=False,
            ),
            self.focus_inspector,
        )
        registry.register(
            ActionSpec(
                "actionEditCodebook",
                self.tr("Edit &codebook…"),
                "Ctrl+Shift+K",
                self.tr("Add, rename, recolour and reorder categories; assign their keys"),
            ),
            self.open_codebook_editor,
        )

    def focus_inspector(self) -> None:
        self.show()
        self.raise_()
        (self.note if self.passage is not None else self.pages).setFocus(
            Qt.FocusReason.ShortcutFocusReason
        )

    def open_codebook_editor(self) -> CodebookEditor:
        if self.codebook_editor is None:
            self.codebook_editor = CodebookEditor(
                self.workbench, self.window(), choose_colour=self.choose_colour
            )
        self.codebook_editor.show()
        self.codebook_editor.raise_()
        self.codebook_editor.activateWindow()
        return self.codebook_editor

    # -- showing ----------------------------------------------------------------------------

    def show_passage(self, passage_id: str | None) -> None:
        if self.passage is not None and passage_id != self.passage.id:
            self.save_note()  # typing is never lost by selecting another passage
        self.passage = self.session.annotations.find(passage_id) if passage_id else None
        self._fill()

    def _fill(self) -> None:
        passage = self.passage
        self.pages.setCurrentWidget(self.form if passage else self.hint)
        self.form.setEnabled(passage is not None)
        self.links.show_passage(passage.id if passage else None)
        self._fill_categories()
        mention = passage is not None and passage.mention_only
        self.mention_note.setVisible(mention)
        self.make_passage_button.setVisible(mention)
        if passage is None:
            self.quote.clear()
            self.invisibles.clear()
            self.invisibles.hide()
            self.document_label.clear()
            self.provenance.clear()
            self.provenance.hide()
            self.note.clear()
            return
        self.quote.setText(f"“{elide(passage.exact, QUOTE_CHARS)}”")
        self.quote.setToolTip(shown(passage.exact[:2000]))
        self.invisibles.setText(disguise_sentence(passage.exact))
        self.invisibles.setVisible(bool(self.invisibles.text()))
        self.document_label.setText(
            self.tr("in {title} · characters {start}–{end}").format(
                title=shown_line(self._title(passage.document_id)),
                start=passage.start,
                end=passage.end,
            )
        )
        self.provenance.setText(self._provenance(passage))
        self.provenance.setVisible(bool(self.provenance.text()))
        if self.note.toPlainText() != passage.note:
            self.note.setPlainText(passage.note)
        self.releasable.setChecked(passage.releasable)

    def _provenance(self, passage: Annotation) -> str:
        """Who imported the passage and when, and what it claims; "" for one made here."""
        if not passage.imported_by:
            return ""
        claims = [
            self.tr("claims author {name}").format(name=passage.claimed["author"])
            if "author" in passage.claimed
            else "",
            self.tr("created {when}").format(when=passage.claimed["created"])
            if "created" in passage.claimed
            else "",
        ]
        said = ", ".join(claim for claim in claims if claim)
        text = self.tr("imported by {name} on {day}").format(
            name=passage.imported_by, day=(passage.imported_at or "")[:10]
        )
        return shown_line(f"{text} ({said})" if said else text)

    def _fill_categories(self) -> None:
        self.category.clear()
        self.category.addItem(self.tr("(no category)"), None)
        for category in self.session.codebook.list_categories():
            label = category.name + (f"  [{category.shortcut}]" if category.shortcut else "")
            self.category.addItem(swatch(category.colour), label, category.id)
        current = self.passage.category_id if self.passage else None
        self.category.setCurrentIndex(max(0, self.category.findData(current)))

    def _title(self, document_id: str) -> str:
        if document_id not in self._titles:
            self._titles[document_id] = self.session.documents.get(document_id).title
        return self._titles[document_id]

    def _on_changed(self, changes: ChangeSet) -> None:
        shown = self.passage.id if self.passage else self.workbench.current_passage
        if changes.touches(Entity):
            self.links.entities_changed()
        if changes.touches(Document):
            self._titles.clear()
        touches_passage = shown is not None and (
            shown in changes.ids_of(Annotation)
            or shown in changes.values_of(Mention, "annotation_id")
        )
        if touches_passage or changes.touches(Entity, Category, Document):
            self._reload(shown)

    def _reload(self, passage_id: str | None) -> None:
        """Show the stored state, keeping unsaved note typing unless the note itself changed."""
        typed = self.note.toPlainText()
        before = self.passage.note if self.passage else None
        self.passage = self.session.annotations.find(passage_id) if passage_id else None
        self._fill()
        if self.passage is not None and typed != before and self.passage.note == before:
            self.note.setPlainText(typed)

    # -- editing ----------------------------------------------------------------------------

    def _edit(self, text: str, **fields: object) -> None:
        if self.passage is None:
            return
        passage_id = self.passage.id
        if self.workbench.apply(text, lambda: self.session.annotations.edit(passage_id, **fields)):
            return
        self._reload(passage_id)  # refused: show the stored state again

    def _category_chosen(self, index: int) -> None:
        if self.passage is not None and self.category.itemData(index) != self.passage.category_id:
            name = self.category.itemText(index).split("  [")[0]
            # On a mention, a category makes it a passage (the service clears mention_only).
            text = (
                self.tr("Make passage of mention as {name}")
                if self.passage.mention_only
                else self.tr("Set category to {name}")
            )
            self._edit(text.format(name=name), category_id=self.category.itemData(index))

    def make_passage(self) -> None:
        """Make the mention shown a passage, with the category the combo shows (one undo)."""
        if self.passage is None or not self.passage.mention_only:
            return
        passage_id, category_id = self.passage.id, self.category.currentData()
        name = self.category.currentText().split("  [")[0]
        if not self.workbench.apply(
            self.tr("Make passage of mention as {name}").format(name=name),
            lambda: self.session.annotations.make_passage(passage_id, category_id),
        ):
            self._reload(passage_id)

    def _releasable_clicked(self, checked: bool) -> None:
        if self.passage is not None and checked != self.passage.releasable:
            text = self.tr("Mark releasable") if checked else self.tr("Mark internal")
            self._edit(text, releasable=checked)

    def save_note(self) -> None:
        if self.passage is None or self.note.toPlainText() == self.passage.note:
            return
        if self.session.annotations.find(self.passage.id) is None:
            return  # deleted meanwhile: nothing left to save to
        self._edit(self.tr("Edit note"), note=self.note.toPlainText())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note:
            if event.type() == QEvent.Type.FocusOut:
                self.save_note()
            elif (
                event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in _SAVE_KEYS
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                self.save_note()
                return True
        return super().eventFilter(watched, event)
