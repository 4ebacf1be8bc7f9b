"""A session: one open workspace, its author, and the services acting on it."""

from __future__ import annotations

import dataclasses
import os
from functools import cached_property
from pathlib import Path

from workstation.domain.records import RECORD_TYPES, Change, ChangeSet, Record
from workstation.services.annotations import AnnotationService
from workstation.services.assistant import AssistantService
from workstation.services.codebook import CodebookService
from workstation.services.documents import DocumentService
from workstation.services.entities import EntityService
from workstation.services.entity_registry import EntityRegistry
from workstation.services.episodes import EpisodeService
from workstation.services.facades import (
    Exchange,
    Importing,
    Maintenance,
    SearchFacade,
    Timeline,
    Versions,
)
from workstation.services.library import LibraryService
from workstation.services.orphans import OrphanService
from workstation.services.outcome import ServiceError
from workstation.services.relations import RelationService
from workstation.services.settings import current_author
from workstation.services.suggestions import SuggestionService
from workstation.storage import (
    DiskFull,
    NotAWorkspace,
    Workspace,
    create_workspace,
    log_folded,
    open_worker_connection,
    open_workspace,
)

_BY_TABLE: dict[str, type[Record]] = {cls.TABLE: cls for cls in RECORD_TYPES}
_STAMPS = ("id", "created_at", "updated_at", "author")
_TOMBSTONED = object()  # "deleted at some time": the exact stamp does not matter


class Session:
    """The one entry point to the use cases on an open workspace.

    The record services are built at once; the per-feature facades on first use
    (``cached_property``), so opening a session costs no more than opening its file.
    """

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.documents = DocumentService(self)
        self.codebook = CodebookService(self)
        self.annotations = AnnotationService(self)
        self.entities = EntityService(self)
        self.episodes = EpisodeService(self)
        self.orphans = OrphanService(self)

    @property
    def path(self) -> Path:
        return self.workspace.path

    @property
    def author(self) -> str:
        return self.workspace.author

    # -- per-feature facades, built on first use ---------------------------------------------

    @cached_property
    def library(self) -> LibraryService:
        """The library list: counts, pages and positions of documents matching a query."""
        return LibraryService(self)

    @cached_property
    def registry(self) -> EntityRegistry:
        """The entity registry: entity rows with counts, look-alikes, merge and split."""
        return EntityRegistry(self)

    @cached_property
    def relations(self) -> RelationService:
        """Standing relations between entities (ownership, directorship…), from either end."""
        return RelationService(self)

    @cached_property
    def suggestions(self) -> SuggestionService:
        """Unlinked mentions of known entities: suggest, accept, reject."""
        return SuggestionService(self)

    @cached_property
    def assistant(self) -> AssistantService:
        """The offline assistant: new names, passages to mark, events to draft; accepting and
        rejecting them; its status."""
        return AssistantService(self)

    @cached_property
    def search(self) -> SearchFacade:
        """Full-text search: ``hits``, filtered ``page``s with a cursor, filter ``choices``."""
        return SearchFacade(self)

    @cached_property
    def timeline(self) -> Timeline:
        """An episode's threaded timeline, its actors, the event form's helpers."""
        return Timeline(self)

    @cached_property
    def importing(self) -> Importing:
        """Importing files: whole, resumed, a listed run (the GUI's), unfinished runs."""
        return Importing(self)

    @cached_property
    def exchange(self) -> Exchange:
        """Merging another workspace, importing annotations, exporting."""
        return Exchange(self)

    @cached_property
    def maintenance(self) -> Maintenance:
        """Check, repair and back up this workspace; list its backups."""
        return Maintenance(self)

    @cached_property
    def versions(self) -> Versions:
        """Versions of an article: which document is the newest."""
        return Versions(self)

    # -- undo / redo ------------------------------------------------------------------------

    def revert(self, changes: ChangeSet) -> ChangeSet:
        """Undo ``changes`` (newest first) in one transaction; returns what that did.

        Only the fields each step changed are written back, and only if they still hold
        what the step left: an edit made since (here or by a colleague's merged work) is
        never silently overwritten; the undo is refused instead.
        """
        with self.workspace.transaction() as done:
            for change in reversed(changes.changes):
                self._step(change, forward=False)
        return done

    def reapply(self, changes: ChangeSet) -> ChangeSet:
        """Redo ``changes`` after a revert, in one transaction (same rules as revert)."""
        with self.workspace.transaction() as done:
            for change in changes.changes:
                self._step(change, forward=True)
        return done

    def _step(self, change: Change, *, forward: bool) -> None:
        cls = _BY_TABLE[change.table]
        current = self.workspace.records.get(cls, change.record_id, include_deleted=True)
        if current is None:
            raise ServiceError(
                f"{change.table} {change.record_id} no longer exists; cannot undo or redo"
            )
        if change.before is None or change.after is None:  # a create: live ↔ tombstoned
            expected, target = (None, _TOMBSTONED) if not forward else (_TOMBSTONED, None)
            touched = {"deleted_at": (expected, target)}
        else:
            source, goal = (
                (change.before, change.after) if forward else (change.after, change.before)
            )
            touched = {
                k: (source.get(k), goal.get(k))
                for k in change.after
                if k not in _STAMPS and change.before.get(k) != change.after.get(k)
            }
        now = dataclasses.asdict(current)
        for field, (expected, _goal) in touched.items():
            holds = (now[field] is not None) if expected is _TOMBSTONED else now[field] == expected
            if not holds:
                raise ServiceError(
                    f"the {change.table[:-1]} was changed since this step; cannot undo or redo it"
                )
        if "deleted_at" in touched and touched["deleted_at"][1] is _TOMBSTONED:
            self.workspace.records.tombstone(current)
            return
        self.workspace.records.update(current, **{k: g for k, (_e, g) in touched.items()})

    def open_worker(self, *, writes: bool = True) -> Session:
        """A Session on a second connection to this workspace, for one background operation
        (``storage.open_worker_connection``): open, use and close it on the worker thread."""
        return Session(open_worker_connection(self.workspace, writes=writes))

    def close(self) -> None:
        self.workspace.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_session(
    path: Path | str, *, author: str | None = None, read_only: bool = False
) -> Session:
    if not read_only:
        from workstation.services.backups import backup_before_migration

        backup_before_migration(Path(path))
    workspace = open_workspace(path, author=author or current_author(), read_only=read_only)
    return Session(workspace)


def create_session(path: Path | str, *, author: str | None = None) -> Session:
    """Create a workspace with the default codebook and open a session on it."""
    build_workspace(path, author=author)
    return open_session(path, author=author)


def build_workspace(
    path: Path | str, *, with_sample: bool = False, author: str | None = None
) -> int:
    """Create a workspace at ``path`` (schema, codebook, optionally the sample episode);
    returns how many documents it holds.

    It is built beside the target (``.partial``) and renamed into place only when whole:
    a crash or kill part-way leaves no half-made file that could neither be opened nor
    created again (the crash harness found one).
    """
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise NotAWorkspace(path, "a file already exists here; not overwriting it")
    partial = path.with_name(path.name + ".partial")
    _remove_with_sidecars(partial)
    try:
        with Session(create_workspace(partial, author=author or current_author())) as session:
            session.codebook.ensure_defaults()
            if with_sample:
                from workstation.services.sample import load_sample

                load_sample(session)
            documents = session.documents.count()
        if not log_folded(partial):
            # The close could not fold the log into the file (no room): moving the file
            # without its log would leave a damaged workspace behind a "created".
            raise DiskFull(path)
        os.replace(partial, path)
    finally:
        _remove_with_sidecars(partial)
    return documents


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def open_or_create(
    path: Path | str, *, with_sample: bool = True, author: str | None = None
) -> Session:
    """Open ``path``; if no workspace exists there yet, create it (with the sample episode).

    Used for the default workspace, so a newcomer's first start shows real content.
    """
    path = Path(path)
    if not path.exists():
        build_workspace(path, with_sample=with_sample, author=author)
    return open_session(path, author=author)
