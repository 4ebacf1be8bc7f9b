"""What each line of a brat ``.ann`` file becomes in its document (``services.brat_records``
finds the document; ``services.brat_import`` walks the collection).

- **T** (a span): one passage per fragment — a passage is one contiguous range whose quote
  ``check`` verifies, so a discontinuous span is never stretched over the words its annotator
  left out; the fragments share the tag ``brat-span=T3``. Its type becomes the category of
  that name (case, spaces, ``_`` and ``-`` aside, or the name ``visual.conf`` labels it
  with); an entity-like type (Person, Organization, GPE…) a mention-only span linked to the
  entity; our export's ``Mention`` the same; any other type a tag (never a new category).
- **N** (normalisation): links the span to the entity — by Wikidata id, by our id
  (``Workstation:<uuid>``, as our export writes), else by the name the line gives — made
  when nothing here matches. Another database's id stays in the passage's note.
- **A** (attribute): the tag ``Attr=Value`` (``Attr`` when binary). **#**: the note.
- **R**: a relation between entities (family, ownership…) when its type names one and both
  arguments are entities; an actor/target/speaker link when the type is a role and one side
  a passage; otherwise a note on the first argument's passages.
- **E**: an event in the newest episode (or a new one) when its roles say who acted
  (Agent/Actor/Arg1/Subject) or was acted on (Patient/Target/Theme/Arg2/Object) and those
  are entities; its trigger's passages are the evidence. Otherwise a note on the trigger.
- **\\***: a note on each span it joins.

Every record made keeps brat's id (``ForeignId``, scheme ``brat``, ``<file>#T3``), and what
is here already (by that id, or the same span and category) is not made again: a re-import
adds nothing. Each handler raises ``Refused`` before it writes anything, or says what the
line became: "imported", "present" (here already) or "noted" (kept as a note). Lines are
stored ``CHUNK`` at a time, one transaction each.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation.domain.anchoring import place_quote
from workstation.domain.offsets import make_selector
from workstation.domain.records import (
    Annotation,
    Document,
    Mention,
)
from workstation.interchange import brat_read as br
from workstation.interchange.brat import INTERNAL_MARK
from workstation.services.annotation_report import record_kind, short
from workstation.services.brat_import import FileError
from workstation.services.brat_links import LinesBase
from workstation.services.entity_index import FALLBACK_KIND, IdTaken
from workstation.services.import_chunks import CHUNK, Refused

if TYPE_CHECKING:
    from workstation.services.brat_records import BratContext

Item = (
    br.TextBound | br.AnnotatorNote | br.Normalization | br.Attribute | br.BratRelation
    | br.BratEvent | br.Equiv
)  # fmt: skip


class BratFile(LinesBase):
    """One ``.ann`` file's lines, imported into ``document``: T first (so every other line
    finds its span), then N, R, E, A, # and \\*, ``CHUNK`` lines per transaction."""

    def __init__(
        self,
        context: BratContext,
        path: Path,
        ann: br.AnnFile,
        document: Document,
        offsets: br.BodyOffsets,
        raw: str,
    ):
        self.ctx = context
        self.ws = context.ws
        self.path = path
        try:
            relative = path.relative_to(context.root).as_posix()
        except ValueError:
            relative = path.name
        self.key = f"{relative}#"
        self.ann = ann
        self.document = document
        self.offsets = offsets
        self.raw = raw
        self.labels = context.labels(path.parent)
        self.spans = {span.id: span for span in ann.spans}
        self.norms: dict[str, list[br.Normalization]] = {}
        for norm in ann.norms:
            self.norms.setdefault(norm.target, []).append(norm)
        self.norm_status: dict[str, str] = {}  # decided with their span
        self.passages: dict[str, list[Annotation]] = {}  # T id → its passages here
        self.entity_of: dict[str, str] = {}  # T id → the entity it names
        self.events = {event.id: event for event in ann.events}
        self.event_ids: dict[str, str] = {}  # E id → our event
        self.undated = False
        self.made = {}
        self.settled: Counter[str] = Counter()  # lines stored or refused, by kind

    def run(self) -> None:
        a = self.ann
        items: list[Item] = [*a.spans, *a.norms, *a.relations, *a.events, *a.attributes,
                             *a.notes, *a.equivs]  # fmt: skip
        for first in range(0, len(items), CHUNK):
            self._chunk(items[first : first + CHUNK])
        if self.undated:
            self.ctx.report.notes.append(
                f"{self.path}: events dated by the import day (brat gives no date, the article"
                " none); correct them in the timeline"
            )

    def _chunk(self, items: list[Item]) -> None:
        outcome: Counter[tuple[str, str]] = Counter()
        errors: list[FileError] = []
        with self.ws.transaction() as changes:
            for item in items:
                kind = "*" if isinstance(item, br.Equiv) else br.line_kind(item.id)
                try:
                    outcome[kind, self._one(item)] += 1
                except Refused as exc:
                    outcome[kind, "refused"] += 1
                    errors.append(FileError(self.path, item.line, str(exc)))
        report = self.ctx.report
        report.changes.extend(changes)
        report.errors += errors
        for (kind, status), count in outcome.items():
            self.settled[kind] += count
            {"imported": report.imported, "present": report.present, "noted": report.as_notes,
             "refused": report.refused}[status][kind] += count  # fmt: skip
        self.ctx.done += len(items)
        if report.progress is not None:
            report.progress(self.ctx.done)

    def _one(self, item: Item) -> str:
        if isinstance(item, br.TextBound):
            return self._span(item)
        if isinstance(item, br.Normalization):
            return self._norm(item)
        if isinstance(item, br.BratRelation):
            return self._relation(item)
        if isinstance(item, br.BratEvent):
            return self._event(item)
        if isinstance(item, br.Attribute):
            return self._attribute(item)
        if isinstance(item, br.AnnotatorNote):
            return self._note(item)
        return self._equiv(item)

    # -- T -------------------------------------------------------------------------------------

    def _span(self, span: br.TextBound) -> str:
        problem = br.span_text_error(span, self.raw)
        if problem:
            raise Refused(problem)
        places = [self._place(start, end) for start, end in span.fragments]
        if any(place is None for place in places):
            raise Refused(
                f"{span.id}: «{short(span.text)}» has no place in «{short(self.document.title)}»"
                " (its offsets fall where the stored text was normalised); not imported"
            )
        known = self._known(span.id, Annotation.TABLE)
        if known:
            self.passages[span.id] = [a for a in map(self._passage, known) if a and a.live]
            for passage in self.passages[span.id]:
                for mention in self.ws.records.where(Mention, {"annotation_id": passage.id}):
                    self.entity_of.setdefault(span.id, mention.entity_id)
            for norm in self.norms.get(span.id, []):
                self.norm_status[norm.id] = "present"
            return "present"
        ranges = self._joined([place for place in places if place is not None])
        category_id, entity_kind, tags = self._meaning(span.type)
        norms = self.norms.get(span.id, [])
        if span.type == "Mention" and norms and category_id is None:
            entity_kind, tags = FALLBACK_KIND, []  # our export's mention-only span
        quoted = " ".join(self.document.body[s:e] for s, e in ranges)
        linked = []
        if entity_kind is not None:  # the span names an entity: resolved before any write
            first: br.Normalization | None = min(
                norms, key=lambda n: n.refdb.casefold() != "wikidata", default=None
            )
            norms = [n for n in norms if n is not first]
            try:
                linked.append((self._entity(first, entity_kind, quoted, span), first))
            except Refused as exc:  # the line naming it is refused; the span named by its text
                assert first is not None
                self.norm_status[first.id] = f"refused:{exc}"
                linked.append((self._entity(None, entity_kind, quoted, span), None))
        for norm in norms:
            try:
                linked.append((self._entity(norm, FALLBACK_KIND, None, span), norm))
            except Refused as exc:
                self.norm_status[norm.id] = f"refused:{exc}"
        if len(ranges) > 1:
            tags = [*tags, f"brat-span={span.id}"]
        made, passages = self._passages(span, ranges, category_id, tags, entity_kind is not None)
        self.passages[span.id] = passages
        for entity_id, source in linked:
            self.entity_of.setdefault(span.id, entity_id)
            added = any([self._link(p, entity_id, "mentioned") for p in passages])
            if source is not None:
                self.norm_status[source.id] = "imported" if added else "present"
                self._reference_note(source)
        return "imported" if made else "present"

    def _joined(self, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Fragments with only whitespace between them as one range: brat cannot hold a
        newline or tab in a span (our export cuts a passage there), and an annotator who
        left out no word meant one passage."""
        joined = [ranges[0]]
        for start, end in ranges[1:]:
            if self.document.body[joined[-1][1] : start].strip():
                joined.append((start, end))
            else:
                joined[-1] = (joined[-1][0], end)
        return joined

    def _place(self, start: int, end: int) -> tuple[int, int] | None:
        mapped = self.offsets.fragment(start, end)
        if mapped is None or self.document.body == self.offsets.body:
            return mapped
        # The document given differs from this .txt: placed by quote and context.
        ours = make_selector(self.offsets.body, *mapped)
        placement = place_quote(self.document.body, ours.exact, ours.prefix, ours.suffix, *mapped)
        return None if placement is None else (placement.start, placement.end)

    def _meaning(self, type_: str) -> tuple[str | None, str | None, list[str]]:
        """(category id, entity kind, tags) a span type gives."""
        for name in (type_, self.labels.get(type_, "")):
            category = self.ctx.categories.get(br.type_key(name)) if name else None
            if category is not None:
                return category.id, None, []
        kind = br.entity_kind(type_)
        if kind is not None:
            return None, kind, []
        if type_ == "Passage":  # our export's type for a passage without category
            return None, None, []
        return None, None, [type_]

    def _entity(
        self, norm: br.Normalization | None, kind: str, fallback: str | None, span: br.TextBound
    ) -> str:
        db = norm.refdb.casefold() if norm else ""
        if norm and db == "wikidata" and not br.WIKIDATA_ID.match(norm.refid):
            raise Refused(f"{norm.id}: «{short(norm.refid)}» is no Wikidata id; not linked")
        name = (norm.text if norm else "") or fallback
        try:
            entity, added = self.ctx.entities.resolve(
                id_=norm.refid if norm and db == "workstation" else None,
                name=name,
                kind=kind,
                wikidata_id=norm.refid if norm and db == "wikidata" else None,
            )
        except IdTaken as exc:
            where = norm.id if norm else span.id
            raise Refused(
                f"{where}: id {exc.record_id} already names {record_kind(exc.table)} here;"
                " not linked"
            ) from None
        if entity is None:
            assert norm is not None
            raise Refused(
                f"{norm.id}: {norm.refdb}:{norm.refid} names no entity here and the line gives"
                " no name; not linked"
            )
        self.ctx.report.entities_added += int(added)
        return entity.id

    def _passages(
        self,
        span: br.TextBound,
        ranges: list[tuple[int, int]],
        category_id: str | None,
        tags: list[str],
        mention_only: bool,
    ) -> tuple[bool, list[Annotation]]:
        made = False
        passages = []
        for start, end in ranges:
            selector = make_selector(self.document.body, start, end)
            same: dict[str, Any] = {"document_id": self.document.id, "start": start, "end": end,
                    "category_id": category_id, "mention_only": mention_only}  # fmt: skip
            twin = next(self.ws.records.where(Annotation, same, limit=1), None)
            if twin is None:
                twin = self.ws.records.insert(
                    Annotation(
                        document_id=self.document.id,
                        **selector.fields(),
                        category_id=category_id,
                        tags=list(tags),
                        mention_only=mention_only,
                        **self.ctx.imported(),
                    )
                )
                made = True
                self.made[twin.id] = set()
                self.ctx.report.placed += 1
                self.ctx.report.mentions += int(mention_only)
            self._foreign(span.id, Annotation.TABLE, twin.id, new=twin.id in self.made)
            passages.append(twin)
        return made, passages

    def _reference_note(self, norm: br.Normalization) -> None:
        if norm.refdb.casefold() in ("wikidata", "workstation"):
            return
        line = f"Reference {norm.refdb}:{norm.refid}" + (f" ({norm.text})" if norm.text else "")
        self._add_note(norm.id, norm.target, line)

    # -- N, A, #, * ----------------------------------------------------------------------------

    def _norm(self, norm: br.Normalization) -> str:
        status = self.norm_status.get(norm.id)
        if status is None:
            if norm.target.startswith("T"):
                raise Refused(f"{norm.id}: its span {norm.target} was not imported")
            line = f"Reference {norm.refdb}:{norm.refid}" + (f" ({norm.text})" if norm.text else "")
            return self._add_note(norm.id, norm.target, line, noted=True)
        if status.startswith("refused:"):
            raise Refused(status.removeprefix("refused:"))
        return status

    def _attribute(self, attribute: br.Attribute) -> str:
        tag = attribute.type + (f"={attribute.value}" if attribute.value is not None else "")
        if attribute.target.startswith("R"):
            line = f"{attribute.target}: {tag}"
            return self._add_note(attribute.id, attribute.target, line, noted=True)
        added = self._tag(self._anchor(attribute.id, attribute.target), tag)
        event_id = self.event_ids.get(attribute.target)
        if event_id is not None:
            added = self._event_line(event_id, tag) or added
        return "imported" if added else "present"

    def _note(self, note: br.AnnotatorNote) -> str:
        if note.target.startswith("T"):
            text = note.text
            if text == INTERNAL_MARK or text.startswith(INTERNAL_MARK + " "):
                # Our export marks passages not for release so; brat has no field for it.
                text = text.removeprefix(INTERNAL_MARK).strip()
                made_internal = self._internal(self._anchor(note.id, note.target))
                status = self._add_note(note.id, note.target, text) if text else "present"
                return "imported" if made_internal else status
            return self._add_note(note.id, note.target, text)
        line = f"{note.target}: {note.text}"
        event_id = self.event_ids.get(note.target)
        if event_id is not None:
            status = self._add_note(note.id, note.target, line)
            return "imported" if self._event_line(event_id, note.text) else status
        return self._add_note(note.id, note.target, line, noted=True)

    def _equiv(self, equiv: br.Equiv) -> str:
        for ref in equiv.refs:
            self._anchor("*", ref)
        line = f"{equiv.type}: " + " = ".join(f"«{self._quote(ref)}»" for ref in equiv.refs)
        statuses = [self._add_note("*", ref, line, noted=True) for ref in equiv.refs]
        return "noted" if "noted" in statuses else "present"
