"""The targets of one W3C Web Annotation, each read on its own (issue 17).

An annotation may have several targets; each becomes one ``Target`` and, later, one passage
(or one orphan, note or reply): none is dropped. A target is one of:

- a **passage**: a quote (a TextQuoteSelector at top level, or refining a Range, XPath, CSS
  or Fragment selector) and perhaps a top-level position; or a position alone, which only
  counts in a text known to be the same (the service checks the text hash);
- **unplaceable**: selectors that name no text we can find (XPath or Range alone, a
  position relative to a fragment); kept with the reason;
- a **page note**: the page itself (a bare address, or a source with no selector);
- a **reply**: another annotation (``motivation: replying``, Hypothesis' ``references``,
  or a target naming only an ``id``, as Recogito's linking annotations do).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

PASSAGE = "passage"
PAGE_NOTE = "page note"
REPLY = "reply"


class Malformed(Exception):
    """A field of the wrong type; the message says which (w3c_parse adds the line)."""


@dataclass(frozen=True)
class Target:
    kind: str  # PASSAGE | PAGE_NOTE | REPLY
    source: str = ""  # the annotated document's address ("" when the target names none)
    sha256: str | None = None
    url: str | None = None
    title: str | None = None
    quote: dict[str, Any] | None = None
    position: tuple[int, int] | None = None  # top-level only: code points, end exclusive
    unplaceable: str = ""  # why a passage target cannot be placed, when it cannot
    answers: str | None = None  # REPLY: the id of the annotation it answers


def targets(data: dict[str, Any], motivations: list[str]) -> list[Target]:
    """Every target of ``data``, in order; Malformed when one has the wrong type."""
    if "target" not in data:
        raise Malformed("no target")
    value = data["target"]
    candidates = value if isinstance(value, list) else [value]
    if not candidates:
        raise Malformed("no target")
    fallback_source = _text(data, "uri", "uri") or ""  # Hypothesis
    replying = "replying" in motivations
    references = data.get("references")  # Hypothesis: [root, ..., parent]
    if isinstance(references, list) and references and isinstance(references[-1], str):
        return [Target(REPLY, source=fallback_source, answers=references[-1])]
    return [_target(one, fallback_source, replying) for one in candidates]


def _target(value: Any, fallback_source: str, replying: bool) -> Target:
    if isinstance(value, str):
        return Target(REPLY, answers=value) if replying else Target(PAGE_NOTE, source=value)
    if not isinstance(value, dict):
        raise Malformed(f"a target must be an object or an address, not a {json_kind(value)}")
    source = _source(value) or ""
    if "selector" not in value:
        own_id = _text(value, "id", "target id")
        if replying and (source or own_id):
            return Target(REPLY, answers=source or own_id)
        if not source and own_id:  # Recogito's linking annotation: targets are annotations
            return Target(REPLY, answers=own_id)
        if not (source or fallback_source):
            raise Malformed("a target names neither a source nor a selector")
    source = source or fallback_source
    common = Target(
        PAGE_NOTE,
        source=source,
        sha256=_text(value, "sha256", "target sha256"),
        url=_text(value, "url", "target url") or (source if is_web(source) else None),
        title=_text(value, "title", "target title"),
    )
    if "selector" not in value:
        return common
    quote, position, seen = _selectors(value["selector"], top_level=True)
    if quote is not None or position is not None:
        return replace(common, kind=PASSAGE, quote=quote, position=position)
    kinds = ", ".join(sorted(seen)) or "no known selector"
    why = f"selected by {kinds} only: no quote or text position to place it by"
    return replace(common, kind=PASSAGE, unplaceable=why)


def _source(value: dict[str, Any]) -> str | None:
    source = value.get("source")
    if isinstance(source, dict):  # an embedded resource: its id is its address
        source = source.get("id")
    if source is None or isinstance(source, str):
        return source
    raise Malformed(f"target source must be a string, not a {json_kind(source)}")


def _selectors(
    value: Any, *, top_level: bool
) -> tuple[dict[str, Any] | None, tuple[int, int] | None, set[str]]:
    """First quote and position selectors and every selector type seen, depth first through
    ``refinedBy`` (and a RangeSelector's start and end selectors, for the types seen).

    Positions nested under ``refinedBy`` count from the start of the outer selection, not of
    the document, so only top-level ones are kept; the quote places the passage anyway.
    """
    quote: dict[str, Any] | None = None
    position: tuple[int, int] | None = None
    seen: set[str] = set()
    for selector in value if isinstance(value, list) else [value]:
        if not isinstance(selector, dict):
            raise Malformed(f"a selector must be an object, not a {json_kind(selector)}")
        kind = selector.get("type")
        if isinstance(kind, str):
            seen.add(kind if top_level else f"{kind} (refining)")
        if kind == "TextQuoteSelector" and quote is None:
            quote = selector
        elif kind == "TextPositionSelector" and top_level and position is None:
            position = _position(selector)
        if "refinedBy" in selector and quote is None:
            quote, _, nested = _selectors(selector["refinedBy"], top_level=False)
            seen |= nested
    return quote, position, seen


def _position(selector: dict[str, Any]) -> tuple[int, int]:
    values = []
    for key in ("start", "end"):
        value = selector.get(key)
        # bool is an int subclass in Python, but true/false is no offset
        if not isinstance(value, int) or isinstance(value, bool):
            raise Malformed(
                f"TextPositionSelector {key} must be an integer, not a {json_kind(value)}"
            )
        values.append(value)
    start, end = values
    if start < 0 or end <= start:
        raise Malformed(f"TextPositionSelector {start}–{end} is not a range (0 ≤ start < end)")
    return start, end


def _text(data: dict[str, Any], key: str, label: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise Malformed(f"{label} must be a string, not a {json_kind(value)}")


def is_web(address: str) -> bool:
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
