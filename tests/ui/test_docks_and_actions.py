"""Docks and actions are declared once (shell/docks.py, ActionSpec): every dock has a View
toggle and survives close → reopen → restart; a misspelled action name fails the start; the
read-only state follows the specs' ``writes``; no two commands share keys where they act;
Help lists real keys."""

from __future__ import annotations

from collections import defaultdict

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from workstation.ui.shell.actions import WIDGET, ActionRegistry, ActionSpec, on_a_keyboard
from workstation.ui.shell.docks import dock_specs
from workstation.ui.shell.main_window import MainWindow

DOCKS = [spec.name for spec in dock_specs()]


def _window(qtbot, session, prompts, *, restore: bool = True) -> MainWindow:
    window = MainWindow(session, prompts, restore=restore)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _shown(window: MainWindow, name: str) -> bool:
    dock = window.docks.get(name)
    return dock is not None and dock.isVisible()


def test_every_dock_has_a_checkable_toggle_in_the_view_menu(main_window):
    view = main_window.findChild(QMenu, "menuView")
    in_menu = {action.objectName() for action in view.actions()}
    assert len(main_window.dock_specs) == 10
    for spec in main_window.dock_specs:
        toggle = main_window.registry[spec.toggle]
        assert spec.toggle in in_menu, spec.toggle
        assert spec.toggle.startswith("actionShow") and toggle.isCheckable()
        assert not main_window.registry.spec(spec.toggle).writes or spec.lazy
    # Every dock the window made has a spec (the lazy composer is made on first use).
    main_window.open_brief_composer()
    made = {dock.objectName() for dock in main_window.findChildren(QDockWidget)}
    assert made == set(DOCKS)


@pytest.mark.parametrize("name", DOCKS)
def test_a_dock_closes_reopens_and_keeps_its_state_over_a_restart(
    qtbot, sample_session, prompts, name
):
    first = _window(qtbot, sample_session, prompts, restore=False)
    toggle = first.registry[first.dock_specs[DOCKS.index(name)].toggle]
    if first.docks.get(name) is not None:
        first.docks[name].close()
    qtbot.waitUntil(lambda: not _shown(first, name))
    assert not toggle.isChecked()
    toggle.trigger()  # View → <dock>: back, in front of its tab group
    qtbot.waitUntil(lambda: _shown(first, name))
    assert toggle.isChecked()
    toggle.trigger()  # and closed again from the menu
    qtbot.waitUntil(lambda: not _shown(first, name))
    first.close()  # saves the layout

    second = _window(qtbot, sample_session, prompts)
    toggle = second.registry[toggle.objectName()]
    assert not _shown(second, name) and not toggle.isChecked()
    toggle.trigger()
    qtbot.waitUntil(lambda: _shown(second, name))
    second.close()

    third = _window(qtbot, sample_session, prompts)
    qtbot.waitUntil(lambda: _shown(third, name))
    assert third.registry[toggle.objectName()].isChecked()
    assert third.size().width() <= 1280 and third.size().height() <= 800
    third.close()


def test_a_brief_composer_open_at_exit_is_made_at_start_where_it_was(
    qtbot, sample_session, prompts
):
    first = _window(qtbot, sample_session, prompts, restore=False)
    assert first.brief_dock is None  # QtPdf and ReportLab wait for first use
    first.open_brief_composer()
    area = first.dockWidgetArea(first.brief_dock)
    tabbed = {d.objectName() for d in first.tabifiedDockWidgets(first.brief_dock)}
    first.close()
    second = _window(qtbot, sample_session, prompts)
    assert second.brief_dock is not None and second.brief_composer is not None
    qtbot.waitUntil(second.brief_dock.isVisible)
    assert second.dockWidgetArea(second.brief_dock) == area
    assert {d.objectName() for d in second.tabifiedDockWidgets(second.brief_dock)} == tabbed
    second.close()


def test_a_misspelled_action_name_is_an_error(main_window):
    registry = main_window.registry
    with pytest.raises(KeyError, match="actionShowTimelin"):
        registry.fill_menu(QMenu(), ["actionShowTimeline", "actionShowTimelin"])
    with pytest.raises(KeyError, match="actionQiut"):
        registry["actionQiut"]
    with pytest.raises(ValueError, match="CamelCase"):
        ActionSpec("showTimeline", "Timeline")
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(ActionSpec("actionQuit", "Quit"))


def test_a_menu_naming_a_command_nobody_registered_fails_the_start(
    qtbot, sample_session, prompts, monkeypatch
):
    # The timeline registers actionNewEvent; without it the Episode menu names a command
    # that does not exist, as a typo would: the window refuses to start.
    monkeypatch.setattr("workstation.ui.timeline.dock.TimelineDock.register_actions", lambda *a: 0)
    with pytest.raises(KeyError, match="actionNewEvent"):
        MainWindow(sample_session, prompts, restore=False)


def test_a_widget_only_command_needs_its_widget(main_window):
    registry = ActionRegistry(main_window)
    with pytest.raises(ValueError, match="widget"):
        registry.register(ActionSpec("actionTry", "Try", "T", context=WIDGET))


def test_read_only_disables_exactly_the_writing_commands(qtbot, sample_path, prompts, monkeypatch):
    from workstation.ui.shell.app import open_for_window

    monkeypatch.setattr("workstation.storage.workspace._writable", lambda path: False)
    session = open_for_window(sample_path)
    window = _window(qtbot, session, prompts, restore=False)
    try:
        assert session.workspace.read_only
        # Commands that wait for a selection or a queue item are disabled in any workspace.
        waiting = {
            "actionEditEvent",
            "actionDeleteEvent",
            "actionPlaceOrphan",
            "actionKeepOrphan",
            "actionSkipSuggestion",
        }
        for spec in window.registry.specs():
            action = window.registry[spec.name]
            if spec.writes:
                assert not action.isEnabled(), spec.name
            elif spec.name not in waiting:
                assert action.isEnabled(), spec.name
        writing = {spec.name for spec in window.registry.specs() if spec.writes}
        assert {"actionUndo", "actionImportFiles", "actionShowBriefComposer"} <= writing
        reading = {spec.name for spec in window.registry.specs() if not spec.writes}
        assert {"actionShowTimeline", "actionExport", "actionNextPassage"} <= reading
    finally:
        window.close()
        session.close()


def test_no_two_commands_share_keys_where_they_act(main_window):
    registry = main_window.registry
    seen: dict[tuple, dict[str, str]] = defaultdict(dict)
    for spec in registry.specs():
        where = (spec.context, id(registry.scope(spec.name)))
        for keys in registry[spec.name].shortcuts():
            text = keys.toString()
            assert text not in seen[where], f"{text}: {seen[where].get(text)} and {spec.name}"
            seen[where][text] = spec.name
    # Shortcuts come from the specs, set once at registration.
    for spec in registry.specs():
        assert registry[spec.name].shortcuts() == spec.key_sequences(), spec.name
        assert registry[spec.name].shortcutContext() == spec.context, spec.name


def test_help_lists_every_command_with_keys_by_keys_a_keyboard_has(page):
    dialog = page.window.commands.show_shortcuts()
    rows = dict(dialog.rows())
    registry = page.window.registry
    for spec in registry.specs():
        if any(on_a_keyboard(k) for k in spec.key_sequences()):
            assert spec.text.replace("&", "") in rows, spec.name
    native = QKeySequence.SequenceFormat.NativeText
    undo = QKeySequence(QKeySequence.StandardKey.Undo).toString(native)
    assert rows["Undo"].split(", ")[0] == undo
    assert rows["Quit"]  # Ctrl+Q where the platform has no standard key
    assert rows["Accept suggestion"].endswith("(in the suggestion queue)")
    for command, keys in rows.items():
        assert keys, command
        for word in ("Undo", "Redo", "Exit", "F14", "Find", "Open", "New"):
            assert word not in keys.split(" (")[0].split(", "), (command, keys)
    assert "History" in rows  # a dock toggle with keys
    dialog.close()
