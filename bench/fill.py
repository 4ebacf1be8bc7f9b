"""Benchmark setup: filling a workspace to the target size (not timed)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from bench.corpus import annotation_spans, articles
from workstation.domain.offsets import body_sha256, make_selector, normalize_body
from workstation.domain.records import Annotation, Document
from workstation.services import Session

PASSAGES_PER_DOCUMENT = 25
SETUP_CHUNK_ROWS = 5000
SETUP_SEED = 1

# -- setup (not timed against any budget) ------------------------------------------------------


@dataclass
class Corpus:
    """What setup stored, kept for the measurements that need real ids and offsets."""

    documents: list[tuple[str, str]]  # (id, body)
    category_ids: list[str]


def fill_workspace(session: Session, passages: int) -> Corpus:
    """Store documents and ``passages`` annotations through the storage layer, in large
    transactions of ~SETUP_CHUNK_ROWS rows (FTS triggers and the change log stay in step)."""
    ws = session.workspace
    category_ids = [c.id for c in session.codebook.list_categories()]
    rng = random.Random(SETUP_SEED)
    n_documents = max(1, math.ceil(passages / PASSAGES_PER_DOCUMENT))
    stored: list[tuple[str, str]] = []
    remaining = passages
    rows_in_chunk = 0
    chunk: list[Document | Annotation] = []

    def flush() -> None:
        nonlocal rows_in_chunk
        if not chunk:
            return
        with ws.transaction():
            for record in chunk:
                ws.records.insert(record)
        chunk.clear()
        rows_in_chunk = 0

    for index, (title, text) in enumerate(articles(SETUP_SEED, n_documents)):
        body = normalize_body(text)
        document = Document(
            title=title,
            body=body,
            sha256=body_sha256(body),
            outlet="Bench Wire",
            origin_name=f"setup-{index:06d}.txt",
        )
        chunk.append(document)
        stored.append((document.id, body))
        share = min(remaining, math.ceil(remaining / (n_documents - index)))
        remaining -= share
        for start, end in annotation_spans(body, share, rng):
            selector = make_selector(body, start, end)
            chunk.append(
                Annotation(
                    document_id=document.id,
                    start=selector.start,
                    end=selector.end,
                    exact=selector.exact,
                    prefix=selector.prefix,
                    suffix=selector.suffix,
                    category_id=rng.choice(category_ids),
                    note="" if rng.random() < 0.8 else "follow up: reciprocity?",
                )
            )
        rows_in_chunk += 1 + share
        if rows_in_chunk >= SETUP_CHUNK_ROWS:
            flush()
    flush()
    return Corpus(stored, category_ids)
