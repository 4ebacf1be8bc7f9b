"""The helpers every line of a brat file uses, and what R and E lines become
(``services.brat_lines`` has the rules and the other lines)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation.domain.date_proposal import reference_date
from workstation.domain.records import (
    Annotation,
    Document,
    Event,
    Evidence,
    ForeignId,
    Mention,
    Relation,
)
from workstation.domain.vocab import EVENT_KINDS
from workstation.interchange import brat_read as br
from workstation.services.annotation_report import short
from workstation.services.import_chunks import Refused
from workstation.storage.workspace import Workspace

if TYPE_CHECKING:
    from workstation.services.brat_records import BratContext

SCHEME = "brat"


class LinesBase:
    """One ``.ann`` file's state: what its spans became here, and its events."""

    ctx: BratContext
    ws: Workspace
    path: Path
    key: str  # "<file relative to the collection>#": brat ids are unique per file only
    ann: br.AnnFile
    document: Document
    labels: dict[str, str]
    spans: dict[str, br.TextBound]
    passages: dict[str, list[Annotation]]  # T id → its passages here
    entity_of: dict[str, str]  # T id → the entity it names
    events: dict[str, br.BratEvent]
    event_ids: dict[str, str]  # E id → our event
    undated: bool
    made: dict[str, set[tuple[str, str]]]  # passage made now → its (entity, role) links

    # -- R -------------------------------------------------------------------------------------

    def _relation(self, relation: br.BratRelation) -> str:
        (_, first), (_, second) = relation.args
        one, two = (self._anchor(relation.id, ref) for ref in (first, second))
        subject, object_ = self.entity_of.get(one), self.entity_of.get(two)
        kind = br.relation_kind(relation.type)
        if kind and subject and object_ and subject != object_:
            same: dict[str, Any] = {"kind": kind, "subject_id": subject, "object_id": object_}
            if next(self.ws.records.where(Relation, same, limit=1), None) is not None:
                return "present"
            made = self.ws.records.insert(
                Relation(
                    **same, role=relation.type, source=self.key + relation.id, **self.ctx.imported()
                )
            )
            self._foreign(relation.id, Relation.TABLE, made.id, new=True)
            self.ctx.report.relations_added += 1
            return "imported"
        role = br.relation_role(relation.type)
        for passage_side, entity_id in ((one, object_), (two, subject)):
            passages = [p for p in self.passages.get(passage_side, []) if not p.mention_only]
            if role and passages and entity_id:
                added = any([self._link(p, entity_id, role) for p in passages])
                return "imported" if added else "present"
        quotes = f"«{self._quote(first)}» → «{self._quote(second)}»"
        line = f"{relation.id} {self._label(relation.type)}: {quotes}"
        return self._add_note(relation.id, first, line, noted=True)

    # -- E -------------------------------------------------------------------------------------

    def _event(self, event: br.BratEvent) -> str:
        for ref in (event.trigger, *(ref for _, ref in event.args)):
            self._anchor(event.id, ref)
        known = self._known(event.id, Event.TABLE)
        if known:
            self.event_ids[event.id] = known[0]
            return "present"
        actors = [ref for role, ref in event.args if br.event_role(role) == "actor"]
        targets = [ref for role, ref in event.args if br.event_role(role) == "target"]
        actor = self.entity_of.get(self._span_of(actors[0])) if len(actors) == 1 else None
        target = self.entity_of.get(self._span_of(targets[0])) if len(targets) == 1 else None
        others = [f"{role}: «{self._quote(ref)}»" for role, ref in event.args
                  if ref not in actors + targets]  # fmt: skip
        clear = bool(actors or targets) and len(actors) <= 1 and len(targets) <= 1
        clear = clear and (actor is not None or not actors) and (target is not None or not targets)
        label = self._label(event.type)
        if not clear:
            args = ", ".join(f"{role} «{self._quote(ref)}»" for role, ref in event.args)
            line = f"{event.id} {label}: «{self._quote(event.trigger)}»"
            line += f" — {args}" if args else ""
            return self._add_note(event.id, event.trigger, line, noted=True)
        trigger = self.passages.get(event.trigger, [])
        published = reference_date(self.document.published)
        self.undated = self.undated or published is None
        made = self.ws.records.insert(
            Event(
                episode_id=self.ctx.episode(),
                date=published.isoformat() if published else self.ctx.now[:10],
                kind=self._event_kind(event.type, trigger),
                title=short(f"{label}: {self._quote(event.trigger)}", 200),
                summary="\n".join([f"From brat {self.key}{event.id}.", *others]),
                actor_id=actor,
                target_id=target,
                **self.ctx.imported(),
            )
        )
        for passage in trigger:
            if not passage.mention_only:  # a mention-only span is no evidence (m012)
                self.ws.records.insert(Evidence(event_id=made.id, annotation_id=passage.id))
        self._foreign(event.id, Event.TABLE, made.id, new=True)
        self.event_ids[event.id] = made.id
        self.ctx.report.events_added += 1
        return "imported"

    def _event_kind(self, type_: str, trigger: list[Annotation]) -> str:
        wanted = type_.casefold().replace("_", " ").replace("-", " ")
        if wanted in EVENT_KINDS:
            return wanted
        names = {c.id: c.name.casefold() for c in self.ctx.categories.values()}
        kinds = [names.get(p.category_id or "") for p in trigger]
        return next((k for k in kinds if k in EVENT_KINDS), "other")

    def _event_line(self, event_id: str, line: str) -> bool:
        event = self.ws.records.get(Event, event_id)
        if event is None or line in event.summary.split("\n"):
            return False
        self.ws.records.update(event, summary=f"{event.summary}\n{line}".strip())
        return True

    # -- helpers -------------------------------------------------------------------------------

    def _span_of(self, ref: str) -> str:
        """The span a reference stands on: itself, or an event's trigger."""
        event = self.events.get(ref)
        return event.trigger if event is not None else ref

    def _anchor(self, owner: str, ref: str) -> str:
        """The span whose passages stand for ``ref``: a span itself, an event's trigger, a
        relation's first argument. Refused when it is not in the file or was not imported."""
        span = self._span_of(ref)
        if ref.startswith("R"):
            relation = next((r for r in self.ann.relations if r.id == ref), None)
            span = self._span_of(relation.args[0][1]) if relation is not None else ref
        if span not in self.spans:
            raise Refused(f"{owner}: {ref} is not in this file")
        if span not in self.passages:
            raise Refused(f"{owner}: {ref}, not imported (see its line)")
        return span

    def _quote(self, ref: str) -> str:
        span = self.spans.get(self._span_of(ref))
        return short(span.text) if span is not None else ref

    def _label(self, type_: str) -> str:
        return self.labels.get(type_) or type_.replace("_", " ")

    def _add_note(self, owner: str, ref: str, line: str, *, noted: bool = False) -> str:
        """Add ``line`` to the notes of ``ref``'s passages; "present" when every one has it."""
        span = self._anchor(owner, ref)
        added = False
        for index, passage in enumerate(self.passages[span]):
            if line in passage.note.split("\n\n"):
                continue
            note = f"{passage.note}\n\n{line}" if passage.note else line
            self.passages[span][index] = self.ws.records.update(passage, note=note)
            added = True
        if not added:
            return "present"
        return "noted" if noted else "imported"

    def _internal(self, span: str) -> bool:
        changed = False
        for index, passage in enumerate(self.passages[span]):
            if passage.releasable:
                self.passages[span][index] = self.ws.records.update(passage, releasable=False)
                changed = True
        return changed

    def _tag(self, span: str, tag: str) -> bool:
        added = False
        for index, passage in enumerate(self.passages[span]):
            if tag not in passage.tags:
                self.passages[span][index] = self.ws.records.update(
                    passage, tags=[*passage.tags, tag]
                )
                added = True
        return added

    def _link(self, passage: Annotation, entity_id: str, role: str) -> bool:
        same: dict[str, Any] = {"annotation_id": passage.id, "entity_id": entity_id, "role": role}
        # A passage made by this import has only the links it gave it: no query needed.
        known = self.made.get(passage.id)
        if known is not None:
            if (entity_id, role) in known:
                return False
            known.add((entity_id, role))
        elif next(self.ws.records.where(Mention, same, limit=1), None) is not None:
            return False
        self.ws.records.insert(Mention(**same, **self.ctx.imported()))
        self.ctx.report.links += 1
        return True

    def _passage(self, annotation_id: str) -> Annotation | None:
        found = self.ws.records.get(Annotation, annotation_id, include_deleted=True)
        return found if found is not None and found.document_id == self.document.id else None

    def _known(self, brat_id: str, table: str) -> list[str]:
        """Our records this brat id named in an earlier import of this file (of this
        document: two collections may both hold a ``doc.ann``)."""
        rows = self.ws.records.where(
            ForeignId, {"scheme": SCHEME, "foreign_id": self.key + brat_id}
        )
        ids = [row.record_id for row in rows if row.record_table == table]
        if table == Annotation.TABLE:
            return [i for i in ids if self._passage(i) is not None]
        if table == Event.TABLE:
            trigger = {p.id for p in self.passages.get(self._span_of(brat_id), [])}
            # An event cites its trigger's passages (none when the trigger is mention-only).
            return [i for i in ids if not (cited := self._evidence(i)) or cited & trigger]
        return ids

    def _evidence(self, event_id: str) -> set[str]:
        return {e.annotation_id for e in self.ws.records.where(Evidence, {"event_id": event_id})}

    def _foreign(self, brat_id: str, table: str, record_id: str, *, new: bool = False) -> None:
        """Record brat's id for ``record_id``; ``new``: made just now, so none is recorded."""
        fid: dict[str, Any] = {"scheme": SCHEME, "foreign_id": self.key + brat_id,
               "record_table": table, "record_id": record_id}  # fmt: skip
        if new or next(self.ws.records.where(ForeignId, fid, limit=1), None) is None:
            self.ws.records.insert(ForeignId(**fid, **self.ctx.imported()))
