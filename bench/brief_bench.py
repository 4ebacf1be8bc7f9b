"""Brief rows of the benchmark: a synthetic episode composed and rendered to PDF, beside raw
ReportLab platypus laying out the same text with the same embedded DejaVu fonts.

Setup (not timed): a fresh workspace per size, filled through the services (documents from
bench/corpus.py, releasable passages, entities with Cyrillic aliases, mentions, one episode
with events, evidence, ``responds_to`` chains and ICD 203 judgments), inside one outer
transaction so setup is not 2,000 fsyncs.

Timed: ``compose_brief`` + ``render_pdf`` (nothing recorded), median of a few runs; the raw
baseline (SimpleDocTemplate, one ``build`` pass) runs right after each of ours.
"""

from __future__ import annotations

import io
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.brief_raw import raw_pdf
from bench.corpus import CYRILLIC, MEASURES, TOPICS, VERBS_ACT, annotation_spans, articles
from bench.report import Row, fmt_time, log
from workstation.importers.base import DocumentDraft
from workstation.services import Session, create_session

BRIEF_SEED = 203
AUTHOR = "bench"
FONTS_DIR = Path(__file__).resolve().parents[1] / "resources" / "fonts"


@dataclass(frozen=True)
class EpisodeSize:
    """How big the synthetic episode is; calibrated so the PDF has about ``pages`` pages."""

    pages: int  # the page count aimed at (the real one is read back and reported)
    events: int
    excerpts_per_event: int
    judgments: int
    budget_s: float | None  # docs/architecture.md: 20 pages < 1 s, 100 pages < 3 s
    runs: int


# Calibrated on the layout as of writing (about 0.6 pages per event with two excerpts each,
# plus ~5 pages of front matter); the page count printed under the table is the real one.
SMOKE = EpisodeSize(pages=5, events=4, excerpts_per_event=2, judgments=3, budget_s=0.25, runs=1)
SIZES = (
    EpisodeSize(pages=20, events=26, excerpts_per_event=2, judgments=6, budget_s=1.0, runs=3),
    EpisodeSize(pages=100, events=165, excerpts_per_event=2, judgments=18, budget_s=3.0, runs=2),
)

# -- the synthetic episode ---------------------------------------------------------------------

# (kind, name, aliases): Cyrillic aliases as monitoring copy spells them.
ENTITIES = (
    ("Country", "Russia", ["Российская Федерация", "Россия", "RU"]),
    ("Country", "United States", ["USA", "Соединённые Штаты"]),
    ("Country", "Czech Republic", ["Czechia", "Чехия"]),
    ("Country", "Germany", ["Deutschland", "Германия"]),
    ("Country", "Poland", ["Polska", "Польша"]),
    ("PublicBody", "European Council", ["Европейский совет"]),
    ("PublicBody", "Office of Foreign Assets Control", ["OFAC"]),
    ("PublicBody", "Ministry of Foreign Affairs of Russia", ["МИД России", "MID"]),
    *(("Person", latin, [cyrillic]) for latin, cyrillic in CYRILLIC.items()),
    ("Person", "Antony Blinken", []),
    ("Person", "Josep Borrell", ["Жозеп Боррель"]),
)
# Who acts against whom: indexes into ENTITIES (the first eight are states and bodies).
PAIRS = ((1, 0), (0, 1), (2, 0), (0, 2), (5, 0), (0, 3), (6, 0), (7, 4), (3, 0), (0, 5))
KINDS = (
    "sanction",
    "countermeasure",
    "expulsion",
    "expulsion",
    "statement",
    "diplomatic step",
    "accusation",
    "arms control",
)
LEGAL = (
    "Executive Order 14024, section 1(a)(i)",
    "Council Decision (CFSP) 2020/1999",
    "Art. 9 Vienna Convention on Diplomatic Relations",
    "Federal Law No. 127-FZ «О мерах воздействия»",
    "",
)
JUDGMENTS = (
    ("likely", "Moscow will answer each new listing with a reciprocal expulsion within a week."),
    ("very likely", "Further EU listings will follow the Council's review of the asset freeze."),
    ("roughly even chance", "Talks on consular staffing resume before the end of the quarter."),
    ("unlikely", "Either side reopens the closed consulates this year."),
    ("almost certain", "Sanctions on the named officials stay in force through the review."),
)
BOTTOM_LINE = (
    "Expulsions and counter-sanctions between Russia and Western governments follow a tit-for-"
    "tat pattern: each listing drew a reciprocal step within days, and Moscow (МИД России) "
    "signals that reciprocity, not de-escalation, will guide its answers."
)
OUTLOOK = (
    "Expect further listings after the Council review and a Russian answer in kind; the "
    "consular channel is the likeliest place for a first de-escalatory step. Watch statements "
    "by Мария Захарова for the wording of the next counter-measure."
)


def make_episode(session: Session, size: EpisodeSize, seed: int = BRIEF_SEED) -> str:
    """Fill ``session`` with one episode of ``size``; returns the episode id."""
    rng = random.Random(seed)
    passages = size.events * size.excerpts_per_event
    n_documents = max(2, passages // 4)
    categories = [c.id for c in session.codebook.list_categories()]
    with session.workspace.transaction():
        documents = []
        for index, (title, text) in enumerate(articles(seed, n_documents)):
            draft = DocumentDraft(
                title=title,
                text=text,
                origin_name=f"brief-{index:04d}.txt",
                outlet=rng.choice(("Reuters", "TASS", "RFE/RL", "Interfax", "AP")),
                url=f"https://news.example/{seed}/{index}",
                published=f"2021-{1 + index % 12:02d}-{1 + index % 28:02d}",
                language="en",
            )
            grade = {"reliability": rng.choice("ABC"), "credibility": rng.choice("123")}
            documents.append(session.documents.add(draft, **grade).record)
        entities = [
            session.entities.create(kind, name, aliases=aliases).record.id
            for kind, name, aliases in ENTITIES
        ]
        annotation_ids = []
        for index in range(passages):
            document = documents[index % len(documents)]
            start, end = annotation_spans(document.body, 1, rng)[0]
            annotation = session.annotations.create(
                document.id,
                start,
                end,
                category_id=rng.choice(categories),
                note="" if rng.random() < 0.7 else "Follow up: reciprocity? Check Песков quote.",
                releasable=True,
            ).record
            annotation_ids.append(annotation.id)
            for entity_id in rng.sample(entities, rng.randint(1, 2)):
                role = rng.choice(("actor", "target", "speaker", "mentioned"))
                session.entities.link(annotation.id, entity_id, role)
        episode_id = session.episodes.create(
            f"Tit-for-tat expulsions and counter-sanctions ({size.pages} p.)",
            bottom_line=BOTTOM_LINE,
            outlook=OUTLOOK,
            marking="TLP:AMBER",
        ).record.id
        previous: str | None = None
        for index in range(size.events):
            actor, target = PAIRS[index % len(PAIRS)]
            kind = KINDS[index % len(KINDS)]
            evidence = annotation_ids[
                index * size.excerpts_per_event : (index + 1) * size.excerpts_per_event
            ]
            quote = session.annotations.find(evidence[0]).exact if evidence else ""
            month, day = 1 + (index // 28) % 12, 1 + index % 28
            event = session.episodes.add_event(
                episode_id,
                date=f"{2021 + index // 336}-{month:02d}"
                + ("" if index % 9 == 8 else f"-{day:02d}"),
                precision="month" if index % 9 == 8 else "day",
                kind=kind,
                title=f"{ENTITIES[actor][1]} {rng.choice(VERBS_ACT)} {rng.choice(MEASURES)} "
                f"over {rng.choice(TOPICS)}",
                summary=quote[:300],
                actor_id=entities[actor],
                target_id=entities[target],
                # chains of three: an action, its answer, the answer to the answer
                responds_to=previous if index % 3 else None,
                legal_basis=rng.choice(LEGAL) if kind in ("sanction", "countermeasure") else "",
                evidence=evidence,
            ).record
            previous = event.id
        for index in range(size.judgments):
            term, text = JUDGMENTS[index % len(JUDGMENTS)]
            session.episodes.add_judgment(
                episode_id,
                text=f"{text} (J{index + 1})",
                likelihood_term=term,
                confidence="moderate" if index % 4 else rng.choice(("high", "low")),
                cited=rng.sample(annotation_ids, min(len(annotation_ids), 2)),
            )
    return episode_id


# -- raw baseline: plain platypus, same fonts, same text -----------------------------------


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


# -- measuring ---------------------------------------------------------------------------------


@dataclass
class BriefTiming:
    size: EpisodeSize
    compose: list[float]
    render: list[float]
    raw: list[float]
    pages: int
    raw_pages: int
    passes: int  # layout passes render_pdf made (multiBuild, for the TOC's page numbers)
    setup_s: float
    excerpts: int
    events: int

    @property
    def total(self) -> list[float]:
        return [c + r for c, r in zip(self.compose, self.render, strict=True)]


def _timed(fn: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def _counting_passes(fn: Callable[[], bytes]) -> tuple[bytes, int]:
    """Run ``fn`` counting ``BaseDocTemplate.build`` calls (untimed; the class is restored)."""
    from reportlab.platypus.doctemplate import BaseDocTemplate

    original = BaseDocTemplate.build
    passes = 0

    def counting(self, *args, **kwargs):
        nonlocal passes
        passes += 1
        return original(self, *args, **kwargs)

    BaseDocTemplate.build = counting
    try:
        return fn(), passes
    finally:
        BaseDocTemplate.build = original


def time_brief(session: Session, episode_id: str, size: EpisodeSize, setup_s: float) -> BriefTiming:
    from briefs.build import render_pdf
    from briefs.compose import compose_brief
    from briefs.model import BriefOptions

    options = BriefOptions(format="full")  # every section: the page counts the budget names
    # Warm-up, untimed: imports, font registration and parsing (both paths), page counts.
    brief = compose_brief(session, episode_id, options)
    pdf, passes = _counting_passes(lambda: render_pdf(brief))
    pages, raw_pages = page_count(pdf), page_count(raw_pdf(brief))
    compose, render, raw = [], [], []
    for _ in range(size.runs):
        brief, t = _timed(lambda: compose_brief(session, episode_id, options))
        compose.append(t)
        render.append(_timed(lambda b=brief: render_pdf(b))[1])
        raw.append(_timed(lambda b=brief: raw_pdf(b))[1])
    return BriefTiming(
        size,
        compose,
        render,
        raw,
        pages,
        raw_pages,
        passes,
        setup_s,
        len(brief.excerpts),
        len(brief.timeline),
    )


def bench_briefs(folder: Path, *, quick: bool) -> tuple[list[Row], list[BriefTiming]]:
    """The brief rows: one fresh workspace and episode per size (a ~5-page smoke with
    ``quick``, else ~20 and ~100 pages)."""
    rows: list[Row] = []
    timings: list[BriefTiming] = []
    for size in (SMOKE,) if quick else SIZES:
        log(f"brief: ~{size.pages} pages ({size.events} events), {size.runs} run(s)…")
        started = time.perf_counter()
        session = create_session(folder / f"brief-{size.pages}p.sqlite", author=AUTHOR)
        try:
            episode_id = make_episode(session, size)
            setup_s = time.perf_counter() - started
            timing = time_brief(session, episode_id, size, setup_s)
        finally:
            session.close()
        timings.append(timing)
        rows += brief_rows(timing)
    return rows, timings


def brief_rows(t: BriefTiming) -> list[Row]:
    med = statistics.median
    ours, compose, render, raw = med(t.total), med(t.compose), med(t.render), med(t.raw)
    extra = {
        "pages": t.pages,
        "raw_pages": t.raw_pages,
        "render_passes": t.passes,
        "events": t.events,
        "excerpts": t.excerpts,
        "ours_pages_per_s": t.pages / ours,
        "raw_pages_per_s": t.raw_pages / raw,
        "compose_s": compose,
        "render_s": render,
        "runs_s": t.total,
        "compose_runs_s": t.compose,
        "render_runs_s": t.render,
        "raw_runs_s": t.raw,
        "setup_s": t.setup_s,
    }
    return [
        Row(
            f"PDF brief ~{t.size.pages} pages (compose + render)",
            ours,
            raw,
            t.size.budget_s,
            extra=extra,
        ),
        # compose has no raw counterpart (it is our own reading of the workspace), so its
        # figure goes in the label; this sub-row compares the layout alone with raw platypus.
        Row(f"  of which render_pdf (compose_brief {fmt_time(compose)})", render, raw),
    ]


def brief_notes(timings: list[BriefTiming]) -> list[str]:
    lines = []
    for t in timings:
        ours, raw = statistics.median(t.total), statistics.median(t.raw)
        render = statistics.median(t.render)
        lines.append(
            f"brief ~{t.size.pages} p. ({t.events} events, {t.excerpts} excerpts, median of "
            f"{len(t.total)}): ours {t.pages} pages, {t.pages / ours:.0f} pages/s "
            f"(render_pdf {t.passes} layout passes, {render / t.passes * 1000:.0f} ms each); "
            f"raw platypus {t.raw_pages} pages, {t.raw_pages / raw:.0f} pages/s; "
            f"setup {t.setup_s:.1f} s"
        )
    return lines


def bench_sample_formats(folder: Path, runs: int = 5) -> list[Row]:
    """One-page, standard and full for the sample episode, each beside raw platypus laying
    out the same Brief."""
    from briefs.build import render_pdf
    from briefs.compose import compose_brief
    from briefs.model import BriefOptions
    from workstation.services.sample import load_sample

    session = create_session(folder / "sample.sqlite", author=AUTHOR)
    rows: list[Row] = []
    try:
        load_sample(session)
        for fmt in ("one-page", "standard", "full"):
            options = BriefOptions(format=fmt)
            brief = compose_brief(session, None, options)  # warm-up, untimed
            pages = page_count(render_pdf(brief))
            ours, raw = [], []
            for _ in range(runs):
                began = time.perf_counter()
                brief = compose_brief(session, None, options)
                render_pdf(brief)
                ours.append(time.perf_counter() - began)
                raw.append(_timed(lambda b=brief: raw_pdf(b))[1])
            rows.append(
                Row(
                    f"sample brief, {fmt} ({pages} page{'s' if pages != 1 else ''})",
                    statistics.median(ours),
                    statistics.median(raw),
                    1.0,
                    extra={"pages": pages},
                )
            )
    finally:
        session.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.brief_bench [--quick]``: the sample in the three formats, then the
    ~20- and ~100-page episodes (full format), each beside raw platypus."""
    import argparse
    import tempfile

    from bench.report import render_table

    parser = argparse.ArgumentParser(prog="python -m bench.brief_bench")
    parser.add_argument("--quick", action="store_true", help="a ~5-page episode only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="brief-bench-") as scratch:
        folder = Path(scratch)
        rows = bench_sample_formats(folder)
        size_rows, timings = bench_briefs(folder, quick=args.quick)
    print(render_table(rows + size_rows, smoke=args.quick))
    print()
    print("\n".join(brief_notes(timings)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
