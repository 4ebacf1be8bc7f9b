"""Fixtures shared by unit, GUI and end-to-end tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workstation.services import Session, create_session
from workstation.services.sample import load_sample

_SAMPLE_CACHE: dict[str, Path] = {}


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.sqlite"


@pytest.fixture
def session(workspace_path: Path):
    """A fresh, empty workspace (default codebook) and a session on it."""
    with create_session(workspace_path, author="tester") as opened:
        yield opened


@pytest.fixture
def sample_path(tmp_path: Path, tmp_path_factory) -> Path:
    """A workspace file holding the sample episode (built once, copied per test)."""
    if "sample" not in _SAMPLE_CACHE:
        built = tmp_path_factory.mktemp("sample-master") / "sample.sqlite"
        with create_session(built, author="tester") as fresh:
            load_sample(fresh)
        _SAMPLE_CACHE["sample"] = built
    copy = tmp_path / "sample.sqlite"
    shutil.copyfile(_SAMPLE_CACHE["sample"], copy)
    return copy


@pytest.fixture
def sample_session(sample_path: Path):
    from workstation.services import open_session

    with open_session(sample_path, author="tester") as opened:
        yield opened


__all__ = ["Session"]


@pytest.fixture
def prompts():
    """The scripted prompt service: queue answers with ``will_answer``, read ``errors``."""
    from tests.helpers.prompts import RecordingPrompts

    return RecordingPrompts()


@pytest.fixture
def main_window(qtbot, sample_session, prompts):
    """The full main window on a copy of the sample episode, shown offscreen."""
    from workstation.ui.shell.main_window import MainWindow

    window = MainWindow(sample_session, prompts, restore=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.reader.document_id is not None)
    yield window
    window.close()


@pytest.fixture
def page(qtbot, main_window):
    """Page helpers over the main window (see tests/helpers/pages.py)."""
    from tests.helpers.pages import WorkbenchPage

    return WorkbenchPage(qtbot, main_window)


@pytest.fixture
def workbench(sample_session, prompts):
    """A Workbench (session, undo stack, scripted prompts) over the sample episode, for
    testing one dock or widget on its own."""
    from workstation.ui.shell.workbench import Workbench

    return Workbench(sample_session, prompts)


@pytest.fixture
def dock_host(qtbot, workbench):
    """Host one dock in a bare main window, its actions registered, for testing it alone:
    ``window = dock_host(lambda wb, parent: EntitiesDock(wb, parent), size=(1100, 800))``;
    the dock is ``window.dock``, the registry ``window.registry``."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMainWindow, QWidget

    from workstation.ui.shell.actions import ActionRegistry

    hosts = []

    def host(make, size=(1000, 750)):
        win = QMainWindow()
        win.setObjectName("testWindow")
        qtbot.addWidget(win)
        win.registry = ActionRegistry(win)
        win.dock = make(workbench, win)
        win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, win.dock)
        win.dock.register_actions(win.registry)
        win.setCentralWidget(QWidget())
        win.resize(*size)
        win.show()
        qtbot.waitExposed(win)
        hosts.append(win)
        return win

    yield host
    for win in hosts:
        win.close()


@pytest.fixture
def import_controller(qtbot, session):
    """The GUI's import controller over ``session``; cancelled, waited for and deleted at
    teardown."""
    from tests.helpers.prompts import RecordingPrompts
    from workstation.ui.exchange.importer import ImportController
    from workstation.ui.shell.workbench import Workbench

    workbench = Workbench(session, RecordingPrompts())
    ctl = ImportController(workbench)
    yield ctl
    workbench.operations.shutdown()
    # Delete the Qt objects while their owner is known, not whenever the garbage collector
    # gets to the Python cycle around them (which crashed a later test at random).
    ctl.deleteLater()
    workbench.deleteLater()
    qtbot.wait(0)


@pytest.fixture
def reader_view(qtbot, workbench):
    """A ReaderView over ``workbench``, shown at 760×560 and exposed."""
    from workstation.ui.reader.view import ReaderView

    reader = ReaderView(workbench)
    qtbot.addWidget(reader)
    reader.resize(760, 560)
    reader.show()
    qtbot.waitExposed(reader)
    return reader
