"""The composer's preview follows the workspace, off the GUI thread, and never resizes the
main window."""

from __future__ import annotations

import io
import threading
import time

import pytest
from pypdf import PdfReader

from workstation.ui.shell.main_window import MainWindow

TIMEOUT = 30_000


def pdf_text(data: bytes) -> str:
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
    win.close()


@pytest.fixture
def composer(window, qtbot):
    opened = window.open_brief_composer()
    with qtbot.waitSignal(opened.previewUpdated, timeout=TIMEOUT):
        pass
    return opened


def _edit_judgment(window, text: str) -> None:
    session = window.session
    judgment = session.episodes.judgments(session.episodes.resolve(None).id)[0]
    window.workbench.apply(
        "Edit judgment", lambda: session.episodes.edit_judgment(judgment.id, text=text)
    )


def test_an_edit_to_a_judgment_rebuilds_the_preview_off_the_gui_thread(window, composer, qtbot):
    threads = []
    original = composer.renderer.render_function

    def recording(brief):
        threads.append(threading.current_thread() is threading.main_thread())
        return original(brief)

    composer.renderer.render_function = recording
    builds = composer.builds
    before = composer.preview_pdf
    started = time.perf_counter()
    _edit_judgment(window, "Moscow will answer every new US measure within days.")
    assert composer.updating.isVisibleTo(composer)  # the old preview stays, marked as updating
    assert composer.preview_pdf == before
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        pass
    elapsed = time.perf_counter() - started
    assert composer.builds == builds + 1
    assert "Moscow will answer every new US measure within days." in pdf_text(composer.preview_pdf)
    assert threads == [False]  # rendered in the worker, never on the GUI thread
    assert not composer.updating.isVisibleTo(composer)
    print(f"preview refresh after an edit: {elapsed * 1000:.0f} ms")


def test_two_quick_edits_make_one_build(window, composer, qtbot):
    renders = []
    original = composer.renderer.render_function

    def counting(brief):
        renders.append(brief.judgments[0].text)
        return original(brief)

    composer.renderer.render_function = counting
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        _edit_judgment(window, "First wording.")
        _edit_judgment(window, "Second wording.")
    assert renders == ["Second wording."]
    qtbot.wait(800)  # nothing else follows
    assert renders == ["Second wording."]


def test_a_stale_render_is_dropped(window, composer, qtbot):
    shown = []
    composer.previewUpdated.connect(lambda: shown.append(pdf_text(composer.preview_pdf)))
    composer._timer.setInterval(0)
    _edit_judgment(window, "Older wording.")
    qtbot.waitUntil(lambda: composer._preview_job is not None, timeout=TIMEOUT)
    _edit_judgment(window, "Newer wording.")  # while the older one renders
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
    qtbot.wait(300)
    assert len(shown) == 1
    assert "Newer wording." in shown[0] and "Older wording." not in shown[0]


def test_opening_and_closing_the_composer_leaves_the_window_size(window, qtbot):
    before = window.size()
    available = window.screen().availableGeometry()
    composer = window.open_brief_composer()
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        pass
    assert window.size() == before
    assert window.height() <= max(before.height(), available.height())
    window.brief_dock.hide()
    qtbot.wait(50)
    assert window.size() == before
    window.open_brief_composer()
    qtbot.wait(50)
    assert window.size() == before


def test_renaming_an_entity_rebuilds_the_preview(window, composer, qtbot):
    session = window.session
    event = session.episodes.events(session.episodes.resolve(None).id)[0]
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        window.workbench.apply(
            "Rename", lambda: session.entities.edit(event.actor_id, name="Renamed Actor")
        )
    assert "Renamed Actor" in pdf_text(composer.preview_pdf)


def test_a_hidden_composer_waits_and_catches_up_when_shown(window, composer, qtbot):
    window.brief_dock.hide()
    builds = composer.builds
    _edit_judgment(window, "Edited while hidden.")
    qtbot.wait(800)
    assert composer.builds == builds  # no work for a preview nobody sees
    with qtbot.waitSignal(composer.previewUpdated, timeout=TIMEOUT):
        window.open_brief_composer()
    assert "Edited while hidden." in pdf_text(composer.preview_pdf)
