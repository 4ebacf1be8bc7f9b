"""Open the main window, copy a selection from the reader, quit (run in a fresh process).

A crash at exit shows only as the process's exit status, never as a failed test in the
process that crashed: so this runs in its own, and the test reads its status.
"""

import sys

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workstation.services import open_session
from workstation.ui.shell.main_window import MainWindow


def main(path: str) -> None:
    app = QApplication([])
    with open_session(path) as session:
        window = MainWindow(session, restore=False)
        window.show()
        app.processEvents()
        reader = window.reader
        reader.select_range(0, 20)
        QTest.keyClick(reader.text, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        print(QApplication.clipboard().text())
        window.close()
        app.processEvents()
        del window


if __name__ == "__main__":
    main(sys.argv[1])
