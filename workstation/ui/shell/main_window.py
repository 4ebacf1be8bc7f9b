"""The desk officer's main window: library, search, inspector, entities, episode editor,
suggestions, timeline, history and the brief composer as docks around the reader; every
command from the action registry."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from workstation.domain.records import ChangeSet, Document
from workstation.services import Session
from workstation.ui.common.widgets import count_noun
from workstation.ui.exchange.backup_commands import BackupCommands
from workstation.ui.exchange.commands import InterchangeCommands
from workstation.ui.exchange.importer import ImportController
from workstation.ui.reader.view import ReaderView
from workstation.ui.shell import getting_started, window_state
from workstation.ui.shell.actions import ActionRegistry
from workstation.ui.shell.docks import DockSpec, dock_specs
from workstation.ui.shell.menus import WindowCommands, build_menus
from workstation.ui.shell.prompts import Prompts
from workstation.ui.shell.read_only_banner import install as install_read_only_banner
from workstation.ui.shell.workbench import Workbench

if TYPE_CHECKING:
    from workstation.ui.brief.composer import BriefComposer
    from workstation.ui.entities.dock import EntitiesDock
    from workstation.ui.episode.editor import EpisodeEditorDock
    from workstation.ui.inspector.dock import InspectorDock
    from workstation.ui.library.dock import LibraryDock
    from workstation.ui.queues.orphans_dock import OrphanQueueDock
    from workstation.ui.queues.suggestions_dock import SuggestionsDock
    from workstation.ui.search.dock import SearchDock
    from workstation.ui.timeline.dock import TimelineDock

COUNT_EVERY_MS = 250  # the status bar's document count, at most this often


class MainWindow(QMainWindow):
    # Asks the application to open another workspace (path, create it if missing).
    workspace_requested = Signal(object, bool)

    # The docks, made from their specs (shell/docks.py); a lazy one is None until shown.
    library: LibraryDock
    search: SearchDock
    inspector: InspectorDock
    entities: EntitiesDock
    episode_editor: EpisodeEditorDock
    suggestions: SuggestionsDock
    orphans: OrphanQueueDock
    timeline: TimelineDock
    history: QDockWidget
    brief_dock: QDockWidget | None
    brief_composer: BriefComposer | None
    commands: WindowCommands  # set by build_menus

    def __init__(
        self,
        session: Session,
        prompts: Prompts | None = None,
        *,
        restore: bool = True,
        first_start: bool = False,
    ):
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
        self.brief_composer = None
        self.dock_specs = dock_specs()
        self.docks: dict[str, QDockWidget] = {}
        for spec in self.dock_specs:
            setattr(self, spec.attribute, None)
            if not spec.lazy:
                self._place_dock(spec, self._make_dock(spec))
        for spec in self.dock_specs:
            if not spec.visible and spec.name in self.docks:
                self.docks[spec.name].hide()

        self.importer = ImportController(self.workbench, self)
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
            component.register_actions(self.registry)
        self._register_dock_toggles()
        build_menus(self)
        if session.workspace.read_only:  # after every command is registered: it disables them
            install_read_only_banner(self, self.registry, session.workspace.read_only_reason)
        self.workbench.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        moved = session.workspace.moved_wal  # a -wal that was not its own, moved aside
        if moved is not None:
            self.statusBar().showMessage(moved.describe(), 30000)
        self.workbench.changed.connect(self._count_later)
        window_state.remember_workspace(session.path)
        self.resize(1280, 800)
        if restore:  # a lazy dock open when the layout was saved is made to take its place
            for spec in self.dock_specs:
                if spec.lazy and spec.name in window_state.saved_open_docks():
                    self._make_lazy_dock(spec)
        if not (restore and window_state.restore_window(self)):
            # Dock sizes only take once the window is laid out: after the first show.
            QTimer.singleShot(0, self._default_layout)
        QTimer.singleShot(0, self._open_first_document)
        if first_start and restore:  # the app's run() only: never in tests or a screenshot
            QTimer.singleShot(0, lambda: getting_started.first_start(self))

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
        self.resizeDocks([self.library, self.search], [330, 470], Qt.Orientation.Vertical)

    # -- docks ------------------------------------------------------------------------------

    def _make_dock(self, spec: DockSpec) -> QDockWidget:
        dock = spec.create(self)
        if dock.objectName() != spec.name:  # the saved layout finds docks by objectName
            raise ValueError(f"dock {dock.objectName()!r} made for the spec {spec.name!r}")
        self.docks[spec.name] = dock
        setattr(self, spec.attribute, dock)
        return dock

    def _place_dock(self, spec: DockSpec, dock: QDockWidget) -> None:
        if spec.tab_behind is not None:
            self._tab_behind(self.docks[spec.tab_behind], dock)
            self.docks[spec.tab_behind].raise_()  # each tab group opens on its first dock
        else:
            self.addDockWidget(spec.area, dock)

    def _make_lazy_dock(self, spec: DockSpec) -> QDockWidget:
        """Make a lazy dock: where the restored layout kept a place for it, else by its spec."""
        dock = self._make_dock(spec)
        if not self.restoreDockWidget(dock):
            if spec.place is not None:
                spec.place(self, dock)
            else:
                self._place_dock(spec, dock)
        if spec.toggle in self.registry:  # the View menu's stand-in follows the dock now
            toggle = self.registry[spec.toggle]
            toggle.setChecked(dock.toggleViewAction().isChecked())
            dock.toggleViewAction().toggled.connect(toggle.setChecked)
        return dock

    def _tab_behind(self, first: QDockWidget, dock: QDockWidget) -> None:
        # The layout is settled first: Qt 6.11 activates a dirty layout while it makes the
        # tab bar of a second tab group, makes that bar twice, and leaves the spare one
        # drawn over the docks.
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.tabifyDockWidget(first, dock)

    def _register_dock_toggles(self) -> None:
        """Every dock's View-menu toggle. A made dock's is its own toggleViewAction (Qt keeps
        it checked while the dock is not closed); a lazy dock's stands in until it is made."""
        for spec in self.dock_specs:
            dock = self.docks.get(spec.name)
            if dock is not None:
                toggle = self.registry.adopt(spec.toggle_spec(), dock.toggleViewAction())
                toggle.triggered.connect(lambda shown, s=spec: self._dock_toggled(s, shown))
            else:
                self.registry.register(
                    spec.toggle_spec(), lambda shown, s=spec: self._lazy_toggled(s, shown)
                )

    def _lazy_toggled(self, spec: DockSpec, shown: bool) -> None:
        if shown:
            self.show_dock(spec.name)
        else:
            self.hide_dock(spec.name)

    def _dock_toggled(self, spec: DockSpec, shown: bool) -> None:
        dock = self.docks[spec.name]
        if shown:
            dock.raise_()  # a tab behind another comes to the front
            if spec.on_shown is not None:
                spec.on_shown(self, dock)
        elif spec.on_hidden is not None:
            spec.on_hidden(self, dock)

    def show_dock(self, name: str) -> QDockWidget:
        """Show the dock ``name`` in front of its tab group, making it if it is lazy."""
        spec = next(s for s in self.dock_specs if s.name == name)
        dock = self.docks.get(name)
        if dock is None:
            dock = self._make_lazy_dock(spec)
        dock.show()
        self._dock_toggled(spec, True)
        return dock

    def hide_dock(self, name: str) -> None:
        dock = self.docks.get(name)
        if dock is not None:
            dock.hide()
            self._dock_toggled(next(s for s in self.dock_specs if s.name == name), False)

    def show_suggestion(self, document_id: str, start: int, end: int) -> None:
        """Show the suggestion in the reader without taking focus from the queue, so its
        one-letter keys (A accept, R reject, S skip) keep working. Only while the queue is
        in view: a tab behind the inspector must not move the reader's selection."""
        dock = self.suggestions
        if dock is None or not dock.isVisible() or dock.visibleRegion().isEmpty():
            return
        if self.reader.document_id != document_id:
            self.workbench.open_document(document_id)
        self.reader.select_range(start, end)

    def show_hit(self, document_id: str, start: int | None, end: int | None) -> None:
        if self.reader.document_id != document_id:
            self.workbench.open_document(document_id)
        if start is not None and end is not None:
            self.reader.select_range(start, end)
        self.reader.text.setFocus()

    def _make_status_bar(self) -> None:
        self.count_label = QLabel()
        self.count_label.setObjectName("statusCounts")
        self.workbench.operations.attach(self.statusBar())  # long work's progress and Cancel
        self.statusBar().addPermanentWidget(self.count_label)
        # Recounted when documents came or went, at most once per COUNT_EVERY_MS: an import
        # announces each stored chunk, and a count per chunk would be GUI-thread work for
        # nothing the officer could read.
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.timeout.connect(self._update_counts)
        self._counted_at = 0.0
        self._update_counts()

    def _count_later(self, changes: ChangeSet) -> None:
        if not changes.touches(Document) or self._count_timer.isActive():
            return
        since_ms = (time.monotonic() - self._counted_at) * 1000
        self._count_timer.start(max(0, int(COUNT_EVERY_MS - since_ms)))

    def _update_counts(self, *_args: object) -> None:
        if self.session.workspace.conn is None:  # closed before the count's turn came
            return
        self._counted_at = time.monotonic()
        documents = self.session.documents.count()
        self.count_label.setText(
            self.tr("{n} · {path}").format(
                n=count_noun(documents, self.tr("document"), self.tr("documents")),
                path=self.session.path.name,
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

    def open_brief_composer(self) -> BriefComposer:
        self.show_dock("briefComposerDock")
        assert self.brief_composer is not None  # made with its dock
        return self.brief_composer

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
        # Long work stops at its next step (a merge rolls back, an import keeps its chunks)
        # and closes its connection before the window's session goes.
        self.workbench.operations.shutdown()
        self.interchange.shutdown()
        self.backups.wait()
        self.inspector.save_note()
        self.episode_editor.commit()
        if self.brief_composer is not None:
            self.brief_composer.shutdown()
        window_state.save_window(self)
        super().closeEvent(event)
