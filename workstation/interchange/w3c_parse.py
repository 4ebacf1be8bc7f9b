"""Reading one W3C Web Annotation: ours, and other tools' that use the same text selectors.

Lenience for foreign annotations: the target may be a list (the first one with a quote
selector wins), selectors may come in any order or nested under ``refinedBy``, the body may be
one object or missing, the TextPositionSelector may be missing. Hypothesis' own fields
(``text``, ``tags``, ``user``, ``updated``, ``uri``) are read when the W3C ones are absent.
Anything of the wrong type is refused with a message saying which field and why.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from workstation.interchange.errors import InterchangeError
from workstation.interchange.json_text import UnreadableJson, load_json

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
    source: str  # the annotated document: urn:uuid:<document id> or a web address
    exact: str
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

    @property
    def document_id(self) -> str | None:
        """The workstation document id when the target is one of ours."""
        return uuid_from_urn(self.source)


class _Malformed(Exception):
    """Raised inside the reader; turned into an InterchangeError with the line number."""


def parse_w3c_line(text: str, line: int | None = None) -> W3CAnnotation:
    """Parse one JSON text holding one annotation; raise InterchangeError if it cannot be."""
    try:
        data = load_json(text)
    except UnreadableJson as exc:
        raise InterchangeError(line, exc.reason) from None
    return parse_w3c_object(data, line)


def parse_w3c_object(data: Any, line: int | None = None) -> W3CAnnotation:
    try:
        return _annotation(data, line)
    except _Malformed as exc:
        raise InterchangeError(line, str(exc)) from None
    except RecursionError:  # selectors refined by selectors, hundreds deep
        raise InterchangeError(line, "selectors nested too deeply") from None


# ----- one annotation --------------------------------------------------------------------


def _annotation(data: Any, line: int | None) -> W3CAnnotation:
    if not isinstance(data, dict):
        raise _Malformed(f"an annotation must be a JSON object, not a {json_kind(data)}")
    kinds = type_names(data)
    if kinds and not kinds & {"Annotation", "oa:Annotation"}:
        raise _Malformed(f"type is {', '.join(sorted(kinds))}, not Annotation")
    target, quote, position = _target(data)
    source = _text(target, "source", "target source") or _text(data, "uri", "uri")
    if not source:
        raise _Malformed("the target has no source (the annotated document's address)")
    start, end = _position(position) if position is not None else (None, None)
    tags, notes, entities = _bodies(data)
    written = _written_id(data)
    our_id = uuid_from_urn(written) if written else None
    return W3CAnnotation(
        id=our_id,
        raw_id=written if written and our_id is None else None,
        line=line,
        created=_text(data, "created", "created"),
        modified=_text(data, "modified", "modified") or _text(data, "updated", "updated"),
        creator=_creator(data),
        source=source,
        sha256=_text(target, "sha256", "target sha256"),
        url=_text(target, "url", "target url") or (source if _is_web(source) else None),
        title=_text(target, "title", "target title"),
        exact=_quote_text(quote, "exact", required=True),
        prefix=_quote_text(quote, "prefix"),
        suffix=_quote_text(quote, "suffix"),
        start=start,
        end=end,
        tags=tags,
        notes=notes,
        entities=entities,
        releasable=_releasable(data),
        mention_only=_mention_only(data, tags, entities),
    )


def _mention_only(
    data: dict[str, Any], tags: tuple[str, ...], entities: tuple[EntityRef, ...]
) -> bool:
    """Whether the annotation only identifies entities: every motivation identifying or
    linking, an entity named, and no tag (a category makes it a passage)."""
    motivations = set(_motivations(data))
    return bool(motivations) and motivations <= _MENTION_MOTIVATIONS and bool(entities) and not tags


def _target(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]:
    """The first target carrying a quote selector, with that quote and its position."""
    if "target" not in data:
        raise _Malformed("no target")
    value = data["target"]
    candidates = value if isinstance(value, list) else [value]
    for candidate in candidates:
        if isinstance(candidate, str):
            continue  # a bare address: the whole document, no passage to place
        if not isinstance(candidate, dict):
            raise _Malformed(
                f"a target must be an object or an address, not a {json_kind(candidate)}"
            )
        if "selector" not in candidate:
            continue
        quote, position = _selectors(candidate["selector"], top_level=True)
        if quote is not None:
            return candidate, quote, position
    raise _Malformed("no target has a TextQuoteSelector (the quoted passage)")


def _selectors(
    value: Any, *, top_level: bool
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """First quote and position selectors, depth first through ``refinedBy``.

    Positions nested under ``refinedBy`` count from the start of the outer selection, not of
    the document, so only top-level ones are kept; the quote places the passage anyway.
    """
    quote = position = None
    for selector in value if isinstance(value, list) else [value]:
        if not isinstance(selector, dict):
            raise _Malformed(f"a selector must be an object, not a {json_kind(selector)}")
        kind = selector.get("type")
        if kind == "TextQuoteSelector" and quote is None:
            quote = selector
        elif kind == "TextPositionSelector" and top_level and position is None:
            position = selector
        if "refinedBy" in selector and quote is None:
            quote, _ = _selectors(selector["refinedBy"], top_level=False)
    return quote, position


def _quote_text(quote: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = quote.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _Malformed(f"TextQuoteSelector {key} must be a string, not a {json_kind(value)}")
    if required and not value:
        raise _Malformed(f"TextQuoteSelector {key} is empty")
    return value


def _position(selector: dict[str, Any]) -> tuple[int, int]:
    values = []
    for key in ("start", "end"):
        value = selector.get(key)
        # bool is an int subclass in Python, but true/false is no offset
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Malformed(
                f"TextPositionSelector {key} must be an integer, not a {json_kind(value)}"
            )
        values.append(value)
    start, end = values
    if start < 0 or end <= start:
        raise _Malformed(f"TextPositionSelector {start}–{end} is not a range (0 ≤ start < end)")
    return start, end


def _bodies(
    data: dict[str, Any],
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[EntityRef, ...]]:
    tags: list[str] = []
    notes: list[str] = []
    entities: list[EntityRef] = []
    motivations = _motivations(data)
    value = data.get("body")
    if value is None:
        bodies = []
    elif isinstance(value, dict):
        bodies = [value]
    elif isinstance(value, list):
        bodies = value
    else:
        raise _Malformed(f"body must be an object or a list of objects, not a {json_kind(value)}")
    for number, body in enumerate(bodies, start=1):
        if not isinstance(body, dict):
            raise _Malformed(f"body {number} must be an object, not a {json_kind(body)}")
        purpose = body.get("purpose")
        if purpose is not None and not isinstance(purpose, str):
            raise _Malformed(f"body {number} purpose must be a string, not a {json_kind(purpose)}")
        purpose = purpose or (motivations[0] if len(motivations) == 1 else None)
        if "value" in body:
            text = body["value"]
            if not isinstance(text, str):
                raise _Malformed(f"body {number} value must be a string, not a {json_kind(text)}")
            if text.strip():
                (tags if purpose == "tagging" else notes).append(text)
        elif "source" in body and purpose in _ENTITY_PURPOSES:
            entities.append(_entity_ref(body, number))
    _hypothesis_bodies(data, tags, notes)
    return tuple(tags), tuple(notes), tuple(entities)


def _hypothesis_bodies(data: dict[str, Any], tags: list[str], notes: list[str]) -> None:
    """W3C's ``bodyValue`` shorthand and Hypothesis' own ``text`` and ``tags`` fields."""
    for key in ("bodyValue", "text"):
        text = _text(data, key, key)
        if text and text.strip():
            notes.append(text)
    if "tags" in data:
        value = data["tags"]
        if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
            raise _Malformed("tags must be a list of strings")
        tags.extend(tag for tag in value if tag.strip())


def _entity_ref(body: dict[str, Any], number: int) -> EntityRef:
    where = f"body {number}"
    source = _text(body, "source", f"{where} source")
    if not source:
        raise _Malformed(f"{where} source is empty")
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


def _creator(data: dict[str, Any]) -> str | None:
    value = data.get("creator")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        for key in ("name", "nickname", "id"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key]
        return None
    if isinstance(value, str):
        return value
    if value is not None:
        raise _Malformed(f"creator must be an object or a string, not a {json_kind(value)}")
    user = _text(data, "user", "user")  # Hypothesis: "acct:name@hypothes.is"
    return user.removeprefix("acct:") if user else None


def _releasable(data: dict[str, Any]) -> bool:
    value = data.get("releasable", True)
    if not isinstance(value, bool):
        raise _Malformed(f"releasable must be true or false, not a {json_kind(value)}")
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
    raise _Malformed(f"{label} must be a string, not a {json_kind(value)}")


def type_names(data: dict[str, Any]) -> set[str]:
    value = data.get("type", data.get("@type"))
    values = value if isinstance(value, list) else [value]
    return {item for item in values if isinstance(item, str)}


def _motivations(data: dict[str, Any]) -> list[str]:
    value = data.get("motivation")
    values = value if isinstance(value, list) else [value]
    return [item for item in values if isinstance(item, str)]


def _is_web(address: str) -> bool:
    return address.startswith(("http://", "https://"))


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "object"
