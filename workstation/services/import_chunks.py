"""The chunked import loop shared by the annotation and entity importers: items read from a
file are stored ``CHUNK`` at a time, one transaction each, so a crash keeps whole chunks and
a re-run skips them; a line that cannot be imported is reported by number and the others go
on; a progress callback may cancel between chunks (``ImportCancelled``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Generic, TypedDict, TypeVar

from workstation.domain.dates import utc_now_iso
from workstation.interchange.errors import InterchangeError
from workstation.services.annotation_report import AnnotationImportReport, error_at, where_in_file
from workstation.services.entity_index import EntityIndex

if TYPE_CHECKING:
    from workstation.services.session import Session

CHUNK = 500  # items per transaction: a crash keeps whole chunks, a re-run skips them


class ImportCancelled(Exception):
    """Raised by a progress callback to stop an import between chunks."""


class Refused(Exception):
    """This line is not imported; the message says why."""


Item = TypeVar("Item")


class Provenance(TypedDict):
    imported_by: str
    imported_at: str


class Chunked(Generic[Item]):
    def __init__(self, session: Session, report: AnnotationImportReport):
        self.session = session
        self.ws = session.workspace
        self.report = report
        self.now = utc_now_iso()  # the import time, recorded on what it creates
        self.entities = EntityIndex(session, imported_at=self.now)
        self.held_seen = 0

    def run(self, items: Iterable[Item | InterchangeError]) -> None:
        batch: list[Item] = []
        done = 0
        try:
            for item in items:
                if isinstance(item, InterchangeError):
                    self.report.errors.append(item)
                    continue
                batch.append(item)
                if len(batch) >= CHUNK:
                    done += len(batch)
                    self._flush(batch)
                    if self.report.progress is not None:
                        self.report.progress(done)
            self._flush(batch)
        except ImportCancelled:
            self.report.cancelled = True
        self.report.entities_updated = self.entities.updated
        if self.entities.remapped:
            self.report.remapped += self.entities.remapped
            self.report.remapped_example = (
                self.report.remapped_example or self.entities.first_remapped or ""
            )

    def _flush(self, batch: list[Item]) -> None:
        if not batch:
            return
        with self.ws.transaction() as done:
            for item in batch:
                line, where = where_in_file(item)
                try:
                    self.one(item)
                except Refused as exc:
                    self.report.errors.append(error_at(line, where, str(exc)))
                for held in self.entities.held[self.held_seen :]:
                    self.report.held.append(f"{where}: {held}")
                self.held_seen = len(self.entities.held)
        self.report.changes.extend(done)
        batch.clear()

    def imported(self) -> Provenance:
        """The provenance fields of a record this import creates."""
        return {"imported_by": self.ws.author, "imported_at": self.now}

    def one(self, item: Item) -> None:
        raise NotImplementedError
