"""The event form: an event made from passages (its evidence), or an existing one edited.

It never opens modally (tests drive it directly) and saves through ``Workbench.apply``, so a
new event, or all the changes of one edit, is one undo step. "Propose date" reads the first
passage's words relative to its article's date; the officer checks it, then saves.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.dates import check_event_date, format_event_date
from workstation.domain.records import Event
from workstation.domain.text_display import shown, shown_line
from workstation.domain.vocab import EVENT_KINDS
from workstation.services import Session
from workstation.ui.common.invisible_warning import InvisiblesWarning
from workstation.ui.common.widgets import caption, elide, hbox, line_edit, named, tip_items
from workstation.ui.shell.workbench import Workbench

PASSAGE_ROLE = Qt.ItemDataRole.UserRole
DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 1
DISPLAY_FORMATS = {"day": "dd MMM yyyy", "month": "MMM yyyy", "year": "yyyy"}
VALUE_FORMATS = {"day": "yyyy-MM-dd", "month": "yyyy-MM", "year": "yyyy"}


class PassageList(QListView):
    """Passages as “quote” — document lines (the form's evidence, the timeline's too)."""

    def __init__(self, session: Session, object_name: str, accessible: str):
        super().__init__()
        named(self, object_name, accessible)
        self.session = session
        self.passages = QStandardItemModel(self)
        self.passages.setObjectName(object_name + "Model")
        self.setModel(self.passages)
        self.setWordWrap(True)
        self.setEditTriggers(QListView.EditTrigger.NoEditTriggers)

    def set_passages(self, passage_ids: list[str]) -> None:
        self.passages.clear()
        for passage_id in passage_ids:
            self.append(passage_id)

    def append(self, passage_id: str) -> bool:
        passage = self.session.annotations.find(passage_id)
        if passage is None or passage_id in self.passage_ids():
            return False
        title = self.session.documents.get(passage.document_id).title
        item = QStandardItem(f"“{elide(passage.exact, 120)}” — {shown_line(title)}")
        item.setData(passage_id, PASSAGE_ROLE)
        item.setData(passage.document_id, DOCUMENT_ROLE)
        # The whole quote (up to a page) and its document: the row cuts both.
        item.setToolTip(f"“{shown(passage.exact[:2000])}”\n— {shown(title)}")
        item.setEditable(False)
        self.passages.appendRow(item)
        return True

    def passage_ids(self) -> list[str]:
        rows = range(self.passages.rowCount())
        return [self.passages.item(row).data(PASSAGE_ROLE) for row in rows]


class EventForm(QDialog):
    saved = Signal(str)  # the event's id

    def __init__(
        self,
        workbench: Workbench,
        episode_id: str,
        *,
        event_id: str | None = None,
        passages: list[str] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("eventForm")
        self.workbench, self.session, self.episode_id = workbench, workbench.session, episode_id
        events = self.session.episodes.events(episode_id)
        self.editing: Event | None = next((e for e in events if e.id == event_id), None)
        self.setWindowTitle(self.tr("Edit event") if self.editing else self.tr("New event"))
        self.setAccessibleName(self.windowTitle())
        tr = self.tr

        self.evidence = PassageList(self.session, "eventFormEvidence", tr("Evidence passages"))
        self.evidence.setMaximumHeight(120)
        self.add_passage = named(
            QPushButton(tr("&Add the selected passage")),
            "eventFormAddPassage",
            tr("Add the passage selected in the reader"),
        )
        self.remove_passage = named(
            QPushButton(tr("Re&move")), "eventFormRemovePassage", tr("Remove passage")
        )
        self.date = named(QDateEdit(), "eventFormDate", tr("Date"))
        self.date.setCalendarPopup(True)
        self.precision = named(QComboBox(), "eventFormPrecision", tr("Date precision"))
        for value, label in (("day", tr("Day")), ("month", tr("Month")), ("year", tr("Year"))):
            self.precision.addItem(label, value)
        self.propose = named(
            QPushButton(tr("&Propose date")),
            "eventFormProposeDate",
            tr("Propose the date from the passages' words"),
        )
        self.proposal = named(
            QLabel(tr("“Propose date” reads the passages' words, relative to their article.")),
            "eventFormProposal",
            tr("Date proposal"),
        )
        self.proposal.setWordWrap(True)
        self.kind = named(QComboBox(), "eventFormKind", tr("Kind"))
        for kind in EVENT_KINDS:
            self.kind.addItem(tr(kind.capitalize()), kind)
        self.title_edit = named(QLineEdit(), "eventFormTitle", tr("Title"))
        self.title_edit.setPlaceholderText(tr("Who did what to whom, in a line"))
        self.summary = named(QPlainTextEdit(), "eventFormSummary", tr("Summary"))
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.actor = self._entity_combo("eventFormActor", tr("Actor"))
        self.target = self._entity_combo("eventFormTarget", tr("Target"))
        self.responds_to = named(QComboBox(), "eventFormRespondsTo", tr("Answers event"))
        self.responds_to.setMinimumContentsLength(30)
        self.responds_to.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.legal_basis = named(QLineEdit(), "eventFormLegalBasis", tr("Legal basis"))
        standard = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(standard.Save | standard.Cancel)
        named(self.buttons.button(standard.Save), "eventFormSave", tr("Save event"))
        named(self.buttons.button(standard.Cancel), "eventFormCancel", tr("Cancel"))
        self._lay_out()

        self.add_passage.clicked.connect(self.add_selected_passage)
        self.remove_passage.clicked.connect(self._remove_current_passage)
        self.precision.currentIndexChanged.connect(self._precision_changed)
        self.propose.clicked.connect(self.propose_date)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.close)
        workbench.passage_selected.connect(self._update_buttons)
        self.evidence.selectionModel().currentChanged.connect(self._update_buttons)
        self._fill(passages or [])

    def _entity_combo(self, object_name: str, accessible: str) -> QComboBox:
        """Entities by name; typing filters (any part of the name); an alias also resolves."""
        combo = named(QComboBox(), object_name, accessible)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        named(line_edit(combo), object_name + "Text", accessible)
        line_edit(combo).setPlaceholderText(self.tr("(none)"))
        combo.addItem("", None)
        for entity in self.session.entities.list_entities():
            combo.addItem(shown_line(entity.name), entity.id)
        tip_items(combo)  # its completer's popup may cut a long name
        completer = QCompleter(combo.model(), combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        combo.setCompleter(completer)
        return combo

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        evidence = QVBoxLayout()
        evidence.addWidget(self.evidence)
        evidence.addLayout(hbox(self.add_passage, self.remove_passage))
        form.addRow(caption(self.tr("E&vidence:"), self.evidence), evidence)
        date_row = hbox(self.date, self.precision, self.propose, grow=(0,))
        form.addRow(caption(self.tr("&Date:"), self.date), date_row)
        form.addRow("", self.proposal)
        for text, field in (
            (self.tr("&Kind:"), self.kind),
            (self.tr("&Title:"), self.title_edit),
            (self.tr("S&ummary:"), self.summary),
            (self.tr("A&ctor:"), self.actor),
            (self.tr("Tar&get:"), self.target),
            (self.tr("A&nswers:"), self.responds_to),
            (self.tr("&Legal basis:"), self.legal_basis),
        ):
            form.addRow(caption(text, field), field)
        self.invisibles = InvisiblesWarning(
            {
                self.tr("Title"): self.title_edit,
                self.tr("Summary"): self.summary,
                self.tr("Legal basis"): self.legal_basis,
            }
        )
        form.addRow("", self.invisibles)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.buttons)
        self.resize(600, self.sizeHint().height())

    # -- filling ----------------------------------------------------------------------------

    def _fill(self, passages: list[str]) -> None:
        event = self.editing
        self._fill_answers()
        if event is not None:
            passages = [e.annotation_id for e in self.session.episodes.evidence_of(event.id)]
        self.evidence.set_passages(passages)
        if event is None:
            self._prefill_from_passages()
        else:
            self.precision.setCurrentIndex(self.precision.findData(event.precision))
            self.date.setDate(QDate.fromString(event.date, "yyyy-MM-dd"))
            self.kind.setCurrentIndex(self.kind.findData(event.kind))
            self.title_edit.setText(event.title)
            self.summary.setPlainText(event.summary)
            for combo, value in ((self.actor, event.actor_id), (self.target, event.target_id)):
                combo.setCurrentIndex(max(0, combo.findData(value)))
            self.responds_to.setCurrentIndex(max(0, self.responds_to.findData(event.responds_to)))
            self.legal_basis.setText(event.legal_basis)
        self._precision_changed()
        self._update_buttons()

    def _fill_answers(self) -> None:
        self.responds_to.addItem(self.tr("(answers no event)"), None)
        event_id = self.editing.id if self.editing else None
        for event in self.session.timeline.answerable_events(self.episode_id, event_id):
            label = f"{format_event_date(event.date, event.precision)} · {shown_line(event.title)}"
            self.responds_to.addItem(label, event.id)
        tip_items(self.responds_to)

    def _prefill_from_passages(self) -> None:
        """A new event starts from what its passages already say (see EventDraft)."""
        draft = self.session.timeline.draft_from_passages(self.passage_ids())
        day = QDate.fromString(draft.date, "yyyy-MM-dd") if draft.date else QDate.currentDate()
        self.date.setDate(day)
        for combo, value in (
            (self.kind, draft.kind),
            (self.actor, draft.actor_id),
            (self.target, draft.target_id),
        ):
            if value is not None:
                combo.setCurrentIndex(max(0, combo.findData(value)))

    def passage_ids(self) -> list[str]:
        return self.evidence.passage_ids()

    # -- commands ---------------------------------------------------------------------------

    def add_selected_passage(self) -> None:
        if self.workbench.current_passage is not None:
            self.evidence.append(self.workbench.current_passage)
        self._update_buttons()

    def _remove_current_passage(self) -> None:
        if self.evidence.currentIndex().isValid():
            self.evidence.passages.removeRow(self.evidence.currentIndex().row())
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        current = self.workbench.current_passage
        self.add_passage.setEnabled(current is not None and current not in self.passage_ids())
        self.remove_passage.setEnabled(self.evidence.currentIndex().isValid())
        self.propose.setEnabled(bool(self.passage_ids()))

    def _precision_changed(self, *_args: object) -> None:
        self.date.setDisplayFormat(DISPLAY_FORMATS[self.precision.currentData()])

    def propose_date(self) -> bool:
        """Fill date and precision from the passages' words (the first that names one)."""
        found = self.session.timeline.propose_event_date(self.passage_ids())
        if found is None:
            self.proposal.setText(
                self.tr(
                    "The passages name no date that can be placed (words like “on Thursday” "
                    "need the article's published date)."
                )
            )
            return False
        proposal, document = found
        self.precision.setCurrentIndex(self.precision.findData(proposal.precision))
        self.date.setDate(QDate.fromString(proposal.date, "yyyy-MM-dd"))
        self.proposal.setText(
            self.tr("Proposed from “{words}” in {title}. Check it, then save.").format(
                words=proposal.matched, title=document.title
            )
        )
        return True

    def values(self) -> dict[str, Any] | None:
        """The fields as the service takes them; None (the user was told why) if wrong."""
        entity_ids = []
        for combo in (self.actor, self.target):
            text = combo.currentText().strip()
            index = combo.findText(text, Qt.MatchFlag.MatchFixedString) if text else 0
            entity = self.session.entities.find_by_name(text) if index < 0 else None
            if index < 0 and entity is None:
                message = self.tr("No entity is called “{name}”; add it to the registry first.")
                self.workbench.prompts.error(self, message.format(name=text))
                return None
            entity_ids.append(entity.id if entity else combo.itemData(index))
        if not self.title_edit.text().strip():
            self.workbench.prompts.error(self, self.tr("An event needs a title."))
            return None
        precision = self.precision.currentData()
        typed = self.date.date().toString(VALUE_FORMATS[precision])
        return {
            "date": check_event_date(typed, precision),  # as stored: 2021-04 → 2021-04-01
            "precision": precision,
            "kind": self.kind.currentData(),
            "title": self.title_edit.text().strip(),
            "summary": self.summary.toPlainText().strip(),
            "actor_id": entity_ids[0],
            "target_id": entity_ids[1],
            "responds_to": self.responds_to.currentData(),
            "legal_basis": self.legal_basis.text().strip(),
        }

    def save(self) -> str | None:
        """Save as one undo step; returns the event's id, or None if nothing was saved."""
        values = self.values()
        if values is None:
            return None
        episodes, passages = self.session.episodes, self.passage_ids()
        if self.editing is None:
            text = self.tr("New event “{title}”").format(title=values["title"])
            action = lambda: episodes.add_event(self.episode_id, evidence=passages, **values)  # noqa: E731
        else:
            event_id = self.editing.id
            text = self.tr("Edit event “{title}”").format(title=values["title"])
            action = lambda: self.session.timeline.save_event(event_id, evidence=passages, **values)  # noqa: E731
        done = self.workbench.apply(text, action)
        if done is None:
            return None
        self.saved.emit(done.record.id)
        self.close()
        return done.record.id
