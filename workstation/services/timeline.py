"""An episode's events as a timeline: in date order, each answer placed under the event it
answers (``responds_to``), with the names of its actor and target and its evidence.

The CLI prints these rows, the GUI's timeline dock shows them as a tree, and both filter
them the same way (by actor and by kind). The event form's helpers live here too: what a new
event starts from, the date its passages propose, and saving an edit in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workstation.domain.date_proposal import DateProposal, propose_date, reference_date
from workstation.domain.dates import format_event_date
from workstation.domain.records import Document, Event, Evidence
from workstation.domain.vocab import EVENT_KINDS
from workstation.services.outcome import NotFound, Outcome, ServiceError

if TYPE_CHECKING:
    from workstation.services.session import Session

DELETED_ENTITY = "(deleted entity)"


@dataclass(frozen=True)
class TimelineRow:
    event_id: str
    date: str  # ISO date as stored (a month or year starts on its 1st)
    precision: str  # "day" | "month" | "year"
    date_label: str  # "15 APR 2021", "DEC 2020", "2021"
    kind: str
    title: str
    summary: str
    legal_basis: str
    actor_id: str | None
    actor: str | None
    target_id: str | None
    target: str | None
    responds_to: str | None  # the event this one answers, shown here or not
    evidence: tuple[str, ...]  # passage (annotation) ids
    # The nearest event this one answers, directly or through others, that is shown in the
    # same timeline (filters hide some), and how many answers deep this row sits below it.
    parent_id: str | None
    depth: int
    created_at: str = ""

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (self.date, self.created_at, self.event_id)


def timeline(
    session: Session,
    episode_ref: str | None = None,
    *,
    actor_id: str | None = None,
    kind: str | None = None,
) -> list[TimelineRow]:
    """The episode's events (by title or id; may be left out when there is one episode),
    threaded: events that answer none in date order, each followed by its answers (in date
    order, recursively). ``actor_id`` and ``kind`` keep only the events that match."""
    episode = session.episodes.resolve(episode_ref)
    if kind is not None and kind not in EVENT_KINDS:
        raise ServiceError(f"kind must be one of {', '.join(EVENT_KINDS)}, not {kind!r}")
    if actor_id is not None and session.entities.find(actor_id) is None:
        raise NotFound(f"no entity with id {actor_id}")
    events = session.episodes.events(episode.id)
    shown = [
        e
        for e in events
        if (actor_id is None or e.actor_id == actor_id) and (kind is None or e.kind == kind)
    ]
    return _threaded(session, events, shown)


def in_date_order(rows: Iterable[TimelineRow]) -> list[TimelineRow]:
    """The same rows strictly by date (then by when they were recorded)."""
    return sorted(rows, key=lambda row: row.sort_key)


def actors(session: Session, episode_ref: str | None = None) -> list[tuple[str, str]]:
    """(entity id, name) of everyone who acts in the episode's events, by name: what an
    actor filter offers."""
    episode = session.episodes.resolve(episode_ref)
    names = _entity_names(session)
    ids = {e.actor_id for e in session.episodes.events(episode.id) if e.actor_id}
    return sorted(((i, names.get(i, DELETED_ENTITY)) for i in ids), key=lambda p: p[1].casefold())


def _entity_names(session: Session) -> dict[str, str]:
    return {entity.id: entity.name for entity in session.entities.list_entities()}


def _threaded(session: Session, events: list[Event], shown: list[Event]) -> list[TimelineRow]:
    by_id = {e.id: e for e in events}
    shown_ids = {e.id for e in shown}

    def shown_ancestor(event: Event) -> str | None:
        seen = {event.id}
        cursor = event.responds_to
        while cursor is not None and cursor in by_id and cursor not in seen:
            if cursor in shown_ids:
                return cursor
            seen.add(cursor)
            cursor = by_id[cursor].responds_to
        return None  # answers nothing shown (or a chain the rules would refuse: a cycle)

    parent_of = {e.id: shown_ancestor(e) for e in shown}
    children: dict[str | None, list[Event]] = {}
    for event in shown:  # ``events`` come in date order, so each list is in date order
        children.setdefault(parent_of[event.id], []).append(event)

    names = _entity_names(session)
    # One read for all evidence links rather than one per event (same order as evidence_of).
    evidence: dict[str, list[str]] = {}
    for link in session.workspace.records.where(Evidence):
        evidence.setdefault(link.event_id, []).append(link.annotation_id)
    rows: list[TimelineRow] = []
    stack = [(event, 0) for event in reversed(children.get(None, []))]
    placed: set[str] = set()
    while stack:
        event, depth = stack.pop()
        if event.id in placed:
            continue
        placed.add(event.id)
        passages = tuple(evidence.get(event.id, ()))
        rows.append(_row(event, names, passages, parent_of[event.id], depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(event.id, [])))
    return rows


def _row(
    event: Event,
    names: dict[str, str],
    evidence: tuple[str, ...],
    parent_id: str | None,
    depth: int,
) -> TimelineRow:
    def name(entity_id: str | None) -> str | None:
        return None if entity_id is None else names.get(entity_id, DELETED_ENTITY)

    return TimelineRow(
        event_id=event.id,
        date=event.date,
        precision=event.precision,
        date_label=format_event_date(event.date, event.precision),
        kind=event.kind,
        title=event.title,
        summary=event.summary,
        legal_basis=event.legal_basis,
        actor_id=event.actor_id,
        actor=name(event.actor_id),
        target_id=event.target_id,
        target=name(event.target_id),
        responds_to=event.responds_to,
        evidence=evidence,
        parent_id=parent_id,
        depth=depth,
        created_at=event.created_at,
    )


# -- what the event form needs --------------------------------------------------------------


@dataclass(frozen=True)
class EventDraft:
    """What a new event made from passages starts with; the officer changes what is wrong."""

    date: str | None  # the first passage's article date (ISO), if it has one
    kind: str | None  # the first passage's category, when it names an event kind
    actor_id: str | None  # linked to a passage as its actor
    target_id: str | None


def draft_from_passages(session: Session, passage_ids: list[str]) -> EventDraft:
    passages = [p for p in map(session.annotations.find, passage_ids) if p is not None]
    if not passages:
        return EventDraft(None, None, None, None)
    first = passages[0]
    published = reference_date(session.documents.get(first.document_id).published)
    categories = {c.id: c.name.casefold() for c in session.codebook.list_categories()}
    kind = categories.get(first.category_id or "")
    roles: dict[str, str] = {}
    for passage in passages:
        for mention in session.entities.mentions_of(passage.id):
            roles.setdefault(mention.role, mention.entity_id)
    return EventDraft(
        date=published.isoformat() if published else None,
        kind=kind if kind in EVENT_KINDS else None,
        actor_id=roles.get("actor"),
        target_id=roles.get("target"),
    )


def propose_event_date(
    session: Session, passage_ids: list[str]
) -> tuple[DateProposal, Document] | None:
    """The date the passages' words name (the first passage that names one), read relative
    to its article's published date, and that article."""
    for passage in filter(None, map(session.annotations.find, passage_ids)):
        document = session.documents.get(passage.document_id)
        languages = [document.language] if document.language else None
        found = propose_date(passage.exact, document.published, languages=languages)
        if found is not None:
            return found, document
    return None


def answerable_events(session: Session, episode_id: str, event_id: str | None) -> list[Event]:
    """Events of the episode that ``event_id`` may answer: not itself, nor anything that
    answers it directly or through others (that would be a loop)."""
    events = session.episodes.events(episode_id)
    excluded = {event_id} if event_id else set()
    while more := {e.id for e in events if e.responds_to in excluded} - excluded:
        excluded |= more
    return [e for e in events if e.id not in excluded]


def save_event(
    session: Session, event_id: str, *, evidence: list[str], **fields: object
) -> Outcome[Event]:
    """Change the fields that differ and make ``evidence`` exactly the event's passages, in
    one transaction: all of it or nothing, one undo step."""
    episodes = session.episodes
    current = session.workspace.records.get(Event, event_id)
    if current is None:
        raise NotFound(f"no event with id {event_id}")
    # Unknown names count as changes, so edit_event refuses them rather than they vanish.
    changed = {
        k: v for k, v in fields.items() if not hasattr(current, k) or getattr(current, k) != v
    }
    with session.workspace.transaction() as changes:
        if changed:
            current = episodes.edit_event(event_id, **changed).record
        stored = episodes.evidence_of(event_id)
        for link in stored:
            if link.annotation_id not in evidence:
                episodes.remove_evidence(link.id)
        had = {link.annotation_id for link in stored}
        for passage_id in dict.fromkeys(evidence):
            if passage_id not in had:
                episodes.add_evidence(event_id, passage_id)
    return Outcome(current, changes)
