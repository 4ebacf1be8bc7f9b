"""What changed since the previous brief, field by field.

Each recorded brief carries a manifest: per item (judgment and event by record id, source by
document id, excerpt by passage id, entity by id) the fields a reader would notice. The next
brief compares its own manifest with the previous one and lists new items, removed items
(named only when they were deleted, never when now withheld as internal) and, for items in
both, what changed ("confidence moderate → high"). A renamed entity is reported once, not
as a change to every event it touches: events refer to entities by id.

Manifests recorded before field-level tracking (lists of ``[digest, label]``) are still read:
the comparison says so and lists what it can (additions and removals).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable
from typing import Any

from briefs.model import Brief, Change

VERSION = 2


def manifest(brief: Brief) -> dict[str, Any]:
    """The fields that matter, per item, for the next brief's comparison (JSON-ready)."""
    passage_of = {e.number: e.annotation_id for e in brief.excerpts}
    entities: dict[str, str] = {}
    for t in brief.timeline:
        for entity_id, name in ((t.actor_id, t.actor), (t.target_id, t.target)):
            if entity_id:
                entities[entity_id] = name
    for a in brief.actors:
        if a.entity_id:
            entities[a.entity_id] = a.name
    return {
        "version": VERSION,
        "judgment": {
            j.judgment_id: {
                "number": j.number,
                "text": j.text,
                "likelihood": j.likelihood,
                "confidence": j.confidence,
                "cited": [passage_of[n] for n in j.excerpts if n in passage_of],
                "position": j.number,
            }
            for j in brief.judgments
        },
        "event": {
            t.event_id: {
                "date": t.date,
                "date_label": t.date_label,
                "precision": t.precision,
                "kind": t.kind,
                "title": t.title,
                "actor": t.actor_id or "",
                "target": t.target_id or "",
                "responds_to": t.responds_to or "",
                "evidence": [passage_of[n] for n in t.excerpts if n in passage_of],
                "legal_basis": t.legal_basis,
            }
            for t in brief.timeline
        },
        "source": {
            s.document_id: {
                "number": s.number,
                "title": s.title,
                "outlet": s.outlet,
                "published": s.published,
                "grade": s.grade,
            }
            for s in brief.sources
        },
        "excerpt": {
            e.annotation_id: {"number": e.number, "quote": e.quote} for e in brief.excerpts
        },
        "entity": entities,
    }


def diff(
    old: dict[str, Any], new: dict[str, Any], withheld: dict[str, set[str]] | None = None
) -> list[Change]:
    """Changes from ``old`` to ``new``. ``withheld``: per kind, ids of items that still exist
    but were left out (internal); they are counted, never named."""
    withheld = withheld or {}
    if old.get("version") != VERSION:
        return _diff_legacy(old, new, withheld)
    return _Differ(old, new, withheld).changes()


class _Differ:
    def __init__(self, old: dict[str, Any], new: dict[str, Any], withheld: dict[str, set[str]]):
        self.old, self.new, self.withheld = old, new, withheld
        self.out: list[Change] = []
        self.old_names: dict[str, str] = old.get("entity", {})
        self.new_names: dict[str, str] = new.get("entity", {})

    def changes(self) -> list[Change]:
        self._entities()
        self._judgments()
        self._events()
        self._sources()
        self._excerpts()
        return self.out

    def add(self, what: str, how: str, label: str) -> None:
        self.out.append(Change(what, how, label))

    def _removed(self, what: str, removed: list[tuple[str, str]]) -> None:
        hidden = 0
        for item_id, label in removed:
            if item_id in self.withheld.get(what, set()) or not label:
                hidden += 1
            else:
                self.add(what, "removed", f"Removed {what}: {label}")
        if hidden:
            noun = what if hidden == 1 else f"{what}s"
            self.add(
                what,
                "removed",
                f"{hidden} {noun} no longer in this brief (deleted, or withheld as internal).",
            )

    # -- entities -------------------------------------------------------------------------

    def _entities(self) -> None:
        for entity_id, name in self.new_names.items():
            before = self.old_names.get(entity_id)
            if before is not None and before != name:
                self.add("entity", "renamed", f"Entity renamed: {before} → {name}")

    def _entity(self, entity_id: str, names: dict[str, str]) -> str:
        return names.get(entity_id, "—") if entity_id else "—"

    # -- judgments ------------------------------------------------------------------------

    def _judgments(self) -> None:
        before, after = self.old.get("judgment", {}), self.new.get("judgment", {})
        old_excerpts, new_excerpts = self.old.get("excerpt", {}), self.new.get("excerpt", {})
        common = [k for k in after if k in before]
        old_rank = {k: i for i, k in enumerate(sorted(common, key=lambda k: before[k]["position"]))}
        new_rank = {k: i for i, k in enumerate(sorted(common, key=lambda k: after[k]["position"]))}
        shifted: list[tuple[int, int]] = []
        for key, j in after.items():
            label = f"Judgment {j['number']}"
            if key not in before:
                self.add("judgment", "new", f"New judgment {j['number']}: {_short(j['text'])}")
                continue
            was = before[key]
            parts = []
            if was["text"] != j["text"]:
                parts.append(f"text edited ({word_diff(was['text'], j['text'])})")
            for name in ("likelihood", "confidence"):
                if was[name] != j[name]:
                    parts.append(f"{name} {was[name]} → {j[name]}")
            for passage in j["cited"]:
                if passage not in was["cited"]:
                    parts.append(f"citation added: E{_number(new_excerpts, passage)}")
            for passage in was["cited"]:
                if passage not in j["cited"]:
                    parts.append(f"citation dropped: E{_number(old_excerpts, passage)}")
            if old_rank[key] != new_rank[key]:
                parts.append(f"moved from position {was['position']} to {j['position']}")
            elif was["number"] != j["number"]:  # shifted by an addition or removal before it
                shifted.append((was["number"], j["number"]))
            if parts:
                self.add("judgment", "changed", f"{label}: " + "; ".join(parts))
        self._removed(
            "judgment",
            [(k, f"“{_short(v['text'])}”") for k, v in before.items() if k not in after],
        )
        if shifted:
            self.add("judgment", "renumbered", "Judgments renumbered: " + _runs(shifted, "{}"))

    # -- events ---------------------------------------------------------------------------

    def _events(self) -> None:
        before, after = self.old.get("event", {}), self.new.get("event", {})
        for key, e in after.items():
            if key not in before:
                self.add("event", "new", f"New event: {e['date_label']} — {e['title']}")
                continue
            was = before[key]
            parts = []
            if (was["date"], was["precision"]) != (e["date"], e["precision"]):
                parts.append(f"date {_date_diff(was['date_label'], e['date_label'])}")
            if was["kind"] != e["kind"]:
                parts.append(f"kind {was['kind']} → {e['kind']}")
            if was["title"] != e["title"]:
                parts.append(f"title “{was['title']}” → “{e['title']}”")
            for role in ("actor", "target"):
                if was[role] != e[role]:
                    parts.append(
                        f"{role} {self._entity(was[role], self.old_names)} → "
                        f"{self._entity(e[role], self.new_names)}"
                    )
            if was["responds_to"] != e["responds_to"]:
                answered = after.get(e["responds_to"], {}).get("title", "—")
                parts.append(f"now answers “{answered}”" if e["responds_to"] else "answers nothing")
            if was["legal_basis"] != e["legal_basis"]:
                parts.append(f"legal basis “{was['legal_basis']}” → “{e['legal_basis']}”")
            gained = [p for p in e["evidence"] if p not in was["evidence"]]
            lost = [p for p in was["evidence"] if p not in e["evidence"]]
            if gained or lost:
                new_numbers = self.new.get("excerpt", {})
                old_numbers = self.old.get("excerpt", {})
                bits = [_count("+", gained, new_numbers)] if gained else []
                bits += [_count("−", lost, old_numbers)] if lost else []
                parts.append("evidence: " + ", ".join(bits))
            if parts:
                self.add(
                    "event", "changed", f"Event “{_short(e['title'], 40)}”: " + "; ".join(parts)
                )
        self._removed(
            "event",
            [(k, f"{v['date_label']} — {v['title']}") for k, v in before.items() if k not in after],
        )

    # -- sources and excerpts -------------------------------------------------------------

    def _sources(self) -> None:
        before, after = self.old.get("source", {}), self.new.get("source", {})
        moved = []
        for key, s in after.items():
            if key not in before:
                self.add("source", "new", f"New source [{s['number']}]: {s['title']}")
                continue
            was = before[key]
            if was["number"] != s["number"]:
                moved.append((was["number"], s["number"]))
            parts = [
                f"{name} {was[name] or '—'} → {s[name] or '—'}"
                for name in ("title", "outlet", "published", "grade")
                if was[name] != s[name]
            ]
            if parts:
                self.add("source", "changed", f"Source [{s['number']}]: " + "; ".join(parts))
        # Sources are not named when they leave: their passages may now be internal.
        self._removed("source", [(k, "") for k in before if k not in after])
        if moved:
            self.add("source", "renumbered", "Sources renumbered: " + _runs(moved, "[{}]"))

    def _excerpts(self) -> None:
        before, after = self.old.get("excerpt", {}), self.new.get("excerpt", {})
        moved = []
        for key, e in after.items():
            was = before.get(key)
            if was is None:
                continue
            if was["number"] != e["number"]:
                moved.append((was["number"], e["number"]))
            if was["quote"] != e["quote"]:
                diff_text = word_diff(was["quote"], e["quote"])
                self.add(
                    "excerpt", "changed", f"Excerpt E{e['number']}: quote edited ({diff_text})"
                )
        if moved:
            self.add("excerpt", "renumbered", "Excerpts renumbered: " + _runs(moved))


def _runs(moved: list[tuple[int, int]], label: str = "E{}") -> str:
    """``[(4, 5), (5, 6), (9, 2)]`` → ``E4–E5 are now E5–E6, E9 is now E2``."""
    runs: list[list[int]] = []  # [first old, last old, shift]
    for old, new in sorted(moved):
        if runs and old == runs[-1][1] + 1 and new - old == runs[-1][2]:
            runs[-1][1] = old
        else:
            runs.append([old, old, new - old])
    parts = []
    for first, last, shift in runs:
        was = label.format(first) + ("" if first == last else "–" + label.format(last))
        now = label.format(first + shift) + (
            "" if first == last else "–" + label.format(last + shift)
        )
        parts.append(f"{was} {'is' if first == last else 'are'} now {now}")
    return ", ".join(parts)


def _count(sign: str, passages: list[str], excerpts: dict[str, Any]) -> str:
    """``+1 excerpt (E30)``: the numbers are those of the brief that shows them."""
    numbers = ", ".join(f"E{_number(excerpts, p)}" for p in passages)
    return f"{sign}{len(passages)} excerpt{'s' * (len(passages) > 1)} ({numbers})"


def _number(excerpts: dict[str, Any], passage: str) -> str:
    return str(excerpts.get(passage, {}).get("number", "?"))


def word_diff(old: str, new: str, limit: int = 2) -> str:
    """A short word-level diff: “will” → “will not”; at most ``limit`` spans."""
    a, b = old.split(), new.split()
    spans = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2 or j1 == j2:  # a pure insertion or deletion: show a neighbour for context
            if i1 > 0 and j1 > 0:
                i1, j1 = i1 - 1, j1 - 1
            elif i2 < len(a) and j2 < len(b):
                i2, j2 = i2 + 1, j2 + 1
        spans.append(f"“{_short(' '.join(a[i1:i2]), 40)}” → “{_short(' '.join(b[j1:j2]), 40)}”")
    if not spans:
        return "spacing only"
    more = len(spans) - limit
    return ", ".join(spans[:limit]) + (f" and {more} more" if more > 0 else "")


def _date_diff(old: str, new: str) -> str:
    """``15 APR 2021`` → ``16 APR 2021`` as ``15 → 16 APR 2021``."""
    a, b = old.split(), new.split()
    if len(a) == len(b) > 1:
        shared = 0
        while shared < len(a) - 1 and a[-1 - shared] == b[-1 - shared]:
            shared += 1
        if shared:
            tail = " ".join(b[len(b) - shared :])
            return f"{' '.join(a[: len(a) - shared])} → {' '.join(b[: len(b) - shared])} {tail}"
    return f"{old} → {new}"


# -- manifests recorded before field-level tracking ----------------------------------------

LEGACY_NOTE = (
    "Compared with a brief recorded before field-level tracking: "
    "additions and removals are listed, not what changed within an item."
)


def _diff_legacy(
    old: dict[str, Any], new: dict[str, Any], withheld: dict[str, set[str]]
) -> list[Change]:
    out = [Change("brief", "note", LEGACY_NOTE)]
    differ = _Differ({}, new, withheld)
    # Old judgments were keyed by a hash of their text: match those that kept their text.
    old_judgments = set(old.get("judgment", {}))
    new_judgments = {legacy_key(j["text"]): (k, j) for k, j in new.get("judgment", {}).items()}
    for key, (_id, j) in new_judgments.items():
        if key not in old_judgments:
            differ.add("judgment", "new", f"New judgment {j['number']}: {_short(j['text'])}")
    gone = [(k, v[1] if len(v) > 1 else "") for k, v in old.get("judgment", {}).items()]
    differ._removed("judgment", [(k, f"“{label}”") for k, label in gone if k not in new_judgments])
    labels: tuple[tuple[str, Callable[[dict[str, Any]], str]], ...] = (
        ("event", lambda e: f"{e['date_label']} — {e['title']}"),
        ("source", lambda s: f"[{s['number']}]: {s['title']}"),
    )
    for what, label_of in labels:
        before, after = old.get(what, {}), new.get(what, {})
        for key, item in after.items():
            if key not in before:
                differ.add(what, "new", f"New {what}: {label_of(item)}")
        removed = [
            (k, v[1] if what == "event" and len(v) > 1 else "")
            for k, v in before.items()
            if k not in after
        ]
        differ._removed(what, removed)
    return out + differ.out


def legacy_key(text: str) -> str:
    """How manifests before field-level tracking keyed a judgment: a hash of its text."""
    import json

    return hashlib.sha256(
        json.dumps(text, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
