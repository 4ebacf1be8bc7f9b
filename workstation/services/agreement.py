"""How far two officers agree in coding the same articles (``workstation agreement OTHER``
and the merge review's Agreement section): Cohen's κ and Krippendorff's unitised α per
category and overall, and the spans they coded differently (the arithmetic:
``domain.agreement``).

Their workspace is read read-only, known tables only, under a time limit, as a merge reads
it (``storage.other_workspace``); nothing is written to either side. Documents are the same
when their texts are (same sha256): ids may differ between two officers' imports.

What counts as a passage: live, placed (not orphaned), not a mention-only span. A passage
with no category counts under "(no category)". Their category is ours when it has our
category's id, or failing that our category's name (case-insensitively); otherwise it is a
category of theirs alone (κ and α then say how little the other side used it).

After a merge our workspace holds their passages too: given the merge's ChangeSet
(``before``), our side is taken as it stood before the merge, by taking the merge's changes
back in memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation.domain.agreement import Agreement, Figures, Span, compare
from workstation.domain.records import (
    Annotation,
    Category,
    ChangeSet,
    Document,
    Event,
    Evidence,
    Judgment,
)
from workstation.domain.text_display import shown_line
from workstation.services.outcome import ServiceError
from workstation.storage import merging

if TYPE_CHECKING:
    from workstation.services.session import Session
    from workstation.storage import Workspace

NO_CATEGORY = "(no category)"
EXCERPT_CHARS = 60  # of a disagreement's text shown on its line


@dataclass(frozen=True)
class DisagreementRow:
    """A span coded differently, ready to show and to open in the reader (our document)."""

    document_id: str
    title: str
    start: int
    end: int
    excerpt: str  # one line, through text_display
    ours: tuple[str, ...]  # category names; () none
    theirs: tuple[str, ...]


@dataclass
class AgreementReport:
    other: Path
    documents: int  # shared documents compared
    characters: int
    categories: list[Figures]  # category: its name here
    overall: Figures
    disagreements: list[DisagreementRow] = field(default_factory=list)
    only_ours: int = 0  # documents of ours they do not have (not compared)
    only_theirs: int = 0
    # Passages left out because their offsets do not fit their text (a damaged file).
    unplaceable_ours: int = 0
    unplaceable_theirs: int = 0


@dataclass(frozen=True)
class _Side:
    documents: dict[str, tuple[str, str]]  # id → (sha256, title), live documents
    passages: list[tuple[str, Any, Any, str | None]]  # document id, start, end, category id
    categories: dict[str, str]  # id → name


def agreement_with(
    session: Session,
    other_path: Path | str,
    *,
    episode: str | None = None,
    before: ChangeSet | None = None,
) -> AgreementReport:
    """Compare our passages with those in the workspace at ``other_path`` (module notes).
    ``episode`` (title or id) narrows it to the documents the episode cites."""
    other_path = _checked_other(session, other_path)
    ws = session.workspace
    ours = _side(_read(ws, Document), _read(ws, Annotation), _read(ws, Category), before)
    wanted = None
    if episode is not None:
        wanted = _episode_documents(session, session.episodes.resolve(episode).id)
    with merging.open_other(other_path, author=session.author) as other:
        theirs = _side(_read(other, Document), _read(other, Annotation), _read(other, Category))
    our_by_hash = _by_hash(ours.documents)
    their_by_hash = _by_hash(theirs.documents)
    shared = [h for h in our_by_hash if h in their_by_hash]
    if wanted is not None:
        shared = [h for h in shared if any(d in wanted for d in our_by_hash[h])]
    if not shared:
        where = "of the episode's documents " if wanted is not None else "documents "
        raise ServiceError(
            f"no {where}in common with {other_path.name}: no text of theirs is the same as ours"
        )
    # One document of ours stands for each shared text: the first imported.
    chosen = {h: our_by_hash[h][0] for h in shared}
    bodies = merging.document_bodies(ws, chosen.values())
    names = {**{k: v for k, v in theirs.categories.items()}, **ours.categories}
    keys = _their_category_keys(ours.categories, theirs.categories)
    lengths = {d: len(bodies.get(d, "")) for d in chosen.values()}
    spans_ours, bad_ours = _spans(
        ours.passages, _document_keys(our_by_hash, chosen), lambda c: c, lengths
    )
    spans_theirs, bad_theirs = _spans(
        theirs.passages, _document_keys(their_by_hash, chosen), keys.get, lengths
    )
    figures = compare([(chosen[h], lengths[chosen[h]]) for h in shared], spans_ours, spans_theirs)
    report = _report(other_path, figures, len(shared), names, bodies, ours, their_by_hash, shared)
    report.unplaceable_ours, report.unplaceable_theirs = bad_ours, bad_theirs
    return report


def _report(
    other_path: Path,
    figures: Agreement,
    shared_count: int,
    names: dict[str, str],
    bodies: dict[str, str],
    ours: _Side,
    their_by_hash: dict[str, list[str]],
    shared: list[str],
) -> AgreementReport:
    def name(key: str) -> str:
        return NO_CATEGORY if key == "" else names.get(key, key)

    rows = [
        Figures(name(f.category or ""), f.ours, f.theirs, f.kappa, f.alpha)
        for f in figures.categories
    ]
    rows.sort(key=lambda f: (f.category or "").casefold())
    disagreements = []
    for d in figures.disagreements:
        text = bodies.get(d.document, "")[d.start : d.end]
        excerpt = shown_line(" ".join(text.split()))
        if len(excerpt) > EXCERPT_CHARS:
            excerpt = excerpt[: EXCERPT_CHARS - 1] + "…"
        disagreements.append(
            DisagreementRow(
                d.document,
                ours.documents[d.document][1],
                d.start,
                d.end,
                excerpt,
                tuple(name(c) for c in d.ours),
                tuple(name(c) for c in d.theirs),
            )
        )
    disagreements.sort(key=lambda r: (r.title.casefold(), r.document_id, r.start))
    our_hashes = {sha for sha, _ in ours.documents.values()}
    return AgreementReport(
        other=other_path,
        documents=shared_count,
        characters=figures.characters,
        categories=rows,
        overall=figures.overall,
        disagreements=disagreements,
        only_ours=len(our_hashes - set(shared)),
        only_theirs=len(set(their_by_hash) - set(shared)),
    )


def _checked_other(session: Session, other_path: Path | str) -> Path:
    other = Path(other_path)
    if not other.exists():
        raise ServiceError(f"no such workspace to compare with: {other}")
    if not other.is_file():
        raise ServiceError(f"not a workspace file: {other}")
    if other.resolve() == session.path.resolve() or os.path.samefile(other, session.path):
        raise ServiceError(f"that is this workspace itself; nothing to compare: {other}")
    return other


def _read(ws: Workspace, cls: type[Any]) -> list[dict[str, Any]]:
    """Records as plain dicts (the shape a ChangeSet's states have)."""
    return [vars(record) for record in merging.read_all(ws, cls)]


def _side(
    documents: list[dict[str, Any]],
    annotations: list[dict[str, Any]],
    categories: list[dict[str, Any]],
    before: ChangeSet | None = None,
) -> _Side:
    tables = {
        Document.TABLE: {r["id"]: r for r in documents},
        Annotation.TABLE: {r["id"]: r for r in annotations},
        Category.TABLE: {r["id"]: r for r in categories},
    }
    if before is not None:  # take the merge back, newest change first
        for change in reversed(before.changes):
            table = tables.get(change.table)
            if table is None:
                continue
            if change.before is None:
                table.pop(change.record_id, None)
            else:
                table[change.record_id] = {**table.get(change.record_id, {}), **change.before}
    live_documents = {
        i: (str(r["sha256"]), str(r.get("title") or ""))
        for i, r in tables[Document.TABLE].items()
        if r.get("deleted_at") is None
    }
    passages = [
        (str(r["document_id"]), r.get("start"), r.get("end"), r.get("category_id"))
        for r in tables[Annotation.TABLE].values()
        if r.get("deleted_at") is None
        and not r.get("orphan")
        and not r.get("mention_only")
        and r.get("document_id") in live_documents
    ]
    names = {i: str(r.get("name") or "") for i, r in tables[Category.TABLE].items()}
    return _Side(live_documents, passages, names)


def _by_hash(documents: dict[str, tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for document_id, (sha, _) in documents.items():
        found.setdefault(sha, []).append(document_id)
    return found


def _document_keys(by_hash: dict[str, list[str]], chosen: dict[str, str]) -> dict[str, str]:
    """Each side's document id → the id of ours standing for its text."""
    return {d: chosen[sha] for sha, ids in by_hash.items() if sha in chosen for d in ids}


def _their_category_keys(ours: dict[str, str], theirs: dict[str, str]) -> dict[str, str]:
    by_name: dict[str, str] = {}
    for category_id, name in ours.items():
        by_name.setdefault(name.casefold(), category_id)
    keys: dict[str, str] = {}
    for category_id, name in theirs.items():
        if category_id in ours:
            keys[category_id] = category_id
        else:
            keys[category_id] = by_name.get(name.casefold(), category_id)
    return keys


def _spans(
    passages: Iterable[tuple[str, Any, Any, str | None]],
    documents: dict[str, str],
    category_key: Any,
    lengths: dict[str, int],
) -> tuple[list[Span], int]:
    """The passages on shared documents as spans, and how many of them do not fit their
    text (offsets not whole numbers, reversed, or past the end): counted, not compared."""
    spans, unplaceable = [], 0
    for document_id, start, end, category_id in passages:
        document = documents.get(document_id)
        if document is None:
            continue
        fits = type(start) is int and type(end) is int and 0 <= start < end <= lengths[document]
        if not fits:
            unplaceable += 1
            continue
        key = "" if category_id is None else category_key(category_id) or category_id
        spans.append(Span(document, start, end, str(key)))
    return spans, unplaceable


def _episode_documents(session: Session, episode_id: str) -> set[str]:
    """Documents holding a passage the episode cites (events' evidence, judgments)."""
    ws = session.workspace
    events = {r["id"] for r in _read(ws, Event) if r["episode_id"] == episode_id}
    cited = {
        r["annotation_id"]
        for r in _read(ws, Evidence)
        if r["event_id"] in events and r.get("deleted_at") is None
    }
    for judgment in _read(ws, Judgment):
        if judgment["episode_id"] == episode_id and judgment.get("deleted_at") is None:
            cited.update(judgment.get("cited") or [])
    if not cited:
        raise ServiceError("the episode cites no passages, so it names no documents to compare")
    return {r["document_id"] for r in _read(ws, Annotation) if r["id"] in cited}
