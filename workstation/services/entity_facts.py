"""An entity's further facts (``Entity.properties``, FollowTheMoney property names → values)
as an officer reads them: labelled groups in a fixed order ("Weak aliases", "Born",
"Identifiers", "Topics", "Addresses"…), then every other property under a label made from its
name (``main`` False: a surface may show them apart, after what matters more). Values are
returned as stored: the surface shows them through ``shown_line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workstation.domain.records import Entity

# (label, properties) in the order shown; identifiers are listed with their own labels.
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Weak aliases", ("weakAlias",)),
    ("Previous names", ("previousName",)),
    ("Nationality", ("nationality",)),
    ("Citizenship", ("citizenship",)),
    ("Countries", ("country",)),
    ("Born", ("birthDate",)),
    ("Birthplace", ("birthPlace",)),
    ("Died", ("deathDate",)),
    ("Position", ("position",)),
    ("Topics", ("topics",)),
    ("Addresses", ("address",)),
    ("Sanctions (undated)", ("sanctionsUndated",)),
)
IDENTIFIERS: dict[str, str] = {  # FtM identifier property → the short name shown before it
    "idNumber": "ID",
    "passportNumber": "Passport",
    "taxNumber": "Tax no.",
    "registrationNumber": "Reg. no.",
    "innCode": "INN",
    "ogrnCode": "OGRN",
    "kppCode": "KPP",
    "okpoCode": "OKPO",
    "leiCode": "LEI",
    "vatCode": "VAT",
    "swiftBic": "SWIFT/BIC",
    "dunsCode": "DUNS",
    "uniqueEntityId": "UEI",
    "imoNumber": "IMO",
    "npiCode": "NPI",
    "ricCode": "RIC",
    "permId": "PermID",
    "bikCode": "BIK",
    "icijId": "ICIJ",
    "cikCode": "CIK",
    "irsCode": "IRS",
    "ipoCode": "IPO",
    "caemCode": "CAEM",
    "coatoCode": "COATO",
    "ogrnipCode": "OGRNIP",
    "voenCode": "VOEN",
    "bvdId": "BvD",
    "sayariId": "Sayari",
    "brightQueryId": "BrightQuery",
    "opencorporatesUrl": "OpenCorporates",
}
TOPICS: dict[str, str] = {  # OpenSanctions' topic codes as words
    "sanction": "Sanctioned",
    "sanction.linked": "Linked to a sanctioned entity",
    "sanction.counter": "Counter-sanctioned",
    "debarment": "Debarred",
    "corp.disqual": "Disqualified director",
    "role.pep": "Politically exposed person",
    "role.pol": "Politician",
    "role.rca": "Close relative or associate of a PEP",
    "role.oligarch": "Oligarch",
    "role.diplo": "Diplomat",
    "role.judge": "Judge",
    "role.spy": "Intelligence",
    "role.act": "Activist",
    "role.lawyer": "Lawyer",
    "gov.soe": "State-owned enterprise",
    "gov.muni": "Municipal body",
    "gov.national": "National government",
    "gov.security": "Security services",
    "mil": "Military",
    "crime": "Crime",
    "crime.terror": "Terrorism",
    "crime.war": "War crimes",
    "crime.fin": "Financial crime",
    "crime.cyber": "Cyber crime",
    "wanted": "Wanted",
    "poi": "Person of interest",
    "export.control": "Export controls",
    "export.risk": "Export risk",
    "reg.action": "Regulatory action",
    "reg.warn": "Regulatory warning",
    "asset.frozen": "Frozen asset",
    "fin.bank": "Bank",
}
_HIDDEN = frozenset({"firstName", "lastName", "middleName", "fatherName", "secondName"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@dataclass(frozen=True)
class Fact:
    label: str  # "Born", "Identifiers", "Legal form"
    values: tuple[str, ...]  # as stored (identifiers prefixed with their short name)
    property: str = ""  # the FtM property name (the first, for a group)
    main: bool = True  # one of the labelled groups or identifiers, not "the rest"


def entity_facts(entity: Entity) -> list[Fact]:
    """The entity's properties as labelled facts: the known groups first, in order, then
    identifiers, then the rest by label. Name parts (first, last, middle name) are left out:
    the names hold them."""
    properties = entity.properties
    facts: list[Fact] = []
    shown: set[str] = set(_HIDDEN)
    for label, names in _GROUPS:
        values = [v for name in names for v in properties.get(name, [])]
        shown.update(names)
        if label == "Topics":
            values = [TOPICS.get(v, v) for v in values]
        if values:
            facts.append(Fact(label, tuple(dict.fromkeys(values)), names[0]))
    identifiers = [
        f"{short} {value}"
        for name, short in IDENTIFIERS.items()
        for value in properties.get(name, [])
    ]
    shown.update(IDENTIFIERS)
    if identifiers:
        facts.append(Fact("Identifiers", tuple(dict.fromkeys(identifiers)), "identifiers"))
    rest = [
        Fact(label_of(name), tuple(values), name, main=False)
        for name, values in properties.items()
        if name not in shown and values
    ]
    return facts + sorted(rest, key=lambda fact: fact.label)


def label_of(property_name: str) -> str:
    """``incorporationDate`` → "Incorporation date"."""
    words = _CAMEL.sub(" ", property_name).lower()
    return words[:1].upper() + words[1:]
