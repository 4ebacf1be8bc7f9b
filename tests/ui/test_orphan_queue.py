"""The orphan review queue: passages a newer version of their article did not hold and
imported annotations that fit nowhere; choosing one shows where it may belong, Enter places
it on the reader's selection, K keeps it; each an undo step; the queue follows every change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from workstation.domain.records import Annotation
from workstation.importers.base import DocumentDraft
from workstation.services.annotation_import import import_annotations
from workstation.services.documents import document_from_draft
from workstation.services.importing import store_documents
from workstation.ui.queues.orphans_dock import ORPHAN_ROLE, OrphanQueueDock
from workstation.ui.reader.view import ReaderView

URL = "https://example.org/consulates"
LEDE = "Moscow ordered the closure of two American consulates on Friday."
GONE = "The consulate in Yekaterinburg will close its doors on the first of May."
TAIL = "Washington called the step regrettable and said it would answer in kind."
NEW = "A spokesman added that visa services would move to the embassy in Moscow."
FOREIGN_QUOTE = "a sentence from an article this workspace never saw"


def _version(session, tmp_path: Path, name: str, *paragraphs: str):
    """Import one version of the consulates article (same address); returns its id."""
    draft = DocumentDraft(
        title="Consulates to close", text="\n\n".join(paragraphs), origin_name=name, url=URL
    )
    results, changes = store_documents(session, [(tmp_path / name, document_from_draft(draft))])
    return results[0].document_id, changes


def _w3c_line(exact: str, source: str) -> str:
    return json.dumps(
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "urn:uuid:5d0e4f6a-3c53-4a4c-9a39-0d6f3c1f0b11",
            "type": "Annotation",
            "body": [
                {"type": "TextualBody", "purpose": "tagging", "value": "Statement"},
                {"type": "TextualBody", "purpose": "commenting", "value": "from a colleague"},
            ],
            "target": {"source": source, "selector": {"type": "TextQuoteSelector", "exact": exact}},
        }
    )


class Scene:
    """A workspace with one orphan of each kind, set up through the workbench."""

    def __init__(self, workbench, tmp_path: Path):
        session = workbench.session
        self.v1, changes = _version(session, tmp_path, "v1.txt", LEDE, GONE, TAIL)
        workbench.apply("import v1", lambda: changes)
        body = session.documents.get(self.v1).body
        start = body.index(GONE)
        self.passage = workbench.apply(
            "mark", lambda: session.annotations.create(self.v1, start, start + len(GONE))
        ).record
        self.v2, changes = _version(session, tmp_path, "v2.txt", LEDE, TAIL, NEW)
        workbench.apply("import v2", lambda: changes)
        lines = tmp_path / "colleague.jsonl"
        lines.write_text(_w3c_line(FOREIGN_QUOTE, "https://nowhere.example/x") + "\n")
        report = import_annotations(session, lines)
        assert report.orphans == 1
        workbench.apply("import annotations", lambda: report.changes)
        workbench.undo_stack.clear()


@pytest.fixture
def window(dock_host):
    readers = []

    def make(workbench, parent):
        readers.append(ReaderView(workbench))
        return OrphanQueueDock(workbench, readers[-1], parent)

    win = dock_host(make, size=(1100, 700))
    win.setCentralWidget(readers[0])
    return win


@pytest.fixture
def dock(window) -> OrphanQueueDock:
    return window.dock


@pytest.fixture
def scene(workbench, dock, tmp_path) -> Scene:
    return Scene(workbench, tmp_path)


def rows(dock) -> list[tuple[str, str]]:
    return [(row.kind, row.exact) for row in dock.model.rows]


def choose(qtbot, dock, kind: str) -> None:
    """Click the first orphan of ``kind`` in the queue, as the officer would."""
    row = next(i for i, r in enumerate(dock.model.rows) if r.kind == kind)
    rect = dock.view.visualRect(dock.model.index(row))
    qtbot.mouseClick(dock.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dock.current() == dock.model.rows[row]


def press(qtbot, dock, key) -> None:
    dock.view.setFocus()
    qtbot.keyClick(dock.view, key)


def test_the_queue_lists_both_kinds_with_the_count_in_the_title(dock, scene, qtmodeltester):
    assert sorted(rows(dock)) == [("import", FOREIGN_QUOTE), ("passage", GONE)]
    assert dock.windowTitle() == "Orphans (2)"
    assert dock.summary.text().startswith("2 waiting")
    texts = {r.kind: dock.model.index(i).data() for i, r in enumerate(dock.model.rows)}
    assert texts["passage"] == (f"“{GONE}”\n«Consulates to close»: not found in the newer version")
    assert texts["import"].startswith(f"“{FOREIGN_QUOTE}”\nImported: no document here")
    qtmodeltester.check(dock.model, force_py=True)


def test_an_empty_queue_says_so_and_disables_its_commands(dock, window):
    assert dock.model.rowCount() == 0 and dock.windowTitle() == "Orphans"
    assert "Nothing waits here" in dock.summary.text()
    assert not dock.buttons["place"].isEnabled()
    assert not window.registry["actionPlaceOrphan"].isEnabled()


def test_choosing_a_passage_opens_the_newest_version(dock, scene, workbench, qtbot):
    choose(qtbot, dock, "passage")
    assert dock.reader.document_id == scene.v2
    assert dock.reader.selection_span() is None  # the quote is not in the newer text


def test_a_quote_found_again_in_a_later_version_is_selected_for_confirmation(
    dock, scene, workbench, tmp_path, qtbot
):
    v3, changes = _version(workbench.session, tmp_path, "v3.txt", LEDE, GONE, TAIL, NEW)
    workbench.apply("import v3", lambda: changes)
    assert ("passage", GONE) in rows(dock)  # still on the first version, waiting
    choose(qtbot, dock, "import")
    choose(qtbot, dock, "passage")
    reader = dock.reader
    assert reader.document_id == v3
    start, end = reader.selection_span()
    assert reader.body[start:end] == GONE
    press(qtbot, dock, Qt.Key.Key_Return)  # the officer confirms
    placed = workbench.session.annotations.get(scene.passage.id)
    assert (placed.document_id, placed.start, placed.end, placed.orphan) == (v3, start, end, False)


def test_enter_places_on_the_selection_and_undo_restores(dock, scene, workbench, qtbot):
    session = workbench.session
    choose(qtbot, dock, "passage")
    body = dock.reader.body
    start = body.index(NEW)
    dock.reader.select_range(start, start + len(NEW))
    press(qtbot, dock, Qt.Key.Key_Return)
    moved = session.annotations.get(scene.passage.id)
    assert (moved.document_id, moved.start, moved.end) == (scene.v2, start, start + len(NEW))
    assert moved.exact == NEW and not moved.orphan
    assert rows(dock) == [("import", FOREIGN_QUOTE)]
    assert dock.windowTitle() == "Orphans (1)"
    assert workbench.undo_stack.count() == 1
    assert workbench.undo_stack.undoText() == f"Place “{GONE[:39]}…”"
    workbench.undo_stack.undo()
    back = session.annotations.get(scene.passage.id)
    assert (back.document_id, back.exact, back.orphan) == (scene.v1, GONE, True)
    assert ("passage", GONE) in rows(dock)
    workbench.undo_stack.redo()
    assert session.annotations.get(scene.passage.id).document_id == scene.v2
    assert len(rows(dock)) == 1


def test_an_imported_orphan_becomes_a_passage_where_it_is_placed(dock, scene, workbench, qtbot):
    session = workbench.session
    documents = session.documents.list_documents()
    biden = next(r.id for r in documents if r.title.startswith("Biden imposes"))
    statuses = []
    workbench.status.connect(statuses.append)
    choose(qtbot, dock, "import")
    assert "No document here" in statuses[-1]
    workbench.open_document(biden)
    body = dock.reader.body
    start = body.index("Russia assures reciprocity")
    dock.reader.select_range(start, start + len("Russia assures reciprocity"))
    before = {a.id for a in session.annotations.for_document(biden)}
    dock.buttons["place"].click()
    [new_id] = {a.id for a in session.annotations.for_document(biden)} - before
    passage: Annotation = session.annotations.get(new_id)
    assert passage.exact == "Russia assures reciprocity"
    assert passage.note == "from a colleague"
    assert passage.category_id == session.codebook.by_name("Statement").id
    assert rows(dock) == [("passage", GONE)]
    workbench.undo_stack.undo()
    assert session.annotations.find(new_id) is None
    assert ("import", FOREIGN_QUOTE) in rows(dock)


def test_k_keeps_it_where_it_is_and_undo_brings_it_back(dock, scene, workbench, qtbot):
    choose(qtbot, dock, "passage")
    press(qtbot, dock, Qt.Key.Key_K)
    kept = workbench.session.annotations.get(scene.passage.id)
    assert (kept.document_id, kept.orphan) == (scene.v1, False)
    assert rows(dock) == [("import", FOREIGN_QUOTE)]
    assert workbench.undo_stack.undoText().startswith("Keep “")
    press(qtbot, dock, Qt.Key.Key_K)  # the import, now current
    assert rows(dock) == [] and dock.windowTitle() == "Orphans"
    workbench.undo_stack.undo()
    workbench.undo_stack.undo()
    assert sorted(rows(dock)) == [("import", FOREIGN_QUOTE), ("passage", GONE)]


def test_placing_without_a_selection_changes_nothing_and_says_why(dock, scene, workbench, qtbot):
    statuses = []
    workbench.status.connect(statuses.append)
    choose(qtbot, dock, "passage")
    assert not dock.place()
    assert "Select the text" in statuses[-1]
    assert workbench.undo_stack.count() == 0 and len(rows(dock)) == 2


def test_edits_elsewhere_keep_the_current_orphan_and_the_reader_still(
    dock, scene, workbench, qtbot
):
    choose(qtbot, dock, "passage")
    current = dock.current()
    reader = dock.reader
    start = reader.body.index(NEW)
    reader.select_range(start, start + 10)
    workbench.apply(
        "mark", lambda: workbench.session.annotations.create(scene.v2, start, start + 10)
    )
    assert dock.current() == current
    assert tuple(reader.selection_span()) == (start, start + 10)


def test_actions_are_registered_with_keys_that_act_only_in_the_queue(window, dock, scene):
    for name, keys in (("actionPlaceOrphan", ["Return"]), ("actionKeepOrphan", ["K"])):
        action = window.registry[name]
        assert [k.toString() for k in action.shortcuts()] == keys
        assert action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut
        assert action.isEnabled()
    assert window.registry.scope("actionKeepOrphan") is dock.view  # the keys act in the list
    current = dock.current()
    window.registry["actionKeepOrphan"].trigger()
    assert current not in dock.model.rows
    assert dock.model.index(0).data(ORPHAN_ROLE) == dock.current()


def test_the_main_window_tabs_the_queue_with_the_suggestions(page, qtbot, tmp_path):
    window = page.window
    dock = window.orphans
    assert window.findChild(OrphanQueueDock, "orphanDock") is dock
    assert dock in window.tabifiedDockWidgets(window.suggestions)
    view_menu = window.findChild(type(window.menuBar().actions()[0].menu()), "menuView")
    assert "actionShowOrphans" in [a.objectName() for a in view_menu.actions()]
    scene = Scene(window.workbench, tmp_path)
    dock.focus_queue()
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    choose(qtbot, dock, "import")
    choose(qtbot, dock, "passage")
    assert window.reader.document_id == scene.v2
    assert dock.windowTitle() == "Orphans (2)"
