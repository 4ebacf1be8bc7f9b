"""Finding the entity an imported reference means, without one query per line.

An import may name thousands of entities; the registry is read once and kept in step with
what the import adds. Matching order: our id (a UUID), the original id an earlier import kept
for an entity whose own id was not a UUID, the Wikidata id, then name or alias
(case-insensitive, NFC, invisible characters left out). Only when nothing matches is an
entity created: with the reference's id when that is a UUID no record here has, otherwise
with a new UUID, the original id kept in ``claimed`` (and matched by on the next import).

A matched entity takes the reference's other names as aliases only when each agrees with a
name it has (``domain.name_agreement``) and is no other entity's name; a Wikidata id only
when no other entity has it. What is held back is listed in ``held`` for the report.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workstation.domain.name_agreement import agrees_with_any
from workstation.domain.records import Entity, is_uuid
from workstation.domain.text_display import fold_ignorables
from workstation.domain.vocab import ENTITY_KINDS
from workstation.services.outcome import ServiceError
from workstation.storage import provenance

if TYPE_CHECKING:
    from workstation.services.session import Session

FALLBACK_KIND = "LegalEntity"


# FtM facts that tell two entities of one name apart: two different values of one of these
# (and none in common) mean two entities.
DISTINGUISHING = (
    "birthDate",
    "innCode",
    "ogrnCode",
    "taxNumber",
    "registrationNumber",
    "leiCode",
    "idNumber",
    "passportNumber",
)


def facts_disagree(known: dict[str, list[str]], imported: dict[str, list[str]]) -> bool:
    return any(
        known.get(name) and imported.get(name) and not set(known[name]) & set(imported[name])
        for name in DISTINGUISHING
    )


def name_key(name: str) -> str:
    return " ".join(fold_ignorables(unicodedata.normalize("NFC", name)).casefold().split())


class IdTaken(Exception):
    """The reference's UUID already names a record of another kind here."""

    def __init__(self, record_id: str, table: str):
        super().__init__(record_id, table)
        self.record_id = record_id
        self.table = table


@dataclass(frozen=True)
class HeldBack:
    """A name (or Wikidata id) an import would have given a known entity, not applied."""

    what: str  # "“Vladimir Putin” as a name of", "the Wikidata id Q7747 to"
    entity: Entity
    reason: str  # "already a name of …", "unlike every name it has"

    def __str__(self) -> str:
        return (
            f"would add {self.what} {self.entity.name} [id {self.entity.id}]: not applied "
            f"({self.reason}) — review and add it by hand if right"
        )


class EntityIndex:
    def __init__(self, session: Session, *, imported_at: str | None = None):
        """``imported_at``: entities created are stamped as imported (by the workspace's
        author, at that time)."""
        self.session = session
        self.ws = session.workspace
        self.imported_at = imported_at
        self.by_id: dict[str, Entity] = {}
        self.by_original: dict[str, Entity] = {}  # ids an import kept as claims
        self.by_wikidata: dict[str, Entity] = {}
        self.by_name: dict[str, Entity] = {}
        self.updated = 0  # known entities given names, a Wikidata id or facts they lacked
        self.created: set[str] = set()  # entities this index created (not "updated")
        self._updated_ids: set[str] = set()
        self.remapped = 0  # entities created under a new UUID, their own id not being one
        self.first_remapped: str | None = None
        self.held: list[HeldBack] = []
        for entity in session.entities.list_entities():
            self._remember(entity)

    def resolve(
        self,
        *,
        id_: str | None,
        name: str | None,
        kind: str | None = None,
        aliases: tuple[str, ...] = (),
        wikidata_id: str | None = None,
        country: str | None = None,
        description: str = "",
        properties: dict[str, list[str]] | None = None,
        not_by_name: Container[str] = (),
    ) -> tuple[Entity | None, bool]:
        """(the entity meant, whether it was created now). Call inside a transaction.

        ``id_`` is the id as the source wrote it. Raises IdTaken when it is a UUID naming a
        record of another kind. ``properties`` (FtM facts) are added to a matched entity's.
        A name alone never matches an entity in ``not_by_name`` (one another line of the same
        file is: one id, one entity), nor one whose facts say it is someone else."""
        found = self._find(id_, name, aliases, wikidata_id)
        if found is not None and self._someone_else(
            found, id_, wikidata_id, properties, not_by_name
        ):
            found = None
        if found is not None:
            enriched = self._enrich(found, name, aliases, wikidata_id)
            return self.add_properties(enriched, properties or {}), False
        if not name:
            return None, False
        try:
            fields = self.session.entities.clean_fields(
                kind=kind if kind in ENTITY_KINDS else FALLBACK_KIND,
                name=name,
                aliases=list(aliases),
                wikidata_id=wikidata_id,
            )
        except ServiceError:  # an odd Wikidata id must not cost the entity itself
            fields = self.session.entities.clean_fields(
                kind=kind if kind in ENTITY_KINDS else FALLBACK_KIND,
                name=name,
                aliases=list(aliases),
                wikidata_id=None,
            )
        entity = Entity(
            country=country, description=description, properties=dict(properties or {}), **fields
        )
        if id_ and is_uuid(id_) and self.ws.records.get(Entity, id_, include_deleted=True) is None:
            table = provenance.table_holding(self.ws, id_)
            if table is not None:
                raise IdTaken(id_, table)
            entity.id = id_
        if id_ and entity.id != id_:  # no UUID, or the UUID of an entity deleted here
            entity.claimed = {"id": id_}
            if not is_uuid(id_):
                self.remapped += 1
                self.first_remapped = self.first_remapped or id_
        if self.imported_at is not None:
            entity.imported_by, entity.imported_at = self.ws.author, self.imported_at
        saved = self.ws.records.insert(entity)
        self._remember(saved)
        self.created.add(saved.id)
        return saved, True

    def known(self, id_: str) -> Entity | None:
        """The entity this id names here: ours, or the original id an import kept."""
        found = self.by_id.get(id_) or self.by_original.get(id_)
        return self.by_id.get(found.id, found) if found else None

    def add_properties(self, entity: Entity, properties: dict[str, list[str]]) -> Entity:
        """``entity`` with these facts added to its own (values it has are not repeated)."""
        merged = {name: list(values) for name, values in entity.properties.items()}
        for name, values in properties.items():
            have = merged.setdefault(name, [])
            have.extend(v for v in values if v not in have)
        merged = {name: values for name, values in merged.items() if values}
        if merged == entity.properties:
            return entity
        updated = self.ws.records.update(entity, properties=merged)
        self._remember(updated)
        self._count_update(entity.id)
        return updated

    def _count_update(self, entity_id: str) -> None:
        if entity_id not in self.created and entity_id not in self._updated_ids:
            self._updated_ids.add(entity_id)
            self.updated += 1

    def check_id(self, id_: str | None) -> None:
        """Raise IdTaken when ``id_`` is a UUID naming a record here that is no entity."""
        if not id_ or not is_uuid(id_) or id_ in self.by_id:
            return
        table = provenance.table_holding(self.ws, id_)
        if table is not None and table != Entity.TABLE:
            raise IdTaken(id_, table)

    def _someone_else(
        self,
        found: Entity,
        id_: str | None,
        wikidata_id: str | None,
        properties: dict[str, list[str]] | None,
        not_by_name: Container[str],
    ) -> bool:
        """Whether ``found``, matched by a name alone (not by id or Wikidata id), is another
        line's entity of the same file or has facts that tell it apart."""
        by_reference = [self.known(id_) if id_ else None]
        if wikidata_id:
            by_reference.append(self.by_wikidata.get(wikidata_id.upper()))
        if found.id in {entity.id for entity in by_reference if entity is not None}:
            return False
        return found.id in not_by_name or facts_disagree(found.properties, properties or {})

    def _find(
        self,
        id_: str | None,
        name: str | None,
        aliases: tuple[str, ...],
        wikidata_id: str | None,
    ) -> Entity | None:
        if id_ and id_ in self.by_id:
            return self.by_id[id_]
        if id_ and id_ in self.by_original:
            return self.by_id.get(self.by_original[id_].id, self.by_original[id_])
        if wikidata_id and wikidata_id.upper() in self.by_wikidata:
            found = self.by_wikidata[wikidata_id.upper()]
            return self.by_id.get(found.id, found)
        for label in (name, *aliases):
            if label and name_key(label) in self.by_name:
                found = self.by_name[name_key(label)]
                return self.by_id.get(found.id, found)  # as last updated
        return None

    def _enrich(
        self, entity: Entity, name: str | None, aliases: tuple[str, ...], wikidata_id: str | None
    ) -> Entity:
        """Add the names the import knows and the registry does not, as aliases, when each
        agrees with a name the entity has and belongs to no other entity."""
        known = {name_key(entity.name), *(name_key(a) for a in entity.aliases)}
        extra = [a for a in dict.fromkeys((name or "", *aliases)) if a.strip()]
        extra = [a for a in extra if name_key(a) not in known]
        taken = []
        for label in extra:
            other = self.by_name.get(name_key(label))
            if other is not None and other.id != entity.id:
                reason = f"it is a name of {other.name} [id {other.id}]"
            elif not agrees_with_any(label, [entity.name, *entity.aliases]):
                reason = "it is unlike every name the entity has"
            else:
                taken.append(label)
                continue
            self.held.append(HeldBack(f"“{label}” as a name of", entity, reason))
        changes: dict[str, object] = {}
        if taken:
            changes["aliases"] = [*entity.aliases, *taken]
        if wikidata_id and not entity.wikidata_id:
            other = self.by_wikidata.get(wikidata_id.upper())
            if other is not None and other.id != entity.id:
                self.held.append(
                    HeldBack(
                        f"the Wikidata id {wikidata_id} to",
                        entity,
                        f"it is the id of {other.name} [id {other.id}]",
                    )
                )
            else:
                with contextlib.suppress(ServiceError):
                    changes["wikidata_id"] = self.session.entities.clean_fields(
                        kind=entity.kind, name=entity.name, aliases=[], wikidata_id=wikidata_id
                    )["wikidata_id"]
        if not changes:
            return entity
        updated = self.ws.records.update(entity, **changes)
        self._count_update(entity.id)
        self._remember(updated)
        return updated

    def _remember(self, entity: Entity) -> None:
        self.by_id[entity.id] = entity
        original = entity.claimed.get("id")
        if isinstance(original, str):
            self.by_original.setdefault(original, entity)
        if entity.wikidata_id:
            self.by_wikidata[entity.wikidata_id.upper()] = entity
        for label in (entity.name, *entity.aliases):
            self.by_name.setdefault(name_key(label), entity)
