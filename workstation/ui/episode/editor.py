"""The episode editor dock: what a brief is written from — title, bottom line up front,
outlook, default marking — and the ordered key judgments (see judgment_panel.py).

Text fields are saved when the officer leaves them, each save one undo step; choices are
saved at once. The view follows undo and redo through ``Workbench.changed``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import Annotation, ChangeSet, Document, Episode, Judgment
from workstation.domain.vocab import MARKINGS
from workstation.ui.common.invisible_warning import InvisiblesWarning
from workstation.ui.common.widgets import caption, line_edit, named, tip_items
from workstation.ui.episode.judgment_panel import JudgmentPanel
from workstation.ui.episode.judgments import SavedText
from workstation.ui.shell.actions import ActionRegistry, ActionSpec
from workstation.ui.shell.workbench import Workbench

# A change to any of these may alter what the editor shows (citations name passages and
# their documents).
_WATCHED = (Episode, Judgment, Annotation, Document)
PROSE_LINES = 6  # lines the bottom line and outlook boxes show at least


class EpisodeEditorDock(QDockWidget):
    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
        super().__init__(self.tr("Episode"), parent)
        self.setObjectName("episodeEditorDock")
        self.setAccessibleName(self.tr("Episode editor"))
        self.workbench = workbench
        self.session = workbench.session
        self.episode: Episode | None = None

        self.episode_combo = named(QComboBox(), "episodeChoice", self.tr("Episode"))
        self.episode_combo.currentIndexChanged.connect(self._episode_chosen)
        self.title = named(QLineEdit(), "episodeTitle", self.tr("Episode title"))
        self.bottom_line = named(
            QPlainTextEdit(), "episodeBottomLine", self.tr("Bottom line up front")
        )
        self.outlook = named(QPlainTextEdit(), "episodeOutlook", self.tr("Outlook"))
        self.watch = named(QPlainTextEdit(), "episodeWatch", self.tr("What to watch, one a line"))
        for box in (self.bottom_line, self.outlook, self.watch):
            box.setTabChangesFocus(True)
            box.setToolTip(self.tr("Saved when you leave the field or press Ctrl+Enter"))
            box.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        # The prose an officer writes most: room for ~6 lines each at 1280×800 (the tab
        # scrolls vertically, so this never pushes the window past the screen).
        for box in (self.bottom_line, self.outlook):
            box.setMinimumHeight(self.fontMetrics().lineSpacing() * PROSE_LINES + 12)
        self.title.setToolTip(self.tr("Saved when you press Enter or leave the field"))
        self.fields = {
            "title": SavedText(self.title, lambda text: self._save("title", text)),
            "bottom_line": SavedText(self.bottom_line, lambda t: self._save("bottom_line", t)),
            "outlook": SavedText(self.outlook, lambda text: self._save("outlook", text)),
            "watch": SavedText(self.watch, lambda text: self._save("watch", text)),
        }
        self.marking = named(QComboBox(), "episodeMarking", self.tr("Default marking"))
        self.marking.setEditable(True)  # TLP labels, or the desk's own free-text marking
        self.marking.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.marking.addItems(list(MARKINGS))
        tip_items(self.marking)
        line_edit(self.marking).setObjectName("episodeMarkingText")
        line_edit(self.marking).setAccessibleName(self.tr("Default marking"))
        self.marking.activated.connect(self._marking_entered)
        line_edit(self.marking).editingFinished.connect(self._marking_entered)
        self.judgments = JudgmentPanel(workbench)

        self.form = QWidget()
        self.form.setObjectName("episodeForm")
        layout = QFormLayout(self.form)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.choice_label = caption(self.tr("E&pisode:"), self.episode_combo)
        layout.addRow(self.choice_label, self.episode_combo)
        layout.addRow(caption(self.tr("&Title:"), self.title), self.title)
        layout.addRow(caption(self.tr("&Marking:"), self.marking), self.marking)
        layout.addRow(caption(self.tr("&Bottom line:"), self.bottom_line), self.bottom_line)
        layout.addRow(caption(self.tr("O&utlook:"), self.outlook), self.outlook)
        layout.addRow(caption(self.tr("&Watch:"), self.watch), self.watch)
        self.invisibles = InvisiblesWarning(
            {
                self.tr("Title"): self.title,
                self.tr("Bottom line"): self.bottom_line,
                self.tr("Outlook"): self.outlook,
            }
        )
        layout.addRow(self.invisibles)
        self.judgments_box = QGroupBox(self.tr("Key judgments"))
        self.judgments_box.setObjectName("episodeJudgmentsBox")
        QVBoxLayout(self.judgments_box).addWidget(self.judgments)
        # The officer decides how much room the prose and the judgments get.
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("episodeSplit")
        split.setChildrenCollapsible(False)
        split.addWidget(self.form)
        split.addWidget(self.judgments_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        self.empty = QWidget()
        self.empty.setObjectName("episodeEmpty")
        hint = QLabel(self.tr("This workspace has no episode yet."))
        hint.setObjectName("episodeHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.new_button = named(
            QPushButton(self.tr("New episode…")), "episodeNew", self.tr("New episode")
        )
        self.new_button.clicked.connect(self.new_episode)
        column = QVBoxLayout(self.empty)
        column.addStretch(1)
        column.addWidget(hint)
        column.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        self.pages = QStackedWidget()
        self.pages.setObjectName("episodePages")
        self.pages.addWidget(self.empty)
        self.pages.addWidget(split)
        # The form and the judgments need more height than a 1280×800 window leaves a
        # tabbed dock: scroll rather than push the window past the screen.
        scroll = QScrollArea()
        scroll.setObjectName("episodeScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.pages)
        # Only the height scrolls: the dock keeps the form's width, as before.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = scroll.verticalScrollBar().sizeHint().width()
        scroll.setMinimumWidth(self.pages.minimumSizeHint().width() + bar)
        self.setWidget(scroll)

        workbench.changed.connect(self._on_changed)
        self.reload()

    # -- actions ----------------------------------------------------------------------------

    def register_actions(self, registry: ActionRegistry) -> None:
        registry.register(
            ActionSpec(
                "actionEditEpisode",
                self.tr("Edit &episode"),
                "Ctrl+Shift+P",
                self.tr("Edit the episode's title, bottom line, outlook and key judgments"),
            ),
            self.focus_editor,
        )
        registry.register(
            ActionSpec(
                "actionNewJudgment",
                self.tr("New key &judgment…"),
                tip=self.tr("Add a key judgment to the episode"),
            ),
            self.new_judgment,
        )

    def focus_editor(self) -> None:
        self.show()
        self.raise_()
        target = self.title if self.episode is not None else self.new_button
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def new_judgment(self) -> None:
        self.show()
        self.raise_()
        self.judgments.add_judgment()

    def new_episode(self) -> None:
        title = self.workbench.prompts.ask_text(
            self, self.tr("New episode"), self.tr("Episode title:")
        )
        if title and title.strip():
            result = self.workbench.apply(
                self.tr("New episode"), lambda: self.session.episodes.create(title)
            )
            if result is not None:
                self.show_episode(result.record.id)

    # -- showing ----------------------------------------------------------------------------

    def show_episode(self, episode_id: str | None) -> None:
        """Edit ``episode_id`` (None: the first episode)."""
        self.commit()
        self.episode = None
        self.reload(episode_id)

    def reload(self, wanted: str | None = None) -> None:
        """Show the stored state, keeping the chosen episode and any unsaved typing."""
        episodes = self.session.episodes.list_episodes()
        ids = [e.id for e in episodes]
        wanted = wanted or (self.episode.id if self.episode else None)
        switching = self.episode is None or self.episode.id != wanted
        self.episode = episodes[ids.index(wanted) if wanted in ids else 0] if episodes else None
        self.episode_combo.blockSignals(True)
        self.episode_combo.clear()
        for episode in episodes:
            self.episode_combo.addItem(episode.title, episode.id)
        self.episode_combo.setCurrentIndex(self.episode_combo.findData(self._shown_id()))
        self.episode_combo.blockSignals(False)
        several = len(episodes) > 1  # with one episode the choice is only noise
        self.episode_combo.setVisible(several)
        self.choice_label.setVisible(several)
        self.pages.setCurrentIndex(1 if self.episode else 0)
        shown_episode = self.episode
        for name, field in self.fields.items():
            value = getattr(shown_episode, name) if shown_episode else ""
            value = "\n".join(value) if isinstance(value, list) else value  # watch: a line each
            field.load(value, force=switching)
        self.marking.setEditText(shown_episode.marking if shown_episode else "")
        self.judgments.show_episode(self._shown_id())

    def _shown_id(self) -> str | None:
        return self.episode.id if self.episode else None

    def _episode_chosen(self, index: int) -> None:
        self.show_episode(self.episode_combo.itemData(index))

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(*_WATCHED):
            self.reload()

    # -- editing ----------------------------------------------------------------------------

    def commit(self) -> None:
        """Save whatever is typed but not yet saved (before closing or switching)."""
        for field in self.fields.values():
            field.commit()
        self.judgments.text_field.commit()

    def _save(self, name: str, text: str) -> None:
        if self.episode is None:
            return
        labels = {
            "title": self.tr("Rename episode"),
            "bottom_line": self.tr("Edit bottom line"),
            "outlook": self.tr("Edit outlook"),
            "watch": self.tr("Edit what to watch"),
        }
        if name == "title" and not text.strip():
            self.workbench.prompts.error(self, self.tr("An episode needs a title."))
            self.reload()
            return
        value: object = text.strip() if name == "title" else text
        if name == "watch":
            value = [line.strip() for line in text.splitlines() if line.strip()]
        self._edit(labels[name], **{name: value})

    def _marking_entered(self, *_args: object) -> None:
        marking = self.marking.currentText().strip()
        if self.episode is None or marking == self.episode.marking:
            return
        if not marking:
            self.reload()  # a brief always carries a marking: put the stored one back
            return
        self._edit(self.tr("Set marking to {marking}").format(marking=marking), marking=marking)

    def _edit(self, label: str, **fields: object) -> None:
        if self.episode is None:
            return
        episode_id = self.episode.id
        if not self.workbench.apply(
            label, lambda: self.session.episodes.edit(episode_id, **fields)
        ):
            self.reload()  # refused: show the stored state again
