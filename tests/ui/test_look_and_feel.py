"""Look and feel at 1280×800 (issue 15): minimum sizes, full text behind every cut one,
plurals, the inspector following the document, shortcuts the README documents, and dialogs
that remember their folder. (The judgment editor's warning when wording and likelihood
disagree: tests/ui/test_episode_editor.py and tests/unit/test_judgment_checks.py.)"""

from __future__ import annotations

import re
import tokenize
from pathlib import Path
from token import STRING

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHeaderView,
    QLineEdit,
    QUndoView,
)

from workstation.ui.common.widgets import count_noun
from workstation.ui.shell import window_state

_DISPLAY, _TIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
_TOP = QModelIndex()


def _models(window) -> dict[str, QAbstractItemModel]:
    """Every model the window shows in a table, list or tree, and every completer's model.
    Left out, and why: combo boxes' own lists (the popup widens to the longest item, so it
    cuts nothing); header views (their headers are checked with their model); Qt's own
    views ("qt_…": the date pickers' calendars, day names and numbers); the undo history
    (Qt's QUndoModel, one short command name a line, read in a wide dock)."""
    found: dict[str, QAbstractItemModel] = {}
    combo_views = {combo.view() for combo in window.findChildren(QComboBox)}
    for view in window.findChildren(QAbstractItemView):
        skipped = isinstance(view, (QHeaderView, QUndoView)) or view in combo_views
        if skipped or view.objectName().startswith("qt_") or view.model() is None:
            continue
        found[view.objectName() or type(view).__name__] = view.model()
    for completer in window.findChildren(QCompleter):
        if completer.model() is not None:
            name = (completer.widget().objectName() if completer.widget() else "") + "Completer"
            found[name] = completer.model()
    return found


def _columns(model: QAbstractItemModel, parent: QModelIndex = _TOP) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model keeps columnCount private: one column
        return 1


def _cells(model: QAbstractItemModel, parent: QModelIndex = _TOP, limit: int = 200):
    for row in range(min(model.rowCount(parent), limit)):
        for column in range(_columns(model, parent)):
            index = model.index(row, column, parent)
            yield index
            if column == 0 and model.rowCount(index) > 0:
                yield from _cells(model, index, limit)


def test_every_text_a_view_can_cut_has_its_full_text_as_a_tooltip(main_window, qtbot, page):
    main_window.resize(1280, 800)
    page.search("sanctions")  # fill the results list
    window, session = main_window, main_window.session
    passage = session.annotations.for_document(window.reader.document_id)[0]
    page.select_passage(passage)  # fill the inspector's linked entities
    window.inspector.links.show_matches("Ru")  # the linking completer, filled as one types
    entity = session.entities.list_entities()[0]
    window.entities.select_entity(entity.id)  # fill the entity's passages
    window.timeline.tree.setCurrentIndex(window.timeline.model.index(0, 0))  # its evidence
    walked = _models(window)
    for expected in (
        "libraryView",
        "entityTable",
        "entityPassages",
        "timelineTree",
        "timelineEvidence",
        "searchResults",
        "inspectorMentions",
        "inspectorEntityInputCompleter",
        "searchEntityFilterCompleter",
    ):
        assert expected in walked and walked[expected].rowCount() > 0, expected
    short: list[str] = []
    for name, model in _models(main_window).items():
        for index in _cells(model):
            text = index.data(_DISPLAY)
            if not isinstance(text, str) or not text.strip():
                continue
            tip = index.data(_TIP)
            if not isinstance(tip, str) or len(tip) < len(text):
                short.append(f"{name} column {index.column()}: {text!r} → {tip!r}")
        for section in range(_columns(model)):
            text = model.headerData(section, Qt.Orientation.Horizontal, _DISPLAY)
            if isinstance(text, str) and text.strip():
                tip = model.headerData(section, Qt.Orientation.Horizontal, _TIP)
                if not isinstance(tip, str) or len(tip) < len(text):
                    short.append(f"{name} header {section}: {text!r} → {tip!r}")
    first = {line.split(":")[0]: line for line in reversed(short)}  # one per column
    assert not short, "\n".join(sorted(first.values()))


# -- plurals ----------------------------------------------------------------------------------

_COUNTED_PLURAL = re.compile(r"\{[a-z_]+(?::[^}]*)?\} ([a-z-]+s)\b|[a-z]\(s\)")
# Words after a placeholder that are verbs or names, not a counted plural noun.
_NOT_COUNTS = {"is", "as", "progress", "matches"}  # "Over {n} matches": n is a large limit


def test_no_message_puts_a_count_before_a_fixed_plural():
    """Every count goes through count_noun ("1 entity", "2 entities"): no string in the GUI,
    services or command line puts a placeholder before a fixed plural, nor writes "(s)".
    (The importers' and storage's limits messages are left out: they name sizes over a
    limit, always many.)"""
    root = Path(__file__).resolve().parents[2] / "workstation"
    found = []
    paths = [p for part in ("ui", "services", "cli") for p in (root / part).rglob("*.py")]
    for path in sorted(paths):
        with path.open(encoding="utf-8") as source:
            strings = [t for t in tokenize.generate_tokens(source.readline) if t.type == STRING]
        for token in strings:  # string literals only (f-strings are one token on 3.11)
            for match in _COUNTED_PLURAL.finditer(token.string):
                if match.group(1) not in _NOT_COUNTS:
                    found.append(f"{path.relative_to(root)}:{token.start[0]}: {token.string}")
    assert not found, "\n".join(found)


def test_count_noun_agrees_with_the_number():
    assert count_noun(1, "entity", "entities") == "1 entity"
    assert count_noun(0, "entity", "entities") == "0 entities"
    assert count_noun(2, "passage") == "2 passages"
    assert count_noun(1204, "passage") == "1,204 passages"


def test_counts_in_the_window_agree_with_their_number(main_window, qtbot):
    entities = main_window.entities
    entities.filter_edit.setText(main_window.session.entities.list_entities()[0].name)
    entities.apply_filter()
    qtbot.waitUntil(lambda: entities.model.rowCount() == 1)
    assert entities.count_label.text() == "1 entity"
    library = main_window.library
    title = main_window.session.documents.list_documents()[0].title
    library.filter_edit.setText(title)
    qtbot.waitUntil(lambda: library.model.rowCount() == 1)
    assert library.count_label.text() == "1 of 2 documents"
    assert main_window.count_label.text().startswith("2 documents · ")


# -- the inspector follows the document -------------------------------------------------------


def test_switching_documents_clears_the_previous_documents_passage(page, main_window, qtbot):
    window, session = main_window, main_window.session
    first = window.reader.document_id
    passage = session.annotations.for_document(first)[0]
    page.select_passage(passage)
    assert window.inspector.passage is not None and window.inspector.passage.id == passage.id
    other = next(d for d in session.documents.list_documents() if d.id != first)
    page.open_document(other.title)
    qtbot.waitUntil(lambda: window.reader.document_id == other.id)
    assert window.inspector.passage is None  # not the other document's passage
    assert window.inspector.pages.currentWidget() is window.inspector.hint
    assert window.workbench.current_passage is None
    # Opening a passage in another document (a search hit, evidence) still shows it.
    back = session.annotations.for_document(first)[1]
    window.workbench.open_document(first)
    window.workbench.select_passage(back.id)
    assert window.inspector.passage is not None and window.inspector.passage.id == back.id


# -- the README and the menus agree on keys ---------------------------------------------------

_KEY = re.compile(
    r"(?<![\w+])((?:(?:Ctrl|Shift|Alt)\+)+(?:F\d{1,2}|PgDown|PgUp|Del|[A-Z0-9\[\]])"
    r"|F\d{1,2})(?![\w+])"
)


def _readme_keys() -> list[str]:
    readme = Path(__file__).resolve().parents[2] / "README.md"
    return _KEY.findall(readme.read_text(encoding="utf-8"))


def test_every_key_the_readme_names_is_a_command_and_menus_show_the_documented_one(main_window):
    """Each key the README mentions (F8, Shift+F8, Ctrl+F, …) belongs to a command, and
    where a command has several keys the menu shows (the first) one the README names."""
    keys = _readme_keys()
    assert {"F8", "Shift+F8", "Ctrl+F", "Ctrl+Z", "Ctrl+E"} <= set(keys), keys
    registry = main_window.registry
    owner: dict[str, str] = {}
    for action in registry.all():
        for sequence in action.shortcuts():
            owner[sequence.toString()] = action.objectName()
    unknown = [key for key in keys if QKeySequence(key).toString() not in owner]
    assert not unknown, f"the README names keys no command has: {unknown}"
    documented = {QKeySequence(key).toString() for key in keys}
    for name in {owner[key] for key in documented}:
        shown_first = registry[name].shortcut().toString()
        assert shown_first in documented, (
            f"{name}: the menu shows {shown_first}, the README names "
            f"{sorted(k for k in documented if owner[k] == name)}"
        )


# -- file dialogs remember their folder -------------------------------------------------------


def test_each_kind_of_file_dialog_starts_where_the_last_one_went(page, main_window, tmp_path):
    """Export, import (files and folder), import annotations, merge and the brief: each
    remembers the folder last chosen for it (in the GUI settings), not the home folder."""
    prompts = main_window.prompts
    exports, articles, outside = tmp_path / "exports", tmp_path / "articles", tmp_path / "x"
    for folder in (exports, articles, outside):
        folder.mkdir()

    # Export: the first browse starts beside the workspace; after an export to another
    # folder, a new export's path and its browse start there.
    page.trigger("actionExport")
    dialog = main_window.interchange.export_dialog
    dialog.set_format("csv")
    assert Path(dialog.path_edit.text()).parent == main_window.session.path.parent
    prompts.answers.append(str(exports / "mine.csv"))
    dialog.browse()
    assert dialog.path_edit.text() == str(exports / "mine.csv")
    dialog.path_edit.setText("")  # back to the default, now in the remembered folder
    dialog.set_format("w3c")
    assert Path(dialog.path_edit.text()).parent == exports
    prompts.answers.append(None)  # cancelled: remembers nothing new
    dialog.browse()
    assert Path(prompts.asked[-1][1]).parent == exports
    dialog.reject()

    # Import files, then a folder: both start where the last import came from.
    prompts.will_answer("open_files", [])
    page.trigger("actionImportFiles")
    assert prompts.started_in[-1][1] == ""  # nothing remembered yet: the dialog's default
    remember = window_state.remember_folder
    remember("import", articles / "one.txt")
    prompts.will_answer("choose_folder", None)
    page.trigger("actionImportFolder")
    assert prompts.started_in[-1][1] == str(articles)

    # Import annotations and merge keep folders of their own.
    prompts.will_answer("open_file", str(outside / "missing.jsonl"))
    main_window.interchange.import_annotations()
    prompts.will_answer("open_file", None)
    main_window.interchange.import_annotations()
    assert prompts.started_in[-1][1] == str(outside)
    prompts.will_answer("open_file", None)
    main_window.interchange.merge_workspace()
    assert prompts.started_in[-1][1] == ""  # merge has not been used: its own default

    # The brief's save dialog, through the shared helper.
    assert prompts.save_file_for("brief", None, "Brief", "/home/me/b.pdf") is None
    assert prompts.asked[-1][1] == "/home/me/b.pdf"  # never chosen: the suggestion as is
    window_state.remember_folder("brief", exports / "earlier.pdf")
    prompts.save_file_for("brief", None, "Brief", "/home/me/b.pdf")
    assert prompts.asked[-1][1] == str(exports / "b.pdf")


# -- minimum sizes at 1280×800 ----------------------------------------------------------------


def test_timeline_and_episode_prose_have_room_at_1280_by_800(main_window, qtbot):
    window = main_window
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    assert window.height() <= 800  # the minimum sizes never push the window off the screen
    tree = window.timeline.tree
    row = tree.sizeHintForRow(0)
    assert row > 0 and tree.viewport().height() >= 8 * row, (tree.viewport().height(), row)

    editor = window.episode_editor
    editor.show()
    editor.raise_()
    qtbot.waitUntil(lambda: editor.bottom_line.isVisible())
    for box in (editor.bottom_line, editor.outlook):
        lines = box.viewport().height() / box.fontMetrics().lineSpacing()
        assert lines >= 6, (box.objectName(), lines)
    scroll = editor.widget()
    assert scroll.verticalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert window.width() == 1280 and window.height() <= 800


def test_a_field_too_narrow_for_its_hint_says_it_in_a_tooltip(main_window, qtbot):
    """ "ISO cod…": a placeholder the field cuts is whole in the field's tooltip."""
    window = main_window
    window.resize(1280, 800)
    window.entities.show()
    window.entities.raise_()
    qtbot.waitUntil(lambda: window.entities.isVisible())
    cut = []
    for edit in window.findChildren(QLineEdit):
        hint = edit.placeholderText()
        if not hint or not edit.isVisible():
            continue
        room = edit.width() - 12  # the frame and text margins
        if edit.fontMetrics().horizontalAdvance(hint) > room and len(edit.toolTip()) < len(hint):
            cut.append(f"{edit.objectName()}: {hint!r} in {room}px, tooltip {edit.toolTip()!r}")
    assert not cut, "\n".join(cut)
