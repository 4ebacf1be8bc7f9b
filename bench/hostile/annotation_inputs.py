"""Builders of hostile annotation files, made at run time against a sample workspace.

``Sample.read(workspace)`` reads what the files need to point at (the sample's articles, a
passage, two entities) through a read-only connection; each builder writes its file into a
folder and returns the path. Used by bench/hostile/interchange.py and the tests
(tests/e2e/test_cli_untrusted_annotations.py).
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEEP = "[" * 100_000 + "]" * 100_000


@dataclass(frozen=True)
class Article:
    id: str
    sha256: str
    title: str
    body: str

    def sentences(self) -> list[str]:
        """Sentences of the article (long enough to be unique), for passages to import."""
        found = [s.strip() for s in self.body.split(".") if len(s.strip()) > 20]
        return [s for s in found if self.body.count(s) == 1]


@dataclass(frozen=True)
class Sample:
    articles: tuple[Article, Article]
    passage: dict[str, Any]  # one passage of the first article: id, start, end, exact
    entities: dict[str, str]  # name -> id

    @classmethod
    def read(cls, workspace: Path) -> Sample:
        conn = sqlite3.connect(f"{workspace.resolve().as_uri()}?mode=ro", uri=True)
        try:
            articles = tuple(
                Article(*row)
                for row in conn.execute(
                    "SELECT id, sha256, title, body FROM documents WHERE deleted_at IS NULL "
                    "ORDER BY title LIMIT 2"
                )
            )
            first = articles[0].id
            row = conn.execute(
                'SELECT id, start, "end", exact FROM annotations WHERE document_id = ? '
                "ORDER BY seq LIMIT 1",
                [first],
            ).fetchone()
            entities = dict(conn.execute("SELECT name, id FROM entities"))
        finally:
            conn.close()
        passage = dict(zip(("id", "start", "end", "exact"), row, strict=True))
        return cls(articles, passage, entities)  # type: ignore[arg-type]


def w3c(article: Article, quote: str, **extra: Any) -> dict[str, Any]:
    start = article.body.index(quote)
    return {
        "type": "Annotation",
        "target": {
            "source": f"urn:uuid:{article.id}",
            "sha256": article.sha256,
            "selector": [
                {"type": "TextQuoteSelector", "exact": quote},
                {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
            ],
        },
        **extra,
    }


def write_lines(path: Path, items: list[Any]) -> Path:
    text = "\n".join(i if isinstance(i, str) else json.dumps(i, ensure_ascii=False) for i in items)
    path.write_text(text + "\n", encoding="utf-8")
    return path


# -- the cases of issue 12 ---------------------------------------------------------------------


def claimed_author_and_future(folder: Path, sample: Sample) -> Path:
    """Line 1 claims "head-of-desk" and 2099; line 2 a time no UTC clock can hold; line 3 is
    a colleague's ordinary passage."""
    article = sample.articles[1]
    one, two, three = article.sentences()[:3]
    return write_lines(folder / "claims.jsonl", [
        w3c(article, one, creator={"name": "head-of-desk"}, created="2099-01-01T00:00:00Z",
            modified="2099-01-01T00:00:00Z"),
        w3c(article, two, creator="head-of-desk", created="9999-12-31T23:00:00-05:00"),
        w3c(article, three, creator="colleague", created="2021-04-16T10:00:00Z"),
    ])  # fmt: skip


def ids_not_uuids(folder: Path, sample: Sample) -> Path:
    article = sample.articles[1]
    sentences = article.sentences()
    return write_lines(folder / "ids.jsonl", [
        w3c(article, sentences[0], id="../../etc/passwd"),
        w3c(article, sentences[1], id="urn:x:1"),
        w3c(article, sentences[2], id=42),
    ])  # fmt: skip


def ftm_id_not_uuid(folder: Path, sample: Sample) -> Path:
    return write_lines(folder / "people.ftm.jsonl", [
        {"id": "../../etc/passwd", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}},
    ])  # fmt: skip


def passage_id_of_another_document(folder: Path, sample: Sample) -> Path:
    """Line 1 is good; line 2 reuses a passage id of the first article on the second, with a
    link to Vladimir Putin that would land on the colleague's passage."""
    article = sample.articles[1]
    good, other = article.sentences()[:2]
    putin = {
        "type": "SpecificResource",
        "purpose": "identifying",
        "role": "actor",
        "source": f"urn:uuid:{sample.entities['Vladimir Putin']}",
        "name": "Vladimir Putin",
    }
    return write_lines(folder / "reuse.jsonl", [
        w3c(article, good),
        w3c(article, other, id=f"urn:uuid:{sample.passage['id']}", body=[putin]),
    ])  # fmt: skip


def ids_of_other_kinds(folder: Path, sample: Sample) -> Path:
    """Line 1 names a passage by a document's id; line 2 links an "entity" whose id is a
    document's; line 3 is good."""
    first, second = sample.articles
    one, two, three = second.sentences()[:3]
    fake = {"type": "SpecificResource", "purpose": "identifying",
            "source": f"urn:uuid:{first.id}", "name": "Nobody"}  # fmt: skip
    return write_lines(folder / "kinds.jsonl", [
        w3c(second, one, id=f"urn:uuid:{first.id}"),
        w3c(second, two, body=[fake]),
        w3c(second, three),
    ])  # fmt: skip


def ftm_putin_as_biden(folder: Path, sample: Sample) -> Path:
    biden = sample.entities["Joe Biden"]
    return write_lines(folder / "biden.ftm.jsonl", [
        {"id": biden, "schema": "Person",
         "properties": {"name": ["Joe Biden"], "alias": ["Vladimir Putin"]}},
    ])  # fmt: skip


# -- reading -----------------------------------------------------------------------------------


def fifo(folder: Path, sample: Sample) -> Path:
    path = folder / "pipe.jsonl"
    os.mkfifo(path)
    return path


def link_to_dev_zero(folder: Path, sample: Sample) -> Path:
    path = folder / "zero.jsonl"
    path.symlink_to("/dev/zero")
    return path


def sparse_300_mb(folder: Path, sample: Sample) -> Path:
    path = write_lines(folder / "huge.jsonl", [w3c(sample.articles[1], sample.articles[1]
                                                   .sentences()[0])])  # fmt: skip
    os.truncate(path, 300 * 1024 * 1024)  # sparse: refusing must not read it
    return path


def a_folder(folder: Path, sample: Sample) -> Path:
    path = folder / "brat-export"
    path.mkdir()
    (path / "a.ann").write_text("T1\tPerson 0 5\tJoe B\n", encoding="utf-8")
    return path


def png_named_jsonl(folder: Path, sample: Sample) -> Path:
    path = folder / "image.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4096))
    return path


# -- hostile JSON ------------------------------------------------------------------------------


def deep_json(folder: Path, sample: Sample) -> Path:
    path = folder / "deep.json"
    path.write_text(DEEP, encoding="utf-8")
    return path


def deep_line(folder: Path, sample: Sample) -> Path:
    article = sample.articles[1]
    return write_lines(folder / "deep-line.jsonl", [w3c(article, article.sentences()[0]), DEEP])


def absurd_offsets(folder: Path, sample: Sample) -> Path:
    """Line 1: offsets past any text (placed by its quote); line 2: negative; line 3: a
    number of 5,000 digits; line 4: good."""
    article = sample.articles[1]
    one, two, three, four = article.sentences()[:4]
    far = w3c(article, one)
    far["target"]["selector"][1].update(start=10**18, end=10**18 + len(one))
    negative = w3c(article, two)
    negative["target"]["selector"][1].update(start=-5, end=3)
    huge = "1" + "0" * 5000
    digits = json.dumps(w3c(article, three)).replace('"start": ', f'"start": {huge}, "x": ', 1)
    return write_lines(folder / "offsets.jsonl", [far, negative, digits, w3c(article, four)])
