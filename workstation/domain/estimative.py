"""ICD 203 estimative language: likelihood terms and analytic confidence.

Likelihood and confidence are different claims; a judgment states them in separate sentences.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Likelihood:
    term: str
    synonym: str
    low: int  # percent
    high: int


LIKELIHOOD_SCALE: tuple[Likelihood, ...] = (
    Likelihood("almost no chance", "remote", 1, 5),
    Likelihood("very unlikely", "highly improbable", 5, 20),
    Likelihood("unlikely", "improbable", 20, 45),
    Likelihood("roughly even chance", "roughly even odds", 45, 55),
    Likelihood("likely", "probable", 55, 80),
    Likelihood("very likely", "highly probable", 80, 95),
    Likelihood("almost certain", "nearly certain", 95, 99),
)

LIKELIHOOD_TERMS: tuple[str, ...] = tuple(item.term for item in LIKELIHOOD_SCALE)
CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "moderate", "low")


def likelihood(term: str) -> Likelihood:
    wanted = term.strip().lower()
    for item in LIKELIHOOD_SCALE:
        if wanted in (item.term, item.synonym):
            return item
    raise ValueError(f"{term!r} is not an ICD 203 likelihood term ({', '.join(LIKELIHOOD_TERMS)})")


def check_confidence(level: str) -> str:
    wanted = level.strip().lower()
    if wanted not in CONFIDENCE_LEVELS:
        raise ValueError(f"{level!r} is not a confidence level ({', '.join(CONFIDENCE_LEVELS)})")
    return wanted
