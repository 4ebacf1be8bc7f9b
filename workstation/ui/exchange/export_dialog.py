"""File → Export…: a small non-modal dialog choosing the format, the episode and the target,
and the runner that does the export.

The export runs as a reading operation (``workbench.operations``): it gathers what to export
through a read-only connection of its own on the worker thread (the window's connection
belongs to the GUI thread; WAL lets a reader see every committed edit) and writes the files
from that plain data, so a large export never freezes the window; its progress and Cancel
are in the status bar. Tests drive the dialog through its widgets and ``accept()``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.services.exporting import (
    FORMATS,
    WRITES_FOLDER,
    ExportSummary,
    write_bundle,
)
from workstation.services.outcome import ServiceError
from workstation.services.output_paths import refuse_workspace_paths
from workstation.ui.common.operations import Operation, OperationContext
from workstation.ui.common.widgets import named
from workstation.ui.common.workers import describe_error
from workstation.ui.shell.window_state import last_folder, remember_folder
from workstation.ui.shell.workbench import Workbench

EXPORT_FOLDER = "export"  # the file dialogs' purpose: exports remember their own folder

# (combo text, one-line description, default file suffix, save dialog filter) per format.
FORMAT_INFO = {
    "w3c": (
        "W3C Web Annotation",
        "JSON Lines: every passage with its quote, position, category and entity links.",
        ".jsonl",
        "W3C annotations (*.jsonl *.json)",
    ),
    "brat": (
        "brat standoff",
        "A folder brat opens as a collection: each text with its .ann file beside it.",
        "",
        "",
    ),
    "ftm": (
        "FollowTheMoney",
        "JSON Lines for Aleph and FtM tools: entities, articles, links and events.",
        ".ftm.jsonl",
        "FollowTheMoney (*.jsonl *.json)",
    ),
    "csv": (
        "CSV table",
        "One row per passage, for spreadsheets (UTF-8, opens in Excel).",
        ".csv",
        "CSV files (*.csv)",
    ),
}


class ExportRunner(QObject):
    """Runs one export at a time through the window's operation runner: ``finished``
    carries the ExportSummary, or the error line (already shown to the user through the
    prompts)."""

    finished = Signal(object)

    def __init__(self, workbench: Workbench, parent: QObject | None = None):
        super().__init__(parent)
        self.workbench = workbench
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def start(self, fmt: str, episode_id: str | None, out: Path) -> bool:
        prompts = self.workbench.prompts
        if self.running:
            prompts.error(None, self.tr("An export is already running."))
            return False
        workspace = self.workbench.session.path
        try:  # never over the workspace, its sidecars or its backups: said before starting
            refuse_workspace_paths(out, workspace)
        except ServiceError as exc:
            prompts.error(None, str(exc))
            return False

        def work(context: OperationContext) -> ExportSummary:
            # A read-only connection of the operation's own: WAL shows it every committed
            # edit, and the files are written from the plain data it gathered.
            session = context.session
            episode = session.episodes.get(episode_id) if episode_id else None
            bundle = session.exchange.gather(episode)
            context.progress(self.tr("Writing {fmt}").format(fmt=fmt), 0, 0)
            return write_bundle(bundle, fmt, out, workspace=workspace)

        self._running = self.workbench.operations.run(
            Operation(
                self.tr("Exporting"),
                work,
                writes=False,
                on_done=self._written,
                on_error=self._failed,
                on_cancelled=self._cancelled,
            )
        )
        return self._running

    def wait(self, msecs: int = 30000) -> bool:
        return self.workbench.operations.wait(msecs) if self._running else True

    def _written(self, summary: ExportSummary) -> None:
        self._running = False
        text = summary.describe()
        self.workbench.status.emit(text[:1].upper() + text[1:])
        self.finished.emit(summary)

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        message = describe_error(exc)
        self.workbench.status.emit(self.tr("Export failed"))
        self.workbench.prompts.error(None, self.tr("Export failed: {why}").format(why=message))
        self.finished.emit(message)

    def _cancelled(self) -> None:
        self._running = False
        self.finished.emit(self.tr("Export cancelled"))


class ExportDialog(QDialog):
    """Choose what and where; OK starts the export and closes the dialog."""

    def __init__(self, workbench: Workbench, runner: ExportRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export"))
        self.setModal(False)
        self.workbench = workbench
        self.runner = runner
        self._default = ""  # the path we filled in, replaced when the format changes
        tr = self.tr

        self.format_combo = named(QComboBox(), "exportFormat", tr("Format"))
        for fmt in FORMATS:
            self.format_combo.addItem(FORMAT_INFO[fmt][0], fmt)
        self.description = named(QLabel(), "exportFormatDescription", tr("About the format"))
        self.description.setWordWrap(True)
        self.episode_combo = named(QComboBox(), "exportEpisode", tr("What to export"))
        self.refresh_episodes()
        self.path_edit = named(QLineEdit(), "exportPath", tr("Export to"))
        self.browse_button = named(QPushButton(tr("&Browse…")), "exportBrowse", tr("Browse"))
        self.browse_button.clicked.connect(self.browse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("exportButtons")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("E&xport"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(tr("&Format"), self.format_combo)
        form.addRow("", self.description)
        form.addRow(tr("&Content"), self.episode_combo)
        form.addRow(tr("&To"), where)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.buttons)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.path_edit.textChanged.connect(self._update_ok)
        self._format_changed()
        self.resize(560, self.sizeHint().height())

    # -- choices ----------------------------------------------------------------------------

    @property
    def format(self) -> str:
        return self.format_combo.currentData()

    def set_format(self, fmt: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def refresh_episodes(self) -> None:
        """Offer the episodes as they are now, keeping the choice when it still exists."""
        chosen = self.episode_combo.currentData()
        self.episode_combo.clear()
        self.episode_combo.addItem(self.tr("Whole workspace"), None)
        for episode in self.workbench.session.episodes.list_episodes():
            self.episode_combo.addItem(episode.title, episode.id)
        self.set_episode(chosen)

    def set_episode(self, episode_id: str | None) -> None:
        self.episode_combo.setCurrentIndex(max(0, self.episode_combo.findData(episode_id)))

    def default_path(self, fmt: str) -> Path:
        """Named after the workspace (``sample-w3c.jsonl``, ``sample-brat/``), in the folder
        the last export went to, else beside the workspace."""
        workspace = self.workbench.session.path
        name = f"{workspace.stem}-{fmt}{FORMAT_INFO[fmt][2]}"
        return Path(last_folder(EXPORT_FOLDER) or workspace.parent) / name

    def _format_changed(self) -> None:
        fmt = self.format
        self.description.setText(FORMAT_INFO[fmt][1])
        if self.path_edit.text() in ("", self._default):  # not typed by the officer
            self._default = str(self.default_path(fmt))
            self.path_edit.setText(self._default)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.path_edit.text().strip()))

    def browse(self) -> None:
        fmt, prompts = self.format, self.workbench.prompts
        if fmt in WRITES_FOLDER:
            folder = prompts.choose_folder_for(EXPORT_FOLDER, self, self.tr("Export to a folder"))
            if not folder:
                return
            chosen = Path(folder)
            if any(chosen.iterdir()):  # brat needs its own folder: make one inside
                chosen = chosen / self.default_path(fmt).name
            self.path_edit.setText(str(chosen))
            return
        path = prompts.save_file_for(  # the field starts in the last export's folder
            EXPORT_FOLDER,
            self,
            self.tr("Export to"),
            self.path_edit.text(),
            FORMAT_INFO[fmt][3],
            as_given=True,
        )
        if path:
            self.path_edit.setText(path)

    # -- running ----------------------------------------------------------------------------

    def accept(self) -> None:
        """Start the export (the dialog closes) or say why not (it stays open)."""
        text = self.path_edit.text().strip()
        if not text:
            return
        if self.runner.start(self.format, self.episode_combo.currentData(), Path(text)):
            remember_folder(EXPORT_FOLDER, text)  # typed or browsed: the next starts there
            super().accept()
