"""The pure rules of a workspace merge: which record of theirs is which of ours, how their
references translate to our ids, what counts as the same content, and who changed what.

No I/O here: ``services.merge`` reads both workspaces, asks these functions, and writes.

Identity. Records are the same when they share an id. Where two officers made the same
thing independently, with different ids, some records are also recognised by content: a
document by the sha256 of its text, a category by its name, an episode by its title, a
passage by its document, offsets and category, a link by what it links. A live record of
theirs is only ever recognised as a live one of ours (their live work is never hidden
under our deletion); a deleted one of theirs is recognised as any of ours, so its
references land somewhere, but its deletion is not carried across: records with separate
histories do not delete each other.

Decision. Where the two versions differ, the change logs say who changed it: if ours is a
version in their history, only they moved on (take theirs); if theirs is one in ours, only
we did (keep ours); otherwise both did, the later ``updated_at`` wins and it is a conflict.

A claimed time in the future never wins. Their history and their ``updated_at`` are claims
(anyone can write both into a file): a version of theirs stamped later than now (beyond
``FUTURE_SLACK``, for clocks that differ a little) keeps ours, whatever their history says,
and is listed as a conflict for review with the reason ``future timestamp``.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from workstation.domain.claims import FUTURE_SLACK
from workstation.domain.dates import as_utc_iso
from workstation.domain.records import (
    PROVENANCE_FIELDS,
    Annotation,
    AssistantDecision,
    Brief,
    Category,
    Document,
    Entity,
    Episode,
    Event,
    Evidence,
    ForeignId,
    Judgment,
    Mention,
    Orphan,
    Record,
    Rejection,
    Relation,
    per_record_type,
)
from workstation.domain.spoofing import skeleton
from workstation.domain.text_display import fold_ignorables

# Referenced tables before the tables referring to them.
MERGE_ORDER: tuple[type[Record], ...] = (
    Category,
    Document,
    Entity,
    Annotation,
    Mention,
    Episode,
    Event,
    Evidence,
    Judgment,
    Brief,
    Rejection,
    Orphan,
    AssistantDecision,
    ForeignId,
    Relation,
)
BY_TABLE: dict[str, type[Record]] = {cls.TABLE: cls for cls in MERGE_ORDER}

# field → the table whose ids it holds, per table.
REFERENCES: dict[str, dict[str, str]] = {
    "documents": {"supersedes": "documents"},
    "categories": {"parent_id": "categories"},
    "annotations": {"document_id": "documents", "category_id": "categories"},
    "mentions": {"annotation_id": "annotations", "entity_id": "entities"},
    "events": {
        "episode_id": "episodes",
        "actor_id": "entities",
        "target_id": "entities",
        "responds_to": "events",
    },
    "evidence": {"event_id": "events", "annotation_id": "annotations"},
    "judgments": {"episode_id": "episodes", "cited": "annotations"},
    "briefs": {"episode_id": "episodes"},
    "suggestion_rejections": {"entity_id": "entities", "document_id": "documents"},
    "orphans": {"document_id": "documents"},
    "assistant_decisions": {
        "document_id": "documents",
        "entity_id": "entities",
        "annotation_id": "annotations",
        "category_id": "categories",
        "event_id": "events",
    },
    "relations": {"subject_id": "entities", "object_id": "entities"},
}
_LIST_REFERENCES = {("judgments", "cited")}
# A brief's manifest is keyed by the ids of the events and sources it showed.
_MANIFEST_KEYS = {"event": "events", "source": "documents"}

# What a thing is called in messages, per table.
NOUNS = {
    "categories": "category",
    "documents": "document",
    "entities": "entity",
    "annotations": "passage",
    "mentions": "link",
    "episodes": "episode",
    "events": "event",
    "evidence": "evidence link",
    "judgments": "judgment",
    "briefs": "brief",
    "suggestion_rejections": "rejected suggestion",
    "orphans": "unplaced passage",
    "assistant_decisions": "assistant decision",
    "foreign_ids": "foreign id",
    "relations": "relation",
}

IdMaps = dict[str, dict[str, str]]  # table → {their id: our id}, only where they differ
# Stamps and provenance: facts about a version, never compared as its content.
_STAMPS = ("id", "created_at", "updated_at", "author", "deleted_at", *PROVENANCE_FIELDS)
FUTURE_TIMESTAMP = "future timestamp"  # why a conflict was raised (Conflict.reason)


def _name_key(name: str) -> str:
    """Case-insensitive, whitespace-collapsed form of a name ("Sergei  LAVROV"), invisible
    characters left out ("Nav<ZWSP>alny" is Navalny)."""
    return " ".join(fold_ignorables(unicodedata.normalize("NFC", name)).casefold().split())


# How a record is recognised when ids differ; tables absent match by id only.
CONTENT_KEYS: dict[str, Callable[[Any], Hashable]] = {
    "documents": lambda r: r.sha256,
    "categories": lambda r: _name_key(r.name),
    "episodes": lambda r: r.title,
    "annotations": lambda r: (r.document_id, r.start, r.end, r.category_id),
    "mentions": lambda r: (r.annotation_id, r.entity_id, r.role),
    "evidence": lambda r: (r.event_id, r.annotation_id),
    "suggestion_rejections": lambda r: (r.entity_id, r.document_id, r.start, r.end),
    # Two officers answering the same proposal the same way made one decision.
    "assistant_decisions": lambda r: (r.kind, r.document_id, r.start, r.end, r.label, r.verdict),
    "foreign_ids": lambda r: (r.scheme, r.foreign_id),
    "relations": lambda r: (r.kind, r.subject_id, r.object_id, r.role),
}


# -- references -----------------------------------------------------------------------------


def remapped_fields(table: str, values: Mapping[str, Any], maps: IdMaps) -> dict[str, Any]:
    """The reference fields of ``values`` (a record's fields or a logged snapshot) that
    differ once their ids are translated to ours; fields absent from ``values`` are skipped."""
    changed: dict[str, Any] = {}
    for name, target in REFERENCES.get(table, {}).items():
        if name not in values:
            continue
        value, ids = values[name], maps.get(target)
        if not ids or value is None:
            continue
        if (table, name) in _LIST_REFERENCES:
            new = [ids.get(item, item) for item in value]
        else:
            new = ids.get(value, value)
        if new != value:
            changed[name] = new
    if table == "briefs" and isinstance(values.get("manifest"), dict):
        manifest = _remapped_manifest(values["manifest"], maps)
        if manifest != values["manifest"]:
            changed["manifest"] = manifest
    return changed


def _remapped_manifest(manifest: dict[str, Any], maps: IdMaps) -> dict[str, Any]:
    result = dict(manifest)
    for section, target in _MANIFEST_KEYS.items():
        ids = maps.get(target)
        if ids and isinstance(manifest.get(section), dict):
            result[section] = {ids.get(k, k): v for k, v in manifest[section].items()}
    return result


def remap(record: Record, maps: IdMaps) -> Record:
    """``record`` with its references translated to our ids."""
    table = record.TABLE
    if not any(maps.get(target) for target in _targets(table)):
        return record  # nothing of what it refers to has another id here (the usual case)
    names = [*REFERENCES.get(table, {}), *(["manifest"] if table == "briefs" else [])]
    changed = remapped_fields(table, {n: getattr(record, n) for n in names}, maps)
    return dataclasses.replace(record, **changed) if changed else record


@cache
def _targets(table: str) -> frozenset[str]:
    """The tables whose ids records of ``table`` hold."""
    found = set(REFERENCES.get(table, {}).values())
    if table == "briefs":
        found |= set(_MANIFEST_KEYS.values())
    return frozenset(found)


def refers_to_own_table(table: str) -> bool:
    return table in REFERENCES.get(table, {}).values()


# -- content --------------------------------------------------------------------------------


@per_record_type
def content_fields(cls: type[Record]) -> tuple[str, ...]:
    """The fields compared in a merge: all but id, stamps, tombstone and unlogged bodies."""
    skipped = {*_STAMPS, *cls.UNLOGGED_FIELDS}
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in skipped)


@per_record_type
def _defaults(cls: type[Record]) -> dict[str, Any]:
    """Field defaults, standing in for fields a snapshot logged before they existed."""
    found: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            found[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            found[f.name] = f.default_factory()
    return found


def content(record: Record) -> tuple[object, ...]:
    """What a merge compares: the content fields and whether the record is deleted (when
    it was deleted does not matter)."""
    values = tuple(getattr(record, name) for name in content_fields(type(record)))
    return (*values, record.deleted_at is not None)


def snapshot_content(
    cls: type[Record], snapshot: Mapping[str, Any], maps: IdMaps
) -> tuple[object, ...]:
    """The content of a change-log snapshot, its references translated by ``maps``."""
    values = {**snapshot, **remapped_fields(cls.TABLE, snapshot, maps)}
    defaults = _defaults(cls)
    fields = tuple(values.get(name, defaults.get(name)) for name in content_fields(cls))
    return (*fields, values.get("deleted_at") is not None)


def differing_fields(ours: Record, theirs: Record) -> tuple[str, ...]:
    names = [n for n in content_fields(type(ours)) if getattr(ours, n) != getattr(theirs, n)]
    if ours.live != theirs.live:
        names.append("deleted_at")
    return tuple(names)


def field_values(record: Record, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


def label(record: Record, limit: int = 60) -> str:
    """A short human name for a record: its quote, name, title or text."""
    for name in ("exact", "name", "title", "text", "role"):
        value = getattr(record, name, None)
        if isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            return text if len(text) <= limit else text[: limit - 1] + "…"
    return record.id[:8]


# -- identity -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    theirs: Record
    ours: Record
    by_id: bool


@dataclass
class TableMatch:
    pairs: list[Pair] = field(default_factory=list)  # compared, and merged where they differ
    recognised: list[Pair] = field(default_factory=list)  # deleted there: references only
    new: list[Record] = field(default_factory=list)  # not here: to insert
    ids: dict[str, str] = field(default_factory=dict)  # their id → our id where they differ


def match_records(theirs: list[Record], ours: list[Record], table: str) -> TableMatch:
    """Pair each record of theirs (references already translated) with one of ours: by id,
    else by content key (each of ours claimed once; live ones of theirs first, so they
    find the live ones of ours); the rest are new."""
    ours_by_id = {record.id: record for record in ours}
    found = TableMatch()
    claimed: set[str] = set()
    unmatched: list[Record] = []
    for record in theirs:
        mine = ours_by_id.get(record.id)
        if mine is None:
            unmatched.append(record)
        else:
            found.pairs.append(Pair(record, mine, by_id=True))
            claimed.add(mine.id)
    key = CONTENT_KEYS.get(table)
    if key is None or not unmatched:
        found.new = unmatched
        return found
    index: dict[Hashable, list[Record]] = {}
    for mine in sorted(ours, key=lambda r: not r.live):
        if mine.id not in claimed:
            index.setdefault(key(mine), []).append(mine)
    matched: set[str] = set()
    for record in sorted(unmatched, key=lambda r: not r.live):
        candidates = index.get(key(record), ())
        mine = next(
            (m for m in candidates if m.id not in claimed and (m.live or not record.live)), None
        )
        if mine is None:
            continue
        claimed.add(mine.id)
        matched.add(record.id)
        found.ids[record.id] = mine.id
        (found.pairs if record.live else found.recognised).append(Pair(record, mine, False))
    found.new = [record for record in unmatched if record.id not in matched]
    return found


# -- decisions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    winner: str  # "ours" | "theirs"
    conflict: bool
    reason: str = ""  # why it is a conflict when not "both changed it" (FUTURE_TIMESTAMP)


def future_cutoff(now: datetime | None = None) -> str:
    """Claimed times after this (ISO, the workspace's form) are in the future."""
    moment = (now or datetime.now(UTC)) + FUTURE_SLACK
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def in_future(stamp: str | None, cutoff: str) -> bool:
    """``stamp`` (a claimed ISO time) is later than ``cutoff``. A stamp that is no date-time
    but sorts after every real one (``"zzz"``) counts as future too: it would win any
    comparison."""
    if not stamp:
        return False
    normal = as_utc_iso(stamp)
    return (normal or stamp) > cutoff


def decide(
    ours: Record,
    theirs: Record,
    our_history: list[tuple[object, ...]],
    their_history: list[tuple[object, ...]],
    *,
    cutoff: str | None = None,
) -> Decision:
    """Who keeps a record both sides hold in different versions (histories as content).
    ``cutoff``: claimed times after it are in the future (``future_cutoff``)."""
    if cutoff is not None and in_future(theirs.updated_at, cutoff):
        if content(theirs) in our_history:
            return Decision("ours", conflict=False)  # a version we had: nothing to review
        return Decision("ours", conflict=True, reason=FUTURE_TIMESTAMP)
    if content(ours) in their_history:
        return Decision("theirs", conflict=False)
    if content(theirs) in our_history:
        return Decision("ours", conflict=False)
    # Ties keep ours: nothing is overwritten on a coin toss.
    newer = "theirs" if theirs.updated_at > ours.updated_at else "ours"
    return Decision(newer, conflict=True)


@dataclass(frozen=True)
class Conflict:
    """A record both officers changed: the newer version won; the other can be taken."""

    table: str
    record_id: str
    label: str
    fields: tuple[str, ...]
    ours: dict[str, Any]  # values of ``fields`` in our version
    theirs: dict[str, Any]
    our_updated_at: str
    our_author: str  # who made that version (the latest change's author)
    their_updated_at: str
    their_author: str
    winner: str  # "ours" | "theirs"
    reason: str = ""  # "" when both changed it; FUTURE_TIMESTAMP when theirs claims one

    @property
    def noun(self) -> str:
        return NOUNS.get(self.table, self.table)

    @property
    def deletion(self) -> bool:
        """Deleted on one side, changed on the other."""
        return "deleted_at" in self.fields


def make_conflict(
    pair: Pair,
    fields: tuple[str, ...],
    winner: str,
    editors: tuple[str, str],
    reason: str = "",
) -> Conflict:
    """``editors``: who made our version and theirs."""
    ours, theirs = pair.ours, pair.theirs
    return Conflict(
        table=ours.TABLE,
        record_id=ours.id,
        label=label(ours if ours.live or not theirs.live else theirs),
        fields=fields,
        ours=field_values(ours, fields),
        theirs=field_values(theirs, fields),
        our_updated_at=ours.updated_at,
        our_author=editors[0],
        their_updated_at=theirs.updated_at,
        their_author=editors[1],
        winner=winner,
        reason=reason,
    )


# -- entities that look alike ----------------------------------------------------------------


@dataclass(frozen=True)
class MergeProposal:
    """Two entities that may be one: proposed to the officer, never merged silently."""

    ours_id: str
    theirs_id: str
    ours_name: str
    theirs_name: str
    reason: str


def look_alikes(added: Iterable[Entity], ours: Iterable[Entity]) -> list[MergeProposal]:
    """Each live entity of theirs new here whose name or an alias is a name or alias of a
    different live entity of ours (ignoring case, spacing and invisible characters), or
    looks like one letter for letter: the same UTS #39 skeleton, as "Sergеy Lavrov" with a
    Cyrillic е has with Sergey Lavrov (look-alike twins, a disguise or a keyboard slip)."""
    index: dict[str, list[Entity]] = {}
    by_skeleton: dict[str, list[tuple[str, Entity]]] = {}
    for mine in ours:
        if mine.live:
            for name in {_name_key(n) for n in (mine.name, *mine.aliases)}:
                index.setdefault(name, []).append(mine)
            for label in (mine.name, *mine.aliases):
                by_skeleton.setdefault(skeleton(label), []).append((label, mine))
    proposals: list[MergeProposal] = []
    seen: set[tuple[str, str]] = set()

    def propose(mine: Entity, entity: Entity, reason: str) -> None:
        if mine.id != entity.id and (mine.id, entity.id) not in seen:
            seen.add((mine.id, entity.id))
            proposals.append(MergeProposal(mine.id, entity.id, mine.name, entity.name, reason))

    for entity in added:
        if not entity.live:
            continue
        names = (entity.name, *entity.aliases)
        for name in names:
            for mine in index.get(_name_key(name), ()):
                propose(mine, entity, f"both «{name}»")
        for name in names:  # after the plain matches, which say more
            for label, mine in by_skeleton.get(skeleton(name), ()):
                if _name_key(label) != _name_key(name):
                    propose(mine, entity, f"look-alike letters: «{label}» and «{name}»")
    return proposals
