"""File → Import annotations takes every format the command line takes (REFI-QDA projects
and codebooks, brat files) and File → Import a brat collection takes a folder; each runs as
one operation and one undo step."""

from __future__ import annotations

from pathlib import Path


def _import(page, method: str, answer: Path, action: str):
    commands = page.window.interchange
    page.prompts.will_answer(method, str(answer))
    page.trigger(action)
    page.qtbot.waitUntil(lambda: page.workbench.operations.busy is None, timeout=30000)
    return commands.last_import


def test_a_qdpx_project_and_a_qdc_codebook_import_from_the_menu(page, tmp_path):
    from workstation.services import refi_qda

    session = page.window.session
    project, codebook = tmp_path / "ours.qdpx", tmp_path / "ours.qdc"
    refi_qda.export_project(session, project)
    refi_qda.export_codebook(session, codebook)
    count = "SELECT count(*) FROM annotations WHERE deleted_at IS NULL"
    passages = session.workspace.conn.execute(count).fetchone()[0]
    report = _import(page, "open_file", project, "actionImportAnnotations")
    assert report is not None and report.format == "refi-qda" and not report.errors
    report = _import(page, "open_file", codebook, "actionImportAnnotations")
    assert report is not None and not report.errors
    # Our own project again: recognised, nothing doubled.
    assert session.workspace.conn.execute(count).fetchone()[0] == passages


def test_a_brat_collection_imports_from_its_own_menu_entry(page, tmp_path):
    session = page.window.session
    folder = tmp_path / "brat"
    session.exchange.export("brat", folder)
    report = _import(page, "choose_folder", folder, "actionImportBrat")
    assert report is not None and report.format == "brat" and not report.errors
    assert page.workbench.undo_stack.count() >= 1
