"""Issue 17: the note on a whole document, edited in the Document details dialog (plain
text, saved with the other details as one undo step) — where other tools' page notes land
at a W3C import."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from tests.ui.test_document_details import imported, open_with_f2  # noqa: F401 (fixture)
from workstation.services.documents import NOTE_MAX_CHARS

SHOTS = Path(os.environ.get("DETAILS_SHOTS", "/tmp"))
NOTE = "Moscow's answer to the 15 April package.\nCheck against the Treasury notice."


def test_edit_the_note_in_the_details_dialog_save_and_undo(page, qtbot, imported):  # noqa: F811
    document_id, _passage_id = imported
    session = page.session
    dialog = open_with_f2(page, qtbot, document_id)
    note = dialog.findChild(QPlainTextEdit, "detailsNote")
    assert note is dialog.note and note.toPlainText() == ""
    assert note.accessibleName() == "Note on the document"
    steps = page.workbench.undo_stack.count()

    note.setFocus()
    qtbot.keyClicks(note, "Moscow's answer to the 15 April package.")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    qtbot.keyClicks(note, "Check against the Treasury notice.")
    dialog.title_edit.setText("Russia retaliates")
    dialog.resize(640, dialog.sizeHint().height())
    assert dialog.grab().save(str(SHOTS / "details_note.png"))
    assert dialog.save() and not dialog.isVisible()
    assert page.workbench.undo_stack.count() == steps + 1  # title and note: one step
    saved = session.documents.get(document_id)
    assert (saved.title, saved.note) == ("Russia retaliates", NOTE)
    header = page.window.reader.details_label
    assert "· Note ·" in header.text() and "Treasury notice" in header.toolTip()

    # Opened again, the dialog shows the stored note; undo takes title and note back.
    again = open_with_f2(page, qtbot, document_id)
    assert again.note.toPlainText() == NOTE
    page.undo()
    back = session.documents.get(document_id)
    assert (back.title, back.note) == ("russia_retaliates", "")
    assert "· Note ·" not in header.text()
    assert again.note.toPlainText() == ""  # the open dialog follows the undo
    page.redo()
    assert session.documents.get(document_id).note == NOTE
    assert again.note.toPlainText() == NOTE
    again.close()


def test_an_overlong_note_is_named_and_nothing_is_saved(page, qtbot, imported):  # noqa: F811
    document_id, _passage_id = imported
    dialog = open_with_f2(page, qtbot, document_id)
    steps = page.workbench.undo_stack.count()
    dialog.note.setPlainText("x" * (NOTE_MAX_CHARS + 1))
    assert not dialog.save()
    assert dialog.isVisible() and "note is longer" in dialog.errors.text()
    assert dialog.note.hasFocus() or dialog.focusWidget() is dialog.note
    assert page.workbench.undo_stack.count() == steps
    assert page.session.documents.get(document_id).note == ""
    dialog.close()
