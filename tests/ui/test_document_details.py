"""Document details in the main window: a .txt import's proposed details shown as such in
the library, edited in the details dialog (F2, double-click, context menu, the reader's
"Details…"), validated field by field, saved as one undo step; and the published date then
used by the event form's "Propose date"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QWidget

from workstation.services.importing import import_files
from workstation.ui.library.details_dialog import DocumentDetailsDialog

SHOTS = Path(os.environ.get("DETAILS_SHOTS", "/tmp"))
ARTICLE = (
    "Russia said on Thursday it would expel ten US diplomats in retaliation for new US "
    "sanctions, the Foreign Ministry announced.\n\n"
    "Deputy minister Sergei Ryabkov said Moscow had warned Washington in advance.\n"
)
QUOTE = "said on Thursday it would expel ten US diplomats"


@pytest.fixture
def imported(page, tmp_path):
    """A .txt article imported as an officer does it: no headline, no dateline, so its
    title is the file name, proposed; one passage marked. Returns (document id, passage id)."""
    path = tmp_path / "russia_retaliates.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    session = page.session
    results, changes = import_files(session, [path])
    page.workbench.record_step("Import", changes)
    document_id = results[0].document_id
    start = ARTICLE.index(QUOTE)
    passage = session.annotations.create(document_id, start, start + len(QUOTE)).record
    page.window.library.refresh()
    page.open_document("russia_retaliates")
    yield document_id, passage.id
    details = page.window.library.details
    if details is not None:
        details.close()
    if page.window.timeline.form is not None:
        page.window.timeline.form.close()


def library_row(page, document_id: str) -> int:
    row = page.window.library.model.row_of(document_id)
    assert row is not None
    return row


def cell(page, document_id: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    model = page.window.library.model
    return model.index(library_row(page, document_id), column).data(role)


def is_proposed(page, document_id: str, column: int) -> bool:
    font = cell(page, document_id, column, Qt.ItemDataRole.FontRole)
    tip = cell(page, document_id, column, Qt.ItemDataRole.ToolTipRole) or ""
    return bool(font is not None and font.italic() and "Proposed" in tip)


def open_with_f2(page, qtbot, document_id: str) -> DocumentDetailsDialog:
    library = page.window.library
    view = library.view
    view.setFocus()
    view.setCurrentIndex(library.model.index(library_row(page, document_id), 0))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: library.details is not None and library.details.isVisible())
    dialog = library.details
    assert dialog.document_id == document_id
    return dialog


def propose(page, passage_id: str):
    page.workbench.select_passage(passage_id)
    page.trigger("actionNewEvent")
    form = page.window.timeline.form
    assert form is not None and form.isVisible()
    found = form.propose_date()
    return form, found


def test_edit_the_date_and_propose_date_uses_it_then_undo(page, qtbot, imported):
    document_id, passage_id = imported
    session = page.session

    # Before: the title is the file name, shown as a proposal; no date to place "Thursday".
    assert cell(page, document_id, 0) == "russia_retaliates"
    assert is_proposed(page, document_id, 0)
    form, found = propose(page, passage_id)
    assert not found and "published date" in form.proposal.text()
    form.close()

    dialog = open_with_f2(page, qtbot, document_id)
    assert dialog.title_edit.font().italic() and "title" in dialog.proposed_note.text()
    steps = page.workbench.undo_stack.count()

    # Wrong values: every fault on a line of its own, nothing saved, the dialog stays.
    dialog.url.setText("ftp://tass.com/x")
    dialog.day.setText("the day before")
    dialog.language.setEditText("Klingonese")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible() and dialog.errors.isVisible()
    lines = dialog.errors.text().splitlines()
    assert len(lines) == 3, lines
    assert "the day before" in lines[0] and "http or https" in lines[1] and "Klingonese" in lines[2]
    assert page.workbench.undo_stack.count() == steps
    assert page.prompts.errors == []  # said in the dialog, not in a message box

    dialog.title_edit.setText("Russia retaliates against US sanctions")
    dialog.outlet.setText("TASS")
    dialog.url.setText("https://tass.com/politics/1279419")
    dialog.day.setText("16 April 2021")
    dialog.time.setText("14:30")
    dialog.zone.setCurrentIndex(dialog.zone.findData("+03:00"))
    dialog.place.setText("Moscow")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.reliability.setCurrentIndex(dialog.reliability.findData("B"))
    dialog.credibility.setCurrentIndex(dialog.credibility.findData("2"))
    assert dialog.save()
    assert not dialog.isVisible()
    assert page.workbench.undo_stack.count() == steps + 1  # one undo step

    saved = session.documents.get(document_id)
    assert (saved.title, saved.outlet, saved.published) == (
        "Russia retaliates against US sanctions",
        "TASS",
        "2021-04-16T14:30+03:00",
    )
    assert (saved.language, saved.reliability, saved.credibility) == ("en", "B", "2")
    assert saved.proposed == []
    # The library shows the confirmed values plainly, and the reader's header has them.
    assert cell(page, document_id, 0) == "Russia retaliates against US sanctions"
    assert cell(page, document_id, 2) == "2021-04-16"
    assert not is_proposed(page, document_id, 0)
    assert "TASS · 16 Apr 2021 14:30 UTC+03:00" in page.window.reader.details_label.text()

    # Propose date now reads "on Thursday" relative to Friday 16 April 2021.
    form, found = propose(page, passage_id)
    assert found
    assert form.date.date().toString("yyyy-MM-dd") == "2021-04-15"
    assert "Russia retaliates against US sanctions" in form.proposal.text()
    form.close()

    # Undo restores every old value, the proposal mark included.
    page.undo()
    back = session.documents.get(document_id)
    assert (back.title, back.outlet, back.published, back.url) == (
        "russia_retaliates",
        None,
        None,
        None,
    )
    assert back.proposed == ["title"]
    assert is_proposed(page, document_id, 0)
    page.redo()
    assert session.documents.get(document_id).published == "2021-04-16T14:30+03:00"


def test_library_shows_proposed_dates_distinctly(page, qtbot, tmp_path):
    path = tmp_path / "expulsions.txt"
    path.write_text(
        "Russia expels ten US diplomats\n\n"
        "MOSCOW, 16 April 2021 — Russia will expel ten US diplomats, the ministry said.\n",
        encoding="utf-8",
    )
    results, changes = import_files(page.session, [path])
    page.workbench.record_step("Import", changes)
    document_id = results[0].document_id
    assert cell(page, document_id, 0) == "Russia expels ten US diplomats"
    assert cell(page, document_id, 2) == "2021-04-16"
    assert is_proposed(page, document_id, 0) and is_proposed(page, document_id, 2)
    assert not is_proposed(page, document_id, 1)  # outlet: nothing proposed
    dialog = open_with_f2(page, qtbot, document_id)
    assert dialog.place.text() == "Moscow" and dialog.day.font().italic()
    assert dialog.save()  # saving unchanged values confirms them
    assert not is_proposed(page, document_id, 0) and not is_proposed(page, document_id, 2)
    assert page.session.documents.get(document_id).published == "2021-04-16"


def test_every_control_is_named(page, qtbot, imported):
    dialog = open_with_f2(page, qtbot, imported[0])
    controls = [
        w
        for w in dialog.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisibleTo(dialog)
    ]
    assert len(controls) >= 12
    for widget in controls:
        assert widget.objectName() and widget.accessibleName(), widget


def test_opened_by_double_click_context_menu_and_the_reader(page, qtbot, imported):
    document_id, _ = imported
    library = page.window.library
    view = library.view
    index = library.model.index(library_row(page, document_id), 1)
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.waitUntil(lambda: library.details is not None and library.details.isVisible())
    assert library.details.document_id == document_id
    assert page.window.reader.document_id == document_id  # the click still opened it
    first = library.details
    assert library.open_details(document_id) is first  # one at a time, raised again
    first.close()

    # The reader's header: "Details…" opens the dialog for the document it shows.
    reader = page.window.reader
    assert "Details…" in reader.details_label.text()
    assert "no outlet" in reader.details_label.text()
    reader.request_details("details")
    qtbot.waitUntil(lambda: library.details is not None and library.details.isVisible())
    assert library.details.document_id == document_id
    library.details.close()

    # The context menu offers the same command.
    library._context_menu(view.visualRect(index).center())
    menu = view.findChild(QMenu, "libraryContextMenu")
    assert menu is not None
    assert page.action("actionDocumentDetails") in menu.actions()
    menu.close()

    # F2 on the Grade cell still edits the grade in place.
    view.setFocus()
    view.setCurrentIndex(library.model.index(library_row(page, document_id), 3))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert view.state() == view.State.EditingState
    assert not library.details.isVisible()


def test_screenshots_of_the_library_and_the_dialog(page, qtbot, imported, tmp_path):
    """/tmp/details_library.png: one confirmed document among proposed ones; and the
    dialog with a proposal and a fault shown."""
    document_id, _ = imported
    window = page.window
    window.resize(1280, 800)
    dialog = open_with_f2(page, qtbot, document_id)
    dialog.grab().save(str(SHOTS / "details_dialog_proposed.png"))
    dialog.url.setText("tass.com")
    dialog.save()
    dialog.grab().save(str(SHOTS / "details_dialog_errors.png"))
    dialog.url.setText("https://tass.com/politics/1279419")
    dialog.title_edit.setText("Russia retaliates against US sanctions")
    dialog.outlet.setText("TASS")
    dialog.day.setText("16 April 2021")
    dialog.reliability.setCurrentIndex(dialog.reliability.findData("B"))
    dialog.credibility.setCurrentIndex(dialog.credibility.findData("2"))
    assert dialog.save()
    other = tmp_path / "expulsions.txt"
    other.write_text(
        "Russia expels ten US diplomats\n\n"
        "MOSCOW, 16 April 2021 — Russia will expel ten US diplomats, the ministry said.\n",
        encoding="utf-8",
    )
    _results, changes = import_files(page.session, [other])
    page.workbench.record_step("Import", changes)
    page.open_document("Russia retaliates against US sanctions")
    qtbot.wait(50)
    window.library.grab().save(str(SHOTS / "details_library.png"))
    window.grab().save(str(SHOTS / "details_window.png"))
