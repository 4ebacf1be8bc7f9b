"""The brief composer dock: options, withheld notice, live QtPdf preview, export and cancel."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDockWidget, QWidget

from briefs.build import build_brief
from briefs.compose import BriefError
from tests.helpers.prompts import RecordingPrompts
from workstation.ui.shell.main_window import MainWindow

ISSUED = datetime(2021, 4, 16, 9, 30, tzinfo=UTC)
TIMEOUT = 30_000  # a preview renders in well under a second; CI machines can be slow


def pdf_text(data: bytes) -> str:
    """The PDF's text, whitespace collapsed (page 1's title block wraps where it likes)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


@pytest.fixture
def window(qtbot, sample_session, prompts):
    win = MainWindow(sample_session, prompts=prompts)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()  # stops the composer's worker before the session closes


@pytest.fixture
def composer(window, qtbot):
    """The composer, open, with its first preview on screen."""
    opened = window.open_brief_composer()
    with qtbot.waitSignal(opened.previewUpdated, timeout=TIMEOUT):
        pass
    return opened


def test_compose_action_has_its_shortcut_and_opens_the_dock(window, qtbot):
    action = window.findChild(QAction, "actionComposeBrief")
    assert action is not None
    assert action.shortcut() == QKeySequence("Ctrl+B")
    menus = {a.menu().objectName(): a.menu() for a in window.menuBar().actions() if a.menu()}
    assert action in menus["menuBrief"].actions()
    assert window.findChild(QDockWidget, "briefComposerDock") is None  # built on first use

    action.trigger()
    dock = window.findChild(QDockWidget, "briefComposerDock")
    assert dock is not None and dock.isVisible()
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    with qtbot.waitSignal(window.brief_composer.previewUpdated, timeout=TIMEOUT):
        pass
    action.trigger()
    assert not dock.isVisible()
    action.trigger()
    assert dock.isVisible()


def test_every_composer_control_is_named(composer):
    controls = [
        w
        for w in composer.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisibleTo(composer)
    ]
    controls += [composer.progress_bar, composer.cancel_button]  # they live in the status bar
    assert len(controls) >= 20
    for widget in controls:
        assert widget.objectName() and widget.accessibleName(), widget
    # The byline is the setting (nothing set here), never the workspace's login author.
    assert composer.form.author_edit.text() == "" and composer.form.desk_edit.text() == ""
    assert "(author not set)" in pdf_text(composer.preview_pdf)


def test_changing_marking_and_status_rebuilds_the_preview(composer, qtbot):
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        composer.form.marking_combo.setCurrentText("TLP:RED")
        composer.form.status_combo.setCurrentIndex(composer.form.status_combo.findData("FINAL"))
    document = composer.pdf_document
    assert document.status() == QPdfDocument.Status.Ready
    assert document.pageCount() > 1
    text = pdf_text(composer.preview_pdf)
    assert "TLP:RED" in text and "FINAL" in text
    assert "TLP:AMBER" not in text
    assert composer.preview_brief.marking == "TLP:RED"


def test_quick_changes_are_debounced_into_one_render(composer, qtbot):
    renders = []
    original = composer.renderer.render_function

    def counting(brief):
        renders.append(brief.distribution)
        return original(brief)

    composer.renderer.render_function = counting
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        for text in ("D", "De", "Desk", "Desk heads"):
            composer.form.distribution_edit.setText(text)
    assert renders == ["Desk heads"]


def test_free_text_marking_is_allowed(composer, qtbot):
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        composer.form.marking_combo.setEditText("RESTRICTED — DESK ONLY")
    assert "RESTRICTED — DESK ONLY" in pdf_text(composer.preview_pdf)


def test_unchecking_a_section_removes_its_heading(composer, qtbot):
    heading = "Annex: evidence excerpts"
    assert heading not in pdf_text(composer.preview_pdf)  # standard, the default, has none
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        composer.form.format_combo.setCurrentIndex(composer.form.format_combo.findData("full"))
    assert composer.form.section_boxes["annex"].isChecked()
    assert heading in pdf_text(composer.preview_pdf)
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        composer.form.section_boxes["annex"].setChecked(False)
    assert heading not in pdf_text(composer.preview_pdf)
    assert "annex" not in composer.preview_brief.sections


def test_the_withheld_notice_names_the_internal_passage(composer):
    notices = composer.notices.toPlainText()
    assert "Left out because internal" in notices
    assert "internal passage" in notices
    assert composer.notices.isReadOnly()


def test_preview_is_never_recorded(composer, sample_session):
    episode = sample_session.episodes.list_episodes()[0]
    assert sample_session.episodes.briefs(episode.id) == []


def test_export_writes_records_once_and_never_duplicates(
    composer, qtbot, prompts, tmp_path, monkeypatch
):
    # Issued "now" by default: the same second twice, so both exports are the same brief.
    monkeypatch.setattr("briefs.issue.issue_time", lambda: ISSUED)
    session = composer.session
    episode_id = composer.form.episode_id()
    first, second = tmp_path / "brief.pdf", tmp_path / "again"
    prompts.answers = [str(first), str(second)]
    with qtbot.waitSignal(composer.exportFinished, timeout=TIMEOUT):
        composer.export_button.click()
        assert composer.is_exporting()
        assert composer.export_progress.isVisible()
        assert not composer.export_button.isEnabled()
    assert not composer.export_progress.isVisible()
    assert len(PdfReader(first).pages) > 1
    assert not (tmp_path / "brief.pdf.partial").exists()
    recorded = session.episodes.briefs(episode_id)
    assert len(recorded) == 1
    data = first.read_bytes()
    assert recorded[0].pdf_hash == hashlib.sha256(data).hexdigest()
    # The GUI pipeline makes the very bytes the CLI pipeline does.
    same = build_brief(session, episode_id, composer.form.options(), record=False)
    assert same.pdf == data
    assert recorded[0].options["brief_id"] == same.brief.brief_id

    with qtbot.waitSignal(composer.exportFinished, timeout=TIMEOUT) as done:
        composer.export_button.click()
    assert done.args == [str(tmp_path / "again.pdf")]
    assert (tmp_path / "again.pdf").read_bytes() == data
    assert len(session.episodes.briefs(episode_id)) == 1
    assert "already recorded" in composer.window().statusBar().currentMessage()
    assert prompts.errors == []


def test_cancel_during_export_leaves_no_file(composer, qtbot, prompts, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "cancelled.pdf"
    prompts.answers = [str(target)]
    composer.export_button.click()
    assert composer.is_exporting()
    with qtbot.waitSignal(composer.exportCancelled, timeout=TIMEOUT):
        composer.cancel_button.click()
    assert composer.wait(TIMEOUT)  # the export's worker too: it runs in the operation runner
    qtbot.wait(50)  # let a late result arrive: it must be discarded
    assert not target.exists()
    assert list(out.iterdir()) == []  # no .partial either
    assert composer.session.episodes.briefs(composer.form.episode_id()) == []
    assert composer.export_button.isEnabled() and not composer.export_progress.isVisible()


def test_choosing_no_file_exports_nothing(composer, prompts, qtbot):
    prompts.answers = [None]
    composer.export_button.click()  # composed off the GUI thread, then the question
    qtbot.waitUntil(lambda: not composer.is_exporting(), timeout=TIMEOUT)
    assert prompts.asked and prompts.asked[0][1].endswith(".pdf")


def test_export_errors_are_one_line(composer, qtbot, prompts, tmp_path):
    prompts.answers = [str(tmp_path / "no-such-folder" / "brief.pdf")]
    with qtbot.waitSignal(composer.exportFailed, timeout=TIMEOUT):  # asked once composed
        composer.export_button.click()
    assert len(prompts.errors) == 1 and "No such folder" in prompts.errors[0]

    # A brief always builds (text the fonts lack is transliterated), so a failure while
    # rendering is injected here: its message is one line too.
    composer.renderer.render_function = _failing_render
    prompts.answers = [str(tmp_path / "failed.pdf")]
    with qtbot.waitSignal(composer.exportFailed, timeout=TIMEOUT):
        composer.export_button.click()
    assert len(prompts.errors) == 2
    assert "cannot lay out this page" in prompts.errors[1] and "\n" not in prompts.errors[1]
    assert not (tmp_path / "failed.pdf").exists()


def _failing_render(brief):
    raise BriefError("the brief cannot lay out\nthis page")


def test_a_preview_problem_is_shown_in_the_composer(composer, qtbot, prompts):
    render = composer.renderer.render_function
    composer.renderer.render_function = _failing_render
    with qtbot.waitSignal(composer.previewFailed, timeout=TIMEOUT):
        composer.form.author_edit.setText("Desk 6")
    assert composer.problem.isVisibleTo(composer)
    assert "cannot lay out this page" in composer.problem.text()
    composer.renderer.render_function = render
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        composer.form.author_edit.setText("Desk \ue000")  # no font has it: marked, not refused
    assert not composer.problem.isVisibleTo(composer)
    assert prompts.errors == []  # preview problems never pop up a dialog


def test_closing_the_window_mid_render_stops_the_worker(window, qtbot):
    composer = window.open_brief_composer()
    composer.rebuild_preview()  # a render is now running in the worker
    window.close()
    assert composer.renderer.pending() == 0
    assert composer.renderer.wait(0)


def test_ctrl_b_opens_the_composer(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    dock = window.findChild(QDockWidget, "briefComposerDock")
    assert dock is not None and dock.isVisible()
    with qtbot.waitSignal(window.brief_composer.previewUpdated, timeout=TIMEOUT):
        pass


def test_the_composer_works_outside_the_main_window(qtbot, sample_session, tmp_path):
    from workstation.ui.brief.composer import BriefComposer

    prompts = RecordingPrompts([str(tmp_path / "alone.pdf")])
    composer = BriefComposer(sample_session, prompts=prompts)
    qtbot.addWidget(composer)
    composer.resize(520, 760)
    composer.show()
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        pass
    with qtbot.waitSignal(composer.exportFinished, timeout=TIMEOUT):
        composer.export_button.click()
        assert composer.export_progress.parent() is composer
        assert composer.export_progress.isVisible()
    assert (tmp_path / "alone.pdf").is_file()
    composer.close()
    assert composer.renderer.pending() == 0


def test_the_byline_is_a_remembered_setting(composer, qtbot):
    from workstation.services.settings import brief_byline

    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        composer.form.author_edit.setText("Anna Petrova")
        composer.form.desk_edit.setText("Russia desk")
    composer.form.author_edit.editingFinished.emit()
    assert brief_byline() == ("Anna Petrova", "Russia desk")
    text = pdf_text(composer.preview_pdf)
    assert "Anna Petrova, Russia desk" in text and "(author not set)" not in text
