"""brat standoff export: a folder brat can open as a collection.

Per document, ``<slug>-<id8>.txt`` holds the stored body byte for byte (UTF-8, ``\\n``, no
BOM) and ``.ann`` beside it the passages: brat counts offsets in code points into that text,
exactly as the workspace does, so offsets are written unchanged. brat's text-bound lines
cannot hold a newline or a tab, so a passage crossing one becomes a discontinuous span whose
fragments stop at those characters. Notes become AnnotatorNotes, entity links become
normalisations (Wikidata when known, else the workspace entity id). A mention-only span (an
entity linked where no passage was marked, m012) is a text-bound ``Mention`` with its
normalisations: a link, not a passage of any category.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from workstation.domain.records import Annotation, Document, Entity, Mention
from workstation.interchange.bundle import ExportBundle, require
from workstation.interchange.files import replace_atomically

# Used when a passage has no category (brat needs a type for every span).
UNCATEGORISED_TYPE = "Passage"
# The type of a mention-only span: it names an entity and has no category.
MENTION_TYPE = "Mention"
INTERNAL_MARK = "[internal]"
_BRAT_BREAKS = re.compile(r"[\n\t]")
_NOT_TYPE_CHARS = re.compile(r"[^\w-]")
_NOT_SLUG_CHARS = re.compile(r"[^\w]+")
_SLUG_MAX = 40


def brat_type(category_name: str | None) -> str:
    """A category name as a brat type: spaces become ``_``, characters brat's configuration
    syntax gives meaning to (``: , | = < > !`` and the like) are dropped."""
    if not category_name:
        return UNCATEGORISED_TYPE
    cleaned = _NOT_TYPE_CHARS.sub("", "_".join(category_name.split()))
    return cleaned or UNCATEGORISED_TYPE


def span_type(bundle: ExportBundle, annotation: Annotation) -> str:
    """The brat type of an annotation: ``Mention`` for a mention-only span, else its
    category's."""
    if annotation.mention_only:
        return MENTION_TYPE
    return brat_type(bundle.category_name(annotation))


def fragments(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span ``start``–``end`` cut at newlines and tabs, without empty pieces."""
    pieces = []
    cursor = start
    for match in _BRAT_BREAKS.finditer(body, start, end):
        if match.start() > cursor:
            pieces.append((cursor, match.start()))
        cursor = match.end()
    if end > cursor:
        pieces.append((cursor, end))
    return pieces


def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class BratDocument:
    """One document's pair of files, as text."""

    stem: str
    text: str
    ann: str


def brat_ann(
    bundle: ExportBundle,
    document: Document,
    annotations: list[Annotation],
    mentions: dict[str, list[Mention]],
    entities: dict[str, Entity],
) -> str:
    """The ``.ann`` file of one document."""
    lines: list[str] = []
    note_count = norm_count = 0
    span_count = 0
    for annotation in annotations:
        if not 0 <= annotation.start < annotation.end <= len(document.body):
            raise ValueError(
                f"passage {annotation.id} ({annotation.start}–{annotation.end}) does not fit"
                f" document {document.id} of {len(document.body)} characters"
            )
        pieces = fragments(document.body, annotation.start, annotation.end)
        if not pieces:
            continue  # only whitespace breaks: nothing brat could show
        span_count += 1
        span_id = f"T{span_count}"
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        # brat checks this field against the .txt, so it is built from the body itself.
        quoted = " ".join(document.body[s:e] for s, e in pieces)
        lines.append(f"{span_id}\t{span_type(bundle, annotation)} {offsets}\t{quoted}")
        note = _one_line(annotation.note)
        if not annotation.releasable:
            # brat has no place for the flag; keep internal passages recognisable as such.
            note = f"{INTERNAL_MARK} {note}".strip()
        if note:
            note_count += 1
            lines.append(f"#{note_count}\tAnnotatorNotes {span_id}\t{note}")
        for mention in mentions.get(annotation.id, []):
            entity = require(entities, mention.entity_id, "entity")
            reference = (
                f"Wikidata:{entity.wikidata_id}"
                if entity.wikidata_id
                else f"Workstation:{entity.id}"
            )
            norm_count += 1
            lines.append(
                f"N{norm_count}\tReference {span_id} {reference}\t{_one_line(entity.name)}"
            )
    return "".join(line + "\n" for line in lines)


def brat_documents(bundle: ExportBundle) -> list[BratDocument]:
    entities = bundle.entities_by_id()
    mentions = bundle.mentions_by_annotation()
    passages = bundle.annotations_by_document()
    stems: set[str] = set()
    result = []
    for document in bundle.ordered_documents():
        if document.id not in passages:
            continue
        stem = _stem(document, stems)
        ann = brat_ann(bundle, document, passages[document.id], mentions, entities)
        result.append(BratDocument(stem, document.body, ann))
    return result


def _stem(document: Document, taken: set[str]) -> str:
    slug = _NOT_SLUG_CHARS.sub("-", unicodedata.normalize("NFKC", document.title).casefold())
    slug = slug.strip("-_")[:_SLUG_MAX].strip("-_") or "document"
    stem = f"{slug}-{document.id[:8]}"
    if stem in taken:  # two same-titled documents whose ids share 8 characters
        stem = f"{slug}-{document.id}"
    taken.add(stem)
    return stem


def annotation_conf(bundle: ExportBundle, used_types: set[str]) -> str:
    types = [brat_type(c.name) for c in bundle.ordered_categories()]
    types += sorted(used_types - set(types))
    unique = list(dict.fromkeys(types))
    return (
        "# Written by the workstation: one entity type per codebook category.\n"
        "[entities]\n" + "".join(f"{name}\n" for name in unique) + "\n[relations]\n"
        "# Passages may overlap or nest in any way.\n"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n"
        "\n[events]\n"
        "\n[attributes]\n"
    )


TOOLS_CONF = (
    "# Written by the workstation: where entity references point.\n"
    "[normalization]\n"
    "Wikidata\t<URL>:https://www.wikidata.org/wiki/%s, <URLBASE>:https://www.wikidata.org/\n"
    "Workstation\t<URL>:urn:uuid:%s, <URLBASE>:urn:uuid:\n"
)


def write_brat(bundle: ExportBundle, folder: Path) -> int:
    """Write one .txt/.ann pair per document with passages, plus the two brat configuration
    files; return the number of documents written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    documents = brat_documents(bundle)
    for item in documents:
        _write(folder / f"{item.stem}.txt", item.text)
        _write(folder / f"{item.stem}.ann", item.ann)
    used_types = {span_type(bundle, a) for a in bundle.ordered_annotations()}
    _write(folder / "annotation.conf", annotation_conf(bundle, used_types))
    _write(folder / "tools.conf", TOOLS_CONF)
    return len(documents)


def _write(path: Path, text: str) -> None:
    with replace_atomically(path) as handle:
        handle.write(text)
