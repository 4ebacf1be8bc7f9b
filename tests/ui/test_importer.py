"""Importing from the GUI: an operation off the GUI thread, stored in chunks, one undo step."""

import pytest


@pytest.fixture
def controller(import_controller):
    return import_controller


def _files(folder, count):
    folder.mkdir(exist_ok=True)
    for i in range(count):
        (folder / f"a{i:03d}.txt").write_text(f"Article {i} about sanctions and reciprocity.")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "empty.txt").write_text("")
    return folder


def test_import_folder_stores_documents_reports_failures_and_undoes_in_one_step(
    controller, qtbot, tmp_path
):
    folder = _files(tmp_path / "inbox", 60)
    changed = []
    controller.workbench.changed.connect(changed.append)
    with qtbot.waitSignal(controller.finished, timeout=30000) as blocker:
        assert controller.start([folder])
    results = blocker.args[0]
    session = controller.workbench.session
    assert session.documents.count() == 60
    assert sum(r.failed for r in results) == 2
    prompts = controller.workbench.prompts
    assert "2 could not be imported" in prompts.infos[-1]
    assert "broken.pdf" in prompts.details[-1] and "empty.txt" in prompts.details[-1]
    assert len(changed) >= 2  # each chunk announced as it lands, then the undo step
    stack = controller.workbench.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Import 60 documents"
    stack.undo()
    assert session.documents.count() == 0
    stack.redo()
    assert session.documents.count() == 60


def test_cancel_keeps_what_was_stored_and_stops(controller, qtbot, tmp_path):
    folder = _files(tmp_path / "many", 200)
    with qtbot.waitSignal(controller.finished, timeout=30000):
        controller.start([folder])
        controller.cancel()
    count = controller.workbench.session.documents.count()
    assert count < 200
    assert not controller.running and controller.workbench.operations.busy is None


def test_nothing_to_import_says_so(controller, tmp_path):
    assert not controller.start([tmp_path])
    assert controller.workbench.prompts.errors == ["No importable files there."]


def test_an_edit_during_an_import_is_refused_with_a_status_line(controller, qtbot, tmp_path):
    folder = _files(tmp_path / "slow", 150)
    workbench = controller.workbench
    lines: list[str] = []
    workbench.status.connect(lines.append)
    with qtbot.waitSignal(controller.finished, timeout=30000):
        controller.start([folder])
        assert workbench.operations.writing == "Importing 152 files"
        edit = workbench.apply("Create category", lambda: workbench.session.codebook.create("X"))
    assert edit is None and workbench.session.codebook.by_name("X") is None
    assert "Not saved: importing 152 files is running; try again when it finishes" in lines
    stack = workbench.undo_stack
    assert [stack.text(i) for i in range(stack.count())] == ["Import 150 documents"]
    stack.undo()
    assert workbench.session.documents.count() == 0
