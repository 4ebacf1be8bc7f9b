"""What an imported record says of itself, kept as a claim beside the facts of this workspace.

A file from outside can name any author and any time. The record keeps them: the claimed
author is its ``author``, the claimed times its ``created_at``/``updated_at``, so a colleague's
passage still reads as theirs, from when they made it. But a claimed time later than the
import (beyond ``FUTURE_SLACK`` for clocks that differ a little) would sort the record after
everything made here, and let it win any "newer wins" comparison, for ever: such a time is
kept only in ``claimed`` and the import time stands in for it. ``claimed`` always holds what
the file said (its id when that was no UUID, author, times) exactly as written.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from workstation.domain.dates import as_utc_iso

FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class ImportedStamps:
    created_at: str
    updated_at: str
    author: str
    claimed: dict[str, str] = field(default_factory=dict)
    # The claimed times that were not used, being in the future: ("created", "2099-…"),
    # or being no date-time we can read or store ("created", "9999-12-31T23:00-05:00").
    future: tuple[tuple[str, str], ...] = ()
    unreadable: tuple[tuple[str, str], ...] = ()

    def future_note(self) -> str | None:
        """One line for the import report, or None when every claimed time was used."""
        parts = []
        for times, why in (
            (self.future, "in the future"),
            (self.unreadable, "not a readable time"),
        ):
            if times:
                said = " and ".join(f"{what} {value}" for what, value in times)
                parts.append(f"claims {said}, {why}")
        if not parts:
            return None
        return "; ".join(parts) + ": kept as a claim, ordered by the import time"


def imported_stamps(
    *,
    now: str,
    importer: str,
    original_id: str | None = None,
    author: str | None = None,
    created: str | None = None,
    modified: str | None = None,
) -> ImportedStamps:
    """The stamps of a record imported at ``now`` (the workspace's own ISO form) by
    ``importer``, from what the file claims."""
    claimed = {
        key: value
        for key, value in (
            ("id", original_id),
            ("author", author),
            ("created", created),
            ("modified", modified),
        )
        if value
    }
    latest = _plus(now, FUTURE_SLACK)
    future, unreadable = [], []
    created_at = as_utc_iso(created)
    if created and not created_at:
        unreadable.append(("created", created))
    if created_at and created_at > latest:
        future.append(("created", created or ""))
        created_at = None
    updated_at = as_utc_iso(modified)
    if modified and not updated_at:
        unreadable.append(("modified", modified))
    if updated_at and updated_at > latest:
        future.append(("modified", modified or ""))
        updated_at = now
    created_at = created_at or now
    return ImportedStamps(
        created_at=created_at,
        updated_at=max(updated_at or created_at, created_at),
        author=author or importer,
        claimed=claimed,
        future=tuple(future),
        unreadable=tuple(unreadable),
    )


@functools.lru_cache(maxsize=16)  # one import time per import: computed once, not per line
def _plus(iso: str, delta: timedelta) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")) + delta
    return as_utc_iso(moment.isoformat()) or iso
