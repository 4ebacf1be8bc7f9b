"""File → Export…: a small non-modal dialog choosing the format, the episode and the target,
and the runner that does the export.

The export runs in a QThread: it gathers what to export through a read-only connection of
its own (the window's connection belongs to the GUI thread; WAL lets a reader see every
committed edit) and writes the files from that plain data, so a large export never freezes
the window. Tests drive the dialog through its widgets and ``accept()``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
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

from workstation.services import open_session
from workstation.services.exporting import (
    FORMATS,
    WRITES_FOLDER,
    ExportSummary,
    gather,
    write_bundle,
)
from workstation.services.outcome import ServiceError
from workstation.services.output_paths import refuse_workspace_paths
from workstation.ui.naming import named
from workstation.ui.workbench import Workbench
from workstation.ui.workers import describe_error

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


class _ExportThread(QThread):
    written = Signal(object)  # ExportSummary
    failed = Signal(str)

    def __init__(
        self, path: Path, episode_id: str | None, fmt: str, out: Path, parent: QObject | None
    ):
        super().__init__(parent)
        self._path, self._episode_id, self._fmt, self._out = path, episode_id, fmt, out

    def run(self) -> None:
        try:
            with open_session(self._path, read_only=True) as session:
                episode = session.episodes.get(self._episode_id) if self._episode_id else None
                bundle = gather(session, episode)
            summary = write_bundle(bundle, self._fmt, self._out, workspace=self._path)
        except Exception as exc:  # reported on the GUI thread; nothing can catch it here
            self.failed.emit(describe_error(exc))
        else:
            self.written.emit(summary)


class ExportRunner(QObject):
    """Runs one export at a time: ``finished`` carries the ExportSummary, or the error line
    (already shown to the user through the prompts)."""

    finished = Signal(object)

    def __init__(self, workbench: Workbench, parent: QObject | None = None):
        super().__init__(parent)
        self.workbench = workbench
        self._thread: _ExportThread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, fmt: str, episode_id: str | None, out: Path) -> bool:
        prompts = self.workbench.prompts
        if self.running:
            prompts.error(None, self.tr("An export is already running."))
            return False
        try:  # never over the workspace, its sidecars or its backups: said before starting
            refuse_workspace_paths(out, self.workbench.session.path)
        except ServiceError as exc:
            prompts.error(None, str(exc))
            return False
        thread = _ExportThread(self.workbench.session.path, episode_id, fmt, out, self)
        thread.written.connect(self._written)
        thread.failed.connect(self._failed)
        thread.finished.connect(self._done)
        self._thread = thread
        self.workbench.status.emit(self.tr("Exporting…"))
        thread.start()
        return True

    def wait(self, msecs: int = 30000) -> bool:
        return self._thread.wait(msecs) if self._thread is not None else True

    def _written(self, summary: ExportSummary) -> None:
        text = summary.describe()
        self.workbench.status.emit(text[:1].upper() + text[1:])
        self.finished.emit(summary)

    def _failed(self, message: str) -> None:
        self.workbench.status.emit(self.tr("Export failed"))
        self.workbench.prompts.error(None, self.tr("Export failed: {why}").format(why=message))
        self.finished.emit(message)

    def _done(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.deleteLater()


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
        for episode in self.workbench.session.episodes.list():
            self.episode_combo.addItem(episode.title, episode.id)
        self.set_episode(chosen)

    def set_episode(self, episode_id: str | None) -> None:
        self.episode_combo.setCurrentIndex(max(0, self.episode_combo.findData(episode_id)))

    def default_path(self, fmt: str) -> Path:
        """Beside the workspace, named after it: ``sample-w3c.jsonl``, ``sample-brat/``."""
        workspace = self.workbench.session.path
        return workspace.with_name(f"{workspace.stem}-{fmt}{FORMAT_INFO[fmt][2]}")

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
            folder = prompts.choose_folder(self, self.tr("Export to a folder"))
            if not folder:
                return
            chosen = Path(folder)
            if any(chosen.iterdir()):  # brat needs its own folder: make one inside
                chosen = chosen / self.default_path(fmt).name
            self.path_edit.setText(str(chosen))
            return
        path = prompts.save_file(
            self, self.tr("Export to"), self.path_edit.text(), FORMAT_INFO[fmt][3]
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
            super().accept()
