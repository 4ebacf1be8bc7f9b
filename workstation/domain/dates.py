"""Event dates with a precision: a day, a month or only a year is known."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from workstation.domain.dtg import MONTHS

PRECISIONS = ("day", "month", "year")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_event_date(value: str, precision: str) -> str:
    """Validate ``value`` (YYYY, YYYY-MM or YYYY-MM-DD) against ``precision``; return it
    padded to a sortable ISO date (missing parts become 01)."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = match.groups()
    if precision == "day" and day is None:
        raise ValueError(f"{value!r} has no day but the precision is 'day'")
    if precision == "month" and month is None:
        raise ValueError(f"{value!r} has no month but the precision is 'month'")
    parsed = date(int(year), int(month or 1), int(day or 1))  # raises on 2021-02-30
    return parsed.isoformat()


def format_event_date(value: str, precision: str) -> str:
    """``2021-04-15``/day → ``15 APR 2021``; month → ``APR 2021``; year → ``2021``."""
    parsed = date.fromisoformat(value)
    if precision == "year":
        return f"{parsed.year}"
    if precision == "month":
        return f"{MONTHS[parsed.month - 1]} {parsed.year}"
    return f"{parsed.day:02d} {MONTHS[parsed.month - 1]} {parsed.year}"


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def as_utc_iso(value: str | None) -> str | None:
    """A timestamp from elsewhere in the workspace's own form (UTC, microseconds, ``Z``);
    None when it is absent or not an ISO 8601 date-time."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        # A time zone can push year 1 or 9999 out of range: no time we could store either.
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return parsed.isoformat(timespec="microseconds").replace("+00:00", "Z")
