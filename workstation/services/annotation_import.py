"""Importing annotations and entities made elsewhere: W3C Web Annotations, FtM entities.

Each annotation finds its document by text hash, by our document URN or by web address; it
is placed at its recorded position when the quote is there, otherwise re-anchored by quote,
prefix and suffix; what fits nowhere is kept whole as an orphan for review. Entities are
matched by id, Wikidata id, then name or alias, and created only when nothing matches.
Lines that cannot be read are reported by number; the others are imported regardless.

The W3C part is ``services.w3c_import`` (issue 17: every target, replies, page notes,
tags, foreign ids); FtM is ``services.ftm_import``.

Nothing in the file is believed (docs/architecture.md, "Trust boundaries"):

- Claimed authors and times are kept as claims, the importing officer and the import time
  recorded beside them (``imported_by``, ``imported_at``); a time in the future is kept only
  as a claim (``domain.claims``).
- An id that is no UUID becomes a new UUID, the original kept in ``claimed``. A UUID naming
  a record of another kind, or a passage of another document (or another passage of the
  same one), refuses that line: it would otherwise link entities to a colleague's passage.
- Names a matched entity would gain are held back unless they agree with its own
  (``services.entity_index``); they are listed for the officer, never applied.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.domain.offsets import TextSelector
from workstation.domain.records import Annotation, Document, Orphan
from workstation.interchange.errors import InterchangeError
from workstation.services.annotation_files import (
    MAX_BYTES,
    read_annotation_file,
    read_annotation_pieces,
)
from workstation.services.annotation_report import AnnotationImportReport
from workstation.services.errors import ServiceError
from workstation.services.ftm_import import FtmImport
from workstation.services.import_chunks import CHUNK, ImportCancelled
from workstation.services.w3c_import import W3CImport, from_payload
from workstation.services.w3c_terms import UNKNOWN_TAG_POLICIES, TermResolver

if TYPE_CHECKING:
    from workstation.services.session import Session

__all__ = [
    "CHUNK",
    "MAX_BYTES",
    "UNKNOWN_TAG_POLICIES",
    "AnnotationImportReport",
    "ImportCancelled",
    "annotation_from_orphan",
    "import_annotations",
    "read_annotation_file",
    "unknown_tags",
]


def import_annotations(
    session: Session,
    path: Path | str,
    *,
    progress: Callable[[int], None] | None = None,
    text: str | None = None,
    unknown_tags: str = "keep",
    document_id: str | None = None,
) -> AnnotationImportReport:
    """Import a W3C (JSON, JSON Lines, collection) or FtM JSON Lines file.

    ``unknown_tags``: what a W3C tag naming no category becomes (``keep``: a tag; ``create``:
    a category; ``skip``: nothing, listed). ``document_id``: every W3C annotation of the file
    belongs to this document, whatever its ``source`` says (ServiceError if there is none).

    ``text``: the file's content when the caller read it already (``read_annotation_file``,
    as the CLI does before it opens the workspace). ``progress(items_done)`` is called after
    each chunk's commit; raising ``ImportCancelled`` from it stops the import there: the
    chunks stored stay (whole), the report says so.
    """
    from workstation.interchange.w3c_read import piece_lines

    path = Path(path)
    document = _pointed_at(session, document_id)
    if unknown_tags not in UNKNOWN_TAG_POLICIES:
        raise ServiceError(f"--unknown-tags must be one of {', '.join(UNKNOWN_TAG_POLICIES)}")
    # Never one 50 MB string when this reads the file (a worker, for the GUI): see
    # read_annotation_pieces.
    pieces = read_annotation_pieces(path) if text is None else [text]
    report = AnnotationImportReport(path)
    report.progress = progress
    if _looks_like_ftm(piece_lines(pieces)):
        from workstation.interchange.ftm_parse import iter_ftm_lines

        report.format = "ftm"
        FtmImport(session, report).run(iter_ftm_lines(piece_lines(pieces)))
    else:
        from workstation.interchange.w3c_read import iter_w3c_pieces

        report.format = "w3c"
        importer = W3CImport(session, report, unknown_tags=unknown_tags, document=document)
        importer.run(iter_w3c_pieces(pieces))
    return report


def _pointed_at(session: Session, document_id: str | None) -> Document | None:
    if document_id is None:
        return None
    document = session.workspace.records.get(Document, document_id)
    if document is None:
        raise ServiceError(f"no document {document_id} in this workspace")
    return document


def unknown_tags(session: Session, path: Path | str, *, text: str | None = None) -> list[str]:
    """The W3C tags of the file that name no category here, in order of first sight (for
    the GUI to ask about before importing). An FtM or unreadable file has none."""
    from workstation.interchange.w3c_read import iter_w3c_pieces, piece_lines

    pieces = read_annotation_pieces(Path(path)) if text is None else [text]
    if _looks_like_ftm(piece_lines(pieces)):
        return []
    resolver = TermResolver(session)
    found: dict[str, None] = {}
    for item in iter_w3c_pieces(pieces):
        if isinstance(item, InterchangeError):
            continue  # the import reports it
        for tag in resolver.unknown(item):
            found.setdefault(" ".join(tag.split()))
    return list(found)


def annotation_from_orphan(
    session: Session, orphan: Orphan, document: Document, selector: TextSelector
) -> Annotation:
    """The passage an imported orphan becomes once the officer chose where it belongs
    (inside the caller's transaction)."""
    parsed = from_payload(orphan.payload)
    if parsed is None:  # kept, but not in a form we read: place the quote alone
        passage = Annotation(document_id=document.id, **selector.fields())
        return session.workspace.records.insert(passage)
    importer = W3CImport(session, AnnotationImportReport(Path(orphan.source)))
    return importer.create(parsed, document, selector)


def _looks_like_ftm(lines: Iterable[str]) -> bool:
    """FtM lines are objects with a ``schema``; W3C annotations are typed ``Annotation``
    (OpenSanctions lines carry a boolean ``target`` key, so that key decides nothing)."""
    from workstation.interchange.json_text import UnreadableJson, load_json

    for raw in itertools.islice(lines, 50):  # not text.split: 88k lines at once
        raw = raw.strip()
        if not raw:
            continue
        if not raw.startswith("{"):
            return False
        try:
            data = load_json(raw)
        except UnreadableJson:  # the reader reports it with its line number
            continue
        return isinstance(data, dict) and "schema" in data and data.get("type") != "Annotation"
    return False
