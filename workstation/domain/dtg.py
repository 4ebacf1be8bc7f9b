"""Date-time groups as briefs print them: ``151430Z APR 21`` (day, hour, minute, Zulu)."""

from __future__ import annotations

from datetime import UTC, datetime

# Fixed table: never the locale's month names, which would change the brief with the machine.
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def format_dtg(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("a date-time group needs an aware datetime (naive times are ambiguous)")
    utc = moment.astimezone(UTC)
    return (
        f"{utc.day:02d}{utc.hour:02d}{utc.minute:02d}Z {MONTHS[utc.month - 1]} {utc.year % 100:02d}"
    )
