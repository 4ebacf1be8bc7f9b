"""Setup of the scale benchmark: a workspace of 100k documents and 1M passages, written with
bulk SQL and cached between runs (``python -m bench.scale_fill PATH --documents N``).

Going through ``RecordStore`` one record at a time would take most of an hour at this size,
so the rows are written here with ``executemany`` straight into a workspace that
``create_session`` made (schema, migrations, default codebook). The result is a valid
workspace all the same: the schema's own FTS triggers fire on every insert, so the indexes
are in step; ids are UUIDs, offsets are code points into the NFC body, ``exact``,
``prefix`` and ``suffix`` are cut from the body, hashes are the body's sha256. The change
log gets no rows for setup (it is not needed to read, search or check a workspace); the
measured saves write theirs as usual.

The build runs with ``journal_mode=OFF`` and ``synchronous=OFF`` into ``<name>.building``,
which is renamed into place (WAL mode restored) only when complete, so an interrupted build
leaves no cache behind. Timed rows change the workspace (saves), so ``reset`` deletes every
row above the high-water marks recorded at build time before each run.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.corpus import (
    BODIES,
    COUNTRIES,
    CYRILLIC,
    OUTLETS,
    PEOPLE,
    RARE_PEOPLE,
    annotation_spans,
    articles,
)
from workstation.domain.offsets import CONTEXT_CHARS, body_sha256, normalize_body

# Bump when what build() writes changes, so old caches are not reused.
BUILD_VERSION = 1
POOL_ARTICLES = 5000  # distinct generated bodies; each document gets its own numbered title
CHUNK_DOCUMENTS = 2000  # documents (and their passages) per setup transaction
AUTHOR = "bench"
NOTES = (
    "follow up: reciprocity?",
    "compare with the TASS wording",
    "first mention of this measure",
    "check the date against the ministry statement",
    "contradicts the earlier readout",
    "source for the brief: releasable",
    "escalation step; see the timeline",
    "quote attributed second-hand",
)


@dataclass(frozen=True)
class ScaleSize:
    """How big the workspace is. The defaults are issue 7's reading: 100k documents, 10
    passages each (1M), a tenth of them (~100k) annotated with a note and/or an entity."""

    documents: int = 100_000
    passages_per_document: int = 10
    annotated_share: float = 0.1
    seed: int = 1

    @property
    def passages(self) -> int:
        return self.documents * self.passages_per_document

    def cache_name(self) -> str:
        return (
            f"scale-v{BUILD_VERSION}-{self.documents}d-{self.passages_per_document}p-"
            f"{self.annotated_share:g}a-s{self.seed}.sqlite"
        )


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _ids(rng: random.Random) -> Iterator[str]:
    while True:
        yield str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence ranges of ``text`` (ends at '.', '!' or '?' followed by a space or end)."""
    spans, start = [], 0
    for index, char in enumerate(text):
        if char in ".!?" and (index + 1 == len(text) or text[index + 1] in " \n"):
            while start < index and text[start].isspace():
                start += 1
            if index + 1 - start >= 20:
                spans.append((start, index + 1))
            start = index + 1
    return spans


def _entities(ids: Iterator[str]) -> list[tuple]:
    """(id, kind, name, aliases JSON, needle) for people, states and bodies of the corpus."""
    rows = []
    for name in (*PEOPLE, *RARE_PEOPLE):
        aliases = [CYRILLIC[name]] if name in CYRILLIC else []
        aliases.append(name.split()[-1])
        rows.append((next(ids), "Person", name, aliases, name))
    for country in COUNTRIES:
        bare = country.removeprefix("the ")
        rows.append((next(ids), "Country", bare[0].upper() + bare[1:], [], bare))
    for body in BODIES:
        bare = body.removeprefix("the ")
        rows.append((next(ids), "PublicBody", bare[0].upper() + bare[1:], [], bare))
    return [
        (eid, kind, name, json.dumps(aliases, ensure_ascii=False), needle)
        for eid, kind, name, aliases, needle in rows
    ]


def build(path: Path, size: ScaleSize) -> dict:
    """Create the workspace at ``path`` and fill it; returns its metadata (counts, marks)."""
    from workstation.services import create_session

    started = time.perf_counter()
    with create_session(path, author=AUTHOR) as session:
        category_ids = [c.id for c in session.codebook.list_categories()]
    rng = random.Random(size.seed)
    ids = _ids(random.Random(size.seed + 1))
    pool = []
    for title, text in articles(size.seed, min(POOL_ARTICLES, size.documents)):
        body = normalize_body(text.split("\n\n", 1)[1])  # drop the generated headline
        pool.append((title.rsplit(" (", 1)[0], body, _sentences(body)))
    base = datetime(2021, 1, 1, tzinfo=UTC)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")  # 256 MB: FTS segment merges stay in memory
        conn.execute("PRAGMA foreign_keys = ON")
        stamp0 = _stamp(base)
        entities = _entities(ids)
        conn.executemany(
            "INSERT INTO entities (id, kind, name, aliases, author, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(e[0], e[1], e[2], e[3], AUTHOR, stamp0, stamp0) for e in entities],
        )
        counts = {"documents": 0, "passages": 0, "annotated": 0, "notes": 0, "mentions": 0}
        for first in range(0, size.documents, CHUNK_DOCUMENTS):
            last = min(size.documents, first + CHUNK_DOCUMENTS)
            rows = _chunk(range(first, last), size, pool, rng, ids, base, category_ids, entities)
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO documents (id, title, body, sha256, outlet, published, language, "
                "origin_name, reliability, credibility, author, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 'en', ?, ?, ?, ?, ?, ?)",
                rows["documents"],
            )
            conn.executemany(
                'INSERT INTO annotations (id, document_id, start, "end", exact, prefix, suffix, '
                "category_id, note, author, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows["annotations"],
            )
            conn.executemany(
                "INSERT INTO mentions (id, annotation_id, entity_id, role, author, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows["mentions"],
            )
            conn.execute("COMMIT")
            for key in counts:
                counts[key] += rows["counts"][key]
            print(
                f"  {last:,}/{size.documents:,} documents ({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
        conn.execute("PRAGMA journal_mode = WAL")  # as the workstation leaves its files
        meta = {
            "build_version": BUILD_VERSION,
            "size": asdict(size),
            "counts": counts,
            "entities": len(entities),
            "marks": _marks(conn),
            "build_s": time.perf_counter() - started,
        }
    finally:
        conn.close()
    return meta


def _chunk(indexes, size, pool, rng, ids, base, category_ids, entities) -> dict:
    """The rows of documents ``indexes``: document, passage and mention tuples."""
    documents, annotations, mentions = [], [], []
    counts = dict.fromkeys(("documents", "passages", "annotated", "notes", "mentions"), 0)
    span_days = 6 * 365
    for index in indexes:
        headline, text, sentences = pool[index % len(pool)]
        title = f"{headline} ({index + 1:06d})"
        head = len(title) + 2  # offsets in the pooled text move by the title and "\n\n"
        body = f"{title}\n\n{text}"
        doc_id = next(ids)
        moment = base + timedelta(seconds=index * 60)
        stamp = _stamp(moment)
        published = datetime(2015, 1, 1) + timedelta(days=index * span_days // size.documents)
        graded = rng.random() < 0.8
        documents.append(
            (
                doc_id,
                title,
                body,
                body_sha256(body),
                rng.choice(OUTLETS),
                published.date().isoformat(),
                f"scale-{index + 1:06d}.txt",
                rng.choice("ABCDEF") if graded else None,
                rng.choice("123456") if graded else None,
                AUTHOR,
                stamp,
                stamp,
            )
        )
        counts["documents"] += 1
        for start, end in annotation_spans(text, size.passages_per_document, rng, sentences):
            start, end = start + head, end + head
            exact = body[start:end]
            note = ""
            annotation_id = next(ids)
            if rng.random() < size.annotated_share:
                counts["annotated"] += 1
                linked = [e for e in entities if e[4] in exact][:3]
                for position, entity in enumerate(linked):
                    role = "speaker" if position == 0 and entity[1] == "Person" else "mentioned"
                    mentions.append(
                        (next(ids), annotation_id, entity[0], role, AUTHOR, stamp, stamp)
                    )
                counts["mentions"] += len(linked)
                if not linked or rng.random() < 0.2:
                    note = rng.choice(NOTES)
                    counts["notes"] += 1
            annotations.append(
                (
                    annotation_id,
                    doc_id,
                    start,
                    end,
                    exact,
                    body[max(0, start - CONTEXT_CHARS) : start],
                    body[end : end + CONTEXT_CHARS],
                    rng.choice(category_ids),
                    note,
                    AUTHOR,
                    stamp,
                    stamp,
                )
            )
            counts["passages"] += 1
    return {
        "documents": documents,
        "annotations": annotations,
        "mentions": mentions,
        "counts": counts,
    }


def _marks(conn: sqlite3.Connection) -> dict[str, int]:
    """High-water marks: rows above them were added by a benchmark run, not by setup."""
    return {
        table: conn.execute(f"SELECT coalesce(max({key}), 0) FROM {table}").fetchone()[0]
        for table, key in (("documents", "seq"), ("annotations", "seq"), ("changes", "seq"))
    } | {"mentions": conn.execute("SELECT count(*) FROM mentions").fetchone()[0]}


def reset(path: Path, meta: dict) -> int:
    """Delete what earlier runs added above the setup marks (saves and their change rows);
    the FTS delete triggers keep the index in step. Returns the number of rows removed."""
    marks = meta["marks"]
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        removed = 0
        added = "SELECT id FROM annotations WHERE seq > ?"
        for sql in (
            f"DELETE FROM mentions WHERE annotation_id IN ({added})",
            f"DELETE FROM evidence WHERE annotation_id IN ({added})",
            "DELETE FROM annotations WHERE seq > ?",
        ):
            removed += conn.execute(sql, [marks["annotations"]]).rowcount
        removed += conn.execute("DELETE FROM changes WHERE seq > ?", [marks["changes"]]).rowcount
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return removed


def cached_workspace(
    size: ScaleSize, cache_dir: Path, *, rebuild: bool = False
) -> tuple[Path, dict]:
    """The built workspace for ``size`` (built in a child process if missing or ``rebuild``,
    so the measuring process's peak memory is its own) and its metadata, reset for a run."""
    path = cache_dir / size.cache_name()
    meta_path = _meta_path(path)
    if rebuild or not (path.is_file() and meta_path.is_file()):
        import subprocess

        cache_dir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "bench.scale_fill", str(path)]
        for key, value in asdict(size).items():
            command += [f"--{key.replace('_', '-')}", str(value)]
        subprocess.run(command, check=True)
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["reset_rows"] = reset(path, meta)
    return path, meta


def build_cache(path: Path, size: ScaleSize) -> dict:
    """Build into ``<name>.building`` and move it (and its metadata) into place when done."""
    partial = path.with_name(path.name + ".building")
    for stale in (path, _meta_path(path), partial):
        stale.unlink(missing_ok=True)
    for sidecar in ("-wal", "-shm", ".lock"):
        path.with_name(path.name + sidecar).unlink(missing_ok=True)
        partial.with_name(partial.name + sidecar).unlink(missing_ok=True)
    meta = build(partial, size)
    partial.rename(path)
    _meta_path(path).write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    return meta


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_fill", description=__doc__)
    parser.add_argument("path", type=Path)
    defaults = ScaleSize()
    parser.add_argument("--documents", type=int, default=defaults.documents)
    parser.add_argument("--passages-per-document", type=int, default=10)
    parser.add_argument("--annotated-share", type=float, default=defaults.annotated_share)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    args = parser.parse_args(argv)
    size = ScaleSize(args.documents, args.passages_per_document, args.annotated_share, args.seed)
    meta = build_cache(args.path, size)
    print(json.dumps(meta["counts"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
