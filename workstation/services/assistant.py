"""The offline assistant (issue 16): new names, passages to mark and events to draft, proposed
for one document or many; accepting and rejecting them (``assistant_decisions.py``); its
status. Nothing is created silently: a proposal becomes a record only when the officer
accepts it, and every accept or reject is one undoable step that the models learn from.

- Names: ``domain.assistant.names_russian`` (natasha) for Cyrillic text and
  ``domain.assistant.names_latin`` (a candidate finder scored by a classifier trained on this
  workspace) for Latin script. Spans the registry already names, linked spans and names the
  officer rejected are left out; one proposal per name per document (its first occurrence).
- Passages: ``domain.assistant.passages``, trained on this workspace's categorised passages.
  Too few examples of a category: it is not proposed, and ``status`` says so.
- Events: for each accepted passage of an action category that is no event's evidence yet,
  ``domain.assistant.event_drafts`` drafts one in the document's episode (the one its
  passages already serve, else the newest); the officer confirms it in the event form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from workstation.domain.assistant import (
    PROPOSAL_KINDS,
    KnownEvent,
    LinkedEntity,
    NameCandidate,
    Proposal,
)
from workstation.domain.records import Document
from workstation.services import assistant_models as models
from workstation.services.assistant_decisions import AssistantDecisions
from workstation.services.assistant_status import AssistantStatus, rebuild, status
from workstation.services.outcome import ServiceError
from workstation.services.suggestion_finder import compiled_registry
from workstation.storage import assistant as queries

if TYPE_CHECKING:
    from workstation.domain.records import Annotation, Entity
    from workstation.services.suggestion_finder import _Registry

MIN_NAME_SCORE = 0.5
_RUSSIAN_CACHE_SIZE = 256  # texts whose natasha names are remembered (~1 KB each)
_russian_cache: dict[bytes, list[NameCandidate]] = {}
MIN_PASSAGE_CONFIDENCE = 0.5


def parse_kinds(text: str) -> tuple[str, ...]:
    """``"mentions,names"`` → ("mention", "name"); a ServiceError names an unknown kind."""
    wanted: list[str] = []
    for word in (w.strip().casefold() for w in text.split(",")):
        if not word:
            continue
        kind = word[:-1] if word.endswith("s") else word
        if kind not in ("mention", *PROPOSAL_KINDS):
            raise ServiceError(
                f"unknown suggestion kind {word!r}: choose from mentions, names, passages, events"
            )
        wanted.append(kind)
    return tuple(dict.fromkeys(wanted))


class AssistantService(AssistantDecisions):
    """Proposing (here), accepting and rejecting (``AssistantDecisions``), status."""

    def status(self) -> AssistantStatus:
        """What the models learn from, when they were trained, how well they do on held-out
        examples."""
        return status(self.session)

    def rebuild(self) -> AssistantStatus:
        """Retrain every model from the workspace now, and record it."""
        return rebuild(self.session)

    def propose(
        self,
        document_ids: Sequence[str] | None = None,
        kinds: Collection[str] = PROPOSAL_KINDS,
    ) -> list[Proposal]:
        """Proposals of these kinds for these documents (``None``: all), by document in
        library order, then kind, then position."""
        if document_ids is not None:
            for document_id in document_ids:
                self._require(Document, document_id)
        texts = self._texts(document_ids)
        found: list[Proposal] = []
        if "name" in kinds:
            found += self.propose_names(texts)
        if "passage" in kinds:
            found += self.propose_passages(texts)
        if "event" in kinds:
            found += self.propose_events(texts)
        order = {document_id: n for n, (document_id, _) in enumerate(texts)}
        kind_order = {kind: n for n, kind in enumerate(PROPOSAL_KINDS)}
        found.sort(key=lambda p: (order[p.document_id], kind_order[p.kind], p.start))
        return found

    def _texts(self, document_ids: Sequence[str] | None) -> list[tuple[str, str]]:
        from workstation.storage import suggestions as texts

        return [(d, body) for d, _title, body in texts.document_texts(self.ws, document_ids)]

    # -- names ------------------------------------------------------------------------------

    def _registry(self) -> list[Entity]:
        return self.session.entities.list_entities()

    def propose_names(self, texts: Sequence[tuple[str, str]]) -> list[Proposal]:
        entities = self._registry()
        registry = compiled_registry(entities)
        _trained, latin = models.name_model(
            self.ws, [(e.kind, e.name, e.aliases) for e in entities]
        )
        rejected = {d["exact"].casefold() for d in queries.decisions(self.ws, "name")
                    if d["verdict"] == "rejected"}  # fmt: skip
        linked = self._mention_spans([d for d, _ in texts])
        surnames = _known_surnames(entities)
        found: list[Proposal] = []
        for document_id, body in texts:
            known = [(m.start, m.end) for m in registry.index.find(body)]
            known += linked.get(document_id, [])
            candidates = [
                c
                for c in latin.propose(body, known=known, rejected=rejected, min_score=0)
                # "Sullivan" alone, where the registry has John Sullivan: a mention of him
                # (the mention queue offers it once he is linked here), not a new person.
                if c.normal.casefold() not in surnames
            ]
            candidates += _without(_russian_names(body), known, rejected)
            found += _one_per_name(document_id, candidates)
        return found

    def _mention_spans(self, document_ids: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
        from workstation.storage import suggestions as links

        spans: dict[str, list[tuple[int, int]]] = {}
        for document_id, start, end, _entity in links.linked_spans(self.ws, document_ids):
            if end - start <= 80:  # a name's span, not a whole passage holding a link
                spans.setdefault(document_id, []).append((start, end))
        return spans

    # -- passages ---------------------------------------------------------------------------

    def propose_passages(self, texts: Sequence[tuple[str, str]]) -> list[Proposal]:
        _trained, model = models.passage_model(self.ws)
        if not model.ready:
            return []
        categories = {c.name: c.id for c in self.session.codebook.list_categories()}
        marked: dict[str, list[tuple[int, int]]] = {}
        for document_id, start, end in queries.passage_spans(self.ws, [d for d, _ in texts]):
            marked.setdefault(document_id, []).append((start, end))
        for decision in queries.decisions(self.ws, "passage", [d for d, _ in texts]):
            if decision["verdict"] == "rejected":
                marked.setdefault(decision["document_id"], []).append(
                    (decision["start"], decision["end"])
                )
        found: list[Proposal] = []
        for document_id, body in texts:
            for p in model.propose(
                body, skip=marked.get(document_id, []), min_confidence=MIN_PASSAGE_CONFIDENCE
            ):
                words = ", ".join(word for word, _weight in p.explanation.words[:3])
                found.append(
                    Proposal(
                        kind="passage",
                        document_id=document_id,
                        start=p.start,
                        end=p.end,
                        text=p.text,
                        score=p.confidence,
                        reason=f"reads like {p.category} passages"
                        + (f" ({words})" if words else ""),
                        category=p.category,
                        category_id=categories.get(p.category),
                        margin=p.margin,
                        explanation=p.explanation,
                    )
                )
        return found

    # -- events -----------------------------------------------------------------------------

    def propose_events(self, texts: Sequence[tuple[str, str]]) -> list[Proposal]:
        from workstation.domain.assistant.event_drafts import draft_event, kind_for_category

        episodes = self.session.episodes.list_episodes()
        if not episodes:
            return []
        newest = max(episodes, key=lambda e: e.created_at).id
        categories = {c.id: c.name for c in self.session.codebook.list_categories()}
        cited = queries.evidence_passages(self.ws)
        refused = {(d["document_id"], d["start"], d["end"])
                   for d in queries.decisions(self.ws, "event", [d for d, _ in texts])
                   if d["verdict"] == "rejected"}  # fmt: skip
        entities = {e.id: e for e in self._registry()}
        registry = compiled_registry(list(entities.values()))
        states = _states_by_name(entities)
        known_events: dict[str, list[KnownEvent]] = {}
        found: list[Proposal] = []
        for document_id, _body in texts:
            document = self.session.documents.get(document_id)
            episode_id = queries.episode_of_document(self.ws, document_id) or newest
            if episode_id not in known_events:
                known_events[episode_id] = [
                    KnownEvent(e.id, e.kind, e.date, e.actor_id, e.target_id, e.title)
                    for e in self.session.episodes.events(episode_id)
                ]
            for passage in self.session.annotations.for_document(document_id):
                category = categories.get(passage.category_id or "")
                if (
                    category is None
                    or passage.mention_only
                    or passage.orphan
                    or passage.id in cited
                    or (document_id, passage.start, passage.end) in refused
                    or kind_for_category(category) is None
                ):
                    continue
                draft = draft_event(
                    passage_text=passage.exact,
                    category_name=category,
                    published=document.published,
                    language=document.language,
                    linked=self._linked(passage, entities, registry, states),
                    episode_events=known_events[episode_id],
                    titles={i: e.name for i, e in entities.items()},
                )
                if draft is None:
                    continue
                found.append(
                    Proposal(
                        kind="event",
                        document_id=document_id,
                        start=passage.start,
                        end=passage.end,
                        text=passage.exact,
                        score=draft.score,
                        reason=draft.reason,
                        category=category,
                        category_id=passage.category_id,
                        passage_id=passage.id,
                        episode_id=episode_id,
                        draft=draft,
                    )
                )
        return found

    def _linked(
        self,
        passage: Annotation,
        entities: dict[str, Entity],
        registry: _Registry,
        states: dict[str, str],
    ) -> list[LinkedEntity]:
        """Entities linked to the passage (with their roles) and those its words name."""
        from workstation.domain.assistant.demonyms import states_named

        text = passage.exact
        positions: dict[str, int] = {}
        named: list[tuple[int, int]] = []
        for match in registry.index.find(text):
            named.append((match.start, match.end))
            for form, _declined in match.readings:
                positions.setdefault(form.entity_id, match.start)
        # "expelled three Russian diplomats": the adjective stands for the state, a party.
        for position, names in states_named(text):
            if any(start <= position < end for start, end in named):
                continue  # "Russian Foreign Ministry": the ministry, named already
            entity_id = next((states[n.casefold()] for n in names if n.casefold() in states), None)
            if entity_id is not None:
                positions.setdefault(entity_id, position)
        linked: list[LinkedEntity] = []
        for mention in self.session.entities.mentions_of(passage.id):
            entity = entities.get(mention.entity_id)
            if entity is not None:
                position = positions.pop(entity.id, -1)
                linked.append(LinkedEntity(entity.id, entity.name, mention.role, position))
        for entity_id, position in positions.items():
            if entity_id in entities:
                name = entities[entity_id].name
                linked.append(LinkedEntity(entity_id, name, "mentioned", position))
        return linked


def _states_by_name(entities: dict[str, Entity]) -> dict[str, str]:
    """Casefolded names and aliases of the registry's states (and unions) → entity id."""
    found: dict[str, str] = {}
    for entity in entities.values():
        if entity.kind in ("Country", "Organization"):
            for name in (entity.name, *entity.aliases):
                found.setdefault(name.casefold(), entity.id)
    return found


def _russian_names(body: str) -> list[NameCandidate]:
    """natasha's names in ``body``, remembered for the last few texts: the queue asks again
    after every decision, and only the filters (known, rejected) change between asks."""
    if not any("\u0400" <= ch <= "\u04ff" for ch in body):  # natasha only where it reads
        return []
    key = hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    found = _russian_cache.pop(key, None)
    if found is None:
        from workstation.domain.assistant.names_russian import propose_russian

        found = propose_russian(body)
    _russian_cache[key] = found  # newest last
    while len(_russian_cache) > _RUSSIAN_CACHE_SIZE:
        del _russian_cache[next(iter(_russian_cache))]
    return found


def _without(
    candidates: Sequence[NameCandidate], known: Sequence[tuple[int, int]], rejected: set[str]
) -> list[NameCandidate]:
    from workstation.domain.assistant.names_russian import hides

    return [
        c
        for c in candidates
        if not hides(known, c)  # "МИД Польши" is new although "МИД" inside it is known
        and c.text.casefold() not in rejected
        and c.normal.casefold() not in rejected
    ]


def _known_surnames(entities: Sequence[Entity]) -> set[str]:
    """The last words of registered people's names and aliases, casefolded."""
    found: set[str] = set()
    for entity in entities:
        if entity.kind == "Person":
            for name in (entity.name, *entity.aliases):
                words = name.split()
                if len(words) > 1 and len(words[-1]) >= 3:
                    found.add(words[-1].casefold())
    return found


def _one_per_name(document_id: str, candidates: Sequence[NameCandidate]) -> list[Proposal]:
    """One proposal per name in a document: its first occurrence, best score, and how often
    it stands there (accepting it makes the entity; the mention queue then finds the rest).
    A surname alone ("Borrell") joins the full name it ends in the same document ("Josep
    Borrell"), so accepting never makes the same person twice."""
    full_names = {
        c.normal.split()[-1].casefold(): c.normal.casefold()
        for c in candidates
        if c.entity_kind == "Person" and len(c.normal.split()) > 1
    }
    by_name: dict[str, list[NameCandidate]] = {}
    for candidate in sorted(candidates, key=lambda c: c.start):
        key = candidate.normal.casefold()
        if candidate.entity_kind == "Person" and " " not in key:
            key = full_names.get(key, key)
        by_name.setdefault(key, []).append(candidate)
    found = []
    for group in by_name.values():
        best = max(group, key=lambda c: (len(c.normal.split()), c.score))  # the full name
        first = next(c for c in group if c.normal == best.normal)
        score = max(c.score for c in group)
        if score < MIN_NAME_SCORE:
            continue
        times = f"; {len(group)} times here" if len(group) > 1 else ""
        found.append(
            Proposal(
                kind="name",
                document_id=document_id,
                start=first.start,
                end=first.end,
                text=first.text,
                score=score,
                reason=best.reason + times,
                entity_kind=best.entity_kind,
                normal=best.normal,
                counterpart=best.counterpart,
                occurrences=len(group),
            )
        )
    return found
