"""REFI-QDA, the exchange standard of QualCoder, MAXQDA, ATLAS.ti and NVivo: what a project
(``.qdpx``) and a codebook (``.qdc``) hold, as plain records both directions share.

A ``.qdpx`` is a zip of ``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``) and a
``sources/`` folder of the texts, each named by its source's GUID; a ``.qdc`` is one XML file
(namespace ``urn:QDA-XML:codebook:1.0``). The schemas ship in
``resources/interchange/refi-qda/`` (MIT, see the README there).

How our records map (``refi_qda_write`` builds it, ``refi_qda_read`` reads any tool's file):

- author → ``User`` (GUID derived from the name), category → ``Code`` (GUID derived from the
  category id, so every export names it alike; ``color`` ``#RRGGBB``; ``Description``; a
  category's parent → the enclosing ``Code``),
- document → ``TextSource`` (``name`` its title, ``plainTextPath="internal://GUID.txt"``),
- passage → ``PlainTextSelection`` (positions in code points, end exclusive, as QualCoder
  writes and reads them; ``name`` the quote; ``Description`` the note) with one ``Coding``
  whose ``CodeRef`` names the category.

Mention-only spans, entity links, events and tags have no place in the standard and are not
written; Cases, Sets, Variables, Links and Graphs of other tools' files are listed as not
imported (``QdaProject.not_read``).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMA_LOCATION = {
    PROJECT_NS: "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd",
    CODEBOOK_NS: "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd",
}
PROJECT_FILE = "project.qde"
SOURCES_FOLDER = "sources"
INTERNAL = "internal://"

# Every GUID we write is derived from our id under this namespace: the same record gets the
# same GUID in every export, so the other tool (and a re-import here) recognises it.
_OUR_NAMESPACE = uuid.UUID("6f1c3a52-8e0b-5d7a-9c41-2b7e0d9f4a17")

_GUID = re.compile(
    r"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$"
)
_RGB = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
# Characters XML 1.0 cannot carry at all (a body may hold them; attributes and notes not).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def our_guid(kind: str, our_id: str) -> str:
    """The GUID an export gives our record ``kind`` (``"category"``, ``"document"``…)."""
    return str(uuid.uuid5(_OUR_NAMESPACE, f"{kind}:{our_id}"))


def normal_guid(value: str | None) -> str | None:
    """A GUID as the standard allows it (braces, either case) in one form for matching:
    lower case, no braces; None when it is no GUID."""
    if not value or not _GUID.match(value.strip()):
        return None
    return value.strip().strip("{}").lower()


def rgb(value: str | None) -> str | None:
    """``#RRGGBB`` (lower case) from a REFI-QDA colour (``#RGB`` or ``#RRGGBB``); None if it
    is none."""
    if not value or not _RGB.match(value.strip()):
        return None
    digits = value.strip()[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.lower()


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids replaced by U+FFFD (lxml refuses them)."""
    return _NOT_XML.sub("\ufffd", text)


@dataclass(frozen=True)
class QdaUser:
    guid: str
    name: str


@dataclass
class QdaCode:
    guid: str
    name: str
    color: str | None = None  # "#rrggbb"
    description: str = ""
    parent_guid: str | None = None
    codable: bool = True
    line: int | None = None  # in the XML file, for the report


@dataclass
class QdaSelection:
    guid: str
    start: int
    end: int
    exact: str  # the text between start and end (read: from the source's text)
    creating_user: str | None = None
    created: str | None = None
    modified: str | None = None
    description: str = ""
    code_guids: list[str] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class QdaSource:
    guid: str
    name: str
    text: str
    creating_user: str | None = None
    created: str | None = None
    modified: str | None = None
    description: str = ""
    selections: list[QdaSelection] = field(default_factory=list)
    line: int | None = None


@dataclass(frozen=True)
class QdaNote:
    guid: str
    name: str
    text: str


@dataclass
class QdaProject:
    name: str
    origin: str = ""
    users: list[QdaUser] = field(default_factory=list)
    codes: list[QdaCode] = field(default_factory=list)
    sources: list[QdaSource] = field(default_factory=list)
    notes: dict[str, QdaNote] = field(default_factory=dict)
    # What the file holds that the workspace does not take, one line each (read only).
    not_read: list[str] = field(default_factory=list)
    created: str | None = None
