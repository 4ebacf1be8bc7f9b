"""Mention suggestions against a large registry: ``python -m bench.suggest_bench``.

Rows (docs/architecture.md budget, issue 5): suggestions for one open document (< 50 ms) and for the
whole workspace of 1,000 documents (< 2 s), with 500 entities holding 2,000 aliases. Ours is
``SuggestionService.suggest`` end to end: entities read, registry compiled (cold run) or
reused, bodies, linked spans and rejections read from SQLite, one trie-shaped scan per
document, rapidfuzz for near-miss person names, filtering. The raw baseline is the plain
Python loop an officer would write first, over bodies already in memory:
``for alias in aliases: alias.lower() in text.lower()`` — containment only, no positions,
no word boundaries, no declensions, no misspellings.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import BODIES, COUNTRIES, CYRILLIC, PEOPLE, RARE_PEOPLE, articles
from bench.report import Row, fmt_time, log, percentile, print_run_in_scratch, render_table
from workstation.importers.base import DocumentDraft
from workstation.services import Session, create_session
from workstation.services.suggestions import SuggestionService, forget_compiled

ONE_DOCUMENT_BUDGET_S = 0.050
WORKSPACE_BUDGET_S = 2.0  # for 1,000 documents; scaled linearly for other sizes
ALIASES_PER_ENTITY = 4
SEED = 2021

_LATIN_TO_CYRILLIC = {
    "shch": "щ", "sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "ts": "ц", "yu": "ю", "ya": "я",
    "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и",
    "j": "й", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р",
    "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс", "y": "ы", "z": "з",
}  # fmt: skip
_SYLLABLES = "ka lo mi ra vo ne sha tor gin bel dan ro zi pe ko lev mar sin tu ya".split()  # noqa: SIM905


def cyrillic(text: str) -> str:
    """A crude transliteration: enough for names that look and match like Russian ones."""
    out, i, lower = [], 0, text.lower()
    while i < len(lower):
        for size in (4, 2, 1):
            piece = lower[i : i + size]
            if piece in _LATIN_TO_CYRILLIC:
                letter = _LATIN_TO_CYRILLIC[piece]
                out.append(letter.upper() if text[i].isupper() else letter)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def registry(count: int, rng: random.Random) -> list[tuple[str, str, list[str]]]:
    """(kind, name, aliases): the corpus's people, states and bodies, then invented people
    (Latin and Cyrillic) up to ``count`` entities, each with exactly four aliases."""
    entries: list[tuple[str, str, list[str]]] = []
    for name in (*PEOPLE, *RARE_PEOPLE):
        surname = name.split()[-1]
        russian = CYRILLIC.get(name) or cyrillic(name)
        aliases = [surname, f"{name[0]}. {surname}", russian, russian.split()[-1]]
        entries.append(("Person", name, aliases))
    for place in COUNTRIES:
        bare = place.removeprefix("the ")
        aliases = [f"Government of {bare}", f"{bare} authorities", cyrillic(bare), bare.upper()]
        entries.append(("Country", bare, aliases))
    for body in BODIES:
        bare = body.removeprefix("the ")
        aliases = [body, f"{bare} officials", cyrillic(bare), f"{bare} press office"]
        entries.append(("PublicBody", bare, aliases))
    seen = {name for _, name, _ in entries}
    while len(entries) < count:
        first = "".join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()
        surname = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize() + "ov"
        name = f"{first} {surname}"
        if name in seen:
            continue
        seen.add(name)
        aliases = [surname, f"{first[0]}. {surname}", cyrillic(name), cyrillic(surname)]
        entries.append(("Person", name, aliases))
    return entries[:count]


def fill(session: Session, documents: int, entities: int) -> list[str]:
    """Entities and documents through the services (one outer transaction each), then
    some suggestions accepted and rejected so linked spans and rejections are read too."""
    rng = random.Random(SEED)
    with session.workspace.transaction():
        for kind, name, aliases in registry(entities, rng):
            session.entities.create(kind, name, aliases=aliases)
        ids = [
            session.documents.add(
                DocumentDraft(title=title, text=body, origin_name=f"bench-{index}.txt")
            ).record.id
            for index, (title, body) in enumerate(articles(SEED, documents))
        ]
    service = SuggestionService(session)
    with session.workspace.transaction():
        for document_id in ids[::10]:
            found = service.suggest(document_id)
            for suggestion in found[:3]:
                service.accept(suggestion)
            for suggestion in found[3:4]:
                service.reject(suggestion)
    return ids


def raw_scan(texts: Sequence[str], aliases: Sequence[str]) -> int:
    hits = 0
    for text in texts:
        lowered = text.lower()
        for alias in aliases:
            if alias.lower() in lowered:
                hits += 1
    return hits


def run(args: argparse.Namespace, folder: Path) -> str:
    started = time.perf_counter()
    session = create_session(folder / "suggest.sqlite", author="bench")
    try:
        ids = fill(session, args.documents, args.entities)
        service = SuggestionService(session)
        entities = session.entities.list_entities()
        aliases = [label for e in entities for label in (e.name, *e.aliases)]
        texts = {doc_id: session.documents.get(doc_id).body for doc_id in ids}
        setup = time.perf_counter() - started
        log(f"setup {setup:.1f} s: {len(ids)} documents, {len(entities)} entities")

        forget_compiled()
        re.purge()  # or the cold run would reuse the trie pattern ``re`` compiled in setup
        tick = time.perf_counter()
        everything = service.suggest()
        cold = time.perf_counter() - tick
        tick = time.perf_counter()
        service.suggest()
        warm = time.perf_counter() - tick
        tick = time.perf_counter()
        raw_hits = raw_scan(list(texts.values()), aliases)
        raw_all = time.perf_counter() - tick

        rng = random.Random(SEED + 1)
        ours_one, raw_one = [], []
        for doc_id in rng.sample(ids, min(len(ids), args.samples)):
            tick = time.perf_counter()
            service.suggest(doc_id)
            ours_one.append(time.perf_counter() - tick)
            tick = time.perf_counter()
            raw_scan([texts[doc_id]], aliases)
            raw_one.append(time.perf_counter() - tick)
    finally:
        session.close()

    p50, p95 = percentile(ours_one, 50), percentile(ours_one, 95)
    r50, r95 = percentile(raw_one, 50), percentile(raw_one, 95)
    scale = args.documents / 1000
    size = f"{len(entities)} entities / {len(aliases) - len(entities):,} aliases"
    rows = [
        Row(
            f"suggest: one open document p50 / p95 ({size})",
            p95,
            r95,
            ONE_DOCUMENT_BUDGET_S,
            ours_text=f"{fmt_time(p50)} / {fmt_time(p95)}",
            raw_text=f"{fmt_time(r50)} / {fmt_time(r95)}",
        ),
        Row(
            f"suggest: whole workspace, {len(ids):,} documents, registry compiled cold",
            cold,
            raw_all,
            WORKSPACE_BUDGET_S * scale,
        ),
    ]
    notes = [
        "",
        f"whole workspace with the registry already compiled: {fmt_time(warm)}; "
        f"compiling it costs the difference ({fmt_time(cold - warm)})",
        f"suggestions found: {len(everything):,} (raw loop: {raw_hits:,} document/alias "
        "containments, without positions)",
        f"one document: mean {fmt_time(statistics.mean(ours_one))} over {len(ours_one)} "
        f"documents of ~{sum(map(len, texts.values())) // len(texts):,} characters",
        f"setup (not timed): {setup:.1f} s",
    ]
    return render_table(rows, smoke=args.quick) + "\n".join(notes)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.suggest_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 documents, 100 entities")
    parser.add_argument("--documents", type=int, help="documents (default 1000; quick 100)")
    parser.add_argument("--entities", type=int, help="entities (default 500; quick 100)")
    parser.add_argument("--samples", type=int, default=50, help="documents timed one by one")
    args = parser.parse_args(argv)
    args.documents = args.documents or (100 if args.quick else 1000)
    args.entities = args.entities or (100 if args.quick else 500)
    if args.quick:
        args.samples = min(args.samples, 10)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    return print_run_in_scratch("suggest-bench-", run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
