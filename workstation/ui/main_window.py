"""The main window (minimal for now): the library list, a read-only reader, the brief
composer dock."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
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
from workstation.ui.prompts import Prompts


class MainWindow(QMainWindow):
    def __init__(self, session: Session, prompts: Prompts | None = None):
        super().__init__()
        self.session = session
        self.prompts = prompts or Prompts()
        self.brief_composer = None  # created on first use: QtPdf and ReportLab load lazily
        self.brief_dock: QDockWidget | None = None
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
        splitter.setObjectName("centralSplitter")
        self.central_splitter = splitter
        self.setCentralWidget(splitter)

        self.library.selectionModel().selectionChanged.connect(self._on_selection)
        self._create_actions()
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

    # -- actions -----------------------------------------------------------------------------

    def _create_actions(self) -> None:
        self.action_compose_brief = QAction(self.tr("&Compose brief…"), self)
        self.action_compose_brief.setObjectName("actionComposeBrief")
        self.action_compose_brief.setShortcut(QKeySequence(self.tr("Ctrl+B")))
        self.action_compose_brief.setStatusTip(
            self.tr("Compose the episode's PDF brief, with a live preview")
        )
        self.action_compose_brief.triggered.connect(self.toggle_brief_composer)
        self.addAction(self.action_compose_brief)
        brief_menu = self.menuBar().addMenu(self.tr("&Brief"))
        brief_menu.setObjectName("menuBrief")
        brief_menu.addAction(self.action_compose_brief)

    def toggle_brief_composer(self) -> None:
        """Open the composer dock (raised, focused), or hide it when it is already in front."""
        dock = self.brief_dock
        if dock is not None and dock.isVisible() and not dock.visibleRegion().isEmpty():
            dock.hide()
            return
        self.open_brief_composer()

    def open_brief_composer(self):
        if self.brief_dock is None:
            from workstation.ui.brief_composer import BriefComposer

            self.brief_composer = BriefComposer(
                self.session, prompts=self.prompts, status_bar=self.statusBar()
            )
            self.brief_dock = QDockWidget(self.tr("Brief composer"), self)
            self.brief_dock.setObjectName("briefComposerDock")
            self.brief_dock.setAccessibleName(self.tr("Brief composer"))
            self.brief_dock.setWidget(self.brief_composer)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.brief_dock)
            self.resizeDocks(
                [self.brief_dock], [max(440, self.width() * 3 // 8)], Qt.Orientation.Horizontal
            )
            # The dock takes width from the centre: once laid out, share what is left evenly
            # so the library's titles stay legible.
            QTimer.singleShot(0, self, self._balance_centre)
        self.brief_dock.show()
        self.brief_dock.raise_()
        self.brief_composer.form.episode_combo.setFocus()
        return self.brief_composer

    def _balance_centre(self) -> None:
        half = self.central_splitter.width() // 2
        self.central_splitter.setSizes([half, half])

    def closeEvent(self, event) -> None:
        if self.brief_composer is not None:
            self.brief_composer.shutdown()
        super().closeEvent(event)
