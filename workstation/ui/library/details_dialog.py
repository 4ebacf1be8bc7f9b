"""Document details: title, outlet, address, published date and time with its zone, the
dateline's place, language, source grade and the note on the whole document (plain text;
other tools' page notes are appended to it at import), edited together and saved as one
undo step.

Opened from the library (F2, a double-click outside the Grade column, the context menu)
and from the reader's header ("Details…"). It never opens modally (tests drive it
directly; a modal loop hangs an offscreen test). Values read from the article's first
lines at import are proposals: shown in italics here and in the library, and confirmed by
saving. The service checks every field and names each fault on a line of its own, shown
in the dialog, which stays open to fix them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.document_details import (
    language_name,
    published_value,
    split_published,
)
from workstation.domain.grades import CREDIBILITY, RELIABILITY
from workstation.domain.records import ChangeSet, Document
from workstation.domain.text_display import shown_line
from workstation.services.outcome import NotFound, ServiceError
from workstation.ui.common.widgets import caption, elide, hbox, line_edit, named
from workstation.ui.shell.workbench import Workbench

# Offered first; any ISO 639 code or English language name may be typed.
COMMON_LANGUAGES = ("en", "ru", "uk", "be", "de", "fr", "es", "it", "pl", "zh", "ar", "fa", "tr")
# UTC offsets offered for the published time; any other may be typed (UTC+05:45).
ZONES = (
    "-10:00", "-08:00", "-07:00", "-06:00", "-05:00", "-04:00", "-03:00", "+00:00",
    "+01:00", "+02:00", "+03:00", "+04:00", "+05:00", "+05:30", "+06:00", "+07:00",
    "+08:00", "+09:00", "+10:00", "+12:00",
)  # fmt: skip
_ZONE_NAMES = {"+00:00": "UTC", "+01:00": "CET", "+02:00": "EET", "+03:00": "Moscow"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("DocumentDetailsDialog", text)


class DocumentDetailsDialog(QDialog):
    saved = Signal(str)  # the document's id

    def __init__(self, workbench: Workbench, document_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("documentDetailsDialog")
        self.workbench, self.session, self.document_id = (
            workbench,
            workbench.session,
            document_id,
        )
        self.document: Document = self.session.documents.get(document_id)
        self.setWindowTitle(self.tr("Document details"))
        self.setAccessibleName(self.windowTitle())
        tr = self.tr

        self.title_edit = named(QLineEdit(), "detailsTitle", tr("Title"))
        self.outlet = named(QLineEdit(), "detailsOutlet", tr("Outlet"))
        self.outlet.setPlaceholderText(tr("e.g. TASS, Reuters"))
        completer = QCompleter(self.session.library.outlets(), self.outlet)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setObjectName("detailsOutletCompleter")
        self.outlet.setCompleter(completer)
        self.url = named(QLineEdit(), "detailsUrl", tr("Address (URL)"))
        self.url.setPlaceholderText("https://…")
        self.day = named(QLineEdit(), "detailsPublishedDate", tr("Published date"))
        self.day.setPlaceholderText(tr("2021-04-16 or 16 April 2021"))
        self.time = named(QLineEdit(), "detailsPublishedTime", tr("Published time"))
        self.time.setPlaceholderText(tr("hh:mm"))
        self.time.setMaximumWidth(self.fontMetrics().horizontalAdvance("00:00:00") + 24)
        self.zone = named(
            QComboBox(), "detailsPublishedZone", tr("Time zone of the published time")
        )
        self.zone.setEditable(True)
        named(line_edit(self.zone), "detailsPublishedZoneText", tr("Time zone"))
        for offset in ZONES:
            label = f"UTC{offset}" if offset != "+00:00" else "UTC"
            if offset in _ZONE_NAMES and offset != "+00:00":
                label += f" ({_ZONE_NAMES[offset]})"
            self.zone.addItem(label, offset)
        self.place = named(QLineEdit(), "detailsPlace", tr("Place (dateline)"))
        self.place.setPlaceholderText(tr("Where it was filed from, e.g. Moscow"))
        self.language = named(QComboBox(), "detailsLanguage", tr("Language"))
        self.language.setEditable(True)
        self.language.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        named(line_edit(self.language), "detailsLanguageText", tr("Language code"))
        self.language.addItem("", None)
        for code in COMMON_LANGUAGES:
            self.language.addItem(f"{code} — {language_name(code)}", code)
        self.reliability = self._grade_combo(
            "detailsReliability", tr("Source reliability (A–F)"), RELIABILITY
        )
        self.credibility = self._grade_combo(
            "detailsCredibility", tr("Information credibility (1–6)"), CREDIBILITY
        )
        self.note = named(QPlainTextEdit(), "detailsNote", tr("Note on the document"))
        self.note.setPlaceholderText(tr("Your note on the whole article (plain text)"))
        self.note.setTabChangesFocus(True)  # Tab moves on, as in every other field here
        self.note.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.proposed_note = named(QLabel(), "detailsProposedNote", tr("Proposed details"))
        self.proposed_note.setWordWrap(True)
        self.errors = named(QLabel(), "detailsErrors", tr("Problems"))
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b00020;")
        self.errors.hide()
        standard = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(standard.Save | standard.Cancel)
        named(self.buttons.button(standard.Save), "detailsSave", tr("Save details"))
        named(self.buttons.button(standard.Cancel), "detailsCancel", tr("Cancel"))
        self._lay_out()

        # A zone belongs to a time: without one the day alone is stored.
        self.time.textChanged.connect(lambda text: self.zone.setEnabled(bool(text.strip())))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.close)
        workbench.changed.connect(self._on_changed)
        self.fill()

    def _grade_combo(self, name: str, accessible: str, meanings: dict[str, str]) -> QComboBox:
        combo = named(QComboBox(), name, accessible, accessible)
        combo.addItem(self.tr("(not graded)"), None)
        for code, meaning in meanings.items():
            combo.addItem(f"{code} — {meaning}", code)
        return combo

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        tr = self.tr
        form.addRow(caption(tr("&Title:"), self.title_edit), self.title_edit)
        form.addRow(caption(tr("&Outlet:"), self.outlet), self.outlet)
        form.addRow(caption(tr("&Address:"), self.url), self.url)
        published = hbox(self.day, self.time, self.zone, grow=(0,))
        form.addRow(caption(tr("&Published:"), self.day), published)
        form.addRow(caption(tr("Pla&ce:"), self.place), self.place)
        form.addRow(caption(tr("&Language:"), self.language), self.language)
        form.addRow(
            caption(tr("&Grade:"), self.reliability),
            hbox(self.reliability, self.credibility, grow=(0, 1)),
        )
        form.addRow(caption(tr("&Note:"), self.note), self.note)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.proposed_note)
        column.addWidget(self.errors)
        column.addWidget(self.buttons)
        self.resize(max(560, self.sizeHint().width()), self.sizeHint().height())

    # -- filling ----------------------------------------------------------------------------

    def fill(self) -> None:
        """The fields from the stored document; proposed ones in italics."""
        doc = self.document
        self.title_edit.setText(doc.title)
        self.title_edit.setCursorPosition(0)
        self.outlet.setText(doc.outlet or "")
        self.url.setText(doc.url or "")
        day, clock, zone = split_published(doc.published)
        self.day.setText(day)
        self.time.setText(clock)
        self._set_zone(zone or "+00:00")
        self.zone.setEnabled(bool(clock))
        self.place.setText(doc.place or "")
        self._set_language(doc.language)
        for combo, value in (
            (self.reliability, doc.reliability),
            (self.credibility, doc.credibility),
        ):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.note.setPlainText(doc.note)
        proposed = set(doc.proposed)
        for name, widget in (
            ("title", self.title_edit),
            ("published", self.day),
            ("place", self.place),
        ):
            font = widget.font()
            font.setItalic(name in proposed)
            widget.setFont(font)
            widget.setToolTip(
                self.tr("Proposed from the article's first lines: check it, then save")
                if name in proposed
                else ""
            )
        self._show_proposed(proposed)
        self.errors.hide()
        self.errors.clear()

    def _show_proposed(self, proposed: set[str]) -> None:
        names = {
            "title": self.tr("title"),
            "published": self.tr("published date"),
            "place": self.tr("place"),
        }
        listed = [names[n] for n in ("title", "published", "place") if n in proposed]
        if listed:
            self.proposed_note.setText(
                self.tr(
                    "Proposed at import from the article's first lines (in italics): {fields}. "
                    "Saving confirms them."
                ).format(fields=", ".join(listed))
            )
            self.proposed_note.show()
        else:
            self.proposed_note.clear()
            self.proposed_note.hide()

    def _set_zone(self, offset: str) -> None:
        index = self.zone.findData(offset)
        if index >= 0:
            self.zone.setCurrentIndex(index)
        else:
            self.zone.setEditText(f"UTC{offset}")

    def _set_language(self, code: str | None) -> None:
        index = self.language.findData(code) if code else 0
        if index >= 0:
            self.language.setCurrentIndex(index)
        else:
            self.language.setEditText(code or "")

    # -- reading the fields -------------------------------------------------------------------

    def zone_value(self) -> str:
        text = self.zone.currentText().strip()
        index = self.zone.findText(text, Qt.MatchFlag.MatchFixedString)
        return self.zone.itemData(index) if index >= 0 else text

    def language_value(self) -> str:
        text = self.language.currentText().strip()
        index = self.language.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return self.language.itemData(index) or ""
        return text.split(" — ")[0].strip()

    def values(self) -> dict[str, str | None]:
        """The fields as the service takes them; raises ServiceError (every fault, one
        line each) when the published date, time or zone cannot be read."""
        problems: list[str] = []
        published: str | None = None
        try:
            published = published_value(self.day.text(), self.time.text(), self.zone_value())
        except ValueError as exc:
            problems.append(str(exc))
        fields = {
            "title": self.title_edit.text(),
            "outlet": self.outlet.text(),
            "url": self.url.text(),
            "published": published,
            "place": self.place.text(),
            "language": self.language_value(),
            "reliability": self.reliability.currentData(),
            "credibility": self.credibility.currentData(),
            "note": self.note.toPlainText(),
        }
        try:
            checked = self.session.documents.check_details(self.document_id, **fields)
        except ServiceError as exc:
            problems.extend(str(exc).splitlines())
        if problems:
            raise ServiceError("\n".join(problems))
        return checked

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> bool:
        """Save every field as one undo step; False (the faults shown) if any is wrong."""
        try:
            fields = self.values()
        except ServiceError as exc:
            self.show_errors(str(exc).splitlines())
            return False
        title = elide(fields.get("title") or self.document.title, 40)
        text = self.tr("Edit details of “{title}”").format(title=title)
        documents = self.session.documents
        outcome = self.workbench.apply(
            text, lambda: documents.edit_details(self.document_id, **fields), initiator=self
        )
        if outcome is None:
            return False
        self.document = outcome.record
        self.saved.emit(self.document_id)
        self.workbench.status.emit(self.tr("Details saved (Ctrl+Z undoes)"))
        self.close()
        return True

    def show_errors(self, lines: list[str]) -> None:
        self.errors.setText("\n".join(f"• {shown_line(line)}" for line in lines))
        self.errors.show()
        field = self._field_of(lines[0]) if lines else None
        if field is not None:
            field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _field_of(self, line: str) -> QWidget | None:
        for word, widget in (
            ("title", self.title_edit),
            ("address", self.url),
            ("published time", self.time),
            ("time zone", self.zone),
            ("published", self.day),
            ("language", self.language),
            ("reliability", self.reliability),
            ("credibility", self.credibility),
            ("note", self.note),
        ):
            if word in line:
                return widget
        return None

    def _on_changed(self, changes: ChangeSet) -> None:
        """Undo or redo of these details (or the document's deletion) while open: show the
        stored values again."""
        if changes.initiator is self or not self.isVisible():
            return
        if self.document_id not in changes.ids_of(Document):
            return
        try:
            self.document = self.session.documents.get(self.document_id)
        except NotFound:
            self.close()
            return
        self.fill()


def open_details(
    workbench: Workbench,
    document_id: str,
    parent: QWidget | None,
    current: DocumentDetailsDialog | None = None,
) -> DocumentDetailsDialog | None:
    """The details dialog for ``document_id``: ``current`` raised when it already shows that
    document and is open, else a new one shown (``current`` closed). None when the document
    is gone."""
    if current is not None and current.isVisible() and current.document_id == document_id:
        current.raise_()
        current.activateWindow()
        return current
    if current is not None:
        current.close()
        current.deleteLater()
    try:
        dialog = DocumentDetailsDialog(workbench, document_id, parent)
    except NotFound:
        workbench.status.emit(_tr("That document is no longer in the workspace"))
        return None
    dialog.setWindowFlag(Qt.WindowType.Window, True)
    dialog.show()
    return dialog
