"""File-menu commands that exchange work with other tools and other officers: Export…,
Import annotations… and Merge workspace….

Importing annotations and merging each become ONE undo step through ``Workbench.apply``;
the views follow through ``Workbench.changed``. A merge runs on the GUI thread (it writes
through the one connection, in one transaction) with a window-modal progress dialog whose
Cancel rolls it back; at 100k passages it takes about 5 s.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from workstation.domain.records import ChangeSet
from workstation.services.annotation_import import (
    AnnotationImportReport,
    ImportCancelled,
    import_annotations,
)
from workstation.services.merge import MergeReport, merge_workspace
from workstation.services.outcome import ServiceError
from workstation.ui.actions import ActionRegistry, ActionSpec
from workstation.ui.export_dialog import ExportDialog, ExportRunner
from workstation.ui.merge_review import MergeReviewDialog
from workstation.ui.workbench import Workbench

ANNOTATION_FILTER = "Annotations (*.jsonl *.json *.ndjson)"
WORKSPACE_FILTER = "Workspaces (*.sqlite *.db);;All files (*)"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:  # the other does not exist: the merge says so
        return False


class _MergeCancelled(Exception):
    """Raised from the progress callback: the merge's transaction rolls back."""


class _ModalProgress:
    """A window-modal progress dialog fed by work running on the GUI thread between steps.

    Merges and annotation imports write through the one connection, so they run on its
    thread; events are processed at each step: the dialog repaints and its Cancel is heard,
    while window modality keeps every other command out of the work's transactions.
    """

    cancel_error: type[Exception] = ImportCancelled

    def __init__(self, window: QWidget, text: str, name: str = "importProgress"):
        self.dialog = QProgressDialog(
            text,
            QCoreApplication.translate("Interchange", "Cancel"),
            0,
            0,
            window,
        )
        self.dialog.setObjectName(name)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoReset(False)
        self.dialog.setAutoClose(False)
        self.cancelled = False
        self.dialog.show()

    def __call__(self, step: str, done: int, total: int) -> None:
        self.dialog.setLabelText(step)
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        QCoreApplication.processEvents()
        if self.dialog.wasCanceled():
            self.cancelled = True
            raise self.cancel_error

    def close(self) -> None:
        self.dialog.close()
        self.dialog.deleteLater()


class _MergeProgress(_ModalProgress):
    cancel_error = _MergeCancelled


class InterchangeCommands(QObject):
    """Export, annotation import and merge for one main window."""

    def __init__(self, workbench: Workbench, window: QWidget):
        super().__init__(window)
        self.workbench = workbench
        self.window = window
        self.runner = ExportRunner(workbench, self)
        self.export_dialog: ExportDialog | None = None
        self.merge_review: MergeReviewDialog | None = None

    @property
    def session(self):
        return self.workbench.session

    @property
    def prompts(self):
        return self.workbench.prompts

    def register_actions(self, registry: ActionRegistry) -> None:
        tr = self.tr
        for spec, slot in (
            (
                ActionSpec(
                    "actionExport",
                    tr("&Export…"),
                    "Ctrl+Shift+X",
                    tr("Passages, entities and events as W3C, brat, FollowTheMoney or CSV"),
                ),
                self.export,
            ),
            (
                ActionSpec(
                    "actionImportAnnotations",
                    tr("Import &annotations…"),
                    tip=tr("W3C Web Annotations or FollowTheMoney entities made elsewhere"),
                ),
                self.import_annotations,
            ),
            (
                ActionSpec(
                    "actionMergeWorkspace",
                    tr("&Merge workspace…"),
                    tip=tr("Bring in another officer's workspace"),
                ),
                self.merge_workspace,
            ),
        ):
            registry.register(spec, lambda _=False, run=slot: run())

    # -- export -----------------------------------------------------------------------------

    def export(self) -> ExportDialog:
        """Show the export dialog (one at a time; non-modal)."""
        if self.export_dialog is None:
            self.export_dialog = ExportDialog(self.workbench, self.runner, self.window)
        dialog = self.export_dialog
        dialog.refresh_episodes()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    # -- import annotations -----------------------------------------------------------------

    def import_annotations(self) -> AnnotationImportReport | None:
        path = self.prompts.open_file(self.window, self.tr("Import annotations"), ANNOTATION_FILTER)
        return self.import_annotations_from(Path(path)) if path else None

    def import_annotations_from(self, path: Path) -> AnnotationImportReport | None:
        reports: list[AnnotationImportReport] = []
        progress = _ModalProgress(
            self.window, self.tr("Importing annotations from {name}…").format(name=path.name)
        )

        def step(done: int) -> None:
            progress(self.tr("{n} annotations read").format(n=f"{done:,}"), 0, 0)

        def run():
            # Cancel stops between chunks; the chunks stored stay, as one undo step.
            reports.append(import_annotations(self.session, path, progress=step))
            return reports[-1].changes

        text = self.tr("Import annotations from {name}").format(name=path.name)
        try:
            self.workbench.apply(text, run)
        finally:
            progress.close()
        if not reports:  # refused (unreadable file): the user has been told
            return None
        report = reports[0]
        summary, *problems = report.lines()  # errors, then claims and held-back names
        self.workbench.status.emit(summary)
        if problems or report.orphans:
            details = list(problems)
            if report.orphans:
                details.append(
                    self.tr(
                        "{n} annotations fit no text here; they wait in the Orphans queue."
                    ).format(n=report.orphans)
                )
            self.prompts.info(self.window, summary, "\n".join(details))
        return report

    # -- merge ------------------------------------------------------------------------------

    def merge_workspace(self) -> MergeReport | None:
        path = self.prompts.open_file(
            self.window, self.tr("Merge another officer's workspace"), WORKSPACE_FILTER
        )
        return self.merge_from(Path(path)) if path else None

    def merge_from(self, other: Path) -> MergeReport | None:
        """Merge ``other`` as one undo step; review conflicts and look-alikes if any."""
        if _same_file(other, self.session.path):
            self.prompts.error(
                self.window, self.tr("That is this workspace itself; nothing to merge.")
            )
            return None
        reports: list[MergeReport] = []
        progress = _MergeProgress(
            self.window,
            QCoreApplication.translate("Interchange", "Merging {name}…").format(name=other.name),
            "mergeProgress",
        )

        def run():
            try:
                reports.append(merge_workspace(self.session, other, progress=progress))
            except _MergeCancelled:  # rolled back: the workspace is as it was
                return ChangeSet()
            except OSError as exc:  # the backup could not be written, the file went away
                raise ServiceError(f"{other}: {exc.strerror or exc}") from exc
            return reports[-1].changes

        self.workbench.status.emit(self.tr("Merging {name}…").format(name=other.name))
        try:
            self.workbench.apply(self.tr("Merge {name}").format(name=other.name), run)
        finally:
            progress.close()
        if not reports:
            self.workbench.status.emit(
                self.tr("Merge cancelled; nothing changed")
                if progress.cancelled
                else self.tr("Merge refused")
            )
            return None
        report = reports[0]
        self.workbench.status.emit(self.describe(report))
        if report.conflicts or report.proposals:
            self.show_review(report)
        return report

    def describe(self, report: MergeReport) -> str:
        counts = report.counts.values()
        added = sum(c.added for c in counts)
        updated = sum(c.updated for c in counts)
        return self.tr(
            "Merged {name}: {added} added, {updated} updated, {conflicts} conflicts, "
            "{pairs} possible duplicate entities; backup at {backup}"
        ).format(
            name=report.other.name,
            added=added,
            updated=updated,
            conflicts=len(report.conflicts),
            pairs=len(report.proposals),
            backup=report.backup,
        )

    def show_review(self, report: MergeReport) -> MergeReviewDialog:
        if self.merge_review is not None:
            self.merge_review.close()
            self.merge_review.deleteLater()
        dialog = MergeReviewDialog(self.workbench, report, self.window)
        self.merge_review = dialog
        dialog.show()
        return dialog

    # -- lifecycle --------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Let a running export finish writing before the window goes."""
        self.runner.wait()
