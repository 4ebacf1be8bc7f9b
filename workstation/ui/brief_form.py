"""The brief composer's form: which episode, how it is marked and addressed, which sections.

It only reads the session (the episode list) and turns its controls into ``BriefOptions``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from briefs.model import SECTION_TITLES, SECTIONS, STATUSES, BriefOptions
from workstation.services import Session
from workstation.ui.naming import named

MARKINGS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")


class BriefForm(QWidget):
    """Emits ``changed`` whenever any option changes (the composer debounces it)."""

    changed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("briefForm")
        self._session = session

        self.episode_combo = QComboBox()
        named(self.episode_combo, "briefEpisode", self.tr("Episode"))
        self.episode_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.episode_combo.setMinimumContentsLength(18)

        self.marking_combo = QComboBox()
        named(self.marking_combo, "briefMarking", self.tr("Marking"))
        self.marking_combo.setEditable(True)
        self.marking_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.marking_combo.addItems(MARKINGS)
        self.marking_combo.lineEdit().setObjectName("briefMarkingText")
        self.marking_combo.lineEdit().setAccessibleName(self.tr("Marking text"))
        self.marking_combo.setToolTip(
            self.tr("TLP 2.0 label, or any marking text; shown on every page")
        )

        self.status_combo = QComboBox()
        named(self.status_combo, "briefStatus", self.tr("Status"))
        for status in STATUSES:
            self.status_combo.addItem(self.tr(status), status)

        self.author_edit = QLineEdit()
        named(self.author_edit, "briefAuthor", self.tr("Author or desk"))
        self.author_edit.setPlaceholderText(session.author)
        self.author_edit.setClearButtonEnabled(True)

        self.distribution_edit = QLineEdit()
        named(self.distribution_edit, "briefDistribution", self.tr("Distribution"))
        self.distribution_edit.setPlaceholderText(self.tr("e.g. Desk heads; Ministry liaison"))
        self.distribution_edit.setClearButtonEnabled(True)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Episode:"), self.episode_combo)
        marking_row = QHBoxLayout()
        marking_row.addWidget(self.marking_combo, 1)
        status_label = QLabel(self.tr("&Status:"))
        status_label.setBuddy(self.status_combo)
        marking_row.addWidget(status_label)
        marking_row.addWidget(self.status_combo)
        marking_label = QLabel(self.tr("&Marking:"))
        marking_label.setBuddy(self.marking_combo)
        form.addRow(marking_label, marking_row)
        form.addRow(self.tr("&Author / desk:"), self.author_edit)
        form.addRow(self.tr("&Distribution:"), self.distribution_edit)

        self.sections_box = QGroupBox(self.tr("Sections"))
        named(self.sections_box, "briefSections", self.tr("Sections to include"))
        grid = QGridLayout(self.sections_box)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(0)
        grid.setContentsMargins(8, 4, 8, 4)
        self.section_boxes: dict[str, QCheckBox] = {}
        half = (len(SECTIONS) + 1) // 2
        for i, key in enumerate(SECTIONS):
            box = QCheckBox(self.tr(SECTION_TITLES[key]))
            named(box, f"briefSection_{key}", self.tr(SECTION_TITLES[key]))
            box.setChecked(True)
            box.toggled.connect(self.changed)
            self.section_boxes[key] = box
            grid.addWidget(box, i % half, i // half)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.sections_box)

        self.reload_episodes()
        self.episode_combo.currentIndexChanged.connect(self._on_episode)
        self.marking_combo.currentTextChanged.connect(self.changed)
        self.status_combo.currentIndexChanged.connect(self.changed)
        self.author_edit.textChanged.connect(self.changed)
        self.distribution_edit.textChanged.connect(self.changed)

    def reload_episodes(self) -> None:
        current = self.episode_id()
        self.episode_combo.blockSignals(True)
        self.episode_combo.clear()
        for episode in self._session.episodes.list():
            self.episode_combo.addItem(episode.title, episode.id)
            self.episode_combo.setItemData(
                self.episode_combo.count() - 1, episode.title, Qt.ItemDataRole.ToolTipRole
            )
        index = max(0, self.episode_combo.findData(current)) if current else 0
        self.episode_combo.setCurrentIndex(index if self.episode_combo.count() else -1)
        self.episode_combo.setEnabled(self.episode_combo.count() > 0)
        self.episode_combo.blockSignals(False)
        self._on_episode()

    def _on_episode(self, *_args: object) -> None:
        episode_id = self.episode_id()
        if episode_id is not None:
            marking = self._session.episodes.get(episode_id).marking or "TLP:AMBER"
            self.marking_combo.setCurrentText(marking)
        self.changed.emit()

    def episode_id(self) -> str | None:
        data = self.episode_combo.currentData()
        return data if isinstance(data, str) else None

    def options(self) -> BriefOptions:
        return BriefOptions(
            marking=self.marking_combo.currentText().strip() or None,
            status=self.status_combo.currentData() or STATUSES[0],
            author=self.author_edit.text().strip() or None,
            distribution=self.distribution_edit.text().strip(),
            sections=tuple(k for k in SECTIONS if self.section_boxes[k].isChecked()),
        )
