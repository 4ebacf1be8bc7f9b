"""Reading REFI-QDA files from any tool: a ``.qdpx`` project or a ``.qdc`` codebook.

Nothing in them is trusted (docs/architecture.md, "Trust boundaries"):

- The zip is never extracted. Its members are counted (``MAX_MEMBERS``) and each one read is
  decompressed in chunks, counted as it comes, whatever its header claims
  (``MAX_PROJECT_BYTES``, ``MAX_SOURCE_BYTES``, ``MAX_TOTAL_BYTES``): a zip bomb stops at
  the first limit with one line. A member whose name could point outside a folder (``..``,
  an absolute path, a drive, a backslash) is never read and is listed; a source's
  ``internal://`` path must be a plain file name in ``sources/``.
- XML is parsed without a DTD, entity expansion or network (lxml: ``resolve_entities=False``,
  ``no_network=True``, ``load_dtd=False``, ``huge_tree=False``, which also bounds depth and
  text node size), and a document that declares a DOCTYPE is refused outright: the standard
  has none, and entity tricks (billion laughs, external entities) need one. Elements are
  counted while parsing (``MAX_ELEMENTS``): millions of tiny ones would fill the memory.
- Every GUID, position and colour is checked; a bad item is reported with its line in the
  XML and the others are read. Positions must fall inside the source's text (code points,
  end exclusive; an inclusive end is recognised when the selection's ``name`` is its quote).
  Positions count the code points of the source's file, a Windows line end as two, except in
  a file from ATLAS.ti, which counts it as one.
"""

from __future__ import annotations

import zipfile
from collections import deque
from typing import IO, TYPE_CHECKING

from workstation.interchange.errors import InterchangeError
from workstation.interchange.refi_qda import (
    INTERNAL,
    PROJECT_FILE,
    SOURCES_FOLDER,
    QdaCode,
    QdaNote,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    normal_guid,
    rgb,
)

if TYPE_CHECKING:
    from lxml import etree

MAX_MEMBERS = 20_000  # zip entries: one per source, so far above a real project
MAX_PROJECT_BYTES = 128 * 1024 * 1024  # project.qde, decompressed (100k selections: ~65 MB)
# Elements in one XML file (a selection with its coding is four): 2M is 400k selections.
MAX_ELEMENTS = 2_000_000
MAX_SOURCE_BYTES = 20 * 1024 * 1024  # one source text (importers.limits: 20 MB of text)
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # everything decompressed from one file
MAX_CODEBOOK_BYTES = 32 * 1024 * 1024
_CHUNK = 1 << 20
_UNREAD_KINDS = ("Variables", "Cases", "Links", "Sets", "Graphs")


class RefiFileError(Exception):
    """The whole file cannot be read (not a zip, no project.qde, not XML, a limit passed)."""


def read_qdpx(file: IO[bytes]) -> tuple[QdaProject, list[InterchangeError]]:
    """The project in an opened ``.qdpx`` (seekable binary file) and one error per item that
    could not be read; RefiFileError when nothing can be."""
    archive = _Archive(file)
    root = parse_xml(archive.read(archive.project_name(), MAX_PROJECT_BYTES), PROJECT_FILE)
    if _local(root) != "Project":
        raise RefiFileError(f"{PROJECT_FILE}: the root element is <{_local(root)}>, not <Project>")
    project, errors = _Project(root, archive).read()
    # Lines are those of project.qde inside the zip: say so, the report names the .qdpx.
    return project, [
        InterchangeError(
            None, f"{PROJECT_FILE} line {e.line}: {e.message}" if e.line else e.message
        )
        for e in errors
    ]


def read_qdc(data: bytes) -> tuple[list[QdaCode], list[InterchangeError]]:
    """The codes of a ``.qdc`` codebook (``CodeBook/Codes``)."""
    root = parse_xml(data, "the codebook")
    if _local(root) != "CodeBook":
        raise RefiFileError(f"the root element is <{_local(root)}>, not <CodeBook>")
    errors: list[InterchangeError] = []
    codes_element = next((c for c in root if _local(c) == "Codes"), None)
    if codes_element is None:
        raise RefiFileError("no <Codes> in the codebook")
    return _read_codes(codes_element, errors), errors


def parse_xml(data: bytes, what: str) -> etree._Element:
    """The root of ``data``, parsed safely (see the module docstring), counting elements as
    they come: a tree costs about ten times its XML, and far more for tiny elements, so the
    count stops a file of millions of empty elements before it fills the memory."""
    from lxml import etree

    parser = etree.XMLPullParser(
        events=("start",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    elements = 0
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.feed(data[offset : offset + _CHUNK])
            elements += sum(1 for _ in parser.read_events())
            if elements > MAX_ELEMENTS:
                raise RefiFileError(f"{what}: more than {MAX_ELEMENTS:,} XML elements")
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        raise RefiFileError(f"{what}: not well-formed XML ({exc})") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise RefiFileError(f"{what}: declares a DOCTYPE, which REFI-QDA files never have")
    return root


def _local(element: etree._Element) -> str:
    from lxml import etree

    return str(etree.QName(element).localname)


def _at(element: etree._Element) -> str:
    return f"{PROJECT_FILE} line {element.sourceline}"


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


class _Archive:
    """The members of a zip, read only by name and only within the limits."""

    def __init__(self, file: IO[bytes]):
        try:
            self.zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise RefiFileError(f"not a .qdpx file: not a zip archive ({exc})") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise RefiFileError(f"{len(infos)} files in the zip, more than {MAX_MEMBERS:,}")
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.unsafe: list[str] = []
        for info in infos:
            if info.is_dir():
                continue
            if _unsafe(info.filename):
                self.unsafe.append(info.filename)
                continue
            self.members.setdefault(info.filename.casefold(), info)
        self.total = 0

    def project_name(self) -> str:
        if PROJECT_FILE not in self.members:
            raise RefiFileError(f"not a REFI-QDA project: no {PROJECT_FILE} in the zip")
        return PROJECT_FILE

    def source_name(self, path: str) -> str:
        """The member an ``internal://NAME`` path names, or RefiFileError saying why not."""
        name = path[len(INTERNAL) :]
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            raise RefiFileError(f"the path {path!r} is not a file name in {SOURCES_FOLDER}/")
        member = f"{SOURCES_FOLDER}/{name}".casefold()
        if member not in self.members:
            raise RefiFileError(f"{SOURCES_FOLDER}/{name} is not in the zip")
        return member

    def read(self, member: str, limit: int) -> bytes:
        info = self.members[member]
        chunks = []
        size = 0
        try:
            with self.zip.open(info) as handle:
                while chunk := handle.read(_CHUNK):
                    size += len(chunk)
                    self.total += len(chunk)
                    if size > limit:
                        raise RefiFileError(
                            f"{info.filename}: more than {limit // (1024 * 1024)} MB unzipped"
                        )
                    if self.total > MAX_TOTAL_BYTES:
                        raise RefiFileError(
                            f"more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB unzipped in all"
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, ValueError) as exc:
            # RuntimeError: an encrypted member; the others: a damaged one.
            raise RefiFileError(f"{info.filename}: cannot be unzipped ({exc})") from None
        return b"".join(chunks)


def _unsafe(name: str) -> bool:
    parts = name.split("/")
    return (
        name.startswith("/")
        or "\\" in name
        or ".." in parts
        or (len(parts[0]) >= 2 and parts[0][1] == ":")
        or "\x00" in name
    )


class _Project:
    def __init__(self, root: etree._Element, archive: _Archive):
        self.root = root
        self.archive = archive
        self.errors: list[InterchangeError] = []
        self.project = QdaProject(
            name=root.get("name") or "",
            origin=root.get("origin") or "",
            created=root.get("creationDateTime"),
        )

    def read(self) -> tuple[QdaProject, list[InterchangeError]]:
        project = self.project
        for name in self.archive.unsafe:
            project.not_read.append(f"zip member {name!r} has an unsafe name; not read")
        for child in self.root:
            kind = _local(child)
            if kind == "Users":
                self._users(child)
            elif kind == "CodeBook":
                codes = next((c for c in child if _local(c) == "Codes"), None)
                if codes is not None:
                    project.codes = _read_codes(codes, self.errors)
            elif kind == "Notes":
                self._notes(child)
            elif kind in _UNREAD_KINDS:
                count = len(list(child))
                project.not_read.append(
                    f"{_at(child)}: {count} item(s) of <{kind}>: the workspace "
                    "has no place for them; not imported"
                )
        # Sources after notes: a selection's NoteRef names a note given later in the file.
        for child in self.root:
            if _local(child) == "Sources":
                for element in child:
                    self._source(element)
        return project, self.errors

    def _error(self, element: etree._Element | None, message: str) -> None:
        self.errors.append(
            InterchangeError(element.sourceline if element is not None else None, message)
        )

    def _users(self, element: etree._Element) -> None:
        for user in element:
            guid = normal_guid(user.get("guid"))
            if guid is None:
                self._error(user, f"user with a bad guid {user.get('guid')!r}; not read")
                continue
            name = (user.get("name") or user.get("id") or "").strip()
            self.project.users.append(QdaUser(guid, name or guid))

    def _notes(self, element: etree._Element) -> None:
        for note in element:
            guid = normal_guid(note.get("guid"))
            if guid is None:
                self._error(note, f"note with a bad guid {note.get('guid')!r}; not read")
                continue
            text = self._source_text(note)
            if text is not None:
                self.project.notes[guid] = QdaNote(guid, note.get("name") or "", text.strip())

    def _source(self, element: etree._Element) -> None:
        kind = _local(element)
        name = element.get("name") or ""
        text_element = element
        if kind == "PDFSource":  # its text selections are made in its plain text version
            text_element = next((c for c in element if _local(c) == "Representation"), element)
            if text_element is element:
                self.project.not_read.append(
                    f"{_at(element)}: PDF source «{name}» has no plain text "
                    "representation; not imported"
                )
                return
        elif kind != "TextSource":
            self.project.not_read.append(
                f"{_at(element)}: {kind} «{name}»: only text sources are imported"
            )
            return
        guid = normal_guid(element.get("guid"))
        if guid is None:
            self._error(element, f"source «{name}» has a bad guid {element.get('guid')!r}")
            return
        text = self._source_text(text_element)
        if text is None:
            return
        if "atlas.ti" in self.project.origin.casefold():
            # ATLAS.ti counts a Windows line end as one character (QualCoder's importer makes
            # the same allowance); every other tool counts the code points of the file.
            text = text.replace("\r\n", "\n")
        source = QdaSource(
            guid=guid,
            name=name or guid,
            text=text,
            creating_user=normal_guid(element.get("creatingUser")),
            created=element.get("creationDateTime"),
            modified=element.get("modifiedDateTime"),
            line=element.sourceline,
        )
        for child in text_element:
            part = _local(child)
            if part == "Description":
                source.description = _text(child)
            elif part == "PlainTextSelection":
                selection = self._selection(child, source)
                if selection is not None:
                    source.selections.append(selection)
            elif part in ("Coding", "NoteRef", "VariableValue"):
                self.project.not_read.append(
                    f"{_at(child)}: {part} on the whole source «{source.name}»: "
                    "the workspace keeps codes and notes on passages only; not imported"
                )
        self.project.sources.append(source)

    def _source_text(self, element: etree._Element) -> str | None:
        """The plain text of a source or note: its PlainTextContent or its internal file."""
        name = element.get("name") or element.get("guid") or ""
        content = next((c for c in element if _local(c) == "PlainTextContent"), None)
        if content is not None:
            return _text(content)
        path = element.get("plainTextPath")
        if not path:
            self._error(element, f"«{name}» has neither PlainTextContent nor plainTextPath")
            return None
        if not path.startswith(INTERNAL):
            self._error(element, f"«{name}»: its text {path!r} is outside the file; not imported")
            return None
        try:
            data = self.archive.read(self.archive.source_name(path), MAX_SOURCE_BYTES)
        except RefiFileError as exc:
            self._error(element, f"«{name}»: {exc}; not imported")
            return None
        try:
            return data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            self._error(element, f"«{name}»: its text is not UTF-8 (byte {exc.start}); not read")
            return None

    def _selection(self, element: etree._Element, source: QdaSource) -> QdaSelection | None:
        guid = normal_guid(element.get("guid"))
        where = f"selection in «{source.name}»"
        if guid is None:
            self._error(element, f"{where} has a bad guid {element.get('guid')!r}; not imported")
            return None
        try:
            start = int(element.get("startPosition") or "")
            end = int(element.get("endPosition") or "")
        except ValueError:
            self._error(element, f"{where} {guid}: positions are not whole numbers; not imported")
            return None
        quote = element.get("name") or ""
        text = source.text
        if quote and text[start:end] != quote and text[start : end + 1] == quote and start >= 0:
            end += 1  # written with an inclusive end, as the standard's wording allows
        if not 0 <= start < end <= len(text):
            self._error(
                element,
                f"{where} {guid}: positions {start}–{end} do not fit its text "
                f"of {len(text)} characters; not imported",
            )
            return None
        selection = QdaSelection(
            guid=guid,
            start=start,
            end=end,
            exact=text[start:end],
            creating_user=normal_guid(element.get("creatingUser")),
            created=element.get("creationDateTime"),
            modified=element.get("modifiedDateTime"),
            line=element.sourceline,
        )
        for child in element:
            part = _local(child)
            if part == "Description":
                selection.description = _text(child).strip()
            elif part == "NoteRef":
                target = normal_guid(child.get("targetGUID"))
                if target:
                    selection.note_guids.append(target)
            elif part == "Coding":
                ref = next((c for c in child if _local(c) == "CodeRef"), None)
                target = normal_guid(ref.get("targetGUID")) if ref is not None else None
                if target is None:
                    self._error(child, f"{where} {guid}: a coding without a code; left out")
                elif target not in selection.code_guids:
                    selection.code_guids.append(target)
        return selection


def _read_codes(element: etree._Element, errors: list[InterchangeError]) -> list[QdaCode]:
    """Every code under ``Codes``, parents before children (no recursion: a deep nesting
    cannot exhaust the stack; lxml's default limits bound the depth anyway)."""
    codes: list[QdaCode] = []
    seen: set[str] = set()
    pending: deque[tuple[etree._Element, str | None]] = deque(
        (c, None) for c in element if _local(c) == "Code"
    )
    while pending:
        code, parent = pending.popleft()
        guid = normal_guid(code.get("guid"))
        name = (code.get("name") or "").strip()
        if guid is None or not name or guid in seen:
            why = "a bad guid" if guid is None else "no name" if not name else "a repeated guid"
            errors.append(InterchangeError(code.sourceline, f"code «{name}» has {why}; not read"))
            continue
        seen.add(guid)
        description = next((c for c in code if _local(c) == "Description"), None)
        codes.append(
            QdaCode(
                guid=guid,
                name=name,
                color=rgb(code.get("color")),
                description=_text(description).strip() if description is not None else "",
                parent_guid=parent,
                codable=(code.get("isCodable") or "true").strip() in ("true", "1"),
                line=code.sourceline,
            )
        )
        pending.extend((c, guid) for c in code if _local(c) == "Code")
    return codes
