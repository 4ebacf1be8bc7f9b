"""Proposing an event's date from a passage's words, relative to the article's own date.

"On Thursday", "last month", "15 April", "in December", "16 апреля" only mean a date once you
know when the article appeared, so the published date is the reference. Without one, only
words that name the same date whatever the reference ("15 April 2021") are proposed: the
proposal never depends on the day it is made. A proposal is a suggestion; the officer
confirms it by saving the event.

dateparser does the parsing (imported on first use: it loads its language data then). A few
forms it misses or misreads are recognised here first: Russian months after "в"
("в декабре"), "в прошлом месяце", and "early/mid/late April".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

DEFAULT_LANGUAGES = ("en", "ru")

# Two references far apart: words parsed to the same date under both do not need one.
_PROBE_BASES = (datetime(2003, 3, 19), datetime(2016, 10, 7))

# dateparser's period → our precision. A week is not a day: the month is what is known.
_PRECISION_OF_PERIOD = {"time": "day", "day": "day", "week": "month", "month": "month"}

_NUMBER = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|few)"
# "five years", "30 days", "a 24-hour deadline", "пять лет": spans of time, not dates.
_DURATION = re.compile(
    rf"\b{_NUMBER}[\s-]+(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?)\b"
    r"|\b\d+[\s-]*(?:лет|года?|месяц\w*|недел\w*|дн\w*|час\w*)\b"
    r"|\b(?:пять|шесть|семь|восемь|девять|десять)\s+лет\b",
    re.IGNORECASE,
)
_AGO = re.compile(r"\b(?:ago|назад)\b", re.IGNORECASE)
_DECADE = re.compile(r"\d0'?s\b")
_LAST = re.compile(r"\b(?:last|previous|прошл\w*|предыдущ\w*)\b", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"понедельник|вторник|среду|среда|четверг|пятницу|пятница|субботу|суббота|"
    r"воскресенье)\b",
    re.IGNORECASE,
)
# Words dateparser reads as dates that are far more often something else in news prose.
_AMBIGUOUS = {"may", "march", "now", "second", "we", "sat", "sun", "wed", "mon", "fri"}
_POSSESSIVE_DAY = re.compile(r"\b(\w+day)['’]s\b", re.IGNORECASE)

_EN_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Prepositional case, as after "в": "в декабре".
_RU_MONTHS_IN = (
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
)
_RU_MONTH_IN = re.compile(
    rf"\bв\s+({'|'.join(_RU_MONTHS_IN)})(?:\s+(\d{{4}})(?:\s+года)?)?",
    re.IGNORECASE,
)
_EN_PART_OF_MONTH = re.compile(
    rf"\b(?:early|mid|late|the\s+(?:start|middle|end)\s+of)[\s-]+({'|'.join(_EN_MONTHS)})"
    r"(?:,?\s+(\d{4}))?\b",
    re.IGNORECASE,
)
_RU_RELATIVE = re.compile(r"\bв\s+(прошлом|этом|текущем)\s+(месяце|году)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateProposal:
    date: str  # ISO date as events store it: a month or a year starts on its 1st
    precision: str  # "day" | "month" | "year"
    matched: str  # the words the date was read from
    position: int = 0  # where those words start in the text

    @property
    def value(self) -> str:
        """The date as typed for its precision: 2021-04-15, 2021-04 or 2021."""
        return self.date[: {"day": 10, "month": 7, "year": 4}[self.precision]]


def propose_date(
    text: str,
    published: str | date | None = None,
    *,
    languages: Sequence[str] | None = None,
) -> DateProposal | None:
    """The date a passage most likely reports: the first day or month it names (in text
    order), else the first year; None when it names none that can be placed."""
    candidates = date_candidates(text, published, languages=languages)
    for candidate in candidates:
        if candidate.precision != "year":
            return candidate
    return candidates[0] if candidates else None


def date_candidates(
    text: str,
    published: str | date | None = None,
    *,
    languages: Sequence[str] | None = None,
) -> list[DateProposal]:
    """Every date the text names that can be placed, in text order."""
    base = reference_date(published)
    own = _own_candidates(text, base)
    # "Tuesday's sanctions": dateparser misses the possessive. Same length keeps positions.
    masked = list(_POSSESSIVE_DAY.sub(lambda m: m.group(1).ljust(len(m.group(0))), text))
    for found in own:  # dateparser must not read these words again (and misread them)
        masked[found.position : found.position + len(found.matched)] = " " * len(found.matched)
    parsed = _parsed_candidates("".join(masked), base, _languages(languages))
    return sorted(own + parsed, key=lambda c: c.position)


def reference_date(published: str | date | None) -> date | None:
    """The article's date from its stored form (ISO date or date-time); None if unusable."""
    if published is None or isinstance(published, date):
        return published.date() if isinstance(published, datetime) else published
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def _languages(wanted: Sequence[str] | None) -> tuple[str, ...]:
    codes = [c.split("-")[0].lower() for c in (wanted or ()) if c]
    return tuple(dict.fromkeys([*codes, *DEFAULT_LANGUAGES]))


_TRAILING_WORDS = re.compile(
    r"(?:\s+(?:the|a|an|by|of|and|at|to|in|on|for|with|from))+\s*$", re.IGNORECASE
)


def _proposal(day: date, precision: str, matched: str, position: int) -> DateProposal:
    if precision == "month":
        day = day.replace(day=1)
    elif precision == "year":
        day = day.replace(month=1, day=1)
    # dateparser's match can swallow the next word: "On 27 January the", "2021 by".
    words = _TRAILING_WORDS.sub("", matched.strip())
    return DateProposal(day.isoformat(), precision, words, position)


# -- forms recognised here ------------------------------------------------------------------


def _own_candidates(text: str, base: date | None) -> list[DateProposal]:
    found: list[DateProposal] = []
    for pattern, months in ((_RU_MONTH_IN, _RU_MONTHS_IN), (_EN_PART_OF_MONTH, _EN_MONTHS)):
        for match in pattern.finditer(text):
            month = months.index(match.group(1).lower()) + 1
            year = _year_of_month(month, match.group(2), base)
            if year is not None:
                found.append(
                    _proposal(date(year, month, 1), "month", match.group(0), match.start())
                )
    if base is not None:
        for match in _RU_RELATIVE.finditer(text):
            back = 1 if match.group(1).lower() == "прошлом" else 0
            if match.group(2).lower() == "месяце":
                month_start = base.replace(day=1)
                day = month_start - timedelta(days=1) if back else month_start
                found.append(_proposal(day, "month", match.group(0), match.start()))
            else:
                day = date(base.year - back, 1, 1)
                found.append(_proposal(day, "year", match.group(0), match.start()))
    return found


def _year_of_month(month: int, year: str | None, base: date | None) -> int | None:
    """An explicit year, else the latest such month not after the reference (news reports
    what happened), else unknown."""
    if year is not None:
        return int(year)
    if base is None:
        return None
    return base.year if month <= base.month else base.year - 1


# -- forms dateparser reads -----------------------------------------------------------------


def _parsed_candidates(
    text: str, base: date | None, languages: tuple[str, ...]
) -> list[DateProposal]:
    bases = _PROBE_BASES if base is None else (datetime(base.year, base.month, base.day),)
    # A date far beyond the article's is a misreading ("a 24-hour deadline").
    latest = 2100 if base is None else base.year + 10
    readings = [_search(text, b, languages, latest) for b in bases]
    found: list[DateProposal] = []
    cursor = 0
    for index, (matched, parsed, precision) in enumerate(readings[0]):
        position = text.find(matched, cursor)
        if position < 0:
            position = cursor
        cursor = position + len(matched)
        if not _plausible(matched):
            continue
        if base is not None:
            parsed = _same_weekday(matched, parsed, base)
        proposal = _proposal(parsed, precision, matched, position)
        # Without the article's date, keep only words that place the date on their own.
        if all(
            len(other) > index
            and other[index][0] == matched
            and _proposal(other[index][1], other[index][2], matched, position) == proposal
            for other in readings[1:]
        ):
            found.append(proposal)
    return found


def _search(
    text: str, base: datetime, languages: tuple[str, ...], latest: int
) -> list[tuple[str, date, str]]:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
    }
    try:
        hits = search_dates(text, languages=list(languages), settings=settings) or []
        periods = DateDataParser(languages=list(languages), settings=settings)
    except ValueError:  # a language dateparser does not know: fall back to the defaults
        if tuple(languages) == DEFAULT_LANGUAGES:
            return []
        return _search(text, base, DEFAULT_LANGUAGES, latest)
    readings = []
    for matched, parsed in hits:
        period = periods.get_date_data(matched).period or "day"
        precision = _PRECISION_OF_PERIOD.get(period, "year")
        if 1900 <= parsed.year <= latest:
            readings.append((matched, parsed.date(), precision))
    return readings


def _plausible(matched: str) -> bool:
    words = matched.strip()
    if _DURATION.search(words) and not _AGO.search(words):
        return False
    if _DECADE.search(words):
        return False
    bare = re.sub(r"^(?:on|in|the|в|во)\s+", "", words, flags=re.IGNORECASE)
    one_word = " " not in bare and not any(ch.isdigit() for ch in bare)
    if one_word and (len(bare) <= 3 or (bare.islower() and bare in _AMBIGUOUS)):
        return False
    return bare.lower() != "now"


def _same_weekday(matched: str, parsed: date, base: date) -> date:
    """'On Friday' in an article of Friday means that day, not the Friday before (which is
    what preferring the past makes of it); 'last Friday' still means a week ago."""
    if (
        _WEEKDAY.search(matched)
        and not _LAST.search(matched)
        and not any(ch.isdigit() for ch in matched)
        and parsed == base - timedelta(days=7)
    ):
        return base
    return parsed
