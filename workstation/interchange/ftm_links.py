"""FollowTheMoney lines that are no entity of their own but say something about entities:
Sanction (a listing of one entity by an authority under a programme), the relation schemata
(Ownership, Directorship, Membership, Family…: two entities and how they stand), and Address
(a place, attached to the entities that refer to it). ``ftm_parse`` hands each such line here
once its shape is checked; the import service decides what each means for the workspace.

Entity references stay the file's ids: the entities they name may come later in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# schema → (property naming the subject, property naming the object, property naming the role)
RELATION_ENDS: dict[str, tuple[str, str, str]] = {
    "Ownership": ("owner", "asset", "role"),
    "Directorship": ("director", "organization", "role"),
    "Membership": ("member", "organization", "role"),
    "Employment": ("employee", "employer", "role"),
    "Family": ("person", "relative", "relationship"),
    "Associate": ("person", "associate", "relationship"),
    "UnknownLink": ("subject", "object", "role"),
    "Representation": ("agent", "client", "role"),
    "Succession": ("predecessor", "successor", "role"),
}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")
_PRECISION = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True, kw_only=True)
class FtmAddress:
    """An Address line: its full text goes to the entities that refer to it."""

    id: str
    texts: tuple[str, ...]
    referents: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class FtmSanction:
    id: str
    entities: tuple[str, ...]  # the sanctioned entities' ids in the file
    authorities: tuple[str, ...] = ()
    program: str = ""  # the programme as worded, else its id
    date: str | None = None  # startDate, else listingDate (the earliest), as given
    precision: str = "day"
    reasons: tuple[str, ...] = ()
    provisions: tuple[str, ...] = ()
    source_urls: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class FtmRelation:
    id: str
    schema: str
    subject: str  # the file's id of the owner, director, member, person…
    object: str  # … of the asset, organisation, relative
    role: str = ""
    share: str = ""  # Ownership's percentage as given
    start_date: str = ""
    end_date: str = ""
    line: int | None = field(default=None, compare=False)

    @property
    def kind(self) -> str:
        return self.schema.lower()


def event_date(values: list[str]) -> tuple[str, str] | None:
    """The earliest usable date and its precision by length (2021 → year, 2021-04 → month,
    2021-04-15 or a longer timestamp → day), or None."""
    found = []
    for value in values:
        match = _DATE.match(value.strip())
        if match:
            text = match.group(0)
            found.append((text, _PRECISION[len(text)]))
    return min(found) if found else None


def sanction(entity_id: str, proxy: Any, line: int | None) -> FtmSanction:
    dated = event_date(proxy.get("startDate", quiet=True)) or event_date(
        proxy.get("listingDate", quiet=True)
    )
    programs = proxy.get("program", quiet=True) or proxy.get("programId", quiet=True)
    return FtmSanction(
        id=entity_id,
        entities=tuple(proxy.get("entity", quiet=True)),
        authorities=tuple(proxy.get("authority", quiet=True)),
        program="; ".join(programs),
        date=dated[0] if dated else None,
        precision=dated[1] if dated else "day",
        reasons=tuple(proxy.get("reason", quiet=True) or proxy.get("summary", quiet=True)),
        provisions=tuple(proxy.get("provisions", quiet=True)),
        source_urls=tuple(proxy.get("sourceUrl", quiet=True)),
        line=line,
    )


def relation(entity_id: str, schema: str, proxy: Any, line: int | None) -> FtmRelation | str:
    """The relation, or why the line gives none (an end missing)."""
    subject_prop, object_prop, role_prop = RELATION_ENDS[schema]
    subject, object_ = proxy.first(subject_prop, quiet=True), proxy.first(object_prop, quiet=True)
    if not subject or not object_:
        return f"no {subject_prop if not subject else object_prop}"
    return FtmRelation(
        id=entity_id,
        schema=schema,
        subject=subject,
        object=object_,
        role="; ".join(proxy.get(role_prop, quiet=True)),
        share="; ".join(proxy.get("percentage", quiet=True)),
        start_date=proxy.first("startDate", quiet=True) or "",
        end_date=proxy.first("endDate", quiet=True) or "",
        line=line,
    )


def address(
    entity_id: str, proxy: Any, referents: tuple[str, ...], line: int | None
) -> FtmAddress | None:
    """The Address line, or None when it holds no text at all."""
    texts = proxy.get("full", quiet=True)
    if not texts:
        parts = [
            value
            for prop in ("remarks", "street", "street2", "city", "postalCode", "region", "state")
            for value in proxy.get(prop, quiet=True)
        ]
        texts = [", ".join(parts)] if parts else []
    if not texts:
        return None
    return FtmAddress(id=entity_id, texts=tuple(texts), referents=referents, line=line)
