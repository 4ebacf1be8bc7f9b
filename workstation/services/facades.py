"""Per-feature facades: the use cases that act on an open workspace, one class per feature,
reached as ``Session`` attributes (``session.search``, ``session.timeline``, …).

Each is thin: it binds the session to the feature's functions, which stay where they are
documented (``search``, ``timeline``, ``importing``, ``merge``, ``exporting``,
``annotation_import``, ``maintenance``, ``backups``, ``versions``). ``Session`` builds them
lazily, on first use, so opening a session stays as fast as opening its file.

Helpers that need no open session stay free functions in their modules: reading or walking
files (``importing.parse_file``, ``import_paths.walk_paths``), writing an export already
gathered (``exporting.write_bundle``), the checks on an output path (``output_paths``),
settings, and what runs on a path of its own in a worker thread (``backups.backup_if_stale``,
``maintenance.inspect_path``, ``backups.restore`` of a closed workspace).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.domain.records import ChangeSet, Document, Episode, Event
from workstation.domain.search import SearchCursor, SearchFilters
from workstation.services.outcome import Outcome

if TYPE_CHECKING:
    from workstation.domain.date_proposal import DateProposal
    from workstation.interchange.bundle import ExportBundle
    from workstation.services.agreement import AgreementReport
    from workstation.services.annotation_import import AnnotationImportReport
    from workstation.services.backups import BackupInfo
    from workstation.services.exporting import ExportSummary
    from workstation.services.importing import ImportResult, ParsedFile
    from workstation.services.maintenance import Findings, Problem, RepairReport
    from workstation.services.merge import Conflict, MergeReport, Progress
    from workstation.services.search import FilterChoices
    from workstation.services.session import Session
    from workstation.services.timeline import EventDraft, TimelineRow
    from workstation.storage.import_runs import ImportRun
    from workstation.storage.search import SearchHit, SearchPage

__all__ = [
    "Exchange",
    "Importing",
    "Maintenance",
    "SearchFacade",
    "Timeline",
    "Versions",
]


class _Facade:
    def __init__(self, session: Session):
        self.session = session


class SearchFacade(_Facade):
    """Full-text search: ranked hits, filtered pages with a cursor, the filters' choices."""

    def hits(self, query: str, *, limit: int = 50, rank_anyway: bool = False) -> list[SearchHit]:
        """The first ``limit`` hits for ``query``, unfiltered (the CLI's ``search``)."""
        from workstation.storage.search import search

        return search(self.session.workspace, query, limit=limit, rank_anyway=rank_anyway)

    def __call__(
        self, query: str, *, limit: int = 50, rank_anyway: bool = False
    ) -> list[SearchHit]:
        """``session.search(query)``: shorthand for ``session.search.hits(query)``."""
        return self.hits(query, limit=limit, rank_anyway=rank_anyway)

    def page(
        self,
        text: str,
        filters: SearchFilters | None = None,
        cursor: SearchCursor | None = None,
        *,
        limit: int | None = None,
        rank_anyway: bool = False,
    ) -> SearchPage:
        """One page of hits; pass the page's ``next_cursor`` for the next (``search_page``)."""
        from workstation.services.search import PAGE_SIZE, search_page

        return search_page(
            self.session,
            text,
            filters,
            cursor,
            limit=PAGE_SIZE if limit is None else limit,
            rank_anyway=rank_anyway,
        )

    def choices(self) -> FilterChoices:
        """What the filter controls list: categories, entities, outlets."""
        from workstation.services.search import filter_choices

        return filter_choices(self.session)


class Timeline(_Facade):
    """An episode's events as a threaded timeline, and what the event form needs."""

    def rows(
        self,
        episode_ref: str | None = None,
        *,
        actor_id: str | None = None,
        kind: str | None = None,
    ) -> list[TimelineRow]:
        from workstation.services.timeline import timeline

        return timeline(self.session, episode_ref, actor_id=actor_id, kind=kind)

    def actors(self, episode_ref: str | None = None) -> list[tuple[str, str]]:
        from workstation.services.timeline import actors

        return actors(self.session, episode_ref)

    def draft_from_passages(self, passage_ids: list[str]) -> EventDraft:
        from workstation.services.timeline import draft_from_passages

        return draft_from_passages(self.session, passage_ids)

    def propose_event_date(self, passage_ids: list[str]) -> tuple[DateProposal, Document] | None:
        from workstation.services.timeline import propose_event_date

        return propose_event_date(self.session, passage_ids)

    def answerable_events(self, episode_id: str, event_id: str | None) -> list[Event]:
        from workstation.services.timeline import answerable_events

        return answerable_events(self.session, episode_id, event_id)

    def save_event(self, event_id: str, *, evidence: list[str], **fields: object) -> Outcome[Event]:
        from workstation.services.timeline import save_event

        return save_event(self.session, event_id, evidence=evidence, **fields)


class Importing(_Facade):
    """Importing files: whole imports, resumes, and the steps the GUI's importer runs."""

    def files(
        self,
        paths: Iterable[Path | str],
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        pages: Callable[[Path, int, int], None] | None = None,
    ) -> tuple[list[ImportResult], ChangeSet]:
        from workstation.services.importing import import_files

        return import_files(
            self.session, paths, progress=progress, cancelled=cancelled, pages=pages
        )

    def resume(
        self,
        run: ImportRun,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        pages: Callable[[Path, int, int], None] | None = None,
    ) -> tuple[list[ImportResult], ChangeSet]:
        from workstation.services.importing import resume_import

        return resume_import(self.session, run, progress=progress, cancelled=cancelled, pages=pages)

    def run(
        self,
        files: list[Path],
        *,
        run_id: str | None = None,
        start: int = 0,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        stored: Callable[[ChangeSet], None] | None = None,
    ) -> tuple[list[ImportResult], ChangeSet]:
        """Import files already listed, from ``start``, under journal entry ``run_id`` or a
        new one (``importing.run_import``: what the GUI's background import runs)."""
        from workstation.services.importing import run_import

        return run_import(
            self.session,
            files,
            run_id=run_id,
            start=start,
            progress=progress,
            cancelled=cancelled,
            stored=stored,
        )

    def store(
        self,
        parsed: Sequence[tuple[Path, Document | ParsedFile]],
        *,
        journal: tuple[str, int] | None = None,
    ) -> tuple[list[ImportResult], ChangeSet]:
        from workstation.services.importing import store_documents

        return store_documents(self.session, parsed, journal=journal)

    def begin(self, files: list[Path]) -> str:
        from workstation.services.importing import begin_import

        return begin_import(self.session, files)

    def end(self, run_id: str, *, done: int, cancelled: bool = False) -> None:
        from workstation.services.importing import end_import

        end_import(self.session, run_id, done=done, cancelled=cancelled)

    def unfinished(self) -> list[ImportRun]:
        from workstation.services.importing import unfinished_imports

        return unfinished_imports(self.session)


def annotation_file_kind(path: Path) -> str:
    """Which importer reads ``path``: ``brat`` (a folder, or a ``.ann`` file), ``qdpx`` or
    ``qdc`` (REFI-QDA project or codebook), else ``json`` (W3C annotations or FtM lines,
    told apart by their content)."""
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".ann":
        return "brat"
    if suffix in (".qdpx", ".qdc"):
        return suffix[1:]
    return "json"


class Exchange(_Facade):
    """Work with other files: merging a workspace, importing annotations, exporting."""

    def merge(self, other_path: Path | str, *, progress: Progress | None = None) -> MergeReport:
        from workstation.services.merge import merge_workspace

        return merge_workspace(self.session, other_path, progress=progress)

    def take_version(self, conflict: Conflict, side: str) -> ChangeSet:
        from workstation.services.merge import take_version

        return take_version(self.session, conflict, side)

    def import_annotations(
        self,
        path: Path | str,
        *,
        progress: Callable[[int], None] | None = None,
        text: str | None = None,
        unknown_tags: str = "keep",
        document_id: str | None = None,
    ) -> AnnotationImportReport:
        from workstation.services.annotation_import import import_annotations

        path = Path(path)
        kind = annotation_file_kind(path)
        if kind == "brat":
            from workstation.services.brat_import import import_brat

            return import_brat(self.session, path, document_id=document_id, progress=progress)
        if kind in ("qdpx", "qdc"):
            from workstation.services import refi_qda

            importer = refi_qda.import_project if kind == "qdpx" else refi_qda.import_codebook
            return importer(self.session, path)
        return import_annotations(
            self.session,
            path,
            progress=progress,
            text=text,
            unknown_tags=unknown_tags,
            document_id=document_id,
        )

    def agreement(
        self,
        other_path: Path | str,
        *,
        episode: str | None = None,
        before: ChangeSet | None = None,
    ) -> AgreementReport:
        """Cohen's κ and Krippendorff's α between our passages and another workspace's on
        the same documents (``before``: our coding as it was before a merge's changes)."""
        from workstation.services.agreement import agreement_with

        return agreement_with(self.session, other_path, episode=episode, before=before)

    def unknown_tags(self, path: Path | str) -> list[str]:
        """The W3C tags of ``path`` that name no category here (asked about before import)."""
        from workstation.services.annotation_import import unknown_tags

        return unknown_tags(self.session, path)

    def gather(self, episode: Episode | None = None) -> ExportBundle:
        """What an export writes (``write_bundle`` then writes it, off the session)."""
        from workstation.services.exporting import gather

        return gather(self.session, episode)

    def export(self, fmt: str, out: Path | str, *, episode: Episode | None = None) -> ExportSummary:
        from workstation.services.exporting import export

        return export(self.session, fmt, out, episode=episode)


class Maintenance(_Facade):
    """Checking, repairing and backing up the session's workspace."""

    def check(self) -> list[Problem]:
        from workstation.services.maintenance import check

        return check(self.session)

    def inspect(self) -> Findings:
        from workstation.services.maintenance import inspect

        return inspect(self.session)

    def with_fts(self, findings: Findings) -> Findings:
        from workstation.services.maintenance import with_fts

        return with_fts(self.session, findings)

    def repair(self, findings: Findings | None = None, *, recheck: bool = True) -> RepairReport:
        from workstation.services.maintenance import repair

        return repair(self.session, findings, recheck=recheck)

    def repairable(self, findings: Findings) -> int:
        from workstation.services.maintenance import repairable

        return repairable(self.session, findings)

    def backup(self, dest: Path | str) -> Path:
        """A verified copy at ``dest`` (never over the workspace or its sidecars)."""
        from workstation.services.maintenance import backup

        return backup(self.session.path, dest)

    def backup_if_stale(self) -> Path | None:
        """The opening backup; path-based, so safe to run in a worker thread."""
        from workstation.services.backups import backup_if_stale

        return backup_if_stale(self.session.path)

    def list_backups(self) -> list[BackupInfo]:
        from workstation.services.backups import list_backups

        return list_backups(self.session.path)

    def foreign_objects(self) -> list[str]:
        from workstation.services.maintenance import foreign_objects

        return foreign_objects(self.session.path)


class Versions(_Facade):
    """Versions of an article: the newest one of a document's article."""

    def newest_id(self, document_id: str) -> str | None:
        """The newest live version of the article, if it is not ``document_id`` itself."""
        from workstation.services.versions import newest_version_id

        return newest_version_id(self.session.workspace, document_id)
