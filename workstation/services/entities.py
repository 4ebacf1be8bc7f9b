"""The entity registry and mentions (passage ↔ entity links with a role)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TypedDict

from workstation.domain.records import Annotation, Entity, Mention, Record, is_uuid
from workstation.domain.text_display import fold_ignorables
from workstation.domain.vocab import ENTITY_KINDS, MENTION_ROLES
from workstation.services.base import RecordService
from workstation.services.entity_lookup import EntityLookup, EntityMatch
from workstation.services.outcome import Outcome, ServiceError
from workstation.storage import queries

_WIKIDATA = re.compile(r"^Q\d+$")


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def _lookup_key(name: str) -> str:
    """How a typed name is compared with the registry's: ``_key`` without invisible
    characters, so "Nav<ZWSP>alny" finds Navalny and the other way round. (Aliases are still
    told apart by ``_key``: one written with an invisible character is kept as written.)"""
    return _key(fold_ignorables(name))


class EntityFields(TypedDict):
    """An entity's names and kind as the registry keeps them (EntityService.clean_fields)."""

    kind: str
    name: str
    aliases: list[str]
    wikidata_id: str | None


class EntityService(RecordService):
    def create(
        self,
        kind: str,
        name: str,
        *,
        aliases: list[str] | None = None,
        description: str = "",
        country: str | None = None,
        wikidata_id: str | None = None,
    ) -> Outcome[Entity]:
        fields = self._validated(
            kind=kind, name=name, aliases=aliases or [], wikidata_id=wikidata_id
        )
        return self._create(Entity(description=description, country=country, **fields))

    def list_entities(self) -> list[Entity]:
        return list(self.ws.records.where(Entity, order_by="name"))

    def find(self, entity_id: str) -> Entity | None:
        """The live entity with this id, or None. An id that is no UUID finds the entity an
        import made from a record with that id (the original is kept as a claim)."""
        found = self.ws.records.get(Entity, entity_id)
        if found is None and not is_uuid(entity_id):
            found = next(
                (e for e in self.list_entities() if e.claimed.get("id") == entity_id), None
            )
        return found

    def get(self, entity_id: str) -> Entity:
        found = self.find(entity_id)
        return found if found is not None else self._require(Entity, entity_id)

    def find_by_name(self, name: str) -> Entity | None:
        """An entity whose name or alias equals ``name`` (case-insensitive, invisible
        characters ignored)."""
        wanted = _lookup_key(name)
        for entity in self.list_entities():
            labels = (entity.name, *entity.aliases)
            if any(_lookup_key(label) == wanted for label in labels):
                return entity
        return None

    def lookup(self) -> EntityLookup:
        """Every live entity's names prepared for ``find`` as an officer types: partial,
        misspelled and other-script names (``domain.name_lookup``). Rebuild after edits."""
        return EntityLookup(self.list_entities())

    def find_matches(self, text: str, limit: int | None = 12) -> list[EntityMatch]:
        """Entities ``text`` may mean, best first; one-off (``lookup()`` to ask often)."""
        return self.lookup().find(text, limit)

    def edit(self, entity_id: str, **fields: Any) -> Outcome[Entity]:
        allowed = {"kind", "name", "aliases", "description", "country", "wikidata_id"}
        if set(fields) - allowed:
            raise ServiceError(f"cannot edit {', '.join(sorted(set(fields) - allowed))}")
        current = self.get(entity_id)
        merged = {
            "kind": current.kind,
            "name": current.name,
            "aliases": current.aliases,
            "wikidata_id": current.wikidata_id,
            **fields,
        }
        checked = self._validated(
            **{k: merged[k] for k in ("kind", "name", "aliases", "wikidata_id")}
        )
        fields.update({k: v for k, v in checked.items() if k in fields})
        return self._edit(Entity, current.id, **fields)

    def add_alias(self, entity_id: str, alias: str) -> Outcome[Entity]:
        entity = self.get(entity_id)
        return self.edit(entity_id, aliases=[*entity.aliases, alias])

    def delete(self, entity_id: str) -> Outcome[Entity]:
        return self._delete(Entity, entity_id)

    def _delete_dependents(self, record: Record) -> None:
        for mention_id in queries.live_children(self.ws, "mentions", "entity_id", record.id):
            mention = self.ws.records.get(Mention, mention_id)
            if mention is not None:
                self.ws.records.tombstone(mention)

    # -- mentions ---------------------------------------------------------------------------

    def link(self, annotation_id: str, entity_id: str, role: str = "mentioned") -> Outcome[Mention]:
        if role not in MENTION_ROLES:
            raise ServiceError(f"role must be one of {', '.join(MENTION_ROLES)}, not {role!r}")
        self._require(Annotation, annotation_id)
        self._require(Entity, entity_id)
        for existing in self.mentions_of(annotation_id):
            if existing.entity_id == entity_id and existing.role == role:
                raise ServiceError("this passage is already linked to that entity in that role")
        return self._create(Mention(annotation_id=annotation_id, entity_id=entity_id, role=role))

    def create_and_link(
        self, annotation_id: str, kind: str, name: str, role: str = "mentioned"
    ) -> Outcome[Mention]:
        """Create an entity and link it to a passage in one transaction (one undo step)."""
        with self.ws.transaction() as changes:
            entity = self.create(kind, name).record
            mention = self.link(annotation_id, entity.id, role).record
        return Outcome(mention, changes)

    def set_role(self, mention_id: str, role: str) -> Outcome[Mention]:
        if role not in MENTION_ROLES:
            raise ServiceError(f"role must be one of {', '.join(MENTION_ROLES)}, not {role!r}")
        mention = self._require(Mention, mention_id)
        for other in self.mentions_of(mention.annotation_id):
            same = other.entity_id == mention.entity_id and other.role == role
            if other.id != mention_id and same:
                raise ServiceError("this passage is already linked to that entity in that role")
        return self._edit(Mention, mention_id, role=role)

    def search_names(self, prefix: str = "", *, limit: int | None = 20) -> list[tuple[str, Entity]]:
        """(name or alias, entity) pairs whose name or alias starts with ``prefix``
        (case-insensitive, any script, invisible characters ignored), names before aliases,
        for completers. ``limit=None`` returns every pair."""
        wanted = _lookup_key(prefix)
        found: list[tuple[str, Entity]] = []
        for entity in self.list_entities():
            for label in (entity.name, *entity.aliases):
                if _lookup_key(label).startswith(wanted):
                    found.append((label, entity))
        found.sort(key=lambda pair: (pair[0] != pair[1].name, _lookup_key(pair[0])))
        return found if limit is None else found[:limit]

    def unlink(self, mention_id: str) -> Outcome[Mention]:
        return self._delete(Mention, mention_id)

    def mentions_of(self, annotation_id: str) -> list[Mention]:
        return list(self.ws.records.where(Mention, {"annotation_id": annotation_id}))

    def mentions_for_entity(self, entity_id: str) -> list[Mention]:
        return list(self.ws.records.where(Mention, {"entity_id": entity_id}))

    # -- rules ------------------------------------------------------------------------------

    def clean_fields(
        self, *, kind: str, name: str, aliases: list[str], wikidata_id: str | None
    ) -> EntityFields:
        """Kind, name, aliases and Wikidata id checked and normalised as the registry keeps
        them; raises ServiceError on what it cannot accept (imports use this too)."""
        return self._validated(kind=kind, name=name, aliases=aliases, wikidata_id=wikidata_id)

    def _validated(
        self, *, kind: str, name: str, aliases: list[str], wikidata_id: str | None
    ) -> EntityFields:
        if kind not in ENTITY_KINDS:
            raise ServiceError(f"kind must be one of {', '.join(ENTITY_KINDS)}, not {kind!r}")
        name = unicodedata.normalize("NFC", name).strip()
        if not name:
            raise ServiceError("an entity needs a name")
        seen = {_key(name)}
        clean: list[str] = []
        for alias in aliases:
            alias = unicodedata.normalize("NFC", str(alias)).strip()
            if alias and _key(alias) not in seen:
                seen.add(_key(alias))
                clean.append(alias)
        if wikidata_id is not None:
            wikidata_id = wikidata_id.strip().upper() or None
            if wikidata_id and not _WIKIDATA.match(wikidata_id):
                raise ServiceError(f"Wikidata id must look like Q12345, not {wikidata_id!r}")
        return {"kind": kind, "name": name, "aliases": clean, "wikidata_id": wikidata_id}
