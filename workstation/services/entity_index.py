"""Finding the entity an imported reference means, without one query per line.

An import may name thousands of entities; the registry is read once and kept in step with
what the import adds. Matching order: our id, the Wikidata id, then name or alias
(case-insensitive, NFC, invisible characters left out). Only when nothing matches is an
entity created.
"""

from __future__ import annotations

import contextlib
import unicodedata
from typing import TYPE_CHECKING

from workstation.domain.records import Entity
from workstation.domain.text_display import fold_ignorables
from workstation.domain.vocab import ENTITY_KINDS
from workstation.services.outcome import ServiceError

if TYPE_CHECKING:
    from workstation.services.session import Session

FALLBACK_KIND = "LegalEntity"


def name_key(name: str) -> str:
    return " ".join(fold_ignorables(unicodedata.normalize("NFC", name)).casefold().split())


class EntityIndex:
    def __init__(self, session: Session):
        self.session = session
        self.ws = session.workspace
        self.by_id: dict[str, Entity] = {}
        self.by_wikidata: dict[str, Entity] = {}
        self.by_name: dict[str, Entity] = {}
        self.updated = 0  # known entities given names or a Wikidata id they lacked
        for entity in session.entities.list():
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
    ) -> tuple[Entity | None, bool]:
        """(the entity meant, whether it was created now). Call inside a transaction."""
        found = self._find(id_, name, aliases, wikidata_id)
        if found is not None:
            return self._enrich(found, name, aliases, wikidata_id), False
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
        entity = Entity(country=country, description=description, **fields)
        if id_ and self.ws.records.get(Entity, id_, include_deleted=True) is None:
            entity.id = id_
        saved = self.ws.records.insert(entity)
        self._remember(saved)
        return saved, True

    def _find(self, id_, name, aliases, wikidata_id) -> Entity | None:
        if id_ and id_ in self.by_id:
            return self.by_id[id_]
        if wikidata_id and wikidata_id.upper() in self.by_wikidata:
            return self.by_wikidata[wikidata_id.upper()]
        for label in (name, *aliases):
            if label and name_key(label) in self.by_name:
                return self.by_name[name_key(label)]
        return None

    def _enrich(self, entity: Entity, name, aliases, wikidata_id) -> Entity:
        """Add the names the import knows and the registry does not, as aliases."""
        known = {name_key(entity.name), *(name_key(a) for a in entity.aliases)}
        extra = [a for a in dict.fromkeys((name or "", *aliases)) if a.strip()]
        extra = [a for a in extra if name_key(a) not in known]
        changes: dict = {}
        if extra:
            changes["aliases"] = [*entity.aliases, *extra]
        if wikidata_id and not entity.wikidata_id:
            with contextlib.suppress(ServiceError):
                changes["wikidata_id"] = self.session.entities.clean_fields(
                    kind=entity.kind, name=entity.name, aliases=[], wikidata_id=wikidata_id
                )["wikidata_id"]
        if not changes:
            return entity
        updated = self.ws.records.update(entity, **changes)
        self.updated += 1
        self._remember(updated)
        return updated

    def _remember(self, entity: Entity) -> None:
        self.by_id[entity.id] = entity
        if entity.wikidata_id:
            self.by_wikidata[entity.wikidata_id.upper()] = entity
        for label in (entity.name, *entity.aliases):
            self.by_name.setdefault(name_key(label), entity)
