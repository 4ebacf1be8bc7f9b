"""File → Export… (written off the GUI thread, every format) and File → Import annotations…
(one undo step, problems reported by line), through the real actions and dialogs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from workstation.domain.records import Annotation, Document
from workstation.importers.base import DocumentDraft
from workstation.interchange import validate_w3c, write_w3c
from workstation.interchange.csv_table import CSV_COLUMNS
from workstation.services.exporting import FORMATS, gather
from workstation.ui.exchange.commands import InterchangeCommands
from workstation.ui.exchange.export_dialog import FORMAT_INFO, ExportDialog
from workstation.ui.shell.actions import ActionRegistry
from workstation.ui.shell.workbench import Workbench

# -- export ---------------------------------------------------------------------------------


@pytest.fixture
def statuses(main_window) -> list[str]:
    seen: list[str] = []
    main_window.workbench.status.connect(seen.append)
    return seen


def open_export(page) -> ExportDialog:
    page.trigger("actionExport")
    dialog = page.window.interchange.export_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    return dialog


def run_export(qtbot, dialog: ExportDialog, fmt: str, out: Path, episode: str | None = None):
    dialog.set_format(fmt)
    dialog.set_episode(episode)
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.runner.finished, timeout=30000) as finished:
        dialog.ok_button.click()
    assert not dialog.isVisible()
    return finished.args[0]


def check_w3c(out: Path, passages: int) -> None:
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == passages
    assert all(validate_w3c(item) == [] for item in lines)


def check_brat(out: Path, passages: int) -> None:
    texts, anns = sorted(out.glob("*.txt")), sorted(out.glob("*.ann"))
    assert len(texts) == len(anns) == 2
    spans = [line for ann in anns for line in ann.read_text(encoding="utf-8").splitlines()]
    assert sum(line.startswith("T") for line in spans) == passages


def check_ftm(out: Path, passages: int) -> None:
    schemata = {json.loads(line)["schema"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert {"Person", "Article"} <= schemata


def check_csv(out: Path, passages: int) -> None:
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) - 1 == passages


CHECKS = {"w3c": check_w3c, "brat": check_brat, "ftm": check_ftm, "csv": check_csv}


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_writes_each_format_off_the_gui_thread(page, qtbot, tmp_path, statuses, fmt):
    dialog = open_export(page)
    passages = len(gather(page.session).annotations)
    assert passages > 20
    out = tmp_path / f"out-{fmt}"
    summary = run_export(qtbot, dialog, fmt, out)
    assert summary.format == fmt and summary.path == out and summary.passages == passages
    CHECKS[fmt](out, passages)
    assert statuses[0] == "Exporting…"
    assert statuses[-1] == "E" + summary.describe()[1:]
    assert str(out) in statuses[-1]
    assert page.prompts.errors == []
    assert not out.with_name(out.name + ".partial").exists()


def test_export_of_one_episode_holds_only_what_it_rests_on(page, qtbot, tmp_path):
    episode = page.session.episodes.list_episodes()[0]
    dialog = open_export(page)
    assert dialog.episode_combo.itemText(0) == "Whole workspace"
    assert dialog.episode_combo.findText(episode.title) == 1
    summary = run_export(qtbot, dialog, "csv", tmp_path / "episode.csv", episode.id)
    expected = len(gather(page.session, episode).annotations)
    assert summary.passages == expected < len(gather(page.session).annotations)
    check_csv(tmp_path / "episode.csv", expected)


def test_export_gathers_off_the_gui_thread_and_holds_the_latest_edit(
    page, qtbot, tmp_path, monkeypatch
):
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication

    from workstation.services import exporting

    threads = []

    def recording_gather(session, episode=None):
        threads.append(QThread.currentThread())
        return gather(session, episode)

    monkeypatch.setattr(exporting, "gather", recording_gather)  # session.exchange.gather's
    first = page.session.documents.list_documents()[0]
    passage = page.session.annotations.for_document(first.id)[0]
    note = "Edited a moment before the export"
    page.workbench.apply("note", lambda: page.session.annotations.edit(passage.id, note=note))
    summary = run_export(qtbot, open_export(page), "csv", tmp_path / "latest.csv")
    assert summary.passages == len(gather(page.session).annotations)
    assert threads and threads[0] is not QApplication.instance().thread()
    assert note in (tmp_path / "latest.csv").read_text(encoding="utf-8-sig")


def test_a_failed_export_is_one_error_line_and_leaves_no_file(page, qtbot, tmp_path, statuses):
    dialog = open_export(page)
    message = run_export(qtbot, dialog, "w3c", tmp_path / "missing" / "out.jsonl")
    assert page.prompts.errors == [f"Export failed: {message}"]
    assert "\n" not in message
    assert "no such folder" in page.prompts.errors[0]
    assert statuses[-1] == "Export failed"
    assert not (tmp_path / "missing").exists()


def test_the_path_follows_the_format_until_the_officer_types_one(page, tmp_path):
    dialog = open_export(page)
    stem = page.session.path.stem
    for fmt in FORMATS:
        dialog.set_format(fmt)
        assert Path(dialog.path_edit.text()).name == f"{stem}-{fmt}{FORMAT_INFO[fmt][2]}"
        assert dialog.description.text() == FORMAT_INFO[fmt][1]
    dialog.path_edit.setText(str(tmp_path / "mine.csv"))
    dialog.set_format("w3c")
    assert dialog.path_edit.text() == str(tmp_path / "mine.csv")
    dialog.path_edit.clear()
    assert not dialog.ok_button.isEnabled()


def test_browse_asks_for_a_file_or_for_brat_a_folder(page, tmp_path):
    dialog = open_export(page)
    dialog.set_format("csv")
    page.prompts.answers.append(str(tmp_path / "chosen.csv"))
    dialog.browse_button.click()
    assert dialog.path_edit.text() == str(tmp_path / "chosen.csv")
    dialog.set_format("brat")
    empty = tmp_path / "empty"
    empty.mkdir()
    page.prompts.will_answer("choose_folder", str(empty), str(tmp_path))
    dialog.browse_button.click()
    assert dialog.path_edit.text() == str(empty)
    dialog.browse_button.click()  # not empty: a new folder inside it
    assert dialog.path_edit.text() == str(tmp_path / f"{page.session.path.stem}-brat")
    page.prompts.will_answer("choose_folder", None)
    dialog.browse_button.click()  # cancelled: unchanged
    assert dialog.path_edit.text() == str(tmp_path / f"{page.session.path.stem}-brat")


def test_the_file_menu_places_the_new_commands_after_the_imports(main_window):
    file_menu = main_window.findChild(QMenu, "menuFile")
    names = [a.objectName() or "-" for a in file_menu.actions()]
    imports = names.index("actionResumeImport")
    assert names[imports + 1 : imports + 7] == [
        "-",
        "actionExport",
        "actionImportAnnotations",
        "actionImportBrat",
        "actionMergeWorkspace",
        "actionReviewMerge",
    ]
    export = main_window.registry["actionExport"]
    assert export.shortcut().toString() == "Ctrl+Shift+X"
    taken = [
        key.toString()
        for action in main_window.registry.all()
        if action is not export
        for key in action.shortcuts()
    ]
    assert "Ctrl+Shift+X" not in taken


# -- import annotations ---------------------------------------------------------------------


@pytest.fixture
def colleague(qtbot, session, prompts):
    """A workspace holding the sample's texts (new ids), no passages, with the commands."""
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QWidget())
    window.workbench = Workbench(session, prompts)
    window.registry = ActionRegistry(window)
    window.commands = InterchangeCommands(window.workbench, window)
    window.commands.register_actions(window.registry)
    yield window
    window.workbench.operations.shutdown()


def trigger_and_wait(qtbot, window, name: str) -> None:
    """Trigger a command and wait for the operation it starts (if any) to finish."""
    window.registry[name].trigger()
    qtbot.waitUntil(lambda: window.workbench.operations.busy is None, timeout=30000)


@pytest.fixture
def sample_w3c(sample_session, session, tmp_path) -> Path:
    """The sample's passages as W3C JSON Lines, and its texts copied into ``session``."""
    for document in sample_session.workspace.records.where(Document):
        session.documents.add(
            DocumentDraft(title=document.title, text=document.body, origin_name="copy.txt")
        )
    out = tmp_path / "passages.jsonl"
    write_w3c(gather(sample_session), out)
    return out


def passages(session) -> list[Annotation]:
    return [
        a
        for d in session.documents.list_documents()
        for a in session.annotations.for_document(d.id)
    ]


def test_imported_annotations_appear_and_one_undo_removes_them_all(
    qtbot, colleague, sample_w3c, sample_session, session, prompts
):
    expected = len(gather(sample_session).annotations)
    changed, statuses = [], []
    workbench = colleague.workbench
    workbench.changed.connect(changed.append)
    workbench.status.connect(statuses.append)
    prompts.will_answer("open_file", str(sample_w3c))
    trigger_and_wait(qtbot, colleague, "actionImportAnnotations")
    assert len(passages(session)) == expected
    assert statuses[-1].startswith(
        f"passages.jsonl: {expected} passages imported, 0 already present, "
        "0 kept as orphans for review, "
    )
    assert prompts.infos == [] and prompts.errors == []
    assert len(changed) == 1  # the views refresh once, from the one step
    stack = workbench.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Import annotations from passages.jsonl"
    stack.undo()
    assert passages(session) == []
    stack.redo()
    assert len(passages(session)) == expected


def test_a_malformed_line_is_reported_by_number_and_the_rest_imported(
    qtbot, colleague, sample_w3c, session, prompts, tmp_path
):
    good = sample_w3c.read_text(encoding="utf-8").splitlines()
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([good[0], "{not json", good[1]]) + "\n", encoding="utf-8")
    prompts.will_answer("open_file", str(mixed))
    trigger_and_wait(qtbot, colleague, "actionImportAnnotations")
    assert len(passages(session)) == 2
    assert len(prompts.infos) == 1
    assert prompts.infos[0].startswith("mixed.jsonl: 2 passages imported, 0 already present")
    assert "line 2:" in prompts.details[0] and "line 1:" not in prompts.details[0]
    assert colleague.workbench.undo_stack.count() == 1


def test_orphans_are_announced_with_where_they_wait(qtbot, colleague, session, prompts, tmp_path):
    lost = tmp_path / "lost.jsonl"
    lost.write_text(
        json.dumps(
            {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "type": "Annotation",
                "target": {
                    "source": "https://nowhere.example/a",
                    "selector": {"type": "TextQuoteSelector", "exact": "nowhere to be found"},
                },
            }
        )
        + "\n",
        encoding="utf-8",
    )
    prompts.will_answer("open_file", str(lost))
    trigger_and_wait(qtbot, colleague, "actionImportAnnotations")
    assert [row.exact for row in session.orphans.open()] == ["nowhere to be found"]
    assert "1 kept as orphans" in prompts.infos[0]
    assert "wait in the Orphans queue" in prompts.details[0]


def test_an_unreadable_file_is_one_error_and_no_undo_step(qtbot, colleague, prompts, tmp_path):
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\x00\x01\x02 not text")
    prompts.will_answer("open_file", str(binary))
    trigger_and_wait(qtbot, colleague, "actionImportAnnotations")
    assert len(prompts.errors) == 1 and "binary" in prompts.errors[0]
    assert colleague.workbench.undo_stack.count() == 0


def test_cancelling_the_file_question_does_nothing(qtbot, colleague, prompts):
    trigger_and_wait(qtbot, colleague, "actionImportAnnotations")
    assert prompts.errors == [] and colleague.workbench.undo_stack.count() == 0
    assert ("open_file", "Import annotations") in prompts.asked


def test_cancelling_an_annotation_import_keeps_whole_chunks_as_one_undo_step(
    page, qtbot, tmp_path, monkeypatch
):
    import json
    import threading

    from PySide6.QtWidgets import QPushButton

    from workstation.domain.records import Annotation
    from workstation.services.annotation_import import CHUNK

    document = page.session.documents.get(page.session.documents.list_documents()[0].id)
    before = len(list(page.session.workspace.records.where(Annotation)))
    lines = []
    for i in range(CHUNK + 20):  # distinct two-character spans: none is already a passage
        start = i % (len(document.body) - 2)
        target = {"source": f"urn:uuid:{document.id}", "selector": [
            {"type": "TextQuoteSelector", "exact": document.body[start : start + 2]},
            {"type": "TextPositionSelector", "start": start, "end": start + 2}]}  # fmt: skip
        lines.append(json.dumps({"type": "Annotation", "target": target}))
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    from workstation.services import annotation_import

    gate, real = threading.Event(), annotation_import.import_annotations

    def import_when_released(*args, **kwargs):
        gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(annotation_import, "import_annotations", import_when_released)
    with qtbot.waitSignal(page.workbench.operations.finished, timeout=30000):
        assert page.window.interchange.import_annotations_from(path)
        page.window.findChild(QPushButton, "operationCancel").click()
        gate.set()  # heard at the first chunk's progress step
    report = page.window.interchange.last_import
    assert report is not None and report.cancelled
    now = len(list(page.session.workspace.records.where(Annotation)))
    assert now - before == report.placed + report.reanchored <= CHUNK
    page.workbench.undo_stack.undo()
    assert len(list(page.session.workspace.records.where(Annotation))) == before
