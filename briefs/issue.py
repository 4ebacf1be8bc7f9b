"""Issue and provenance: when a brief is issued, by whom, under which marking and language,
and whether it may be FINAL. The rules the composer applies to the options before content.

- Issued: the time given (``--issued``), else now (``issue_time``, to the second); the
  newest content's time is shown beside it as "Information as of".
- Author and desk: the options, else the brief byline settings (services.settings); never
  the login name. Nothing set: the brief says ``(author not set)``.
- Marking: briefs.marking (TLP 2.0 labels, normalised; free text otherwise).
- FINAL: refused without key judgments, events and sources, naming what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Sized
from datetime import UTC, datetime

from briefs.marking import MarkingError, normalise_marking
from briefs.model import BriefError, BriefOptions
from workstation.domain.records import Episode
from workstation.services.settings import brief_byline


def issue_time() -> datetime:
    """When a brief is issued if no time is given: now, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def marking(options: BriefOptions, episode: Episode) -> str:
    try:
        return normalise_marking(options.marking or episode.marking)
    except MarkingError as exc:
        where = "" if options.marking else " (the episode's default marking)"
        raise BriefError(f"marking{where}: {exc}") from exc


def byline(options: BriefOptions) -> tuple[str, str]:
    """``(author, desk)``: the options, else the settings; never the login name."""
    author_name, desk = brief_byline()
    author = author_name if options.author is None else options.author
    desk = desk if options.desk is None else options.desk
    return " ".join(author.split()), " ".join(desk.split())


def language(episode: Episode) -> str:
    """The episode's language (BCP 47) if it has one, else English, the brief's own."""
    tag = (getattr(episode, "language", None) or "").strip()
    return tag if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", tag) else "en"


def check_final(status: str, judgments: Sized, timeline: Sized, sources: Sized) -> None:
    """A FINAL brief rests on judgments, events and sources: say which are missing."""
    if status != "FINAL":
        return
    missing = [
        name
        for name, items in (
            ("no key judgments", judgments),
            ("no events", timeline),
            ("no sources (no releasable evidence is cited)", sources),
        )
        if not items
    ]
    if missing:
        raise BriefError(
            "a FINAL brief needs key judgments, events and sources; this episode has "
            + ", ".join(missing)
            + " — issue it as DRAFT until they are recorded"
        )
