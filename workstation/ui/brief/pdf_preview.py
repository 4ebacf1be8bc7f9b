"""A QtPdf view that shows PDF bytes held in memory."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QWidget


class PdfPreview(QPdfView):
    """Continuous pages, fit to width; ``show_pdf`` swaps in new bytes, keeping the page."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)  # type: ignore[arg-type]  # Qt takes no parent; the stub wants one
        self.pdf_document = QPdfDocument(self)
        self.pdf_document.setObjectName("pdfPreviewDocument")
        self.setDocument(self.pdf_document)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf: bytes = b""
        self._buffer: QBuffer | None = None  # QPdfDocument reads from it while loaded

    def show_pdf(self, pdf: bytes) -> int:
        """Load ``pdf``; returns its page count (0 if it could not be read)."""
        navigator = self.pageNavigator()
        page = navigator.currentPage()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf_document.close()
        self.pdf_document.load(buffer)
        self._drop_buffer()
        self._buffer = buffer
        self.pdf = pdf
        pages = self.pdf_document.pageCount()
        if 0 < page < pages:
            navigator.jump(page, QPointF(), navigator.currentZoom())
        return pages

    def clear(self) -> None:
        self.pdf_document.close()
        self._drop_buffer()
        self.pdf = b""

    def _drop_buffer(self) -> None:
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
