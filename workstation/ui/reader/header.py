"""The reader's header: the document's title, the line of its details (outlet, date, place,
grade, "Details…"), a note when a newer version of the article exists, and what each mark
for an invisible character stands for. Shown text goes through the display policy."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workstation.domain.document_details import format_published
from workstation.domain.grades import format_grade
from workstation.domain.records import Document
from workstation.domain.text_display import invisibles_sentence, shown, shown_line
from workstation.ui.reader.highlighter import PassageMarks
from workstation.ui.shell.actions import ActionRegistry
from workstation.ui.shell.workbench import Workbench


class ReaderHeader(QWidget):
    def __init__(self, workbench: Workbench, parent: QWidget | None = None):
        super().__init__(parent)
        self.workbench = workbench
        self.session = workbench.session
        self._document_id: str | None = None
        self._marks = PassageMarks()
        self.title_label = QLabel()
        self.title_label.setObjectName("readerTitle")
        self.title_label.setAccessibleName(self.tr("Document title"))
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        # Outlet, date, place and grade under the title, and "Details…" to edit them (the
        # library's Document details command; see register_actions).
        self.details_label = QLabel()
        self.details_label.setObjectName("readerDetails")
        self.details_label.setAccessibleName(self.tr("Document details"))
        self.details_label.setTextFormat(Qt.TextFormat.RichText)
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.details_label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.details_label.linkActivated.connect(self.request_details)
        self.details_label.hide()
        self.registry: ActionRegistry | None = None  # set when the window registers actions
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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.details_label)
        layout.addWidget(self.version_label)
        layout.addWidget(self.invisibles_label)

    def show_document(self, document: Document | None, marks: PassageMarks) -> None:
        """Show ``document`` (None: nothing open) whose text ``marks`` holds."""
        self._document_id = document.id if document is not None else None
        self._marks = marks
        if document is None:
            self.title_label.clear()
        else:
            self.title_label.setText(shown(document.title))
        self._show_details(document)
        self._show_version_note()
        self._show_invisibles_note()

    def _show_details(self, document: Document | None) -> None:
        """The line under the title: outlet, date, place, grade and "Details…"; what is
        missing is said ("no outlet", "no date")."""
        if document is None:
            self.details_label.clear()
            self.details_label.hide()
            return
        parts = [
            shown_line(document.outlet) if document.outlet else self.tr("no outlet"),
            format_published(document.published) or self.tr("no date"),
        ]
        if document.place:
            parts.append(shown_line(document.place))
        grade = format_grade(document.reliability, document.credibility)
        parts.append(self.tr("Grade {grade}").format(grade=grade))
        if document.note.strip():  # the note itself is read in Details… (and the tooltip)
            parts.append(self.tr("Note"))
        text = " · ".join(html.escape(part) for part in parts)
        if document.proposed:
            text += " · <i>" + html.escape(self.tr("proposed, not confirmed")) + "</i>"
        link = html.escape(self.tr("Details…"))
        self.details_label.setText(f'{text} · <a href="details">{link}</a>')
        tip = self.tr("Edit the document's details (F2 in the library)")
        if document.note.strip():
            tip += "\n\n" + self.tr("Note: {note}").format(note=shown_line(document.note[:300]))
        self.details_label.setToolTip(tip)
        self.details_label.show()

    def request_details(self, _link: str = "") -> None:
        """Open the Document details dialog for the document shown (the registered command
        when there is one: the library's)."""
        if self._document_id is None:
            return
        registry = self.registry
        if registry is not None and "actionDocumentDetails" in registry:
            if self.workbench.current_document != self._document_id:
                self.workbench.open_document(self._document_id)
            registry["actionDocumentDetails"].trigger()
        else:
            self.workbench.status.emit(self.tr("Document details are edited from the library"))

    def _show_version_note(self) -> None:
        newest = None
        if self._document_id is not None:
            newest = self.session.versions.newest_id(self._document_id)
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
        plain = self._document_id is None or self._marks.shown.map.identity
        sentence = "" if plain else invisibles_sentence(self._marks.body)
        if not sentence:
            self.invisibles_label.hide()
            return
        self.invisibles_label.setText(sentence)
        self.invisibles_label.show()

    def _open_newest(self, _link: str = "") -> None:
        self._show_version_note()  # asked again: versions may have come or gone since
        if self._newest_id is not None:
            self.workbench.open_document(self._newest_id)
