"""The menu bar, built from the action registry, and the window-level commands (File, Edit,
View, Brief, Help). Component commands (reader, library, inspector, search) are registered
by their components; this module only places them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from workstation.importers import SUPPORTED_SUFFIXES
from workstation.services.importing import unfinished_imports
from workstation.services.maintenance import backup
from workstation.services.outcome import ServiceError
from workstation.services.output_paths import refuse_workspace_paths, sidecar_owner
from workstation.ui import window_state
from workstation.ui.actions import ActionSpec
from workstation.ui.check_dialog import CheckCommands
from workstation.ui.help import ShortcutsDialog

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow

Key = QKeySequence.StandardKey
WORKSPACE_FILTER = "Workspaces (*.sqlite *.db);;All files (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Menus", text)


def build_menus(window: MainWindow) -> None:
    reg = window.registry
    commands = WindowCommands(window)
    for spec, slot in (
        (ActionSpec("actionNewWorkspace", _tr("&New workspace…"), Key.New), commands.new),
        (ActionSpec("actionOpenWorkspace", _tr("&Open workspace…"), Key.Open), commands.open),
        (
            ActionSpec(
                "actionSaveCopy",
                _tr("Save a &copy…"),
                "Ctrl+Shift+S",
                _tr("A verified backup of the workspace"),
            ),
            commands.save_copy,
        ),
        (
            ActionSpec(
                "actionImportFiles",
                _tr("&Import files…"),
                "Ctrl+Shift+O",
                _tr("Import articles (drag and drop works too)"),
            ),
            commands.import_files,
        ),
        (ActionSpec("actionImportFolder", _tr("Import a &folder…")), commands.import_folder),
        (
            ActionSpec(
                "actionResumeImport",
                _tr("Resume an interrupted import"),
                tip=_tr("Finish an import that a crash or Cancel cut short"),
            ),
            commands.resume_import,
        ),
        (ActionSpec("actionQuit", _tr("&Quit"), Key.Quit), window.close),
        (
            ActionSpec(
                "actionComposeBrief",
                _tr("&Compose brief…"),
                "Ctrl+B",
                _tr("Compose the episode's PDF brief, with a live preview"),
            ),
            window.toggle_brief_composer,
        ),
        (
            ActionSpec("actionShortcuts", _tr("&Keyboard shortcuts"), "Ctrl+/"),
            commands.show_shortcuts,
        ),
    ):
        reg.register(spec, slot)
    stack = window.workbench.undo_stack
    undo = stack.createUndoAction(window, _tr("&Undo"))
    undo.setObjectName("actionUndo")
    undo.setShortcuts(Key.Undo)
    redo = stack.createRedoAction(window, _tr("&Redo"))
    redo.setObjectName("actionRedo")
    redo_keys = [*QKeySequence.keyBindings(Key.Redo), QKeySequence("Ctrl+Shift+Z")]
    redo.setShortcuts(list(dict.fromkeys(k.toString() for k in redo_keys)))
    for action in (undo, redo, window.history.toggleViewAction()):
        reg.adopt(action)
    for dock, name in (
        (window.library, "actionShowLibrary"),
        (window.inspector, "actionShowInspector"),
        (window.search, "actionShowSearch"),
    ):
        if dock is not None:
            dock.toggleViewAction().setObjectName(name)
            if name not in reg:
                reg.adopt(dock.toggleViewAction())

    bar = window.menuBar()
    file_menu = _menu(bar, _tr("&File"), "menuFile")
    reg.fill_menu(file_menu, ["actionNewWorkspace", "actionOpenWorkspace"])
    commands.recent_menu = _menu(file_menu, _tr("Open &recent"), "menuRecent")
    commands.recent_menu.aboutToShow.connect(commands.fill_recent)
    reg.fill_menu(
        file_menu,
        [
            "actionSaveCopy",
            "actionRestoreBackup",
            None,
            "actionImportFiles",
            "actionImportFolder",
            "actionResumeImport",
            None,
            "actionExport",
            "actionImportAnnotations",
            "actionMergeWorkspace",
            None,
            "actionQuit",
        ],
    )
    edit = _menu(bar, _tr("&Edit"), "menuEdit")
    reg.fill_menu(edit, ["actionUndo", "actionRedo", None])
    _optional(
        reg,
        edit,
        ["actionDeletePassage", "actionDeletePassagesInSelection", None, "actionEditCodebook"],
    )
    episode = _menu(bar, _tr("E&pisode"), "menuEpisode")
    _optional(
        reg,
        episode,
        [
            "actionNewEvent",
            "actionEditEvent",
            "actionDeleteEvent",
            None,
            "actionEditEpisode",
            "actionNewJudgment",
            None,
            "actionMergeEntities",
            "actionSplitAlias",
            None,
            "actionAcceptSuggestion",
            "actionRejectSuggestion",
            "actionAcceptAllForEntity",
            "actionSkipSuggestion",
            "actionSuggestWorkspace",
        ],
    )
    go = _menu(bar, _tr("&Go"), "menuGo")
    _optional(
        reg,
        go,
        [
            "actionNextPassage",
            "actionPreviousPassage",
            None,
            "actionNextDocument",
            "actionPreviousDocument",
            None,
            "actionFocusSearch",
            "actionFocusLibraryFilter",
            "actionFocusInspector",
        ],
    )
    view = _menu(bar, _tr("&View"), "menuView")
    _optional(
        reg,
        view,
        [
            "actionShowLibrary",
            "actionShowSearch",
            "actionShowInspector",
            "actionShowOrphans",
            "actionShowHistory",
        ],
    )
    brief = _menu(bar, _tr("&Brief"), "menuBrief")
    reg.fill_menu(brief, ["actionComposeBrief"])
    commands.checks = CheckCommands(window)  # registers actionCheckWorkspace
    tools = _menu(bar, _tr("&Tools"), "menuTools")
    reg.fill_menu(tools, ["actionCheckWorkspace"])
    help_menu = _menu(bar, _tr("&Help"), "menuHelp")
    reg.fill_menu(help_menu, ["actionShortcuts"])
    window.commands = commands
    QTimer.singleShot(0, commands.announce_unfinished_import)


def _menu(parent, title: str, name: str) -> QMenu:
    menu = parent.addMenu(title)
    menu.setObjectName(name)
    return menu


def _optional(reg, menu: QMenu, names: list[str | None]) -> None:
    """Place the commands that exist (components register their own)."""
    present = [n for n in names if n is None or n in reg]
    while present and present[0] is None:
        present.pop(0)
    reg.fill_menu(menu, present)


class _BackupThread(QThread):
    failed = Signal(str)

    def __init__(self, source: Path, dest: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.source, self.dest = source, dest

    def run(self) -> None:
        # The backup reads through its own read-only connection: safe beside the GUI's one.
        try:
            backup(self.source, self.dest)
        except Exception as exc:  # reported on the GUI thread
            self.failed.emit(str(exc))


class WindowCommands(QObject):
    """File and Help commands of one main window."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.recent_menu: QMenu | None = None
        self.backup_thread: _BackupThread | None = None

    @property
    def prompts(self):
        return self.window.prompts

    def new(self) -> None:
        path = self.prompts.save_file(
            self.window, _tr("New workspace"), "workspace.sqlite", WORKSPACE_FILTER
        )
        if path and self._refused(Path(path)):
            return
        if path:
            self.window.workspace_requested.emit(Path(path), True)

    def _refused(self, path: Path, *, scratch: tuple[str, ...] = (".partial",)) -> bool:
        """Never write over the open workspace, its sidecars or backups, nor make a new file
        where it would become another workspace's log; says why (a dialog)."""
        try:
            refuse_workspace_paths(path, self.window.session.path, scratch=scratch)
            owner = sidecar_owner(path)
            if owner is not None:
                refuse_workspace_paths(path, owner, scratch=scratch)
        except ServiceError as exc:
            self.prompts.error(self.window, str(exc))
            return True
        return False

    def open(self) -> None:
        path = self.prompts.open_file(self.window, _tr("Open workspace"), WORKSPACE_FILTER)
        if path:
            self.window.workspace_requested.emit(Path(path), False)

    def fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for path in window_state.recent_workspaces():
            if path == self.window.session.path.resolve():
                continue
            action = menu.addAction(str(path))
            action.triggered.connect(
                lambda _checked=False, p=path: self.window.workspace_requested.emit(p, False)
            )
        if menu.isEmpty():
            menu.addAction(_tr("(none)")).setEnabled(False)

    def save_copy(self) -> None:
        if self.backup_thread is not None:
            return
        suggested = self.window.session.path.with_name(
            self.window.session.path.stem + "-copy.sqlite"
        )
        path = self.prompts.save_file(
            self.window, _tr("Save a copy"), str(suggested), WORKSPACE_FILTER
        )
        if not path or self._refused(Path(path)):
            return
        thread = _BackupThread(self.window.session.path, Path(path), self)
        thread.failed.connect(lambda message: self.prompts.error(self.window, message))
        thread.finished.connect(lambda: self._backup_done(Path(path)))
        self.backup_thread = thread
        self.window.statusBar().showMessage(_tr("Saving a copy…"))
        thread.start()

    def _backup_done(self, dest: Path) -> None:
        thread, self.backup_thread = self.backup_thread, None
        if thread is not None:
            thread.deleteLater()
        if dest.exists():
            self.window.statusBar().showMessage(_tr("Copy saved to {path}").format(path=dest), 8000)

    def import_files(self) -> None:
        patterns = " ".join(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES)
        paths = self.prompts.open_files(
            self.window,
            _tr("Import articles"),
            _tr("Articles ({patterns})").format(patterns=patterns),
        )
        if paths:
            self.window.importer.start(paths)

    def import_folder(self) -> None:
        folder = self.prompts.choose_folder(self.window, _tr("Import a folder"))
        if folder:
            self.window.importer.start([folder])

    def resume_import(self) -> bool:
        runs = unfinished_imports(self.window.session)
        if not runs:
            self.prompts.info(self.window, _tr("No import was cut short."))
            return False
        return self.window.importer.resume(runs[0])

    def announce_unfinished_import(self) -> None:
        """Say on opening that an import stopped part-way, and how to finish it."""
        session = self.window.session
        if session.workspace.conn is None or session.workspace.read_only:
            return
        runs = unfinished_imports(session)
        if runs:
            run = runs[0]
            self.window.statusBar().showMessage(
                _tr(
                    "An import stopped after {done} of {total} files: "
                    "File → Resume an interrupted import finishes it"
                ).format(done=run.done, total=len(run.files)),
                30000,
            )

    def show_shortcuts(self) -> ShortcutsDialog:
        extra = [(_tr("Mark the selection with a category"), _tr("1 – 9 (see the codebook)"))]
        dialog = ShortcutsDialog(self.window.registry, extra, self.window)
        dialog.setModal(False)
        dialog.show()
        self.shortcuts_dialog = dialog
        return dialog
