"""How good are mention suggestions? Precision and recall against hand labels.

Builds a scratch workspace holding the sample episode (its two articles, with the officer's
passages), adds the people ``tests/data/suggest/labels.json`` lists under ``entities``,
imports the hand-labelled test articles, makes each document's ``links`` (what the officer
linked before looking at the queue), and compares ``suggest`` with the labels:

- a suggestion is right when it overlaps a labelled mention of the same entity (each label
  counted once); any other suggestion is wrong, and one overlapping a labelled negative (a
  dateline, "went back to Washington") is also counted under "negatives hit";
- a label inside a passage already linked to its entity is not counted (there is nothing to
  suggest there).

Run: ``.venv/bin/python -m bench.suggest_quality`` (``--details`` lists the misses and the
wrong suggestions). It needs only ``workstation.services``, ``workstation.importers`` and
``workstation.storage.suggestions``, so it also runs against an older tree: from a worktree
of it, ``PYTHONPATH=<worktree> python <this file>`` (the header says which code it measured).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workstation.services import Session

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "suggest" / "labels.json"


def _entities(session: Session) -> list[Any]:
    registry: Any = session.entities  # older trees name list_entities() list()
    lister = getattr(registry, "list_entities", None) or registry.list
    return list(lister())


def evaluate(session: Session, labels_path: Path = LABELS) -> dict[str, Any]:
    """Per corpus (and "all"): labelled, suggested, right, found, negatives hit, and the
    misses and wrong suggestions. ``session`` holds the sample episode and nothing else."""
    from workstation.importers import read_document
    from workstation.services.suggestions import suggest
    from workstation.storage import suggestions as queries

    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    folder = labels_path.parent
    for spec in labels.get("entities", ()):
        session.entities.create(spec["kind"], spec["name"], aliases=spec.get("aliases", []))
    by_name = {entity.name: entity.id for entity in _entities(session)}
    sample_ids = _sample_documents(session)
    totals: dict[str, Counter] = {}
    details: dict[str, list[tuple[Any, ...]]] = {"misses": [], "wrong": []}
    for item in labels["documents"]:
        corpus = item["corpus"]
        if corpus == "sample":
            doc_id = sample_ids[item["file"]]
        else:
            doc_id = session.documents.add(read_document(folder / item["file"])).record.id
        body = session.documents.get(doc_id).body
        for link in item.get("links", ()):
            assert body[link["start"] : link["end"]] == link["text"], link
            passage = session.annotations.create(doc_id, link["start"], link["end"]).record
            session.entities.link(passage.id, by_name[link["entity"]], "mentioned")
        linked = [
            (start, end, entity_id)
            for _doc, start, end, entity_id in queries.linked_spans(session.workspace, [doc_id])
        ]
        gold = []
        for mention in item["mentions"]:
            assert body[mention["start"] : mention["end"]] == mention["text"], mention
            entity_id = by_name[mention["entity"]]
            if not any(
                e == entity_id and a <= mention["start"] and mention["end"] <= b
                for a, b, e in linked
            ):
                gold.append(mention)
        negatives = item.get("negatives", ())
        count = totals.setdefault(corpus, Counter())
        used: set[int] = set()
        for s in suggest(session, doc_id):
            count["suggested"] += 1
            hit = next(
                (
                    i
                    for i, m in enumerate(gold)
                    if i not in used
                    and m["entity"] == s.entity_name
                    and m["start"] < s.end
                    and s.start < m["end"]
                ),
                None,
            )
            if hit is not None:
                used.add(hit)
                count["right"] += 1
                continue
            negative = any(n["start"] < s.end and s.start < n["end"] for n in negatives)
            count["negatives hit"] += negative
            details["wrong"].append(
                (item["file"], s.text, s.entity_name, round(s.score, 2), "negative" * negative)
            )
        count["labelled"] += len(gold)
        count["found"] += len(used)
        details["misses"] += [
            (item["file"], m["text"], m["entity"], m["variant"])
            for i, m in enumerate(gold)
            if i not in used
        ]
    result: dict[str, Any] = {corpus: dict(count) for corpus, count in totals.items()}
    result["all"] = dict(sum(totals.values(), Counter()))
    result["details"] = details
    return result


def _sample_documents(session: Session) -> dict[str, str]:
    """The sample episode's article files → their document ids (matched by title)."""
    from workstation.storage import suggestions as queries

    episode = json.loads((ROOT / "resources" / "sample" / "episode.json").read_text("utf-8"))
    titles = {doc["title"]: Path(doc["file"]).name for doc in episode["documents"]}
    return {
        titles[title]: doc_id
        for doc_id, title, _body in queries.document_texts(session.workspace)
        if title in titles
    }


def table(result: dict[str, Any]) -> str:
    rows = [("corpus", "labelled", "suggested", "precision", "recall", "negatives hit")]
    for corpus in ("sample", "test", "all"):
        c = result.get(corpus)
        if not c:
            continue
        suggested, labelled = c.get("suggested", 0), c.get("labelled", 0)
        precision = c.get("right", 0) / suggested if suggested else 1.0
        recall = c.get("found", 0) / labelled if labelled else 1.0
        rows.append(
            (
                corpus,
                str(labelled),
                str(suggested),
                f"{precision:.3f}",
                f"{recall:.3f}",
                str(c.get("negatives hit", 0)),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS, help="the labels file")
    parser.add_argument("--details", action="store_true", help="list misses and wrong ones")
    args = parser.parse_args(argv)
    import workstation
    from workstation.services import create_session
    from workstation.services.sample import load_sample

    with (
        tempfile.TemporaryDirectory(prefix="suggest-quality-") as scratch,
        create_session(Path(scratch) / "ws.sqlite", author="bench") as session,
    ):
        load_sample(session)
        result = evaluate(session, args.labels)
    print(f"code measured: {Path(workstation.__file__).resolve().parent}")
    print(f"labels: {args.labels}")
    print(table(result))
    if args.details:
        for file, text, entity, variant in result["details"]["misses"]:
            print(f"missed  {file}: “{text}” → {entity} ({variant})")
        for file, text, entity, score, negative in result["details"]["wrong"]:
            print(f"wrong   {file}: “{text}” → {entity} {score} {negative}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
