"""The workspace's records as plain dataclasses.

Every record carries a UUID ``id``, ISO 8601 UTC ``created_at``/``updated_at``, an ``author``
and, where merges must see deletions, a ``deleted_at`` tombstone. Field names are the column
names; storage maps them one to one.

A record that came from outside (an imported file; migration m009) also says who brought it
in and when (``imported_by``, ``imported_at``: facts of this workspace) and keeps in
``claimed`` what the source said of itself that was not taken as ours: its own id when that
was no UUID, the author and times it claimed. Records made here leave all three empty.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

# What an edit did: defined beside the records it describes, kept importable from here.
from workstation.domain.changes import Change as Change
from workstation.domain.changes import ChangeSet as ChangeSet

T = TypeVar("T")


def new_id() -> str:
    return str(uuid.uuid4())


# Where a record came from, beside its own stamps: never compared as content (two officers
# importing one file hold the same record, imported by each of them).
PROVENANCE_FIELDS = ("imported_by", "imported_at", "claimed")


def is_uuid(value: str | None) -> bool:
    """True for a UUID in the canonical form records use (lower case, hyphens)."""
    if not value or len(value) != 36:
        return False
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


@dataclass(kw_only=True)
class Record:
    id: str = field(default_factory=new_id)
    created_at: str = ""
    updated_at: str = ""
    author: str = ""
    deleted_at: str | None = None
    imported_by: str | None = None
    imported_at: str | None = None
    claimed: dict[str, Any] = field(default_factory=dict)

    # Record type name as stored (table name); set by each subclass.
    TABLE: ClassVar[str] = ""
    # Columns holding JSON (lists or dicts); every record's ``claimed`` is one.
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("claimed",)
    # Columns kept out of the change log (large and identified by a hash instead).
    UNLOGGED_FIELDS: ClassVar[tuple[str, ...]] = ()

    @property
    def live(self) -> bool:
        return self.deleted_at is None


def per_record_type(fn: Callable[[type[Record]], T]) -> Callable[[type[Record]], T]:
    """functools.cache for a function of a record class, in a form mypy accepts: it does
    not see a class whose instances are unhashable as Hashable (python/mypy#11470)."""
    memo: dict[type[Record], T] = {}

    @functools.wraps(fn)
    def cached(cls: type[Record]) -> T:
        try:
            return memo[cls]
        except KeyError:
            memo[cls] = value = fn(cls)
            return value

    return cached


@dataclass(kw_only=True)
class Document(Record):
    TABLE = "documents"
    UNLOGGED_FIELDS = ("body",)
    JSON_FIELDS = ("proposed", "claimed")

    title: str
    body: str
    sha256: str
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    origin_name: str | None = None
    reliability: str | None = None
    credibility: str | None = None
    # The earlier version of the same article this text replaces (re-import of a changed
    # version); both stay in the workspace, linked, so nothing anchored to the old is lost.
    supersedes: str | None = None
    # Where the article was filed from, as its dateline names it (migration m011).
    place: str | None = None
    # The details (title, published, place) read from the article's first lines at import
    # and not yet confirmed by an officer: shown as proposals until the details are saved.
    proposed: list[str] = field(default_factory=list)
    # A note on the whole document (migration m015); other tools' page notes are appended.
    note: str = ""


@dataclass(kw_only=True)
class Category(Record):
    TABLE = "categories"

    name: str
    colour: str = "#7f7f7f"
    parent_id: str | None = None
    shortcut: str | None = None
    description: str = ""
    position: int = 0


@dataclass(kw_only=True)
class Annotation(Record):
    TABLE = "annotations"
    JSON_FIELDS = ("tags", "claimed")

    document_id: str
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    category_id: str | None = None
    note: str = ""
    releasable: bool = True
    # Set when a newer version of the document appeared and this passage could not be placed
    # in it: the passage stays on the old version, in the officer's review queue.
    orphan: bool = False
    # A span that only carries a link to an entity (an accepted suggestion outside any
    # passage), not a passage the officer marked: left out of passage counts (m012).
    mention_only: bool = False
    # Tags beyond the category (another tool's tags that match no category; m014).
    tags: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Entity(Record):
    TABLE = "entities"
    JSON_FIELDS = ("aliases", "properties", "claimed")

    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    country: str | None = None
    wikidata_id: str | None = None
    # Further facts kept from an import, by FollowTheMoney property name ("weakAlias",
    # "previousName", "nationality", "birthDate", "idNumber", "topics", "address"…), each
    # a list of values as the source gave them (m015).
    properties: dict[str, list[str]] = field(default_factory=dict)


@dataclass(kw_only=True)
class Mention(Record):
    TABLE = "mentions"

    annotation_id: str
    entity_id: str
    role: str = "mentioned"


@dataclass(kw_only=True)
class Episode(Record):
    TABLE = "episodes"
    JSON_FIELDS = ("watch", "claimed")

    title: str
    bottom_line: str = ""
    outlook: str = ""
    marking: str = "TLP:AMBER"
    watch: list[str] = field(default_factory=list)  # indicators, next decision points (m010)


@dataclass(kw_only=True)
class Event(Record):
    TABLE = "events"

    episode_id: str
    date: str
    precision: str = "day"
    kind: str = "other"
    title: str
    summary: str = ""
    actor_id: str | None = None
    target_id: str | None = None
    responds_to: str | None = None
    legal_basis: str = ""


@dataclass(kw_only=True)
class Evidence(Record):
    TABLE = "evidence"

    event_id: str
    annotation_id: str


@dataclass(kw_only=True)
class Judgment(Record):
    TABLE = "judgments"
    JSON_FIELDS = ("cited", "claimed")

    episode_id: str
    position: int = 0
    text: str
    likelihood: str
    confidence: str
    cited: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Brief(Record):
    TABLE = "briefs"
    JSON_FIELDS = ("options", "manifest", "claimed")

    episode_id: str
    built_at: str
    options: dict[str, Any] = field(default_factory=dict)
    content_hash: str
    pdf_hash: str
    # What each event, judgment and source looked like, so the next brief lists changes.
    manifest: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class Rejection(Record):
    """A mention suggestion the officer turned down: never offered again for that span."""

    TABLE = "suggestion_rejections"

    entity_id: str
    document_id: str
    start: int
    end: int
    exact: str


@dataclass(kw_only=True)
class ForeignId(Record):
    """Another tool's id for one of our records (a W3C annotation's IRI, a brat T-number
    with its file, a REFI-QDA GUID), so a re-import recognises what it brought before
    (m014)."""

    TABLE = "foreign_ids"

    scheme: str  # "w3c", "brat", "refi-qda", "ftm"
    foreign_id: str
    record_table: str  # the table of the record it names ("annotations", "entities"…)
    record_id: str


@dataclass(kw_only=True)
class Relation(Record):
    """A standing relation between two entities, as FollowTheMoney's Ownership, Directorship,
    Membership or Family lines give it (m015): shown on both entities."""

    TABLE = "relations"

    kind: str  # "ownership", "directorship", "membership", "family", "associate", …
    subject_id: str  # the owner, director, member
    object_id: str  # the asset, organisation
    role: str = ""  # as the source words it ("shareholder", "Chairman")
    share: str = ""  # ownership percentage as given
    start_date: str = ""
    end_date: str = ""
    source: str = ""  # file and line it came from


@dataclass(kw_only=True)
class AssistantDecision(Record):
    """The officer's answer to an assistant proposal (issue 16): a new name, a passage to mark
    or an event to draft, accepted or rejected. Decisions are what the assistant learns from
    and are records like any other: undone with the edit they came with, carried by backups
    and merges (a colleague's decisions count after a merge). The fitted models are never
    stored: they are rebuilt from these and the workspace's passages, which a file from
    outside cannot turn into code (a pickled model could)."""

    TABLE = "assistant_decisions"

    kind: str  # "name" | "passage" | "event"
    verdict: str  # "accepted" | "rejected"
    document_id: str
    start: int
    end: int
    exact: str
    # name: the entity kind; passage: the category name; event: the event kind.
    label: str = ""
    score: float = 0.0  # what the assistant said, for measuring it on held-out decisions
    entity_id: str | None = None  # name accepted: the entity made or merged into
    annotation_id: str | None = None  # passage accepted: the passage made
    category_id: str | None = None  # passage: the category proposed
    event_id: str | None = None  # event accepted: the event made


@dataclass(kw_only=True)
class Orphan(Record):
    """An imported annotation that could not be placed in any document here; kept for review.

    ``payload`` is the annotation as it came (e.g. W3C JSON), so nothing of it is lost;
    ``resolved_at`` is set once the officer placed it or decided to leave it.
    """

    TABLE = "orphans"
    JSON_FIELDS = ("payload", "claimed")

    source: str  # where it came from: file name and line
    document_id: str | None = None  # the document it was meant for, when that is known
    exact: str
    prefix: str = ""
    suffix: str = ""
    reason: str
    payload: dict[str, Any] = field(default_factory=dict)
    resolved_at: str | None = None


RECORD_TYPES: tuple[type[Record], ...] = (
    Document,
    Category,
    Annotation,
    Entity,
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
