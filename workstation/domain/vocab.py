"""Closed vocabularies shared by storage, services, the GUI and the brief."""

from __future__ import annotations

from dataclasses import dataclass

# FollowTheMoney schema names, so entities export without translation.
ENTITY_KINDS = (
    "Person",
    "Organization",
    "PublicBody",
    "Company",
    "Country",
    "LegalEntity",
    "Address",
)

MENTION_ROLES = ("actor", "target", "speaker", "subject", "mentioned")

EVENT_KINDS = (
    "sanction",
    "expulsion",
    "countermeasure",
    "statement",
    "accusation",
    "diplomatic step",
    "arms control",
    "other",
)

MARKINGS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")


@dataclass(frozen=True)
class CategorySeed:
    name: str
    colour: str
    shortcut: str
    description: str


# Colours chosen to stay distinguishable as light highlights and in a PDF.
DEFAULT_CATEGORIES: tuple[CategorySeed, ...] = (
    CategorySeed(
        "Sanction", "#e6550d", "1", "A restrictive measure: asset freeze, ban, restriction"
    ),
    CategorySeed("Expulsion", "#d62728", "2", "Diplomats declared persona non grata or sent home"),
    CategorySeed("Countermeasure", "#9467bd", "3", "A measure taken in answer to another"),
    CategorySeed("Statement", "#1f77b4", "4", "An official statement, position or warning"),
    CategorySeed("Accusation", "#8c564b", "5", "One party blames another for an act"),
    CategorySeed("Diplomatic step", "#2ca02c", "6", "Summons, closures, talks, congratulations"),
    CategorySeed("Arms control", "#17becf", "7", "Treaties, ratifications, verification"),
    CategorySeed("Other", "#7f7f7f", "8", "Context worth keeping"),
)
