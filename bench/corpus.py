"""A deterministic synthetic news corpus for the benchmark.

Everything here is driven by ``random.Random(seed)``: the same seed gives the same articles,
byte for byte, on every machine. The articles read like wire copy about sanctions,
expulsions and counter-measures (about 5 KB each, paragraphs separated by blank lines) and
mix in Latin, accented and Cyrillic names so the tokenizer (``unicode61 remove_diacritics 2``)
sees what real desk material gives it.

Words the benchmark searches for, and roughly how often they occur:

- ``sanctions`` / ``sanct*``: in most paragraphs (the "common word" and "prefix" queries);
- ``Песков``, ``Лавров``: in a few percent of sentences (the "Cyrillic" queries);
- ``"asset freeze"``, ``"travel ban"``: fixed two-word phrases, a few percent of sentences;
- the rare names (``Nebenzya``, ``Szijjártó``…): about one sentence in a thousand.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

# -- vocabulary -------------------------------------------------------------------------------

PEOPLE = (
    "Dmitry Peskov",
    "Sergei Lavrov",
    "Maria Zakharova",
    "Sergei Ryabkov",
    "Anatoly Antonov",
    "Antony Blinken",
    "Jake Sullivan",
    "Jen Psaki",
    "Ned Price",
    "Josep Borrell",
    "Ursula von der Leyen",
    "Heiko Maas",
    "Jean-Yves Le Drian",
    "Dominic Raab",
    "Jens Stoltenberg",
    "Zbigniew Rau",
    "Dmytro Kuleba",
    "Tomáš Petříček",
    "José Manuel Albares",
    "Ann Linde",
    "Jüri Luik",
    "Gabrielius Landsbergis",
)

# Cyrillic spellings, quoted in brackets after the Latin name now and then, the way
# monitoring copy does it.
CYRILLIC = {
    "Dmitry Peskov": "Дмитрий Песков",
    "Sergei Lavrov": "Сергей Лавров",
    "Maria Zakharova": "Мария Захарова",
    "Sergei Ryabkov": "Сергей Рябков",
    "Anatoly Antonov": "Анатолий Антонов",
}

# Names that appear about once in a thousand sentences: the "rare name" queries.
RARE_PEOPLE = (
    "Vassily Nebenzya",
    "Péter Szijjártó",
    "Edgars Rinkēvičs",
    "Bogdan Aurescu",
    "Nikos Dendias",
)
RARE_RATE = 0.001

ROLES = {
    "Dmitry Peskov": "Kremlin spokesman",
    "Sergei Lavrov": "Russian Foreign Minister",
    "Maria Zakharova": "Foreign Ministry spokeswoman",
    "Sergei Ryabkov": "Deputy Foreign Minister",
    "Anatoly Antonov": "Russia's ambassador in Washington",
    "Antony Blinken": "Secretary of State",
    "Jake Sullivan": "National Security Adviser",
    "Jen Psaki": "White House press secretary",
    "Ned Price": "State Department spokesman",
    "Josep Borrell": "the EU's foreign policy chief",
    "Ursula von der Leyen": "European Commission President",
}

COUNTRIES = (
    "Russia",
    "the United States",
    "Ukraine",
    "Germany",
    "France",
    "Poland",
    "the Czech Republic",
    "Lithuania",
    "Latvia",
    "Estonia",
    "Belarus",
    "the United Kingdom",
    "Sweden",
    "Spain",
    "Hungary",
)

BODIES = (
    "the Kremlin",
    "the State Department",
    "the Treasury",
    "the European Council",
    "NATO",
    "the Foreign Ministry",
    "the Security Council",
    "the OSCE",
    "the Bundestag",
    "the Quai d'Orsay",
    "the Office of Foreign Assets Control",
)

MEASURES = (
    "sanctions",
    "targeted sanctions",
    "sectoral sanctions",
    "an asset freeze",
    "a travel ban",
    "visa restrictions",
    "export controls",
    "the expulsion of ten diplomats",
    "the closure of a consulate",
    "a ban on sovereign debt purchases",
    "counter-sanctions",
    "reciprocal measures",
)

VERBS_ACT = (
    "imposed",
    "announced",
    "extended",
    "expanded",
    "threatened",
    "approved",
    "condemned",
    "denounced",
    "welcomed",
    "rejected",
)

VERBS_SAY = ("said", "told reporters", "wrote", "warned", "insisted", "stressed", "added")

TOPICS = (
    "the poisoning of Alexei Navalny",
    "the SolarWinds hack",
    "interference in the 2020 election",
    "the build-up of troops near Ukraine",
    "the New START extension",
    "the annexation of Crimea",
    "the Vrbětice depot explosions",
    "cyber attacks on government networks",
    "the arrest of opposition activists",
    "the Nord Stream 2 pipeline",
)

WHEN = (
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "over the weekend",
    "late on Thursday",
    "earlier this week",
    "in April",
    "on 15 April",
    "on 16 April",
    "last month",
)

QUOTES = (
    "This will not go unanswered",
    "We are acting in the spirit of reciprocity",
    "The door to dialogue remains open",
    "These measures are proportionate and targeted",
    "Sanctions will not change our course",
    "We want a stable and predictable relationship",
    "Such steps only deepen mistrust",
    "The response will be measured but firm",
    "Nobody should be surprised by this decision",
    "There is no alternative to diplomacy",
)

FILLER = (
    "officials",
    "diplomats",
    "analysts",
    "the embassy",
    "the ministry",
    "negotiations",
    "the talks",
    "the decision",
    "a statement",
    "the list",
    "the envoy",
    "the summit",
    "the delegation",
    "the agreement",
    "the measures",
    "the government",
    "relations",
    "tensions",
    "the region",
    "security",
)

OUTLETS = ("Reuters", "AP", "AFP", "TASS", "Interfax", "DW", "RFE/RL", "Meduza", "Le Monde")

# -- sentences --------------------------------------------------------------------------------

_TEMPLATES = (
    "{person}, {role}, {say} {when} that {country} would respond to {measure}.",
    "{country} {act} {measure} against {country2} {when} over {topic}.",
    '"{quote}," {person} {say} in a statement published by {body}.',
    "{body} {act} {measure} {when}, citing {topic}.",
    "According to {body}, {measure} would target {filler} linked to {topic}.",
    "{person}'s remarks came after {country} {act} {measure} {when}.",
    "{person} {say} that the asset freeze covered {filler} in {country} and {country2}.",
    "{country2} said the travel ban was a response to {topic}.",
    "In Moscow, {person} {say} that reciprocity would guide the answer to {measure}.",
    "{filler_cap} in {country} expect further sanctions after {topic}.",
    "The move follows {topic}, which {body} has blamed on {country}.",
    "{person} {say} {when} that {filler} had been given until the end of the month to leave.",
    "Sanctions on {filler} in {country} remain in force, {body} {say}.",
    "{person} and {person2} met {when} to discuss {topic} and {measure}.",
)

_SENTENCE_END = re.compile(r"[^\n.!?]+[.!?]+\"?")


class _Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self) -> str:
        rng = self.rng
        if rng.random() < RARE_RATE:
            return rng.choice(RARE_PEOPLE)
        name = rng.choice(PEOPLE)
        cyrillic = CYRILLIC.get(name)
        if cyrillic and rng.random() < 0.3:
            return f"{name} ({cyrillic})"
        return name

    def sentence(self) -> str:
        rng = self.rng
        template = rng.choice(_TEMPLATES)
        person = self.person()
        bare = person.split(" (")[0]
        filler = rng.choice(FILLER)
        text = template.format(
            person=person,
            person2=self.person(),
            role=ROLES.get(bare, "a senior official"),
            say=rng.choice(VERBS_SAY),
            act=rng.choice(VERBS_ACT),
            when=rng.choice(WHEN),
            country=rng.choice(COUNTRIES),
            country2=rng.choice(COUNTRIES),
            measure=rng.choice(MEASURES),
            topic=rng.choice(TOPICS),
            body=rng.choice(BODIES),
            quote=rng.choice(QUOTES),
            filler=filler,
            filler_cap=filler[0].upper() + filler[1:],
        )
        return text[0].upper() + text[1:]

    def title(self) -> str:
        rng = self.rng
        first = rng.choice(COUNTRIES)
        first = first[0].upper() + first[1:]
        return f"{first} {rng.choice(VERBS_ACT)} {rng.choice(MEASURES)} over {rng.choice(TOPICS)}"


def article(rng: random.Random, *, target_chars: int = 5000) -> tuple[str, str]:
    """One article: (title, body). The body is ~``target_chars`` code points, paragraphs
    separated by blank lines, a dateline in front."""
    writer = _Writer(rng)
    title = writer.title()
    paragraphs: list[str] = []
    size = 0
    dateline = f"{rng.choice(('MOSCOW', 'WASHINGTON', 'BRUSSELS', 'PRAGUE', 'KYIV'))} "
    dateline += f"({rng.choice(OUTLETS)}) — "
    while size < target_chars:
        sentences = [writer.sentence() for _ in range(rng.randint(2, 5))]
        paragraph = " ".join(sentences)
        if not paragraphs:
            paragraph = dateline + paragraph
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return title, "\n\n".join(paragraphs)


def articles(seed: int, count: int, *, target_chars: int = 5000) -> Iterator[tuple[str, str]]:
    """``count`` articles, deterministic for ``seed``. Each title is numbered so no two
    articles (and no two bodies, which start with the title) are identical."""
    rng = random.Random(seed)
    for index in range(count):
        title, body = article(rng, target_chars=target_chars)
        title = f"{title} ({seed}-{index})"
        yield title, f"{title}\n\n{body}"


def write_articles(folder: Path | str, count: int, *, seed: int = 2021) -> list[Path]:
    """Write ``count`` articles as UTF-8 .txt files (headline on the first line) into
    ``folder``; returns their paths in order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, (_title, text) in enumerate(articles(seed, count)):
        path = folder / f"article-{index:05d}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """Code-point ranges (end exclusive) of the sentences of ``body``, leading blanks
    trimmed."""
    spans = []
    for match in _SENTENCE_END.finditer(body):
        start, end = match.span()
        while start < end and body[start].isspace():
            start += 1
        if end - start >= 20:
            spans.append((start, end))
    return spans


def annotation_spans(
    body: str,
    count: int,
    rng: random.Random,
    sentences: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """``count`` passages of ``body`` as (start, end) code-point ranges: mostly single
    sentences, some two or three consecutive sentences, some a clause inside one. Ranges
    may overlap (officers mark the same sentence under two categories). ``sentences`` may
    be given when the caller has them already (the scale bench reuses them per body)."""
    if sentences is None:
        sentences = sentence_spans(body)
    if not sentences:
        return [(0, min(len(body), 80))] * count
    spans = []
    for _ in range(count):
        index = rng.randrange(len(sentences))
        start, end = sentences[index]
        roll = rng.random()
        if roll < 0.2 and index + 1 < len(sentences):
            end = sentences[min(len(sentences) - 1, index + rng.randint(1, 2))][1]
        elif roll < 0.35 and end - start > 60:
            # a clause: cut at a space somewhere past the middle
            cut = body.rfind(" ", start + 30, end - 10)
            if cut > start:
                end = cut
        spans.append((start, end))
    return spans
