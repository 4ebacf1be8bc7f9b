"""File-menu commands that exchange work with other tools and other officers: Export…,
Import annotations… and Merge workspace….

Importing annotations and merging each run as an Operation (``ui.common.operations``): off
the GUI thread on the worker's own connection, progress and Cancel in the status bar, the
window free for reading and searching meanwhile, the result ONE undo step that every view
hears of through ``Workbench.changed``. A merge writes in one transaction, so Cancel rolls
it back and nothing changes; an annotation import commits in chunks, so Cancel keeps the
whole chunks stored, as one undo step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from workstation.services import Session
from workstation.services.annotation_import import AnnotationImportReport, ImportCancelled
from workstation.services.merge import MergeReport
from workstation.services.outcome import ServiceError
from workstation.ui.common.operations import Operation, OperationContext
from workstation.ui.common.widgets import count_noun
from workstation.ui.common.workers import EXPECTED_ERRORS, describe_error
from workstation.ui.exchange.export_dialog import ExportDialog, ExportRunner
from workstation.ui.exchange.merge_review import MergeReviewDialog
from workstation.ui.shell.actions import ActionRegistry, ActionSpec
from workstation.ui.shell.prompts import Prompts
from workstation.ui.shell.workbench import Workbench

ANNOTATION_FILTER = (
    "Annotations (*.jsonl *.json *.ndjson *.ann *.qdpx *.qdc);;W3C or FollowTheMoney "
    "(*.jsonl *.json *.ndjson);;brat (*.ann);;REFI-QDA project or codebook (*.qdpx *.qdc)"
)
WORKSPACE_FILTER = "Workspaces (*.sqlite *.db);;All files (*)"


_TAGS_READ_HERE = 1_000_000  # bytes: a file this small is read for its tags on the GUI thread
_TAGS_LISTED = 20  # unknown tags named in the question; the rest are counted


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:  # the other does not exist: the merge says so
        return False


class InterchangeCommands(QObject):
    """Export, annotation import and merge for one main window."""

    def __init__(self, workbench: Workbench, window: QWidget):
        super().__init__(window)
        self.workbench = workbench
        self.window = window
        self.runner = ExportRunner(workbench, self)
        self.export_dialog: ExportDialog | None = None
        self.merge_review: MergeReviewDialog | None = None
        # The last finished import's and merge's reports (None: refused or cancelled).
        self.last_import: AnnotationImportReport | None = None
        self.last_merge: MergeReport | None = None

    @property
    def session(self) -> Session:
        return self.workbench.session

    @property
    def prompts(self) -> Prompts:
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
                    writes=False,
                ),
                self.export,
            ),
            (
                ActionSpec(
                    "actionImportAnnotations",
                    tr("Import &annotations…"),
                    tip=tr(
                        "W3C Web Annotations, brat (.ann), REFI-QDA (.qdpx, .qdc) or "
                        "FollowTheMoney lines made elsewhere"
                    ),
                ),
                self.import_annotations,
            ),
            (
                ActionSpec(
                    "actionImportBrat",
                    tr("Import a &brat collection…"),
                    tip=tr("A folder of brat .txt and .ann files, with its annotation.conf"),
                ),
                self.import_brat_folder,
            ),
            (
                ActionSpec(
                    "actionMergeWorkspace",
                    tr("&Merge workspace…"),
                    tip=tr("Bring in another officer's workspace"),
                ),
                self.merge_workspace,
            ),
            (
                ActionSpec(
                    "actionReviewMerge",
                    tr("&Review last merge…"),
                    tip=tr(
                        "Conflicts, look-alike entities and the agreement (Cohen's κ, "
                        "Krippendorff's α) between their coding and ours"
                    ),
                    writes=False,
                ),
                self.review_last_merge,
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

    def import_annotations(self) -> bool:
        path = self.prompts.open_file_for(
            "annotations", self.window, self.tr("Import annotations"), ANNOTATION_FILTER
        )
        return self.import_annotations_from(Path(path)) if path else False

    def import_brat_folder(self) -> bool:
        folder = self.prompts.choose_folder_for(
            "annotations", self.window, self.tr("Import a brat collection")
        )
        return self.import_annotations_from(Path(folder), "keep") if folder else False

    def import_annotations_from(self, path: Path, unknown_tags: str | None = None) -> bool:
        """Start importing ``path`` (an Operation); False if it could not start. The report
        lands in ``last_import`` when it finishes.

        ``unknown_tags`` (keep, create, skip): what a tag naming no category becomes; None:
        ask, once, listing those tags, when the file has any. A small file is read for them
        here (a few ms); a large one in a read-only operation first (docs/architecture.md,
        "Threading")."""
        self.last_import = None
        if unknown_tags is None and path.suffix.lower() in (".ann", ".qdpx", ".qdc"):
            unknown_tags = "keep"  # only W3C files carry tags that may name no category
        if unknown_tags is None:
            try:
                small = path.stat().st_size <= _TAGS_READ_HERE
            except OSError:
                small = True  # the import says what is wrong with the file
            if not small:
                return self.workbench.operations.run(
                    Operation(
                        self.tr("Reading the tags of {name}").format(name=path.name),
                        lambda context: context.session.exchange.unknown_tags(path),
                        writes=False,
                        on_done=lambda tags: self._ask_then_import(path, tags),
                    )
                )
            try:
                tags = self.session.exchange.unknown_tags(path)
            except ServiceError:
                tags = []  # the import reports the file's problem
            policy = self._ask_unknown_tags(tags)
            if policy is None:
                return False
            unknown_tags = policy
        return self._start_import(path, unknown_tags)

    def _ask_then_import(self, path: Path, tags: list[str]) -> None:
        policy = self._ask_unknown_tags(tags)
        if policy is not None:
            self._start_import(path, policy)

    def _ask_unknown_tags(self, tags: list[str]) -> str | None:
        """One question for every tag naming no category: keep, create or skip (None:
        cancelled, nothing is imported)."""
        if not tags:
            return "keep"
        answers = {
            self.tr("Keep them as tags on the passages"): "keep",
            self.tr("Create a category for each"): "create",
            self.tr("Leave them out (they are listed)"): "skip",
        }
        listed = ", ".join(f"“{tag}”" for tag in tags[:_TAGS_LISTED])
        if len(tags) > _TAGS_LISTED:
            listed += self.tr(" and {n} more").format(n=len(tags) - _TAGS_LISTED)
        label = self.tr("These tags name no category here: {tags}").format(tags=listed)
        answer = self.prompts.choose(
            self.window, self.tr("Tags without a category"), label, list(answers)
        )
        return answers.get(answer) if answer is not None else None

    def _start_import(self, path: Path, unknown_tags: str) -> bool:
        one, many = self.tr("annotation"), self.tr("annotations")
        read = self.tr("{n} read")

        def work(context: OperationContext) -> AnnotationImportReport:
            def step(done: int) -> None:
                if context.cancelled:  # stops after this chunk; the chunks stored stay
                    raise ImportCancelled
                context.progress(read.format(n=count_noun(done, one, many)), 0, 0)

            return context.session.exchange.import_annotations(
                path, progress=step, unknown_tags=unknown_tags
            )

        return self.workbench.operations.run(
            Operation(
                self.tr("Importing annotations from {name}").format(name=path.name),
                work,
                on_done=self._annotations_imported,
                undo_text=self.tr("Import annotations from {name}").format(name=path.name),
            )
        )

    def _annotations_imported(self, report: AnnotationImportReport) -> None:
        self.last_import = report
        summary, *problems = report.lines()  # errors, then claims and held-back names
        self.workbench.status.emit(summary)
        one, many = self.tr("annotation"), self.tr("annotations")
        if problems or report.orphans:
            details = list(problems)
            if report.orphans:
                details.append(
                    self.tr("{n} fit no text here; they wait in the Orphans queue.").format(
                        n=count_noun(report.orphans, one, many)
                    )
                )
            self.prompts.info(self.window, summary, "\n".join(details))

    # -- merge ------------------------------------------------------------------------------

    def merge_workspace(self) -> bool:
        path = self.prompts.open_file_for(
            "merge", self.window, self.tr("Merge another officer's workspace"), WORKSPACE_FILTER
        )
        return self.merge_from(Path(path)) if path else False

    def merge_from(self, other: Path) -> bool:
        """Start merging ``other`` (an Operation; one undo step; conflicts and look-alikes
        reviewed after); False if it could not start. The report lands in ``last_merge``."""
        self.last_merge = None
        if _same_file(other, self.session.path):
            self.prompts.error(
                self.window, self.tr("That is this workspace itself; nothing to merge.")
            )
            return False

        def work(context: OperationContext) -> MergeReport:
            try:
                # Cancel raises from the progress step, inside the merge's one transaction:
                # it rolls back and the workspace is as it was.
                return context.session.exchange.merge(other, progress=context.progress)
            except OSError as exc:  # the backup could not be written, the file went away
                raise ServiceError(f"{other}: {exc.strerror or exc}") from exc

        return self.workbench.operations.run(
            Operation(
                self.tr("Merging {name}").format(name=other.name),
                work,
                on_done=self._merged,
                on_error=self._merge_refused,
                on_cancelled=lambda: self.workbench.status.emit(
                    self.tr("Merge cancelled; nothing changed")
                ),
                undo_text=self.tr("Merge {name}").format(name=other.name),
            )
        )

    def _merged(self, report: MergeReport) -> None:
        self.last_merge = report
        self.workbench.status.emit(self.describe(report))
        if report.conflicts or report.proposals:
            self.show_review(report)

    def review_last_merge(self) -> MergeReviewDialog | None:
        """The review of this session's last merge (its Agreement tab even when nothing
        conflicted); before any merge, the status bar says so."""
        if self.last_merge is None:
            self.workbench.status.emit(self.tr("No merge yet in this session: nothing to review"))
            return None
        return self.show_review(self.last_merge)

    def _merge_refused(self, exc: BaseException) -> None:
        self.workbench.status.emit(self.tr("Merge refused"))
        if isinstance(exc, (*EXPECTED_ERRORS, ValueError)):  # a bug is reported as one
            self.prompts.error(None, describe_error(exc))

    def describe(self, report: MergeReport) -> str:
        counts = report.counts.values()
        added = sum(c.added for c in counts)
        updated = sum(c.updated for c in counts)
        return self.tr(
            "Merged {name}: {added} added, {updated} updated, {conflicts}, "
            "{pairs}; backup at {backup}"
        ).format(
            name=report.other.name,
            added=added,
            updated=updated,
            conflicts=count_noun(len(report.conflicts), self.tr("conflict"), self.tr("conflicts")),
            pairs=count_noun(
                len(report.proposals),
                self.tr("possible duplicate entity"),
                self.tr("possible duplicate entities"),
            ),
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
