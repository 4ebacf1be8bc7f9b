"""The reader: a document's text with its passages highlighted, and marking new ones.

Select text and press a category's key (1–9 by default, Category.shortcut) to mark it as a
passage, whitespace at the edges trimmed; keys are in text_pane.py, actions and the context
menu in commands.py.
Clicking a highlight selects the passage under the pointer; clicking the same spot again cycles
through the passages stacked there. Edits reach the highlights through ``Workbench.changed``:
only the touched passages are re-read and only their blocks reformatted.

Offsets: the workspace counts code points of the stored body; the pane shows that body through
the text-display policy (invisible characters as marks such as ⟨RLO⟩) and Qt counts UTF-16
units of what it shows. Every conversion goes through ``ShownBody.to_units`` /
``to_codepoint`` (``workstation.domain.shown_positions``).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextEdit, QVBoxLayout, QWidget

from workstation.domain.intervals import Interval
from workstation.domain.records import Annotation, Category, ChangeSet, Document
from workstation.domain.word_snap import snap_to_words
from workstation.services.outcome import NotFound
from workstation.ui.common.widgets import count_noun
from workstation.ui.reader.commands import register_reader_actions
from workstation.ui.reader.header import ReaderHeader
from workstation.ui.reader.highlighter import PassageHighlighter, PassageMarks, Span
from workstation.ui.reader.text_pane import ReaderText
from workstation.ui.shell import window_state
from workstation.ui.shell.actions import ActionRegistry
from workstation.ui.shell.undo_locator import FLASH_MS
from workstation.ui.shell.workbench import Workbench

# Above this many passage changes in one ChangeSet, re-read the open document's passages at
# once rather than one by one.
_REREAD_ALL_ABOVE = 200
_FLASH_PROPERTY = QTextFormat.Property.UserProperty + 17  # marks the undo flash's selection


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
        # Mouse selections snap to whole words (a preference, on by default); keys stay exact.
        self.snap_to_words = window_state.preference(window_state.SNAP_TO_WORDS, True)
        self._passages_reload_pending = False

        # Title, details line, version and invisible-character notes (reader/header.py).
        self.header = ReaderHeader(workbench, self)
        self.title_label = self.header.title_label
        self.details_label = self.header.details_label
        self.version_label = self.header.version_label
        self.invisibles_label = self.header.invisibles_label
        self.text = ReaderText(self)
        self.highlighter = PassageHighlighter(self.text.palette(), self.text.document())
        self.text.verticalScrollBar().valueChanged.connect(self.format_visible)
        self.text.paletteChanged.connect(self._palette_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(self.header)
        layout.addWidget(self.text, 1)

        self._load_categories()
        workbench.document_opened.connect(self.load)
        workbench.changed.connect(self._on_changed)
        workbench.passage_selected.connect(self._on_passage_selected)
        # Where an undo or redo acted, tinted for a second (ui.shell.undo_locator).
        self.flashing: Span | None = None
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self.end_flash)
        workbench.flash_requested.connect(self.flash_range)
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
            document.body,
            self.session.annotations.spans_for_document(document_id),
            self.session.annotations.mention_only_ids(document_id),
        )
        self.selected_passage = None
        self.header.show_document(document, self.marks)
        self._show_text()
        self.documentLoaded.emit(document_id)

    def clear(self) -> None:
        self.document_id = None
        self.marks = PassageMarks()
        self.selected_passage = None
        self.header.show_document(None, self.marks)
        self._show_text()

    def request_details(self, _link: str = "") -> None:
        self.header.request_details(_link)

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
        self._categories = self.session.codebook.list_categories()
        colours: dict[str | None, str] = {c.id: c.colour for c in self._categories}
        self.highlighter.set_colours(colours)
        return colours

    # -- keeping up with edits ----------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        # A very large set of passage changes (an annotation import) is not walked: the open
        # document's passages are re-read once, on the next turn of the event loop (one
        # query), instead of one query per passage. A smaller one touching this document's
        # passages re-reads just those.
        touched: set[str] = set()
        if self.document_id is not None and changes.touches(Annotation):
            if changes.count(Annotation) > _REREAD_ALL_ABOVE:
                self._schedule_passages_reload()
            elif changes.holds_value(Annotation, "document_id", self.document_id):
                touched = {
                    change.record_id
                    for change in changes.of(Annotation)
                    if change.state.get("document_id") == self.document_id
                }
        # This document, or any version of any article (a newer version of this one may
        # supersede another that supersedes this).
        document_changed = self.document_id is not None and any(
            change.record_id == self.document_id or bool(change.state.get("supersedes"))
            for change in changes.of(Document)
        )
        if changes.touches(Category):
            self._refresh_categories()
        if document_changed:
            self._refresh_document()
        if touched and self.document_id is not None:
            self._refresh_passages(touched)

    def _refresh_document(self) -> None:
        if self.document_id is None:  # only called with a document open
            return
        try:
            document = self.session.documents.get(self.document_id)
        except NotFound:
            self.clear()  # deleted, or its import undone
            return
        self.header.show_document(document, self.marks)

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

    def _schedule_passages_reload(self) -> None:
        if not self._passages_reload_pending:
            self._passages_reload_pending = True
            QTimer.singleShot(0, self, self._reload_passages)

    def _reload_passages(self) -> None:
        """Re-read every passage of the open document, keeping its text, scroll position and
        selection; the blocks are reformatted as the view reaches them (visible ones now)."""
        self._passages_reload_pending = False
        if self.document_id is None:
            return
        self.marks = PassageMarks(
            self.marks.body,
            self.session.annotations.spans_for_document(self.document_id),
            self.session.annotations.mention_only_ids(self.document_id),
        )
        if self.selected_passage not in self.marks:
            self.selected_passage = None
        self.highlighter.replace_marks(self.marks, self.text)
        self.text.viewport().update()

    def _refresh_passages(self, passage_ids: set[str]) -> None:
        """Re-read the touched passages (do, undo and redo all land here) and reformat only
        the blocks they covered before and cover now."""
        dirty: list[Interval[str]] = []
        for pid in passage_ids:
            old = self.marks.drop(pid)
            if old is not None:
                dirty.append(old)
            now = self.session.annotations.find(pid)
            if now is not None and now.document_id == self.document_id:
                dirty.append(
                    self.marks.put_passage(
                        pid, now.start, now.end, now.category_id, mention_only=now.mention_only
                    )
                )
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

    def snap_selection(self) -> bool:
        """Snap the text selection to whole words, trimmed of spaces and stray punctuation
        (``word_snap.snap_to_words``), in the direction it was made (a backward drag keeps
        its anchor at the end). The text pane calls this when the mouse makes or extends a
        selection, if snapping is on; True if the selection changed."""
        cursor = self.text.textCursor()
        if not cursor.hasSelection() or self.document_id is None:
            return False
        start = self.to_codepoint(cursor.selectionStart())
        end = self.to_codepoint(cursor.selectionEnd(), towards_end=True)
        snapped = snap_to_words(self.marks.body, start, end)
        if snapped == (start, end) or snapped[0] == snapped[1]:
            return False
        first, last = snapped if cursor.position() >= cursor.anchor() else snapped[::-1]
        moved = QTextCursor(self.text.document())
        moved.setPosition(self.to_units(first))
        moved.setPosition(self.to_units(last), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(moved)
        return True

    def set_snap_to_words(self, on: bool) -> None:
        """Turn snapping of mouse selections on or off, and remember it."""
        self.snap_to_words = bool(on)
        window_state.set_preference(window_state.SNAP_TO_WORDS, self.snap_to_words)

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
        self.workbench.select_passage(self.selected_passage, initiator=self)

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

    def flash_range(self, document_id: str, start: int, end: int) -> None:
        """Show where an undo or redo acted: open the document if another is shown, scroll
        to code points ``[start, end)`` and tint them for about a second (an extra selection:
        the highlights underneath are left alone). An empty range only opens the document."""
        if document_id != self.document_id:
            self.workbench.open_document(document_id)  # reaches load() at once
            if document_id != self.document_id:
                return  # gone meanwhile
        end = min(end, len(self.body))
        start = max(0, min(start, end))
        if start == end:
            return
        self._scroll_to(start, end)
        flash = QTextEdit.ExtraSelection()
        flash.cursor = QTextCursor(self.text.document())
        flash.cursor.setPosition(self.to_units(start))
        flash.cursor.setPosition(self.to_units(end), QTextCursor.MoveMode.KeepAnchor)
        tint = QColor(self.text.palette().highlight().color())
        tint.setAlpha(110)
        look = QTextCharFormat()
        look.setBackground(tint)
        look.setProperty(_FLASH_PROPERTY, True)
        flash.format = look
        self.text.setExtraSelections([*self._other_extra_selections(), flash])
        self.flashing = Span(start, end)
        self._flash_timer.start()

    def end_flash(self) -> None:
        self._flash_timer.stop()
        if self.flashing is not None:
            self.flashing = None
            self.text.setExtraSelections(self._other_extra_selections())

    def _other_extra_selections(self) -> list[QTextEdit.ExtraSelection]:
        return [s for s in self.text.extraSelections() if not s.format.property(_FLASH_PROPERTY)]

    def _on_passage_selected(self, passage_id: object) -> None:
        if self.workbench.selection_initiator is self:  # shown already
            return
        if passage_id is None or (isinstance(passage_id, str) and passage_id in self.marks):
            self._show_selected(passage_id, scroll=True)
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
        # Exactly a mention-only span: make that a passage (its entity links kept), not a twin.
        mention = next(
            (
                i.payload
                for i in self.marks.index.overlapping(span.start, span.end)
                if (i.start, i.end) == span and i.payload in self.marks.mention_only
            ),
            None,
        )
        if mention is not None:
            outcome = self.workbench.apply(
                self.tr("Mark passage as {name}").format(name=name),
                lambda: self.session.annotations.make_passage(mention, category_id),
            )
        else:
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
            self.tr("Delete {n}").format(
                n=count_noun(len(inside), self.tr("passage"), self.tr("passages"))
            ),
            lambda: self.session.annotations.delete_many(inside),
        )
        return len(inside)

    def next_passage(self) -> str | None:
        return self._walk(1)

    def previous_passage(self) -> str | None:
        return self._walk(-1)

    def _walk(self, steps: int) -> str | None:
        # Passage to passage: mention-only spans (links, not passages) are passed over.
        if self.selected_passage is not None:
            target = self.marks.step_passage(self.selected_passage, steps)
        else:
            here = self.to_codepoint(self.text.textCursor().position())
            target = self.marks.nearest_passage(here, steps)
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
        self.header.registry = registry  # "Details…" triggers the library's command
