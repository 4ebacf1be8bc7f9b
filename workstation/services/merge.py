"""Bringing another officer's workspace into this one (``workstation merge OTHER``).

The other workspace is read whole (one query per table), every record of it is paired with
ours or found new (``merge_plan``), and only then is anything written: in one transaction,
after a verified backup, in the order references need. Interrupted, the transaction rolls
back and the workspace is as it was. Merging the same workspace again writes nothing.

Records of theirs keep their ids, authors and times here; a version of theirs that wins is
written with its own ``updated_at`` (a record's ``author`` is who created it, so it stays).
A conflict ours won is noted in the change log (``superseded``) so the next merge of the
same work does not raise it again.

Provenance. Their authors and times are claims. What a merge brings in (a record added, or
the version of theirs written over ours) also records who brought it in and when, in the
record's ``imported_by``/``imported_at`` (migration m009), beside the claims; the change
log's rows say the same (their ``author`` and ``at``). A claimed time in the future never
wins (``merge_plan``): a record of theirs stamped so is kept as a conflict for review, and a
new one is added with the merge's time standing in for it, the claimed time kept in
``claimed`` (``created``/``modified``), as imported files are (``domain.claims``).

Their file is read read-only, known tables only, under a time limit
(``storage.other_workspace``); foreign objects in it are never read and are listed in the
report (``ignored``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation.domain.dates import utc_now_iso
from workstation.domain.records import Change, ChangeSet, Document, Entity, Record
from workstation.services.backups import backup_before
from workstation.services.merge_plan import (
    BY_TABLE,
    FUTURE_TIMESTAMP,
    MERGE_ORDER,
    Conflict,
    IdMaps,
    MergeProposal,
    Pair,
    TableMatch,
    content,
    decide,
    differing_fields,
    field_values,
    future_cutoff,
    in_future,
    look_alikes,
    make_conflict,
    match_records,
    refers_to_own_table,
    remap,
    snapshot_content,
)
from workstation.services.outcome import NotFound, ServiceError
from workstation.storage import merging
from workstation.storage.errors import RecordConflict

if TYPE_CHECKING:
    from workstation.services.session import Session
    from workstation.storage import Workspace

__all__ = ["Conflict", "MergeProposal", "MergeReport", "TableCounts", "merge_workspace"]

# Called as (step, done, total) before each table is compared and written. It may raise to
# cancel: nothing has been written yet, or the transaction rolls back.
Progress = Callable[[str, int, int], None]
_BODIES_PER_BATCH = 200  # new documents' texts held in memory at once
# Records compared between two progress reports: each report is a chance to cancel, so a
# large table does not hold the officer's Cancel for seconds.
_RECORDS_PER_REPORT = 2_000


@dataclass
class TableCounts:
    """What became of one table's records of theirs (each is counted once)."""

    added: int = 0  # new here
    updated: int = 0  # their version written over ours
    kept: int = 0  # differs, ours kept (only we changed it, or we won a conflict)
    unchanged: int = 0  # the same here
    recognised: int = 0  # the same as one of ours under another id
    conflicts: int = 0  # both changed it (also counted as updated or kept)
    future: int = 0  # claim a time in the future (also counted above): never won


@dataclass
class MergeReport:
    other: Path
    counts: dict[str, TableCounts]  # by table, in merge order
    conflicts: list[Conflict]
    proposals: list[MergeProposal]
    backup: Path
    changes: ChangeSet = field(default_factory=ChangeSet)  # one undo step for the GUI
    # Objects in their file that are no part of a workspace: never read (one line each).
    ignored: list[str] = field(default_factory=list)

    @property
    def written(self) -> int:
        """Records added or updated."""
        return sum(c.added + c.updated for c in self.counts.values())


def merge_workspace(
    session: Session, other_path: Path | str, *, progress: Progress | None = None
) -> MergeReport:
    """Merge the workspace at ``other_path`` into the session's (see the module notes)."""
    other_path = _checked_other(session, other_path)
    _refuse_if_read_only(session)
    with merging.open_other(other_path, author=session.author) as other:
        ignored = [str(d) for d in other.untrusted]
        theirs = {cls.TABLE: merging.read_all(other, cls) for cls in MERGE_ORDER}
        backup = backup_before(session, "merge")
        with session.workspace.transaction() as changes:
            merger = _Merger(session.workspace, other, theirs, progress)
            plans = merger.plan()
            merger.write(plans)
    report = MergeReport(
        other=other_path,
        counts={plan.cls.TABLE: plan.counts for plan in plans},
        conflicts=[c for plan in plans for c in plan.conflicts],
        proposals=merger.proposals,
        backup=backup,
        changes=changes,
        ignored=ignored,
    )
    # Both workspaces' records, let go a slice at a time rather than all at once on return
    # (one 0.2 s+ deallocation holding the GIL: storage.merging.free_gradually).
    for records in theirs.values():
        merging.free_gradually(records)
    for plan in plans:
        for held in (plan.ours, plan.inserts, plan.updates, plan.superseded):
            merging.free_gradually(held)
    return report


def _refuse_if_read_only(session: Session) -> None:
    """Before reading their file or taking a backup: a workspace that cannot be written
    (read-only, or holding foreign objects) says so now, in its own words."""
    if session.workspace.read_only:
        with session.workspace.transaction():
            pass


def take_version(session: Session, conflict: Conflict, side: str) -> ChangeSet:
    """Write ``side``'s version ("ours" or "theirs") of a merge conflict's fields, with
    that version's time: the review dialog's "take the other version". Taking the version
    the record already holds changes nothing; refused if the record changed since."""
    if side not in ("ours", "theirs"):
        raise ServiceError(f"side must be 'ours' or 'theirs', not {side!r}")
    wanted, other = (
        (conflict.ours, conflict.theirs) if side == "ours" else (conflict.theirs, conflict.ours)
    )
    stamp = {"updated_at": conflict.our_updated_at if side == "ours" else conflict.their_updated_at}
    if side == "theirs":
        # Who chose it and when; a time claimed in the future gives way to now.
        now = utc_now_iso()
        stamp.update(imported_by=session.author, imported_at=now)
        if in_future(conflict.their_updated_at, future_cutoff()):
            stamp["updated_at"] = now
    ws = session.workspace
    with ws.transaction() as changes:
        current = ws.records.get(BY_TABLE[conflict.table], conflict.record_id, include_deleted=True)
        if current is None:
            raise NotFound(f"no {conflict.noun} with id {conflict.record_id}")
        if _holds(current, wanted):
            return changes
        # Each field must still hold one of the two versions (a merge may have kept ours
        # for one field and theirs for another); any other value is a later edit.
        if not all(
            _holds(current, {k: v}) or _holds(current, {k: other[k]}) for k, v in wanted.items()
        ):
            raise ServiceError(
                f"the {conflict.noun} «{conflict.label}» was changed since the merge; "
                "edit it by hand instead"
            )
        try:
            _announce(ws, merging.update_keeping_stamps(ws, [(current, {**wanted, **stamp})]))
        except RecordConflict as exc:
            raise ServiceError(str(exc)) from exc
    return changes


def _holds(record: Record, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        if name == "deleted_at":
            if (record.deleted_at is None) != (value is None):
                return False
        elif getattr(record, name) != value:
            return False
    return True


def _checked_other(session: Session, other_path: Path | str) -> Path:
    other = Path(other_path)
    if not other.exists():
        raise ServiceError(f"no such file to merge: {other}")
    if not other.is_file():
        raise ServiceError(f"not a workspace file: {other}")
    if other.resolve() == session.path.resolve() or os.path.samefile(other, session.path):
        raise ServiceError(f"that is this workspace itself; nothing to merge: {other}")
    return other


def _with_body(record: Record, body: str) -> Document:
    """A document read without its body (merging.read_all), with it."""
    if not isinstance(record, Document):
        raise TypeError(f"{type(record).__name__} has no body")
    return dataclasses.replace(record, body=body)


def _announce(ws: Workspace, changes: Iterable[Change]) -> None:
    for change in changes:
        ws.record_change(change)


@dataclass
class _TablePlan:
    cls: type[Record]
    ours: list[Record]
    counts: TableCounts = field(default_factory=TableCounts)
    inserts: list[Record] = field(default_factory=list)
    updates: list[tuple[Record, dict[str, Any]]] = field(default_factory=list)
    superseded: list[tuple[Record, Record]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


class _Merger:
    def __init__(
        self,
        ws: Workspace,
        other: Workspace,
        theirs: dict[str, list[Record]],
        progress: Progress | None,
    ):
        self.ws = ws
        self.other = other
        self.theirs = theirs
        self.progress = progress or (lambda step, done, total: None)
        self.maps: IdMaps = {}
        self.proposals: list[MergeProposal] = []
        self._total = 2 * len(MERGE_ORDER)
        self._step = 0
        self.now = utc_now_iso()
        self.cutoff = future_cutoff()
        # What each record this merge writes gains: who brought it in, and when.
        self.provenance = {"imported_by": ws.author, "imported_at": self.now}

    # -- planning: nothing is written -------------------------------------------------------

    def plan(self) -> list[_TablePlan]:
        plans = []
        for step, cls in enumerate(MERGE_ORDER):
            self._step = step
            self.progress(f"comparing {cls.TABLE}", step, self._total)
            plans.append(self._plan_table(cls))
        entities = next(p for p in plans if p.cls is Entity)
        going = {ours.id for ours, values in entities.updates if values.get("deleted_at")}
        staying = [e for e in entities.ours if e.id not in going]
        self.proposals = look_alikes(entities.inserts, staying)  # type: ignore[arg-type]
        return plans

    def _plan_table(self, cls: type[Record]) -> _TablePlan:
        table = cls.TABLE
        theirs = [remap(record, self.maps) for record in self.theirs[table]]
        plan = _TablePlan(cls, ours=merging.read_all(self.ws, cls))
        match = match_records(theirs, plan.ours, table)
        self.maps[table] = match.ids
        if match.ids and refers_to_own_table(table):
            match = self._remapped(match)
        plan.counts.recognised += len(match.recognised)
        differing: list[Pair] = []
        for number, pair in enumerate(match.pairs, start=1):
            if number % _RECORDS_PER_REPORT == 0:
                self.progress(f"comparing {table}", self._step, self._total)
            if content(pair.theirs) != content(pair.ours):
                differing.append(pair)
            elif pair.by_id:
                plan.counts.unchanged += 1
            else:
                plan.counts.recognised += 1
        self._decide(plan, differing)
        plan.inserts = match.new
        plan.counts.added = len(match.new)
        if cls is Document:
            self._one_live_copy_per_text(plan)
        plan.counts.future += sum(1 for record in plan.inserts if self._claims_future(record))
        # The pairs (a Pair per record here and there) go a slice at a time, not on return.
        merging.free_gradually(match.pairs)
        merging.free_gradually(match.recognised)
        merging.free_gradually(differing)
        merging.free_gradually(theirs)
        return plan

    def _claims_future(self, record: Record) -> bool:
        return in_future(record.created_at, self.cutoff) or in_future(
            record.updated_at, self.cutoff
        )

    def _remapped(self, match: TableMatch) -> TableMatch:
        """References within the table, translated now that its own ids are known."""
        return TableMatch(
            pairs=[dataclasses.replace(p, theirs=remap(p.theirs, self.maps)) for p in match.pairs],
            recognised=match.recognised,
            new=[remap(record, self.maps) for record in match.new],
            ids=match.ids,
        )

    def _decide(self, plan: _TablePlan, differing: list[Pair]) -> None:
        if not differing:
            return
        cls, table = plan.cls, plan.cls.TABLE
        our_versions = merging.history(self.ws, table, [p.ours.id for p in differing])
        their_versions = merging.history(self.other, table, [p.theirs.id for p in differing])
        for number, pair in enumerate(differing, start=1):
            if number % _RECORDS_PER_REPORT == 0:
                self.progress(f"comparing {table}", self._step, self._total)
            mine = our_versions.get(pair.ours.id) or merging.RecordHistory()
            them = their_versions.get(pair.theirs.id) or merging.RecordHistory()
            ours_seen = [snapshot_content(cls, s, {}) for s in mine.versions]
            theirs_seen = [snapshot_content(cls, s, self.maps) for s in them.versions]
            decision = decide(pair.ours, pair.theirs, ours_seen, theirs_seen, cutoff=self.cutoff)
            fields = differing_fields(pair.ours, pair.theirs)
            if decision.conflict:
                editors = (mine.editor or pair.ours.author, them.editor or pair.theirs.author)
                plan.conflicts.append(
                    make_conflict(pair, fields, decision.winner, editors, decision.reason)
                )
                plan.counts.conflicts += 1
                plan.counts.future += decision.reason == FUTURE_TIMESTAMP
            if decision.winner == "theirs":
                # Their time comes along; the author stays: it is who made the record.
                stamp = {"updated_at": pair.theirs.updated_at}
                plan.updates.append((pair.ours, {**field_values(pair.theirs, fields), **stamp}))
                plan.counts.updated += 1
            else:
                plan.counts.kept += 1
                if decision.conflict:
                    plan.superseded.append((pair.theirs, pair.ours))

    def _one_live_copy_per_text(self, plan: _TablePlan) -> None:
        """A workspace holds one live document per text. A new live document of theirs whose
        text is live here after the merge is that document; a restore of theirs that would
        make a second live copy keeps ours deleted."""
        updates = {ours.id: values for ours, values in plan.updates}
        live: dict[str, str] = {}
        restoring: list[Record] = []
        for ours in plan.ours:
            values = updates.get(ours.id, {})
            if "deleted_at" in values:
                if values["deleted_at"] is None:
                    restoring.append(ours)
            elif ours.live:
                live[ours.sha256] = ours.id  # type: ignore[attr-defined]
        for ours in restoring:
            sha = ours.sha256  # type: ignore[attr-defined]
            if sha not in live:
                live[sha] = ours.id
                continue
            values = updates[ours.id]
            del values["deleted_at"]
            if set(values) == {"updated_at"}:
                plan.updates = [(o, v) for o, v in plan.updates if o.id != ours.id]
                plan.counts.updated -= 1
                plan.counts.kept += 1
        inserts: list[Record] = []
        for record in plan.inserts:
            sha = record.sha256  # type: ignore[attr-defined]
            if record.live and sha in live:
                self.maps["documents"][record.id] = live[sha]
                plan.counts.added -= 1
                plan.counts.recognised += 1
                continue
            inserts.append(record)
            if record.live:
                live[sha] = record.id
        if len(inserts) != len(plan.inserts):  # a document of theirs may supersede one
            plan.inserts = [remap(record, self.maps) for record in inserts]
            for _ours, values in plan.updates:
                if values.get("supersedes") is not None:
                    ids = self.maps["documents"]
                    values["supersedes"] = ids.get(values["supersedes"], values["supersedes"])

    # -- writing: one transaction, references first ------------------------------------------

    def write(self, plans: list[_TablePlan]) -> None:
        merging.defer_foreign_keys(self.ws)
        for step, plan in enumerate(plans, start=len(plans)):
            self.progress(f"writing {plan.cls.TABLE}", step, self._total)
            # Updates first: a deletion of theirs frees a text for a new live copy of it.
            updates = [(ours, {**values, **self.provenance}) for ours, values in plan.updates]
            _announce(self.ws, merging.update_keeping_stamps(self.ws, updates))
            for batch in self._with_bodies(plan):
                self.progress(f"writing {plan.cls.TABLE}", step, self._total)
                batch = [self._arrived(record) for record in batch]
                created = merging.insert_keeping_stamps(self.ws, batch)
                # A record that arrives deleted has nothing to undo; it is here only so
                # that later merges know of its deletion.
                _announce(self.ws, (c for c in created if c.after and not c.after["deleted_at"]))
            merging.log_superseded(self.ws, plan.superseded)

    def _arrived(self, record: Record) -> Record:
        """A record of theirs as it is written here: its claims kept, who brought it in and
        when added; a claimed time in the future kept in ``claimed`` only, the merge's time
        standing in for it (it would otherwise sort after everything made here for ever)."""
        claimed = record.claimed if isinstance(record.claimed, dict) else {}
        claimed = dict(claimed)
        if record.imported_by or record.imported_at:  # their own import: a claim here
            claimed.setdefault("imported_by", record.imported_by)
            claimed.setdefault("imported_at", record.imported_at)
        stamps: dict[str, Any] = {}
        if in_future(record.created_at, self.cutoff):
            claimed.setdefault("created", record.created_at)
            stamps["created_at"] = self.now
        if in_future(record.updated_at, self.cutoff):
            claimed.setdefault("modified", record.updated_at)
            stamps["updated_at"] = self.now
        return dataclasses.replace(record, **self.provenance, **stamps, claimed=claimed)

    def _with_bodies(self, plan: _TablePlan) -> Iterable[list[Record]]:
        if plan.cls is not Document:
            yield plan.inserts
            return
        for start in range(0, len(plan.inserts), _BODIES_PER_BATCH):
            batch = plan.inserts[start : start + _BODIES_PER_BATCH]
            bodies = merging.document_bodies(self.other, [r.id for r in batch])
            yield [_with_body(r, bodies[r.id]) for r in batch]
