"""Reading FollowTheMoney JSON Lines: ours, OpenSanctions' and other FtM tools' exports.

Each line yields an ``FtmEntity`` for schemata that are entities the workspace keeps (legal
entities: Person, Organization, Company, PublicBody, LegalEntity; and Address), an
``FtmSkipped`` for any other valid FtM schema (Article, Documentation, Sanction, Event,
Ownership...; the caller counts them), or an ``InterchangeError`` naming the line. Extra
top-level keys (OpenSanctions' caption, datasets, referents, first_seen, target...) are
ignored; properties are cleaned by followthemoney, which is imported on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workstation.interchange.errors import InterchangeError
from workstation.interchange.ftm import is_entity_schema
from workstation.interchange.json_text import UnreadableJson, load_json

_COUNTRY = "Country"


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
    # Where it stands in the file, for what the import reports (not part of the entity).
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class FtmSkipped:
    """A valid FtM entity of a schema the workspace does not keep as an entity."""

    line: int | None
    id: str
    schema: str


class _Malformed(Exception):
    pass


def iter_ftm(path: Path | str) -> Iterator[FtmEntity | FtmSkipped | InterchangeError]:
    """Read an FtM JSON Lines file line by line (it may be large: never loaded whole)."""
    with Path(path).open("rb") as handle:
        yield from iter_ftm_lines(handle)


def iter_ftm_lines(
    lines: Iterable[bytes | str],
) -> Iterator[FtmEntity | FtmSkipped | InterchangeError]:
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


def parse_ftm_line(text: str, line: int | None = None) -> FtmEntity | FtmSkipped:
    try:
        data = load_json(text)
    except UnreadableJson as exc:
        raise InterchangeError(line, exc.reason) from None
    try:
        return _entity(data, line)
    except _Malformed as exc:
        raise InterchangeError(line, str(exc)) from None


def _entity(data: Any, line: int | None) -> FtmEntity | FtmSkipped:
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
    if not is_entity_schema(schema):
        return FtmSkipped(line, entity_id, schema.name)
    try:
        proxy = model.get_proxy(
            {"id": entity_id, "schema": schema.name, "properties": properties}, cleaned=False
        )
    except InvalidData as exc:
        raise _Malformed(f"entity {entity_id}: {exc}") from None
    # An Address may carry only its full text, no name.
    names = proxy.get("name", quiet=True) or proxy.get("full", quiet=True)
    if not names:
        raise _Malformed(f"entity {entity_id}: has no name")
    # FtM's caption picks the most representative of several names (OpenSanctions lists
    # transliterations side by side); the others become aliases.
    name = proxy.caption if proxy.caption in names else names[0]
    aliases = [n for n in [*names, *proxy.get("alias", quiet=True)] if n != name]
    classified_country = _COUNTRY in proxy.get("classification", quiet=True)
    descriptions = proxy.get("description", quiet=True) or proxy.get("notes", quiet=True)
    return FtmEntity(
        id=entity_id,
        schema=schema.name,
        kind=_COUNTRY if classified_country and schema.name == "LegalEntity" else schema.name,
        name=name,
        aliases=tuple(dict.fromkeys(aliases)),
        wikidata_id=proxy.first("wikidataId", quiet=True),
        country=proxy.first("country", quiet=True),
        description=descriptions[0] if descriptions else None,
        line=line,
    )


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
