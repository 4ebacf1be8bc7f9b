"""Importing annotations and entities made elsewhere: W3C Web Annotations, FtM entities.

Each annotation finds its document by text hash, by our document URN or by web address; it
is placed at its recorded position when the quote is there, otherwise re-anchored by quote,
prefix and suffix; what fits nowhere is kept whole as an orphan for review. Entities are
matched by id, Wikidata id, then name or alias, and created only when nothing matches.
Lines that cannot be read are reported by number; the others are imported regardless.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.domain.anchoring import place_quote
from workstation.domain.dates import as_utc_iso
from workstation.domain.offsets import TextSelector, make_selector
from workstation.domain.records import (
    Annotation,
    ChangeSet,
    Document,
    Mention,
    Orphan,
)
from workstation.domain.vocab import MENTION_ROLES
from workstation.interchange.errors import InterchangeError
from workstation.services.entity_index import EntityIndex
from workstation.services.outcome import ServiceError
from workstation.storage import versions

if TYPE_CHECKING:
    from workstation.interchange.ftm_parse import FtmEntity
    from workstation.interchange.w3c_parse import W3CAnnotation
    from workstation.services.session import Session

MAX_BYTES = 256 * 1024 * 1024


class ImportCancelled(Exception):
    """Raised by a progress callback to stop an import between chunks."""


CHUNK = 500  # items per transaction: a crash keeps whole chunks, a re-run skips them
_DOCUMENTS_KEPT = 32  # documents an import keeps read (see _W3CImport.documents)


@dataclass
class AnnotationImportReport:
    path: Path
    format: str = ""  # "w3c" | "ftm"
    placed: int = 0  # at the recorded position
    reanchored: int = 0  # found by quote and context, or approximately
    already: int = 0  # present already (same id, or the same passage)
    orphans: int = 0
    links: int = 0
    entities_added: int = 0
    entities_matched: int = 0
    entities_updated: int = 0  # of those matched, given names or ids they lacked
    categories_added: int = 0
    skipped: int = 0  # FtM lines of kinds the workspace does not keep (articles, links…)
    errors: list[InterchangeError] = field(default_factory=list)
    changes: ChangeSet = field(default_factory=ChangeSet)
    cancelled: bool = False
    progress: Callable[[int], None] | None = field(default=None, repr=False, compare=False)

    def lines(self) -> list[str]:
        """What the officer reads: one summary line, then one line per unreadable item."""
        if self.format == "ftm":
            summary = (
                f"{self.entities_added} entities added, {self.entities_matched} already known"
                + (
                    f" ({self.entities_updated} given new names or ids)"
                    if self.entities_updated
                    else ""
                )
                + (f", {self.skipped} other lines skipped" if self.skipped else "")
            )
        else:
            summary = (
                f"{self.placed + self.reanchored} passages imported"
                + (f" ({self.reanchored} re-anchored by quote)" if self.reanchored else "")
                + f", {self.already} already present, {self.orphans} kept as orphans for review"
                + f", {self.links} entity links"
                + (f", {self.entities_added} entities added" if self.entities_added else "")
            )
        if self.cancelled:
            summary += " (cancelled: what was imported before stays)"
        out = [f"{self.path.name}: {summary}"]
        out += [f"{self.path}: {error}" for error in self.errors]
        return out


def import_annotations(
    session: Session, path: Path | str, *, progress: Callable[[int], None] | None = None
) -> AnnotationImportReport:
    """Import a W3C (JSON, JSON Lines, collection) or FtM JSON Lines file.

    ``progress(items_done)`` is called after each chunk's commit; raising ``ImportCancelled``
    from it stops the import there: the chunks stored stay (whole), the report says so.
    """
    path = Path(path)
    text = _read_text(path)
    report = AnnotationImportReport(path)
    report.progress = progress
    if _looks_like_ftm(text):
        from workstation.interchange.ftm_parse import iter_ftm_lines

        report.format = "ftm"
        _FtmImport(session, report).run(iter_ftm_lines(text.split("\n")))
    else:
        from workstation.interchange.w3c_read import iter_w3c

        report.format = "w3c"
        _W3CImport(session, report).run(iter_w3c(text))
    return report


def annotation_from_orphan(
    session: Session, orphan: Orphan, document: Document, selector: TextSelector
) -> Annotation:
    """The passage an imported orphan becomes once the officer chose where it belongs
    (inside the caller's transaction)."""
    parsed = _from_payload(orphan.payload)
    if parsed is None:  # kept, but not in a form we read: place the quote alone
        return session.workspace.records.insert(_passage(session, document, selector, id_=None))
    importer = _W3CImport(session, AnnotationImportReport(Path(orphan.source)))
    return importer.create(parsed, document, selector)


def _payload(item: W3CAnnotation) -> dict:
    return {"w3c": dataclasses.asdict(item)}


def _from_payload(payload: dict) -> W3CAnnotation | None:
    from workstation.interchange.w3c_parse import EntityRef, W3CAnnotation

    data = payload.get("w3c")
    if not isinstance(data, dict):
        return None
    try:
        entities = tuple(EntityRef(**ref) for ref in data.get("entities", ()))
        fields = {k: tuple(v) if k in ("tags", "notes") else v for k, v in data.items()}
        return W3CAnnotation(**{**fields, "entities": entities})
    except TypeError:  # written by another version of this program
        return None


def _read_text(path: Path) -> str:
    if not path.exists():
        raise ServiceError(f"{path}: no such file")
    if path.is_dir():
        raise ServiceError(f"{path}: is a folder, not an annotation file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ServiceError(
                f"{path}: {size // (1024 * 1024)} MB is more than the "
                f"{MAX_BYTES // (1024 * 1024)} MB an annotation file may have"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ServiceError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    if b"\x00" in data[:8192]:
        raise ServiceError(f"{path}: a binary file, not JSON annotations")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ServiceError(f"{path}: not UTF-8 text (undecodable byte at {exc.start})") from exc


def _looks_like_ftm(text: str) -> bool:
    """FtM lines are objects with a ``schema``; W3C annotations are typed ``Annotation``
    (OpenSanctions lines carry a boolean ``target`` key, so that key decides nothing)."""
    from workstation.interchange.json_text import UnreadableJson, load_json

    for raw in text.split("\n")[:50]:
        raw = raw.strip()
        if not raw:
            continue
        if not raw.startswith("{"):
            return False
        try:
            data = load_json(raw)
        except UnreadableJson:  # the reader reports it with its line number
            continue
        return isinstance(data, dict) and "schema" in data and data.get("type") != "Annotation"
    return False


class _Chunked:
    def __init__(self, session: Session, report: AnnotationImportReport):
        self.session = session
        self.ws = session.workspace
        self.report = report
        self.entities = EntityIndex(session)

    def run(self, items) -> None:
        batch: list = []
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

    def _flush(self, batch: list) -> None:
        if not batch:
            return
        with self.ws.transaction() as done:
            for item in batch:
                self.one(item)
        self.report.changes.extend(done)
        batch.clear()

    def one(self, item) -> None:
        raise NotImplementedError


class _FtmImport(_Chunked):
    def one(self, item: FtmEntity) -> None:
        from workstation.interchange.ftm_parse import FtmSkipped

        if isinstance(item, FtmSkipped):
            self.report.skipped += 1
            return
        _entity, added = self.entities.resolve(
            id_=item.id,
            name=item.name,
            kind=item.kind,
            aliases=item.aliases,
            wikidata_id=item.wikidata_id,
            country=item.country,
            description=item.description or "",
        )
        if added:
            self.report.entities_added += 1
        else:
            self.report.entities_matched += 1


class _W3CImport(_Chunked):
    def __init__(self, session: Session, report: AnnotationImportReport):
        super().__init__(session, report)
        self.categories = {c.name.casefold(): c for c in session.codebook.list()}
        # The last few documents read (a body can be megabytes): annotations come grouped
        # by document, so this reads each once without holding a large workspace's texts.
        self.documents: OrderedDict[str, Document] = OrderedDict()
        self.seen = 0

    def one(self, item: W3CAnnotation) -> None:
        self.seen += 1
        if item.id and self.ws.records.get(Annotation, item.id, include_deleted=True):
            existing = self.ws.records.get(Annotation, item.id)
            self.report.already += 1
            if existing is not None:  # a passage deleted here stays deleted
                self._link_all(existing, item)
            return
        document = self._document(item)
        if document is None:
            self._orphan(item, None, "no document here with this text, id or address")
            return
        placement = place_quote(
            document.body, item.exact, item.prefix, item.suffix, item.start, item.end
        )
        if placement is None:
            self._orphan(item, document.id, f"quote not found in «{document.title}»")
            return
        selector = make_selector(document.body, placement.start, placement.end)
        twin = self._identical(document.id, selector, self._category_id(item, create=False))
        if twin is not None:
            self.report.already += 1
            self._link_all(twin, item)
            return
        if placement.method == "unchanged":
            self.report.placed += 1
        else:
            self.report.reanchored += 1
        self.create(item, document, selector)

    def create(self, item: W3CAnnotation, document: Document, selector: TextSelector) -> Annotation:
        notes = list(item.notes)
        if len(item.tags) > 1:  # the first tag is the category; keep the rest readable
            notes.append("Tags: " + ", ".join(item.tags[1:]))
        passage = _passage(
            self.session,
            document,
            selector,
            id_=item.id,
            category_id=self._category_id(item, create=True),
            note="\n\n".join(notes),
            releasable=item.releasable,
        )
        created = as_utc_iso(item.created)
        if created:
            passage = dataclasses.replace(
                passage,
                created_at=created,
                updated_at=as_utc_iso(item.modified) or created,
                author=item.creator or self.ws.author,
            )
            saved = self.ws.records.insert(passage, keep_stamps=True)
        else:
            saved = self.ws.records.insert(passage)
        self._link_all(saved, item)
        return saved

    def _document(self, item: W3CAnnotation) -> Document | None:
        document_id = None
        if item.sha256:
            document_id = versions.document_id_by_sha_any(self.ws, item.sha256)
        if document_id is None and item.document_id:
            document_id = item.document_id if self._read(item.document_id) else None
        for address in (item.url, item.source):
            if document_id is None and address and address.startswith(("http://", "https://")):
                candidates = versions.document_ids_by_url(self.ws, address)
                document_id = candidates[0] if candidates else None
        return self._read(document_id) if document_id else None

    def _read(self, document_id: str) -> Document | None:
        if document_id in self.documents:
            self.documents.move_to_end(document_id)
            return self.documents[document_id]
        found = self.ws.records.get(Document, document_id)
        if found is not None:
            self.documents[document_id] = found
            if len(self.documents) > _DOCUMENTS_KEPT:
                self.documents.popitem(last=False)
        return found

    def _identical(
        self, document_id: str, selector: TextSelector, category_id: str | None
    ) -> Annotation | None:
        # One indexed lookup (document, start): reading the document's passages for every
        # imported one made an import quadratic in the passages per document.
        same = {
            "document_id": document_id,
            "start": selector.start,
            "end": selector.end,
            "category_id": category_id,
        }
        return next(self.ws.records.where(Annotation, same, limit=1), None)

    def _category_id(self, item: W3CAnnotation, *, create: bool) -> str | None:
        if not item.tags:
            return None
        name = item.tags[0].strip()
        category = self.categories.get(name.casefold())
        if category is None and create and name:
            category = self.session.codebook.create(name).record
            self.categories[name.casefold()] = category
            self.report.categories_added += 1
        return category.id if category else None

    def _link_all(self, passage: Annotation, item: W3CAnnotation) -> None:
        present = {
            (m.entity_id, m.role)
            for m in self.ws.records.where(Mention, {"annotation_id": passage.id})
        }
        for ref in item.entities:
            if not (ref.id or ref.name or ref.wikidata_id):
                continue
            entity, added = self.entities.resolve(
                id_=ref.id, name=ref.name, kind=ref.kind, wikidata_id=ref.wikidata_id
            )
            if entity is None:
                self.report.errors.append(
                    InterchangeError(None, f"entity {ref.source} is unknown here and has no name")
                )
                continue
            self.report.entities_added += int(added)
            role = ref.role if ref.role in MENTION_ROLES else "mentioned"
            if (entity.id, role) in present:
                continue
            self.ws.records.insert(
                Mention(annotation_id=passage.id, entity_id=entity.id, role=role)
            )
            present.add((entity.id, role))
            self.report.links += 1

    def _orphan(self, item: W3CAnnotation, document_id: str | None, reason: str) -> None:
        self.report.orphans += 1
        self.ws.records.insert(
            Orphan(
                source=f"{self.report.path.name}, annotation {self.seen}",
                document_id=document_id,
                exact=item.exact,
                prefix=item.prefix,
                suffix=item.suffix,
                reason=reason,
                payload=_payload(item),
            )
        )


def _passage(
    session: Session, document: Document, selector: TextSelector, *, id_: str | None, **fields
) -> Annotation:
    passage = Annotation(document_id=document.id, **selector.fields(), **fields)
    taken = id_ and session.workspace.records.get(Annotation, id_, include_deleted=True)
    if id_ and not taken:
        passage = dataclasses.replace(passage, id=id_)
    return passage
