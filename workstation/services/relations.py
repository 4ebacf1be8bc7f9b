"""The standing relations of an entity (ownership, directorship, family…; ``Relation``
records an FtM import made), read from either end and worded from that end: "Owns 51% of
LLC CST" on the owner, "51% owned by Alexander Zakharov" on the company.

Names and roles are returned as stored: the surface shows them through ``shown_line``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workstation.domain.records import Entity, Relation
from workstation.services.outcome import NotFound, Outcome

if TYPE_CHECKING:
    from workstation.services.session import Session

DELETED_ENTITY = "(deleted entity)"

# kind → (worded from the subject, worded from the object); {other} is the other end's name.
_WORDING: dict[str, tuple[str, str]] = {
    "ownership": ("Owns {share}{other}", "{share_by}wned by {other}"),
    "directorship": ("Director of {other}", "Director: {other}"),
    "membership": ("Member of {other}", "Member: {other}"),
    "employment": ("Employed by {other}", "Employs {other}"),
    "family": ("Relative of {other}", "Relative of {other}"),
    "associate": ("Associate of {other}", "Associate of {other}"),
    "unknownlink": ("Linked to {other}", "Linked to {other}"),
    "representation": ("Represents {other}", "Represented by {other}"),
    "succession": ("Predecessor of {other}", "Successor of {other}"),
}


@dataclass(frozen=True)
class RelationLine:
    relation_id: str
    kind: str
    outgoing: bool  # the entity is the subject (owner, director…), not the object
    other_id: str
    other_name: str
    text: str  # "Owns 51% of LLC CST", "Director: Alexander Zakharov"
    role: str  # as the source worded it
    period: str  # "2015-11-25 – 2023-03-02", "since 2017-10-23", ""
    source: str  # file and line it came from


class RelationService:
    """``session.relations``: an entity's relations, worded from its end; removing one."""

    def __init__(self, session: Session):
        self.session = session

    def of(self, entity_id: str) -> list[RelationLine]:
        return relations_of(self.session, entity_id)

    def delete(self, relation_id: str) -> Outcome[Relation]:
        """Remove a relation (one undo step), say one an import got wrong."""
        ws = self.session.workspace
        relation = ws.records.get(Relation, relation_id)
        if relation is None:
            raise NotFound(f"no relation with id {relation_id}")
        with ws.transaction() as changes:
            gone = ws.records.tombstone(relation)
        return Outcome(gone, changes)


def relations_of(session: Session, entity_id: str) -> list[RelationLine]:
    """Every live relation the entity stands in, worded from its end: those it is the
    subject of first, then those it is the object of; each group by kind, then name, then
    start date."""
    records = session.workspace.records
    found = [
        *((True, r) for r in records.where(Relation, {"subject_id": entity_id})),
        *((False, r) for r in records.where(Relation, {"object_id": entity_id})),
    ]
    names: dict[str, str] = {}
    lines = []
    for outgoing, relation in found:
        other_id = relation.object_id if outgoing else relation.subject_id
        if other_id not in names:
            other = records.get(Entity, other_id)
            names[other_id] = other.name if other is not None else DELETED_ENTITY
        lines.append(_line(relation, outgoing, other_id, names[other_id]))
    return sorted(lines, key=lambda x: (not x.outgoing, x.kind, x.other_name.casefold(), x.period))


def wording(relation: Relation, outgoing: bool, other_name: str) -> str:
    forward, backward = _WORDING.get(
        relation.kind, (f"{relation.kind.capitalize()} with {{other}}",) * 2
    )
    share = relation.share.strip()
    percent = f"{share}%" if share and not share.endswith("%") else share
    return (forward if outgoing else backward).format(
        other=other_name,
        share=f"{percent} of " if percent else "",
        share_by=f"{percent} o" if percent else "O",
    )


def period(relation: Relation) -> str:
    start, end = relation.start_date, relation.end_date
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"since {start}"
    return f"until {end}" if end else ""


def _line(relation: Relation, outgoing: bool, other_id: str, other_name: str) -> RelationLine:
    return RelationLine(
        relation_id=relation.id,
        kind=relation.kind,
        outgoing=outgoing,
        other_id=other_id,
        other_name=other_name,
        text=wording(relation, outgoing, other_name),
        role=relation.role,
        period=period(relation),
        source=relation.source,
    )
