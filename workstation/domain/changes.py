"""What an edit did, in a form views can ask typed questions of.

Every service call that writes returns a ``ChangeSet``: the rows it created, updated,
deleted or restored, in order, each with its state before and after. Undo and redo replay
it; views refresh from it. Views ask by record type (``touches(Annotation)``,
``ids_of(Entity)``, ``fields_changed(Document, doc_id)``), never by table-name strings, so a
renamed table or a new record type is a type error rather than a view that silently stops
refreshing.

A ChangeSet also says who asked for it (``initiator``: the widget or model that made the
edit, or None for undo, redo and work from outside): a view that already shows its own edit
can skip re-reading it, with no echo-guard flags.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workstation.domain.records import Record

_STAMPS = frozenset({"updated_at", "author"})  # touched by every write, never news to a view


@dataclass(frozen=True, slots=True)
class Change:
    """One row of what a service call changed; the GUI refreshes and undoes from these."""

    action: str  # "create" | "update" | "delete" | "restore"
    table: str
    record_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def is_of(self, kind: type[Record]) -> bool:
        return self.table == kind.TABLE

    @property
    def state(self) -> dict[str, Any]:
        """The row as it now stands, or as it last stood when it was deleted."""
        return self.after or self.before or {}

    def states(self) -> Iterator[dict[str, Any]]:
        """The row before and after, whichever exist."""
        yield from (s for s in (self.before, self.after) if s is not None)

    def fields(self) -> set[str]:
        """The fields this change altered: all of them for a create or a delete."""
        if self.before is None or self.after is None:
            return set(self.state) - _STAMPS
        names = set(self.before) | set(self.after)
        return {n for n in names - _STAMPS if self.before.get(n) != self.after.get(n)}


@dataclass
class ChangeSet:
    """What one service call did, in order, and who asked for it.

    The typed questions are answered from an index by table, built on the first question
    and dropped by ``add``/``extend`` (and rebuilt if ``changes`` was altered directly), so
    a view asking about passages pays for the passage changes only, not for every change: a
    50 MB annotation import is one 88k-change set, and a dozen views ask it questions on the
    GUI thread."""

    changes: list[Change] = field(default_factory=list)
    initiator: object | None = field(default=None, compare=False, repr=False)
    _index: _Index | None = field(default=None, init=False, compare=False, repr=False)

    def add(self, change: Change) -> None:
        self.changes.append(change)
        self._index = None

    def extend(self, other: ChangeSet) -> None:
        self.changes.extend(other.changes)
        self._index = None

    def index(self) -> None:
        """Build the index now: an operation's worker does, so that the GUI thread does not
        walk a large result to answer the views' first question."""
        self._indexed()

    def _indexed(self) -> _Index:
        index = self._index
        if index is None or not index.describes(self.changes):
            index = self._index = _Index(self.changes)
        return index

    # -- typed questions ----------------------------------------------------------------------

    def of(self, *kinds: type[Record]) -> list[Change]:
        """The changes to records of these types, in order."""
        return self._indexed().of([kind.TABLE for kind in kinds])

    def count(self, *kinds: type[Record]) -> int:
        """How many changes there are to records of these types (all of them if none given)."""
        if not kinds:
            return len(self.changes)
        by_table = self._indexed().by_table
        return sum(len(by_table.get(kind.TABLE, ())) for kind in set(kinds))

    def touches(self, *kinds: type[Record]) -> bool:
        """Whether any record of these types was created, changed, deleted or restored."""
        by_table = self._indexed().by_table
        return any(kind.TABLE in by_table for kind in kinds)

    def ids_of(self, kind: type[Record]) -> set[str]:
        return set(self._indexed().ids(kind.TABLE))

    def fields_changed(self, kind: type[Record], record_id: str | None = None) -> set[str]:
        """The fields altered on records of ``kind`` (on the one record, if given)."""
        fields: set[str] = set()
        for change in self._indexed().by_table.get(kind.TABLE, ()):
            if record_id is None or change.record_id == record_id:
                fields |= change.fields()
        return fields

    def values_of(self, kind: type[Record], name: str) -> set[Any]:
        """Every value ``name`` held, before or after, on the changed records of ``kind``
        (e.g. the documents whose passages changed: ``values_of(Annotation, "document_id")``)."""
        return set(self._indexed().values(kind.TABLE, name))

    def holds_value(self, kind: type[Record], name: str, value: Any) -> bool:
        """Whether ``name`` held ``value``, before or after, on a changed record of ``kind``
        (as ``value in values_of(...)``, without copying the set)."""
        return value in self._indexed().values(kind.TABLE, name)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)


class _Index:
    """A ChangeSet's changes by table, in order, and what was asked of them."""

    __slots__ = ("_changes", "_ids", "_length", "_values", "by_table")

    def __init__(self, changes: list[Change]):
        self._changes = changes
        self._length = len(changes)
        by_table: dict[str, list[Change]] = {}
        for change in changes:
            found = by_table.get(change.table)
            if found is None:
                by_table[change.table] = [change]
            else:
                found.append(change)
        self.by_table = by_table
        self._ids: dict[str, frozenset[str]] = {}
        self._values: dict[tuple[str, str], frozenset[Any]] = {}

    def describes(self, changes: list[Change]) -> bool:
        return changes is self._changes and len(changes) == self._length

    def of(self, tables: list[str]) -> list[Change]:
        present = [t for t in dict.fromkeys(tables) if t in self.by_table]
        if not present:
            return []
        if len(present) == 1:
            return list(self.by_table[present[0]])
        wanted = set(present)
        return [c for c in self._changes if c.table in wanted]

    def ids(self, table: str) -> frozenset[str]:
        ids = self._ids.get(table)
        if ids is None:
            ids = self._ids[table] = frozenset([c.record_id for c in self.by_table.get(table, ())])
        return ids

    def values(self, table: str, name: str) -> frozenset[Any]:
        key = (table, name)
        values = self._values.get(key)
        if values is None:
            changes = self.by_table.get(table, ())
            found = {c.after.get(name) for c in changes if c.after is not None}
            found.update([c.before.get(name) for c in changes if c.before is not None])
            found.discard(None)
            values = self._values[key] = frozenset(found)
        return values
