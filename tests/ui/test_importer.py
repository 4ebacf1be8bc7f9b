"""Importing from the GUI: parsed off the GUI thread, stored in chunks, one undo step."""

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
    assert len(changed) >= 3  # stored in chunks, each announced as it lands
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
    assert not controller.running and not controller.progress.isVisible()


def test_nothing_to_import_says_so(controller, tmp_path):
    assert not controller.start([tmp_path])
    assert controller.workbench.prompts.errors == ["No importable files there."]


def test_an_edit_made_during_an_import_undoes_before_the_import(controller, qtbot, tmp_path):
    folder = _files(tmp_path / "slow", 150)
    workbench = controller.workbench
    with qtbot.waitSignal(controller.finished, timeout=30000):
        controller.start([folder])
        qtbot.waitUntil(lambda: workbench.session.documents.count() > 0, timeout=20000)
        workbench.apply("Create category", lambda: workbench.session.codebook.create("Leak"))
    stack = workbench.undo_stack
    assert [stack.text(i) for i in range(stack.count())] == [
        "Import 150 documents",
        "Create category",
    ]
    stack.undo()
    assert workbench.session.codebook.by_name("Leak") is None
    assert workbench.session.documents.count() == 150
    stack.undo()
    assert workbench.session.documents.count() == 0
