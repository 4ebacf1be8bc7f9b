"""PyInstaller entry point of the bundled GUI (`workstation-app`): the same as the GUI script."""

import sys

from workstation.ui.shell.app import run

if __name__ == "__main__":
    sys.exit(run())
