"""An import cut short is announced on opening and finished from File → Resume."""

from __future__ import annotations

from itertools import count

from workstation.services import create_session, open_session
from workstation.services.importing import import_files, unfinished_imports
from workstation.ui.shell.main_window import MainWindow


def test_window_announces_and_resumes_an_interrupted_import(qtbot, tmp_path, prompts):
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(40):
        (folder / f"{i:02d}.txt").write_text(f"Consulate closure report {i}.")
    path = tmp_path / "ws.sqlite"
    asked = count()
    with create_session(path) as session:
        import_files(session, [folder], cancelled=lambda: next(asked) >= 15)
        assert session.documents.count() == 15
    window = MainWindow(open_session(path), prompts, restore=False)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "stopped after 15 of 40" in window.statusBar().currentMessage())
    with qtbot.waitSignal(window.importer.finished, timeout=30000):
        window.registry["actionResumeImport"].trigger()
    assert window.session.documents.count() == 40
    assert unfinished_imports(window.session) == []
    window.registry["actionResumeImport"].trigger()
    assert prompts.infos[-1] == "No import was cut short."
    window.close()
    window.session.close()
