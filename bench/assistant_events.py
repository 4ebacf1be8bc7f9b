"""Event drafts of the offline assistant (issue 16) against the labelled events, for
``bench.assistant_quality``: each test article's labelled passages are marked (so drafts
exist), each labelled event's draft is compared field by field with the label, and the
labelled events are then created so a later article's events can answer them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bench.assistant_quality import World, create_event, fold

if TYPE_CHECKING:
    from bench.assistant_data import LabelledArticle

EVENT_FIELDS = (
    "drafted",
    "kind",
    "actor",
    "target",
    "date",
    "precision",
    "answer_top1",
    "answer_top3",
)


def measure_events(
    world: World, articles: Sequence[LabelledArticle] | None = None
) -> dict[str, Any]:
    """Mark the test articles' labelled passages, compare each labelled event's draft with the
    label, then create the labelled events (so later articles can answer them).
    ``articles``: those measured, in order (the test articles 04–08 by default)."""
    session = world.session
    categories = {c.name: c.id for c in session.codebook.list_categories()}
    right, asked = Counter[str](), Counter[str]()
    details: list[Any] = []
    for article in world.tests if articles is None else articles:
        doc_id = world.doc_ids[article.id]
        marked = {(a.start, a.end) for a in session.annotations.for_document(doc_id)}
        with session.workspace.transaction():
            for label in article.passages:
                if (label.start, label.end) not in marked:
                    session.annotations.create(
                        doc_id, label.start, label.end, category_id=categories[label.category]
                    )
        proposals = session.assistant.propose([doc_id], ["event"])
        by_span = {(p.start, p.end): p for p in proposals}
        names = {e.id: e for e in session.entities.list_entities()}
        for event in article.events:
            proposal = by_span.pop((event.evidence.start, event.evidence.end), None)
            draft = proposal.draft if proposal is not None else None
            asked["drafted"] += 1
            right["drafted"] += draft is not None
            checks = {"kind": draft is not None and draft.kind == event.kind}
            for role, party, got in (
                ("actor", event.actor, draft.actor_id if draft else None),
                ("target", event.target, draft.target_id if draft else None),
            ):
                checks[role] = draft is not None and _same_party(world, names, party, got)
                if party is not None and world.entity_for(party) is not None:
                    asked[f"{role}_known"] += 1
                    right[f"{role}_known"] += checks[role]
            start = _start_of(event.date)
            checks["date"] = draft is not None and draft.date == start
            checks["precision"] = draft is not None and draft.precision == event.precision
            answered = world.events.get(event.responds_to or "")
            answers = [a.event_id for a in draft.answers] if draft else []
            if event.responds_to is None:
                asked["no_answer_expected"] += 1
                right["no_answer_expected"] += not answers
            elif answered is None:
                asked["answer_unavailable"] += 1
            else:
                checks["answer_top1"] = answers[:1] == [answered]
                checks["answer_top3"] = answered in answers[:3]
            for key, ok in checks.items():
                asked[key] += 1
                right[key] += ok
            details.append(
                (
                    article.id,
                    event.key,
                    {k: v for k, v in checks.items() if not v},
                    _describe(draft, names, world),
                )
            )
            create_event(world, article, event, proposal)
        for proposal in by_span.values():  # drafts on passages no event was labelled on
            asked["drafts_unlabelled"] += 1
            session.assistant.reject_proposal(proposal)
    fields = {
        key: {
            "right": right[key],
            "of": asked[key],
            "accuracy": right[key] / asked[key] if asked[key] else 0.0,
        }
        for key in (*EVENT_FIELDS, "actor_known", "target_known", "no_answer_expected")
    }
    return {
        "fields": fields,
        "answer_unavailable": asked["answer_unavailable"],
        "drafts_unlabelled": asked["drafts_unlabelled"],
        "details": details,
    }


def _same_party(world: World, names: dict[str, Any], party: str | None, got: str | None) -> bool:
    if party is None or got is None:
        return party is None and got is None
    entity = names.get(got)
    if entity is None:
        return False
    wanted = {fold(party)}
    if party in world.sample_entities:
        wanted.add(fold(names[world.sample_entities[party]].name))
    written = {fold(entity.name), *(fold(a) for a in entity.aliases)}
    return bool(wanted & written) or got == world.entity_for(party)


def _describe(draft: Any, names: dict[str, Any], world: World) -> str:
    if draft is None:
        return "no draft"
    actor = names[draft.actor_id].name if draft.actor_id in names else None
    target = names[draft.target_id].name if draft.target_id in names else None
    keys = {v: k for k, v in world.events.items()}
    answers = [keys.get(a.event_id, a.event_id[:8]) for a in draft.answers[:3]]
    return f"{draft.kind} {draft.date}/{draft.precision} {actor} → {target} answers {answers}"


def _start_of(date: str) -> str:
    return {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date)
