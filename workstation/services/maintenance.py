"""Checking, repairing and backing up a workspace.

``repair`` fixes only what has one obviously right fix, after a verified backup, in one
transaction, each record change through ``workspace.records`` (so it is in the change log)
and listed; it never deletes a record. What it cannot fix is reported, for a person.

A schema holding objects the migrations do not make (a planted trigger, a foreign view or
table) is put right first, after the same backup: those objects are dropped, an altered
trigger, view or index is recreated from the migrations (``storage.schema_repair``); a
table's own definition is not rebuilt in place, and the workspace then stays read-only.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation.domain.anchoring import place_quote
from workstation.domain.offsets import make_selector
from workstation.domain.records import (
    RECORD_TYPES,
    Annotation,
    Change,
    ChangeSet,
    Document,
    Record,
)
from workstation.services.backups import BackupInfo, backup_before, backup_folder, list_backups
from workstation.services.output_paths import refuse_workspace_paths
from workstation.storage import WorkspaceReadOnly
from workstation.storage.backup import backup_file
from workstation.storage.integrity import (
    FTS_NOT_CHECKED,
    Findings,
    Problem,
    check_workspace,
    fts_faults,
    inspect_file,
    inspect_workspace,
    schema_problem,
)
from workstation.storage.repair import rebuild_fts
from workstation.storage.schema_repair import restore_schema
from workstation.storage.schema_verify import deviations_at

if TYPE_CHECKING:
    from workstation.services.session import Session

_BY_TABLE: dict[str, type[Record]] = {cls.TABLE: cls for cls in RECORD_TYPES}
_TOMBSTONE = {"deleted_at": "(tombstone)"}  # marker: tombstone the record, stamped now
_SHOWN_CHARS = 48

# Which live rows pointing at a deleted (or missing) parent have one obviously right fix.
#
# A mention or an evidence row only joins two records. Every service that deletes either
# end tombstones these links with it (deleting a passage takes its mentions and evidence,
# an entity its mentions, an event its evidence), so a live link to a gone end is the
# unfinished rest of such a deletion: finish it. The link is tombstoned, not deleted, and
# both ends (where they exist) stay as they are. An end missing altogether (removed outside
# the workstation) is treated the same, so no view meets a live link to nothing; the
# foreign-key problem itself stays reported, since only a backup can bring that row back.
_LINKS_TOMBSTONED = {
    ("mentions", "annotation_id"),
    ("mentions", "entity_id"),
    ("evidence", "annotation_id"),
    ("evidence", "event_id"),
}
# An answer to a deleted event loses the link, not its existence: deleting an event does
# exactly this to the events that answered it.
_LINKS_CLEARED = {("events", "responds_to")}
# Everything else is reported only, because the fix is a judgement:
# - a passage on a deleted document is the officer's own work (quote, note, category): bring
#   the document back or delete the passage? (a merge can bring in a colleague's deletion
#   of a document we had just annotated);
# - events and judgments of a deleted episode: the same, for the analysis itself;
# - an event's actor or target entity deleted: deleting an entity leaves events alone by
#   design; who acted still has to be said (merge into another entity, or pick one);
# - a judgment citing a deleted passage: dropping the citation changes what it rests on;
# - any other missing parent (category, earlier version, brief's episode…): no safe guess.


@dataclass(frozen=True)
class Repaired:
    """One row a repair changed (or one index it rebuilt), with every field before → after."""

    table: str
    record_id: str
    what: str
    fields: tuple[tuple[str, Any, Any], ...] = ()

    def __str__(self) -> str:
        if not self.record_id:
            return f"{self.what} {self.table}"
        changed = ", ".join(
            f"{name} {_shown(old)} → {_shown(new)}" for name, old, new in self.fields
        )
        return f"{self.table} {self.record_id}: {self.what}: {changed}"


@dataclass
class RepairReport:
    found: list[Problem]
    repaired: list[Repaired] = field(default_factory=list)
    backup: Path | None = None
    # What is still wrong after the repair; None when the caller checks again itself (the GUI
    # does, off its thread).
    left: list[Problem] | None = None
    damaged: bool = False  # the file itself: nothing is repaired in place
    backups: list[BackupInfo] = field(default_factory=list)  # to restore from, when damaged
    changes: ChangeSet = field(default_factory=ChangeSet)
    advice: str = ""  # one line: what the officer should do about what is left


@dataclass
class _Fix:
    """A planned change of one record, made only if the record still is as planned."""

    record: Record
    what: str
    values: dict[str, Any]


def open_for_repair(path: Path | str, *, author: str | None = None) -> Session:
    """A writer's session for ``repair``: as ``open_session``, but a workspace whose schema
    differs from the migrations' opens (flagged) even where it could not be read as it is,
    since the repair puts that right first."""
    from workstation.services.backups import backup_before_migration
    from workstation.services.session import Session
    from workstation.services.settings import current_author
    from workstation.storage.workspace import open_workspace

    backup_before_migration(Path(path))
    workspace = open_workspace(path, author=author or current_author(), allow_untrusted=True)
    return Session(workspace)


def check(session: Session) -> list[Problem]:
    return check_workspace(session.workspace)


def inspect(session: Session) -> Findings:
    return inspect_workspace(session.workspace)


def inspect_path(path: Path | str) -> Findings:
    """Inspect a workspace file through a read-only connection of its own, for a worker
    thread; the full-text checks are left to ``with_fts`` on the session's connection."""
    return inspect_file(path)


def with_fts(session: Session, findings: Findings) -> Findings:
    """Complete findings made off-thread with the full-text checks, run on the session's
    (the one writer's) connection; unchanged when the session is read-only."""
    if session.workspace.read_only or findings.damaged:
        return findings
    faults, notes = fts_faults(session.workspace)
    kept = [n for n in findings.notes if n != FTS_NOT_CHECKED]
    return dataclasses.replace(findings, fts=faults, notes=kept + notes)


def repair(
    session: Session, findings: Findings | None = None, *, recheck: bool = True
) -> RepairReport:
    """Fix what can be fixed (see the rules above), after a backup; list every change.

    ``findings`` may come from an earlier inspection (the GUI's, made off its thread): each
    fix is made only if its record has not changed since, so a stale finding does no harm.
    No backup is taken when there is nothing to repair.
    """
    ws = session.workspace
    if ws.read_only and not (ws.untrusted and ws.holds_lock):
        raise WorkspaceReadOnly(session.path)
    fresh = findings is None
    findings = inspect_workspace(ws) if findings is None else findings
    report = RepairReport(found=findings.problems())
    if findings.damaged:
        report.damaged = True
        report.backups = list_backups(session.path)
        report.left = report.found
        report.advice = restore_advice(session.path, report.backups)
        return report
    if ws.untrusted:
        if not _repair_schema(session, report):
            return report
        findings, fresh = inspect_workspace(ws), True  # readable and writable now
    indexes = [fault.table for fault in findings.fts]
    fixes = _plan(session, findings)
    if not indexes and not fixes:
        if recheck:  # findings handed in may be old: say what holds now
            report.left = check_workspace(ws) if not fresh or report.backup else report.found
            report.advice = advice_for(report.left)
        return report
    if report.backup is None:
        report.backup = backup_before(session, "repair")
    with ws.transaction() as changes:
        # Indexes first: once consistent, the triggers keep them in step with the fixes below.
        for table in dict.fromkeys(indexes):
            rebuild_fts(ws, table)
            report.repaired.append(Repaired(table, "", "rebuilt index"))
        for fix in fixes:
            report.repaired += _apply(session, fix, changes)
    report.changes = changes
    if recheck:
        report.left = check_workspace(ws)
        report.advice = advice_for(report.left)
    return report


def _repair_schema(session: Session, report: RepairReport) -> bool:
    """Back up, then put the schema right; False (and what is left in ``report``) when some
    of it could not be."""
    ws = session.workspace
    if any(d.repairable for d in ws.untrusted):  # nothing to put right: nothing to protect
        report.backup = backup_before(session, "repair")
    result = restore_schema(ws)
    report.repaired += [
        Repaired(f"{fix.deviation.type} {fix.deviation.name}", "", fix.what) for fix in result.fixed
    ]
    if not result.left:
        return True
    report.left = [schema_problem(d, result.failures.get(d.name, "")) for d in result.left]
    report.advice = (
        "writing stays refused: what is left cannot be put right in place; restore a backup "
        f"made before it changed ({backup_folder(session.path)})"
    )
    return False


def repairable(session: Session, findings: Findings) -> int:
    """How many of the findings ``repair`` would fix now (it writes nothing to find out)."""
    if findings.damaged:
        return 0
    schema = sum(1 for d in findings.schema if d.repairable)
    if findings.schema and not all(d.repairable for d in findings.schema):
        return schema  # the records wait until the schema is the migrations' again
    return schema + len({fault.table for fault in findings.fts}) + len(_plan(session, findings))


def restore_advice(workspace_path: Path, backups: list[BackupInfo]) -> str:
    """One line for a damaged file: it is not repaired in place; restore which backup, where."""
    folder = backup_folder(workspace_path)
    if not backups:
        return (
            "the workspace file itself is damaged, beyond repair in place, and there is no "
            f"backup of it in {folder}: keep the file and copy out what you can"
        )
    newest = backups[0]
    return (
        "the workspace file itself is damaged, beyond repair in place: restore a backup "
        f"(File → Restore from backup…); newest {newest.path.name} ({newest.describe()}), "
        f"{len(backups)} in {folder}"
    )


def backup(workspace_path: Path | str, dest: Path | str) -> Path:
    """Copy a workspace (possibly open elsewhere) to ``dest``, verified; never over the
    workspace, its sidecars or its backups folder (``output_paths``).

    A workspace holding objects that are no part of a workspace is copied as it is — a
    backup is a faithful copy, the state to go back to — and ``foreign_objects`` says so."""
    refuse_workspace_paths(dest, workspace_path, scratch=_BACKUP_SCRATCH)
    return backup_file(workspace_path, dest)


# What storage.backup.backup_file writes (and removes on failure) beside its destination.
_BACKUP_SCRATCH = (".partial", ".partial-journal", ".partial-wal", ".partial-shm")


def foreign_objects(workspace_path: Path | str) -> list[str]:
    """How the schema of the workspace at ``workspace_path`` differs from the migrations',
    one line each (read-only; [] when it does not, or cannot be read)."""
    return [str(d) for d in deviations_at(workspace_path)]


# -- planning: nothing is written --------------------------------------------------------------


def _plan(session: Session, findings: Findings) -> list[_Fix]:
    fixes = [
        *_plan_offsets(session, findings),
        *_plan_hashes(session, findings),
        *_plan_links(session, findings),
    ]
    # Findings made a while ago (the GUI's) may have been fixed since: nothing left to do.
    return [fix for fix in fixes if fix.values == _TOMBSTONE or _changes_something(fix)]


def _changes_something(fix: _Fix) -> bool:
    return any(getattr(fix.record, name) != value for name, value in fix.values.items())


def _plan_offsets(session: Session, findings: Findings) -> list[_Fix]:
    """Re-anchor each misplaced passage in its own document by its quote and context; one
    that cannot be placed is flagged for the Orphans review queue, never deleted."""
    records = session.workspace.records
    bodies: dict[str, str | None] = {}
    fixes = []
    for found in findings.misplaced:
        annotation = records.get(Annotation, found.annotation_id)
        if annotation is None:
            continue
        if annotation.document_id not in bodies:
            document = records.get(Document, annotation.document_id, include_deleted=True)
            bodies[annotation.document_id] = document.body if document else None
        body = bodies[annotation.document_id]
        if body is None:
            continue
        placement = place_quote(
            body,
            annotation.exact,
            annotation.prefix,
            annotation.suffix,
            annotation.start,
            annotation.end,
        )
        if placement is not None:
            selector = make_selector(body, placement.start, placement.end)
            values = {
                "start": selector.start,
                "end": selector.end,
                "exact": selector.exact,
                "prefix": selector.prefix,
                "suffix": selector.suffix,
            }
            fixes.append(_Fix(annotation, f"re-anchored ({placement.method})", values))
        elif not annotation.orphan:
            what = "quote not found in its document; flagged for the Orphans review queue"
            fixes.append(_Fix(annotation, what, {"orphan": True}))
    return fixes


def _plan_hashes(session: Session, findings: Findings) -> list[_Fix]:
    """The body is what the workspace holds: its hash is made to match it, unless another
    live document has that very text (the unique index on live hashes would refuse it, and
    which of the two to keep is the officer's call)."""
    fixes = []
    taken: set[str] = set()
    for stale in findings.stale_hashes:
        if stale.same_text_as or stale.actual in taken:
            continue
        document = session.workspace.records.get(Document, stale.document_id)
        if document is None:
            continue
        taken.add(stale.actual)
        fixes.append(_Fix(document, "hash set to that of its body", {"sha256": stale.actual}))
    return fixes


def _plan_links(session: Session, findings: Findings) -> list[_Fix]:
    fixes = []
    for link in findings.links:
        key = (link.table, link.column)
        if not link.live or (key not in _LINKS_TOMBSTONED and key not in _LINKS_CLEARED):
            continue
        record = session.workspace.records.get(_BY_TABLE[link.table], link.record_id)
        if record is None:
            continue
        gone = "missing" if link.parent_missing else "deleted"
        if key in _LINKS_TOMBSTONED:
            what = f"tombstoned: its {link.column[:-3]} {link.parent_id} is {gone}"
            fixes.append(_Fix(record, what, dict(_TOMBSTONE)))
        else:
            what = f"link cleared: the event it answered ({link.parent_id}) is {gone}"
            fixes.append(_Fix(record, what, {link.column: None}))
    return fixes


# -- applying: inside the repair's transaction -------------------------------------------------


def _apply(session: Session, fix: _Fix, changes: ChangeSet) -> list[Repaired]:
    records = session.workspace.records
    current = records.get(type(fix.record), fix.record.id, include_deleted=True)
    if current != fix.record:
        return []  # changed since it was inspected: left alone; the re-check tells
    already = len(changes)
    if fix.values == _TOMBSTONE:
        records.tombstone(current)
    else:
        records.update(current, **fix.values)
    return [_listed(change, fix.what) for change in changes.changes[already:]]


def _listed(change: Change, what: str) -> Repaired:
    before, after = change.before or {}, change.after or {}
    fields = tuple(
        (name, before.get(name), value)
        for name, value in after.items()
        if name != "updated_at" and before.get(name) != value
    )
    return Repaired(change.table, change.record_id, what, fields)


def advice_for(left: list[Problem]) -> str:
    """One line on what is left after a repair (empty when nothing is)."""
    if not left:
        return ""
    return "no safe automatic fix for these; each line says what is wrong (nothing was deleted)"


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return str(value)
    if value and " " not in value and value.isprintable() and len(value) >= 20:
        return value  # a hash, id or time stamp: whole and bare, to be looked up
    text = " ".join(value.split()) if value.strip() else value
    if len(text) > _SHOWN_CHARS:
        text = text[: _SHOWN_CHARS - 1] + "…"
    return f"“{text}”"


__all__ = [
    "Findings",
    "Problem",
    "RepairReport",
    "Repaired",
    "advice_for",
    "backup",
    "check",
    "inspect",
    "inspect_path",
    "open_for_repair",
    "repair",
    "repairable",
    "restore_advice",
    "with_fts",
]
