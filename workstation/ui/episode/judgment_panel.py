"""The key judgments of one episode: an ordered list (add, delete, move) and, for the
selected judgment, its text with live wording warnings, its ICD 203 likelihood, its
confidence and the passages it cites. Every edit is one undo step via ``Workbench.apply``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.estimative import CONFIDENCE_LEVELS, LIKELIHOOD_SCALE
from workstation.domain.records import Judgment
from workstation.ui.common.widgets import caption, elide, named
from workstation.ui.episode.judgments import (
    JudgmentListModel,
    SavedText,
    WordingWarnings,
)
from workstation.ui.shell.workbench import Workbench

# A new judgment starts at the scale's middle with low confidence: visibly unassessed, never
# a confident claim the officer did not make. The picker gets focus so it is set at once.
NEW_LIKELIHOOD = "roughly even chance"
NEW_CONFIDENCE = "low"


class JudgmentPanel(QWidget):
    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("judgmentPanel")
        self.workbench = workbench
        self.session = workbench.session
        self.episode_id: str | None = None
        self.judgment: Judgment | None = None
        self._reloading = False

        self.model = JudgmentListModel(self)
        self.list = named(QListView(), "judgmentList", self.tr("Key judgments"))
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)  # one line each: cheap and steady
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 8)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        buttons = QHBoxLayout()
        self.add_button = self._button("judgmentAdd", self.tr("Add…"), self.add_judgment)
        self.delete_button = self._button("judgmentDelete", self.tr("Delete"), self.delete)
        self.up_button = self._button(
            "judgmentUp", self.tr("Move up"), lambda: self.move_judgment(-1)
        )
        self.down_button = self._button(
            "judgmentDown", self.tr("Move down"), lambda: self.move_judgment(1)
        )
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.text = named(QPlainTextEdit(), "judgmentText", self.tr("Judgment text"))
        self.text.setPlaceholderText(self.tr("The judgment — saved when you leave the field"))
        self.text.setToolTip(self.tr("Saved when you leave the field or press Ctrl+Enter"))
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.text_field = SavedText(self.text, self._save_text)
        self.warnings = named(QLabel(), "judgmentWarnings", self.tr("Wording warnings"))
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #9a5b00;")  # amber: advice, not an error
        self.warnings.hide()
        self.checker = WordingWarnings(self.text, self.warnings)
        self.likelihood = named(QComboBox(), "judgmentLikelihood", self.tr("Likelihood"))
        for item in LIKELIHOOD_SCALE:
            self.likelihood.addItem(f"{item.term} ({item.low}–{item.high} %)", item.term)
            tip = self.tr("Also written “{synonym}”").format(synonym=item.synonym)
            last = self.likelihood.count() - 1
            self.likelihood.setItemData(last, tip, Qt.ItemDataRole.ToolTipRole)
        self.likelihood.activated.connect(self._likelihood_chosen)
        self.checker.follow_likelihood(self.likelihood)  # "likely" vs "roughly even chance"
        self.confidence = named(QComboBox(), "judgmentConfidence", self.tr("Confidence"))
        levels = {"high": self.tr("high"), "moderate": self.tr("moderate"), "low": self.tr("low")}
        for level in CONFIDENCE_LEVELS:
            self.confidence.addItem(levels[level], level)
        self.confidence.activated.connect(self._confidence_chosen)
        self.cited = named(QListWidget(), "judgmentCited", self.tr("Cited passages"))
        self.cited.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.cited.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cited.itemSelectionChanged.connect(self._update_buttons)
        self.cited.itemActivated.connect(self._open_citation)
        citing = QHBoxLayout()
        self.cite_button = self._button(
            "judgmentCite", self.tr("Cite current passage"), self.cite_current
        )
        self.uncite_button = self._button("judgmentUncite", self.tr("Remove"), self.uncite)
        citing.addWidget(self.cite_button)
        citing.addWidget(self.uncite_button)
        citing.addStretch(1)

        self.form = QWidget()
        self.form.setObjectName("judgmentForm")
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Text and warnings share one box: a form row does not grow for a wrapped label.
        writing = QVBoxLayout()
        writing.addWidget(self.text, 1)
        writing.addWidget(self.warnings)
        form.addRow(caption(self.tr("&Text:"), self.text), writing)
        form.addRow(caption(self.tr("&Likelihood:"), self.likelihood), self.likelihood)
        form.addRow(caption(self.tr("C&onfidence:"), self.confidence), self.confidence)
        form.addRow(caption(self.tr("&Cites:"), self.cited), self.cited)
        form.addRow("", citing)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list, 2)
        column.addLayout(buttons)
        column.addWidget(self.form, 3)
        self.cited.setMinimumHeight(self.fontMetrics().height() * 4)
        workbench.passage_selected.connect(self._update_buttons)
        self._show(None)

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = named(QPushButton(text), name, text.rstrip("…"))
        button.clicked.connect(slot)
        return button

    # -- showing ----------------------------------------------------------------------------

    def show_episode(self, episode_id: str | None) -> None:
        if episode_id != self.episode_id:
            self.text_field.commit()
            self.episode_id = episode_id
            self.judgment = None
        self.reload()

    def reload(self) -> None:
        """Show the stored judgments, keeping the selection (the same row when the selected
        judgment is gone; the first when none was shown) and any unsaved typing."""
        shown = self.judgment.id if self.judgment else None
        row = self.list.currentIndex().row() if shown else 0
        judgments = self.session.episodes.judgments(self.episode_id) if self.episode_id else []
        self._reloading = True
        try:
            self.model.set_judgments(judgments)
            found = self.model.row_of(shown)
            row = found if found >= 0 else min(row, self.model.rowCount() - 1)
            self.list.setCurrentIndex(self.model.index(row) if row >= 0 else QModelIndex())
        finally:
            self._reloading = False
        self._show(self.model.judgment(row) if row >= 0 else None)

    def select(self, judgment_id: str) -> None:
        row = self.model.row_of(judgment_id)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._reloading:
            return  # reload shows the outcome itself, without saving into a vanished record
        self.text_field.commit()  # typing is never lost by selecting another judgment
        self._show(self.model.judgment(current.row()) if current.isValid() else None)

    def _show(self, judgment: Judgment | None) -> None:
        switching = (judgment.id if judgment else None) != (
            self.judgment.id if self.judgment else None
        )
        self.judgment = judgment
        self.form.setEnabled(judgment is not None)
        self.text_field.load(judgment.text if judgment else "", force=switching)
        self.likelihood.setCurrentIndex(
            self.likelihood.findData(judgment.likelihood) if judgment else -1
        )
        self.confidence.setCurrentIndex(
            self.confidence.findData(judgment.confidence) if judgment else -1
        )
        self._fill_cited()
        self._update_buttons()

    def _fill_cited(self) -> None:
        self.cited.clear()
        for annotation_id in self.judgment.cited if self.judgment else []:
            passage = self.session.annotations.find(annotation_id)
            if passage is None:
                item = QListWidgetItem(self.tr("(deleted passage)"))
            else:
                title = self.session.documents.get(passage.document_id).title
                item = QListWidgetItem(f"“{elide(passage.exact, 120)}”")
                item.setToolTip(f"“{elide(passage.exact, 2000)}”\n— {title}")
            item.setData(Qt.ItemDataRole.UserRole, annotation_id)
            self.cited.addItem(item)

    def _update_buttons(self, *_args: object) -> None:
        row = self.list.currentIndex().row() if self.judgment else -1
        count = self.model.rowCount()
        self.add_button.setEnabled(self.episode_id is not None)
        self.delete_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
        passage = self.workbench.current_passage
        self.cite_button.setEnabled(
            self.judgment is not None and passage is not None and passage not in self.judgment.cited
        )
        self.uncite_button.setEnabled(bool(self.cited.selectedItems()))

    # -- editing ----------------------------------------------------------------------------

    def add_judgment(self) -> None:
        if self.episode_id is None:
            return
        text = self.workbench.prompts.ask_text(
            self, self.tr("New key judgment"), self.tr("Judgment (likelihood and confidence next):")
        )
        if not text or not text.strip():
            return
        episode_id = self.episode_id
        result = self.workbench.apply(
            self.tr("Add key judgment"),
            lambda: self.session.episodes.add_judgment(
                episode_id, text=text, likelihood_term=NEW_LIKELIHOOD, confidence=NEW_CONFIDENCE
            ),
        )
        if result is not None:
            self.select(result.record.id)
            self.likelihood.setFocus(Qt.FocusReason.OtherFocusReason)

    def delete(self) -> None:
        if self.judgment is not None:
            judgment_id = self.judgment.id
            self.workbench.apply(
                self.tr("Delete key judgment"),
                lambda: self.session.episodes.delete_judgment(judgment_id),
            )

    def move_judgment(self, delta: int) -> None:  # not QWidget.move, which it hid
        row = self.list.currentIndex().row()
        if self.judgment is None or not 0 <= row + delta < self.model.rowCount():
            return
        judgment_id = self.judgment.id
        text = self.tr("Move key judgment up") if delta < 0 else self.tr("Move key judgment down")
        episodes = self.session.episodes
        self.workbench.apply(text, lambda: episodes.move_judgment(judgment_id, row + delta))

    def _edit(self, label: str, **fields: object) -> None:
        if self.judgment is None:
            return
        judgment_id = self.judgment.id
        if not self.workbench.apply(
            label, lambda: self.session.episodes.edit_judgment(judgment_id, **fields)
        ):
            self.reload()  # refused: show the stored state again

    def _save_text(self, text: str) -> None:
        if self._reloading or self.judgment is None:
            return
        live = {j.id for j in self.session.episodes.judgments(self.judgment.episode_id)}
        if self.judgment.id in live and text.strip() != self.judgment.text:
            self._edit(self.tr("Edit key judgment text"), text=text)

    def _likelihood_chosen(self, index: int) -> None:
        term = self.likelihood.itemData(index)
        if self.judgment is not None and term != self.judgment.likelihood:
            self._edit(self.tr("Set likelihood to {term}").format(term=term), likelihood=term)

    def _confidence_chosen(self, index: int) -> None:
        level = self.confidence.itemData(index)
        if self.judgment is not None and level != self.judgment.confidence:
            self._edit(self.tr("Set confidence to {level}").format(level=level), confidence=level)

    def cite_current(self) -> None:
        passage = self.workbench.current_passage
        if self.judgment is not None and passage and passage not in self.judgment.cited:
            self._edit(self.tr("Cite passage"), cited=[*self.judgment.cited, passage])

    def uncite(self) -> None:
        chosen = {item.data(Qt.ItemDataRole.UserRole) for item in self.cited.selectedItems()}
        if self.judgment is not None and chosen:
            kept = [a for a in self.judgment.cited if a not in chosen]
            self._edit(self.tr("Remove citation"), cited=kept)

    def _open_citation(self, item: QListWidgetItem) -> None:
        passage = self.session.annotations.find(item.data(Qt.ItemDataRole.UserRole))
        if passage is not None:
            self.workbench.open_document(passage.document_id)
            self.workbench.select_passage(passage.id)
