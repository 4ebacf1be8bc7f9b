"""Every dock of the main window, declared once: a :class:`DockSpec` says what it is called,
where it goes, what it tabs behind, whether it shows at first, its View-menu toggle and the
toggle's keys, and how it is made. ``MainWindow`` builds the docks from :func:`dock_specs`,
the View menu lists every toggle, and the layout (``window_state``) restores every dock.

To add a dock: write its ``QDockWidget`` subclass in its feature package (with a fixed
objectName and, if it has commands, ``register_actions(registry)``), add a spec below, and
bump ``window_state.STATE_VERSION`` so a layout saved without it is not applied.

A *lazy* dock (the brief composer, which loads QtPdf and ReportLab) is made the first time
it is shown. If it was open when the layout was saved, the window makes it before restoring
the layout, so it comes back where it was; made later, it takes the place the saved layout
kept for it (``QMainWindow.restoreDockWidget``), or else its spec's place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDockWidget, QUndoView

from workstation.ui.shell.actions import ActionSpec, Shortcut

if TYPE_CHECKING:
    from workstation.ui.shell.main_window import MainWindow

LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea

Hook = Callable[["MainWindow", QDockWidget], None]


@dataclass(frozen=True)
class DockSpec:
    name: str  # the dock's objectName: the key of its place in a saved layout
    title: str  # already translated; the dock's own title wins once it exists
    attribute: str  # the MainWindow attribute that holds it (None until a lazy dock is made)
    area: Qt.DockWidgetArea
    create: Callable[[MainWindow], QDockWidget]
    toggle: str  # the View menu's checkable action, "actionShow" + CamelCase
    shortcuts: tuple[Shortcut, ...] = ()  # the toggle's keys
    tab_behind: str | None = None  # the name of the dock it shares a tab group with
    visible: bool = True  # shown in the default layout
    lazy: bool = False  # made on first show, not with the window
    writes: bool = False  # the toggle counts as a writing command (read-only disables it)
    place: Hook | None = None  # instead of area/tab_behind, for a lazy dock made late
    on_shown: Hook | None = None  # after the toggle shows it (raised; the hook may focus)
    on_hidden: Hook | None = None  # after the toggle hides it

    def toggle_spec(self) -> ActionSpec:
        return ActionSpec(
            self.toggle,
            self.title,
            self.shortcuts,
            _tr("Show or hide the {title} panel").format(title=self.title),
            checkable=True,
            writes=self.writes,
        )


def _tr(text: str) -> str:
    return QCoreApplication.translate("Docks", text)


# -- how each dock is made ------------------------------------------------------------------


def _library(window: MainWindow) -> QDockWidget:
    from workstation.ui.library.dock import LibraryDock

    return LibraryDock(window.workbench, window)


def _search(window: MainWindow) -> QDockWidget:
    from workstation.ui.search.dock import SearchDock

    dock = SearchDock(window.workbench, window)
    dock.hit_activated.connect(window.show_hit)
    return dock


def _inspector(window: MainWindow) -> QDockWidget:
    from workstation.ui.inspector.dock import InspectorDock

    return InspectorDock(window.workbench, window)


def _entities(window: MainWindow) -> QDockWidget:
    from workstation.ui.entities.dock import EntitiesDock

    return EntitiesDock(window.workbench, window)


def _episode(window: MainWindow) -> QDockWidget:
    from workstation.ui.episode.editor import EpisodeEditorDock

    return EpisodeEditorDock(window.workbench, window)


def _suggestions(window: MainWindow) -> QDockWidget:
    from workstation.ui.queues.suggestions_dock import SuggestionsDock

    dock = SuggestionsDock(window.workbench, window)
    dock.suggestion_shown.connect(window.show_suggestion)
    return dock


def _orphans(window: MainWindow) -> QDockWidget:
    from workstation.ui.queues.orphans_dock import OrphanQueueDock

    return OrphanQueueDock(window.workbench, window.reader, window)


def _timeline(window: MainWindow) -> QDockWidget:
    from workstation.ui.timeline.dock import TimelineDock

    return TimelineDock(window.workbench, window)


def _history(window: MainWindow) -> QDockWidget:
    dock = QDockWidget(_tr("History"), window)
    dock.setObjectName("historyDock")
    view = QUndoView(window.workbench.undo_stack)
    view.setObjectName("historyView")
    view.setAccessibleName(_tr("Undo history"))
    view.setEmptyLabel(_tr("<opened workspace>"))
    dock.setWidget(view)
    return dock


def _brief_composer(window: MainWindow) -> QDockWidget:
    from workstation.ui.brief.composer import BriefComposer  # QtPdf and ReportLab: on first use

    window.brief_composer = BriefComposer(
        window.session,
        prompts=window.prompts,
        status_bar=window.statusBar(),
        workbench=window.workbench,
    )
    dock = QDockWidget(_tr("Brief composer"), window)
    dock.setObjectName("briefComposerDock")
    dock.setAccessibleName(_tr("Brief composer"))
    dock.setWidget(window.brief_composer)
    return dock


def _place_brief_composer(window: MainWindow, dock: QDockWidget) -> None:
    size = window.size()
    # Stacked under the right-hand docks its minimum height would add to theirs and grow the
    # window past the screen: it shares a tab with the tallest one instead.
    beside = [
        d
        for d in window.findChildren(QDockWidget)
        if d is not dock
        and d.isVisible()
        and not d.isFloating()
        and window.dockWidgetArea(d) == RIGHT
    ]
    window.addDockWidget(RIGHT, dock)
    if beside:
        window.tabifyDockWidget(max(beside, key=lambda d: d.height()), dock)
    window.resizeDocks([dock], [max(440, window.width() * 3 // 8)], Qt.Orientation.Horizontal)
    window.resize(size)


def _focus_brief_form(window: MainWindow, _dock: QDockWidget) -> None:
    if window.brief_composer is not None:
        window.brief_composer.form.episode_combo.setFocus()


def dock_specs() -> list[DockSpec]:
    """The docks in the order they are laid out. Right: what edits the current selection.
    Left, under the library: lists that point into documents (search hits, suggested
    mentions, orphaned passages). Five tabs in one area would elide every label at 1280 px."""
    return [
        DockSpec("libraryDock", _tr("Library"), "library", LEFT, _library, "actionShowLibrary"),
        DockSpec("searchDock", _tr("Search"), "search", LEFT, _search, "actionShowSearch"),
        DockSpec(
            "inspectorDock", _tr("Inspector"), "inspector", RIGHT, _inspector,
            "actionShowInspector",
        ),
        DockSpec(
            "entitiesDock", _tr("Entities"), "entities", RIGHT, _entities, "actionShowEntities",
            tab_behind="inspectorDock",
        ),
        DockSpec(
            "episodeEditorDock", _tr("Episode"), "episode_editor", RIGHT, _episode,
            "actionShowEpisodeEditor", tab_behind="inspectorDock",
        ),
        DockSpec(
            "suggestionsDock", _tr("Suggestions"), "suggestions", LEFT, _suggestions,
            "actionShowSuggestions", tab_behind="searchDock",
        ),
        DockSpec(
            "orphanDock", _tr("Orphans"), "orphans", LEFT, _orphans, "actionShowOrphans",
            tab_behind="searchDock",
        ),
        DockSpec(
            "timelineDock", _tr("Timeline"), "timeline", BOTTOM, _timeline,
            "actionShowTimeline",
        ),
        DockSpec(
            "historyDock", _tr("History"), "history", RIGHT, _history, "actionShowHistory",
            ("Ctrl+Shift+H",), visible=False,
        ),
        DockSpec(
            "briefComposerDock", _tr("Brief composer"), "brief_dock", RIGHT, _brief_composer,
            "actionShowBriefComposer", visible=False, lazy=True,
            # As "Compose brief": a read-only workspace does not open the composer.
            writes=True, place=_place_brief_composer, on_shown=_focus_brief_form,
        ),
    ]  # fmt: skip
