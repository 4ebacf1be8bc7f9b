"""The W3C part of annotation import (issue 17): each target of each annotation is placed,
kept as an orphan with its reason, appended as a reply, or refused with its reason — never
dropped. See ``services.annotation_import`` for the rules of trust, ``w3c_placement`` for
where a target goes, ``w3c_terms`` for tags, IRIs and foreign ids.

- Replies (and Recogito's linking annotations) become notes appended to the passage they
  answer, with author and time; they are read after every other annotation of the file, so
  a reply listed before its root still finds it.
- Page notes (a target naming the page, no selector) are appended to the note of the
  document they name (``w3c_page_notes``); one whose document is not here stays an orphan
  with its reason — never turned into a passage nobody marked.
- ``document``: the file's annotations all belong to this document; their ``source`` is not
  looked at (a position alone still needs the file to name this text's hash).
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from workstation.domain.anchoring import place_quote
from workstation.domain.claims import ImportedStamps, imported_stamps
from workstation.domain.offsets import TextSelector, make_selector
from workstation.domain.records import Annotation, Document, ForeignId, Mention, Orphan
from workstation.domain.vocab import MENTION_ROLES
from workstation.interchange.errors import InterchangeError
from workstation.interchange.w3c_targets import PAGE_NOTE, REPLY
from workstation.services.annotation_report import (
    AnnotationImportReport,
    error_at,
    record_kind,
    short,
    where_in_file,
)
from workstation.services.entity_index import IdTaken
from workstation.services.import_chunks import Chunked, Refused
from workstation.services.w3c_page_notes import add_page_note, add_reply_to_document
from workstation.services.w3c_placement import Spot, place_target, source_hash
from workstation.services.w3c_terms import (
    SCHEME,
    TermResolver,
    Terms,
    answered,
    known_foreign,
    reply_text,
)
from workstation.storage import provenance, versions

if TYPE_CHECKING:
    from workstation.interchange.w3c_parse import W3CAnnotation
    from workstation.services.session import Session

_DOCUMENTS_KEPT = 32  # documents an import keeps read (see W3CImport.documents)


def payload(item: W3CAnnotation) -> dict[str, Any]:
    """An orphan's payload: the target as read, to place it later (``from_payload``)."""
    return {"w3c": dataclasses.asdict(item)}


def from_payload(data: dict[str, Any]) -> W3CAnnotation | None:
    from workstation.interchange.w3c_parse import EntityRef, W3CAnnotation

    fields = data.get("w3c")
    if not isinstance(fields, dict):
        return None
    try:
        entities = tuple(EntityRef(**ref) for ref in fields.get("entities", ()))
        tuples = ("tags", "notes", "links")
        kept: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in fields.items()}
        return W3CAnnotation(**{**kept, "entities": entities})
    except TypeError:  # written by another version of this program
        return None


class W3CImport(Chunked["W3CAnnotation"]):
    def __init__(
        self,
        session: Session,
        report: AnnotationImportReport,
        *,
        unknown_tags: str = "keep",
        document: Document | None = None,
    ):
        super().__init__(session, report)
        self.terms = TermResolver(session, unknown_tags)
        self.document = document  # --document: every annotation belongs to it
        # The last few documents read (a body can be megabytes): annotations come grouped
        # by document, so this reads each once without holding a large workspace's texts.
        self.documents: OrderedDict[str, Document] = OrderedDict()
        self.seen = 0

    def run(self, items: Iterable[W3CAnnotation | InterchangeError]) -> None:
        super().run(self._replies_last(items))
        self.report.categories_added += self.terms.created
        self.report.dropped_tags += list(self.terms.dropped)

    @staticmethod
    def _replies_last(
        items: Iterable[W3CAnnotation | InterchangeError],
    ) -> Iterator[W3CAnnotation | InterchangeError]:
        replies = []
        for item in items:
            if not isinstance(item, InterchangeError) and item.kind == REPLY:
                replies.append(item)
            else:
                yield item
        yield from replies

    def one(self, item: W3CAnnotation) -> None:
        self.seen += 1
        if item.kind == PAGE_NOTE:
            add_page_note(self, item)
            return
        foreign_id = item.foreign_id
        if foreign_id and (item.raw_id or item.target_number > 1):
            if known_foreign(self.session, foreign_id) is not None:
                self.report.already += 1
                return
        else:
            foreign_id = None  # our own urn:uuid: the passage's id recognises it
        if item.target_number > 1 and item.id:  # only the first target may take the id
            item = dataclasses.replace(item, id=None, raw_id=f"urn:uuid:{item.id}")
        if item.kind == REPLY:
            self._reply(item, foreign_id)
            return
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
            self._orphan(item, None, self._no_document(item), foreign_id)
            return
        spot = place_target(document, item)
        if not isinstance(spot, Spot):
            self._orphan(item, document.id, spot, foreign_id)
            return
        selector = make_selector(document.body, spot.start, spot.end)
        category_id = self.terms.resolve(item, create=False).category_id
        twin = self._identical(document.id, selector, category_id, item.mention_only)
        if twin is not None:
            self.report.already += 1
            self._link_all(twin, item)
            self._remember(foreign_id, "annotations", twin.id)
            return
        if spot.method == "unchanged":
            self.report.placed += 1
        else:
            self.report.reanchored += 1
        if item.mention_only:
            self.report.mentions += 1
        saved = self.create(item, document, selector, id_free=True)
        self._remember(foreign_id, "annotations", saved.id)

    def _no_document(self, item: W3CAnnotation) -> str:
        if not (item.source or item.sha256 or item.url):
            return "names no document (no source); point the file at one with --document"
        return f"no document here with this text, id or address ({short(item.source, 80)})"

    def _remember(self, foreign_id: str | None, table: str, record_id: str) -> None:
        """Keep another tool's id beside what it became, so a re-import recognises it."""
        if foreign_id:
            mapping = ForeignId(
                scheme=SCHEME,
                foreign_id=foreign_id,
                record_table=table,
                record_id=record_id,
                **self.imported(),
            )
            self.ws.records.insert(mapping)

    def _reply(self, item: W3CAnnotation, foreign_id: str | None) -> None:
        """A reply's text, appended to the note of the passage it answers."""
        answers = item.answers or ""
        passage = None
        own = answered(self.session, answers)
        if own is not None and own.record_table == "documents":
            add_reply_to_document(self, item, own.record_id, foreign_id)
            return
        if own is not None and own.record_table == "annotations":
            passage = self.ws.records.get(Annotation, own.record_id)
        elif own is None and (record_id := _uuid(answers)):
            passage = self.ws.records.get(Annotation, record_id)
        if passage is None:
            why = "not here"
            if own is not None:
                why = "deleted here" if own.record_table == "annotations" else "an orphan here"
            reason = f"replies to annotation {short(answers, 80)}, which is {why}"
            self._orphan(item, None, reason, foreign_id)
            return
        terms = self.terms.resolve(item, create=True)
        kept = [tag for tag in item.tags if " ".join(tag.split()) not in self.terms.dropped]
        text = reply_text(item, kept, terms.link_lines)
        note = f"{passage.note}\n\n{text}" if passage.note else text
        self.ws.records.update(passage, note=note)
        self.report.replies += 1
        self._remember(foreign_id, "annotations", passage.id)

    def create(
        self,
        item: W3CAnnotation,
        document: Document,
        selector: TextSelector,
        *,
        id_free: bool = False,  # the line's id was found to name nothing here (one())
    ) -> Annotation:
        terms = self.terms.resolve(item, create=True)
        notes = [*item.notes, *terms.link_lines]
        free = id_free or (item.id and provenance.table_holding(self.ws, item.id) is None)
        id_ = item.id if free else None
        stamps = self._stamps(item, original_id=item.raw_id or (item.id if not id_ else None))
        passage = Annotation(
            document_id=document.id,
            **selector.fields(),
            category_id=terms.category_id,
            note="\n\n".join(notes),
            tags=terms.tags,
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
        self._link_all(saved, item, terms)
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
        if item.creator_iri and ":" in item.creator_iri:  # acct:, mailto:, an address
            stamps.claimed["creator"] = item.creator_iri
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
        if self.document is not None:
            return self.document
        document_id = None
        sha256 = item.sha256 or source_hash(item.source)
        if sha256:
            document_id = versions.document_id_by_sha_any(self.ws, sha256)
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

    def _link_all(
        self, passage: Annotation, item: W3CAnnotation, terms: Terms | None = None
    ) -> None:
        present = {
            (m.entity_id, m.role)
            for m in self.ws.records.where(Mention, {"annotation_id": passage.id})
        }
        for entity_id in terms.entity_ids if terms else ():  # IRI bodies naming an entity
            if (entity_id, "mentioned") not in present:
                mention = Mention(
                    annotation_id=passage.id,
                    entity_id=entity_id,
                    role="mentioned",
                    **self.imported(),
                )
                self.ws.records.insert(mention)
                present.add((entity_id, "mentioned"))
                self.report.links += 1
        for ref in item.entities:
            if not (ref.id or ref.name or ref.wikidata_id) or self.terms.names_category(ref):
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

    def _orphan(
        self,
        item: W3CAnnotation,
        document_id: str | None,
        reason: str,
        foreign_id: str | None = None,
    ) -> None:
        self.report.orphans += 1
        self.report.not_placed.append(f"{_where(item)}: kept as an orphan for review: {reason}")
        stamps = self._stamps(item, original_id=item.raw_id)
        orphan = self.ws.records.insert(
            Orphan(
                source=f"{self.report.path.name}, annotation {self.seen}",
                document_id=document_id,
                exact=item.exact,
                prefix=item.prefix,
                suffix=item.suffix,
                reason=reason,
                payload=payload(item),
                claimed=stamps.claimed,
                **self.imported(),
            )
        )
        self._remember(foreign_id, "orphans", orphan.id)


def _where(item: W3CAnnotation) -> str:
    where = where_in_file(item)[1]
    if item.target_count > 1:
        where += f", target {item.target_number} of {item.target_count}"
    return where


def _uuid(address: str) -> str | None:
    from workstation.interchange.w3c_parse import uuid_from_urn

    return uuid_from_urn(address)
