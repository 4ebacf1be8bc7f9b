"""W3C Web Annotation export: one JSON-LD annotation per line (JSON Lines).

Each line is self-contained: its ``@context`` is the W3C context plus our extension terms
(sha256, releasable, role, kind, wikidata...) inlined from resources/interchange/
workstation.jsonld, so a reader needs neither network nor our files to expand it. Offsets in
the TextPositionSelector are code points into the stored body, as the W3C model counts them.
The profile is pinned by resources/interchange/w3c-profile.schema.json (``validate_w3c``).

The W3C model's SHOULDs are kept (the W3C test suite's SHOULD rows; a test runs the suite on
an export): every creator has a stable IRI (``author_iri``: the same name gives the same IRI on
every machine and in every export), a name and a nickname; every annotation has one
``motivation``; text bodies say their ``format`` and, when the exporter says what language
notes and category names are written in (``ExportBundle.body_language``), their ``language``;
the target says it is ``text/plain`` in the document's language; a ``generator`` names the
workstation and its version.

A mention-only span (an entity linked outside any passage, m012) is exported too, as an
annotation whose ``motivation`` is ``identifying`` (its bodies name the entities): a link, not
a passage, and read back as one (``w3c_parse``). A passage's motivation says what it mainly
does: ``classifying`` (it has a category), else ``tagging``, ``commenting`` or, a bare
highlight, ``highlighting`` — never ``identifying``, which would read back as a mention.

A document's note (m015) is exported as a page note: motivation ``commenting``, a target
naming the document with no selector, the note as its one TextualBody; its id is derived
from the document's (``page_note_id``), so every export gives the same id and an import of
our own export recognises it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workstation import __version__
from workstation.domain.records import Annotation, Document, Entity, Mention
from workstation.interchange.bundle import ExportBundle, require
from workstation.interchange.files import interchange_resource, replace_atomically

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# The motivation of a mention-only span: it identifies an entity; it classifies nothing.
MENTION_MOTIVATION = "identifying"
# What a passage mainly does, in the W3C motivation vocabulary (first that applies).
CLASSIFYING = "classifying"
TAGGING = "tagging"
COMMENTING = "commenting"
HIGHLIGHTING = "highlighting"
# Stored bodies, notes and category names are plain text: offsets count into exactly that.
PLAIN_TEXT = "text/plain"
AUTHOR_IRI_PREFIX = "urn:workstation:author:"
# The W3C suite checks a language by its start only; a stored value is written when it is a
# BCP 47 tag at all (a foreign import may have stored anything).
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
GENERATOR: dict[str, str] = {
    "id": f"urn:workstation:software:{__version__}",
    "type": "Software",
    "name": "workstation",
    "nickname": "workstation",
    "version": __version__,
}
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
EXTENSION_CONTEXT_FILE = "workstation.jsonld"
PROFILE_SCHEMA_FILE = "w3c-profile.schema.json"


def urn(record_id: str) -> str:
    return f"urn:uuid:{record_id}"


@functools.cache
def _extension_context_text() -> str:
    return interchange_resource(EXTENSION_CONTEXT_FILE).read_text(encoding="utf-8")


def extension_context() -> dict[str, Any]:
    """Our JSON-LD term definitions (a fresh copy: callers may not alter the shared one)."""
    return json.loads(_extension_context_text())["@context"]


@functools.cache
def _shared_extension_context() -> dict[str, Any]:
    # One parsed copy for every exported line: parsing it per line was a quarter of the
    # export's time at 100k passages. Only ever serialised, never altered.
    return extension_context()


def author_iri(name: str) -> str:
    """A stable IRI for an author name: the same on every machine and in every export, so a
    reader can tell one officer's annotations from another's without our workspace. The name
    is hashed (NFC, outer spaces trimmed) because an IRI must not carry spaces or, for the
    suite's ``format: uri`` check, non-ASCII letters."""
    canonical = unicodedata.normalize("NFC", name.strip())
    return AUTHOR_IRI_PREFIX + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def creator_agent(name: str) -> dict[str, str]:
    return {"id": author_iri(name), "type": "Person", "name": name, "nickname": name}


def language_tag(value: str | None) -> str | None:
    """``value`` when it is a BCP 47 language tag, else None (never claim a language)."""
    return value if value and _LANGUAGE_TAG.fullmatch(value) else None


def motivation(annotation: Annotation, category: str | None) -> str:
    """The one W3C motivation of an annotation: what it mainly does (module docstring)."""
    if annotation.mention_only:
        return MENTION_MOTIVATION
    if category:
        return CLASSIFYING
    if any(tag.strip() for tag in annotation.tags):
        return TAGGING
    if annotation.note:
        return COMMENTING
    return HIGHLIGHTING


def utc_timestamp(value: str) -> str | None:
    """A stored ISO 8601 timestamp as UTC with a ``Z``; naive values are taken as UTC."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat().replace("+00:00", "Z")


def w3c_annotation(
    bundle: ExportBundle,
    annotation: Annotation,
    document: Document,
    mentions: list[Mention],
    entities: dict[str, Entity],
) -> dict[str, Any]:
    """The JSON-LD object for one passage."""
    item: dict[str, Any] = {
        "@context": [W3C_CONTEXT, _shared_extension_context()],
        "id": urn(annotation.id),
        "type": "Annotation",
    }
    item["motivation"] = motivation(annotation, bundle.category_name(annotation))
    for key, stamp in (("created", annotation.created_at), ("modified", annotation.updated_at)):
        converted = utc_timestamp(stamp)
        if converted:
            item[key] = converted
    if annotation.author:
        item["creator"] = creator_agent(annotation.author)
    item["generator"] = GENERATOR
    target = _document_target(document)
    target["selector"] = [
        {
            "type": "TextQuoteSelector",
            "exact": annotation.exact,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
        },
        {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
    ]
    item["target"] = target
    body = _bodies(bundle, annotation, mentions, entities)
    if body:
        item["body"] = body
    item["releasable"] = bool(annotation.releasable)
    return item


def _bodies(
    bundle: ExportBundle,
    annotation: Annotation,
    mentions: list[Mention],
    entities: dict[str, Entity],
) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    language = language_tag(bundle.body_language)
    category = bundle.category_name(annotation)
    # The category first: a reader taking the first tag that names a category gets it back.
    tags = ([category] if category else []) + [t for t in annotation.tags if t.strip()]
    for tag in dict.fromkeys(tags):
        bodies.append(_text_body(TAGGING, tag, language))
    if annotation.note:
        bodies.append(_text_body(COMMENTING, annotation.note, language))
    for mention in mentions:
        entity = require(entities, mention.entity_id, "entity")
        linked: dict[str, Any] = {
            "type": "SpecificResource",
            "purpose": "identifying",
            "source": urn(entity.id),
            "name": entity.name,
            "kind": entity.kind,
            "role": mention.role,
        }
        if entity.wikidata_id:
            linked["wikidata"] = WIKIDATA_ENTITY + entity.wikidata_id
        bodies.append(linked)
    return bodies


def _text_body(purpose: str, value: str, language: str | None) -> dict[str, Any]:
    body = {"type": "TextualBody", "purpose": purpose, "value": value, "format": PLAIN_TEXT}
    if language:
        body["language"] = language
    return body


def page_note_id(document: Document) -> str:
    """The id of a document's page note: the same in every export of that document."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{urn(document.id)}#note"))


def w3c_page_note(bundle: ExportBundle, document: Document) -> dict[str, Any]:
    """The JSON-LD object for a document's note: a page note (no selector)."""
    item: dict[str, Any] = {
        "@context": [W3C_CONTEXT, _shared_extension_context()],
        "id": urn(page_note_id(document)),
        "type": "Annotation",
        "motivation": COMMENTING,
    }
    modified = utc_timestamp(document.updated_at)
    if modified:
        item["modified"] = modified
    if document.author:
        item["creator"] = creator_agent(document.author)
    item["generator"] = GENERATOR
    target = _document_target(document)
    item["target"] = target
    item["body"] = [_text_body(COMMENTING, document.note, language_tag(bundle.body_language))]
    # An officer's working note on the article: never reviewed for release (passages are).
    item["releasable"] = False
    return item


def w3c_annotations(bundle: ExportBundle) -> list[dict[str, Any]]:
    """Every passage of the bundle as a JSON-LD object, in export order, then the page
    notes of the documents that have a note."""
    passages = [w3c_annotation(bundle, *passage) for passage in bundle.passages()]
    notes = [w3c_page_note(bundle, d) for d in bundle.ordered_documents() if d.note.strip()]
    return passages + notes


def w3c_line(item: dict[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def write_w3c(bundle: ExportBundle, path: Path) -> int:
    """Write the bundle's passages and page notes as W3C JSON Lines; return how many
    annotations were written."""
    items = w3c_annotations(bundle)
    with replace_atomically(Path(path)) as handle:
        for item in items:
            handle.write(w3c_line(item) + "\n")
    return len(items)


# ----- validation against the shipped profile --------------------------------------------


@functools.cache
def _profile_validator():
    # jsonschema is imported here, on first validation, to keep it out of start-up.
    from jsonschema import Draft202012Validator

    schema = json.loads(interchange_resource(PROFILE_SCHEMA_FILE).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_w3c(item: Any) -> list[str]:
    """Every way ``item`` departs from our W3C profile, as ``"path: message"``; empty if valid.

    Beyond the JSON Schema, the selectors must agree: start < end and the quote spans exactly
    end - start code points.
    """
    problems = []
    for error in _profile_validator().iter_errors(item):
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        problems.append(f"{where}: {error.message}")
    problems.sort()
    if problems:
        return problems
    if "selector" not in item["target"]:
        return problems  # a page note: nothing to place
    quote, position = item["target"]["selector"]
    start, end = position["start"], position["end"]
    if start >= end:
        problems.append(f"target/selector/1: start {start} is not before end {end}")
    elif len(quote["exact"]) != end - start:
        problems.append(
            f"target/selector: the quote has {len(quote['exact'])} code points"
            f" but the position spans {end - start}"
        )
    return problems


def _document_target(document: Document) -> dict[str, Any]:
    """The document as a W3C target without a selector: the source every annotation on it
    names (a passage adds its selectors; a page note stands as it is)."""
    target: dict[str, Any] = {
        "source": urn(document.id),
        "sha256": document.sha256,
        "title": document.title,
    }
    if document.url:
        target["url"] = document.url
    target["format"] = PLAIN_TEXT
    language = language_tag(document.language)
    if language:
        target["language"] = language
    return target
