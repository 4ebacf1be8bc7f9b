"""What an imported W3C annotation's tags, IRI bodies and foreign id mean here (issue 17).

- **Tags.** The first tag naming a category (case and runs of whitespace aside) becomes the
  passage's category; the other tags are kept in ``Annotation.tags`` (searchable). A tag
  naming no category follows the import's ``unknown_tags`` policy: ``keep`` (the default:
  kept as a tag, no category is ever made silently), ``create`` (made a category), ``skip``
  (dropped, and listed in the report).
- **IRI bodies.** One naming a category here (``urn:uuid:``) makes it the category; one
  naming an entity (``urn:uuid:`` or a Wikidata address of a known entity) links it; any
  other becomes a line ``Link: IRI`` in the note.
- **Foreign ids.** Another tool's annotation id (and, for an annotation of several targets,
  the target's number) is kept as a ``ForeignId(scheme="w3c")`` naming what it became, so a
  re-import of the same file recognises it and adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workstation.domain.records import Category, Entity, ForeignId
from workstation.interchange.w3c_parse import uuid_from_urn, wikidata_id

if TYPE_CHECKING:
    from workstation.interchange.w3c_parse import EntityRef, W3CAnnotation
    from workstation.services.session import Session

UNKNOWN_TAG_POLICIES = ("keep", "create", "skip")
SCHEME = "w3c"


def tag_key(name: str) -> str:
    """A tag as it is compared with category names: case and whitespace runs aside."""
    return " ".join(name.split()).casefold()


@dataclass
class Terms:
    """What one target's tags and IRI bodies came to."""

    category_id: str | None = None
    tags: list[str] = field(default_factory=list)
    entity_ids: list[str] = field(default_factory=list)
    link_lines: list[str] = field(default_factory=list)


class TermResolver:
    """Resolves tags and IRIs for one import; remembers categories it made and tags dropped."""

    def __init__(self, session: Session, unknown_tags: str = "keep"):
        if unknown_tags not in UNKNOWN_TAG_POLICIES:
            raise ValueError(f"unknown_tags must be one of {UNKNOWN_TAG_POLICIES}")
        self.session = session
        self.policy = unknown_tags
        self.categories = {tag_key(c.name): c for c in session.codebook.list_categories()}
        self.created = 0
        self.dropped: dict[str, None] = {}  # tags skipped, in order of first sight

    def unknown(self, item: W3CAnnotation) -> list[str]:
        """The tags of ``item`` that name no category here."""
        return [tag for tag in item.tags if tag.strip() and tag_key(tag) not in self.categories]

    def resolve(self, item: W3CAnnotation, *, create: bool) -> Terms:
        """What ``item``'s tags and IRIs mean; ``create``: apply the policy's side effects
        (make categories), else only look (to compare with passages already here)."""
        terms = Terms()
        for iri in item.links:
            self._iri(iri, terms)
        for ref in item.entities:  # an entity-shaped body naming a category of ours
            category = self._category_by_iri(ref.source)
            if category is not None and terms.category_id is None:
                terms.category_id = category.id
        for tag in item.tags:
            name = " ".join(tag.split())
            if not name:
                continue
            category = self.categories.get(tag_key(name))
            if category is None and self.policy == "skip":
                if create:
                    self.dropped.setdefault(name)
                continue
            if category is None and self.policy == "create" and create:
                category = self.session.codebook.create(name).record
                self.categories[tag_key(name)] = category
                self.created += 1
            if category is not None and terms.category_id is None:
                terms.category_id = category.id
            elif category is None or category.id != terms.category_id:
                terms.tags.append(name)
        return terms

    def _iri(self, iri: str, terms: Terms) -> None:
        category = self._category_by_iri(iri)
        if category is not None:
            if terms.category_id is None:
                terms.category_id = category.id
            return
        ws = self.session.workspace
        record_id = uuid_from_urn(iri)
        entity = ws.records.get(Entity, record_id) if record_id else None
        qid = wikidata_id(iri) if entity is None and "wikidata.org/" in iri else None
        if qid is not None:
            entity = next(ws.records.where(Entity, {"wikidata_id": qid}, limit=1), None)
        if entity is not None:
            terms.entity_ids.append(entity.id)
        else:
            terms.link_lines.append(f"Link: {iri}")

    def names_category(self, ref: EntityRef) -> bool:
        """Whether an entity-shaped body names one of our categories (its IRI), not an entity."""
        return self._category_by_iri(ref.source) is not None

    def _category_by_iri(self, iri: str) -> Category | None:
        record_id = uuid_from_urn(iri)
        if record_id is None:
            return None
        return next((c for c in self.categories.values() if c.id == record_id), None)


def known_foreign(session: Session, foreign_id: str) -> ForeignId | None:
    """The live mapping of another tool's annotation id, when an earlier import made one."""
    where = {"scheme": SCHEME, "foreign_id": foreign_id}
    return next(session.workspace.records.where(ForeignId, where, limit=1), None)


def answered(session: Session, answers: str) -> ForeignId | None:
    """What the annotation a reply answers became here (any of its targets: the first)."""
    return known_foreign(session, answers) or known_foreign(session, f"{answers} target 1")


def reply_text(
    item: W3CAnnotation, tags: list[str], link_lines: list[str], *, label: str = ""
) -> str:
    """The note a reply (or a linking annotation) adds to the passage it answers; with
    ``label`` "Note", what a page note adds to its document's note."""
    if not label:
        label = "Reply" if item.motivation in (None, "replying") else item.motivation.capitalize()
    who = item.creator or "someone"
    when = f", {item.created}" if item.created else ""
    lines = [*item.notes]
    if tags:
        lines.append("Tags: " + ", ".join(tags))
    lines += link_lines
    return f"{label} from {who}{when}: " + "\n".join(lines or ["(no text)"])
