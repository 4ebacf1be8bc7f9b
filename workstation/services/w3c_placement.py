"""Where one imported W3C target goes in a document's text, or why it goes nowhere (issue 17).

In order: the recorded position when the quote is there, then quote with prefix and suffix
(``domain.anchoring.place_quote``), then — for tools that write no context, as Recogito
does — the quote alone when it occurs exactly once, first verbatim, then with every run of
whitespace (spaces, newlines) allowed to differ. A quote found twice or more with nothing to
tell the places apart is not guessed: the reason says so. A position with no quote counts
only in the very text it was made on: it is placed when the file names this document's text
(its sha256, or our document URN, whose text is never rewritten), never otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workstation.domain.anchoring import place_quote

if TYPE_CHECKING:
    from workstation.domain.records import Document
    from workstation.interchange.w3c_parse import W3CAnnotation

_MAX_QUOTE_WORDS = 2_000  # a longer quote is not turned into a pattern (no regex blow-up)


@dataclass(frozen=True)
class Spot:
    start: int
    end: int
    method: str  # "unchanged" (at its recorded position) or how it was found


def place_target(document: Document, item: W3CAnnotation) -> Spot | str:
    """The span ``item`` takes in ``document``, or the reason it cannot be placed there."""
    title = f"«{document.title}»"
    if item.unplaceable:
        return item.unplaceable
    if not item.exact:
        return _by_position_alone(document, item, title)
    placement = place_quote(
        document.body, item.exact, item.prefix, item.suffix, item.start, item.end
    )
    if placement is not None:
        return Spot(placement.start, placement.end, placement.method)
    spans = _unique_quote(document.body, item.exact)
    if isinstance(spans, tuple):
        return Spot(*spans, method="quote alone")
    if spans == 0:
        return f"quote not found in {title}"
    return f"quote occurs more than once in {title} and no prefix or suffix tells which"


def _by_position_alone(document: Document, item: W3CAnnotation, title: str) -> Spot | str:
    if item.start is None or item.end is None:
        return "no quote and no position to place it by"
    same_text = (
        (item.sha256 is not None and item.sha256 == document.sha256)
        or (item.document_id == document.id)
        or source_hash(item.source) == document.sha256
    )
    if not same_text:
        return (
            f"position {item.start}–{item.end} without a quote, and the file does not name "
            f"the text of {title} (its sha256 or document id): offsets in another copy differ"
        )
    if item.end > len(document.body):
        return f"position {item.start}–{item.end} is beyond the end of {title}"
    return Spot(item.start, item.end, "unchanged")


def source_hash(source: str) -> str | None:
    """The sha256 a source such as ``urn:sha256:<hex>`` or ``sha256:<hex>`` names."""
    lowered = source.lower()
    for prefix in ("urn:sha256:", "sha256:", "ni:///sha-256;"):
        if lowered.startswith(prefix):
            return lowered[len(prefix) :]
    return None


def _unique_quote(body: str, exact: str) -> tuple[int, int] | int:
    """The quote's one span in ``body``, else 0 (absent) or 2 (more than once: counting
    further is not needed)."""
    first = body.find(exact)
    if first >= 0:
        if body.find(exact, first + 1) >= 0:
            return 2
        return first, first + len(exact)
    words = exact.split()
    if not words or len(words) > _MAX_QUOTE_WORDS:
        return 0
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    matches = pattern.finditer(body)
    found = next(matches, None)
    if found is None:
        return 0
    if next(matches, None) is not None:
        return 2
    return found.start(), found.end()
