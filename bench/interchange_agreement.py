"""Agreement row of the interchange benchmark: Cohen's κ and Krippendorff's α between two
officers' workspaces of ``passages`` passages each on the same documents.

The second officer's workspace is a copy of the first in which about a tenth of the
passages were changed through the services, in one transaction: half given another
category, half narrowed by a few characters (quote and context cut again from the text).

Raw baseline: both sides' passages read with ``sqlite3`` and compared as exact
(text hash, start, end, category) tuples in Python sets — the share of identical passages,
with no character-level figures, no chance correction and no list of disagreements.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

from bench.report import Row, log
from bench.scale_fill import ScaleSize, build
from workstation.domain.offsets import make_selector
from workstation.domain.records import Annotation, Document
from workstation.services import open_session
from workstation.services.agreement import agreement_with

PASSAGES_PER_DOCUMENT = 10
CHANGED_SHARE = 0.1
NARROW_BY = 3  # characters cut from each end of a narrowed passage


def second_officer(path: Path, rng: random.Random) -> int:
    """Change ~CHANGED_SHARE of the passages in ``path``; returns how many."""
    with open_session(path, author="second-officer") as session:
        records = session.workspace.records
        categories = [c.id for c in session.codebook.list_categories()]
        passages = list(records.where(Annotation))
        changed = rng.sample(passages, int(len(passages) * CHANGED_SHARE))
        bodies = {d.id: d.body for d in records.where(Document)}
        with session.workspace.transaction():
            for index, passage in enumerate(changed):
                if index % 2 == 0 or passage.end - passage.start <= 4 * NARROW_BY:
                    others = [c for c in categories if c != passage.category_id]
                    records.update(passage, category_id=rng.choice(others))
                    continue
                selector = make_selector(
                    bodies[passage.document_id], passage.start + NARROW_BY, passage.end - NARROW_BY
                )
                records.update(
                    passage,
                    start=selector.start,
                    end=selector.end,
                    exact=selector.exact,
                    prefix=selector.prefix,
                    suffix=selector.suffix,
                )
    return len(changed)


_RAW_SPANS = """
    SELECT d.sha256, a.start, a."end", a.category_id FROM annotations a
    JOIN documents d ON d.id = a.document_id WHERE a.deleted_at IS NULL"""


def raw_agreement(ours: Path, theirs: Path) -> float:
    sides = []
    for path in (ours, theirs):
        conn = sqlite3.connect(path)
        sides.append(set(conn.execute(_RAW_SPANS)))
        conn.close()
    return len(sides[0] & sides[1]) / max(1, len(sides[0] | sides[1]))


def agreement_row(folder: Path, passages: int, seed: int) -> Row:
    from bench.interchange_formats import timed

    ours = folder / "agreement-ours.sqlite"
    theirs = folder / "agreement-theirs.sqlite"
    log(f"agreement setup: {passages:,} passages on each side …")
    documents = max(1, passages // PASSAGES_PER_DOCUMENT)
    build(ours, ScaleSize(documents=documents, passages_per_document=PASSAGES_PER_DOCUMENT))
    shutil.copyfile(ours, theirs)
    changed = second_officer(theirs, random.Random(seed))
    with open_session(ours, author="bench") as session:
        report, ours_s = timed(lambda: agreement_with(session, theirs))
    same, raw_s = timed(lambda: raw_agreement(ours, theirs))
    overall = report.overall
    kappa = "n/a" if overall.kappa is None else f"{overall.kappa:.3f}"
    alpha = "n/a" if overall.alpha is None else f"{overall.alpha:.3f}"
    return Row(
        f"agreement: {documents * PASSAGES_PER_DOCUMENT:,} passages each side, {changed:,} "
        f"changed: κ {kappa}, α {alpha}, {len(report.disagreements):,} disagreements",
        ours_s,
        raw_s,
        extra={
            "kappa": overall.kappa,
            "alpha": overall.alpha,
            "changed": changed,
            "raw_identical_share": same,
        },
    )
