"""Importing annotations and entities made elsewhere: W3C Web Annotations, FtM entities.

Each annotation finds its document by text hash, by our document URN or by web address; it
is placed at its recorded position when the quote is there, otherwise re-anchored by quote,
prefix and suffix; what fits nowhere is kept whole as an orphan for review. Entities are
matched by id, Wikidata id, then name or alias, and created only when nothing matches.
Lines that cannot be read are reported by number; the others are imported regardless.

Nothing in the file is believed (docs/architecture.md, "Trust boundaries"):

- Claimed authors and times are kept as claims, the importing officer and the import time
  recorded beside them (``imported_by``, ``imported_at``); a time in the future is kept only
  as a claim (``domain.claims``).
- An id that is no UUID becomes a new UUID, the original kept in ``claimed``. A UUID naming
  a record of another kind, or a passage of another document (or another passage of the
  same one), refuses that line: it would otherwise link entities to a colleague's passage.
- Names a matched entity would gain are held back unless they agree with its own
  (``services.entity_index``); they are listed for the officer, never applied.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation.domain.anchoring import place_quote
from workstation.domain.claims import ImportedStamps, imported_stamps
from workstation.domain.offsets import TextSelector, make_selector
from workstation.domain.records import Annotation, Document, Mention, Orphan
from workstation.domain.vocab import MENTION_ROLES
from workstation.services.annotation_files import (
    MAX_BYTES,
    read_annotation_file,
    read_annotation_pieces,
)
from workstation.services.annotation_report import (
    AnnotationImportReport,
    error_at,
    record_kind,
    short,
    where_in_file,
)
from workstation.services.entity_index import IdTaken
from workstation.services.ftm_import import FtmImport
from workstation.services.import_chunks import (
    CHUNK,
    Chunked,
    ImportCancelled,
    Refused,
)
from workstation.storage import provenance, versions

if TYPE_CHECKING:
    from workstation.interchange.w3c_parse import W3CAnnotation
    from workstation.services.session import Session

__all__ = [
    "CHUNK",
    "MAX_BYTES",
    "AnnotationImportReport",
    "ImportCancelled",
    "annotation_from_orphan",
    "import_annotations",
    "read_annotation_file",
]


_DOCUMENTS_KEPT = 32  # documents an import keeps read (see _W3CImport.documents)


def import_annotations(
    session: Session,
    path: Path | str,
    *,
    progress: Callable[[int], None] | None = None,
    text: str | None = None,
) -> AnnotationImportReport:
    """Import a W3C (JSON, JSON Lines, collection) or FtM JSON Lines file.

    ``text``: the file's content when the caller read it already (``read_annotation_file``,
    as the CLI does before it opens the workspace). ``progress(items_done)`` is called after
    each chunk's commit; raising ``ImportCancelled`` from it stops the import there: the
    chunks stored stay (whole), the report says so.
    """
    from workstation.interchange.w3c_read import piece_lines

    path = Path(path)
    # Never one 50 MB string when this reads the file (a worker, for the GUI): see
    # read_annotation_pieces.
    pieces = read_annotation_pieces(path) if text is None else [text]
    report = AnnotationImportReport(path)
    report.progress = progress
    if _looks_like_ftm(piece_lines(pieces)):
        from workstation.interchange.ftm_parse import iter_ftm_lines

        report.format = "ftm"
        FtmImport(session, report).run(iter_ftm_lines(piece_lines(pieces)))
    else:
        from workstation.interchange.w3c_read import iter_w3c_pieces

        report.format = "w3c"
        _W3CImport(session, report).run(iter_w3c_pieces(pieces))
    return report


def annotation_from_orphan(
    session: Session, orphan: Orphan, document: Document, selector: TextSelector
) -> Annotation:
    """The passage an imported orphan becomes once the officer chose where it belongs
    (inside the caller's transaction)."""
    parsed = _from_payload(orphan.payload)
    if parsed is None:  # kept, but not in a form we read: place the quote alone
        passage = Annotation(document_id=document.id, **selector.fields())
        return session.workspace.records.insert(passage)
    importer = _W3CImport(session, AnnotationImportReport(Path(orphan.source)))
    return importer.create(parsed, document, selector)


def _payload(item: W3CAnnotation) -> dict[str, Any]:
    return {"w3c": dataclasses.asdict(item)}


def _from_payload(payload: dict[str, Any]) -> W3CAnnotation | None:
    from workstation.interchange.w3c_parse import EntityRef, W3CAnnotation

    data = payload.get("w3c")
    if not isinstance(data, dict):
        return None
    try:
        entities = tuple(EntityRef(**ref) for ref in data.get("entities", ()))
        fields: dict[str, Any] = {
            k: tuple(v) if k in ("tags", "notes") else v for k, v in data.items()
        }
        return W3CAnnotation(**{**fields, "entities": entities})
    except TypeError:  # written by another version of this program
        return None


def _looks_like_ftm(lines: Iterable[str]) -> bool:
    """FtM lines are objects with a ``schema``; W3C annotations are typed ``Annotation``
    (OpenSanctions lines carry a boolean ``target`` key, so that key decides nothing)."""
    from workstation.interchange.json_text import UnreadableJson, load_json

    for raw in itertools.islice(lines, 50):  # not text.split: 88k lines at once
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


class _W3CImport(Chunked["W3CAnnotation"]):
    def __init__(self, session: Session, report: AnnotationImportReport):
        super().__init__(session, report)
        self.categories = {c.name.casefold(): c for c in session.codebook.list_categories()}
        # The last few documents read (a body can be megabytes): annotations come grouped
        # by document, so this reads each once without holding a large workspace's texts.
        self.documents: OrderedDict[str, Document] = OrderedDict()
        self.seen = 0

    def one(self, item: W3CAnnotation) -> None:
        self.seen += 1
        existing = None
        if item.id:
            existing = self.ws.records.get(Annotation, item.id, include_deleted=True)
        self._check_ids(item, existing)
        if existing is not None:
            self._same_passage(item, existing)
            self.report.already += 1
            if existing.live:  # a passage deleted here stays deleted
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
        twin = self._identical(
            document.id, selector, self._category_id(item, create=False), item.mention_only
        )
        if twin is not None:
            self.report.already += 1
            self._link_all(twin, item)
            return
        if placement.method == "unchanged":
            self.report.placed += 1
        else:
            self.report.reanchored += 1
        if item.mention_only:
            self.report.mentions += 1
        self.create(item, document, selector, id_free=True)

    def create(
        self,
        item: W3CAnnotation,
        document: Document,
        selector: TextSelector,
        *,
        id_free: bool = False,  # the line's id was found to name nothing here (one())
    ) -> Annotation:
        notes = list(item.notes)
        if len(item.tags) > 1:  # the first tag is the category; keep the rest readable
            notes.append("Tags: " + ", ".join(item.tags[1:]))
        free = id_free or (item.id and provenance.table_holding(self.ws, item.id) is None)
        id_ = item.id if free else None
        stamps = self._stamps(item, original_id=item.raw_id or (item.id if not id_ else None))
        passage = Annotation(
            document_id=document.id,
            **selector.fields(),
            category_id=self._category_id(item, create=True),
            note="\n\n".join(notes),
            releasable=item.releasable,
            # A mention-only span stays one (not a passage) through export and import.
            mention_only=item.mention_only,
            created_at=stamps.created_at,
            updated_at=stamps.updated_at,
            author=stamps.author,
            claimed=stamps.claimed,
            **self.imported(),
        )
        if id_:
            passage.id = id_
        elif item.raw_id:
            self.report.remapped += 1
            self.report.remapped_example = self.report.remapped_example or item.raw_id
        saved = self.ws.records.insert(passage, keep_stamps=True)
        self._link_all(saved, item)
        return saved

    def _stamps(self, item: W3CAnnotation, *, original_id: str | None) -> ImportedStamps:
        stamps = imported_stamps(
            now=self.now,
            importer=self.ws.author,
            original_id=original_id,
            author=item.creator,
            created=item.created,
            modified=item.modified,
        )
        note = stamps.future_note()
        if note:
            self.report.claims.append(f"{where_in_file(item)[1]}: {note}")
        return stamps

    # -- ids: a line may only name what it is ---------------------------------------------

    def _check_ids(self, item: W3CAnnotation, existing: Annotation | None) -> None:
        """Refuse the line when its id, or an entity's it links to, names something else."""
        if item.id and existing is None:
            table = provenance.table_holding(self.ws, item.id)
            if table is not None:
                raise Refused(f"id {item.id} already names {record_kind(table)} here; not imported")
        for ref in item.entities:
            if ref.id and ref.id == item.id:
                raise Refused(f"id {item.id} names both the passage and an entity; not imported")
            try:
                self.entities.check_id(ref.id)
            except IdTaken as exc:
                raise Refused(
                    f"entity id {exc.record_id} already names {record_kind(exc.table)} here; "
                    "not imported"
                ) from None

    def _same_passage(self, item: W3CAnnotation, existing: Annotation) -> None:
        """Refuse a line whose id is a passage here unless it is that passage: the same
        article (any version of it), the same quote, and the same place or none given."""
        ours = self._read(existing.document_id) or self.ws.records.get(
            Document, existing.document_id, include_deleted=True
        )
        title = f"«{ours.title}»" if ours is not None else "a document"
        document = self._document(item)
        if document is None or not self._same_article(document.id, existing.document_id):
            raise Refused(
                f"id {item.id} already names a passage of another document ({title}); not imported"
            )
        if item.exact != existing.exact:
            raise Refused(
                f"id {item.id} already names another passage of {title} "
                f"(«{short(existing.exact)}»); not imported"
            )
        if document.id != existing.document_id or item.start is None:
            return  # moved to a newer version with the same quote, or placed by quote only
        if (item.start, item.end) == (existing.start, existing.end):
            return
        placement = place_quote(
            document.body, item.exact, item.prefix, item.suffix, item.start, item.end
        )
        if placement is None or (placement.start, placement.end) != (existing.start, existing.end):
            raise Refused(
                f"id {item.id} already names the passage at {existing.start}–{existing.end} of "
                f"{title}, not at {item.start}–{item.end}; not imported"
            )

    def _same_article(self, a: str, b: str) -> bool:
        if a == b:
            return True
        return versions.latest_version_id(self.ws, a) == versions.latest_version_id(self.ws, b)

    # -- documents, categories, links, orphans ------------------------------------------------

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
        self,
        document_id: str,
        selector: TextSelector,
        category_id: str | None,
        mention_only: bool = False,
    ) -> Annotation | None:
        # One indexed lookup (document, start): reading the document's passages for every
        # imported one made an import quadratic in the passages per document.
        same = {
            "document_id": document_id,
            "start": selector.start,
            "end": selector.end,
            "category_id": category_id,
            "mention_only": mention_only,
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
            try:
                entity, added = self.entities.resolve(
                    id_=ref.id, name=ref.name, kind=ref.kind, wikidata_id=ref.wikidata_id
                )
            except IdTaken:  # checked before the line wrote anything; kept as a guard
                entity, added = None, False
            if entity is None:
                line, where = where_in_file(item)
                message = f"entity {ref.source} is unknown here and has no name"
                self.report.errors.append(error_at(line, where, message))
                continue
            self.report.entities_added += int(added)
            role = ref.role if ref.role in MENTION_ROLES else "mentioned"
            if (entity.id, role) in present:
                continue
            self.ws.records.insert(
                Mention(annotation_id=passage.id, entity_id=entity.id, role=role, **self.imported())
            )
            present.add((entity.id, role))
            self.report.links += 1

    def _orphan(self, item: W3CAnnotation, document_id: str | None, reason: str) -> None:
        self.report.orphans += 1
        stamps = self._stamps(item, original_id=item.raw_id)
        self.ws.records.insert(
            Orphan(
                source=f"{self.report.path.name}, annotation {self.seen}",
                document_id=document_id,
                exact=item.exact,
                prefix=item.prefix,
                suffix=item.suffix,
                reason=reason,
                payload=_payload(item),
                claimed=stamps.claimed,
                **self.imported(),
            )
        )
