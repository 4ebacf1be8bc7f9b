"""Speed rows of ``bench.assistant_bench``: proposals for one open document, for a large
import, and the passage model's retraining, each beside the bare library call on the same
data. Texts are recombined from the labelled articles (``variants``).
"""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.assistant_data import LabelledArticle, load_articles
from bench.assistant_quality import build_world, run_decisions
from bench.report import Row, fmt_time, log, percentile
from workstation.domain.assistant import PROPOSAL_KINDS
from workstation.importers.base import DocumentDraft

if TYPE_CHECKING:
    from workstation.services import Session

ONE_DOCUMENT_BUDGET_S = 0.200
IMPORT_BUDGET_S = 60.0  # for 1,000 articles
RETRAIN_BUDGET_S = 1.0
SEED = 16


# -- texts for the speed rows ----------------------------------------------------------------


def variants(articles: Sequence[LabelledArticle], count: int, seed: int = SEED) -> list[Any]:
    """``count`` new articles recombined from the labelled ones: a base article's paragraphs
    shuffled, one swapped for a paragraph of another article in the same language, and
    small numbers changed, so every body (and its sha256) differs. Each item: (language,
    title, body, passages) with the labelled passages found in the new body."""
    rng = random.Random(seed)
    by_language: dict[str, list[LabelledArticle]] = {}
    for article in articles:
        by_language.setdefault(article.language, []).append(article)
    seen: set[str] = set()
    made: list[Any] = []
    while len(made) < count:
        base = articles[len(made) % len(articles)]
        other = rng.choice([a for a in by_language[base.language] if a is not base] or [base])
        paragraphs = [(base, p) for p in base.body.split("\n\n")]
        rng.shuffle(paragraphs)
        extra = rng.choice(other.body.split("\n\n"))
        paragraphs[rng.randrange(len(paragraphs))] = (other, extra)
        numbers = {str(n): str(rng.randint(2, 60)) for n in range(1, 100)}

        def renumber(text: str, numbers: dict[str, str] = numbers) -> str:
            return re.sub(r"(?<![\d-])\d{1,2}(?![\d-])", lambda m: numbers[m.group()], text)

        body = "\n\n".join(renumber(p) for _source, p in paragraphs)
        if body in seen:
            continue
        seen.add(body)
        passages = []
        for source, paragraph in paragraphs:
            for label in source.passages:
                if label.quote in paragraph:
                    quote = renumber(label.quote)
                    start = body.find(quote)
                    if start >= 0 and all(
                        start >= e or start + len(quote) <= s for s, e, _c in passages
                    ):
                        passages.append((start, start + len(quote), label.category))
        made.append((base.language, f"{base.title} ({len(made) + 1})", body, passages))
    return made


def _add_documents(session: Session, items: Sequence[Any], *, mark: bool) -> list[str]:
    categories = {c.name: c.id for c in session.codebook.list_categories()}
    ids = []
    with session.workspace.transaction():
        for n, (language, title, body, passages) in enumerate(items):
            draft = DocumentDraft(
                title=title,
                text=body,
                origin_name=f"variant-{n}.txt",
                published="2021-04-25",
                language=language,
            )
            doc_id = session.documents.add(draft).record.id
            ids.append(doc_id)
            for start, end, category in passages if mark else ():
                session.annotations.create(doc_id, start, end, category_id=categories[category])
    return ids


def _spread(samples: Sequence[float]) -> str:
    return (
        f"p50 {fmt_time(percentile(samples, 50))} / p95 {fmt_time(percentile(samples, 95))}"
        f" / max {fmt_time(max(samples))}"
    )


def _natasha() -> Callable[[str], Any]:
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())

    def ner(text: str) -> Any:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        return doc.spans

    return ner


def _raw_proposals(session: Session, ner: Callable[[str], Any]) -> Callable[[str, str], None]:
    """natasha on Russian text and ``predict_proba`` on the sentences: the bare calls."""
    from workstation.domain.assistant.passages import _shared_hashing, sentences
    from workstation.services.assistant_models import passage_model

    _trained, model = passage_model(session.workspace)
    classifier, hashing = model._classifier, _shared_hashing()

    def raw(language: str, body: str) -> None:
        if language == "ru":
            ner(body)
        classifier.predict_proba(hashing.rows([body[s:e] for s, e in sentences(body)]))

    return raw


# -- speed -----------------------------------------------------------------------------------


def bench_one_document(folder: Path, rounds: int) -> tuple[list[Row], dict[str, Any]]:
    """Workspace B (the decisions on 01–03 made); the eight articles proposed again and again
    (the queue re-asks after every decision), then new texts proposed once each."""
    from workstation.services import create_session

    with create_session(folder / "one.sqlite", author="bench") as session:
        world = build_world(session)
        run_decisions(world)
        articles = world.articles
        fresh = variants(articles, len(articles) * min(rounds, 5), seed=SEED + 1)
        fresh_ids = _add_documents(session, fresh, mark=False)
        split = variants(articles, len(articles) * min(rounds, 5), seed=SEED + 4)
        split_ids = _add_documents(session, split, mark=False)
        assistant = session.assistant
        for article in articles:  # warm-up: natasha loaded, models trained
            assistant.propose([world.doc_ids[article.id]], PROPOSAL_KINDS)
        again: list[float] = []
        for _ in range(rounds):
            for article in articles:
                began = time.perf_counter()
                assistant.propose([world.doc_ids[article.id]], PROPOSAL_KINDS)
                again.append(time.perf_counter() - began)
        first: list[float] = []
        for doc_id in fresh_ids:
            began = time.perf_counter()
            assistant.propose([doc_id], PROPOSAL_KINDS)
            first.append(time.perf_counter() - began)
        # Where a first proposal's time goes: each kind alone, on texts not proposed before.
        by_kind: dict[str, list[float]] = {kind: [] for kind in ("passage", "event", "name")}
        for doc_id in split_ids:
            for kind, spent in by_kind.items():
                began = time.perf_counter()
                assistant.propose([doc_id], [kind])
                spent.append(time.perf_counter() - began)
        ner = _natasha()
        raw = _raw_proposals(session, ner)
        raw_times: list[float] = []
        for _ in range(rounds):
            for article in articles:
                began = time.perf_counter()
                raw(article.language, article.body)
                raw_times.append(time.perf_counter() - began)
        raw_fresh: list[float] = []
        for language, _title, body, _passages in fresh:
            began = time.perf_counter()
            raw(language, body)
            raw_fresh.append(time.perf_counter() - began)
    rows = [
        Row(
            f"propose one open document again ({len(again)}: 8 articles × {rounds})",
            percentile(again, 95),
            percentile(raw_times, 95),
            ONE_DOCUMENT_BUDGET_S,
            ours_text=_spread(again),
            raw_text=_spread(raw_times),
        ),
        Row(
            f"propose one new document, first time ({len(first)} texts)",
            percentile(first, 95),
            percentile(raw_fresh, 95),
            ONE_DOCUMENT_BUDGET_S,
            ours_text=_spread(first),
            raw_text=_spread(raw_fresh),
        ),
    ]
    rows += [
        Row(
            f"  of which {kind}s alone, first time ({len(spent)} texts)",
            percentile(spent, 95),
            math.nan,
            ours_text=_spread(spent),
        )
        for kind, spent in by_kind.items()
    ]
    figures = {
        **{f"first_{kind}s_only_s": spent for kind, spent in by_kind.items()},
        "again_s": again,
        "first_s": first,
        "raw_again_s": raw_times,
        "raw_first_s": raw_fresh,
    }
    return rows, {k: summary(v) for k, v in figures.items()}


def summary(samples: Sequence[float]) -> dict[str, float]:
    return {
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "max": max(samples),
        "n": len(samples),
    }


def bench_import(folder: Path, count: int) -> tuple[list[Row], dict[str, Any]]:
    """The sample, the eight articles with their passages marked, ``count`` new articles;
    every proposal for the whole workspace in one call, after a warm-up on one article."""
    from workstation.services import create_session

    articles = load_articles()
    with create_session(folder / "import.sqlite", author="bench") as session:
        world = build_world(session, articles)
        categories = {c.name: c.id for c in session.codebook.list_categories()}
        with session.workspace.transaction():
            for article in articles:
                for label in article.passages:
                    session.annotations.create(
                        world.doc_ids[article.id],
                        label.start,
                        label.end,
                        category_id=categories[label.category],
                    )
        items = variants(articles, count)
        began = time.perf_counter()
        _add_documents(session, items, mark=False)
        stored = time.perf_counter() - began
        session.assistant.propose([world.doc_ids[articles[0].id]], PROPOSAL_KINDS)  # warm-up
        began = time.perf_counter()
        proposals = session.assistant.propose(None, PROPOSAL_KINDS)
        total = time.perf_counter() - began
        by_kind = {}
        for kind in ("passage", "event"):
            began = time.perf_counter()
            session.assistant.propose(None, [kind])
            by_kind[kind] = time.perf_counter() - began
        raw = _raw_proposals(session, _natasha())
        began = time.perf_counter()
        for language, _title, body, _passages in items:
            raw(language, body)
        raw_total = time.perf_counter() - began
    documents = count + len(articles) + 2
    scale = 1000 / count
    label = (
        "1,000-article import, propose all"
        if count == 1000
        else (f"{count}-article import ×{scale:g} (EXTRAPOLATED to 1,000)")
    )
    row = Row(
        label,
        total * scale,
        raw_total * scale,
        IMPORT_BUDGET_S,
        ours_text=f"{fmt_time(total * scale)}",
        raw_text=f"{fmt_time(raw_total * scale)}",
    )
    figures = {
        "articles": count,
        "documents_proposed": documents,
        "seconds": total,
        "seconds_per_1000": total * scale,
        "raw_seconds": raw_total,
        "passages_only_s": by_kind["passage"],
        "events_only_s": by_kind["event"],
        "proposals": len(proposals),
        "store_documents_s": stored,
        "extrapolated": count != 1000,
    }
    rows = [row] + [
        Row(
            f"  of which {kind}s alone (×{scale:g})",
            by_kind[kind] * scale,
            math.nan,
        )
        for kind in ("passage", "event")
    ]
    return rows, figures


def bench_retrain(folder: Path, target: int, repeats: int = 3) -> tuple[list[Row], dict[str, Any]]:
    """≥ ``target`` categorised passages; first training, then the retrain after one more
    marked passage and after one rejected proposal (each ``repeats`` times)."""
    import numpy as np
    from sklearn.base import clone

    from workstation.domain.assistant import Proposal
    from workstation.services import create_session
    from workstation.services.assistant_models import forget, passage_examples, passage_model

    articles = load_articles()
    per_article = sum(len(a.passages) for a in articles) / len(articles)
    with create_session(folder / "retrain.sqlite", author="bench") as session:
        from workstation.services.sample import load_sample

        load_sample(session)
        items = variants(articles, int(target / per_article * 1.1) + 8, seed=SEED + 2)
        began = time.perf_counter()
        ids = _add_documents(session, items, mark=True)
        log(
            f"  {len(ids)} documents with their passages stored in "
            f"{fmt_time(time.perf_counter() - began)}"
        )
        ws = session.workspace
        forget(ws)
        began = time.perf_counter()
        _trained, model = passage_model(ws)
        first = time.perf_counter() - began
        passages = sum(1 for e in model.examples if e.category)
        categories = {c.name: c.id for c in session.codebook.list_categories()}
        spare = variants(articles, repeats, seed=SEED + 3)
        spare_ids = _add_documents(session, spare, mark=False)
        passage_model(ws)  # the added (unmarked) documents alone
        after_mark, after_reject, reading = [], [], []
        for n, doc_id in enumerate(spare_ids):
            start, end, category = spare[n][3][0]
            session.annotations.create(doc_id, start, end, category_id=categories[category])
            began = time.perf_counter()
            passage_model(ws)
            after_mark.append(time.perf_counter() - began)
            began = time.perf_counter()
            passage_examples(ws)  # the records read again: the part before any fitting
            reading.append(time.perf_counter() - began)
            start, end, _category = spare[n][3][1]
            body = spare[n][2]
            session.assistant.reject_proposal(
                Proposal(
                    kind="passage",
                    document_id=doc_id,
                    start=start,
                    end=end,
                    text=body[start:end],
                    score=0.6,
                    reason="bench",
                    category="Statement",
                )
            )
            began = time.perf_counter()
            passage_model(ws)
            after_reject.append(time.perf_counter() - began)
        _trained, model = passage_model(ws)
        rows_matrix, labels = model._rows, np.asarray(model._labels)
        # The same estimator, unfitted, with the service's settings: the bare library call.
        bare = clone(model._classifier)
        began = time.perf_counter()
        bare.fit(rows_matrix, labels)
        raw_fit = time.perf_counter() - began
    examples = len(model.examples)
    rows = [
        Row(
            f"passage model, first training ({passages:,} passages, {examples:,} examples)",
            first,
            raw_fit,
        ),
        Row(
            f"retrain after one more marked passage (×{repeats})",
            max(after_mark),
            raw_fit,
            RETRAIN_BUDGET_S,
            ours_text=_spread(after_mark),
        ),
        Row(
            f"retrain after one rejected proposal (×{repeats})",
            max(after_reject),
            raw_fit,
            RETRAIN_BUDGET_S,
            ours_text=_spread(after_reject),
        ),
        Row(
            "  of which reading the examples again (passage_examples)",
            max(reading),
            math.nan,
            ours_text=_spread(reading),
        ),
    ]
    figures = {
        "reading_examples_s": reading,
        "passages": passages,
        "examples": examples,
        "first_train_s": first,
        "after_mark_s": after_mark,
        "after_reject_s": after_reject,
        "raw_fit_s": raw_fit,
        "estimator": repr(bare),
        "features": int(rows_matrix.shape[1]),
        "nonzeros": int(rows_matrix.nnz),
    }
    return rows, figures
