"""The reader: a document's text with its passages highlighted, and marking new ones.

Select text and press a category's key (1–9 by default, Category.shortcut) to mark it as a
passage, whitespace at the edges trimmed; keys and actions are listed in reader_menu.py.
Clicking a highlight selects the passage under the pointer; clicking the same spot again cycles
through the passages stacked there. Edits reach the highlights through ``Workbench.changed``:
only the touched passages are re-read and only their blocks reformatted.

Offsets: the workspace counts code points of the stored body; the pane shows that body through
the text-display policy (invisible characters as marks such as ⟨RLO⟩) and Qt counts UTF-16
units of what it shows. Every conversion goes through ``ShownBody.to_units`` /
``to_codepoint`` (``workstation.domain.shown_positions``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workstation.domain.records import Category, ChangeSet
from workstation.domain.text_display import invisibles_sentence, shown
from workstation.services import versions
from workstation.services.outcome import NotFound
from workstation.ui.actions import ActionRegistry
from workstation.ui.highlighter import PassageHighlighter, PassageMarks, Span
from workstation.ui.reader_menu import ReaderText, register_reader_actions
from workstation.ui.workbench import Workbench


class ReaderView(QWidget):
    documentLoaded = Signal(str)  # document id, after its text and highlights are shown

    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("readerView")
        self.workbench = workbench
        self.session = workbench.session
        self.document_id: str | None = None
        self.marks = PassageMarks()
        self.selected_passage: str | None = None
        self._categories: list[Category] = []
        self._announcing = False  # our own select_passage echoing back from the workbench

        self.title_label = QLabel()
        self.title_label.setObjectName("readerTitle")
        self.title_label.setAccessibleName(self.tr("Document title"))
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        # An earlier version stays readable (its orphans await review); say so, and lead on.
        self.version_label = QLabel()
        self.version_label.setObjectName("readerVersionNote")
        self.version_label.setAccessibleName(self.tr("Version note"))
        self.version_label.setTextFormat(Qt.TextFormat.RichText)
        self.version_label.setWordWrap(True)  # never widens the reader at the docks' cost
        self.version_label.linkActivated.connect(self._open_newest)
        self.version_label.hide()
        self._newest_id: str | None = None
        # Invisible characters (bidi overrides, zero-width spaces…) are shown as marks in the
        # text; this line says what each mark stands for, so nothing is hidden from the officer.
        self.invisibles_label = QLabel()
        self.invisibles_label.setObjectName("readerInvisiblesNote")
        self.invisibles_label.setAccessibleName(self.tr("Invisible characters"))
        self.invisibles_label.setWordWrap(True)
        self.invisibles_label.setStyleSheet("color: palette(mid);")
        self.invisibles_label.hide()
        self.text = ReaderText(self)
        self.highlighter = PassageHighlighter(self.text.palette(), self.text.document())
        self.text.verticalScrollBar().valueChanged.connect(self.format_visible)
        self.text.paletteChanged.connect(self._palette_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.version_label)
        layout.addWidget(self.invisibles_label)
        layout.addWidget(self.text, 1)

        self._load_categories()
        workbench.document_opened.connect(self.load)
        workbench.changed.connect(self._on_changed)
        workbench.passage_selected.connect(self._on_passage_selected)
        if workbench.current_document is not None:  # built after a document was opened
            self.load(workbench.current_document)

    @property
    def body(self) -> str:
        return self.marks.body

    @property
    def categories(self) -> list[Category]:
        return list(self._categories)

    # -- loading ------------------------------------------------------------------------------

    def load(self, document_id: str) -> None:
        """Show a document and highlight its live passages."""
        try:
            document = self.session.documents.get(document_id)
        except NotFound:
            self.clear()
            return
        self.document_id = document_id
        self.marks = PassageMarks(
            document.body, self.session.annotations.spans_for_document(document_id)
        )
        self.selected_passage = None
        self.title_label.setText(shown(document.title))
        self._show_version_note()
        self._show_invisibles_note()
        self._show_text()
        self.documentLoaded.emit(document_id)

    def clear(self) -> None:
        self.document_id = None
        self.marks = PassageMarks()
        self.selected_passage = None
        self.title_label.clear()
        self._show_version_note()
        self._show_invisibles_note()
        self._show_text()

    def _show_version_note(self) -> None:
        newest = None
        if self.document_id is not None:
            newest = versions.newest_version_id(self.session.workspace, self.document_id)
        self._newest_id = newest
        if newest is None:
            self.version_label.hide()
            return
        self.version_label.setText(
            self.tr(
                "Earlier version: a newer version of this article was imported. "
                '<a href="newest">Open the newest version</a>'
            )
        )
        self.version_label.show()

    def _show_invisibles_note(self) -> None:
        # The shown text was made once at load: an unchanged body has nothing to explain.
        plain = self.document_id is None or self.marks.shown.map.identity
        sentence = "" if plain else invisibles_sentence(self.marks.body)
        if not sentence:
            self.invisibles_label.hide()
            return
        self.invisibles_label.setText(sentence)
        self.invisibles_label.show()

    def _open_newest(self, _link: str = "") -> None:
        self._show_version_note()  # asked again: versions may have come or gone since
        if self._newest_id is not None:
            self.workbench.open_document(self._newest_id)

    def _show_text(self) -> None:
        # The highlighter stays attached: Qt formats the new blocks as the text arrives (the
        # first screenful at once, the rest when idle), with no second pass scheduled.
        with self.highlighter.loading(self.marks):
            # The body as every surface shows it: invisible characters as marks, lines too
            # long to lay out broken at spaces (ShownBody maps the positions).
            self.text.setPlainText(self.marks.shown.text)

    def format_visible(self) -> None:
        """Format any still-queued blocks now on screen, before they are painted."""
        self.highlighter.format_visible(self.text)

    def _load_categories(self) -> dict[str | None, str]:
        self._categories = self.session.codebook.list()
        colours: dict[str | None, str] = {c.id: c.colour for c in self._categories}
        self.highlighter.set_colours(colours)
        return colours

    # -- keeping up with edits ----------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        touched: set[str] = set()
        categories_changed = document_changed = False
        for change in changes.changes:
            state = change.after or change.before or {}
            if change.table == "annotations" and state.get("document_id") == self.document_id:
                touched.add(change.record_id)
            categories_changed |= change.table == "categories"
            # This document, or any version of any article (a newer version of this one
            # may supersede another that supersedes this).
            document_changed |= (
                change.table == "documents"
                and self.document_id is not None
                and (change.record_id == self.document_id or bool(state.get("supersedes")))
            )
        if categories_changed:
            self._refresh_categories()
        if document_changed:
            self._refresh_document()
        if touched and self.document_id is not None:
            self._refresh_passages(touched)

    def _refresh_document(self) -> None:
        try:
            self.title_label.setText(shown(self.session.documents.get(self.document_id).title))
        except NotFound:
            self.clear()  # deleted, or its import undone
            return
        self._show_version_note()

    def _refresh_categories(self) -> None:
        before = self.highlighter.colours
        after = self._load_categories()
        recoloured = {
            key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
        }
        marks = self.marks
        self.highlighter.rehighlight_spans(
            span for pid, span in marks.spans.items() if marks.category_of[pid] in recoloured
        )

    def _refresh_passages(self, passage_ids: set[str]) -> None:
        """Re-read the touched passages (do, undo and redo all land here) and reformat only
        the blocks they covered before and cover now."""
        dirty: list[Span] = []
        for pid in passage_ids:
            old = self.marks.drop(pid)
            if old is not None:
                dirty.append(old)
            now = self.session.annotations.find(pid)
            if now is not None and now.document_id == self.document_id:
                dirty.append(self.marks.put_passage(pid, now.start, now.end, now.category_id))
        if self.selected_passage not in self.marks:
            self.selected_passage = None
        self.highlighter.rehighlight_spans(dirty)
        self.text.viewport().update()

    def _palette_changed(self) -> None:
        """Light ↔ dark: recompute the tints (the text pane's palette has already moved)."""
        self.highlighter.set_palette(self.text.palette())
        self.highlighter.defer_all(self.text)

    # -- positions ----------------------------------------------------------------------------

    def to_units(self, codepoint: int) -> int:
        return self.marks.shown.to_units(codepoint)

    def to_codepoint(self, units: int, *, towards_end: bool = False) -> int:
        return self.marks.shown.to_codepoint(units, towards_end=towards_end)

    def selection_span(self) -> Span | None:
        """The text selection in code points, whitespace at its edges trimmed; None if empty."""
        cursor = self.text.textCursor()
        if not cursor.hasSelection() or self.document_id is None:
            return None
        body = self.marks.body
        start = self.to_codepoint(cursor.selectionStart())
        end = self.to_codepoint(cursor.selectionEnd(), towards_end=True)
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        return Span(start, end) if start < end else None

    def selected_units(self) -> tuple[int, int] | None:
        span = self.marks.spans.get(self.selected_passage) if self.selected_passage else None
        return None if span is None else (self.to_units(span.start), self.to_units(span.end))

    # -- selecting and scrolling --------------------------------------------------------------

    def select_range(self, start: int, end: int) -> None:
        """Select code points ``[start, end)`` as text (e.g. a search hit) and scroll to it."""
        self._scroll_to(start, end)
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self.to_units(start))
        cursor.setPosition(self.to_units(end), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)

    def select_passage(self, passage_id: str | None, *, scroll: bool = True) -> None:
        """Make ``passage_id`` the selected passage (outlined) and tell the workbench."""
        self._show_selected(passage_id, scroll=scroll)
        self._announcing = True
        try:
            self.workbench.select_passage(self.selected_passage)
        finally:
            self._announcing = False

    def _show_selected(self, passage_id: str | None, *, scroll: bool) -> None:
        self.selected_passage = passage_id if passage_id in self.marks else None
        if self.selected_passage is not None and scroll:
            span = self.marks.spans[self.selected_passage]
            self._scroll_to(span.start, span.end)
        self.text.viewport().update()

    def _scroll_to(self, start: int, end: int) -> None:
        """Bring a range into view, centred when it was off screen; leaves the caret at its
        start."""
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self.to_units(start))
        self.text.setTextCursor(cursor)
        if not self.text.viewport().rect().contains(self.text.cursorRect()):
            self.text.centerCursor()
        cursor.setPosition(self.to_units(end))
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()  # a long passage: its end, but never past its start
        cursor.setPosition(self.to_units(start))
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()

    def _on_passage_selected(self, passage_id: object) -> None:
        if self._announcing:
            return
        if passage_id is None or passage_id in self.marks:
            self._show_selected(passage_id, scroll=True)  # type: ignore[arg-type]
            return
        passage = self.session.annotations.find(str(passage_id))
        if passage is not None and passage.document_id != self.document_id:
            self.workbench.open_document(passage.document_id)  # reaches load() at once
            self._show_selected(passage.id, scroll=True)

    # -- commands -----------------------------------------------------------------------------

    def annotate_with_key(self, key: str) -> bool:
        category = next((c for c in self._categories if c.shortcut and c.shortcut == key), None)
        if category is None or self.selection_span() is None:
            return False
        self.annotate_selection(category.id)
        return True

    def annotate_selection(self, category_id: str | None) -> str | None:
        """Mark the (trimmed) selection as a passage; returns its id, or None."""
        span, document_id = self.selection_span(), self.document_id
        if span is None or document_id is None:
            self.workbench.status.emit(self.tr("Select some text to mark first"))
            return None
        name = next((c.name for c in self._categories if c.id == category_id), self.tr("passage"))
        outcome = self.workbench.apply(
            self.tr("Mark passage as {name}").format(name=name),
            lambda: self.session.annotations.create(
                document_id, span.start, span.end, category_id=category_id
            ),
        )
        if outcome is None:
            return None
        cursor = self.text.textCursor()
        cursor.clearSelection()
        self.text.setTextCursor(cursor)
        self.select_passage(outcome.record.id, scroll=False)
        return outcome.record.id

    def delete_selected_passage(self) -> bool:
        passage_id = self.selected_passage
        if passage_id is None:
            return False
        self.workbench.apply(
            self.tr("Delete passage"), lambda: self.session.annotations.delete(passage_id)
        )
        return True

    def delete_passages_in_selection(self) -> int:
        """Delete every passage inside the selected text as one undo step (a bulk edit)."""
        span = self.selection_span()
        if span is None:
            return 0
        inside = [
            i.payload
            for i in self.marks.index.overlapping(span.start, span.end)
            if span.start <= i.start and i.end <= span.end
        ]
        if not inside:
            return 0
        # One service call: one transaction, preceded by a backup (a bulk delete).
        self.workbench.apply(
            self.tr("Delete {n} passages").format(n=len(inside)),
            lambda: self.session.annotations.delete_many(inside),
        )
        return len(inside)

    def next_passage(self) -> str | None:
        return self._walk(1)

    def previous_passage(self) -> str | None:
        return self._walk(-1)

    def _walk(self, steps: int) -> str | None:
        if self.selected_passage is not None:
            target = self.marks.step(self.selected_passage, steps)
        else:
            here = self.to_codepoint(self.text.textCursor().position())
            target = self.marks.nearest(here, steps)
        if target is None:
            self.workbench.status.emit(
                self.tr("No further passages") if steps > 0 else self.tr("No earlier passages")
            )
            return None
        self.select_passage(target)
        return target

    def register_actions(self, registry: ActionRegistry) -> None:
        """Next/previous/delete passage; category keys are handled by the text pane itself."""
        register_reader_actions(self, registry)
