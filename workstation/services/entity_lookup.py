"""The registry as the link field searches it: ``domain.name_lookup`` over the live entities.

Built once (``EntityService.lookup()``) and asked per keystroke; a caller rebuilds it when
entities change (the inspector does on every ChangeSet that touches an Entity).
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.domain.name_lookup import Candidate, NameLookup
from workstation.domain.records import Entity


@dataclass(frozen=True)
class EntityMatch:
    """An entity a typed name may mean, and why."""

    entity: Entity
    label: str  # the name or alias that matched
    how: str  # "exact" | "prefix" | "words" | "transliteration" | "similar"
    score: float

    @property
    def exact(self) -> bool:
        return self.how == "exact"


class EntityLookup:
    def __init__(self, entities: list[Entity]):
        self._entities = {entity.id: entity for entity in entities}
        self._lookup = NameLookup(
            Candidate(entity.id, entity.name, tuple(entity.aliases)) for entity in entities
        )

    def find(self, text: str, limit: int | None = 12) -> list[EntityMatch]:
        """Entities ``text`` may mean, best first (see ``domain.name_lookup``)."""
        return [
            EntityMatch(self._entities[m.entity_id], m.label, m.how, m.score)
            for m in self._lookup.find(text, limit)
        ]
