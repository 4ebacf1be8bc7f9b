"""Setup of the stall bench (not measured): the workspaces and input files each scenario
needs, built with the benchmark's own fillers so the before and after runs get the same."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.brief_bench import SIZES, EpisodeSize, make_episode
from bench.corpus import articles
from bench.fill import fill_workspace
from bench.interchange_bench import edit_as_second_officer
from bench.report import log
from workstation.importers import DocumentDraft
from workstation.services import create_session

ANNOTATION_DOCUMENTS = 200  # as tests/unit/test_bad_input_interchange.py's 50 MB import
WORDS = ["sanctions", "reciprocity", "diplomats", "expelled", "Moscow", "Washington", "consulate"]
# Events for a real ~100 pages (read back from the PDF and shown in the table's note): about
# 0.25 page per event with two excerpts each, plus ~5 pages of front matter.
BRIEF_EVENTS = 380
MERGE_SHARE = 0.01  # the second officer's edits, as bench/interchange_bench.py's default


@dataclass(frozen=True)
class Sizes:
    passages: int  # the workspace merged, checked and imported into
    annotation_bytes: int
    files: int
    brief: EpisodeSize

    @classmethod
    def scaled(cls, scale: float) -> Sizes:
        full = SIZES[-1]  # brief_bench's "~100 pages": 165 events; 46 real pages as of writing
        events = max(4, round(BRIEF_EVENTS * scale))
        return cls(
            passages=max(1000, round(100_000 * scale)),
            annotation_bytes=max(1 << 20, round(50 * 1024 * 1024 * scale)),
            files=max(10, round(1000 * scale)),
            brief=EpisodeSize(
                pages=max(5, round(full.pages * scale)),
                events=events,
                excerpts_per_event=full.excerpts_per_event,
                judgments=max(3, round(full.judgments * scale)),
                budget_s=None,
                runs=1,
            ),
        )


@dataclass(frozen=True)
class Inputs:
    base: Path  # ``passages`` passages, closed (WAL checkpointed)
    theirs: Path  # a copy of base edited by a second officer: what is merged
    annotated: Path  # ANNOTATION_DOCUMENTS articles, no passages
    annotations: Path  # W3C JSON Lines of ``annotation_bytes`` over those articles
    articles: list[Path]  # ``files`` small .txt articles
    brief: Path  # one episode of about ``brief.pages`` pages
    brief_pages: int
    annotation_lines: int


def copy_workspace(source: Path, dest: Path) -> Path:
    shutil.copyfile(source, dest)
    return dest


def build(folder: Path, sizes: Sizes, need: set[str] | None = None) -> Inputs:
    """What the scenarios named in ``need`` (first words: check, merge, annotation, file,
    brief; all when empty) rest on; what no scenario needs is not made."""

    def needed(*names: str) -> bool:
        return not need or bool(need & set(names))

    base, theirs = folder / "base.sqlite", folder / "theirs.sqlite"
    if needed("check", "merge", "file"):
        log(f"setup: workspace of {sizes.passages:,} passages …")
        with create_session(base, author="first-officer") as session:
            fill_workspace(session, sizes.passages)
    if needed("merge"):
        copy_workspace(base, theirs)
        edits = edit_as_second_officer(theirs, random.Random(6), MERGE_SHARE)
        log(f"setup: second officer's copy {edits}")
    annotated, annotations = folder / "annotated.sqlite", folder / "annotations.jsonl"
    lines = 0
    if needed("annotation"):
        log(f"setup: {sizes.annotation_bytes / 2**20:.0f} MB of W3C annotations …")
        lines = write_annotations(annotated, annotations, sizes.annotation_bytes)
    article_dir = folder / "articles"
    article_dir.mkdir()
    files = []
    if needed("file"):
        log(f"setup: {sizes.files:,} article files …")
        for index, (title, text) in enumerate(articles(14, sizes.files)):
            path = article_dir / f"article-{index:04d}.txt"
            path.write_text(f"{title}\n\n{text}\n", encoding="utf-8")
            files.append(path)
    brief = folder / "brief.sqlite"
    if needed("brief"):
        log(f"setup: a brief of about {sizes.brief.pages} pages …")
        with create_session(brief, author="bench") as session:
            make_episode(session, sizes.brief)
    return Inputs(base, theirs, annotated, annotations, files, brief, sizes.brief.pages, lines)


def write_annotations(workspace: Path, out: Path, size: int) -> int:
    """Articles in ``workspace`` and ``size`` bytes of W3C annotations on them (the 50 MB
    file of tests/unit/test_bad_input_interchange.py); the number of lines."""
    rnd = random.Random(7)
    with create_session(workspace, author="t") as session:
        docs = [
            session.documents.add(
                DocumentDraft(
                    title=f"A{i}",
                    text=" ".join(rnd.choice(WORDS) for _ in range(3000)),
                    origin_name=f"{i}.txt",
                )
            ).record
            for i in range(ANNOTATION_DOCUMENTS)
        ]
    written = count = 0
    with out.open("w", encoding="utf-8") as handle:
        while written < size:
            doc = docs[count % len(docs)]
            start = rnd.randrange(0, len(doc.body) - 60)
            end = start + rnd.randrange(5, 50)
            line = json.dumps({
                "type": "Annotation",
                "target": {"source": f"urn:uuid:{doc.id}", "sha256": doc.sha256, "selector": [
                    {"type": "TextQuoteSelector", "exact": doc.body[start:end]},
                    {"type": "TextPositionSelector", "start": start, "end": end}]},
                "body": {"type": "TextualBody", "purpose": "commenting",
                         "value": "note " + "x" * rnd.randrange(0, 400)},
            }) + "\n"  # fmt: skip
            handle.write(line)
            written += len(line.encode())
            count += 1
    return count
