"""File → Restore from backup: choose one, confirm, and the window reopens on it."""

from __future__ import annotations

from workstation.importers.base import DocumentDraft
from workstation.services import create_session
from workstation.services.backups import list_backups, take_backup
from workstation.ui.shell.app import WindowManager


def test_restore_reopens_the_workspace_from_the_chosen_backup(qtbot, tmp_path, prompts):
    path = tmp_path / "ws.sqlite"
    with create_session(path, author="t") as session:
        session.documents.add(DocumentDraft(title="Before", text="kept", origin_name="a.txt"))
    take_backup(path, "manual")
    manager = WindowManager(prompts)
    from workstation.services import open_session

    window = manager.show(open_session(path))  # the manager deletes it once it is replaced
    window.session.documents.add(DocumentDraft(title="After", text="later", origin_name="b"))
    (backup,) = list_backups(path)
    prompts.will_answer("choose", backup.describe())
    prompts.will_answer("confirm", True)
    window.registry["actionRestoreBackup"].trigger()
    # The copy is made off the GUI thread; the window is replaced when it is ready.
    qtbot.waitUntil(lambda: manager.window is not window, timeout=20000)
    restored = manager.window
    qtbot.addWidget(restored)
    assert restored is not window
    assert [d.title for d in restored.session.documents.list_documents()] == ["Before"]
    assert "Restored" in restored.statusBar().currentMessage()
    assert any(b.reason == "before-restore" for b in list_backups(path))
    restored.close()
    restored.session.close()


def test_restore_without_backups_says_where_they_would_be(main_window, prompts):
    main_window.registry["actionRestoreBackup"].trigger()
    assert prompts.infos and "No backups" in prompts.infos[-1]
