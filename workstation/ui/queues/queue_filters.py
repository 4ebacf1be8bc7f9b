"""The suggestions queue's filters and what accept-all says: the kind filter (All, Mentions,
Names, Passages, Events, each with its count), the entity filter (mentions of one entity),
and the remembered choices (the kind shown, least certain first)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QComboBox, QLabel, QPushButton

from workstation.domain.assistant import Proposal
from workstation.domain.text_display import shown_line
from workstation.services.suggestions import Suggestion
from workstation.ui.common.widgets import count_noun, named
from workstation.ui.queues.proposal_rows import ALL, KINDS, QueueRow, kind_of
from workstation.ui.shell import window_state

KIND_SETTING = "queues/kind"  # the kind the queue showed last
LEAST_CERTAIN_FIRST = "queues/least_certain_first"  # passages by margin, ascending
# One queue of everything by default (issue 16); the officer's choice is remembered. Tests
# that are not about the assistant start on mentions (tests/conftest.py) so that proposals
# arriving from the background never race what they check.
DEFAULT_KIND = ALL
Translate = Callable[[str], str]


def kind_labels(tr: Translate) -> dict[str, str]:
    return {
        ALL: tr("All"),
        "mention": tr("Mentions"),
        "name": tr("Names"),
        "passage": tr("Passages"),
        "event": tr("Events"),
    }


def kind_controls(kind: str, tr: Translate) -> tuple[QLabel, QComboBox, QPushButton]:
    """The kind filter (its label, its combo starting on ``kind``) and the checkable "Least
    certain first" button (as last left)."""
    combo = named(QComboBox(), "suggestionsKind", tr("Show kind"))
    combo.setToolTip(tr("Mentions of known entities, or the assistant's proposals"))
    combo.addItem("", kind)
    fill_kinds(combo, {}, set(), tr)
    label = named(QLabel(tr("&Kind")), "suggestionsKindLabel", tr("Kind"))
    label.setBuddy(combo)
    button = named(
        QPushButton(tr("&Least certain first")),
        "suggestionsLeastCertain",
        tr("Least certain first"),
        tr("Passages the assistant is least sure of first: your answer teaches it most"),
    )
    button.setCheckable(True)
    button.setChecked(least_certain_first())
    return label, combo, button


def least_certain_first() -> bool:
    return window_state.preference(LEAST_CERTAIN_FIRST, False)


def save_least_certain_first(on: bool) -> None:
    window_state.set_preference(LEAST_CERTAIN_FIRST, on)


def saved_kind() -> str:
    value = window_state.settings().value(KIND_SETTING, DEFAULT_KIND)
    return value if isinstance(value, str) and value in (ALL, *KINDS) else DEFAULT_KIND


def save_kind(kind: str) -> None:
    store = window_state.settings()
    store.setValue(KIND_SETTING, kind)
    store.sync()


def shows(kind: str, row: QueueRow) -> bool:
    return kind == ALL or kind_of(row) == kind


def fill_kinds(combo: QComboBox, counts: dict[str, int], counted: set[str], tr: Translate) -> None:
    """One entry per kind with its count (kinds not ``counted`` yet show none); the chosen
    kind stays chosen."""
    chosen = combo.currentData()
    labels = kind_labels(tr)
    combo.blockSignals(True)
    try:
        combo.clear()
        for kind in (ALL, *KINDS):
            known = kind in counted or (kind == ALL and counted >= set(KINDS))
            text = f"{labels[kind]} ({counts.get(kind, 0)})" if known else labels[kind]
            combo.addItem(text, kind)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
    finally:
        combo.blockSignals(False)


def fill_entities(combo: QComboBox, rows: Sequence[QueueRow]) -> None:
    """One entry per entity with mentions in the queue, with its count, most suggested
    first; the chosen entity stays chosen while it has suggestions."""
    mentions = [s for s in rows if isinstance(s, Suggestion)]
    counts = Counter(s.entity_id for s in mentions)
    names = {s.entity_id: s.entity_name for s in mentions}
    chosen = combo.currentData()
    combo.blockSignals(True)
    try:
        while combo.count() > 1:
            combo.removeItem(1)
        for entity_id, n in sorted(counts.items(), key=lambda i: (-i[1], names[i[0]])):
            combo.addItem(f"{shown_line(names[entity_id])} ({n})", entity_id)
        index = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(index, 0))
    finally:
        combo.blockSignals(False)


def accept_all_text(rows: Sequence[QueueRow], where: str, tr: Translate) -> tuple[str, str, bool]:
    """(button text, tooltip, enabled) of accept-all over ``rows`` (what the queue shows):
    how many, of what, where. Events are never accepted all at once."""
    mentions = [s for s in rows if isinstance(s, Suggestion)]
    proposals = [p for p in rows if isinstance(p, Proposal) and p.kind in ("name", "passage")]
    events = sum(1 for p in rows if kind_of(p) == "event")
    n = len(mentions) + len(proposals)
    button = tr("Accept all {n}").format(n=n)
    if not proposals:
        names = sorted({s.entity_name for s in mentions})
        if len(names) == 1:
            whom = shown_line(names[0])
        else:
            whom = count_noun(len(names), tr("entity"), tr("entities"))
        tip = tr(
            "Link all {n} shown ({whom}) in {where}, as one undo step (Shift+A). "
            "Choose an entity under Show to accept only its suggestions."
        ).format(n=count_noun(n, tr("suggestion"), tr("suggestions")), whom=whom, where=where)
    else:
        parts = []
        for count, one, many in (
            (len(mentions), tr("mention"), tr("mentions")),
            (sum(p.kind == "name" for p in proposals), tr("new name"), tr("new names")),
            (sum(p.kind == "passage" for p in proposals), tr("passage"), tr("passages")),
        ):
            if count:
                parts.append(count_noun(count, one, many))
        tip = tr("Accept all {n} shown ({what}) in {where}, as one undo step (Shift+A).").format(
            n=n, what=", ".join(parts), where=where
        )
    if events:
        tip += " " + tr(
            "Events are not accepted all at once: each is confirmed in the event form (A)."
        )
    return button, tip, n > 0
