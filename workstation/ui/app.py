"""GUI bootstrap: ``python main.py [WORKSPACE] [--screenshot PNG]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from workstation.services.session import open_or_create
from workstation.services.settings import default_workspace_path
from workstation.storage import WorkspaceError


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


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication

    from workstation.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Workstation")
    app.setOrganizationName("workstation")
    path = args.workspace or default_workspace_path()
    try:
        session = open_or_create(path, with_sample=args.workspace is None)
    except WorkspaceError as exc:
        print(f"main.py: {exc}", file=sys.stderr)
        return 1
    try:
        window = MainWindow(session)
        width, height = (int(v) for v in args.size.lower().split("x"))
        window.resize(width, height)
        if args.screenshot:
            window.show()
            app.processEvents()
            if not window.grab().save(str(args.screenshot)):
                print(f"main.py: could not write {args.screenshot}", file=sys.stderr)
                return 1
            print(f"saved {args.screenshot}")
            return 0
        window.show()
        return app.exec()
    finally:
        session.close()
