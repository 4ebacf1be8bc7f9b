"""Reading FollowTheMoney JSON Lines: ours, OpenSanctions' and other FtM tools' exports.

Each line yields one of:
- ``FtmEntity`` for the legal entities the workspace keeps (Person, Organization, Company,
  PublicBody, LegalEntity), with its further facts in ``properties`` (weak aliases, previous
  names, nationality, birth date, identifiers, topics, inline addresses…) and the ids of the
  Address entities it refers to;
- ``FtmAddress``, ``FtmSanction``, ``FtmRelation`` (``ftm_links``) for an Address, a Sanction
  and the relation schemata (Ownership, Directorship, Family…);
- ``FtmSkipped`` for any other valid FtM schema (Article, Documentation, Event, Passport…),
  with the reason; or an ``InterchangeError`` naming the line.
Extra top-level keys (OpenSanctions' caption, datasets, first_seen, target...) are ignored
except ``referents`` (the ids an entity was merged from, which other lines may still use).
followthemoney is imported on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from workstation.interchange.errors import InterchangeError
from workstation.interchange.ftm import is_entity_schema
from workstation.interchange.ftm_links import (
    RELATION_ENDS,
    FtmAddress,
    FtmRelation,
    FtmSanction,
    address,
    relation,
    sanction,
)
from workstation.interchange.json_text import UnreadableJson, load_json

_COUNTRY = "Country"
# Properties an entity's own fields hold already, or that name other lines (addressEntity is
# resolved to the address text by the import).
_NOT_KEPT = frozenset({"name", "alias", "wikidataId", "description", "addressEntity"})
_MAX_VALUES = 200  # of one property: a line listing more keeps the first ones
_MAX_VALUE_LENGTH = 4000


@dataclass(frozen=True, kw_only=True)
class FtmEntity:
    id: str
    schema: str  # the FtM schema name as read
    kind: str  # the workspace entity kind: the schema, or Country for a classified country
    name: str
    aliases: tuple[str, ...] = ()
    wikidata_id: str | None = None
    country: str | None = None  # ISO 3166 code, lower case, as FtM cleans it
    description: str | None = None
    # Further facts by FtM property name (weakAlias, birthDate, innCode, topics, address…).
    properties: dict[str, list[str]] = field(default_factory=dict)
    address_ids: tuple[str, ...] = ()  # the Address entities it refers to (addressEntity)
    referents: tuple[str, ...] = ()  # ids it was merged from (OpenSanctions)
    # Where it stands in the file, for what the import reports (not part of the entity).
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class FtmSkipped:
    """A valid FtM line the workspace keeps nothing of, and why."""

    line: int | None
    id: str
    schema: str
    reason: str = field(default="not a kind of record the workspace keeps", compare=False)


FtmLine: TypeAlias = FtmEntity | FtmAddress | FtmSanction | FtmRelation | FtmSkipped


class _Malformed(Exception):
    pass


def iter_ftm(
    path: Path | str,
) -> Iterator[FtmLine | InterchangeError]:
    """Read an FtM JSON Lines file line by line (it may be large: never loaded whole)."""
    with Path(path).open("rb") as handle:
        yield from iter_ftm_lines(handle)


def iter_ftm_lines(
    lines: Iterable[bytes | str],
) -> Iterator[FtmLine | InterchangeError]:
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield InterchangeError(number, f"not UTF-8 text (undecodable byte at {exc.start})")
                continue
        if number == 1:
            raw = raw.removeprefix("\ufeff")
        if not raw.strip():
            continue
        try:
            yield parse_ftm_line(raw, number)
        except InterchangeError as exc:
            yield exc


def parse_ftm_line(text: str, line: int | None = None) -> FtmLine:
    try:
        data = load_json(text)
    except UnreadableJson as exc:
        raise InterchangeError(line, exc.reason) from None
    try:
        return _entity(data, line)
    except _Malformed as exc:
        raise InterchangeError(line, str(exc)) from None


def _entity(data: Any, line: int | None) -> FtmLine:
    from followthemoney import model
    from followthemoney.exc import InvalidData

    if not isinstance(data, dict):
        raise _Malformed("an FtM entity must be a JSON object")
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise _Malformed("missing id (a non-empty string)")
    schema_name = data.get("schema")
    if not isinstance(schema_name, str) or not schema_name:
        raise _Malformed(f"entity {entity_id}: missing schema (a string)")
    schema = model.get(schema_name)
    if schema is None:
        raise _Malformed(f"entity {entity_id}: unknown FtM schema {schema_name!r}")
    properties = _properties(data.get("properties", {}), entity_id)
    kept = schema.name in ("Sanction", "Address") or schema.name in RELATION_ENDS
    if not kept and not is_entity_schema(schema):
        return FtmSkipped(line, entity_id, schema.name)
    try:
        proxy = model.get_proxy(
            {"id": entity_id, "schema": schema.name, "properties": properties}, cleaned=False
        )
    except InvalidData as exc:
        raise _Malformed(f"entity {entity_id}: {exc}") from None
    referents = _referents(data.get("referents"))
    if schema.name == "Sanction":
        return sanction(entity_id, proxy, line)
    if schema.name in RELATION_ENDS:
        found = relation(entity_id, schema.name, proxy, line)
        return (
            found
            if isinstance(found, FtmRelation)
            else FtmSkipped(line, entity_id, schema.name, found)
        )
    if schema.is_a("Address"):
        place = address(entity_id, proxy, referents, line)
        return place or FtmSkipped(line, entity_id, schema.name, "an address with no text")
    names = proxy.get("name", quiet=True)
    if not names:
        raise _Malformed(f"entity {entity_id}: has no name")
    # FtM's caption picks the most representative of several names (OpenSanctions lists
    # transliterations side by side); the others become aliases.
    name = proxy.caption if proxy.caption in names else names[0]
    aliases = [n for n in [*names, *proxy.get("alias", quiet=True)] if n != name]
    classified_country = _COUNTRY in proxy.get("classification", quiet=True)
    descriptions = proxy.get("description", quiet=True) or proxy.get("notes", quiet=True)
    description = descriptions[0] if descriptions else None
    facts = _facts(schema, properties, description)
    countries = proxy.get("country", quiet=True)
    country = next(
        iter(countries or facts.get("nationality") or facts.get("citizenship") or []), None
    )
    return FtmEntity(
        id=entity_id,
        schema=schema.name,
        kind=_COUNTRY if classified_country and schema.name == "LegalEntity" else schema.name,
        name=name,
        aliases=tuple(dict.fromkeys(aliases)),
        wikidata_id=proxy.first("wikidataId", quiet=True),
        country=country,
        description=description,
        properties=facts,
        address_ids=tuple(dict.fromkeys(proxy.get("addressEntity", quiet=True))),
        referents=referents,
        line=line,
    )


def _facts(
    schema: Any, properties: dict[str, list[str]], description: str | None
) -> dict[str, list[str]]:
    """The properties kept beside the entity's own fields: every one the schema defines
    except names, references to other lines and what a field holds already. The country
    field takes the first country; further ones stay here."""
    facts: dict[str, list[str]] = {}
    for name, values in properties.items():
        prop = schema.get(name)
        if prop is None or name in _NOT_KEPT or prop.type.name == "entity":
            continue
        if name == "country" and len(values) < 2:
            continue
        kept = [v[:_MAX_VALUE_LENGTH] for v in values if v.strip() and v != description]
        if kept:
            facts[name] = list(dict.fromkeys(kept))[:_MAX_VALUES]
    return facts


def _referents(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, str) and v)[:_MAX_VALUES]


def _properties(value: Any, entity_id: str) -> dict[str, list[str]]:
    """Check the shape of ``properties``: names → lists of strings. Nested entities (the
    ``to_nested_dict`` form some exports use) stand for their id."""
    if not isinstance(value, dict):
        raise _Malformed(f"entity {entity_id}: properties must be an object")
    checked: dict[str, list[str]] = {}
    for name, values in value.items():
        if not isinstance(values, list):
            raise _Malformed(f"entity {entity_id}: property {name!r} must be a list of strings")
        items = []
        for item in values:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                item = item["id"]
            if not isinstance(item, str):
                raise _Malformed(f"entity {entity_id}: property {name!r} must be a list of strings")
            items.append(item)
        checked[name] = items
    return checked
