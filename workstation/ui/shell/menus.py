"""The menu bar, built from the action registry, and the window-level commands (File, Edit,
View, Brief, Help). Component commands (reader, library, inspector, search) are registered
by their components; this module only places them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from workstation.importers import SUPPORTED_SUFFIXES
from workstation.services.maintenance import backup
from workstation.services.outcome import ServiceError
from workstation.services.output_paths import refuse_workspace_paths, sidecar_owner
from workstation.ui.common.operations import Operation, OperationContext
from workstation.ui.common.widgets import count_noun
from workstation.ui.exchange.check_dialog import CheckCommands
from workstation.ui.shell import getting_started, window_state
from workstation.ui.shell.about import AboutDialog, UserGuideDialog
from workstation.ui.shell.actions import ActionSpec
from workstation.ui.shell.docks import LEFT, RIGHT
from workstation.ui.shell.getting_started import GettingStarted
from workstation.ui.shell.help import ShortcutsDialog

if TYPE_CHECKING:
    from workstation.ui.shell.main_window import MainWindow
    from workstation.ui.shell.prompts import Prompts

Key = QKeySequence.StandardKey
WORKSPACE_FILTER = "Workspaces (*.sqlite *.db);;All files (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Menus", text)


def build_menus(window: MainWindow) -> None:
    reg = window.registry
    commands = WindowCommands(window)
    for spec, slot in (
        (
            ActionSpec("actionNewWorkspace", _tr("&New workspace…"), Key.New, writes=False),
            commands.new,
        ),
        (
            ActionSpec("actionOpenWorkspace", _tr("&Open workspace…"), Key.Open, writes=False),
            commands.open,
        ),
        (
            ActionSpec(
                "actionSaveCopy",
                _tr("Save a &copy…"),
                "Ctrl+Shift+S",
                _tr("A verified backup of the workspace"),
                writes=False,
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
        # Windows has no standard key for Quit: Ctrl+Q there too.
        (ActionSpec("actionQuit", _tr("&Quit"), (Key.Quit, "Ctrl+Q"), writes=False), window.close),
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
            ActionSpec("actionShortcuts", _tr("&Keyboard shortcuts"), "Ctrl+/", writes=False),
            commands.show_shortcuts,
        ),
        (
            ActionSpec(
                "actionGettingStarted",
                _tr("&Getting started"),
                tip=_tr("The five moves of the day, with their keys"),
                writes=False,
            ),
            commands.show_getting_started,
        ),
        (
            ActionSpec(
                "actionUserGuide",
                _tr("&User guide"),
                Key.HelpContents,
                _tr("The user guide shipped with the program, and the README"),
                writes=False,
            ),
            commands.show_user_guide,
        ),
        (
            ActionSpec(
                "actionAbout",
                _tr("&About Workstation"),
                tip=_tr("Version, workspace, Python and Qt, licences"),
                writes=False,
            ),
            commands.show_about,
        ),
    ):
        reg.register(spec, slot)
    stack = window.workbench.undo_stack
    # Qt's undo and redo actions name what they undo; the specs give their keys.
    reg.adopt(
        ActionSpec("actionUndo", _tr("Undo"), Key.Undo),
        stack.createUndoAction(window, _tr("&Undo")),
    )
    reg.adopt(
        ActionSpec("actionRedo", _tr("Redo"), (Key.Redo, "Ctrl+Shift+Z")),
        stack.createRedoAction(window, _tr("&Redo")),
    )

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
            "actionImportBrat",
            "actionMergeWorkspace",
            "actionReviewMerge",
            None,
            "actionQuit",
        ],
    )
    edit = _menu(bar, _tr("&Edit"), "menuEdit")
    reg.fill_menu(
        edit,
        [
            "actionUndo",
            "actionRedo",
            None,
            "actionDeletePassage",
            "actionDeletePassagesInSelection",
            "actionSnapToWords",
            None,
            "actionDocumentDetails",
            "actionEditCodebook",
        ],
    )
    episode = _menu(bar, _tr("E&pisode"), "menuEpisode")
    reg.fill_menu(
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
    reg.fill_menu(
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
    # Every dock, grouped by where it sits: left, right, bottom.
    toggles: list[str | None] = []
    for area in (LEFT, RIGHT):
        toggles += [spec.toggle for spec in window.dock_specs if spec.area == area] + [None]
    toggles += [spec.toggle for spec in window.dock_specs if spec.area not in (LEFT, RIGHT)]
    reg.fill_menu(view, toggles)
    brief = _menu(bar, _tr("&Brief"), "menuBrief")
    reg.fill_menu(brief, ["actionComposeBrief"])
    commands.checks = CheckCommands(window)  # registers actionCheckWorkspace
    tools = _menu(bar, _tr("&Tools"), "menuTools")
    reg.fill_menu(tools, ["actionCheckWorkspace", "actionRebuildAssistant"])
    help_menu = _menu(bar, _tr("&Help"), "menuHelp")
    reg.fill_menu(
        help_menu,
        ["actionGettingStarted", "actionUserGuide", "actionShortcuts", None, "actionAbout"],
    )
    window.commands = commands
    QTimer.singleShot(0, commands.announce_unfinished_import)


def _menu(parent: QMenuBar | QMenu, title: str, name: str) -> QMenu:
    menu = parent.addMenu(title)
    menu.setObjectName(name)
    return menu


class WindowCommands(QObject):
    """File and Help commands of one main window."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.recent_menu: QMenu | None = None
        self.checks: CheckCommands | None = None  # set by build_menus
        self.saving = False  # a copy is being written (one at a time)

    @property
    def prompts(self) -> Prompts:
        return self.window.prompts

    def new(self) -> None:
        path = self.prompts.save_file_for(
            "workspace", self.window, _tr("New workspace"), "workspace.sqlite", WORKSPACE_FILTER
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
        path = self.prompts.open_file_for(
            "workspace", self.window, _tr("Open workspace"), WORKSPACE_FILTER
        )
        if path:
            self.window.workspace_requested.emit(Path(path), False)

    def fill_recent(self) -> None:
        menu = self.recent_menu
        if menu is None:  # filled on aboutToShow: the menu is there by then
            return
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
        if self.saving:
            return
        source = self.window.session.path
        suggested = source.with_name(source.stem + "-copy.sqlite")
        path = self.prompts.save_file_for(
            "backup", self.window, _tr("Save a copy"), str(suggested), WORKSPACE_FILTER
        )
        if not path or self._refused(Path(path)):
            return
        dest = Path(path)

        def copy(context: OperationContext) -> Path:
            # The backup reads through its own read-only connection: safe beside the GUI's.
            context.progress(_tr("Saving a copy"), 0, 0)
            backup(source, dest)
            return dest

        self.saving = self.window.workbench.operations.run(
            Operation(
                _tr("Saving a copy"),
                copy,
                writes=False,
                on_done=self._backup_done,
                on_error=self._backup_failed,
                on_cancelled=self._backup_cancelled,
            )
        )

    def _backup_done(self, dest: Path) -> None:
        self.saving = False
        if dest.exists():
            self.window.statusBar().showMessage(_tr("Copy saved to {path}").format(path=dest), 8000)

    def _backup_failed(self, exc: BaseException) -> None:
        self.saving = False
        self.prompts.error(self.window, str(exc))

    def _backup_cancelled(self) -> None:
        self.saving = False

    def import_files(self) -> None:
        patterns = " ".join(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES)
        paths = self.prompts.open_files_for(
            "import",
            self.window,
            _tr("Import articles"),
            _tr("Articles ({patterns})").format(patterns=patterns),
        )
        if paths:
            self.window.importer.start(paths)

    def import_folder(self) -> None:
        folder = self.prompts.choose_folder_for("import", self.window, _tr("Import a folder"))
        if folder:
            self.window.importer.start([folder])

    def resume_import(self) -> bool:
        runs = self.window.session.importing.unfinished()
        if not runs:
            self.prompts.info(self.window, _tr("No import was cut short."))
            return False
        return self.window.importer.resume(runs[0])

    def announce_unfinished_import(self) -> None:
        """Say on opening that an import stopped part-way, and how to finish it."""
        session = self.window.session
        if session.workspace.conn is None or session.workspace.read_only:
            return
        runs = session.importing.unfinished()
        if runs:
            run = runs[0]
            self.window.statusBar().showMessage(
                _tr(
                    "An import stopped after {done} of {total}: "
                    "File → Resume an interrupted import finishes it"
                ).format(
                    done=run.done, total=count_noun(len(run.files), _tr("file"), _tr("files"))
                ),
                30000,
            )

    def show_getting_started(self) -> GettingStarted:
        return getting_started.show(self.window)

    def show_user_guide(self) -> UserGuideDialog:
        dialog = UserGuideDialog(self.window)
        dialog.setModal(False)
        dialog.show()
        self.user_guide_dialog = dialog
        return dialog

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.window.session.path, self.window)
        dialog.setModal(False)
        dialog.show()
        self.about_dialog = dialog
        return dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        extra = [(_tr("Mark the selection with a category"), _tr("1 – 9 (see the codebook)"))]
        dialog = ShortcutsDialog(self.window.registry, extra, self.window)
        dialog.setModal(False)
        dialog.show()
        self.shortcuts_dialog = dialog
        return dialog
