"""First start and Help: the getting-started card (shown once, reachable from Help, keys from
the registry), the first passage selected on first start, Help → About and Help → User
guide."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from workstation.ui.shell import about, window_state
from workstation.ui.shell.actions import key_text
from workstation.ui.shell.getting_started import GettingStarted, marking_keys
from workstation.ui.shell.main_window import MainWindow


def card_of(window) -> GettingStarted | None:
    return window.findChild(GettingStarted, "gettingStarted")


def open_window(qtbot, session, prompts, **kwargs) -> MainWindow:
    window = MainWindow(session, prompts, **kwargs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.reader.document_id is not None)
    return window


def test_tests_and_screenshots_never_see_the_card(main_window, qtbot):
    qtbot.wait(10)  # past the first-start timers
    assert card_of(main_window) is None
    assert main_window.reader.selected_passage is None


def test_first_start_shows_the_card_once_and_selects_the_first_passage(
    qtbot, sample_session, prompts
):
    window = open_window(qtbot, sample_session, prompts, first_start=True)
    qtbot.waitUntil(lambda: card_of(window) is not None and card_of(window).isVisible())
    card = card_of(window)
    reader = window.reader
    first = reader.marks.nearest(0, 1)
    assert reader.selected_passage == first
    qtbot.waitUntil(lambda: window.inspector.links.passage_id == first)
    # Over the reader, inside the window, not a modal dialog.
    assert window.centralWidget().geometry().intersects(card.geometry())
    assert card.isWindow() is False
    assert "spring 2021" in card.about.text() and "sanctions on Russia" in card.about.text()
    assert card.dont_show.isChecked()
    card.close_button.click()
    assert not card.isVisible()
    assert window_state.preference(window_state.GETTING_STARTED_DISMISSED, False)
    window.close()

    again = open_window(qtbot, sample_session, prompts, first_start=True)
    qtbot.wait(20)
    assert card_of(again) is None  # not a second time
    again.close()


def test_unticking_dont_show_again_keeps_it_coming(qtbot, sample_session, prompts):
    window = open_window(qtbot, sample_session, prompts, first_start=True)
    qtbot.waitUntil(lambda: card_of(window) is not None and card_of(window).isVisible())
    card_of(window).dont_show.setChecked(False)
    card_of(window).dismiss()
    assert not window_state.preference(window_state.GETTING_STARTED_DISMISSED, True)
    window.close()


def test_first_start_without_restore_shows_nothing(qtbot, sample_session, prompts):
    window = open_window(qtbot, sample_session, prompts, restore=False, first_start=True)
    qtbot.wait(20)
    assert card_of(window) is None
    window.close()


def test_the_card_is_reachable_from_help_and_its_keys_are_the_menus(page):
    help_menu = page.window.menuBar().findChild(QMenu, "menuHelp")
    names = [a.objectName() for a in help_menu.actions() if a.objectName()]
    assert names == ["actionGettingStarted", "actionUserGuide", "actionShortcuts", "actionAbout"]
    page.trigger("actionGettingStarted")
    card = card_of(page.window)
    assert card is not None and card.isVisible()
    moves = dict(card.rows)
    assert list(moves) == ["Import", "Mark", "Link", "Make an event", "Brief"]
    registry = page.window.registry
    for move, action in [
        ("Import", "actionImportFiles"),
        ("Link", "actionFocusInspector"),
        ("Make an event", "actionNewEvent"),
        ("Brief", "actionComposeBrief"),
    ]:
        assert moves[move] == key_text(registry.spec(action).key_sequences()[:1])
        assert moves[move]  # every move has a key
    shortcuts = [c.shortcut for c in page.session.codebook.list_categories()]
    assert moves["Mark"] == marking_keys(shortcuts) and moves["Mark"]


def test_marking_keys_are_a_run_when_they_can_be():
    assert marking_keys(list("123456789")) == "1–9"
    assert marking_keys(["1", "3", "x"]) == "1, 3, x"


def test_about_says_version_path_and_font_licence(page):
    page.trigger("actionAbout")
    dialog = page.window.commands.about_dialog
    assert dialog.isVisible() and not dialog.isModal()
    text = dialog.text()
    assert about.version() in text and about.version() != "unknown (not installed)"
    assert str(page.session.path) in text
    assert "Python" in text and "Qt" in text and "PySide6" in text
    assert "DejaVu" in text and "Bitstream" in text
    assert "Permission is hereby granted" in text  # the fonts' licence, in full
    assert "LGPL" in text  # Qt's
    dialog.close()


def test_user_guide_shows_the_shipped_guide_and_the_readme(page):
    page.trigger("actionUserGuide")
    dialog = page.window.commands.user_guide_dialog
    assert "The five moves" in dialog.guide.toPlainText()
    # This suite runs from a checkout: its README is the second tab.
    assert dialog.readme_path is not None and dialog.readme is not None
    assert "Workstation" in dialog.readme.toPlainText()
    assert dialog.tabs.count() == 2 and dialog.tabs.tabBar().isVisible()
    dialog.close()


def test_an_installed_program_shows_the_guide_alone(page, monkeypatch):
    """Installed (wheel, bundle, .deb) there is no README: no tab about its absence, no tab
    bar, just the guide."""
    monkeypatch.setattr(about, "checkout_readme", lambda: None)
    page.trigger("actionUserGuide")
    dialog = page.window.commands.user_guide_dialog
    assert dialog.readme is None
    assert dialog.tabs.count() == 1 and not dialog.tabs.tabBar().isVisible()
    assert "The five moves" in dialog.guide.toPlainText()
    dialog.close()
