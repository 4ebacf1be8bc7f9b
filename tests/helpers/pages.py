"""Page helpers: drive the main window as a user does, in a few readable lines.

    page.open_document("Russia-US Relations")
    page.select_text("Igor Krasnov")
    passage = page.annotate("Sanction")
    page.link_entity("Краснов", "target")
    page.undo()

Every step goes through the real widgets (selection in the reader, keys, the inspector's
fields, the search field) and waits for the GUI to settle, so tests read like the user's
actions and fail where the user would be stuck.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from workstation.domain.records import Annotation
from workstation.ui.search.results import HIT_ROLE


def type_text(widget: QWidget, text: str) -> None:
    """Type any script (QTest.keyClicks aborts on characters outside Latin-1)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


class WorkbenchPage:
    def __init__(self, qtbot, window):
        self.qtbot = qtbot
        self.window = window
        self.workbench = window.workbench
        self.session = window.session
        self.prompts = window.prompts

    # -- commands ---------------------------------------------------------------------------

    def action(self, name: str):
        return self.window.registry[name]

    def trigger(self, name: str) -> None:
        action = self.action(name)
        assert action.isEnabled(), f"{name} is disabled"
        action.trigger()

    def undo(self) -> None:
        self.trigger("actionUndo")

    def redo(self) -> None:
        self.trigger("actionRedo")

    # -- documents --------------------------------------------------------------------------

    def open_document(self, title: str) -> str:
        model = self.window.library.model
        for row in range(model.rowCount()):
            if model.index(row, 0).data() == title:
                wanted = model.document_id(row)
                self.window.library.view.selectRow(row)
                self.qtbot.waitUntil(lambda wanted=wanted: self.window.reader.document_id == wanted)
                return wanted
        raise LookupError(f"no document titled {title!r} in the library")

    # -- the reader -------------------------------------------------------------------------

    def select_text(self, quote: str, occurrence: int = 1) -> tuple[int, int]:
        body = self.window.reader.body
        start = -1
        for _ in range(occurrence):
            start = body.find(quote, start + 1)
            assert start != -1, f"{quote!r} (occurrence {occurrence}) not in the open document"
        self.window.reader.select_range(start, start + len(quote))
        self.window.reader.text.setFocus()
        return start, start + len(quote)

    # Mouse selections, as a hand makes them: positions are code points of the open body.

    def _point(self, codepoint: int) -> QPoint:
        reader = self.window.reader
        cursor = QTextCursor(reader.text.document())
        cursor.setPosition(reader.to_units(codepoint))
        rect = reader.text.cursorRect(cursor)
        return QPoint(rect.center().x(), rect.center().y())

    def drag_select(self, start: int, end: int) -> str:
        """Press at ``start``, drag to ``end`` and release; returns the selected text."""
        viewport = self.window.reader.text.viewport()
        begin, finish = self._point(start), self._point(end)
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, begin)
        for point in (begin + QPoint(3, 0), finish):  # past the drag distance, then there
            move = QMouseEvent(
                QEvent.Type.MouseMove,
                QPointF(point),
                QPointF(viewport.mapToGlobal(point)),
                Qt.MouseButton.NoButton,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            )
            QApplication.sendEvent(viewport, move)
        QTest.mouseRelease(
            viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, finish
        )
        return self.selected_text()

    def double_click(self, codepoint: int) -> str:
        viewport = self.window.reader.text.viewport()
        QTest.mouseDClick(
            viewport,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            self._point(codepoint),
        )
        return self.selected_text()

    def shift_click(self, codepoint: int) -> str:
        viewport = self.window.reader.text.viewport()
        QTest.mouseClick(
            viewport,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ShiftModifier,
            self._point(codepoint),
        )
        return self.selected_text()

    def selected_text(self) -> str:
        """The reader's text selection as stored (code points of the body), untrimmed."""
        reader = self.window.reader
        cursor = reader.text.textCursor()
        start = reader.to_codepoint(cursor.selectionStart())
        end = reader.to_codepoint(cursor.selectionEnd(), towards_end=True)
        return reader.body[start:end]

    def annotate(self, category: str) -> Annotation:
        """Press the category's key on the selection; returns the new passage."""
        found = self.session.codebook.by_name(category)
        assert found is not None and found.shortcut, f"no key for category {category!r}"
        before = set(self._passage_ids())
        QTest.keyClick(self.window.reader.text, found.shortcut)
        new = set(self._passage_ids()) - before
        assert len(new) == 1, "pressing the key did not create exactly one passage"
        return self.session.annotations.get(new.pop())

    def select_passage(self, passage: Annotation) -> None:
        self.workbench.select_passage(passage.id)
        self.qtbot.waitUntil(lambda: self.window.inspector.links.passage_id == passage.id)

    def _passage_ids(self) -> list[str]:
        document_id = self.window.reader.document_id
        return [p.id for p in self.session.annotations.for_document(document_id)]

    # -- the inspector ----------------------------------------------------------------------

    def link_entity(self, name: str, role: str = "mentioned", *, kind: str | None = None):
        """Link the selected passage to ``name`` (a name or alias typed in full) in ``role``,
        as Link does. ``kind``: the name is new; create it with "New entity…", answering the
        kind asked (Link itself never creates)."""
        links = self.window.inspector.links
        links.role_combo.setCurrentIndex(links.role_combo.findData(role))
        links.input.clear()
        type_text(links.input, name)
        if kind is not None:
            self.prompts.will_answer("choose", kind)
            links.create_button.click()
        else:
            links.submit()

    def type_entity(self, text: str) -> list[str]:
        """Type ``text`` into the inspector's link field; returns the popup's entries, in
        order (the matches, then any "Create new entity…")."""
        links = self.window.inspector.links
        links.input.setFocus()
        links.input.clear()
        type_text(links.input, text)
        return self.link_choices()

    def link_choices(self) -> list[str]:
        model = self.window.inspector.links.completion_model
        return [model.index(row, 0).data() for row in range(model.rowCount())]

    def choose_entity(self, row: int = 0, *, key: bool = False) -> None:
        """Choose the popup's entry ``row``: clicked, or with ``key`` ↓ to it and Enter."""
        links = self.window.inspector.links
        popup = links.completer.popup()
        self.qtbot.waitUntil(popup.isVisible)
        index = links.completer.completionModel().index(row, 0)
        if key:
            popup.setCurrentIndex(index)
            QTest.keyClick(popup, Qt.Key.Key_Return)
        else:
            popup.scrollTo(index)
            QTest.mouseClick(
                popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(index).center()
            )

    def linked(self, passage: Annotation) -> list[tuple[str, str]]:
        names = {e.id: e.name for e in self.session.entities.list_entities()}
        return sorted(
            (names[m.entity_id], m.role) for m in self.session.entities.mentions_of(passage.id)
        )

    # -- search -----------------------------------------------------------------------------

    def search(self, query: str) -> list[tuple[str, str]]:
        """Search from the search dock; returns (kind, title) of the hits shown."""
        dock = self.window.search
        dock.show()
        dock.search(query)
        model = dock.model
        return [
            (hit.kind, hit.title)
            for hit in (model.index(r, 0).data(HIT_ROLE) for r in range(model.rowCount()))
        ]

    def open_hit(self, row: int = 0) -> None:
        """Open a hit as Enter would: its document in the reader, the hit selected."""
        dock = self.window.search
        dock.activate(dock.model.index(row, 0))

    # -- events and the timeline ------------------------------------------------------------

    def new_event(
        self,
        title: str,
        *,
        kind: str = "other",
        actor: str | None = None,
        target: str | None = None,
        answers: str | None = None,
        propose_date: bool = True,
        passages: list[Annotation] | None = None,
    ) -> str:
        """Create an event from the selected passage(s) through the event form (Ctrl+E);
        returns its id. The date is proposed from the passages' words unless told not to."""
        self.trigger("actionNewEvent")
        form = self.window.timeline.form
        self.qtbot.waitUntil(lambda: form.isVisible())
        for passage in passages or []:
            self.workbench.select_passage(passage.id)
            form.add_selected_passage()
        if propose_date:
            assert form.propose_date(), "no date could be proposed from the passages"
        form.kind.setCurrentIndex(form.kind.findData(kind))
        form.title_edit.setText(title)
        for combo, name in ((form.actor, actor), (form.target, target)):
            if name is not None:
                combo.setCurrentIndex(combo.findText(name))
        if answers is not None:
            index = next(
                i
                for i in range(form.responds_to.count())
                if answers in form.responds_to.itemText(i)
            )
            form.responds_to.setCurrentIndex(index)
        event_id = form.save()
        assert event_id, f"the event form refused to save: {self.prompts.errors[-1:]}"
        return event_id

    # -- suggestions ------------------------------------------------------------------------

    def suggestions(self) -> list[tuple[str, str]]:
        """(text, entity name) of the queue for the open document, in order."""
        dock = self.window.suggestions
        dock.show()
        dock.show_document(self.window.reader.document_id)
        return [(s.text, s.entity_name) for s in dock.model.rows]

    def accept_suggestion(self) -> None:
        self.window.suggestions.focus_queue()
        self.trigger("actionAcceptSuggestion")

    def reject_suggestion(self) -> None:
        self.window.suggestions.focus_queue()
        self.trigger("actionRejectSuggestion")
