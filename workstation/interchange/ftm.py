"""FollowTheMoney export: entities, articles, passage links and events as FtM JSON Lines.

Built with the followthemoney library so every value is cleaned and typed as FtM tools
(Aleph, OpenSanctions' nomenklatura, ftm CLI) expect. The library is heavy, so it is imported
inside the functions that need it, never at application start.

Mapping:
- entity → its kind as the schema (Person, Organization, PublicBody, Company, LegalEntity,
  Address). FtM has no Country schema: a country becomes a LegalEntity classified "Country"
  with its ISO code as ``country``, which ``iter_ftm`` reads back as kind Country. Its further
  facts (``Entity.properties``: weakAlias, previousName, nationality, birthDate, idNumber,
  topics, address…) are written under their own names, cleaned as FtM types them; a fact the
  schema has no property for, or a value FtM cannot read as its type, is kept as a line of
  ``notes`` ("birthDate: unknown") rather than dropped.
- relation → Ownership (owner, asset, percentage), Directorship (director, organization),
  Membership, Family, Associate, Employment or Representation by its kind, with role,
  startDate and endDate; UnknownLink (subject, object) when the kind has no FtM schema or an
  entity's schema is outside the one FtM allows there (a Person owning a Person). Only
  relations whose two entities are exported.
- document → Article (title, publishedAt, sourceUrl, publisher, language, bodyText).
- passage ↔ entity link → Documentation (document, entity, role; the quote as summary, the
  note as description), its id being the mention id. An internal (non-releasable) passage
  gets status "internal": FtM has no releasability flag.
- event → Event (name, date, summary, involved, organizer, proof), or Sanction when the event
  is a sanction with a target (entity, authority, startDate, summary, program, proof).
Record ids are kept as FtM ids, so a re-import recognises what it already holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation.domain.records import Annotation, Document, Entity, Event, Mention, Relation
from workstation.interchange.bundle import ExportBundle
from workstation.interchange.files import replace_atomically

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

# The FtM schemata (with their descendants) the workspace keeps as entities.
ENTITY_SCHEMA_ROOTS = ("LegalEntity", "Address")
SANCTION_EVENT_KINDS = frozenset({"sanction"})
FALLBACK_SCHEMA = "LegalEntity"
COUNTRY_KIND = "Country"
INTERNAL_STATUS = "internal"
# An event date is stored padded to a full day (2021-04-01 for "April 2021"); FtM dates
# carry their precision by length, so the padding is cut back off.
_DATE_LENGTH = {"day": 10, "month": 7, "year": 4}
# A relation's kind → its FtM schema, the property naming the subject, the one naming the
# object, and the property its role is written to.
_RELATION_SCHEMATA = {
    "ownership": ("Ownership", "owner", "asset", "role"),
    "directorship": ("Directorship", "director", "organization", "role"),
    "membership": ("Membership", "member", "organization", "role"),
    "family": ("Family", "person", "relative", "relationship"),
    "associate": ("Associate", "person", "associate", "relationship"),
    "employment": ("Employment", "employee", "employer", "role"),
    "representation": ("Representation", "agent", "client", "role"),
}
_UNKNOWN_LINK = ("UnknownLink", "subject", "object", "role")


def _make(schema: str, record_id: str) -> EntityProxy:
    from followthemoney import model

    proxy = model.make_entity(schema)
    proxy.id = record_id
    return proxy


def entity_schema(kind: str) -> str:
    """The FtM schema for an entity kind: the kind itself when FtM has it, else LegalEntity."""
    from followthemoney import model

    schema = model.get(kind)
    if schema is None or schema.abstract or not is_entity_schema(schema):
        return FALLBACK_SCHEMA
    return schema.name


def is_entity_schema(schema: Any) -> bool:
    return any(schema.is_a(root) for root in ENTITY_SCHEMA_ROOTS)


def entity_proxy(entity: Entity) -> EntityProxy:
    proxy = _make(entity_schema(entity.kind), entity.id)
    proxy.add("name", entity.name)
    proxy.add("alias", entity.aliases, quiet=True)
    proxy.add("wikidataId", entity.wikidata_id, quiet=True)
    proxy.add("country", entity.country, quiet=True)
    proxy.add("description", entity.description or None, quiet=True)
    if entity.kind == COUNTRY_KIND:
        proxy.add("classification", COUNTRY_KIND, quiet=True)
    _add_facts(proxy, entity.properties)
    return proxy


def _add_facts(proxy: EntityProxy, facts: dict[str, list[str]]) -> None:
    """Each fact under its FtM property, cleaned; what the schema cannot hold (no such
    property, a reference to another entity, a value that is no valid value of its type) as
    a ``notes`` line, so nothing is dropped on the way out."""
    kept_aside = []
    for name in sorted(facts):
        prop = proxy.schema.get(name)
        for value in facts[name]:
            if not isinstance(value, str) or not value.strip():
                continue
            cleaned = None
            if prop is not None and not prop.stub and prop.type.name != "entity":
                cleaned = prop.type.clean(value, proxy=proxy)
            if cleaned is None:
                kept_aside.append(f"{name}: {value}")
            else:
                proxy.add(name, cleaned, cleaned=True)
    if kept_aside:
        proxy.add("notes", kept_aside)


def article_proxy(document: Document) -> EntityProxy:
    proxy = _make("Article", document.id)
    proxy.add("title", document.title)
    proxy.add("publishedAt", document.published)
    proxy.add("sourceUrl", document.url)
    proxy.add("publisher", document.outlet)
    proxy.add("language", document.language)
    proxy.add("bodyText", document.body)
    return proxy


def documentation_proxy(mention: Mention, annotation: Annotation) -> EntityProxy:
    proxy = _make("Documentation", mention.id)
    proxy.add("document", annotation.document_id)
    proxy.add("entity", mention.entity_id)
    proxy.add("role", mention.role)
    proxy.add("summary", annotation.exact)
    proxy.add("description", annotation.note or None)
    if not annotation.releasable:
        proxy.add("status", INTERNAL_STATUS)
    return proxy


def ftm_date(event: Event) -> str:
    return event.date[: _DATE_LENGTH.get(event.precision, len(event.date))]


def event_proxy(
    event: Event,
    entities: dict[str, Entity],
    proof: list[str],
    answered: Event | None = None,
) -> EntityProxy:
    """An Event, or a Sanction for a sanction with a target; ``proof`` are article ids.

    An actor or target the bundle does not hold (deleted since) is left out rather than
    written as a reference to an entity no reader will find.
    """
    actor = entities.get(event.actor_id or "")
    target = entities.get(event.target_id or "")
    if event.kind in SANCTION_EVENT_KINDS and target is not None:
        proxy = _make("Sanction", event.id)
        proxy.add("entity", target.id)
        proxy.add("startDate", ftm_date(event))
        proxy.add("description", event.title)
        if actor is not None:
            proxy.add("authority", actor.name)
            proxy.add("country", actor.country)
    else:
        proxy = _make("Event", event.id)
        proxy.add("name", event.title)
        proxy.add("date", ftm_date(event))
        proxy.add("keywords", event.kind)
        proxy.add("involved", [e.id for e in (actor, target) if e is not None])
        proxy.add("organizer", actor.id if actor is not None else None)
        if answered is not None:
            proxy.add("notes", f"In response to: {answered.title} ({ftm_date(answered)})")
    proxy.add("summary", event.summary or None)
    proxy.add("program", event.legal_basis or None)
    proxy.add("proof", proof)
    return proxy


def relation_proxy(relation: Relation, schemata: dict[str, str]) -> EntityProxy:
    """The FtM interval for a relation; ``schemata``: each exported entity's FtM schema."""
    from followthemoney.types import registry

    schema, subject, object_, role = _RELATION_SCHEMATA.get(relation.kind, _UNKNOWN_LINK)
    ends = ((subject, relation.subject_id), (object_, relation.object_id))
    if not all(_fits(schema, prop, schemata[entity_id]) for prop, entity_id in ends):
        schema, subject, object_, role = _UNKNOWN_LINK
    proxy = _make(schema, relation.id)
    proxy.add(subject, relation.subject_id)
    proxy.add(object_, relation.object_id)
    described = []
    if schema == _UNKNOWN_LINK[0] and relation.kind:
        described.append(f"kind: {relation.kind}")
    proxy.add(role, relation.role or None)
    if relation.share and schema == "Ownership":
        proxy.add("percentage", relation.share)
    elif relation.share:
        described.append(f"share: {relation.share}")
    for prop, value in (("startDate", relation.start_date), ("endDate", relation.end_date)):
        cleaned = registry.date.clean(value) if value else None
        if cleaned is not None:
            proxy.add(prop, cleaned, cleaned=True)
        elif value:
            described.append(f"{prop}: {value}")
    if relation.source:
        described.append(f"source: {relation.source}")
    proxy.add("description", "; ".join(described) or None)
    return proxy


def _fits(schema: str, prop_name: str, entity_schema_name: str) -> bool:
    """Whether an entity of ``entity_schema_name`` may stand in ``schema``'s ``prop_name``."""
    from followthemoney import model

    prop = model.get_qname(f"{schema}:{prop_name}")
    entity = model.get(entity_schema_name)
    if prop is None or entity is None:
        return False
    return prop.range is None or bool(entity.is_a(prop.range))


def ftm_proxies(bundle: ExportBundle) -> list[EntityProxy]:
    """Every FtM entity of the export: entities, articles, links, events, relations, in that
    order."""
    entities = bundle.entities_by_id()
    proxies = [entity_proxy(entity) for entity in bundle.ordered_entities()]
    passages = bundle.annotations_by_document()
    proxies += [article_proxy(d) for d in bundle.ordered_documents() if d.id in passages]
    mentions = bundle.mentions_by_annotation()
    for annotation in bundle.ordered_annotations():
        for mention in mentions.get(annotation.id, []):
            proxies.append(documentation_proxy(mention, annotation))
    evidence = bundle.evidence_by_event()
    events = {event.id: event for event in bundle.ordered_events()}
    for event in events.values():
        articles = list(dict.fromkeys(a.document_id for a in evidence.get(event.id, [])))
        answered = events.get(event.responds_to or "")
        proxies.append(event_proxy(event, entities, articles, answered))
    schemata = {entity_id: entity_schema(e.kind) for entity_id, e in entities.items()}
    proxies += [relation_proxy(r, schemata) for r in bundle.ordered_relations()]
    return proxies


def ftm_dicts(bundle: ExportBundle) -> list[dict[str, Any]]:
    return [proxy.to_dict() for proxy in ftm_proxies(bundle)]


def write_ftm(bundle: ExportBundle, path: Path) -> int:
    """Write the bundle as FtM JSON Lines; return the number of FtM entities written."""
    items = ftm_dicts(bundle)
    with replace_atomically(Path(path)) as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
    return len(items)
