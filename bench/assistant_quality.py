"""Quality of the offline assistant (issue 16) on the hand-labelled set, for
``bench.assistant_bench``.

Two workspaces, each the sample episode plus the ten labelled articles
(``tests/data/assistant``):

- **A, the sample only**: proposals for the test articles 04–08 straight away;
- **B, after the first three articles**: the officer's decisions on articles 01–03 are
  simulated from the labels (names accepted, merged, rejected or added; every labelled
  passage marked and the other passage proposals rejected; events accepted with the labelled
  fields, added by hand when no proposal stood on their evidence, other drafts rejected),
  then the same proposals for 04–08. The quality is also taken after the first 0, 10, 30 and
  100 of those decisions (the learning curve); ``propose`` only reads, so measuring between
  decisions changes nothing.

Articles 09–10 were written after the name finder had been tuned on its errors in 04–08, so
they are measured apart (``result["held_out"]``): names and passages before any event is
drafted, their events after those of 04–08 (which they may answer).

Event drafts are judged last in each workspace: the labelled passages of a test article are
marked (so drafts exist), the drafts compared with the labelled events, and the labelled
events then created, so a later article's events can answer them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.assistant_data import SAMPLE_EPISODE, LabelledArticle, LabelledEvent, load_articles
from workstation.domain.assistant import Proposal
from workstation.importers.base import DocumentDraft

if TYPE_CHECKING:
    from workstation.services import Session

TRAINING = ("01", "02", "03")  # the "first three new articles" the assistant learns from
# Written after the name finder was tuned on 04–08: the only figures not fitted to by hand.
HELD_OUT = ("09", "10")
HELD_OUT_LABEL = "09–10 (written after the fixes)"
CURVE_POINTS = (0, 10, 30, 100)
SWEEP = (0.2, 0.3, 0.4, 0.5)  # passage thresholds tried on the model itself (the service: 0.5)
OVERLAP = 0.5  # a passage proposal hits a label overlapping it by half the shorter span


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class World:
    """One workspace: the sample, the articles, and the ids the labels map onto."""

    session: Session
    articles: list[LabelledArticle]
    doc_ids: dict[str, str]  # article id → document id
    sample_entities: dict[str, str]  # sample key → entity id
    events: dict[str, str]  # sample or labelled event key → event id
    normals: dict[str, str] = field(default_factory=dict)  # fold(normal) → entity created
    decisions: int = 0
    actions: Counter[str] = field(default_factory=Counter)

    @property
    def training(self) -> list[LabelledArticle]:
        return [a for a in self.articles if a.id[:2] in TRAINING]

    @property
    def tests(self) -> list[LabelledArticle]:
        """04–08, the articles measured from the start (and looked at while tuning)."""
        return [a for a in self.articles if a.id[:2] not in (*TRAINING, *HELD_OUT)]

    @property
    def held_out(self) -> list[LabelledArticle]:
        return [a for a in self.articles if a.id[:2] in HELD_OUT]

    def entity_for(self, party: str | None) -> str | None:
        """A label's actor or target (sample key or a name's normal) → an entity id."""
        if party is None:
            return None
        if party in self.sample_entities:
            return self.sample_entities[party]
        if fold(party) in self.normals:
            return self.normals[fold(party)]
        return self.known_names().get(fold(party))

    def known_names(self) -> dict[str, str]:
        """fold(name or alias) → entity id, names first."""
        found: dict[str, str] = {}
        entities = self.session.entities.list_entities()
        for entity in entities:
            for alias in entity.aliases:
                found[fold(alias)] = entity.id
        for entity in entities:
            found[fold(entity.name)] = entity.id
        return found


def build_world(session: Session, articles: list[LabelledArticle] | None = None) -> World:
    from workstation.services.sample import load_sample

    load_sample(session)
    articles = articles if articles is not None else load_articles()
    doc_ids = {}
    with session.workspace.transaction():
        for article in articles:
            draft = DocumentDraft(
                title=article.title,
                text=article.body,
                origin_name=f"{article.id}.txt",
                outlet=article.outlet,
                published=article.published,
                language=article.language,
            )
            doc_ids[article.id] = session.documents.add(draft).record.id
    episode = json.loads(SAMPLE_EPISODE.read_text(encoding="utf-8"))
    by_name = {e.name: e.id for e in session.entities.list_entities()}
    sample_entities = {item["key"]: by_name[item["name"]] for item in episode["entities"]}
    by_title = {
        event.title: event.id
        for ep in session.episodes.list_episodes()
        for event in session.episodes.events(ep.id)
    }
    events = {item["key"]: by_title[item["title"]] for item in episode["events"]}
    for article in articles:
        body = session.documents.get(doc_ids[article.id]).body
        if body != article.body:
            raise ValueError(f"{article.id}: the stored body differs from the labelled one")
    return World(session, articles, doc_ids, sample_entities, events)


# -- measuring names and passages ------------------------------------------------------------


def _prf(right: int, proposed: int, labelled: int) -> dict[str, float | int]:
    precision = right / proposed if proposed else 0.0
    recall = right / labelled if labelled else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "proposed": proposed,
        "labelled": labelled,
        "right": right,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def _match(proposal: Proposal, article: LabelledArticle) -> Any:
    """The labelled name a name proposal stands for: its text is a labelled surface string,
    or its normal is a labelled normal (case-folded)."""
    for name in article.names:
        if fold(name.text) == fold(proposal.text):
            return name
    for name in article.names:
        if proposal.normal and fold(name.normal) == fold(proposal.normal):
            return name
    return None


def measure_names(
    world: World, articles: Sequence[LabelledArticle] | None = None
) -> dict[str, Any]:
    """Per language: precision, recall, F1 over (article, normal) of new names, kind
    accuracy on the matched ones; the false positives and misses, for the details. A name
    the registry has come to know (B) is no longer new: proposing it again is wrong.
    ``articles``: those measured (the test articles 04–08 by default)."""
    measured = world.tests if articles is None else articles
    known = world.known_names()
    result: dict[str, Any] = {}
    details: dict[str, list[Any]] = {"wrong": [], "missed": [], "kind": [], "normal": []}
    for language in ("en", "ru"):
        proposed: set[tuple[str, str]] = set()
        gold: set[tuple[str, str]] = set()
        kinds = Counter[str]()
        repeats = 0
        for article in (a for a in measured if a.language == language):
            gold |= {
                (article.id, fold(n.normal))
                for n in article.new_names
                if fold(n.normal) not in known and fold(n.text) not in known
            }
            found = world.session.assistant.propose([world.doc_ids[article.id]], ["name"])
            for p in found:
                name = _match(p, article)
                key = (article.id, fold(name.normal if name else p.normal or p.text))
                repeats += key in proposed
                proposed.add(key)
                if key not in gold:
                    details["wrong"].append(
                        (
                            article.id,
                            p.text,
                            p.entity_kind,
                            p.normal,
                            "known" if name else "not a name",
                        )
                    )
                    continue
                kinds["matched"] += 1
                kinds["kind right"] += p.entity_kind == name.kind
                if p.entity_kind != name.kind:
                    details["kind"].append((article.id, p.text, p.entity_kind, name.kind))
                if language == "ru":
                    kinds["normal right"] += fold(p.normal or "") == fold(name.normal)
                    if fold(p.normal or "") != fold(name.normal):
                        details["normal"].append((article.id, p.text, p.normal, name.normal))
        details["missed"] += sorted(gold - proposed)
        scores = _prf(len(proposed & gold), len(proposed), len(gold))
        scores["kind_accuracy"] = kinds["kind right"] / kinds["matched"] if kinds["matched"] else 0
        if language == "ru":
            matched = kinds["matched"]
            scores["normal_accuracy"] = kinds["normal right"] / matched if matched else 0
        scores["repeated_name"] = repeats
        result[language] = scores
    result["details"] = details
    return result


def _hits(start: int, end: int, label_start: int, label_end: int) -> bool:
    shared = min(end, label_end) - max(start, label_start)
    return shared > 0 and shared >= OVERLAP * min(end - start, label_end - label_start)


def measure_passages(
    world: World,
    min_confidence: float | None = None,
    articles: Sequence[LabelledArticle] | None = None,
) -> dict[str, Any]:
    """Per category P/R/F1 (a proposal is right when it hits a labelled passage of its
    category), the macro-F1, and span hits whatever the category. ``min_confidence``: ask the
    workspace's passage model directly with this threshold instead of the service's.
    ``articles``: those measured (the test articles 04–08 by default)."""
    from bench.assistant_data import CATEGORIES
    from workstation.services.assistant_models import passage_model

    _trained, model = passage_model(world.session.workspace)

    proposed, right, labelled, found = (
        Counter[str](),
        Counter[str](),
        Counter[str](),
        Counter[str](),
    )
    confusion = Counter[tuple[str, str]]()
    total = span_hits = 0
    for article in world.tests if articles is None else articles:
        if min_confidence is None:
            props: Sequence[Any] = world.session.assistant.propose(
                [world.doc_ids[article.id]], ["passage"]
            )
        else:
            props = model.propose(article.body, min_confidence=min_confidence)
        total += len(props)
        for label in article.passages:
            labelled[label.category] += 1
            found[label.category] += any(
                p.category == label.category and _hits(p.start, p.end, label.start, label.end)
                for p in props
            )
        for p in props:
            category = p.category or ""
            proposed[category] += 1
            hit = [lab for lab in article.passages if _hits(p.start, p.end, lab.start, lab.end)]
            span_hits += bool(hit)
            right[category] += any(lab.category == category for lab in hit)
            confusion[(category, hit[0].category if hit else "unmarked")] += 1
    per_category = {}
    for category in CATEGORIES:
        if not labelled[category] and not proposed[category]:
            continue
        scores = _prf(right[category], proposed[category], labelled[category])
        scores["labelled_found"] = found[category]
        recall = found[category] / labelled[category] if labelled[category] else 0.0
        precision = float(scores["precision"])
        scores["recall"] = recall
        scores["f1"] = 2 * precision * recall / (precision + recall) if precision + recall else 0
        per_category[category] = scores
    macro = sum(float(s["f1"]) for s in per_category.values()) / max(1, len(per_category))
    labelled_total = sum(labelled.values())
    return {
        "macro_f1": macro,
        "proposals": total,
        "labelled": labelled_total,
        "span_precision": span_hits / total if total else 0.0,
        "categories": per_category,
        "confusion": [[p, g, n] for (p, g), n in confusion.most_common()],
    }


def snapshot(world: World) -> dict[str, Any]:
    names = measure_names(world)
    passages = measure_passages(world)
    return {
        "decisions": world.decisions,
        "name_f1_en": names["en"]["f1"],
        "name_f1_ru": names["ru"]["f1"],
        "passage_macro_f1": passages["macro_f1"],
        "passage_proposals": passages["proposals"],
    }


# -- the officer on articles 01–03 -----------------------------------------------------------


def officer_decisions(world: World) -> Iterator[Callable[[], str]]:
    """The decisions on the training articles, in order; each is made when called (it
    proposes against the workspace as the earlier ones left it) and returns its label."""
    for article in world.training:
        yield from _name_decisions(world, article)
        yield from _passage_decisions(world, article)
        yield from _event_decisions(world, article)


def _name_decisions(world: World, article: LabelledArticle) -> Iterator[Callable[[], str]]:
    assistant = world.session.assistant
    doc_id = world.doc_ids[article.id]
    proposals = assistant.propose([doc_id], ["name"])
    covered: set[str] = set()
    for proposal in proposals:
        name = _match(proposal, article)

        def decide(p: Proposal = proposal, name: Any = name) -> str:
            if name is None:
                assistant.reject_proposal(p)
                return "name rejected"
            covered.add(name.text)
            target = world.entity_for(name.entity) if name.entity else None
            target = target or world.normals.get(fold(name.normal))
            if target is not None:
                assistant.merge_name(p, target)
                return "name merged"
            entity = assistant.accept_name(p, kind=name.kind, name=name.normal).record
            world.normals[fold(name.normal)] = entity.id
            return "name accepted"

        yield decide
    # New names the assistant missed: the officer adds each written form once, as an entity
    # (one per normal) linked where it first stands.
    for name in article.new_names:

        def add(name: Any = name) -> str:
            start, end = name.spans[0]
            manual = Proposal(
                kind="name",
                document_id=doc_id,
                start=start,
                end=end,
                text=name.text,
                score=1.0,
                reason="added by the officer",
                entity_kind=name.kind,
                normal=name.normal,
            )
            target = world.normals.get(fold(name.normal))
            if target is not None:
                assistant.merge_name(manual, target)
                return "name added (alias)"
            entity = assistant.accept_name(manual, kind=name.kind, name=name.normal).record
            world.normals[fold(name.normal)] = entity.id
            return "name added"

        if name.text not in covered:  # read lazily: the proposals' decisions are made by now
            yield add


def _passage_decisions(world: World, article: LabelledArticle) -> Iterator[Callable[[], str]]:
    session = world.session
    doc_id = world.doc_ids[article.id]
    categories = {c.name: c.id for c in session.codebook.list_categories()}
    proposals = session.assistant.propose([doc_id], ["passage"])
    steps: list[tuple[int, Callable[[], str]]] = []
    for label in article.passages:

        def mark(label: Any = label) -> str:
            session.annotations.create(
                doc_id, label.start, label.end, category_id=categories[label.category]
            )
            return "passage marked"

        steps.append((label.start, mark))
    for proposal in proposals:
        if any(_hits(proposal.start, proposal.end, lab.start, lab.end) for lab in article.passages):
            continue

        def reject(p: Proposal = proposal) -> str:
            session.assistant.reject_proposal(p)
            return "passage rejected"

        steps.append((proposal.start, reject))
    for _start, step in sorted(steps, key=lambda s: s[0]):
        yield step


def _event_decisions(world: World, article: LabelledArticle) -> Iterator[Callable[[], str]]:
    proposals = world.session.assistant.propose([world.doc_ids[article.id]], ["event"])
    by_span = {(p.start, p.end): p for p in proposals}
    used: set[tuple[int, int]] = set()
    for event in article.events:
        span = (event.evidence.start, event.evidence.end)
        proposal = by_span.get(span) if span not in used else None
        used.add(span)

        def confirm(event: LabelledEvent = event, p: Proposal | None = proposal) -> str:
            return create_event(world, article, event, p)

        yield confirm
    for span, proposal in by_span.items():
        if span in used:
            continue

        def reject(p: Proposal = proposal) -> str:
            world.session.assistant.reject_proposal(p)
            return "event rejected"

        yield reject


def create_event(
    world: World, article: LabelledArticle, event: LabelledEvent, proposal: Proposal | None
) -> str:
    """Create the labelled event: through the proposal standing on its evidence, or by hand
    (the officer's event form) when there is none."""
    from workstation.services.outcome import ServiceError

    fields: dict[str, Any] = {
        "kind": event.kind,
        "date": event.date,
        "precision": event.precision,
        "title": event.title,
        "actor_id": world.entity_for(event.actor),
        "target_id": world.entity_for(event.target),
        "responds_to": world.events.get(event.responds_to or ""),
    }
    try:
        if proposal is not None:
            created = world.session.assistant.accept_event(proposal, **fields).record
            how = "event accepted"
        else:
            session = world.session
            passage = _passage_at(world, article, event.evidence.start, event.evidence.end)
            episode = session.episodes.list_episodes()[0].id
            created = session.episodes.add_event(episode, evidence=[passage], **fields).record
            how = "event added"
    except ServiceError as exc:
        world.actions[f"event refused: {exc}"] += 1
        return "event refused"
    world.events[event.key] = created.id
    return how


def _passage_at(world: World, article: LabelledArticle, start: int, end: int) -> str:
    doc_id = world.doc_ids[article.id]
    for passage in world.session.annotations.for_document(doc_id):
        if (passage.start, passage.end) == (start, end) and not passage.mention_only:
            return passage.id
    raise ValueError(f"{article.id}: no passage at {start}–{end}")


def run_decisions(world: World, on_step: Callable[[int], None] | None = None) -> None:
    """Make every decision of the training articles, calling ``on_step(n)`` before each
    (with the number already made) and once more at the end."""
    for decide in officer_decisions(world):
        if on_step is not None:
            on_step(world.decisions)
        label = decide()
        if label:
            world.decisions += 1
            world.actions[label] += 1
    if on_step is not None:
        on_step(world.decisions)


# -- the two scenarios -----------------------------------------------------------------------


def scenario(folder: Path, *, learn: bool, curve: tuple[int, ...] = ()) -> dict[str, Any]:
    """A (``learn=False``) or B: names, passages and events measured on the test articles;
    with ``learn`` also the learning curve at ``curve`` decisions and what was decided."""
    from bench.assistant_events import measure_events  # it imports this module
    from workstation.services import create_session

    with create_session(folder / ("b.sqlite" if learn else "a.sqlite"), author="bench") as s:
        world = build_world(s)
        result: dict[str, Any] = {}
        if learn:
            points: list[dict[str, Any]] = []
            wanted = sorted(set(curve))

            def on_step(done: int) -> None:
                if wanted and done == wanted[0]:
                    wanted.pop(0)
                    points.append(snapshot(world))

            run_decisions(world, on_step)
            result["decisions"] = world.decisions
            result["actions"] = dict(world.actions)
            result["curve"] = points
            result["curve_stopped_at"] = world.decisions if wanted else None
        result["names"] = measure_names(world)
        result["passages"] = measure_passages(world)
        result["passage_thresholds"] = {
            str(t): {
                key: value
                for key, value in measure_passages(world, t).items()
                if key in ("macro_f1", "proposals", "span_precision")
            }
            for t in SWEEP
        }
        # Before any event is drafted: drafting marks the labelled passages of 04–08, and the
        # passage model would learn from them.
        held_out = {
            "names": measure_names(world, world.held_out),
            "passages": measure_passages(world, articles=world.held_out),
        }
        result["events"] = measure_events(world)
        held_out["events"] = measure_events(world, world.held_out)
        result["held_out"] = held_out
    return result
