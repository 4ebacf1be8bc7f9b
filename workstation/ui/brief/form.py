"""The brief composer's form: which episode, how it is marked and addressed, which sections.

It only reads the session (the episode list) and turns its controls into ``BriefOptions``.
"""

from __future__ import annotations

import contextlib

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

from briefs.marking import TLP_LABELS
from briefs.model import FORMAT_SECTIONS, FORMATS, SECTION_TITLES, SECTIONS, STATUSES, BriefOptions
from workstation.services import Session
from workstation.services.settings import brief_byline, set_brief_byline
from workstation.ui.common.widgets import line_edit, named

MARKINGS = TLP_LABELS


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
        line_edit(self.marking_combo).setObjectName("briefMarkingText")
        line_edit(self.marking_combo).setAccessibleName(self.tr("Marking text"))
        self.marking_combo.setToolTip(
            self.tr(
                "TLP 2.0 label (TLP:CLEAR, GREEN, AMBER, AMBER+STRICT, RED), or any text not "
                "starting with TLP:; shown on every page"
            )
        )

        self.status_combo = QComboBox()
        named(self.status_combo, "briefStatus", self.tr("Status"))
        for status in STATUSES:
            self.status_combo.addItem(self.tr(status), status)

        # The byline is a setting (services.settings), shown here and remembered when
        # edited; never the login name. Left empty, the brief says "(author not set)".
        author_name, desk = brief_byline()
        self.author_edit = QLineEdit(author_name)
        named(self.author_edit, "briefAuthor", self.tr("Author's name"))
        self.author_edit.setPlaceholderText(self.tr("Your name as the brief shows it"))
        self.author_edit.setClearButtonEnabled(True)
        self.desk_edit = QLineEdit(desk)
        named(self.desk_edit, "briefDesk", self.tr("Desk"))
        self.desk_edit.setPlaceholderText(self.tr("e.g. Russia desk"))
        self.desk_edit.setClearButtonEnabled(True)
        for edit in (self.author_edit, self.desk_edit):
            edit.setToolTip(self.tr("Remembered for your next briefs"))
            edit.editingFinished.connect(self.remember_byline)

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
        byline_row = QHBoxLayout()
        byline_row.addWidget(self.author_edit, 3)
        desk_label = QLabel(self.tr("Des&k:"))
        desk_label.setBuddy(self.desk_edit)
        byline_row.addWidget(desk_label)
        byline_row.addWidget(self.desk_edit, 2)
        author_label = QLabel(self.tr("&Author:"))
        author_label.setBuddy(self.author_edit)
        form.addRow(author_label, byline_row)
        form.addRow(self.tr("&Distribution:"), self.distribution_edit)
        # The format picks its sections; the boxes below can still change them.
        self.format_combo = named(QComboBox(), "briefFormat", self.tr("Format"))
        for key in FORMATS:
            self.format_combo.addItem(self.tr(key), key)
        self.format_combo.setCurrentIndex(FORMATS.index("standard"))
        form.addRow(self.tr("&Format:"), self.format_combo)

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
            box.setChecked(key in FORMAT_SECTIONS["standard"])
            box.toggled.connect(self.changed)
            self.section_boxes[key] = box
            grid.addWidget(box, i % half, i // half)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.sections_box)

        self.format_combo.currentIndexChanged.connect(self._on_format)
        self.reload_episodes()
        self.episode_combo.currentIndexChanged.connect(self._on_episode)
        self.marking_combo.currentTextChanged.connect(self.changed)
        self.status_combo.currentIndexChanged.connect(self.changed)
        self.author_edit.textChanged.connect(self.changed)
        self.desk_edit.textChanged.connect(self.changed)
        self.distribution_edit.textChanged.connect(self.changed)

    def reload_episodes(self) -> None:
        current = self.episode_id()
        self.episode_combo.blockSignals(True)
        self.episode_combo.clear()
        for episode in self._session.episodes.list_episodes():
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

    def remember_byline(self) -> None:
        """Keep the author's name and desk as settings for the next brief."""
        # An unwritable settings folder costs the default, never the brief.
        with contextlib.suppress(OSError):
            set_brief_byline(self.author_edit.text(), self.desk_edit.text())

    def options(self) -> BriefOptions:
        return BriefOptions(
            marking=self.marking_combo.currentText().strip() or None,
            status=self.status_combo.currentData() or STATUSES[0],
            author=self.author_edit.text().strip(),  # "" says "(author not set)"
            desk=self.desk_edit.text().strip(),
            distribution=self.distribution_edit.text().strip(),
            sections=tuple(k for k in SECTIONS if self.section_boxes[k].isChecked()),
            format=self.format_combo.currentData() or "standard",
        )

    def _on_format(self) -> None:
        chosen = FORMAT_SECTIONS[self.format_combo.currentData() or "standard"]
        for key, box in self.section_boxes.items():
            box.blockSignals(True)
            box.setChecked(key in chosen)
            box.blockSignals(False)
        self.changed.emit()
