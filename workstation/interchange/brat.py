"""brat standoff export: a folder brat can open as a collection.

Per document, ``<slug>-<id8>.txt`` holds the stored body byte for byte (UTF-8, ``\\n``, no
BOM) and ``.ann`` beside it the passages: brat counts offsets in code points into that text,
exactly as the workspace does, so offsets are written unchanged. brat's text-bound lines
cannot hold a newline or a tab, so a passage crossing one becomes a discontinuous span whose
fragments stop at those characters. Notes become AnnotatorNotes, entity links become
normalisations (Wikidata when known, else the workspace entity id). A mention-only span (an
entity linked where no passage was marked, m012) is a text-bound ``Mention`` with its
normalisations: a link, not a passage of any category.

Types: brat (its visual.conf says so, and its verifier enforces it) takes only ASCII letters,
digits, ``_`` and ``-`` in a type, starting with a letter. A category name is transliterated
to ASCII (``Ответ: меры`` → ``Otvet_mery``), other characters become ``_``, and names that
come out alike are told apart by a suffix (``_2``…); the codebook's own names stay in
``visual.conf`` as each type's label, with the category's colour, so brat shows them and an
import can map the types back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from workstation.domain.records import Annotation, Category, Document, Entity, Mention
from workstation.domain.transliteration import latin
from workstation.interchange.bundle import ExportBundle, require
from workstation.interchange.files import replace_atomically

# Used when a passage has no category (brat needs a type for every span).
UNCATEGORISED_TYPE = "Passage"
# The type of a mention-only span: it names an entity and has no category.
MENTION_TYPE = "Mention"
# A category whose name keeps no letter or digit in ASCII ("😀", ":,").
UNNAMED_CATEGORY_TYPE = "Category"
# Before a type that would start with a digit, "-" or "_" (brat wants a letter first).
_LEADING_LETTER = "C_"
_LABELS = {UNCATEGORISED_TYPE: "Passage (no category)", MENTION_TYPE: "Mention (entity link)"}
INTERNAL_MARK = "[internal]"
_BRAT_BREAKS = re.compile(r"[\n\t]")
_NOT_TYPE_CHARS = re.compile(r"[^A-Za-z0-9_-]+")
_REPEATED_JOINERS = re.compile(r"_{2,}")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_LABEL_SYNTAX = str.maketrans({"|": "¦", "<": "‹", ">": "›"})
# A visual.conf of ours replaces brat's own, defaults included: these are its tutorials'.
_DRAWING_DEFAULTS = (
    "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\n"
    "ARC_DEFAULT\tcolor:black, dashArray:-, arrowHead:triangle-5, labelArrow:none\n"
    "ATTRIBUTE_DEFAULT\tglyph:*\n"
)
_NOT_SLUG_CHARS = re.compile(r"[^\w]+")
_SLUG_MAX = 40


def brat_type(category_name: str | None) -> str:
    """A category name as a valid brat type (``[A-Za-z][A-Za-z0-9_-]*``), before it is made
    unique: transliterated to ASCII, every run of other characters (spaces, ``: , | = < > !``
    and the like, which brat's configuration syntax gives meaning to) one ``_``; ``Passage``
    for no category, ``Category`` when nothing is left."""
    if not category_name:
        return UNCATEGORISED_TYPE
    cleaned = _NOT_TYPE_CHARS.sub("_", latin(unicodedata.normalize("NFC", category_name)))
    cleaned = _REPEATED_JOINERS.sub("_", cleaned).strip("_-")
    if not cleaned:
        return UNNAMED_CATEGORY_TYPE
    return cleaned if cleaned[0].isalpha() else _LEADING_LETTER + cleaned


@dataclass
class BratTypes:
    """The brat type of each live category, unique across the export (compared ignoring
    case, as people and some file systems do), with the names and colours to label them.
    ``Passage`` and ``Mention`` are ours and never given to a category."""

    by_category: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # type → the human name
    colours: dict[str, str] = field(default_factory=dict)  # type → #rrggbb

    @classmethod
    def of(cls, categories: list[Category]) -> BratTypes:
        types = cls()
        taken = {UNCATEGORISED_TYPE.casefold(), MENTION_TYPE.casefold()}
        for category in categories:
            base = brat_type(category.name)
            name, number = base, 1
            while name.casefold() in taken:
                number += 1
                name = f"{base}_{number}"
            taken.add(name.casefold())
            types.by_category[category.id] = name
            types.labels[name] = category.name
            if _COLOUR.fullmatch(category.colour):
                types.colours[name] = category.colour
        return types

    def of_span(self, annotation: Annotation) -> str:
        """``Mention`` for a mention-only span, else its category's type (``Passage`` for
        none, or a category deleted since)."""
        if annotation.mention_only:
            return MENTION_TYPE
        return self.by_category.get(annotation.category_id or "", UNCATEGORISED_TYPE)


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
    types: BratTypes,
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
        lines.append(f"{span_id}\t{types.of_span(annotation)} {offsets}\t{quoted}")
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


def brat_documents(bundle: ExportBundle, types: BratTypes) -> list[BratDocument]:
    entities = bundle.entities_by_id()
    mentions = bundle.mentions_by_annotation()
    passages = bundle.annotations_by_document()
    stems: set[str] = set()
    result = []
    for document in bundle.ordered_documents():
        if document.id not in passages:
            continue
        stem = _stem(document, stems)
        ann = brat_ann(types, document, passages[document.id], mentions, entities)
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


def annotation_conf(types: BratTypes, used_types: set[str]) -> str:
    names = list(types.labels)
    names += sorted(used_types - set(names))
    return (
        "# Written by the workstation: one entity type per codebook category.\n"
        "[entities]\n" + "".join(f"{name}\n" for name in names) + "\n[relations]\n"
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


def visual_conf(types: BratTypes, used_types: set[str]) -> str:
    """brat's display names: ``Type | Human name`` per category (and our two own types),
    with the category's colour. A label is one line, and brat's configuration syntax gives
    meaning to ``|`` (next label) and ``<…>`` (a macro: an unknown one makes brat drop the
    whole file), so those are shown as ``¦`` and ``‹ ›``."""
    labels = dict(types.labels)
    labels.update({name: _LABELS[name] for name in sorted(used_types) if name in _LABELS})
    lines = [f"{name} | {_label(label)}" for name, label in labels.items()]
    drawing = [f"{name}\tbgColor:{colour}" for name, colour in types.colours.items()]
    return (
        "# Written by the workstation: each brat type with the codebook's name for it.\n"
        "[labels]\n"
        + "".join(f"{line}\n" for line in lines)
        + "\n[drawing]\n"
        + _DRAWING_DEFAULTS
        + "".join(f"{line}\n" for line in drawing)
    )


def _label(name: str) -> str:
    return _one_line(name).translate(_LABEL_SYNTAX) or "(unnamed)"


def write_brat(bundle: ExportBundle, folder: Path) -> int:
    """Write one .txt/.ann pair per document with passages, plus brat's configuration files
    (annotation.conf, visual.conf, tools.conf); return the number of documents written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    types = BratTypes.of(bundle.ordered_categories())
    documents = brat_documents(bundle, types)
    for item in documents:
        _write(folder / f"{item.stem}.txt", item.text)
        _write(folder / f"{item.stem}.ann", item.ann)
    used_types = {types.of_span(a) for a in bundle.ordered_annotations()}
    _write(folder / "annotation.conf", annotation_conf(types, used_types))
    _write(folder / "visual.conf", visual_conf(types, used_types))
    _write(folder / "tools.conf", TOOLS_CONF)
    return len(documents)


def _write(path: Path, text: str) -> None:
    with replace_atomically(path) as handle:
        handle.write(text)
