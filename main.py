"""GUI entry point: ``python main.py [WORKSPACE] [--screenshot PNG]``."""

from workstation.ui.shell.app import run

if __name__ == "__main__":
    raise SystemExit(run())
