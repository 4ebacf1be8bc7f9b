"""What page 1 says beyond the episode's own text, computed from the Brief's data: the basis of
each judgment's confidence, the chain of actions and answers, the one-line source summary.
Plain data, no ReportLab (like compose.py)."""

from __future__ import annotations

import re
from dataclasses import replace

from briefs.model import Brief, Judgment, Source, TimelineEntry

CHAIN_TITLE = 48  # characters of an event title in a chain line


def paragraph_of(body: str, offset: int) -> int:
    """The 1-based paragraph of ``body`` that holds ``offset``: paragraphs are separated by
    blank lines, or by line breaks when the body has no blank line."""
    before = body[: max(0, offset)]
    separator = r"\n[ \t]*\n\s*" if re.search(r"\n[ \t]*\n", body) else r"\n\s*"
    return len(re.findall(separator, before.lstrip())) + 1


def grade_range(grades: list[str]) -> str:
    ordered = sorted(set(g for g in grades if g))
    if not ordered:
        return "ungraded"
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}–{ordered[-1]}"


def _outlets(sources: list[Source]) -> set[str]:
    return {(s.outlet or s.title).strip().casefold() for s in sources}


def basis(cited: tuple[int, ...], sources: dict[int, Source]) -> str:
    """ "3 sources graded B2–C3, corroborated by 2 independent outlets" or "single source"."""
    used = [sources[n] for n in cited if n in sources]
    if not used:
        return "no releasable source cited"
    count = f"{len(used)} source{'s' if len(used) > 1 else ''}"
    grades = grade_range([s.grade for s in used])
    outlets = len(_outlets(used))
    if outlets >= 2:
        return f"{count} graded {grades}, corroborated by {outlets} independent outlets"
    if len(used) > 1:
        return f"{count} graded {grades}, all from one outlet: single-source"
    return f"1 source graded {grades}: single-source"


def with_bases(judgments: list[Judgment], sources: list[Source]) -> list[Judgment]:
    by_number = {s.number: s for s in sources}
    return [replace(j, basis=basis(j.sources, by_number)) for j in judgments]


def source_summary(brief: Brief) -> str:
    if not brief.sources:
        return "Sources: none releasable cited."
    outlets = len({s.outlet.strip().casefold() for s in brief.sources if s.outlet.strip()})
    unnamed = sum(1 for s in brief.sources if not s.outlet.strip())
    articles = len(brief.sources)
    grades = grade_range([s.grade for s in brief.sources])
    line = f"Sources: {articles} article{'s' if articles > 1 else ''}"
    if outlets:
        line += f" from {outlets} outlet{'s' if outlets > 1 else ''}"
    if unnamed:
        line += f"{' and' if outlets else ','} {unnamed} with no outlet recorded"
    line += f", graded {grades}"
    by_number = {s.number: s for s in brief.sources}
    items = [j.sources for j in brief.judgments] + [e.sources for e in brief.timeline]
    single = sum(1 for cited in items if cited and len(_outlets([by_number[n] for n in cited])) < 2)
    if single:
        line += f"; {single} single-source item{'s' if single > 1 else ''}"
    return line + "."


def _short_date(entry: TimelineEntry) -> str:
    parts = entry.date_label.split()
    if len(parts) == 3:  # 15 APR 2021 → 15 Apr 21
        return f"{parts[0]} {parts[1].capitalize()} {parts[2][2:]}"
    return entry.date_label


def _step(entry: TimelineEntry, numbers: dict[str, int]) -> str:
    title = " ".join(entry.title.split())
    if len(title) > CHAIN_TITLE:
        title = title[: CHAIN_TITLE - 1].rstrip() + "…"
    return f"#{numbers[entry.event_id]} {_short_date(entry)} {entry.actor}: {title}"


def chain(timeline: list[TimelineEntry], limit: int | None = None, where: str = "") -> list[str]:
    """Who answered whom, one line per thread: an action, then its answers (``;``), then the
    answers to the last of them… Threads newest first when ``limit`` cuts them."""
    numbers = {e.event_id: n for n, e in enumerate(timeline, start=1)}
    by_id = {e.event_id: e for e in timeline}
    answers: dict[str, list[TimelineEntry]] = {}
    for entry in timeline:
        if entry.responds_to in by_id:
            answers.setdefault(entry.responds_to, []).append(entry)
    roots = [e for e in timeline if e.event_id in answers and e.responds_to not in by_id]
    threads: list[tuple[str, str]] = []  # (last date, line)
    for root in roots:
        parts = [_step(root, numbers)]
        current, seen, last = root, {root.event_id}, root.date
        while current.event_id in answers:
            replies = [r for r in answers[current.event_id] if r.event_id not in seen]
            if not replies:
                break
            parts.append("; ".join(_step(r, numbers) for r in replies))
            seen.update(r.event_id for r in replies)
            last = max(last, *(r.date for r in replies))
            following = [r for r in replies if r.event_id in answers]
            if not following:
                break
            current = following[-1]
        threads.append((last, " → ".join(parts)))
    if limit is not None and len(threads) > limit:
        kept = sorted(threads, key=lambda t: t[0], reverse=True)[:limit]
        threads = [t for t in threads if t in kept]
        omitted = len(roots) - limit
        return [line for _, line in threads] + [
            f"… and {omitted} earlier exchange{'s' if omitted > 1 else ''}{where}."
        ]
    return [line for _, line in threads]
