"""GUI bootstrap: ``python main.py [WORKSPACE] [--screenshot PNG]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.services.errors import WorkspaceError, WorkspaceInUse, WorkspaceReadOnly
from workstation.services.session import create_session, open_or_create, open_session
from workstation.services.settings import default_workspace_path

if TYPE_CHECKING:
    from workstation.services.backups import PreparedRestore
    from workstation.services.session import Session
    from workstation.ui.shell.main_window import MainWindow
    from workstation.ui.shell.prompts import Prompts


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="Open the workstation GUI.")
    parser.add_argument(
        "workspace",
        nargs="?",
        type=Path,
        help=f"workspace file (default: {default_workspace_path()})",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="PNG",
        help="render the main window to PNG and exit (works offscreen)",
    )
    parser.add_argument("--size", default="1280x800", help="window size, e.g. 1280x800")
    return parser.parse_args(argv)


def open_for_window(
    path: Path, *, create_missing: bool = False, with_sample: bool = False
) -> Session:
    """Open ``path`` for writing (``create_missing``: create it, with the sample if asked,
    when there is none). If another workstation is writing to it, or the file is read-only,
    open it read-only instead, with the reason kept for the window's banner: never two
    writers, and never a refusal when reading is possible."""
    try:
        if create_missing:
            return open_or_create(path, with_sample=with_sample)
        return open_session(path)
    except (WorkspaceInUse, WorkspaceReadOnly) as exc:
        session = open_session(path, read_only=True)
        session.workspace.read_only_reason = exc.detail
        return session


class WindowManager:
    """Owns the open main window; File → New/Open/Recent replace it with another workspace."""

    def __init__(self, prompts: Prompts | None = None) -> None:
        self.window: MainWindow | None = None
        self.prompts = prompts

    def show(
        self, session: Session, *, restore: bool = True, first_start: bool = False
    ) -> MainWindow:
        from workstation.ui.shell.main_window import MainWindow

        window = MainWindow(session, self.prompts, restore=restore, first_start=first_start)
        window.workspace_requested.connect(self.switch)
        window.backups.restore_requested.connect(self.restore)
        window.destroyed.connect(session.close)
        self.window = window
        return window

    def switch(self, path: Path, create: bool) -> bool:
        old = self.window
        if not create and old is not None and _holds_for_writing(old.session, path):
            # Opening it again would only meet our own lock: the window already has it.
            old.statusBar().showMessage(f"{Path(path).name} is already open here", 8000)
            return True
        try:
            session = create_session(path) if create else open_for_window(path)
        except (WorkspaceError, ValueError) as exc:
            if old is not None:
                old.prompts.error(old, str(exc))
            return False
        window = self.show(session)
        if old is not None:
            window.restoreGeometry(old.saveGeometry())
            old.close()
            old.deleteLater()
        window.show()
        return True

    def restore(self, backup: Path | PreparedRestore) -> bool:
        """Replace the open workspace with ``backup`` and reopen it in a new window.

        ``backup`` is usually prepared already (File → Restore copied it and backed up the
        current state off the GUI thread): then only the swap is left, which is quick. The
        session is closed first (its connection and lock); an edit saved as the window
        closes makes the service back up the current state again; on any failure the
        workspace is reopened as it was."""
        from workstation.services.backups import PreparedRestore, finish_restore, restore

        old = self.window
        if old is None:  # only the open window asks for a restore
            return False
        path = old.session.path
        geometry = old.saveGeometry()
        written: list[object] = []
        old.workbench.changed.connect(written.append)
        old.close()  # saves pending edits and waits for its threads, with the session open
        old.session.close()
        prepared: PreparedRestore | None
        if isinstance(backup, PreparedRestore):
            prepared, backup_path = backup, backup.backup
        else:
            prepared, backup_path = None, backup
        safety: Path | None
        try:
            if prepared is not None:
                safety = finish_restore(prepared, changed_since=bool(written))
            else:
                safety = restore(backup_path, path)
        except (WorkspaceError, OSError) as exc:
            old.prompts.error(old, f"could not restore {backup_path.name}: {exc}")
            safety = None
        try:
            session = open_session(path)
        except (WorkspaceError, ValueError) as exc:
            old.prompts.error(old, str(exc))
            return False
        window = self.show(session)
        window.restoreGeometry(geometry)
        old.deleteLater()
        window.show()
        if safety is not None:
            window.statusBar().showMessage(
                f"Restored {backup_path.name}; the state it replaced is in {safety.name}", 15000
            )
        return safety is not None


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Workstation")
    app.setOrganizationName("workstation")
    path = args.workspace or default_workspace_path()
    if args.screenshot:
        from workstation.services.outcome import ServiceError
        from workstation.services.output_paths import refuse_workspace_paths

        try:  # the PNG is written straight to the path given: never over the workspace
            refuse_workspace_paths(args.screenshot, path, scratch=())
        except ServiceError as exc:
            print(f"main.py: {exc}", file=sys.stderr)
            return 1
    try:
        session = open_for_window(path, create_missing=True, with_sample=args.workspace is None)
    except WorkspaceError as exc:
        print(f"main.py: {exc}", file=sys.stderr)
        if not args.screenshot:  # started from a desktop icon, stderr is seen by no one
            from workstation.ui.shell.prompts import Prompts

            Prompts().error(None, str(exc))
        return 1
    manager = WindowManager()
    # First start: the getting-started card and the first passage selected (never in a
    # screenshot, which shows the window as it is).
    window = manager.show(
        session, restore=args.screenshot is None, first_start=args.screenshot is None
    )
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    width, height = (int(v) for v in args.size.lower().split("x"))
    window.resize(width, height)
    window.show()
    if args.screenshot:
        app.processEvents()
        window.reader.format_visible()
        app.processEvents()
        ok = window.grab().save(str(args.screenshot))
        window.close()
        app.processEvents()
        if not ok:
            print(f"main.py: could not write {args.screenshot}", file=sys.stderr)
            return 1
        print(f"saved {args.screenshot}")
        return 0
    window.backups.start_opening_backup()
    return app.exec()


def _holds_for_writing(session: Session, path: Path) -> bool:
    workspace = session.workspace
    return (
        workspace.conn is not None
        and not workspace.read_only
        and Path(path).resolve() == workspace.path.resolve()
    )
