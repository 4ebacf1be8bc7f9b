"""The getting-started card: what the sample is, and the five moves (import, mark, link,
make an event, brief) with their keys.

Shown over the reader on first start (``MainWindow(first_start=True)``, which only the app's
``run`` asks for, never with ``--screenshot`` or in tests) until it is closed with "Don't show
this again" ticked (the default; a preference in gui.ini), and again from Help → Getting
started. It is part of the window, not a dialog: nothing waits for it. Each key is read from
the action registry (and the marking keys from the codebook), so the card never disagrees
with the menus.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGraphicsDropShadowEffect,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from workstation.resource_files import resource
from workstation.ui.shell import window_state
from workstation.ui.shell.actions import key_text

if TYPE_CHECKING:
    from workstation.ui.shell.main_window import MainWindow

# (action whose keys the move shows, or None for the codebook's keys; move; what it does)
MOVES = (
    (
        "actionImportFiles",
        "Import",
        "Bring in articles (web pages, text, Word, PDF, e-mail), or drop files on the window.",
    ),
    (None, "Mark", "Select text in the reader and press a category's key."),
    (
        "actionFocusInspector",
        "Link",
        "Type a name or alias in the inspector and press Enter: linked to the passage.",
    ),
    ("actionNewEvent", "Make an event", "Who did what to whom, and when, from the passage."),
    ("actionComposeBrief", "Brief", "The manager's PDF brief, with a live preview."),
)


def sample_titles() -> set[str]:
    """The titles of the sample episode's articles (resources/sample/episode.json)."""
    try:
        spec = json.loads(resource("sample", "episode.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {str(d.get("title")) for d in spec.get("documents", []) if d.get("title")}


def marking_keys(shortcuts: list[str]) -> str:
    """The codebook's keys as one run ("1–9") when they are consecutive digits."""
    keys = [k for k in shortcuts if k]
    digits = sorted(int(k) for k in keys if k.isdigit() and len(k) == 1)
    if (
        len(digits) == len(keys)
        and len(digits) > 2
        and digits == list(range(digits[0], digits[-1] + 1))
    ):
        return f"{digits[0]}–{digits[-1]}"
    return ", ".join(keys)


class GettingStarted(QFrame):
    """The card, a child of the main window laid over its reader."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self._window = window
        self.setObjectName("gettingStarted")
        self.setAccessibleName(self.tr("Getting started"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        shadow = QGraphicsDropShadowEffect(self)  # lifts the card off the text under it
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        shadow.setColor(QColor(0, 0, 0, 90))
        self.setGraphicsEffect(shadow)
        self.setStyleSheet(
            "#gettingStarted { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 8px; }"
        )
        title = QLabel(self.tr("Getting started"))
        title.setObjectName("gettingStartedTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        self.about = QLabel(self._about_text())
        self.about.setObjectName("gettingStartedAbout")
        self.about.setWordWrap(True)
        self.moves = QGridLayout()
        self.moves.setHorizontalSpacing(12)
        self.moves.setVerticalSpacing(6)
        self.rows: list[tuple[str, str]] = []  # (move, keys), as shown
        for row, (action, move, text) in enumerate(MOVES):
            keys = self._keys(action)
            self.rows.append((move, keys))
            key_label = QLabel(f"<b>{html.escape(keys)}</b>" if keys else "")
            key_label.setObjectName(f"gettingStartedKey{row}")
            key_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            key_label.setStyleSheet(
                "padding: 1px 5px; border: 1px solid palette(mid); border-radius: 3px;"
                if keys
                else ""
            )
            what = QLabel(f"<b>{html.escape(self.tr(move))}</b> — {html.escape(self.tr(text))}")
            what.setWordWrap(True)
            what.setObjectName(f"gettingStartedMove{row}")
            right_top = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
            self.moves.addWidget(key_label, row, 0, right_top)  # a key cap, its own width
            self.moves.addWidget(what, row, 1)
        self.moves.setColumnStretch(1, 1)
        more = QLabel(
            self.tr("Help → Keyboard shortcuts lists every key; Help → User guide tells the rest.")
        )
        more.setWordWrap(True)
        more.setStyleSheet("color: palette(placeholder-text);")
        self.dont_show = QCheckBox(self.tr("Don't show this again"))
        self.dont_show.setObjectName("gettingStartedDontShow")
        self.dont_show.setChecked(True)
        self.close_button = QPushButton(self.tr("Start reading"))
        self.close_button.setObjectName("gettingStartedClose")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.dismiss)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self,
            self.dismiss,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        bottom = QHBoxLayout()
        bottom.addWidget(self.dont_show)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.about)
        layout.addLayout(self.moves)
        layout.addWidget(more)
        layout.addLayout(bottom)
        self._central = window.centralWidget()  # the reader: the card follows its geometry
        if self._central is not None:
            self._central.installEventFilter(self)
        self.hide()

    def _keys(self, action: str | None) -> str:
        if action is None:
            categories = self._window.session.codebook.list_categories()
            return marking_keys([c.shortcut or "" for c in categories])
        registry = self._window.registry
        if action not in registry:
            return ""
        sequences: list[QKeySequence] = registry.spec(action).key_sequences()
        return key_text(sequences[:1])

    def _about_text(self) -> str:
        model = self._window.library.model
        titles = {str(model.index(row, 0).data()) for row in range(model.rowCount())}
        if titles & sample_titles():
            return self.tr(
                "This is the sample episode: the spring 2021 US sanctions on Russia — ten "
                "expelled diplomats, Moscow's answer, the EU's Navalny bans, New START, the "
                "consulate closures — already marked, linked and made into events. The five "
                "moves of the day:"
            )
        return self.tr(
            "The five moves of a desk officer's day, each with its key (the sample episode, "
            "the spring 2021 US sanctions on Russia, is in any new workspace made with "
            "`workstation init --sample`):"
        )

    # -- showing ----------------------------------------------------------------------------

    def present(self) -> None:
        self.place()
        self.show()
        self.raise_()
        self.close_button.setFocus()

    def place(self) -> None:
        """Over the lower part of the reader, centred: the title and the first passage,
        selected on first start, stay in view above it."""
        central = self._window.centralWidget()
        if central is None:
            return
        area = central.geometry()
        width = max(320, min(560, area.width() - 24))
        height = self.heightForWidth(width)
        if height <= 0:
            height = self.sizeHint().height()
        height = min(height, max(200, area.height() - 24))
        x = area.x() + (area.width() - width) // 2
        y = area.y() + max(12, area.height() - height - 12)
        self.setGeometry(x, y, width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        moved = event.type() in (QEvent.Type.Resize, QEvent.Type.Move)
        if watched is self._central and moved and self.isVisible():
            self.place()
        return False

    def dismiss(self) -> None:
        """Close the card; "Don't show this again" decides whether the next start shows it."""
        window_state.set_preference(
            window_state.GETTING_STARTED_DISMISSED, self.dont_show.isChecked()
        )
        self.hide()
        self._window.reader.text.setFocus()


def dismissed() -> bool:
    return window_state.preference(window_state.GETTING_STARTED_DISMISSED, False)


def first_start(window: MainWindow) -> GettingStarted | None:
    """On first start (the card not dismissed for good): select the open article's first
    passage, so the inspector has something to show, and show the card."""
    if dismissed() or window.session.workspace.conn is None:
        return None
    reader = window.reader
    if reader.selected_passage is None and reader.document_id is not None:
        first = reader.marks.nearest(0, 1)
        if first is not None:
            reader.select_passage(first)
    return show(window)


def show(window: MainWindow) -> GettingStarted:
    """Show the card (Help → Getting started), made on first use."""
    card = window.findChild(GettingStarted, "gettingStarted")
    if card is None:
        card = GettingStarted(window)
    card.present()
    return card
