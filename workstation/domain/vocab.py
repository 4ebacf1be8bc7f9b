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


# Colours chosen to stay distinguishable as swatches and as the reader's pale highlights, in
# light and dark schemes (CIEDE2000: ≥ 20 between the colours, ≥ 15 between their tints;
# tests/unit/test_palette.py). The earlier palette's Sanction and Expulsion tints were 10
# apart and officers could not tell them from each other.
DEFAULT_CATEGORIES: tuple[CategorySeed, ...] = (
    CategorySeed(
        "Sanction", "#ff6625", "1", "A restrictive measure: asset freeze, ban, restriction"
    ),
    CategorySeed("Expulsion", "#eb0042", "2", "Diplomats declared persona non grata or sent home"),
    CategorySeed("Countermeasure", "#6540be", "3", "A measure taken in answer to another"),
    CategorySeed("Statement", "#0081ff", "4", "An official statement, position or warning"),
    CategorySeed("Accusation", "#f6b700", "5", "One party blames another for an act"),
    CategorySeed("Diplomatic step", "#1ea205", "6", "Summons, closures, talks, congratulations"),
    CategorySeed("Arms control", "#00cccb", "7", "Treaties, ratifications, verification"),
    CategorySeed("Other", "#c6c6c6", "8", "Context worth keeping"),
)
