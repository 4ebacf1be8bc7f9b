"""Reading brat standoff: ``.ann`` lines, ``annotation.conf``/``visual.conf``, and where a
``.txt``'s offsets fall in the body the workspace stores for it. Domain only: the service
reads the files (bounded) and decides what each line becomes.

The line syntax follows brat's own reader (``server/src/annotation.py``): an id, a tab, the
data, and for T, N and # lines a tab and a text. brat counts offsets in code points of the
``.txt`` as decoded from UTF-8 (a byte-order mark included), end exclusive; the text of a
discontinuous span is its fragments joined by one space (brat's ``DISCONT_SEP``). A line
that cannot be read is an ``InterchangeError`` with its number; the others are read.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from workstation.domain.offsets import normalize_body
from workstation.interchange.errors import InterchangeError

DISCONT_SEP = " "
MAX_FRAGMENTS = 64  # brat draws a handful; a line with thousands is an attack, not a span
_SHOWN = 60  # characters of a line quoted in an error

_ID = re.compile(r"^(?:[TRENAM]\d+|#\d*|\*)$")
_OFFSET = re.compile(r"^(\d{1,12}) (\d{1,12})$")
_NORM = re.compile(r"^(\S+) (\S+) (\S+?):(\S+)$")
_ARG = re.compile(r"^([^\s:]+):([^\s:]+)$")
_TYPE = re.compile(r"^[^\s:;,|=<>!]+$")
LINE_KINDS = ("T", "#", "N", "A", "R", "E", "*")


@dataclass(frozen=True)
class TextBound:
    """``T3<TAB>Type 0 5;10 15<TAB>text``: a span (one or more fragments) of one type."""

    id: str
    type: str
    fragments: tuple[tuple[int, int], ...]
    text: str
    line: int


@dataclass(frozen=True)
class AnnotatorNote:
    """``#1<TAB>AnnotatorNotes T1<TAB>text``."""

    id: str
    target: str
    text: str
    line: int


@dataclass(frozen=True)
class Normalization:
    """``N1<TAB>Reference T1 Wikidata:Q42<TAB>Douglas Adams``."""

    id: str
    target: str
    refdb: str
    refid: str
    text: str
    line: int


@dataclass(frozen=True)
class Attribute:
    """``A1<TAB>Confidence E1 High`` (``value`` None for a binary attribute)."""

    id: str
    type: str
    target: str
    value: str | None
    line: int


@dataclass(frozen=True)
class BratRelation:
    """``R1<TAB>Family Arg1:T6 Arg2:T7``: exactly two arguments, as brat requires."""

    id: str
    type: str
    args: tuple[tuple[str, str], ...]  # (role, id)
    line: int


@dataclass(frozen=True)
class BratEvent:
    """``E1<TAB>Merge-org:T3 Org-Arg:T1 Org-Arg2:T2``: a trigger span and role arguments."""

    id: str
    type: str
    trigger: str
    args: tuple[tuple[str, str], ...]
    line: int


@dataclass(frozen=True)
class Equiv:
    """``*<TAB>Equiv T3 T4 T5``: spans that name the same thing (no id of its own)."""

    type: str
    refs: tuple[str, ...]
    line: int


@dataclass
class AnnFile:
    """One ``.ann`` file read: its lines by kind, and the lines that could not be read."""

    spans: list[TextBound] = field(default_factory=list)
    notes: list[AnnotatorNote] = field(default_factory=list)
    norms: list[Normalization] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    relations: list[BratRelation] = field(default_factory=list)
    events: list[BratEvent] = field(default_factory=list)
    equivs: list[Equiv] = field(default_factory=list)
    errors: list[InterchangeError] = field(default_factory=list)
    # Non-blank lines per kind (T, #, N, A, R, E, *; "?" when not even the id reads).
    read: Counter[str] = field(default_factory=Counter)
    # Of those, the ones in ``errors``, per kind.
    unreadable: Counter[str] = field(default_factory=Counter)


def line_kind(brat_id: str) -> str:
    """T, #, N, A, R, E or * for an id (``M`` lines are brat's old attributes)."""
    first = brat_id[:1]
    return "A" if first == "M" else first


def parse_ann(text: str) -> AnnFile:
    """Every line of an ``.ann`` file, read or reported by number."""
    result = AnnFile()
    seen: set[str] = set()
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        brat_id, _, rest = line.partition("\t")
        kind = line_kind(brat_id) if _ID.match(brat_id) else "?"
        result.read[kind] += 1
        try:
            if kind == "?":
                raise ValueError(f"not a brat annotation line («{_shown(line)}»)")
            if brat_id != "*" and brat_id in seen:
                raise ValueError(f"{brat_id} appears twice in the file")
            data, _, tail = rest.partition("\t")
            _parse_line(result, kind, brat_id, data, tail, number)
            seen.add(brat_id)
        except ValueError as exc:
            result.unreadable[kind] += 1
            result.errors.append(InterchangeError(number, str(exc)))
    return result


def _parse_line(result: AnnFile, kind: str, id_: str, data: str, tail: str, line: int) -> None:
    if kind == "T":
        result.spans.append(_text_bound(id_, data, tail, line))
    elif kind == "#":
        words = data.split()
        if len(words) != 2:
            raise ValueError(f"{id_}: a note needs a type and a target («{_shown(data)}»)")
        result.notes.append(AnnotatorNote(id_, _ref(words[1], id_), tail.strip(), line))
    elif kind == "N":
        match = _NORM.match(data.strip())
        if match is None:
            raise ValueError(f"{id_}: not «Reference T1 DB:ID» («{_shown(data)}»)")
        _type, target, refdb, refid = match.groups()
        result.norms.append(Normalization(id_, _ref(target, id_), refdb, refid, tail.strip(), line))
    elif kind == "A":
        words = data.split()
        if len(words) not in (2, 3):
            raise ValueError(f"{id_}: not «Attribute target [value]» («{_shown(data)}»)")
        value = words[2] if len(words) == 3 else None
        result.attributes.append(Attribute(id_, words[0], _ref(words[1], id_), value, line))
    elif kind == "R":
        type_, args = _type_and_args(id_, data)
        if len(args) != 2 or args[0][0] == args[1][0]:
            raise ValueError(f"{id_}: a relation needs two arguments with different roles")
        result.relations.append(BratRelation(id_, type_, args, line))
    elif kind == "E":
        head, _, rest = data.strip().partition(" ")
        type_, colon, trigger = head.partition(":")
        if not colon or not _TYPE.match(type_):
            raise ValueError(f"{id_}: an event starts «Type:T1» («{_shown(data)}»)")
        result.events.append(BratEvent(id_, type_, _ref(trigger, id_), _args(id_, rest), line))
    else:  # "*"
        words = data.split()
        if len(words) < 3:
            raise ValueError("*: an equivalence needs a type and two or more spans")
        refs = tuple(_ref(word, "*") for word in words[1:])
        result.equivs.append(Equiv(words[0], refs, line))


def _text_bound(id_: str, data: str, tail: str, line: int) -> TextBound:
    type_, _, offsets = data.strip().partition(" ")
    if not _TYPE.match(type_):
        raise ValueError(f"{id_}: «{_shown(type_)}» is no brat type")
    pieces = offsets.split(";")
    if len(pieces) > MAX_FRAGMENTS:
        raise ValueError(f"{id_}: {len(pieces)} fragments (at most {MAX_FRAGMENTS} are read)")
    fragments = []
    for piece in pieces:
        match = _OFFSET.match(piece.strip())
        if match is None:
            raise ValueError(f"{id_}: «{_shown(piece)}» is not «START END»")
        start, end = int(match[1]), int(match[2])
        if start >= end:
            raise ValueError(f"{id_}: the span {start}–{end} is empty or backwards")
        fragments.append((start, end))
    if any(a[1] > b[0] for a, b in itertools.pairwise(fragments)):
        raise ValueError(f"{id_}: fragments overlap or are out of order")
    return TextBound(id_, type_, tuple(fragments), tail.rstrip("\r\n"), line)


def _type_and_args(id_: str, data: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    type_, _, rest = data.strip().partition(" ")
    if not _TYPE.match(type_):
        raise ValueError(f"{id_}: «{_shown(type_)}» is no brat type")
    return type_, _args(id_, rest)


def _args(id_: str, text: str) -> tuple[tuple[str, str], ...]:
    args = []
    for word in text.split():
        match = _ARG.match(word)
        if match is None:
            raise ValueError(f"{id_}: «{_shown(word)}» is not «Role:ID»")
        args.append((match[1], _ref(match[2], id_)))
    return tuple(args)


def _ref(target: str, owner: str) -> str:
    if not re.match(r"^[TRE]\d+$", target):
        raise ValueError(f"{owner}: «{_shown(target)}» names no span, relation or event")
    return target


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def span_text_error(span: TextBound, text: str) -> str | None:
    """Why ``span`` does not fit the ``.txt`` text it was made on, or None when it does."""
    last = span.fragments[-1][1]
    if last > len(text):
        return (
            f"{span.id}: offsets up to {last} go beyond the text's {len(text)} characters;"
            " not imported"
        )
    found = DISCONT_SEP.join(text[s:e] for s, e in span.fragments)
    if found != span.text:
        return (
            f"{span.id}: its text «{_shown(span.text)}» is not the text at its offsets"
            f" («{_shown(found)}»); not imported"
        )
    return None


# -- what brat's types and roles mean here -----------------------------------------------------

# Span types that name an entity (ACE, CoNLL and OntoNotes spellings), as our entity kinds.
_ENTITY_KINDS = {
    "person": "Person", "per": "Person", "organization": "Organization",
    "organisation": "Organization", "org": "Organization", "company": "Company",
    "publicbody": "PublicBody", "gpe": "Country", "country": "Country",
    "legalentity": "LegalEntity",
}  # fmt: skip
# Relation types that are standing relations between entities (FtM's kinds).
_RELATION_KINDS = {
    "family": "family", "ownership": "ownership", "owner": "ownership",
    "directorship": "directorship", "director": "directorship", "membership": "membership",
    "memberof": "membership", "associate": "associate", "employment": "employment",
}  # fmt: skip
# Relation types that say what an entity is to a passage (our mention roles).
_RELATION_ROLES = {"actor": "actor", "agent": "actor", "target": "target",
                   "patient": "target", "speaker": "speaker"}  # fmt: skip
_ACTOR_ROLES = {"agent", "actor", "arg1", "subject"}
_TARGET_ROLES = {"patient", "target", "theme", "arg2", "object"}
WIKIDATA_ID = re.compile(r"^Q[1-9]\d*$")


def type_key(name: str) -> str:
    """A type or category name as compared: no case, no spaces, ``_`` or ``-``."""
    return re.sub(r"[\s_-]+", "", name.casefold())


def entity_kind(type_: str) -> str | None:
    """The entity kind an entity-like span type names (Person, GPE → Country…), or None."""
    return _ENTITY_KINDS.get(type_key(type_))


def relation_kind(type_: str) -> str | None:
    return _RELATION_KINDS.get(type_key(type_))


def relation_role(type_: str) -> str | None:
    return _RELATION_ROLES.get(type_key(type_))


def event_role(role: str) -> str | None:
    """ "actor" or "target" for an event argument's role (``Agent-Arg`` → actor,
    ``Theme2`` → target), None for any other role."""
    key = role.casefold()
    if key not in ("arg1", "arg2"):
        key = re.sub(r"[-_]?arg$", "", key.rstrip("0123456789"))
    if key in _ACTOR_ROLES:
        return "actor"
    return "target" if key in _TARGET_ROLES else None


# -- configuration ---------------------------------------------------------------------------


def visual_labels(text: str) -> dict[str, str]:
    """``visual.conf``'s ``[labels]``: type → its full label (the second field)."""
    labels: dict[str, str] = {}
    section = ""
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().casefold()
            continue
        if section == "labels" and "|" in line:
            fields = [f.strip() for f in line.split("|")]
            if fields[0] and len(fields) > 1 and fields[1]:
                labels[fields[0]] = fields[1]
    return labels


# -- offsets: the .txt as brat counts it → the body as the workspace stores it ---------------

_REMOVED = re.compile("\r(?=\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# An ASCII character never composes with what precedes it and blocks reordering, so NFC can
# be applied to each non-ASCII run (with the one ASCII character before it, which may be the
# base of a combining mark) on its own.
_NON_ASCII_RUN = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")


class BodyOffsets:
    """Where each offset of a ``.txt`` (as brat counts it) falls in ``normalize_body`` of
    that text: the BOM, ``\\r`` of ``\\r\\n`` and control characters dropped, NFC, leading
    and trailing whitespace trimmed. An offset inside a sequence NFC recomposed has no place
    (``None``); so has one where the piecewise NFC would disagree with the whole (never
    seen; checked rather than assumed)."""

    def __init__(self, raw: str):
        self.body = normalize_body(raw)
        bom = len(raw) - len(raw.lstrip("\ufeff"))
        self._removed = list(range(bom)) + [m.start() for m in _REMOVED.finditer(raw, bom)]
        pieces: list[str] = []
        cursor = 0
        for position in self._removed:
            pieces.append(raw[cursor:position])
            cursor = position + 1
        kept = "".join([*pieces, raw[cursor:]]).replace("\r", "\n")
        self._runs: list[tuple[int, int, int]] = []  # (start, end, change in length)
        composed = kept
        if not unicodedata.is_normalized("NFC", kept):
            pieces, cursor = [], 0
            for match in _NON_ASCII_RUN.finditer(kept):
                run = match.group()
                nfc = unicodedata.normalize("NFC", run)
                if nfc != run:
                    pieces += [kept[cursor : match.start()], nfc]
                    cursor = match.end()
                    self._runs.append((match.start(), match.end(), len(nfc) - len(run)))
            composed = "".join([*pieces, kept[cursor:]])
        self._run_starts = [start for start, _, _ in self._runs]
        self._shift_before: list[int] = []  # the change in length of the runs before each
        total = 0
        for _, _, change in self._runs:
            self._shift_before.append(total)
            total += change
        self._lead = len(composed) - len(composed.lstrip())
        self.sound = composed.strip() == self.body

    @property
    def identity(self) -> bool:
        """Whether every offset is the same in the body (only trailing space was trimmed)."""
        return not self._removed and not self._runs and not self._lead

    def __call__(self, offset: int) -> int | None:
        if not self.sound:
            return None
        kept = offset - bisect.bisect_left(self._removed, offset)
        index = bisect.bisect_right(self._run_starts, kept) - 1
        shift = 0
        if index >= 0:
            shift = self._shift_before[index]
            start, end, change = self._runs[index]
            if start < kept < end:
                return None
            if kept >= end:
                shift += change
        return min(max(kept + shift - self._lead, 0), len(self.body))

    def fragment(self, start: int, end: int) -> tuple[int, int] | None:
        """A fragment's place in the body, trimmed to what the body kept of it."""
        mapped_start, mapped_end = self(start), self(end)
        if mapped_start is None or mapped_end is None or mapped_start >= mapped_end:
            return None
        return mapped_start, mapped_end
