"""The merge review's Agreement tab: κ and α between Alice's coding as it stood before the
merge and Bob's, and the spans they coded differently, each opened in the reader by
double-click or Enter.

Alice works in the main window on a copy of the sample; Bob recodes, removes and adds
passages in his own copy of the same starting point; Alice merges Bob's."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from workstation.services import open_session
from workstation.services.maintenance import backup
from workstation.ui.exchange.agreement_section import DISAGREEMENT_ROLE


@pytest.fixture
def bob(page, sample_path: Path, tmp_path: Path) -> dict:
    theirs = backup(sample_path, tmp_path / "bob.sqlite")
    with open_session(theirs, author="bob") as session:
        categories = {c.name: c.id for c in session.codebook.list_categories()}
        document = session.documents.list_documents()[0]
        passages = session.annotations.for_document(document.id)
        sanction = next(p for p in passages if p.category_id == categories["Sanction"])
        session.annotations.edit(sanction.id, category_id=categories["Statement"])
        statement = next(p for p in passages if p.category_id == categories["Statement"])
        session.annotations.delete(statement.id)
    return {"path": theirs, "document": document, "recoded": sanction, "deleted": statement}


def merged_review(page, theirs: Path):
    page.prompts.will_answer("open_file", str(theirs))
    page.trigger("actionMergeWorkspace")
    page.qtbot.waitUntil(lambda: page.workbench.operations.busy is None, timeout=30000)
    commands = page.window.interchange
    # No conflict, no look-alike: the review is opened from the last merge.
    return commands.merge_review or commands.show_review(commands.last_merge)


def figures_by_name(dialog) -> dict[str, list[str]]:
    model = dialog.agreement.figures
    return {
        model.index(r, 0).data(): [model.index(r, c).data() for c in range(1, 5)]
        for r in range(model.rowCount())
    }


def test_agreement_tab_compares_our_coding_before_the_merge(page, bob, qtmodeltester):
    dialog = merged_review(page, bob["path"])
    # The merge brought Bob's versions in: ours now equals his, yet the tab compares the
    # coding Alice had before it.
    session = page.session
    assert session.annotations.find(bob["deleted"].id) is None
    assert not dialog.agreement.computed  # nothing read until the tab is shown
    dialog.tabs.setCurrentWidget(dialog.agreement)
    assert dialog.agreement.computed and dialog.agreement.isVisible()
    qtmodeltester.check(dialog.agreement.figures)
    qtmodeltester.check(dialog.agreement.disagreements)
    rows = figures_by_name(dialog)
    assert rows["Sanction"][:2] == ["11", "10"] and rows["Statement"][:2] == ["5", "5"]
    assert rows["Accusation"][2:] == ["1.000", "1.000"]
    assert float(rows["Sanction"][2]) < 1 and float(rows["Overall"][3]) < 1
    overall = dialog.agreement.figures.index(dialog.agreement.figures.rowCount() - 1, 0)
    assert overall.data(Qt.ItemDataRole.FontRole).bold()
    listed = dialog.agreement.disagreements
    assert listed.rowCount() == 2
    found = {
        (listed.index(r, 2).data(), listed.index(r, 3).data()) for r in range(listed.rowCount())
    }
    assert found == {("Sanction", "Statement"), ("Statement", "—")}
    assert "2 spans coded differently" in dialog.agreement.list_label.text()
    page.qtbot.waitUntil(lambda: dialog.height() >= 620)
    page.qtbot.wait(50)  # the layout settles at the new height
    assert (
        dialog.agreement.list_label.geometry().top() >= dialog.agreement.table.geometry().bottom()
    )
    dialog.agreement.grab().save("/tmp/agreement.png")


def test_double_click_and_enter_open_the_span_in_the_reader(page, bob):
    dialog = merged_review(page, bob["path"])
    dialog.tabs.setCurrentWidget(dialog.agreement)
    view = dialog.agreement.list
    reader = page.window.reader
    for row in range(view.model().rowCount()):
        index = view.model().index(row, 0)
        wanted = index.data(DISAGREEMENT_ROLE)
        page.workbench.open_document(
            next(
                d.id for d in page.session.documents.list_documents() if d.id != wanted.document_id
            )
        )
        rect = view.visualRect(index)
        page.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        page.qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert reader.document_id == wanted.document_id
        assert (reader.flashing.start, reader.flashing.end) == (wanted.start, wanted.end)
    reader.end_flash()
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    wanted = view.model().index(0, 0).data(DISAGREEMENT_ROLE)
    page.qtbot.keyClick(view, Qt.Key.Key_Return)
    assert reader.flashing is not None
    assert (reader.flashing.start, reader.flashing.end) == (wanted.start, wanted.end)


def test_the_same_figures_after_the_merge_is_undone(page, bob):
    dialog = merged_review(page, bob["path"])
    dialog.tabs.setCurrentWidget(dialog.agreement)
    before = figures_by_name(dialog)
    page.workbench.undo_stack.undo()
    assert not dialog.merge_in_force
    dialog.agreement.again.click()
    assert figures_by_name(dialog) == before


def test_a_file_gone_since_the_merge_says_so(page, bob):
    dialog = merged_review(page, bob["path"])
    bob["path"].unlink()
    dialog.tabs.setCurrentWidget(dialog.agreement)
    assert dialog.agreement.figures.rowCount() == 0
    assert dialog.agreement.summary.text().startswith("No agreement figures: no such workspace")


def test_a_clean_merge_can_still_be_reviewed_for_agreement(main_window, qtbot, tmp_path):
    """No conflict opens the review by itself: File → Review last merge does, its Agreement
    tab included."""
    import shutil

    commands = main_window.interchange
    action = main_window.registry["actionReviewMerge"]
    action.trigger()  # before any merge: a status line, no dialog
    assert commands.merge_review is None
    other = tmp_path / "colleague.sqlite"
    shutil.copy(main_window.session.path, other)
    assert commands.merge_from(other)
    qtbot.waitUntil(lambda: commands.last_merge is not None, timeout=20000)
    action.trigger()
    dialog = commands.merge_review
    assert dialog is not None and dialog.isVisible()
    assert dialog.tabs.tabText(dialog.tabs.count() - 1).replace("&", "") == "Agreement"
    dialog.close()
