"""Raw baselines of the interchange benchmark: the same records written and read with the
bare libraries (``sqlite3``, ``json``, ``csv``, ``xml.etree``, ``zipfile``).

Exports run one SQL query and write its rows; imports only parse the file (``json.loads``,
``ElementTree``, ``csv.reader``, splitting brat lines) and keep the records in memory — no
placement, matching, validation, change log or transaction, so they show the floor, not an
equivalent.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

_RAW_PASSAGES = """
    SELECT a.id, a.document_id, d.sha256, d.title, a.start, a."end", a.exact, a.prefix,
           a.suffix, c.name, a.note, a.author, a.created_at, a.updated_at
    FROM annotations a JOIN documents d ON d.id = a.document_id
    LEFT JOIN categories c ON c.id = a.category_id
    WHERE a.deleted_at IS NULL ORDER BY a.seq"""

# -- exports -----------------------------------------------------------------------------------


def raw_w3c(db: Path, out: Path) -> None:
    conn = sqlite3.connect(db)
    with out.open("w", encoding="utf-8") as handle:
        for row in conn.execute(_RAW_PASSAGES):
            item = {
                "id": f"urn:uuid:{row[0]}",
                "type": "Annotation",
                "target": {
                    "source": f"urn:uuid:{row[1]}",
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": row[6], "prefix": row[7],
                         "suffix": row[8]},
                        {"type": "TextPositionSelector", "start": row[4], "end": row[5]},
                    ],
                },
                "body": [{"type": "TextualBody", "purpose": "tagging", "value": row[9]}],
            }  # fmt: skip
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    conn.close()


def raw_csv(db: Path, out: Path) -> None:
    conn = sqlite3.connect(db)
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(conn.execute(_RAW_PASSAGES))
    conn.close()


def raw_brat(db: Path, out: Path) -> None:
    conn = sqlite3.connect(db)
    out.mkdir()
    lines: dict[str, list[str]] = {}
    for row in conn.execute(_RAW_PASSAGES):
        lines.setdefault(row[1], []).append(f"T{len(lines[row[1]]) + 1}\tX {row[4]} {row[5]}\t")
    for doc_id, body in conn.execute("SELECT id, body FROM documents"):
        (out / f"{doc_id}.txt").write_text(body, encoding="utf-8")
        (out / f"{doc_id}.ann").write_text("\n".join(lines.get(doc_id, [])), encoding="utf-8")
    conn.close()


def raw_ftm(db: Path, out: Path) -> None:
    conn = sqlite3.connect(db)
    with out.open("w", encoding="utf-8") as handle:
        for entity_id, kind, name in conn.execute("SELECT id, kind, name FROM entities"):
            item = {"id": entity_id, "schema": kind, "properties": {"name": [name]}}
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
        for mention_id, annotation_id, entity_id in conn.execute(
            "SELECT id, annotation_id, entity_id FROM mentions"
        ):
            item = {"id": mention_id, "schema": "Documentation",
                    "properties": {"document": [annotation_id], "entity": [entity_id]}}  # fmt: skip
            handle.write(json.dumps(item) + "\n")
    conn.close()


def raw_qdpx(db: Path, out: Path) -> None:
    """A REFI-QDA-shaped zip: one XML of sources, selections and codings (ElementTree) and
    each source's text."""
    conn = sqlite3.connect(db)
    project = ET.Element("Project", name="raw")
    codes = ET.SubElement(ET.SubElement(project, "CodeBook"), "Codes")
    for category_id, name in conn.execute("SELECT id, name FROM categories"):
        ET.SubElement(codes, "Code", guid=category_id, name=name, isCodable="true")
    sources = ET.SubElement(project, "Sources")
    by_document: dict[str, ET.Element] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for doc_id, title, body in conn.execute("SELECT id, title, body FROM documents"):
            by_document[doc_id] = ET.SubElement(
                sources, "TextSource", guid=doc_id, name=title,
                plainTextPath=f"internal://{doc_id}.txt",
            )  # fmt: skip
            archive.writestr(f"sources/{doc_id}.txt", body)
        for row in conn.execute(_RAW_PASSAGES):
            selection = ET.SubElement(
                by_document[row[1]], "PlainTextSelection", guid=row[0], name=row[6],
                startPosition=str(row[4]), endPosition=str(row[5]),
            )  # fmt: skip
            ET.SubElement(selection, "Coding", guid=f"c-{row[0]}").append(
                ET.Element("CodeRef", targetGUID=row[9] or "")
            )
        archive.writestr("project.qde", ET.tostring(project, encoding="utf-8"))
    conn.close()


# -- imports (parsing only) --------------------------------------------------------------------


def read_json_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return len([json.loads(line) for line in handle if line.strip()])


def read_csv(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return len(list(csv.reader(handle)))


def read_brat(folder: Path) -> int:
    spans = []
    for ann in sorted(folder.glob("*.ann")):
        text = (ann.with_suffix(".txt")).read_text(encoding="utf-8")
        for line in ann.read_text(encoding="utf-8").splitlines():
            key, _, rest = line.partition("\t")
            if key.startswith("T"):
                label, _, quote = rest.partition("\t")
                kind, *offsets = label.replace(";", " ").split(" ")
                spans.append((key, kind, [int(o) for o in offsets], quote, len(text)))
    return len(spans)


def read_qdpx(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        texts = [archive.read(name) for name in archive.namelist() if name.startswith("sources/")]
    selections = [e.attrib for e in root.iter() if e.tag.endswith("PlainTextSelection")]
    return len(selections) + 0 * len(texts)
