"""The hand-labelled evaluation set for the offline assistant (issue 16), typed and checked.

``tests/data/assistant/articles/*.json`` holds articles written for the test set, each with
the names an officer would register, the passages he would mark and the events he would
draft (see that folder's README for the labelling rules). ``load_articles()`` reads them in
file-name order — the order an officer receives them — computes code-point spans and checks
every label against the body, the closed vocabularies and the sample registry, so a typo in
a hand edit fails loudly instead of skewing a measurement.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workstation.domain.vocab import DEFAULT_CATEGORIES, ENTITY_KINDS, EVENT_KINDS

ROOT = Path(__file__).resolve().parent.parent
ARTICLES_DIR = ROOT / "tests" / "data" / "assistant" / "articles"
SAMPLE_EPISODE = ROOT / "resources" / "sample" / "episode.json"

LANGUAGES = ("en", "ru")
CATEGORIES = tuple(seed.name for seed in DEFAULT_CATEGORIES)
# Names are people, organisations, public bodies, companies and countries; addresses and
# bare legal entities are never labelled as names in this set.
NAME_KINDS = tuple(kind for kind in ENTITY_KINDS if kind not in ("Address", "LegalEntity"))
PRECISION_PATTERNS = {
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "year": re.compile(r"\d{4}"),
}


@dataclass(frozen=True)
class LabelledName:
    text: str  # the surface string, as written ("Лаврова")
    kind: str  # one of NAME_KINDS
    entity: str | None  # the sample registry key, or None for a name the registry lacks
    normal: str  # canonical form: the nominative for Russian ("Сергей Лавров")
    # Every whole-word occurrence, less those inside a longer labelled name ("Lavrov" inside
    # "Sergei Lavrov" belongs to the longer name).
    spans: tuple[tuple[int, int], ...]

    @property
    def is_new(self) -> bool:
        return self.entity is None


@dataclass(frozen=True)
class LabelledQuote:
    quote: str
    start: int
    end: int
    category: str  # one of the default category names


@dataclass(frozen=True)
class LabelledEvent:
    key: str  # unique over the set
    kind: str  # one of EVENT_KINDS
    title: str
    date: str  # YYYY-MM-DD, YYYY-MM or YYYY, as ``precision`` says
    precision: str  # "day" | "month" | "year"
    actor: str | None  # a sample registry key, or the ``normal`` of a labelled name
    target: str | None
    evidence: LabelledQuote  # one of the article's passages
    responds_to: str | None  # an earlier event of this set or a sample event key


@dataclass(frozen=True)
class LabelledArticle:
    id: str
    language: str
    title: str
    published: str
    outlet: str
    body: str
    names: tuple[LabelledName, ...]
    passages: tuple[LabelledQuote, ...]
    events: tuple[LabelledEvent, ...]

    @property
    def new_names(self) -> tuple[LabelledName, ...]:
        return tuple(name for name in self.names if name.is_new)


@dataclass(frozen=True)
class _Registry:
    entities: frozenset[str]
    events: dict[str, str]  # key → date


def load_articles(folder: Path = ARTICLES_DIR) -> list[LabelledArticle]:
    """The labelled articles in file-name order; ValueError names the file and the item at
    the first label that does not check out."""
    registry = _sample_registry()
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise ValueError(f"{folder}: no labelled articles")
    raw = [(path, _read(path)) for path in paths]
    # Actors and targets may name an entity the registry lacks by its normal form, from any
    # article: a Russian report may act on a country first named in an English one.
    normals = {name["normal"] for _, data in raw for name in data.get("names", ())}
    known_events: dict[str, str] = dict(registry.events)
    # _article adds each event it reads to known_events, so later ones may answer it.
    return [
        _article(path.name, path.stem, data, registry, normals, known_events) for path, data in raw
    ]


def _sample_registry() -> _Registry:
    episode = json.loads(SAMPLE_EPISODE.read_text(encoding="utf-8"))
    return _Registry(
        entities=frozenset(entity["key"] for entity in episode["entities"]),
        events={event["key"]: event["date"] for event in episode["events"]},
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name}: not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: not a JSON object")
    return data


def _article(
    file: str,
    stem: str,
    data: dict[str, Any],
    registry: _Registry,
    normals: set[str],
    known_events: dict[str, str],
) -> LabelledArticle:
    for field in ("id", "language", "title", "published", "outlet", "body"):
        if not isinstance(data.get(field), str) or not data[field]:
            raise ValueError(f"{file}: missing or empty {field!r}")
    if data["id"] != stem:
        raise ValueError(f"{file}: id {data['id']!r} differs from the file name")
    if data["language"] not in LANGUAGES:
        raise ValueError(f"{file}: language {data['language']!r} not in {LANGUAGES}")
    if not PRECISION_PATTERNS["day"].fullmatch(data["published"]):
        raise ValueError(f"{file}: published {data['published']!r} is not YYYY-MM-DD")
    body: str = data["body"]
    names = _names(file, body, data.get("names", []), registry)
    passages = tuple(_quote(file, body, item) for item in data.get("passages", []))
    seen = set()
    for passage in passages:
        if (passage.start, passage.end) in seen:
            raise ValueError(f"{file}: passage {passage.quote!r} labelled twice")
        seen.add((passage.start, passage.end))
    by_quote = {passage.quote: passage for passage in passages}
    events = []
    for item in data.get("events", []):
        event = _event(file, item, data["published"], by_quote, registry, normals, known_events)
        known_events[event.key] = event.date  # later events of this article may answer it
        events.append(event)
    return LabelledArticle(
        id=data["id"],
        language=data["language"],
        title=data["title"],
        published=data["published"],
        outlet=data["outlet"],
        body=body,
        names=names,
        passages=passages,
        events=tuple(events),
    )


def _names(
    file: str, body: str, items: list[dict[str, Any]], registry: _Registry
) -> tuple[LabelledName, ...]:
    texts = [item.get("text") for item in items]
    if len(set(texts)) != len(texts):
        raise ValueError(f"{file}: a name text is listed twice")
    claimed: list[tuple[int, int]] = []
    spans_by_text: dict[str, tuple[tuple[int, int], ...]] = {}
    # Longest first, so a shorter name never claims the inside of a longer one.
    for text in sorted((str(text) for text in texts), key=len, reverse=True):
        found = []
        for match in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", body):
            span = (match.start(), match.end())
            if not any(start <= span[0] and span[1] <= end for start, end in claimed):
                found.append(span)
        spans_by_text[text] = tuple(found)
        claimed.extend(found)
    names = []
    for item in items:
        surface = item.get("text")
        where = f"{file}: name {surface!r}"
        if not isinstance(surface, str) or not surface:
            raise ValueError(f"{file}: a name without text")
        if item.get("kind") not in NAME_KINDS:
            raise ValueError(f"{where}: kind {item.get('kind')!r} not in {NAME_KINDS}")
        entity = item.get("entity")
        if entity is not None and entity not in registry.entities:
            raise ValueError(f"{where}: entity {entity!r} is not a sample registry key")
        if not isinstance(item.get("normal"), str) or not item["normal"]:
            raise ValueError(f"{where}: missing normal form")
        if not spans_by_text[surface]:
            raise ValueError(f"{where}: never occurs on its own (whole word) in the body")
        spans = spans_by_text[surface]
        names.append(LabelledName(surface, item["kind"], entity, item["normal"], spans))
    return tuple(names)


def _quote(file: str, body: str, item: dict[str, Any]) -> LabelledQuote:
    quote = item.get("quote")
    where = f"{file}: passage {quote!r}"
    if not isinstance(quote, str) or not quote:
        raise ValueError(f"{file}: a passage without a quote")
    if item.get("category") not in CATEGORIES:
        raise ValueError(f"{where}: category {item.get('category')!r} not in {CATEGORIES}")
    occurrence = item.get("occurrence", 1)
    if not isinstance(occurrence, int) or occurrence < 1:
        raise ValueError(f"{where}: occurrence must be a positive integer")
    start = -1
    for _ in range(occurrence):
        start = body.find(quote, start + 1)
        if start < 0:
            raise ValueError(f"{where}: occurrence {occurrence} not found in the body")
    return LabelledQuote(quote, start, start + len(quote), item["category"])


def _event(
    file: str,
    item: dict[str, Any],
    published: str,
    by_quote: dict[str, LabelledQuote],
    registry: _Registry,
    normals: set[str],
    known_events: dict[str, str],
) -> LabelledEvent:
    key = item.get("key")
    where = f"{file}: event {key!r}"
    if not isinstance(key, str) or not key:
        raise ValueError(f"{file}: an event without a key")
    if key in known_events:
        raise ValueError(f"{where}: key already used (in the sample or earlier in the set)")
    if item.get("kind") not in EVENT_KINDS:
        raise ValueError(f"{where}: kind {item.get('kind')!r} not in {EVENT_KINDS}")
    precision = item.get("precision")
    date = item.get("date")
    if precision not in PRECISION_PATTERNS:
        raise ValueError(f"{where}: precision {precision!r} not day, month or year")
    if not isinstance(date, str) or not PRECISION_PATTERNS[precision].fullmatch(date):
        raise ValueError(f"{where}: date {date!r} does not match precision {precision!r}")
    for role in ("actor", "target"):
        party = item.get(role)
        if party is not None and party not in registry.entities and party not in normals:
            raise ValueError(f"{where}: {role} {party!r} is neither a key nor a labelled name")
    if _start_of(date) > published:
        raise ValueError(f"{where}: dated {date}, after the article's publication")
    evidence = by_quote.get(item.get("evidence", ""))
    if evidence is None:
        raise ValueError(f"{where}: evidence is not one of the article's passage quotes")
    answered = item.get("responds_to")
    if answered is not None:
        if answered not in known_events:
            raise ValueError(f"{where}: responds_to {answered!r} is not an earlier event")
        # A month or a year counts from its first day, as EventDraft dates do.
        if _start_of(known_events[answered]) > _start_of(date):
            raise ValueError(f"{where}: answers {answered!r}, which is dated after it")
    return LabelledEvent(
        key=key,
        kind=item["kind"],
        title=str(item.get("title", "")),
        date=date,
        precision=precision,
        actor=item.get("actor"),
        target=item.get("target"),
        evidence=evidence,
        responds_to=answered,
    )


def _start_of(date: str) -> str:
    return {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date)
