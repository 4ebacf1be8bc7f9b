"""A session: one open workspace, its author, and the services acting on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workstation.domain.records import RECORD_TYPES, ChangeSet, Record
from workstation.services.annotations import AnnotationService
from workstation.services.codebook import CodebookService
from workstation.services.documents import DocumentService
from workstation.services.entities import EntityService
from workstation.services.episodes import EpisodeService
from workstation.services.settings import current_author
from workstation.storage import Workspace, create_workspace, open_workspace
from workstation.storage.search import SearchHit, search

_BY_TABLE: dict[str, type[Record]] = {cls.TABLE: cls for cls in RECORD_TYPES}


class Session:
    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.documents = DocumentService(self)
        self.codebook = CodebookService(self)
        self.annotations = AnnotationService(self)
        self.entities = EntityService(self)
        self.episodes = EpisodeService(self)

    @property
    def path(self) -> Path:
        return self.workspace.path

    @property
    def author(self) -> str:
        return self.workspace.author

    def search(self, query: str, *, limit: int = 50, rank_anyway: bool = False) -> list[SearchHit]:
        return search(self.workspace, query, limit=limit, rank_anyway=rank_anyway)

    # -- undo / redo ------------------------------------------------------------------------

    def revert(self, changes: ChangeSet) -> ChangeSet:
        """Undo ``changes`` (newest first) in one transaction; returns what that did."""
        with self.workspace.transaction() as done:
            for change in reversed(changes.changes):
                self._set_state(change.table, change.record_id, change.before, created=False)
        return done

    def reapply(self, changes: ChangeSet) -> ChangeSet:
        """Redo ``changes`` after a revert, in one transaction."""
        with self.workspace.transaction() as done:
            for change in changes.changes:
                self._set_state(change.table, change.record_id, change.after, created=True)
        return done

    def _set_state(
        self, table: str, record_id: str, state: dict[str, Any] | None, *, created: bool
    ) -> None:
        cls = _BY_TABLE[table]
        current = self.workspace.records.get(cls, record_id, include_deleted=True)
        if current is None:
            raise RuntimeError(f"{table} {record_id} vanished; cannot undo or redo")
        if state is None:  # before a create: the record did not exist → tombstone it
            self.workspace.records.tombstone(current)
            return
        wanted = {
            k: v for k, v in state.items() if k not in ("id", "created_at", "updated_at", "author")
        }
        self.workspace.records.update(current, **wanted)

    def close(self) -> None:
        self.workspace.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_session(
    path: Path | str, *, author: str | None = None, read_only: bool = False
) -> Session:
    workspace = open_workspace(path, author=author or current_author(), read_only=read_only)
    return Session(workspace)


def create_session(path: Path | str, *, author: str | None = None) -> Session:
    """Create a workspace with the default codebook and open a session on it."""
    session = Session(create_workspace(path, author=author or current_author()))
    try:
        session.codebook.ensure_defaults()
    except BaseException:
        session.close()
        raise
    return session


def open_or_create(
    path: Path | str, *, with_sample: bool = True, author: str | None = None
) -> Session:
    """Open ``path``; if no workspace exists there yet, create it (with the sample episode).

    Used for the default workspace, so a newcomer's first start shows real content.
    """
    path = Path(path)
    if path.exists():
        return open_session(path, author=author)
    session = create_session(path, author=author)
    if with_sample:
        from workstation.services.sample import load_sample

        try:
            load_sample(session)
        except BaseException:
            session.close()
            raise
    return session
