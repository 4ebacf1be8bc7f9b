"""CSV export: one row per passage, for spreadsheets. Mention-only spans (an entity linked
where no passage was marked, m012) have rows too, with ``mention_only`` "yes": filter on it to
count passages.

Written as UTF-8 with a byte-order mark, because Excel reads BOM-less CSV in the local
code page and would garble Cyrillic names. Rows follow the bundle's export order.
"""

from __future__ import annotations

import csv
from pathlib import Path

from workstation.domain.records import Annotation, Document, Entity, Mention
from workstation.interchange.bundle import ExportBundle, require
from workstation.interchange.files import replace_atomically
from workstation.interchange.w3c import utc_timestamp

CSV_COLUMNS = (
    "document_id",
    "document_title",
    "url",
    "start",
    "end",
    "quote",
    "category",
    "mention_only",
    "note",
    "entities",
    "releasable",
    "author",
    "created",
    "modified",
)

# Formula injection (CWE-1236): a spreadsheet evaluates a cell starting with one of these as
# a formula, so a quote such as "=HYPERLINK(...)" taken from a hostile article would run when
# an analyst opens the export. A leading apostrophe makes the cell plain text, as OWASP
# recommends; it is visible in the raw file, which is the price of opening it safely.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def entities_cell(mentions: list[Mention], entities: dict[str, Entity]) -> str:
    """``Name (role); Name (role)`` in the bundle's mention order."""
    return "; ".join(
        f"{require(entities, m.entity_id, 'entity').name} ({m.role})" for m in mentions
    )


def csv_row(
    bundle: ExportBundle,
    annotation: Annotation,
    document: Document,
    mentions: list[Mention],
    entities: dict[str, Entity],
) -> list[str | int]:
    texts = {
        "document_id": document.id,
        "document_title": document.title,
        "url": document.url or "",
        "quote": annotation.exact,
        "category": bundle.category_name(annotation) or "",
        "mention_only": "yes" if annotation.mention_only else "no",
        "note": annotation.note,
        "entities": entities_cell(mentions, entities),
        "releasable": "yes" if annotation.releasable else "no",
        "author": annotation.author,
        "created": utc_timestamp(annotation.created_at) or "",
        "modified": utc_timestamp(annotation.updated_at) or "",
    }
    numbers = {"start": annotation.start, "end": annotation.end}
    return [
        numbers[column] if column in numbers else neutralise_formula(texts[column])
        for column in CSV_COLUMNS
    ]


def csv_rows(bundle: ExportBundle) -> list[list[str | int]]:
    """The data rows (without the header), in export order."""
    return [csv_row(bundle, *passage) for passage in bundle.passages()]


def write_csv(bundle: ExportBundle, path: Path) -> int:
    """Write the header and one row per passage; return the number of passages."""
    rows = csv_rows(bundle)
    # newline="" (set by replace_atomically) lets the csv module write its own \r\n and keep
    # newlines inside quoted cells intact.
    with replace_atomically(Path(path), encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
    return len(rows)
