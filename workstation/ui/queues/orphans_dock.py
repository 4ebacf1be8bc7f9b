"""The orphan review queue: passages a newer version of their article did not hold, and
imported annotations that fit no document here, worked from the keyboard.

Choosing one opens the document it belongs in and, when its quote can be found there,
selects that text so the officer only has to confirm. Enter places it on the reader's
selection, K keeps it where it is; both are undoable steps through ``Workbench.apply``.
The queue follows every change that touches passages, orphans or documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.records import Annotation, ChangeSet, Document, Orphan
from workstation.domain.text_display import shown
from workstation.ui.common.widgets import elide, named
from workstation.ui.shell.actions import WIDGET, ActionRegistry, ActionSpec
from workstation.ui.shell.workbench import Workbench

if TYPE_CHECKING:
    from workstation.services.rows import OrphanRow

ORPHAN_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
QUOTE_CHARS = 90  # of the quote shown in the list; the tooltip holds all of it
_WATCHED = (Annotation, Orphan, Document)  # records whose changes move the queue
_K = Qt.Key
_KEYS = {_K.Key_Return: "place", _K.Key_Enter: "place", _K.Key_K: "keep"}
_PLAIN_KEYS = Qt.KeyboardModifier.KeypadModifier


class Reader(Protocol):
    """What the queue needs of the reader (``workstation.ui.reader.view.ReaderView``)."""

    document_id: str | None

    def selection_span(self) -> tuple[int, int] | None: ...  # (start, end) in code points

    def select_range(self, start: int, end: int) -> None: ...


class OrphanModel(QAbstractListModel):
    """One row per OrphanRow: its quote over where it comes from and why it waits."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[OrphanRow] = []

    def set_rows(self, rows: list[OrphanRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt)
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == ORPHAN_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return f"“{elide(row.exact, QUOTE_CHARS)}”\n{self.origin(row)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"“{shown(row.exact)}”\n\n{self.origin(row)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{elide(row.exact, QUOTE_CHARS)}, {self.origin(row)}"
        return None

    def origin(self, row: OrphanRow) -> str:
        if row.kind == "import" and not row.document_title:  # the reason says where it failed
            return self.tr("Imported: {reason}").format(reason=row.reason)
        where = f"«{row.document_title}»" if row.document_title else self.tr("no document")
        if row.kind == "import":
            return self.tr("Imported, {where}: {reason}").format(where=where, reason=row.reason)
        return self.tr("{where}: {reason}").format(where=where, reason=row.reason)

    def key_row(self, key: tuple[str, str]) -> int | None:
        return next((i for i, r in enumerate(self.rows) if (r.kind, r.id) == key), None)


class OrphanDelegate(QStyledItemDelegate):
    """Two lines per orphan, as wide as the list: long lines are elided, never scrolled to."""

    PAD = 4

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(200, option.fontMetrics.lineSpacing() * 2 + 2 * self.PAD)


class OrphanQueueDock(QDockWidget):
    def __init__(self, workbench: Workbench, reader: Reader, parent: QWidget | None = None):
        super().__init__(self.tr("Orphans"), parent)
        self.setObjectName("orphanDock")
        self.setAccessibleName(self.tr("Orphan review queue"))
        self.workbench = workbench
        self.service = workbench.session.orphans
        self.reader = reader
        self._actions: list[QAction] = []
        self._refreshing = False
        self._shown_on_press = False  # the click that made a row current has shown it
        self._build()
        workbench.changed.connect(self._on_changed)
        self.refresh()

    def _build(self) -> None:
        tr = self.tr
        self.summary = named(QLabel(), "orphanSummary", tr("Queue summary"))
        self.summary.setWordWrap(True)
        self.model = OrphanModel(self)
        self.view = named(QListView(), "orphanList", tr("Orphan queue"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(OrphanDelegate(self.view))
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSpacing(1)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setUniformItemSizes(True)
        self.view.setAlternatingRowColors(True)
        self.view.installEventFilter(self)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.clicked.connect(self._clicked)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for command, text, tip in (
            ("place", tr("&Place on selection"),
             tr("Put it on the text selected in the reader (Enter)")),
            ("keep", tr("&Keep where it is"),
             tr("Leave it on its version or on record, off the queue (K)")),
        ):  # fmt: skip
            name = "orphan" + command.title()
            button = self.buttons[command] = named(QPushButton(text), name, text.replace("&", ""))
            button.setToolTip(tip)
            button.clicked.connect(getattr(self, command))
            row.addWidget(button)
        row.addStretch(1)
        body = QWidget()
        body.setObjectName("orphanBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.summary)
        column.addWidget(self.view, 1)
        column.addLayout(row)
        self.setWidget(body)

    # -- actions ----------------------------------------------------------------------------

    def register_actions(self, registry: ActionRegistry) -> None:
        tr = self.tr
        for name, text, keys, slot, tip in (
            ("actionPlaceOrphan", tr("&Place orphan on selection"), ("Return",), self.place,
             tr("Put the current orphan on the reader's selection (keys act in the queue)")),
            ("actionKeepOrphan", tr("&Keep orphan where it is"), ("K",), self.keep,
             tr("Take the current orphan off the queue, leaving it where it is")),
        ):  # fmt: skip
            # Plain keys must not fire while typing elsewhere: they act in the list only,
            # which handles them itself (see eventFilter); menus and Help show them.
            action = registry.register(
                ActionSpec(name, text, keys, tip, context=WIDGET),
                lambda _=0, run=slot: run(),
                widget=self.view,
            )
            self._actions.append(action)
        self._update_commands()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and isinstance(event, QKeyEvent):
            command = _KEYS.get(Qt.Key(event.key()))
            if command and not event.modifiers() & ~_PLAIN_KEYS:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # ours here, not a window shortcut's
                    return True
                if event.type() == QEvent.Type.KeyPress:
                    getattr(self, command)()
                    return True
        return super().eventFilter(watched, event)

    # -- the queue --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the queue again, keeping the current orphan (or its row) without moving
        the reader: only the officer's choice in the queue does that."""
        current, row = self.current(), self.view.currentIndex().row()
        self._refreshing = True
        try:
            self.model.set_rows(self.service.open())
            count = self.model.rowCount()
            if count:
                kept = self.model.key_row((current.kind, current.id)) if current else None
                row = kept if kept is not None else max(0, min(row, count - 1))
                self.view.setCurrentIndex(self.model.index(row))
        finally:
            self._refreshing = False
        self._update_commands()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(*_WATCHED):
            self.refresh()

    def _update_commands(self) -> None:
        count, current = self.model.rowCount(), self.current()
        for button in self.buttons.values():
            button.setEnabled(current is not None)
        for action in self._actions:
            action.setEnabled(current is not None)
        self.setWindowTitle(
            self.tr("Orphans ({n})").format(n=count) if count else self.tr("Orphans")
        )
        self.summary.setText(
            self.tr(
                "{n} waiting to be placed. Choose one, select where it belongs in the reader, "
                "press Enter; K keeps it where it is."
            ).format(n=count)
            if count
            else self.tr("Nothing waits here: every passage and import is placed.")
        )

    def current(self) -> OrphanRow | None:
        index = self.view.currentIndex()
        return self.model.data(index, ORPHAN_ROLE) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_commands()
        if not self._refreshing and self._in_view():
            self.show_current()
            self._shown_on_press = True

    def _clicked(self, _index: QModelIndex) -> None:
        # A click on the row already current shows it again (the reader may have moved on).
        if not self._shown_on_press:
            self.show_current()
        self._shown_on_press = False

    def _in_view(self) -> bool:
        # A tab behind another dock must not move the reader's selection.
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def show_current(self) -> None:
        """Open the document the current orphan belongs in; select where it may now sit."""
        row = self.current()
        if row is None:
            return
        target = self.service.target_document(row)
        if target is None:
            self.workbench.status.emit(
                self.tr("No document here for it: open the right one and select its place.")
            )
            return
        if self.reader.document_id != target:
            self.workbench.open_document(target)
        proposal = self.service.propose(row)
        if proposal is not None and proposal.document_id == self.reader.document_id:
            self.reader.select_range(proposal.start, proposal.end)
            self.workbench.status.emit(
                self.tr("Found it here ({method}): press Enter to place it.").format(
                    method=proposal.method
                )
            )
        else:
            self.workbench.status.emit(self.tr("Not found here: select where it belongs."))

    # -- commands ---------------------------------------------------------------------------

    def place(self) -> bool:
        row, span = self.current(), self.reader.selection_span()
        document_id = self.reader.document_id
        if row is None:
            return False
        if span is None or document_id is None:
            self.workbench.status.emit(
                self.tr("Select the text it belongs on in the reader, then place it.")
            )
            return False
        start, end = span
        text = self.tr("Place “{quote}”").format(quote=elide(row.exact, 40))
        done = self.workbench.apply(text, lambda: self.service.place(row, document_id, start, end))
        if done is not None and self._in_view():
            self.show_current()  # the next one, as the suggestion queue does
        return done is not None

    def keep(self) -> bool:
        row = self.current()
        if row is None:
            return False
        text = self.tr("Keep “{quote}” where it is").format(quote=elide(row.exact, 40))
        done = self.workbench.apply(text, lambda: self.service.keep(row))
        if done is not None and self._in_view():
            self.show_current()
        return done is not None

    def focus_queue(self) -> None:
        self.show()
        self.raise_()
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
