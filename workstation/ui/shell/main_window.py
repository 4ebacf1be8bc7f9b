"""The desk officer's main window: library, search, inspector, entities, episode editor,
suggestions, timeline, history and the brief composer as docks around the reader; every
command from the action registry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QUndoView

from workstation.services import Session
from workstation.ui import window_state
from workstation.ui.actions import ActionRegistry
from workstation.ui.backup_commands import BackupCommands
from workstation.ui.entities import EntitiesDock
from workstation.ui.episode_editor import EpisodeEditorDock
from workstation.ui.importer import ImportController, ImportProgress
from workstation.ui.inspector import InspectorDock
from workstation.ui.interchange import InterchangeCommands
from workstation.ui.library import LibraryDock
from workstation.ui.menus import build_menus
from workstation.ui.orphan_queue import OrphanQueueDock
from workstation.ui.prompts import Prompts
from workstation.ui.read_only_banner import install as install_read_only_banner
from workstation.ui.reader import ReaderView
from workstation.ui.timeline import TimelineDock
from workstation.ui.workbench import Workbench

LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


class MainWindow(QMainWindow):
    # Asks the application to open another workspace (path, create it if missing).
    workspace_requested = Signal(object, bool)

    def __init__(self, session: Session, prompts: Prompts | None = None, *, restore: bool = True):
        super().__init__()
        self.session = session
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Workstation — {name}").format(name=session.path.name))
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.workbench = Workbench(session, prompts, self)
        self.prompts = self.workbench.prompts
        self.registry = ActionRegistry(self)

        self.reader = ReaderView(self.workbench)
        self.setCentralWidget(self.reader)
        self.library = LibraryDock(self.workbench, self)
        self.inspector = InspectorDock(self.workbench, self)
        self.search = self._make_search()
        self.history = self._make_history()
        self.addDockWidget(LEFT, self.library)
        if self.search is not None:
            self.addDockWidget(LEFT, self.search)
        self.addDockWidget(RIGHT, self.inspector)
        self.entities = EntitiesDock(self.workbench, self)
        self.episode_editor = EpisodeEditorDock(self.workbench, self)
        self.timeline = TimelineDock(self.workbench, self)
        self.suggestions = self._make_suggestions()
        self.orphans = OrphanQueueDock(self.workbench, self.reader, self)
        # Right: what edits the current selection. Left, under the library: lists that point
        # into documents (search hits, suggested mentions, orphaned passages). Five tabs in
        # one area would elide every label at 1280 px.
        for dock in (self.entities, self.episode_editor):
            self._tab_behind(self.inspector, dock)
        pointers = self.search if self.search is not None else self.inspector
        for dock in (self.suggestions, self.orphans):
            if dock is not None:
                self._tab_behind(pointers, dock)
        self.inspector.raise_()
        pointers.raise_()
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.timeline)
        self.addDockWidget(RIGHT, self.history)
        self.history.hide()
        self.brief_composer = None  # created on first use: QtPdf and ReportLab load lazily
        self.brief_dock: QDockWidget | None = None

        self.import_progress = ImportProgress(self)
        self.importer = ImportController(self.workbench, self.import_progress, self)
        self.interchange = InterchangeCommands(self.workbench, self)
        self.backups = BackupCommands(self)
        self._make_status_bar()
        for component in (
            self.reader,
            self.library,
            self.inspector,
            self.search,
            self.entities,
            self.episode_editor,
            self.timeline,
            self.suggestions,
            self.orphans,
            self.interchange,
        ):
            if component is not None:
                component.register_actions(self.registry)
        build_menus(self)
        if session.workspace.read_only:  # after every command is registered: it disables them
            install_read_only_banner(self, self.registry, session.workspace.read_only_reason)
        self.workbench.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        moved = session.workspace.moved_wal  # a -wal that was not its own, moved aside
        if moved is not None:
            self.statusBar().showMessage(moved.describe(), 30000)
        self.workbench.changed.connect(self._update_counts)
        window_state.remember_workspace(session.path)
        self.resize(1280, 800)
        if not (restore and window_state.restore_window(self)):
            # Dock sizes only take once the window is laid out: after the first show.
            QTimer.singleShot(0, self._default_layout)
        QTimer.singleShot(0, self._open_first_document)

    def _open_first_document(self) -> None:
        """Start reading at once: the first document of the library, unless one is open."""
        if self.session.workspace.conn is None:  # closed before the event loop got here
            return
        if self.workbench.current_document is None:
            first = self.library.model.document_id(0) if self.library.model.rowCount() else None
            if first is not None:
                self.workbench.open_document(first)

    def _default_layout(self) -> None:
        # Wide enough for the library's grade and passage columns; the reader keeps the rest.
        self.resizeDocks([self.library, self.inspector], [440, 330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.timeline], [250], Qt.Orientation.Vertical)
        if self.search is not None:
            self.resizeDocks([self.library, self.search], [330, 470], Qt.Orientation.Vertical)

    # -- docks ------------------------------------------------------------------------------

    def _tab_behind(self, first: QDockWidget, dock: QDockWidget) -> None:
        # The layout is settled first: Qt 6.11 activates a dirty layout while it makes the
        # tab bar of a second tab group, makes that bar twice, and leaves the spare one
        # drawn over the docks.
        self.layout().activate()
        self.tabifyDockWidget(first, dock)

    def _make_suggestions(self):
        try:
            from workstation.ui.suggestions import SuggestionsDock
        except ImportError:  # lands separately; the window works without it
            return None
        dock = SuggestionsDock(self.workbench, self)
        dock.suggestion_shown.connect(self._show_suggestion)
        return dock

    def _show_suggestion(self, document_id: str, start: int, end: int) -> None:
        """Show the suggestion in the reader without taking focus from the queue, so its
        one-letter keys (A accept, R reject, S skip) keep working. Only while the queue is
        in view: a tab behind the inspector must not move the reader's selection."""
        dock = self.suggestions
        if dock is None or not dock.isVisible() or dock.visibleRegion().isEmpty():
            return
        if self.reader.document_id != document_id:
            self.workbench.open_document(document_id)
        self.reader.select_range(start, end)

    def _make_search(self):
        try:
            from workstation.ui.search import SearchDock
        except ImportError:  # the search dock lands separately; the window works without it
            return None
        dock = SearchDock(self.workbench, self)
        dock.hit_activated.connect(self._show_hit)
        return dock

    def _show_hit(self, document_id: str, start: int | None, end: int | None) -> None:
        if self.reader.document_id != document_id:
            self.workbench.open_document(document_id)
        if start is not None and end is not None:
            self.reader.select_range(start, end)
        self.reader.text.setFocus()

    def _make_history(self) -> QDockWidget:
        dock = QDockWidget(self.tr("History"), self)
        dock.setObjectName("historyDock")
        view = QUndoView(self.workbench.undo_stack)
        view.setObjectName("historyView")
        view.setAccessibleName(self.tr("Undo history"))
        view.setEmptyLabel(self.tr("<opened workspace>"))
        dock.setWidget(view)
        dock.toggleViewAction().setObjectName("actionShowHistory")
        return dock

    def _make_status_bar(self) -> None:
        self.count_label = QLabel()
        self.count_label.setObjectName("statusCounts")
        self.statusBar().addPermanentWidget(self.import_progress)
        self.statusBar().addPermanentWidget(self.count_label)
        self._update_counts()

    def _update_counts(self, *_args) -> None:
        self.count_label.setText(
            self.tr("{n} documents · {path}").format(
                n=self.session.documents.count(), path=self.session.path.name
            )
        )

    # -- the brief composer -----------------------------------------------------------------

    def toggle_brief_composer(self) -> None:
        """Open the composer dock (raised, focused), or hide it when it is already in front."""
        dock = self.brief_dock
        if dock is not None and dock.isVisible() and not dock.visibleRegion().isEmpty():
            dock.hide()
            return
        self.open_brief_composer()

    def open_brief_composer(self):
        if self.brief_dock is None:
            from workstation.ui.brief_composer import BriefComposer

            self.brief_composer = BriefComposer(
                self.session,
                prompts=self.prompts,
                status_bar=self.statusBar(),
                workbench=self.workbench,
            )
            self.brief_dock = QDockWidget(self.tr("Brief composer"), self)
            self.brief_dock.setObjectName("briefComposerDock")
            self.brief_dock.setAccessibleName(self.tr("Brief composer"))
            self.brief_dock.setWidget(self.brief_composer)
            size = self.size()
            # Stacked under the right-hand docks its minimum height would add to theirs and
            # grow the window past the screen: it shares a tab with the tallest one instead.
            beside = self._right_docks()
            self.addDockWidget(RIGHT, self.brief_dock)
            if beside:
                self.tabifyDockWidget(max(beside, key=lambda d: d.height()), self.brief_dock)
            self.resizeDocks(
                [self.brief_dock], [max(440, self.width() * 3 // 8)], Qt.Orientation.Horizontal
            )
            self.resize(size)
        self.brief_dock.show()
        self.brief_dock.raise_()
        self.brief_composer.form.episode_combo.setFocus()
        return self.brief_composer

    def _right_docks(self) -> list[QDockWidget]:
        return [
            d
            for d in self.findChildren(QDockWidget)
            if d.isVisible() and not d.isFloating() and self.dockWidgetArea(d) == RIGHT
        ]

    # -- import by drag and drop ------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths and self.workbench.read_only:
            self.statusBar().showMessage(self.tr("Read-only workspace: nothing imported"), 8000)
        elif paths:
            event.acceptProposedAction()
            self.importer.start(paths)

    # -- lifecycle --------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.importer.running:
            self.importer.cancel()
            self.importer.wait()
        self.interchange.shutdown()
        self.backups.wait()
        self.inspector.save_note()
        self.episode_editor.commit()
        if self.brief_composer is not None:
            self.brief_composer.shutdown()
        window_state.save_window(self)
        super().closeEvent(event)
