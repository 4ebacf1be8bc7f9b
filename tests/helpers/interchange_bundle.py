"""A small export bundle built from domain records, shared by the interchange format tests.

The Russian-language body puts an emoji (one code point, two UTF-16 units) before later
passages, so any writer counting anything but code points lands in the wrong place; one
passage crosses newlines, a blank line and a tab, one starts with "=" and one with "-" (spreadsheet
formula triggers), one is internal (not releasable).
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.domain.offsets import body_sha256, make_selector
from workstation.domain.records import (
    Annotation,
    Category,
    Document,
    Entity,
    Episode,
    Event,
    Evidence,
    Mention,
)
from workstation.interchange.bundle import ExportBundle

RU_BODY = (
    "Министр иностранных дел Сергей Лавров заявил, что Москва ответит 😀 зеркально.\n"
    "Russia expels ten US diplomats.\n"
    "=HYPERLINK list\tfollows here.\n"
    "\n"
    "-Sanctions on Alexei Gromov were announced."
)
EN_BODY = (
    "On 15 April 2021 the United States imposed new sanctions on Russia.\n"
    "The order also expelled 10 Russian diplomats."
)


@dataclass
class Sample:
    bundle: ExportBundle
    ru: Document
    en: Document
    lavrov_quote: Annotation  # inside the first line, before the emoji
    after_emoji: Annotation  # starts after the emoji: code points matter
    across_lines: Annotation  # crosses newlines, a blank line and a tab
    formula: Annotation  # starts with "="
    dash: Annotation  # starts with "-", internal
    sanctions: Annotation
    lavrov: Entity
    russia: Entity
    usa: Entity
    gromov: Entity


def passage(document: Document, quote: str, **fields) -> Annotation:
    start = document.body.index(quote)
    selector = make_selector(document.body, start, start + len(quote))
    return Annotation(
        document_id=document.id,
        start=selector.start,
        end=selector.end,
        exact=selector.exact,
        prefix=selector.prefix,
        suffix=selector.suffix,
        author=fields.pop("author", "officer.one"),
        created_at=fields.pop("created_at", "2021-04-16T08:00:00.250000Z"),
        updated_at=fields.pop("updated_at", "2021-04-16T09:30:00+00:00"),
        **fields,
    )


def build_sample() -> Sample:
    ru = Document(
        title="Лавров: Москва ответит 😀",
        body=RU_BODY,
        sha256=body_sha256(RU_BODY),
        outlet="ТАСС",
        published="2021-04-16",
        language="ru",
    )
    en = Document(
        title="US sanctions Russia",
        body=EN_BODY,
        sha256=body_sha256(EN_BODY),
        url="https://example.org/news/us-sanctions",
        outlet="Example News",
        published="2021-04-15",
        language="en",
    )
    statement = Category(name="Statement", position=4)
    sanction = Category(name="Sanction", position=1)
    expulsion = Category(name="Expulsion", position=2)
    odd = Category(name="Arms control: New/START, <2021>", position=7)
    lavrov = Entity(
        kind="Person",
        name="Сергей Лавров",
        aliases=["Sergey Lavrov", "Lavrov"],
        country="ru",
        wikidata_id="Q207781",
        description="Foreign minister of Russia",
    )
    russia = Entity(kind="Country", name="Russia", country="ru", wikidata_id="Q159")
    usa = Entity(kind="Country", name="United States", country="us", wikidata_id="Q30")
    gromov = Entity(kind="Person", name="Alexei Gromov", aliases=["Алексей Громов"], country="ru")

    lavrov_quote = passage(ru, "Сергей Лавров", category_id=statement.id)
    after_emoji = passage(
        ru, "зеркально", category_id=statement.id, note="Mirror response:\nsame scale."
    )
    across_lines = passage(
        ru, "diplomats.\n=HYPERLINK list\tfollows here.\n\n-Sanctions", category_id=expulsion.id
    )
    formula = passage(ru, "=HYPERLINK list", category_id=odd.id, note="=cmd|' /C calc'!A0")
    dash = passage(ru, "-Sanctions on Alexei Gromov", category_id=sanction.id, releasable=False)
    sanctions = passage(
        en, "the United States imposed new sanctions on Russia", category_id=sanction.id
    )
    uncategorised = passage(en, "expelled 10 Russian diplomats")
    mentions = [
        Mention(annotation_id=lavrov_quote.id, entity_id=lavrov.id, role="speaker"),
        Mention(annotation_id=after_emoji.id, entity_id=russia.id, role="actor"),
        Mention(annotation_id=across_lines.id, entity_id=usa.id, role="target"),
        Mention(annotation_id=across_lines.id, entity_id=russia.id, role="actor"),
        Mention(annotation_id=dash.id, entity_id=gromov.id, role="target"),
        Mention(annotation_id=sanctions.id, entity_id=usa.id, role="actor"),
        Mention(annotation_id=sanctions.id, entity_id=russia.id, role="target"),
    ]
    episode = Episode(title="April 2021 sanctions")
    sanction_event = Event(
        episode_id=episode.id,
        date="2021-04-01",
        precision="month",
        kind="sanction",
        title="US sanctions Alexei Gromov",
        summary="Blocking sanctions under a new executive order.",
        actor_id=usa.id,
        target_id=gromov.id,
        legal_basis="Executive Order 14024",
    )
    expulsion_event = Event(
        episode_id=episode.id,
        date="2021-04-16",
        kind="expulsion",
        title="Russia expels ten US diplomats",
        actor_id=russia.id,
        target_id=usa.id,
        responds_to=sanction_event.id,
    )
    bundle = ExportBundle(
        # deliberately not in export order: writers must sort
        documents=[ru, en],
        annotations=[
            uncategorised,
            dash,
            sanctions,
            formula,
            across_lines,
            after_emoji,
            lavrov_quote,
        ],
        categories={c.id: c for c in (statement, sanction, expulsion, odd)},
        entities=[usa, gromov, russia, lavrov],
        mentions=mentions,
        episodes=[episode],
        events=[expulsion_event, sanction_event],
        evidence=[
            Evidence(event_id=sanction_event.id, annotation_id=dash.id),
            Evidence(event_id=sanction_event.id, annotation_id=sanctions.id),
            Evidence(event_id=expulsion_event.id, annotation_id=across_lines.id),
        ],
    )
    return Sample(
        bundle,
        ru,
        en,
        lavrov_quote,
        after_emoji,
        across_lines,
        formula,
        dash,
        sanctions,
        lavrov,
        russia,
        usa,
        gromov,
    )
