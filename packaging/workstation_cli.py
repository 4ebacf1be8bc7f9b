"""PyInstaller entry point of the bundled CLI (`workstation`): the same as the console script."""

import sys

from workstation.cli import main

if __name__ == "__main__":
    sys.exit(main())
