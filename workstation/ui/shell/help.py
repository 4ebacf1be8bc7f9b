"""Help → Keyboard shortcuts: every command whose spec has keys a keyboard has, as this
platform writes them (``ActionRegistry.shortcut_table``); and how the user guide's markdown
is shown with its screenshots (``show_guide``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QPixmap, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workstation.ui.shell.actions import ActionRegistry


class ShortcutsDialog(QDialog):
    def __init__(
        self, registry: ActionRegistry, extra: list[tuple[str, str]], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = sorted([*registry.shortcut_table(), *extra], key=lambda r: r[0].casefold())
        self.table = QTableWidget(len(rows), 2)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (command, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(command))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 560)  # the longest command and its keys on one line each

    def rows(self) -> list[tuple[str, str]]:
        return [(self._text(r, 0), self._text(r, 1)) for r in range(self.table.rowCount())]

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""


# -- the user guide's screenshots ----------------------------------------------------------

GUIDE_IMAGE_WIDTH = 680  # px: a screenshot fits the guide's window (760 wide) unscrolled


def show_guide(browser: QTextBrowser, markdown: str, folder: Path | None) -> None:
    """Show ``markdown`` in ``browser``, its images (``![…](images/x.png)``) read from
    ``folder`` (the guide's own, resources/guide) and scaled down to GUIDE_IMAGE_WIDTH."""
    if folder is not None:
        browser.setSearchPaths([str(folder)])
    browser.setMarkdown(markdown)
    fit_images(browser.document(), GUIDE_IMAGE_WIDTH)


def guide_images(document: QTextDocument) -> list[tuple[QTextImageFormat, int, int]]:
    """Every image of ``document``: its format and where it sits (position, length)."""
    found = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().isImageFormat():
                image = fragment.charFormat().toImageFormat()
                found.append((image, fragment.position(), fragment.length()))
            fragments += 1
        block = block.next()
    return found


def image_size(document: QTextDocument, name: str) -> tuple[int, int] | None:
    """(width, height) of the image ``name`` as the document loads it; None if it cannot."""
    loaded = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
    if isinstance(loaded, (QPixmap, QImage)) and not loaded.isNull():
        return loaded.width(), loaded.height()
    return None


def fit_images(document: QTextDocument, width: int) -> None:
    """Replace every image wider than ``width`` by a smooth copy scaled down to it (markdown
    cannot say an image's size; a 1000 px screenshot would scroll sideways, and a size set
    on the format is drawn without smoothing, its text jagged)."""
    for name in dict.fromkeys(image.name() for image, _, _ in guide_images(document)):
        url = QUrl(name)
        loaded = document.resource(QTextDocument.ResourceType.ImageResource, url)
        if isinstance(loaded, QPixmap):
            loaded = loaded.toImage()
        if not isinstance(loaded, QImage) or loaded.isNull() or loaded.width() <= width:
            continue
        scaled = loaded.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        document.addResource(QTextDocument.ResourceType.ImageResource, url, scaled)
    document.markContentsDirty(0, document.characterCount())
