"""What an export converts: plain records gathered by a service, in a fixed order.

Every writer walks the bundle through the ordered views below, so exporting the same
workspace state twice gives the same bytes whatever order the service collected it in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from workstation.domain.records import (
    Annotation,
    Category,
    Document,
    Entity,
    Episode,
    Event,
    Evidence,
    Mention,
    Relation,
)

_T = TypeVar("_T")

# Mentions of one passage are listed by how central the entity is to it, then by name.
_ROLE_ORDER = {"actor": 0, "target": 1, "speaker": 2, "subject": 3, "mentioned": 4}


@dataclass
class ExportBundle:
    documents: list[Document] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    categories: dict[str, Category] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    # Standing relations between entities (ownership, directorship…; m015).
    relations: list[Relation] = field(default_factory=list)
    # The language officers write notes and category names in, when the exporter says so
    # (BCP 47, e.g. "en"); None: not known, and then no format claims one.
    body_language: str | None = None

    # ----- lookups (build once per export: they are dictionaries over the lists) -------

    def documents_by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents if d.live}

    def entities_by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities if e.live}

    def category_name(self, annotation: Annotation) -> str | None:
        category = self.categories.get(annotation.category_id or "")
        return category.name if category is not None and category.live else None

    # ----- ordered views ---------------------------------------------------------------

    def ordered_documents(self) -> list[Document]:
        """Live documents by publication date (undated last), title, id."""
        return sorted(
            (d for d in self.documents if d.live),
            key=lambda d: (d.published is None, d.published or "", d.title, d.id),
        )

    def ordered_annotations(self) -> list[Annotation]:
        """Live passages in document order, then by position in the body."""
        rank = {d.id: index for index, d in enumerate(self.ordered_documents())}
        live = [a for a in self.annotations if a.live]
        for annotation in live:
            if annotation.document_id not in rank:
                raise ValueError(
                    f"annotation {annotation.id} refers to document {annotation.document_id},"
                    " which is not in the export bundle"
                )
        return sorted(live, key=lambda a: (rank[a.document_id], a.start, a.end, a.id))

    def annotations_by_document(self) -> dict[str, list[Annotation]]:
        grouped: dict[str, list[Annotation]] = defaultdict(list)
        for annotation in self.ordered_annotations():
            grouped[annotation.document_id].append(annotation)
        return dict(grouped)

    def ordered_categories(self) -> list[Category]:
        return sorted(
            (c for c in self.categories.values() if c.live),
            key=lambda c: (c.position, c.name, c.id),
        )

    def ordered_entities(self) -> list[Entity]:
        return sorted(
            (e for e in self.entities if e.live), key=lambda e: (e.kind, e.name.casefold(), e.id)
        )

    def passages(self) -> list[tuple[Annotation, Document, list[Mention], dict[str, Entity]]]:
        """Each live passage in export order with its document, its mentions and the
        entities they may name: what a one-line-per-passage writer needs."""
        documents = self.documents_by_id()
        entities = self.entities_by_id()
        mentions = self.mentions_by_annotation()
        return [
            (
                annotation,
                require(documents, annotation.document_id, "document"),
                mentions.get(annotation.id, []),
                entities,
            )
            for annotation in self.ordered_annotations()
        ]

    def mentions_by_annotation(self) -> dict[str, list[Mention]]:
        """Live mentions of each passage: by role (actor first), entity name, entity id.

        A mention of an entity the bundle does not hold (deleted since) is left out: a link
        to nothing has nothing to export.
        """
        entities = self.entities_by_id()
        grouped: dict[str, list[Mention]] = defaultdict(list)
        for mention in self.mentions:
            if mention.live and mention.entity_id in entities:
                grouped[mention.annotation_id].append(mention)
        for mentions in grouped.values():
            mentions.sort(
                key=lambda m: (
                    _ROLE_ORDER.get(m.role, len(_ROLE_ORDER)),
                    entities[m.entity_id].name.casefold(),
                    m.entity_id,
                    m.id,
                )
            )
        return dict(grouped)

    def ordered_events(self) -> list[Event]:
        return sorted((e for e in self.events if e.live), key=lambda e: (e.date, e.title, e.id))

    def evidence_by_event(self) -> dict[str, list[Annotation]]:
        """Live passages cited by each event, in passage order."""
        annotations = {a.id: a for a in self.ordered_annotations()}
        order = {annotation_id: index for index, annotation_id in enumerate(annotations)}
        grouped: dict[str, list[Annotation]] = defaultdict(list)
        for item in self.evidence:
            if item.live and item.annotation_id in annotations:
                grouped[item.event_id].append(annotations[item.annotation_id])
        for passages in grouped.values():
            passages.sort(key=lambda a: order[a.id])
        return dict(grouped)

    def ordered_relations(self) -> list[Relation]:
        """Live relations whose two entities the bundle holds (an episode's export leaves out
        relations to entities outside it), by kind, subject, object, id."""
        entities = self.entities_by_id()
        return sorted(
            (
                r
                for r in self.relations
                if r.live and r.subject_id in entities and r.object_id in entities
            ),
            key=lambda r: (r.kind, r.subject_id, r.object_id, r.id),
        )


def require(mapping: dict[str, _T], key: str, what: str) -> _T:
    """``mapping[key]``, or a ValueError naming the record the service left out."""
    try:
        return mapping[key]
    except KeyError:
        raise ValueError(f"{what} {key} is not in the export bundle") from None
