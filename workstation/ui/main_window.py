"""The main window (minimal for now): the library list and a read-only reader."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.services import Session
from workstation.ui.document_model import DocumentTableModel


class MainWindow(QMainWindow):
    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("Workstation — {name}").format(name=session.path.name))

        self.library_model = DocumentTableModel(session, self)
        self.library = QTableView()
        self.library.setObjectName("library")
        self.library.setAccessibleName(self.tr("Library"))
        self.library.setModel(self.library_model)
        self.library.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.library.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.library.verticalHeader().setVisible(False)
        self.library.setWordWrap(False)
        self.library.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.library.setAlternatingRowColors(True)
        # Fixed row height: ResizeToContents on 100k rows froze for 27 s (DESIGN.md).
        self.library.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.library.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(DocumentTableModel.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.title_label = QLabel()
        self.title_label.setObjectName("documentTitle")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        self.title_label.setFont(font)
        self.reader = QPlainTextEdit()
        self.reader.setObjectName("reader")
        self.reader.setAccessibleName(self.tr("Reader"))
        self.reader.setReadOnly(True)
        self.reader.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        reading_font = self.reader.font()
        reading_font.setPointSizeF(reading_font.pointSizeF() * 1.15)
        self.reader.setFont(reading_font)
        self.reader.document().setDocumentMargin(10)

        reader_pane = QWidget()
        layout = QVBoxLayout(reader_pane)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.title_label)
        layout.addWidget(self.reader, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.library)
        splitter.addWidget(reader_pane)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([480, 800])
        self.setCentralWidget(splitter)

        self.library.selectionModel().selectionChanged.connect(self._on_selection)
        self.statusBar().showMessage(
            self.tr("{count} documents · {path}").format(
                count=session.documents.count(), path=session.path
            )
        )
        if self.library_model.rowCount() > 0:
            self.library.selectRow(0)

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        document_id = self.library_model.document_id(indexes[0].row())
        if document_id is not None:
            self.open_document(document_id)

    def open_document(self, document_id: str) -> None:
        document = self.session.documents.get(document_id)
        self.title_label.setText(document.title)
        self.reader.setPlainText(document.body)
