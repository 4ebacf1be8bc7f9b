"""What the one queue shows of each kind of row: a mention of a known entity (a
``Suggestion``) or an assistant ``Proposal`` (a new name, a passage to mark, an event to
draft). Plain functions over the rows, no widgets: the model draws their parts, the
explanation panel shows their text, the dock orders and counts them.

Every piece of user or document text goes through ``shown_line`` (docs/architecture.md,
Text display); nothing here is markup, and the surfaces that show it are plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeAlias

from workstation.domain.assistant import Proposal
from workstation.domain.dates import format_event_date
from workstation.domain.matching import context
from workstation.domain.text_display import shown_line
from workstation.services.suggestions import Suggestion
from workstation.ui.common.widgets import elide

QueueRow: TypeAlias = Suggestion | Proposal
# (headline, detail, before, match, after): the delegate's two lines. An empty ``match``
# means the second line is ``after`` alone, from the left (a passage's own sentence).
Parts: TypeAlias = tuple[str, str, str, str, str]
Lookup: TypeAlias = Callable[[str], str]  # an entity's or an event's id → its name or title

KINDS = ("mention", "name", "passage", "event")
KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}
ALL = "all"  # the kind filter's "every kind"


def kind_of(row: QueueRow) -> str:
    return "mention" if isinstance(row, Suggestion) else row.kind


def percent(score: float) -> str:
    return f"{round(score * 100)}%"


def event_date(draft_date: str | None, precision: str) -> str:
    if not draft_date:
        return "no date"
    try:
        return format_event_date(draft_date, precision)
    except ValueError:
        return draft_date


def headline(row: QueueRow, events: Lookup) -> str:
    """The first line's words: what accepting the row makes."""
    if isinstance(row, Suggestion):
        return shown_line(row.entity_name)
    if row.kind == "name":
        kind = row.entity_kind or "name"
        return f"New {kind}: {shown_line(row.normal or row.text)}"
    if row.kind == "passage":
        return f"Passage · {shown_line(row.category)}"
    draft = row.draft
    if draft is None:
        return "Event"
    line = f"Event · {draft.kind} {event_date(draft.date, draft.precision)}"
    if draft.responds_to:
        line += f" → answers {shown_line(events(draft.responds_to))}"
    return line


def parts(row: QueueRow, body: str, events: Lookup, where: str = "") -> Parts:
    """The delegate's pieces for ``row`` (``where``: the document's title, in workspace
    scope)."""
    detail = percent(row.score) + (f" · {shown_line(where)}" if where else "")
    if isinstance(row, Proposal) and row.kind in ("passage", "event"):
        # The sentence itself: it is the span, so it needs no words around it.
        return headline(row, events), detail, "", "", shown_line(" ".join(row.text.split()))
    before, after = context(body, row.start, row.end)
    return (
        headline(row, events),
        detail,
        shown_line(before),
        shown_line(row.text),
        shown_line(after),
    )


def ordered(rows: Iterable[Proposal], least_certain_first: bool) -> list[Proposal]:
    """Assistant rows by kind (names, passages, events), each best first; passages least
    certain first when asked (active learning: the officer's answer teaches most there)."""

    def key(p: Proposal) -> tuple[int, float, str, int]:
        if p.kind == "passage" and least_certain_first:
            return (KIND_ORDER[p.kind], p.margin, p.document_id, p.start)
        return (KIND_ORDER[p.kind], -p.score, p.document_id, p.start)

    return sorted(rows, key=key)


def counts(rows: Sequence[QueueRow]) -> dict[str, int]:
    """Rows per kind, and ``ALL``."""
    found = dict.fromkeys(KINDS, 0)
    for row in rows:
        found[kind_of(row)] += 1
    found[ALL] = len(rows)
    return found


# -- the explanation panel --------------------------------------------------------------------


def explanation(row: QueueRow | None, entities: Lookup, events: Lookup) -> str:
    """Why the row is proposed, in plain text for the panel under the queue."""
    if row is None:
        return ""
    if isinstance(row, Suggestion):
        lines = [f"Mention of {shown_line(row.entity_name)} · {percent(row.score)}"]
        lines.append(f"Why: {shown_line(row.reason)}" if row.reason else "Why: the name as known")
        return "\n".join(lines)
    lines = [f"{headline(row, events)} · {percent(row.score)}", f"Why: {shown_line(row.reason)}"]
    if row.kind == "name":
        lines += _name_lines(row)
    elif row.kind == "passage":
        lines += _passage_lines(row)
    else:
        lines += _event_lines(row, entities, events)
    return "\n".join(lines)


def _name_lines(row: Proposal) -> list[str]:
    lines = [f"As written: “{shown_line(row.text)}”"]
    if row.counterpart:
        lines.append(f"Also spelt: {shown_line(row.counterpart)} (kept as an alias)")
    if row.occurrences > 1:
        lines.append(f"Stands {row.occurrences} times in this document")
    return lines


def _passage_lines(row: Proposal) -> list[str]:
    lines = [f"Ahead of the next category by {percent(row.margin)}"]
    found = row.explanation
    if found is None:
        return lines
    if found.words:
        words = ", ".join(f"{shown_line(w)} ({weight:+.2f})" for w, weight in found.words[:8])
        lines.append(f"Words that weighed most: {words}")
    if found.nearest:
        lines.append("Nearest labelled passages:")
        for _key, text, category, similarity in found.nearest[:3]:
            lines.append(f"  {percent(similarity)} {shown_line(category)} — “{elide(text, 90)}”")
    return lines


def _event_lines(row: Proposal, entities: Lookup, events: Lookup) -> list[str]:
    draft = row.draft
    if draft is None:
        return []

    def who(entity_id: str | None) -> str:
        return shown_line(entities(entity_id)) if entity_id else "(none)"

    lines = [
        f"Kind: {draft.kind}",
        f"Date: {event_date(draft.date, draft.precision)} ({draft.precision})",
        f"Actor: {who(draft.actor_id)}",
        f"Target: {who(draft.target_id)}",
        f"Title: {shown_line(draft.title)}",
    ]
    if draft.answers:
        lines.append("Answers (best first):")
        for n, answer in enumerate(draft.answers[:3], 1):
            title = shown_line(events(answer.event_id))
            lines.append(f"  {n}. {title} · {percent(answer.score)}: {shown_line(answer.reason)}")
    else:
        lines.append("Answers no event of the episode")
    lines.append(f"From the passage: “{elide(row.text, 120)}”")
    return lines
