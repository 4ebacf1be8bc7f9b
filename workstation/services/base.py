"""Shared create/edit/delete plumbing for the record services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from workstation.domain.records import Record
from workstation.services.outcome import NotFound, Outcome

if TYPE_CHECKING:
    from workstation.services.session import Session
    from workstation.storage import Workspace

R = TypeVar("R", bound=Record)


class RecordService:
    def __init__(self, session: Session):
        self.session = session

    @property
    def ws(self) -> Workspace:
        return self.session.workspace

    def _require(self, cls: type[R], record_id: str, *, include_deleted: bool = False) -> R:
        record = self.ws.records.get(cls, record_id, include_deleted=include_deleted)
        if record is None:
            raise NotFound(f"no {cls.__name__.lower()} with id {record_id}")
        return record

    def _create(self, record: R) -> Outcome[R]:
        with self.ws.transaction() as changes:
            saved = self.ws.records.insert(record)
        return Outcome(saved, changes)

    def _edit(self, cls: type[R], record_id: str, **fields: Any) -> Outcome[R]:
        with self.ws.transaction() as changes:
            record = self._require(cls, record_id)
            updated = self.ws.records.update(record, **fields)
        return Outcome(updated, changes)

    def _delete(self, cls: type[R], record_id: str) -> Outcome[R]:
        with self.ws.transaction() as changes:
            record = self._require(cls, record_id)
            self._delete_dependents(record)
            gone = self.ws.records.tombstone(record)
        return Outcome(gone, changes)

    def _restore(self, cls: type[R], record_id: str) -> Outcome[R]:
        with self.ws.transaction() as changes:
            record = self._require(cls, record_id, include_deleted=True)
            back = self.ws.records.restore(record)
        return Outcome(back, changes)

    def _delete_dependents(self, record: Record) -> None:
        """Tombstone what cannot stand without ``record`` (overridden where needed)."""
