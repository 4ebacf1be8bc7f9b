"""A document's details: what an article's first lines propose, and the checked forms of
what the officer types (published date and time with its zone, language).

At import, a plain-text article says nothing of itself but its words. Its first line is a
headline when it is short and does not end with a full stop ("Russia retaliates against US
sanctions"); a dateline ("MOSCOW, 16 April 2021 —", "WASHINGTON, April 15 (Reuters) -",
"МОСКВА, 16 апреля —") gives the place it was filed from and the day; failing that, the first
full date near the top gives the day. Each is only a proposal: the document records which
fields were proposed until the officer confirms them (docs/architecture.md, "The workspace").

Published values are stored as ISO 8601: a day (``2021-04-16``) or a day and time with its
UTC offset (``2021-04-16T14:30+03:00``), so they sort as text and ``date_proposal`` reads the
day from their first ten characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

# -- months -----------------------------------------------------------------------------------

_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# Genitive, as after a day ("16 апреля"), and the nominative a careless typist writes.
_RU_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
_EN_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_RU_MONTH = (
    r"(?i:января|январь|февраля|февраль|марта|март|апреля|апрель|мая|май|июня|июнь|июля|июль"
    r"|августа|август|сентября|сентябрь|октября|октябрь|ноября|ноябрь|декабря|декабрь)"
)
_YEAR = r"(?:1[89]\d\d|2\d\d\d)"

# A day: "16 April 2021", "April 16, 2021", "16 апреля 2021 года", "2021-04-16", "16.04.2021";
# the year may be missing in a dateline ("April 15", "16 апреля").
_DAY_FORMS = (
    rf"(?P<d1>\d{{1,2}})\s+(?P<m1>{_EN_MONTH}|{_RU_MONTH})(?:,?\s+(?P<y1>{_YEAR})(?:\s*(?:года|г\.))?)?",
    rf"(?P<m2>{_EN_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>{_YEAR}))?",
    rf"(?P<y3>{_YEAR})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})",
    rf"(?P<d4>\d{{1,2}})\.(?P<m4>\d{{1,2}})\.(?P<y4>{_YEAR})",
)
_DAY = "(?:" + "|".join(f"(?:{form})" for form in _DAY_FORMS) + ")"
_DAY_RE = re.compile(rf"(?<![\w.-]){_DAY}(?![\w-])", re.IGNORECASE)
_WHOLE_DAY_RE = re.compile(rf"\s*{_DAY}\s*", re.IGNORECASE)

# The place a dateline names: one to four words of capitals ("MOSCOW", "NEW YORK",
# "ST. PETERSBURG", "САНКТ-ПЕТЕРБУРГ"), or a capitalised name when a date follows.
_UPPER_PLACE = r"[A-ZА-ЯЁ][A-ZА-ЯЁ.'’-]*(?:\s+[A-ZА-ЯЁ][A-ZА-ЯЁ.'’-]*){0,3}"
_NAME_PLACE = r"[A-ZА-ЯЁ][\w.'’-]*(?:\s+[A-ZА-ЯЁ][\w.'’-]*){0,3}"
_AGENCY = r"\((?P<agency>[^()\n]{1,30})\)"
_DASH = r"\s*[—–-]+"
_DATELINES = (
    # "MOSCOW, 16 April 2021 —", "WASHINGTON, April 15 (Reuters) -", "МОСКВА, 16 апреля —"
    re.compile(rf"^\s*(?P<place>{_NAME_PLACE}),\s+(?P<day>{_DAY})(?:\s*{_AGENCY})?{_DASH}"),
    # "MOSCOW (Reuters) -": capitals only, without a date, an agency then a dash
    re.compile(rf"^\s*(?P<place>{_UPPER_PLACE})\s*{_AGENCY}{_DASH}"),
    # "LONDON —": capitals only, then a long dash
    re.compile(rf"^\s*(?P<place>{_UPPER_PLACE})\s*[—–]"),
)  # fmt: skip

# Words that start a sentence before a date but never name a dateline's place.
_NOT_PLACES = frozenset(
    (
        "on", "in", "at", "by", "from", "since", "until", "as", "of", "the", "today",
        "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "updated", "published", "posted", "в", "во", "с", "от", "сегодня", "вчера",
    )
)  # fmt: skip

# How far down a dateline or a first date is looked for.
HEAD_LINES = 8
HEAD_CHARS = 1200
MAX_HEADLINE_CHARS = 120
MAX_HEADLINE_WORDS = 20


@dataclass(frozen=True)
class Dateline:
    place: str | None
    published: str | None  # ISO date, or None when the day could not be placed
    matched: str


@dataclass(frozen=True)
class HeadProposal:
    """What an article's first lines propose; ``proposed`` names the fields that are set."""

    title: str | None = None
    published: str | None = None
    place: str | None = None
    proposed: tuple[str, ...] = field(default=())


# -- reading an article's head ----------------------------------------------------------------


def _head_lines(text: str) -> list[str]:
    lines = []
    for line in text[:HEAD_CHARS].splitlines():
        line = line.strip()
        if line:
            lines.append(line)
        if len(lines) >= HEAD_LINES:
            break
    return lines


def headline(text: str) -> str | None:
    """The first line when it reads as a headline: short, followed by more text, not a
    sentence (no final full stop), not a dateline."""
    lines = _head_lines(text)
    if len(lines) < 2:
        return None
    first = lines[0].lstrip("#").strip()
    if not first or len(first) > MAX_HEADLINE_CHARS or len(first.split()) > MAX_HEADLINE_WORDS:
        return None
    if (first.endswith(".") and not first.endswith("...")) or first[-1] in ",;:":
        return None
    if not any(ch.isalpha() for ch in first) or dateline(first) is not None:
        return None
    return first


def dateline(text: str, reference: date | None = None) -> Dateline | None:
    """The dateline at the start of one of the first lines: its place and day. A day
    without a year is the latest such day not after ``reference`` (news reports what
    happened); without a reference it stays unplaced (None)."""
    for line in _head_lines(text):
        for pattern in _DATELINES:
            match = pattern.match(line)
            if match is None:
                continue
            place = _tidy_place(match.group("place"))
            if set(place.casefold().split()) & _NOT_PLACES:
                place = ""  # "On Friday, 16 April 2021 —": a date, not a dateline's place
            day = match.groupdict().get("day")
            published = parse_day(day, reference) if day else None
            if place or published:
                return Dateline(place or None, published, match.group(0).strip())
    return None


def first_date(text: str) -> str | None:
    """The first full date (with its year) in the article's first lines, as an ISO date."""
    head = "\n".join(_head_lines(text))
    for match in _DAY_RE.finditer(head):
        if any(match.group(f"y{n}") for n in range(1, 5)):
            found = _day_of(match, None)
            if found is not None:
                return found
    return None


def read_head(text: str, *, reference: date | None = None) -> HeadProposal:
    """Title, day and place an article's first lines propose (any may be None)."""
    title = headline(text)
    line = dateline(text, reference)
    published = line.published if line else None
    if published is None:
        published = first_date(text)
    place = line.place if line else None
    proposed = tuple(
        name
        for name, value in (("title", title), ("published", published), ("place", place))
        if value
    )
    return HeadProposal(title, published, place, proposed)


def _tidy_place(place: str) -> str:
    place = " ".join(place.split()).strip(" .-")
    if not place:
        return ""
    if place.isupper():  # "NEW YORK" → "New York", "МОСКВА" → "Москва"
        place = "-".join(
            " ".join(word.capitalize() for word in part.split(" ")) for part in place.split("-")
        )
    return place


# -- days ---------------------------------------------------------------------------------------


def parse_day(text: str, reference: date | None = None) -> str | None:
    """An ISO date from one day as articles and officers write it ("16 April 2021",
    "April 16, 2021", "16 апреля 2021 года", "2021-04-16", "16.04.2021"); a day without
    a year needs ``reference``. None when it is not such a day."""
    match = _WHOLE_DAY_RE.fullmatch(text or "")
    return _day_of(match, reference) if match else None


def _month_number(name: str) -> int | None:
    name = name.lower().rstrip(".")
    if name[:3] in _EN_MONTHS and name[0].isascii():
        return _EN_MONTHS[name[:3]]
    for stem, number in _RU_MONTHS.items():
        if name.startswith(stem) and len(name) - len(stem) <= 2:
            return number
    return None


def _day_of(match: re.Match[str], reference: date | None) -> str | None:
    groups = match.groupdict()
    for n in range(1, 5):
        if groups.get(f"d{n}"):
            day_text, month_text, year_text = groups[f"d{n}"], groups[f"m{n}"], groups[f"y{n}"]
            break
    else:
        return None
    month = int(month_text) if month_text.isdigit() else _month_number(month_text)
    if month is None:
        return None
    day = int(day_text)
    try:
        if year_text:
            return date(int(year_text), month, day).isoformat()
        if reference is None:
            return None
        # A day filed near midnight elsewhere may be a day ahead of the reference.
        latest = reference + timedelta(days=1)
        for year in (latest.year, latest.year - 1):
            try:
                found = date(year, month, day)
            except ValueError:  # 29 February
                continue
            if found <= latest:
                return found.isoformat()
    except ValueError:
        return None
    return None


# -- published date, time and zone, as typed ------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")
_ZONE = re.compile(
    r"^(?:UTC|GMT)?\s*(?:(?P<sign>[+-−])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?$", re.I
)


def check_zone(text: str) -> str:
    """A UTC offset as stored: ``+03:00``; "UTC", "Z", "UTC+3", "-05:00", "+0530" accepted."""
    value = (text or "").strip()
    if value.upper() in ("", "Z", "UTC", "GMT"):
        return "+00:00"
    match = _ZONE.match(value)
    if not match or match.group("h") is None:
        raise ValueError(f"time zone “{value}” is not a UTC offset (e.g. UTC+03:00)")
    hours, minutes = int(match.group("h")), int(match.group("m") or 0)
    if hours > 14 or minutes >= 60:
        raise ValueError(f"time zone “{value}” is not a UTC offset (e.g. UTC+03:00)")
    sign = "-" if match.group("sign") in "-−" else "+"
    if hours == 0 and minutes == 0:
        sign = "+"
    return f"{sign}{hours:02d}:{minutes:02d}"


def published_value(day: str, time: str = "", zone: str = "") -> str | None:
    """The stored published value from the editor's fields: None (no date) when both day
    and time are empty, ``2021-04-16`` for a day, ``2021-04-16T14:30+03:00`` with a time
    (its zone then required; empty means UTC). Raises ValueError, one line, naming what is
    wrong."""
    day, time = (day or "").strip(), (time or "").strip()
    if not day and not time:
        return None
    if not day:
        raise ValueError("published time given without a date")
    iso = parse_day(day)
    if iso is None:
        raise ValueError(f"published date “{day}” is not a date (e.g. 2021-04-16 or 16 April 2021)")
    if not time:
        return iso
    match = _TIME.match(time)
    if match is None:
        raise ValueError(f"published time “{time}” is not a time (e.g. 14:30)")
    hours, minutes, seconds = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValueError(f"published time “{time}” is not a time (e.g. 14:30)")
    clock = f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")
    return f"{iso}T{clock}{check_zone(zone)}"


def check_published(value: str | None) -> str | None:
    """A stored published value checked: an ISO day, or an ISO date-time with its offset
    (a date-time without one is taken as UTC). Raises ValueError when it is neither."""
    value = (value or "").strip()
    if not value:
        return None
    iso = parse_day(value)  # a day alone, stored or as typed ("16 April 2021")
    if iso is not None:
        return iso
    if len(value) <= 10:
        raise ValueError(
            f"published date “{value}” is not a date (e.g. 2021-04-16 or 16 April 2021)"
        )
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"published “{value}” is not an ISO 8601 date or date-time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    day, clock, zone = split_published(parsed.isoformat())
    return published_value(day, clock, zone)


def split_published(value: str | None) -> tuple[str, str, str]:
    """(day, time, zone) for the editor: ``2021-04-16T14:30+03:00`` → ("2021-04-16",
    "14:30", "+03:00"); a day alone has no time and no zone; an unreadable value is kept
    whole as the day, so the officer sees it and the editor names the fault."""
    value = (value or "").strip()
    if len(value) <= 10:
        return value, "", ""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value, "", ""
    clock = parsed.strftime("%H:%M") + (f":{parsed.second:02d}" if parsed.second else "")
    offset = parsed.utcoffset()
    if offset is None:
        zone = "+00:00"
    else:
        minutes = int(offset.total_seconds() // 60)
        sign = "-" if minutes < 0 else "+"
        zone = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return parsed.date().isoformat(), clock, zone


def format_published(value: str | None) -> str:
    """A published value for people: "16 Apr 2021", "16 Apr 2021 14:30 UTC+03:00"; "" when
    there is none; an unreadable value as it is."""
    day, clock, zone = split_published(value)
    if not day:
        return ""
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        return day
    text = f"{parsed.day} {parsed.strftime('%b')} {parsed.year}"
    if clock:
        text += f" {clock} UTC{zone if zone != '+00:00' else ''}"
    return text


# -- language -----------------------------------------------------------------------------------

_LANGUAGE_TAG = re.compile(
    r"^(?P<lang>[A-Za-z]{2,3})(?:[-_](?P<script>[A-Za-z]{4}))?(?:[-_](?P<region>[A-Za-z]{2}|\d{3}))?$"
)


def check_language(value: str | None) -> str | None:
    """A language as stored: a BCP 47 tag of an ISO 639 code with an optional script and
    region ("en", "ru", "en-GB", "sr-Latn"); an English language name ("Russian") is taken
    as its code. None when empty; ValueError, one line, when unknown."""
    text = (value or "").strip()
    if not text:
        return None
    import icu  # ~10 ms, first use only

    languages = set(icu.Locale.getISOLanguages())
    match = _LANGUAGE_TAG.match(text)
    if match and match.group("lang").lower() in languages:
        tag = match.group("lang").lower()
        if match.group("script"):
            tag += "-" + match.group("script").capitalize()
        region = match.group("region")
        if region:
            if region.isalpha() and region.upper() not in set(icu.Locale.getISOCountries()):
                raise ValueError(f"language “{text}”: unknown region {region}")
            tag += "-" + region.upper()
        return tag
    english = icu.Locale("en")
    by_name = {
        icu.Locale(code).getDisplayLanguage(english).casefold(): code
        for code in languages
        if len(code) == 2
    }
    code = by_name.get(text.casefold())
    if code is not None:
        return str(code)
    raise ValueError(f"language “{text}” is unknown: use an ISO 639-1 code such as en or ru")


def language_name(code: str | None) -> str:
    """The English name of a language ("ru" → "Russian"); the code when ICU has none."""
    if not code:
        return ""
    import icu

    name = icu.Locale(code.replace("-", "_")).getDisplayName(icu.Locale("en"))
    return str(name) if name and name != code else code
