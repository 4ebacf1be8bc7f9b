"""Print the main window's visible dock tab groups as JSON (run in a fresh process).

A fresh process matters: Qt's spare-tab-bar fault (see ``MainWindow._tab_behind``) shows in a
new application and not reliably in the long-lived one the test session shares.
"""

import json
import sys

from PySide6.QtWidgets import QApplication, QTabBar

from workstation.services import open_session
from workstation.ui.shell.main_window import MainWindow


def main(path: str) -> None:
    app = QApplication([])
    with open_session(path) as session:
        window = MainWindow(session, restore=False)
        window.resize(1280, 800)
        window.show()
        for _ in range(10):
            app.processEvents()
        bars = [bar for bar in window.findChildren(QTabBar) if bar.isVisible()]
        print(json.dumps([[bar.tabText(i) for i in range(bar.count())] for bar in bars]))
        window.close()
        app.processEvents()
        del window


if __name__ == "__main__":
    main(sys.argv[1])
