"""Bad input through the window: bad workspaces opened from the menu, bad files imported,
bad annotation files, bad workspaces to merge, a workspace locked by another process or on
a full disk, a one-line article of a megabyte.

The contract: exactly one dialog per failure (RecordingPrompts: one error, or one info
whose details list the files), no undo step for what did not happen, and the workspace as
it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from tests.helpers.breakage import (
    BAD_WORKSPACES,
    IMPORT_JOURNAL,
    BadWorkspace,
    bad_workspace_ids,
    hold_write_lock,
    limit_growth,
    make_workspace,
    read_only_folder,
    workspace_state,
)
from workstation.services import Session
from workstation.ui.reader.commands import build_context_menu
from workstation.ui.shell.app import WindowManager, run

IMPORT_TIMEOUT_MS = 60_000


def messages(prompts) -> list[str]:
    return [*prompts.errors, *prompts.infos]


def import_through_the_window(qtbot, window, paths: list[Path]) -> bool:
    """Start an import as File → Import does; wait for it to finish if it started."""
    importer = window.importer
    started = importer.start(paths)
    if started:
        qtbot.waitUntil(lambda: not importer.running, timeout=IMPORT_TIMEOUT_MS)
    return started


def to_the_end(qtbot, window, started: bool) -> bool:
    """Wait for the window's operation (merge, annotation import) to finish if it started."""
    if started:
        qtbot.waitUntil(lambda: window.workbench.operations.busy is None, timeout=IMPORT_TIMEOUT_MS)
    return started


def merge_through_the_window(qtbot, window, other: Path):
    """File → Merge workspace… on ``other``, waited for; its report, or None."""
    to_the_end(qtbot, window, window.interchange.merge_from(other))
    return window.interchange.last_merge


def import_annotations_through_the_window(qtbot, window, path: Path):
    to_the_end(qtbot, window, window.interchange.import_annotations_from(path))
    return window.interchange.last_import


# -- opening a bad workspace from the menu ---------------------------------------------------


@pytest.mark.parametrize("bad", BAD_WORKSPACES, ids=bad_workspace_ids())
def test_opening_a_bad_workspace_is_one_error_and_the_window_stays(
    main_window, prompts, tmp_path, bad: BadWorkspace
):
    path = bad.make(tmp_path / "bad.sqlite")
    before = workspace_state(path)
    manager = WindowManager(prompts)
    manager.window = main_window
    assert not manager.switch(path, False)
    assert manager.window is main_window and main_window.session.workspace.conn is not None
    assert len(messages(prompts)) == 1 and len(prompts.errors) == 1
    error = prompts.errors[0]
    assert "\n" not in error and path.name in error
    assert any(word in error.lower() for word in bad.says), error
    assert workspace_state(path) == before


def test_a_workspace_on_a_read_only_file_system_opens_read_only(main_window, prompts, qtbot):
    with read_only_folder() as folder:
        path = make_workspace(folder.path / "ro.sqlite")
        folder.freeze()
        manager = WindowManager(prompts)
        manager.window = main_window
        assert manager.switch(path, False), prompts.errors
        window = manager.window
        qtbot.addWidget(window)
        assert window.session.workspace.read_only and prompts.errors == []
        window.close()
        window.session.close()


def test_starting_on_a_bad_workspace_shows_one_dialog(qtbot, tmp_path, monkeypatch):
    from workstation.ui.shell.prompts import Prompts

    shown: list[str] = []
    monkeypatch.setattr(Prompts, "error", lambda self, parent, message: shown.append(message))
    monkeypatch.setattr(
        "PySide6.QtWidgets.QMessageBox.critical", lambda *args: shown.append(str(args[2]))
    )
    path = BAD_WORKSPACES[0].make(tmp_path / "notes.sqlite")
    assert run([str(path)]) == 1  # refused before the event loop: nothing waits
    assert len(shown) == 1 and "notes.sqlite" in shown[0]
    shown.clear()
    # A screenshot run is unattended: the message goes to stderr only, no dialog waits.
    assert run([str(path), "--screenshot", str(tmp_path / "shot.png")]) == 1
    assert shown == []


# -- importing bad files --------------------------------------------------------------------


def test_bad_files_are_one_message_listing_each_and_change_nothing(
    main_window, prompts, qtbot, tmp_path
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "noise.pdf").write_bytes(os.urandom(5000))
    (inbox / "cut.docx").write_bytes(b"PK\x03\x04" + os.urandom(200))
    (inbox / "empty.txt").write_bytes(b"")
    huge = inbox / "huge.txt"
    huge.write_bytes(b"x")
    os.truncate(huge, 50 * 1024 * 1024)
    before = workspace_state(main_window.session.path, besides=IMPORT_JOURNAL)
    assert import_through_the_window(qtbot, main_window, [inbox])
    assert prompts.errors == [] and len(prompts.infos) == 1
    assert prompts.infos[0] == "Imported 0 of 4 files; 4 could not be imported."
    details = prompts.details[0].splitlines()
    assert len(details) == 4
    assert f"{huge}: the file is 50 MB, over the 20 MB limit" in details
    assert workspace_state(main_window.session.path, besides=IMPORT_JOURNAL) == before
    stack = main_window.workbench.undo_stack
    assert not stack.canUndo() or stack.command(stack.index() - 1).isObsolete()


def test_a_megabyte_on_one_line_imports_and_shows_in_the_reader(
    main_window, prompts, qtbot, tmp_path
):
    words = ("sanctions", "reciprocity", "diplomats", "expelled", "Moscow", "Washington")
    line = " ".join(words[i % len(words)] for i in range(150_000)) + " zugzwang"
    path = tmp_path / "one-line.txt"
    path.write_text("One long line\n" + line, encoding="utf-8")
    assert import_through_the_window(qtbot, main_window, [path])
    assert messages(prompts) == []
    documents = main_window.session.documents.list_documents()
    (row,) = [d for d in documents if d.title == "One long line"]
    document = main_window.session.documents.get(row.id)
    main_window.workbench.open_document(document.id)
    qtbot.waitUntil(lambda: main_window.reader.document_id == document.id)
    reader = main_window.reader
    # Shown broken at spaces (Qt lays a paragraph out whole), every offset where it was.
    shown = reader.text.toPlainText()
    assert len(shown) == len(document.body)
    assert {(a, b) for a, b in zip(document.body, shown, strict=True) if a != b} == {(" ", "\n")}
    assert reader.text.document().blockCount() > 100
    reader.select_range(document.body.index("zugzwang"), len(document.body))
    assert reader.text.textCursor().selectedText() == "zugzwang"
    # A selection across a break copies the stored text, spaces and all.
    start = shown.index("\n", 20_000) - 30
    reader.select_range(start, start + 60)
    qtbot.keyClick(reader.text, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == document.body[start : start + 60]
    assert " " in QApplication.clipboard().text()
    QApplication.clipboard().clear()
    menu = build_context_menu(reader, reader.text.cursorRect().center())
    menu.findChild(QAction, "edit-copy").trigger()  # the context menu's Copy: the same
    assert QApplication.clipboard().text() == document.body[start : start + 60]
    menu.deleteLater()
    assert not reader.text.viewport().grab().isNull()


# -- a workspace another process is writing to ------------------------------------------------


@pytest.fixture
def locked_window(main_window):
    """The main window while another process holds its workspace's write lock."""
    main_window.session.workspace.conn.execute("PRAGMA busy_timeout = 200")
    with hold_write_lock(main_window.session.path):
        yield main_window


def test_every_write_in_a_locked_workspace_is_one_busy_error(
    locked_window, prompts, qtbot, tmp_path
):
    window = locked_window
    article = tmp_path / "article.txt"
    article.write_text("Consulates closed\nBoth sides closed a consulate.\n", encoding="utf-8")
    other = make_workspace(tmp_path / "colleague.sqlite", author="colleague")
    annotations = tmp_path / "passages.jsonl"
    annotations.write_text(
        '{"type": "Annotation", "target": {"source": "https://x.example/a", "selector": '
        '{"type": "TextQuoteSelector", "exact": "nowhere"}}}\n',
        encoding="utf-8",
    )
    before = workspace_state(window.session.path)
    attempts = {
        "edit": lambda: window.workbench.apply(
            "Create category", lambda: window.session.codebook.create("Leak")
        ),
        "import": lambda: import_through_the_window(qtbot, window, [article]),
        "import annotations": lambda: import_annotations_through_the_window(
            qtbot, window, annotations
        ),
        "merge": lambda: merge_through_the_window(qtbot, window, other),
    }
    for what, attempt in attempts.items():
        prompts.errors.clear()
        prompts.infos.clear()
        attempt()
        assert len(messages(prompts)) == 1, (what, messages(prompts))
        assert "busy" in messages(prompts)[0], (what, messages(prompts))
    assert workspace_state(window.session.path) == before
    assert window.workbench.undo_stack.count() == 0


# -- a full disk -------------------------------------------------------------------------------


def test_a_full_disk_is_one_message_per_attempt_and_changes_nothing(
    main_window, prompts, qtbot, tmp_path, monkeypatch
):
    big = tmp_path / "big.txt"
    big.write_text("Sanctions and reciprocity. " * 40_000, encoding="utf-8")
    other = make_workspace(tmp_path / "colleague.sqlite", documents=20, author="colleague")
    before = workspace_state(main_window.session.path, besides=IMPORT_JOURNAL)
    limit_growth(main_window.session.workspace.conn)
    real_open_worker = Session.open_worker

    def limited_worker(self, **kwargs):  # long work writes through its own connection
        worker = real_open_worker(self, **kwargs)
        limit_growth(worker.workspace.conn)
        return worker

    monkeypatch.setattr(Session, "open_worker", limited_worker)
    import_through_the_window(qtbot, main_window, [big])
    assert len(messages(prompts)) == 1 and "disk is full" in (prompts.errors or prompts.details)[0]
    prompts.errors.clear()
    prompts.infos.clear()
    assert merge_through_the_window(qtbot, main_window, other) is None
    assert len(prompts.errors) == 1 and "disk is full" in prompts.errors[0]
    assert prompts.infos == []
    assert workspace_state(main_window.session.path, besides=IMPORT_JOURNAL) == before


# -- bad annotation files and bad workspaces to merge -----------------------------------------


@pytest.mark.parametrize(
    "name, content, dialog",
    [
        ("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00", "error"),
        ("latin1.jsonl", "caf\xe9".encode("latin-1"), "error"),
        ("deep.jsonl", b'{"type": "Annotation"}\n' + b"[" * 50_000 + b"]" * 50_000, "info"),
        ("broken.json", b'[{"type": "Annotation", "target": ', "info"),
        ("huge.jsonl", None, "error"),
    ],
    ids=["binary", "latin-1", "deep", "truncated", "over-the-cap"],
)
def test_a_bad_annotation_file_is_one_dialog_and_no_undo_step(
    main_window, prompts, qtbot, tmp_path, name, content, dialog
):
    path = tmp_path / name
    if content is None:
        path.write_bytes(b"{}")
        os.truncate(path, 300 * 1024 * 1024)  # sparse: over the 256 MB cap
    else:
        path.write_bytes(content)
    before = workspace_state(main_window.session.path)
    import_annotations_through_the_window(qtbot, main_window, path)
    assert len(messages(prompts)) == 1
    shown = prompts.errors if dialog == "error" else prompts.infos
    assert len(shown) == 1 and "\n" not in shown[0] and name in shown[0]
    assert main_window.workbench.undo_stack.count() == 0
    assert workspace_state(main_window.session.path) == before


@pytest.mark.parametrize("bad", BAD_WORKSPACES, ids=bad_workspace_ids())
def test_merging_a_bad_workspace_is_one_error_naming_it(
    main_window, prompts, qtbot, tmp_path, bad: BadWorkspace
):
    other = bad.make(tmp_path / "theirs.sqlite")
    ours, theirs = workspace_state(main_window.session.path), workspace_state(other)
    assert merge_through_the_window(qtbot, main_window, other) is None
    assert prompts.infos == [] and len(prompts.errors) == 1
    assert "\n" not in prompts.errors[0] and other.name in prompts.errors[0]
    assert any(word in prompts.errors[0].lower() for word in bad.says)
    assert main_window.workbench.undo_stack.count() == 0
    assert workspace_state(main_window.session.path) == ours
    assert workspace_state(other) == theirs
