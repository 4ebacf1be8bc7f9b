"""Cold start to an interactive window, in fresh processes: ``python -m bench.startup_bench``.

Each run spawns a new Python process that opens the workstation's main window on a
workspace holding the sample episode and exits as soon as the first paint has happened and
the event loop is idle (the moment a user could click). The raw baseline spawns the same
way a bare PySide6 QMainWindow. Budget (docs/architecture.md): < 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import Row, render_table

BUDGET_S = 1.5

_OURS = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from workstation.services.session import open_or_create
from workstation.ui.shell.main_window import MainWindow
window = MainWindow(open_or_create(sys.argv[1]), restore=False)
window.show()
QTimer.singleShot(0, app.quit)  # runs once the first paint is done and the loop is idle
app.exec()
heavy = [m for m in ("reportlab", "trafilatura", "pypdf", "docx", "PySide6.QtPdf")
         if m in sys.modules]
print("heavy:" + ",".join(heavy))
"""

_RAW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QPlainTextEdit("text"))
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
print("heavy:")
"""


def _spawn(code: str, workspace: Path) -> tuple[float, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(workspace)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    elapsed = time.perf_counter() - started
    heavy = next((line[6:] for line in done.stdout.splitlines() if line.startswith("heavy:")), "?")
    return elapsed, heavy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup_bench")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder) / "workspace.sqlite"
        env_dir = os.environ.get("WORKSTATION_DATA_DIR")
        os.environ["WORKSTATION_DATA_DIR"] = folder  # GUI settings stay in the temp folder
        try:
            _spawn(_OURS, workspace)  # creates the workspace with the sample; also warms caches
            ours, raw, heavy = [], [], ""
            for _ in range(args.runs):
                seconds, heavy = _spawn(_OURS, workspace)
                ours.append(seconds)
                raw.append(_spawn(_RAW, workspace)[0])
        finally:
            if env_dir is None:
                os.environ.pop("WORKSTATION_DATA_DIR", None)
            else:
                os.environ["WORKSTATION_DATA_DIR"] = env_dir
    ours_s, raw_s = statistics.median(ours), statistics.median(raw)
    row = Row(
        f"cold start to an interactive window (median of {args.runs})", ours_s, raw_s, BUDGET_S
    )
    print(render_table([row], smoke=False))
    print(f"heavy modules imported at start-up: {heavy or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
