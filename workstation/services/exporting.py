"""Exporting passages, entities and events to other tools' formats (W3C, brat, FtM, CSV).

The service gathers what to export into an ``ExportBundle`` (plain records); the converters in
``workstation.interchange`` turn that into files and never see the workspace.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.domain.counts import count_noun
from workstation.domain.document_details import check_language
from workstation.domain.records import (
    Annotation,
    Category,
    Document,
    Entity,
    Episode,
    Event,
    Evidence,
    Judgment,
    Mention,
    Relation,
)
from workstation.interchange.bundle import ExportBundle
from workstation.services.outcome import ServiceError
from workstation.services.output_paths import refuse_workspace_paths

if TYPE_CHECKING:
    from workstation.services.session import Session

FORMATS = ("w3c", "brat", "ftm", "csv")
# What each format writes: a single file, or a folder of files (brat).
WRITES_FOLDER = {"brat"}


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: counted from the records written, never from what was gathered
    (a workspace of 9 documents of which 3 have passages writes 3 brat pairs and says 3)."""

    format: str
    path: Path
    documents: int
    passages: int
    entities: int
    events: int
    # Mention-only spans (entity links where no passage was marked, m012): written as
    # W3C "identifying" annotations, brat "Mention" spans and CSV rows marked mention_only;
    # not counted among the passages.
    mentions: int = 0
    relations: int = 0  # FtM only: Ownership, Directorship… lines
    page_notes: int = 0  # W3C only: documents' notes, written as page notes (m015)

    def describe(self) -> str:
        passages = count_noun(self.passages, "passage")
        if self.mentions:
            passages += f" and {count_noun(self.mentions, 'mention-only span')}"
        documents = count_noun(self.documents, "document")
        articles = count_noun(self.documents, "article")
        entities = count_noun(self.entities, "entity", "entities")
        if self.page_notes:
            passages += f" and {count_noun(self.page_notes, 'document note')}"
        what = {
            "w3c": passages,
            "csv": passages,
            "brat": f"{documents}, {passages}",
            "ftm": f"{entities}, {articles}, {count_noun(self.events, 'event')}"
            + (f", {count_noun(self.relations, 'relation')}" if self.relations else ""),
        }[self.format]
        return f"exported {what} as {self.format} to {self.path}"


def gather(
    session: Session, episode: Episode | None = None, *, body_language: str | None = None
) -> ExportBundle:
    """Everything live in the workspace, or only what one episode rests on.
    ``body_language``: the language notes and category names are written in, when the
    officer says so (W3C bodies then carry it); refused with one line when unknown."""
    try:
        language = check_language(body_language)
    except ValueError as exc:
        raise ServiceError(str(exc)) from None
    records = session.workspace.records
    categories = {c.id: c for c in records.where(Category)}
    if episode is None:
        episodes = list(records.where(Episode))
        events = list(records.where(Event))
        evidence = list(records.where(Evidence))
        annotations = list(records.where(Annotation))
        mentions = list(records.where(Mention))
        entities = list(records.where(Entity))
        documents = list(records.where(Document))
    else:
        episodes = [episode]
        events = list(records.where(Event, {"episode_id": episode.id}))
        event_ids = {e.id for e in events}
        evidence = [e for e in records.where(Evidence) if e.event_id in event_ids]
        wanted = {e.annotation_id for e in evidence}
        for judgment in records.where(Judgment, {"episode_id": episode.id}):
            wanted.update(judgment.cited)
        annotations = [a for a in records.where(Annotation) if a.id in wanted]
        mentions = [m for m in records.where(Mention) if m.annotation_id in wanted]
        entity_ids = {m.entity_id for m in mentions}
        entity_ids.update(i for e in events for i in (e.actor_id, e.target_id) if i)
        entities = [e for e in records.where(Entity) if e.id in entity_ids]
        document_ids = {a.document_id for a in annotations}
        documents = [d for d in records.where(Document) if d.id in document_ids]
    live_entities = {e.id for e in entities}
    relations = [
        r
        for r in records.where(Relation)
        if r.subject_id in live_entities and r.object_id in live_entities
    ]
    return ExportBundle(
        documents=documents,
        annotations=annotations,
        categories=categories,
        entities=entities,
        mentions=[m for m in mentions if m.entity_id in live_entities],
        episodes=episodes,
        events=events,
        evidence=evidence,
        relations=relations,
        body_language=language,
    )


def export(
    session: Session,
    fmt: str,
    out: Path | str,
    *,
    episode: Episode | None = None,
    body_language: str | None = None,
) -> ExportSummary:
    """Write the workspace (or one episode's material) to ``out`` in format ``fmt``; never
    over the workspace or its sidecars and backups (``output_paths``)."""
    refuse_workspace_paths(out, session.path)
    bundle = gather(session, episode, body_language=body_language)
    return write_bundle(bundle, fmt, out, workspace=session.path)


def write_bundle(
    bundle: ExportBundle, fmt: str, out: Path | str, *, workspace: Path | None = None
) -> ExportSummary:
    """The file-writing half of an export: no workspace needed, so it can run in a worker.
    ``workspace``: the file the bundle came from, never to be written over."""
    from workstation.interchange import brat, csv_table, ftm, w3c

    if fmt not in FORMATS:
        raise ServiceError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out)
    if workspace is not None:
        refuse_workspace_paths(out, workspace)
    if fmt in WRITES_FOLDER:
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise ServiceError(f"{out}: brat export needs a new or empty folder")
    elif out.is_dir():
        raise ServiceError(f"{out} is a folder; give a file name")
    if not out.parent.is_dir():
        raise ServiceError(f"{out.parent}: no such folder")
    writer = {
        "w3c": w3c.write_w3c,
        "brat": brat.write_brat,
        "ftm": ftm.write_ftm,
        "csv": csv_table.write_csv,
    }[fmt]
    # Written beside the target and renamed into place: a failed export (full disk, a
    # converter error) leaves no half-written file where the officer expects a whole one.
    partial = out.with_name(out.name + ".partial")
    _remove(partial)
    try:
        if fmt in WRITES_FOLDER:
            partial.mkdir()
        written = writer(bundle, partial)
        if fmt in WRITES_FOLDER and out.is_dir():
            out.rmdir()  # the empty folder the officer chose
        os.replace(partial, out)
    except OSError as exc:
        _remove(partial)
        raise ServiceError(f"{out}: cannot write the export ({exc.strerror or exc})") from exc
    except BaseException:
        _remove(partial)
        raise
    return _summary(bundle, fmt, out, written)


def _summary(bundle: ExportBundle, fmt: str, out: Path, written: int) -> ExportSummary:
    """The counts of what the writers wrote: live records only, documents only where they
    hold a passage (no writer writes a document without one); for brat, the number of
    .txt/.ann pairs the writer reports."""
    annotations = bundle.ordered_annotations()
    with_passages = len(bundle.annotations_by_document())
    return ExportSummary(
        format=fmt,
        path=out,
        documents=written if fmt == "brat" else with_passages,
        passages=sum(not a.mention_only for a in annotations),
        entities=len(bundle.entities_by_id()),
        mentions=sum(a.mention_only for a in annotations),
        events=len(bundle.ordered_events()),
        relations=len(bundle.ordered_relations()) if fmt == "ftm" else 0,
        page_notes=sum(bool(d.note.strip()) for d in bundle.ordered_documents())
        if fmt == "w3c"
        else 0,
    )


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
