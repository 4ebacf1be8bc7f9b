"""An earlier version of an article stays listed and readable, but reads as past: greyed in
the library with a tooltip, and a note in the reader that leads to the newest version."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from workstation.importers.base import DocumentDraft
from workstation.services.documents import document_from_draft
from workstation.services.importing import store_documents

URL = "https://example.org/consulates"
FIRST = "Moscow ordered the closure of two American consulates on Friday."
SECOND = "Washington called the step regrettable and said it would answer in kind."


def import_version(page, tmp_path: Path, name: str, *paragraphs: str) -> str:
    session = page.window.session
    draft = DocumentDraft(
        title="Consulates to close", text="\n\n".join(paragraphs), origin_name=name, url=URL
    )
    results, changes = store_documents(session, [(tmp_path / name, document_from_draft(draft))])
    page.window.workbench.apply(f"Import {name}", lambda: changes)
    return results[0].document_id


def library_row(window, document_id: str) -> int:
    row = window.library.model.row_of(document_id)
    assert row is not None
    return row


def test_an_earlier_version_reads_as_past_and_leads_to_the_newest(page, qtbot, tmp_path):
    window = page.window
    model = window.library.model
    v1 = import_version(page, tmp_path, "v1.txt", FIRST)
    window.workbench.open_document(v1)
    note = window.reader.version_label
    assert not note.isVisibleTo(window)
    title = model.index(library_row(window, v1), 0)
    assert title.data(Qt.ItemDataRole.FontRole) is None

    v2 = import_version(page, tmp_path, "v2.txt", FIRST, SECOND)
    # The reader still shows v1, and now says a newer version exists.
    assert window.reader.document_id == v1
    qtbot.waitUntil(lambda: note.isVisibleTo(window))
    assert "Earlier version" in note.text()
    old = model.index(library_row(window, v1), 0)
    new = model.index(library_row(window, v2), 0)
    assert old.data(Qt.ItemDataRole.FontRole).italic()
    assert "newer version" in old.data(Qt.ItemDataRole.ToolTipRole)
    assert old.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert new.data(Qt.ItemDataRole.FontRole) is None
    assert new.data(Qt.ItemDataRole.ToolTipRole) == "Consulates to close"

    note.linkActivated.emit("newest")  # what clicking the link does
    assert window.reader.document_id == v2
    assert not note.isVisibleTo(window)

    # Undoing the second import makes v1 the newest again: no note, no greying.
    window.workbench.open_document(v1)
    assert note.isVisibleTo(window)
    window.workbench.undo_stack.undo()
    qtbot.waitUntil(lambda: not note.isVisibleTo(window))
    qtbot.waitUntil(
        lambda: model.index(library_row(window, v1), 0).data(Qt.ItemDataRole.FontRole) is None
    )


def test_the_library_model_with_versions_passes_the_model_tester(page, qtmodeltester, tmp_path):
    import_version(page, tmp_path, "v1.txt", FIRST)
    import_version(page, tmp_path, "v2.txt", FIRST, SECOND)
    qtmodeltester.check(page.window.library.model, force_py=True)


def test_the_link_leads_to_the_newest_of_several_versions(page, qtbot, tmp_path):
    window = page.window
    v1 = import_version(page, tmp_path, "v1.txt", FIRST)
    import_version(page, tmp_path, "v2.txt", FIRST, SECOND)
    window.workbench.open_document(v1)
    note = window.reader.version_label
    assert note.isVisibleTo(window)
    # A third version supersedes the second, not the one being read.
    v3 = import_version(page, tmp_path, "v3.txt", FIRST, SECOND, "A third paragraph.")
    note.linkActivated.emit("newest")
    assert window.reader.document_id == v3


def test_search_hits_in_an_earlier_version_are_labelled(page, tmp_path):
    from workstation.ui.search.results import HIT_ROLE, KIND_ROLE

    v1 = import_version(page, tmp_path, "v1.txt", FIRST)
    v2 = import_version(page, tmp_path, "v2.txt", FIRST, SECOND)
    dock = page.window.search
    dock.search("consulates")
    while dock.more_button.isEnabled():
        dock.more_button.click()
    labels = {}
    for row in range(dock.model.rowCount()):
        index = dock.model.index(row, 0)
        hit = index.data(HIT_ROLE)
        if hit.kind == "document" and hit.document_id in (v1, v2):  # the sample has others
            labels[hit.document_id] = index.data(KIND_ROLE)
    assert labels == {v1: "Document · earlier version", v2: "Document"}
    tip = dock.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(dock.model.index(0, 0).data(KIND_ROLE))
    dock.results.grab()  # the delegate paints the longer label without complaint
