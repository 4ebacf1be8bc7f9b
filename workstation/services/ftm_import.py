"""Importing FollowTheMoney JSON Lines: entities with their facts, sanctions, relations and
addresses.

- An entity is matched by id, Wikidata id, then name or alias (``services.entity_index``),
  and created only when nothing matches; its further facts (weak aliases, previous names,
  nationality, birth date, identifiers, topics, addresses…) go to ``Entity.properties``.
- An Address line becomes no entity: its text is added to the ``address`` facts of the
  entities that refer to it (``addressEntity``), whichever of the two comes first.
- A Sanction line becomes an event of kind ``sanction``: its date (start, else listing), the
  authority as actor (a PublicBody, matched by name or created), the sanctioned entity as
  target, the programme as legal basis, the reason as summary.
- Ownership, Directorship, Membership, Family… lines become ``Relation`` records.

Sanctions and relations name entities by the file's ids, which may come later in the file:
a line whose entities are not known yet waits until the file is read, then is stored or
reported with the reason. Each sanction and relation is recorded in ``foreign_ids`` (scheme
``ftm``) so a re-import recognises it.

Sanction events go to an episode of their own, "Imported sanctions", never the officer's
newest: a brief reports every event of its episode, so a list of dozens of listings from
OpenSanctions would otherwise enter the next brief unasked. The officer moves the events
that matter into an episode of analysis.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from workstation.domain.counts import count_noun
from workstation.domain.dates import check_event_date
from workstation.domain.records import Entity, Episode, Event, ForeignId, Relation
from workstation.interchange.errors import InterchangeError
from workstation.services.annotation_report import AnnotationImportReport, error_at, record_kind
from workstation.services.entity_index import IdTaken
from workstation.services.import_chunks import Chunked, Refused

if TYPE_CHECKING:
    from workstation.interchange.ftm_links import FtmAddress, FtmRelation, FtmSanction
    from workstation.interchange.ftm_parse import FtmEntity, FtmLine
    from workstation.services.session import Session

IMPORTED_SANCTIONS = "Imported sanctions"  # the episode sanction events go to
SCHEME = "ftm"
_AUTHORITY_KIND = "PublicBody"
_LISTED = 12  # line numbers a note lists before "…"
# The property holding a target's sanctions that give no date ("authority — programme").
UNDATED = "sanctionsUndated"


class FtmImport(Chunked["FtmLine"]):
    def __init__(self, session: Session, report: AnnotationImportReport):
        super().__init__(session, report)
        self.source = report.path.name
        self.in_file: dict[str, str] = {}  # the file's entity ids (and referents) → ours
        self.line_of: dict[str, str] = {}  # our entity id → the file's id that named it first
        self.lost: dict[str, str] = {}  # the file's entity ids not imported → why
        # Address lines read: their id (and referents) → (their own id, line, texts).
        self.addresses: dict[str, tuple[str, int | None, tuple[str, ...]]] = {}
        self.placed: set[str] = set()  # Address lines given to an entity
        self.attached: set[str] = set()  # … that added an address it did not have
        # Addresses referred to before their line was read: id → [(our entity id, line)].
        self.waiting: dict[str, list[tuple[str, int | None]]] = {}
        self.deferred: list[FtmSanction | FtmRelation] = []  # ends not known yet
        self.skips: dict[tuple[str, str], list[int | None]] = {}  # (schema, reason) → lines
        self.authorities_added = 0
        self.undated: list[int | None] = []  # lines of sanctions with no date
        self.episode: Episode | None = None

    def run(self, items: Iterable[FtmLine | InterchangeError]) -> None:
        super().run(items)
        if not self.report.cancelled:
            self._settle()
        elif self.deferred:
            waiting = count_noun(
                len(self.deferred), "sanction or relation", "sanctions or relations"
            )
            self.report.ftm_notes.append(
                f"{waiting} waiting for entities further down the file not imported (cancelled)"
            )
        self._note_skips()

    def one(self, item: FtmLine) -> None:
        from workstation.interchange.ftm_links import FtmAddress, FtmSanction
        from workstation.interchange.ftm_parse import FtmEntity, FtmSkipped

        if isinstance(item, FtmSkipped):
            self._skip(item.schema, item.reason, item.line)
            self.lost.setdefault(item.id, f"is a {item.schema} (line {item.line}), not kept here")
        elif isinstance(item, FtmEntity):
            self._entity(item)
        elif isinstance(item, FtmAddress):
            self._address(item)
        elif isinstance(item, FtmSanction) and not item.entities:
            self._skip("Sanction", "it names no sanctioned entity", item.line)
        elif not self._link(item, final=False):
            self.deferred.append(item)

    # -- entities and addresses -------------------------------------------------------------

    def _entity(self, item: FtmEntity) -> None:
        try:
            entity, added = self.entities.resolve(
                id_=item.id,
                name=item.name,
                kind=item.kind,
                aliases=item.aliases,
                wikidata_id=item.wikidata_id,
                country=item.country,
                description=item.description or "",
                properties=item.properties,
                not_by_name=_OtherLines(self.line_of, item.id),
            )
        except IdTaken as exc:
            self.lost[item.id] = f"its line {item.line} was not imported"
            raise Refused(
                f"id {exc.record_id} already names {record_kind(exc.table)} here; not imported"
            ) from None
        if entity is None:  # the parser gives every entity a name; kept for the type
            return
        self.report.entities_added += added
        self.report.entities_matched += not added
        self.line_of.setdefault(entity.id, item.id)
        for file_id in (item.id, *item.referents):
            self.in_file.setdefault(file_id, entity.id)
        for address_id in item.address_ids:
            if address_id in self.addresses:
                self._attach(entity.id, address_id)
            else:
                self.waiting.setdefault(address_id, []).append((entity.id, item.line))

    def _address(self, item: FtmAddress) -> None:
        for file_id in (item.id, *item.referents):
            self.addresses.setdefault(file_id, (item.id, item.line, item.texts))
            for entity_id, _line in self.waiting.pop(file_id, []):
                self._attach(entity_id, file_id)

    def _attach(self, entity_id: str, address_id: str) -> None:
        own_id, _line, texts = self.addresses[address_id]
        entity = self.entities.by_id[entity_id]
        if self.entities.add_properties(entity, {"address": list(texts)}) is not entity:
            self.attached.add(own_id)  # counted when it added something (not on re-import)
        self.placed.add(own_id)

    # -- sanctions and relations ------------------------------------------------------------

    def _link(self, item: FtmSanction | FtmRelation, *, final: bool) -> bool:
        """Store the sanction or relation once its entities are known; False while one is
        not (and the file is not read to its end). At the end, refuse it, saying which."""
        from workstation.interchange.ftm_links import RELATION_ENDS, FtmSanction

        if isinstance(item, FtmSanction):
            ends = [("sanctioned entity", file_id) for file_id in item.entities]
        else:
            subject, object_, _role = RELATION_ENDS[item.schema]
            ends = [(subject, item.subject), (object_, item.object)]
        found = [self._our_entity(file_id) for _what, file_id in ends]
        missing = [(what, file_id) for (what, file_id), e in zip(ends, found, strict=True) if not e]
        if missing and not final:
            return False
        if missing:
            nowhere = "is in neither the file nor the workspace"
            why = "; ".join(
                f"its {what} {file_id} {self.lost.get(file_id, nowhere)}"
                for what, file_id in missing
            )
            schema = "Sanction" if isinstance(item, FtmSanction) else item.schema
            raise Refused(f"{schema} {item.id} not imported: {why}")
        entities = [e for e in found if e is not None]
        if isinstance(item, FtmSanction):
            for file_id, target in zip(item.entities, entities, strict=True):
                self._sanction(item, file_id, target)
        else:
            self._relation(item, entities[0], entities[1])
        return True

    def _our_entity(self, file_id: str) -> Entity | None:
        ours = self.in_file.get(file_id)
        if ours is not None:
            return self.entities.by_id.get(ours)
        return self.entities.known(file_id)

    def _sanction(self, item: FtmSanction, target_file_id: str, target: Entity) -> None:
        if item.date is None:  # an event needs one: kept as a fact of the target instead
            listing = " — ".join(x for x in (*item.authorities[:1], item.program) if x)
            self.entities.add_properties(target, {UNDATED: [listing or item.id]})
            self.undated.append(item.line)
            return
        foreign = item.id if len(item.entities) == 1 else f"{item.id}#{target_file_id}"
        ours = self.ws.records.get(Event, item.id, include_deleted=True)  # our own export
        if ours is not None or self._mapped(foreign, Event.TABLE):
            self.report.events_already += 1  # one deleted here stays deleted
            return
        try:
            date = check_event_date(item.date, item.precision)
        except ValueError as exc:
            raise Refused(f"Sanction {item.id} not imported: {exc}") from None
        authority = self._authority(item.authorities[0]) if item.authorities else None
        title = (
            f"{authority.name} sanctions {target.name}"
            if authority
            else f"Sanctions on {target.name}"
        )
        summary = [*item.reasons]
        if item.authorities[1:]:
            summary.append("Also listed by: " + "; ".join(item.authorities[1:]))
        if item.provisions:
            summary.append("Measures: " + "; ".join(item.provisions))
        summary += [f"Source: {url}" for url in item.source_urls]
        event = Event(
            episode_id=self._episode().id,
            date=date,
            precision=item.precision,
            kind="sanction",
            title=title,
            summary="\n\n".join(summary),
            actor_id=authority.id if authority else None,
            target_id=target.id,
            legal_basis=item.program,
            **self.imported(),
        )
        saved = self.ws.records.insert(event)
        self._map(foreign, Event.TABLE, saved.id)
        self.report.events_added += 1

    def _authority(self, name: str) -> Entity | None:
        entity, added = self.entities.resolve(id_=None, name=name, kind=_AUTHORITY_KIND)
        self.authorities_added += added
        return entity

    def _episode(self) -> Episode:
        if self.episode is None or self.episode.deleted_at is not None:
            found = self.ws.records.where(Episode, {"title": IMPORTED_SANCTIONS})
            self.episode = next(found, None) or self.ws.records.insert(
                Episode(title=IMPORTED_SANCTIONS, **self.imported())
            )
        return self.episode

    def _relation(self, item: FtmRelation, subject: Entity, object_: Entity) -> None:
        ours = self.ws.records.get(Relation, item.id, include_deleted=True)
        if ours is not None or self._mapped(item.id, Relation.TABLE):
            self.report.relations_already += 1
            return
        if subject.id == object_.id:
            self._skip(item.schema, "both of its entities are one entity here", item.line)
            return
        relation = Relation(
            kind=item.kind,
            subject_id=subject.id,
            object_id=object_.id,
            role=item.role,
            share=item.share,
            start_date=item.start_date,
            end_date=item.end_date,
            source=f"{self.source}:{item.line}" if item.line else self.source,
            **self.imported(),
        )
        saved = self.ws.records.insert(relation)
        self._map(item.id, Relation.TABLE, saved.id)
        self.report.relations_added += 1

    def _mapped(self, foreign_id: str, table: str) -> bool:
        equals = {"scheme": SCHEME, "foreign_id": foreign_id, "record_table": table}
        return next(self.ws.records.where(ForeignId, equals), None) is not None

    def _map(self, foreign_id: str, table: str, record_id: str) -> None:
        self.ws.records.insert(
            ForeignId(
                scheme=SCHEME,
                foreign_id=foreign_id,
                record_table=table,
                record_id=record_id,
                **self.imported(),
            )
        )

    # -- the end of the file ----------------------------------------------------------------

    def _settle(self) -> None:
        """Store what waited for entities further down the file, or say why it cannot be;
        list the addresses that found no entity and the entities whose address never came."""
        with self.ws.transaction() as done:
            for item in self.deferred:
                try:
                    self._link(item, final=True)
                except Refused as exc:
                    where = f"line {item.line}" if item.line else "an item"
                    self.report.errors.append(error_at(item.line, where, str(exc)))
        self.report.changes.extend(done)
        self.deferred.clear()
        absent: dict[int | None, list[str]] = {}
        for address_id, waiting in self.waiting.items():
            for _entity_id, line in waiting:
                absent.setdefault(line, []).append(address_id)
        for line, ids in absent.items():
            self.report.ftm_notes.append(
                f"line {line}: {count_noun(len(ids), 'address', 'addresses')} it refers to "
                f"not in the file ({', '.join(ids)}); the entity is imported without "
                + ("it" if len(ids) == 1 else "them")
            )
        seen = {own: line for own, line, _texts in self.addresses.values()}
        for own, line in seen.items():
            if own not in self.placed:
                self._skip("Address", "no entity in the file refers to it", line)
        self.report.addresses_attached = len(self.placed)
        if self.undated:
            numbers = [str(n) for n in self.undated if n is not None]
            listed = ", ".join(numbers[:_LISTED]) + (", …" if len(numbers) > _LISTED else "")
            self.report.ftm_notes.append(
                f"lines {listed}: {count_noun(len(self.undated), 'sanction')} with no start or "
                "listing date kept as facts of their entities (“Sanctions (undated)”), not as "
                "events, which need a date"
            )
        if self.authorities_added:
            made = count_noun(
                self.authorities_added, "sanctioning authority", "sanctioning authorities"
            )
            self.report.ftm_notes.append(
                f"{made} added as entities (kind {_AUTHORITY_KIND}); sanction events are in the "
                f"episode “{IMPORTED_SANCTIONS}”"
            )

    def _skip(self, schema: str, reason: str, line: int | None) -> None:
        self.report.skipped += 1
        self.skips.setdefault((schema, reason), []).append(line)

    def _note_skips(self) -> None:
        for (schema, reason), lines in sorted(self.skips.items()):
            numbers = [str(n) for n in lines if n is not None]
            where = ("line " if len(numbers) == 1 else "lines ") + ", ".join(numbers[:_LISTED])
            where += ", …" if len(numbers) > _LISTED else ""
            what = count_noun(len(lines), schema + " line")
            self.report.ftm_notes.append(f"{where}: {what} not kept ({reason})")


class _OtherLines:
    """Our entities another line of this file named (under another id): a name alone must
    not merge two ids of one file, which its maker keeps apart on purpose."""

    def __init__(self, line_of: dict[str, str], file_id: str):
        self.line_of = line_of
        self.file_id = file_id

    def __contains__(self, entity_id: object) -> bool:
        named = self.line_of.get(entity_id) if isinstance(entity_id, str) else None
        return named is not None and named != self.file_id
