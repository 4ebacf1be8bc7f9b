"""Reading one W3C Web Annotation: ours, and any other tool's (issue 17).

Each target becomes one ``W3CAnnotation`` (``w3c_targets`` says what a target may be: a
passage by quote or position, an unplaceable selection, a page note, a reply). Selectors may
come in any order or nested under ``refinedBy``; bodies may be objects, IRIs (kept in
``links`` for the service to resolve), a ``Choice`` (its first item) or missing. Hypothesis'
own fields (``text``, ``tags``, ``user``, ``updated``, ``uri``, ``references``) are read when
the W3C ones are absent.
Anything of the wrong type is refused with a message saying which field and why.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from workstation.interchange.errors import InterchangeError
from workstation.interchange.json_text import UnreadableJson, load_json
from workstation.interchange.w3c_targets import PASSAGE, Malformed, json_kind, targets

__all__ = ["PASSAGE", "EntityRef", "W3CAnnotation", "json_kind", "parse_w3c_targets"]

_WIKIDATA_ADDRESS = re.compile(
    r"(?:https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)"
)
_ENTITY_PURPOSES = (None, "identifying", "classifying")
_MENTION_MOTIVATIONS = {"identifying", "linking"}


@dataclass(frozen=True, kw_only=True)
class EntityRef:
    """An entity a passage is linked to: ours by ``urn:uuid:``, others by any address."""

    source: str
    id: str | None = None  # the UUID when the source is urn:uuid:
    name: str | None = None
    kind: str | None = None  # FollowTheMoney schema name
    role: str | None = None
    wikidata_id: str | None = None  # "Q159"


@dataclass(frozen=True, kw_only=True)
class W3CAnnotation:
    """One target of one annotation (an annotation of three targets is three of these)."""

    source: str  # the annotated document: urn:uuid:<document id>, a web address, or ""
    exact: str = ""  # "" for a position-only target, a page note, a reply
    id: str | None = None  # the UUID when the annotation id is urn:uuid:
    raw_id: str | None = None  # the id as written when it is not one (kept, never used)
    # Where it stands in the file (not part of the annotation): its line (JSON Lines, a file
    # of one object) or its number in a JSON array or collection.
    line: int | None = field(default=None, compare=False)
    item: int | None = field(default=None, compare=False)
    created: str | None = None
    modified: str | None = None
    creator: str | None = None
    sha256: str | None = None
    url: str | None = None
    title: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None  # code points, end exclusive; None when no position was given
    end: int | None = None
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    entities: tuple[EntityRef, ...] = ()
    releasable: bool = True
    # Motivated only by identifying (or linking) entities, with no tag: a mention-only span
    # (m012), not a passage; how our own export writes one (w3c.MENTION_MOTIVATION).
    mention_only: bool = False
    # Issue 17: what the target is (w3c_targets: passage, page note, reply), which of the
    # annotation's targets it is, why it cannot be placed, what a reply answers.
    kind: str = PASSAGE
    target_number: int = 1
    target_count: int = 1
    unplaceable: str = ""
    answers: str | None = None
    motivation: str | None = None
    creator_iri: str | None = None  # acct:, mailto: or any IRI the creator is named by
    links: tuple[str, ...] = ()  # bodies that are IRIs (the service decides what each names)

    @property
    def foreign_id(self) -> str | None:
        """The id another tool gave this target, as a re-import will find it again."""
        written = self.raw_id or (f"urn:uuid:{self.id}" if self.id else None)
        if written is None or self.target_count == 1:
            return written
        return f"{written} target {self.target_number}"

    @property
    def document_id(self) -> str | None:
        """The workstation document id when the target is one of ours."""
        return uuid_from_urn(self.source)


def parse_w3c_line(text: str, line: int | None = None) -> W3CAnnotation:
    """Parse one JSON text holding one annotation (its first target); raise InterchangeError
    if it cannot be."""
    return parse_w3c_line_targets(text, line)[0]


def parse_w3c_line_targets(text: str, line: int | None = None) -> list[W3CAnnotation]:
    """One JSON text holding one annotation: one W3CAnnotation per target."""
    try:
        data = load_json(text)
    except UnreadableJson as exc:
        raise InterchangeError(line, exc.reason) from None
    return parse_w3c_targets(data, line)


def parse_w3c_object(data: Any, line: int | None = None) -> W3CAnnotation:
    """The annotation's first target (see parse_w3c_targets for all of them)."""
    return parse_w3c_targets(data, line)[0]


def parse_w3c_targets(data: Any, line: int | None = None) -> list[W3CAnnotation]:
    """One W3CAnnotation per target of the annotation ``data``, in order."""
    try:
        return _annotations(data, line)
    except Malformed as exc:
        raise InterchangeError(line, str(exc)) from None
    except RecursionError:  # selectors refined by selectors, hundreds deep
        raise InterchangeError(line, "selectors nested too deeply") from None


# ----- one annotation --------------------------------------------------------------------


def _annotations(data: Any, line: int | None) -> list[W3CAnnotation]:
    if not isinstance(data, dict):
        raise Malformed(f"an annotation must be a JSON object, not a {json_kind(data)}")
    kinds = type_names(data)
    if kinds and not kinds & {"Annotation", "oa:Annotation"}:
        raise Malformed(f"type is {', '.join(sorted(kinds))}, not Annotation")
    motivations = _motivations(data)
    found = targets(data, motivations)
    tags, notes, entities, links = _bodies(data)
    written = _written_id(data)
    our_id = uuid_from_urn(written) if written else None
    creator, creator_iri = _creator(data)
    shared = W3CAnnotation(
        source="",
        id=our_id,
        raw_id=written if written and our_id is None else None,
        line=line,
        created=_text(data, "created", "created"),
        modified=_text(data, "modified", "modified") or _text(data, "updated", "updated"),
        creator=creator,
        creator_iri=creator_iri,
        tags=tags,
        notes=notes,
        entities=entities,
        links=links,
        releasable=_releasable(data),
        mention_only=_mention_only(data, tags, entities),
        motivation=motivations[0] if motivations else None,
        target_count=len(found),
    )
    items = []
    for number, target in enumerate(found, start=1):
        quote = target.quote
        start, end = target.position if target.position is not None else (None, None)
        items.append(
            dataclasses.replace(
                shared,
                kind=target.kind,
                target_number=number,
                source=target.source,
                sha256=target.sha256,
                url=target.url,
                title=target.title,
                exact=_quote_text(quote, "exact", required=True) if quote else "",
                prefix=_quote_text(quote, "prefix") if quote else "",
                suffix=_quote_text(quote, "suffix") if quote else "",
                start=start,
                end=end,
                unplaceable=target.unplaceable,
                answers=target.answers,
            )
        )
    return items


def _mention_only(
    data: dict[str, Any], tags: tuple[str, ...], entities: tuple[EntityRef, ...]
) -> bool:
    """Whether the annotation only identifies entities: every motivation identifying or
    linking, an entity named, and no tag (a category makes it a passage)."""
    motivations = set(_motivations(data))
    return bool(motivations) and motivations <= _MENTION_MOTIVATIONS and bool(entities) and not tags


def _quote_text(quote: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = quote.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise Malformed(f"TextQuoteSelector {key} must be a string, not a {json_kind(value)}")
    if required and not value:
        raise Malformed(f"TextQuoteSelector {key} is empty")
    return value


def _bodies(
    data: dict[str, Any],
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[EntityRef, ...], tuple[str, ...]]:
    tags: list[str] = []
    notes: list[str] = []
    entities: list[EntityRef] = []
    links: list[str] = []
    motivations = _motivations(data)
    value = data.get("body")
    if value is None:
        bodies = []
    elif isinstance(value, dict | str):
        bodies = [value]
    elif isinstance(value, list):
        bodies = value
    else:
        raise Malformed(
            f"body must be an object, an IRI or a list of them, not a {json_kind(value)}"
        )
    for number, body in enumerate(bodies, start=1):
        if isinstance(body, str):  # an IRI (spec examples 9, 23): the service decides
            if body.strip():
                links.append(body.strip())
            continue
        if not isinstance(body, dict):
            raise Malformed(f"body {number} must be an object or an IRI, not a {json_kind(body)}")
        if body.get("type") == "Choice" and isinstance(body.get("items"), list):
            # One of several equivalent bodies: the first we can read stands for them.
            body = next((item for item in body["items"] if isinstance(item, dict)), {})
        purpose = body.get("purpose")
        if purpose is not None and not isinstance(purpose, str):
            raise Malformed(f"body {number} purpose must be a string, not a {json_kind(purpose)}")
        purpose = purpose or (motivations[0] if len(motivations) == 1 else None)
        if "value" in body:
            text = body["value"]
            if not isinstance(text, str):
                raise Malformed(f"body {number} value must be a string, not a {json_kind(text)}")
            if text.strip():
                (tags if purpose == "tagging" else notes).append(text)
        elif "source" in body and purpose in _ENTITY_PURPOSES:
            entities.append(_entity_ref(body, number))
        elif isinstance(body.get("id"), str) and body["id"].strip():  # an IRI with a type
            links.append(body["id"].strip())
    _hypothesis_bodies(data, tags, notes)
    return tuple(tags), tuple(notes), tuple(entities), tuple(links)


def _hypothesis_bodies(data: dict[str, Any], tags: list[str], notes: list[str]) -> None:
    """W3C's ``bodyValue`` shorthand and Hypothesis' own ``text`` and ``tags`` fields."""
    for key in ("bodyValue", "text"):
        text = _text(data, key, key)
        if text and text.strip():
            notes.append(text)
    if "tags" in data:
        value = data["tags"]
        if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
            raise Malformed("tags must be a list of strings")
        tags.extend(tag for tag in value if tag.strip())


def _entity_ref(body: dict[str, Any], number: int) -> EntityRef:
    where = f"body {number}"
    source = _text(body, "source", f"{where} source")
    if not source:
        raise Malformed(f"{where} source is empty")
    wikidata = _text(body, "wikidata", f"{where} wikidata")
    return EntityRef(
        source=source,
        id=uuid_from_urn(source),
        name=_text(body, "name", f"{where} name") or _text(body, "label", f"{where} label"),
        kind=_text(body, "kind", f"{where} kind"),
        role=_text(body, "role", f"{where} role"),
        wikidata_id=wikidata_id(wikidata) or wikidata_id(source),
    )


def _written_id(data: dict[str, Any]) -> str | None:
    """The annotation's id as the file writes it: a string, or a number some tools use."""
    value = data.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(data, "id", "id") or None


def _creator(data: dict[str, Any]) -> tuple[str | None, str | None]:
    """The creator's display name and the IRI naming them (``acct:``, ``mailto:``, any id).

    The name is ``name``, else ``nickname``, else the local part of an ``acct:`` or
    ``mailto:`` IRI (``acct:mark@hypothes.is`` → ``mark``), else the IRI itself."""
    value = data.get("creator")
    if isinstance(value, list):
        value = value[0] if value else None
    iri: str | None = None
    name: str | None = None
    if isinstance(value, dict):
        iri = value["id"] if isinstance(value.get("id"), str) and value["id"].strip() else None
        for key in ("name", "nickname"):
            if isinstance(value.get(key), str) and value[key].strip():
                name = value[key]
                break
    elif isinstance(value, str):
        iri = value
    elif value is not None:
        raise Malformed(f"creator must be an object or a string, not a {json_kind(value)}")
    else:
        iri = _text(data, "user", "user")  # Hypothesis: "acct:name@hypothes.is"
    if name is None and iri is not None:
        name = _local_part(iri)
    return name, iri


def _local_part(iri: str) -> str:
    scheme, _, rest = iri.partition(":")
    if scheme.lower() in ("acct", "mailto") and rest:
        return rest.split("@", 1)[0] or rest
    return iri


def _releasable(data: dict[str, Any]) -> bool:
    value = data.get("releasable", True)
    if not isinstance(value, bool):
        raise Malformed(f"releasable must be true or false, not a {json_kind(value)}")
    return value


# ----- small helpers ---------------------------------------------------------------------


def uuid_from_urn(value: str) -> str | None:
    """``urn:uuid:<uuid>`` → the UUID in canonical lower-case form; anything else → None."""
    if not value.lower().startswith("urn:uuid:"):
        return None
    try:
        return str(uuid.UUID(value[len("urn:uuid:") :]))
    except ValueError:
        return None


def wikidata_id(address: str | None) -> str | None:
    """``Q159`` from ``Q159`` or a Wikidata entity or page address; None for anything else."""
    match = _WIKIDATA_ADDRESS.fullmatch(address.strip()) if address else None
    return match.group(1) if match else None


def _text(data: dict[str, Any], key: str, label: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise Malformed(f"{label} must be a string, not a {json_kind(value)}")


def type_names(data: dict[str, Any]) -> set[str]:
    value = data.get("type", data.get("@type"))
    values = value if isinstance(value, list) else [value]
    return {item for item in values if isinstance(item, str)}


def _motivations(data: dict[str, Any]) -> list[str]:
    value = data.get("motivation")
    values = value if isinstance(value, list) else [value]
    return [item for item in values if isinstance(item, str)]
