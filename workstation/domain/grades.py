"""Admiralty (NATO) source grading: reliability of the source, credibility of the item."""

from __future__ import annotations

RELIABILITY = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
CREDIBILITY = {
    "1": "Confirmed by other sources",
    "2": "Probably true",
    "3": "Possibly true",
    "4": "Doubtful",
    "5": "Improbable",
    "6": "Truth cannot be judged",
}


def check_grade(reliability: str | None, credibility: str | None) -> tuple[str | None, str | None]:
    rel = reliability.strip().upper() if reliability else None
    cred = str(credibility).strip() if credibility else None
    if rel is not None and rel not in RELIABILITY:
        raise ValueError(f"reliability must be A–F, not {reliability!r}")
    if cred is not None and cred not in CREDIBILITY:
        raise ValueError(f"credibility must be 1–6, not {credibility!r}")
    return rel, cred


def format_grade(reliability: str | None, credibility: str | None) -> str:
    return f"{reliability or 'F'}{credibility or '6'}"
