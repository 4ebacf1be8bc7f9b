"""The entity registry: listing entities with their passage counts, the passages that
mention one, merging duplicates and splitting an alias out into an entity of its own.

Merge and split each run in one transaction and return one ChangeSet, so one undo step
reverses everything they did. They move links by updating ``entity_id``/``actor_id``/
``target_id`` in place rather than re-creating rows: a revert then puts back the very same
mention and event records, ids and all, which other workspaces merging ours can recognise.

Look-alike flags: a name or alias mixing scripts ("Sergеy" with a Cyrillic е) and entities
whose names look alike letter for letter (one UTS #39 skeleton) are listed for the officer,
who decides whether they are one entity, a disguise or a slip; nothing is merged for them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from workstation.domain.records import Entity, Event, Mention, Relation
from workstation.domain.spoofing import confusable, mixed_script, skeleton
from workstation.services.base import RecordService
from workstation.services.outcome import Outcome, ServiceError
from workstation.storage import entities as sql
from workstation.storage.entities import SORT_KEYS, EntityPassage, EntityRow, fold

__all__ = [
    "SORT_KEYS",
    "EntityPassage",
    "EntityRegistry",
    "EntityRow",
    "LookAlikeFlags",
    "LookAlikeTwin",
]

# Fields the kept entity inherits from the merged one when it has no value of its own.
_INHERITED = ("country", "wikidata_id", "description")


@dataclass(frozen=True)
class LookAlikeTwin:
    """Another live entity with a name or alias that looks like one of this entity's."""

    entity_id: str
    entity_name: str
    label: str  # the other entity's name or alias
    looks_like: str  # this entity's name or alias it cannot be told from


@dataclass(frozen=True)
class LookAlikeFlags:
    """What to flag on one entity: names mixing scripts, and its look-alike twins."""

    entity_id: str
    mixed_script: tuple[str, ...]  # its name and aliases with a word that mixes scripts
    twins: tuple[LookAlikeTwin, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.mixed_script or self.twins)


class EntityRegistry(RecordService):
    # -- reads ------------------------------------------------------------------------------

    def rows(
        self,
        text: str = "",
        *,
        sort: str = "name",
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[EntityRow]:
        """Live entities matching ``text`` (every word, in any field, ignoring case and
        accents), each with its passage count: ``limit`` of them from ``offset``."""
        return sql.entity_page(
            self.ws, text, sort=sort, descending=descending, offset=offset, limit=limit
        )

    def count(self, text: str = "") -> int:
        return sql.count_entities(self.ws, text)

    def position(
        self, entity_id: str, text: str = "", *, sort: str = "name", descending: bool = False
    ) -> int | None:
        """The row at which ``entity_id`` is listed under that filter and order, or None."""
        return sql.entity_position(self.ws, entity_id, text, sort=sort, descending=descending)

    def mention_counts(self, entity_ids: list[str] | None = None) -> dict[str, int]:
        """Entity id → how many live passages mention it (a passage linked in two roles
        counts once), for ``entity_ids`` or every entity; unmentioned ones are absent."""
        return sql.passage_counts(self.ws, entity_ids)

    def passages_mentioning(
        self, entity_id: str, *, context: int = 80, limit: int | None = None
    ) -> list[EntityPassage]:
        """Every live passage linked to the entity, across documents, with its document's
        title and up to ``context`` characters either side of the quote."""
        return sql.passages_mentioning(self.ws, entity_id, context=context, limit=limit)

    def mentions_naming_only(self, entity_id: str, alias: str) -> list[str]:
        """Ids of the entity's mentions whose passage names it by ``alias`` and by none of
        its other names: the links that should follow the alias when it is split out."""
        entity = self._require(Entity, entity_id)
        wanted = fold(alias).strip()
        names = _names_pattern([entity.name, *entity.aliases, alias])
        moving = []
        for mention_id, quote in sql.mention_quotes(self.ws, entity_id):
            named = {match.group(0) for match in names.finditer(fold(quote))}
            if named == {wanted}:
                moving.append(mention_id)
        return moving

    # -- look-alikes ------------------------------------------------------------------------

    def look_alikes(self, entity_id: str) -> LookAlikeFlags:
        """The entity's names and aliases that mix scripts, and the other live entities
        with a name or alias that looks like one of its own (same skeleton, other letters)."""
        entity = self._require(Entity, entity_id)
        return _flags(entity, _labels_by_skeleton(self.session.entities.list_entities()))

    def look_alike_flags(self) -> dict[str, LookAlikeFlags]:
        """Entity id → its flags, for every live entity that has any (one pass over the
        registry, for lists that mark flagged rows)."""
        entities = self.session.entities.list_entities()
        index = _labels_by_skeleton(entities)
        found = {entity.id: _flags(entity, index) for entity in entities}
        return {entity_id: flags for entity_id, flags in found.items() if flags.flagged}

    # -- merge ------------------------------------------------------------------------------

    def merge(self, keep_id: str, merge_id: str) -> Outcome[Entity]:
        """Fold ``merge_id`` into ``keep_id``: its mentions and the events it acts in or is
        targeted by move to the kept entity, its name and aliases become aliases, blank
        country/Wikidata id/description are filled from it, and it is tombstoned."""
        if keep_id == merge_id:
            raise ServiceError("an entity cannot be merged with itself")
        with self.ws.transaction() as changes:
            kept = self._require(Entity, keep_id)
            merged = self._require(Entity, merge_id)
            self._move_mentions(merge_id, keep_id)
            for column in ("actor_id", "target_id"):
                for event in list(self.ws.records.where(Event, {column: merge_id})):
                    self.ws.records.update(event, **{column: keep_id})
            for column in ("subject_id", "object_id"):  # imported relations (issue 17)
                for relation in list(self.ws.records.where(Relation, {column: merge_id})):
                    self.ws.records.update(relation, **{column: keep_id})
            fields: dict[str, object] = {"aliases": [*kept.aliases, merged.name, *merged.aliases]}
            for name in _INHERITED:
                if not getattr(kept, name) and getattr(merged, name):
                    fields[name] = getattr(merged, name)
            result = self.session.entities.edit(keep_id, **fields).record
            self.ws.records.tombstone(merged)
        return Outcome(result, changes)

    def _move_mentions(self, from_id: str, to_id: str) -> None:
        taken = {
            (m.annotation_id, m.role) for m in self.ws.records.where(Mention, {"entity_id": to_id})
        }
        for mention in list(self.ws.records.where(Mention, {"entity_id": from_id})):
            link = (mention.annotation_id, mention.role)
            if link in taken:  # the kept entity already has this very link: drop the copy
                self.ws.records.tombstone(mention)
            else:
                self.ws.records.update(mention, entity_id=to_id)
                taken.add(link)

    # -- split ------------------------------------------------------------------------------

    def split_alias(
        self,
        entity_id: str,
        alias: str,
        kind: str | None = None,
        *,
        move_mentions: bool = False,
    ) -> Outcome[Entity]:
        """Make ``alias`` an entity of its own (of ``kind``, by default the same kind and
        country as the old one) and take it off the old entity's aliases. With
        ``move_mentions``, the mentions whose passage names only that alias move to it."""
        with self.ws.transaction() as changes:
            source = self._require(Entity, entity_id)
            wanted = fold(alias).strip()
            match = next((a for a in source.aliases if fold(a).strip() == wanted), None)
            if match is None:
                raise ServiceError(f"{source.name} has no alias {alias!r}")
            moving = self.mentions_naming_only(entity_id, match) if move_mentions else []
            remaining = [a for a in source.aliases if a != match]
            self.session.entities.edit(entity_id, aliases=remaining)
            created = self.session.entities.create(
                kind or source.kind, match, country=source.country
            ).record
            for mention_id in moving:
                mention = self._require(Mention, mention_id)
                self.ws.records.update(mention, entity_id=created.id)
        return Outcome(created, changes)


_SkeletonIndex = dict[str, list[tuple[str, Entity]]]  # skeleton → (name or alias, entity)


def _labels_by_skeleton(entities: list[Entity]) -> _SkeletonIndex:
    index: _SkeletonIndex = defaultdict(list)
    for entity in entities:
        for label in (entity.name, *entity.aliases):
            index[skeleton(label)].append((label, entity))
    return index


def _flags(entity: Entity, index: _SkeletonIndex) -> LookAlikeFlags:
    labels = (entity.name, *entity.aliases)
    twins: dict[str, LookAlikeTwin] = {}  # one per other entity: its first look-alike name
    for own in labels:
        for label, other in index.get(skeleton(own), ()):
            if other.id != entity.id and other.id not in twins and confusable(own, label):
                twins[other.id] = LookAlikeTwin(other.id, other.name, label, own)
    mixed = tuple(label for label in labels if mixed_script(label))
    return LookAlikeFlags(entity.id, mixed, tuple(twins.values()))


def _names_pattern(names: list[str]) -> re.Pattern[str]:
    """Any of ``names`` (folded) as a whole word or phrase, the longest first, so that a
    name inside another ("Biden" in "Joseph R. Biden Jr.") is read as the longer one."""
    folded = sorted({fold(name).strip() for name in names} - {""}, key=len, reverse=True)
    choices = "|".join(re.escape(name) for name in folded)
    return re.compile(rf"(?<!\w)(?:{choices})(?!\w)")
