"""Word documents (.docx): the body's paragraphs, streamed out of the zip.

A .docx is a zip of XML, so its bytes say little about what it expands to (a 0.5 MB file
held 300 MB of text). Before anything is decompressed, the zip's directory is checked against
limits.py: the number of entries, the declared uncompressed sizes, each big entry's
compression ratio. The document part is then parsed as a stream (expat), read through a
counter that stops at the size limit whatever the zip's headers claim, and its paragraphs are
counted and measured as they come out. A DTD is refused outright (Word never writes one; it
is how entity bombs and external entities get in).

The text is what python-docx's ``Document.paragraphs`` gives — body-level paragraphs, their
runs and hyperlinked runs, ``w:tab``/``w:ptab`` as a tab, ``w:br``/``w:cr`` as a line break,
``w:noBreakHyphen`` as "-" — but python-docx is not used to read: it loads every part and
builds an object per paragraph first (5 min 42 s and 2.1 GB for 3 million paragraphs), which
no limit can interrupt.
"""

from __future__ import annotations

import contextlib
import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Protocol
from xml.parsers import expat

from workstation.importers.base import (
    DocumentDraft,
    Extraction,
    ImportRejected,
    describe_size,
    title_from_text,
)
from workstation.importers.limits import (
    MAX_PARAGRAPHS,
    MAX_SMALL_PART_BYTES,
    MAX_UNZIPPED_BYTES,
    MAX_ZIP_ENTRIES,
    MAX_ZIP_RATIO,
    ZIP_RATIO_FROM_BYTES,
)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "
_DOCUMENT, _BODY, _P, _R, _HYPERLINK, _T = (
    _W + name for name in ("document", "body", "p", "r", "hyperlink", "t")
)
# Run content other than w:t, as python-docx renders it (w:br depends on its type).
_RUN_MARKS = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_BR, _BR_TYPE = _W + "br", _W + "type"

_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties coreProperties"
_DC = "http://purl.org/dc/elements/1.1/ "
_CORE_FIELDS = {_DC + "title": "title", _DC + "language": "language"}

_CHUNK = 64 * 1024
_NOT_READABLE = "not a readable Word (.docx) file"


def read_docx(path: Path, data: bytes, extraction: Extraction) -> DocumentDraft:
    archive = _open_zip(data)
    try:
        with archive:
            main, core = _package_parts(archive)
            if main is None:
                raise ImportRejected(_NOT_READABLE)
            text = _body_text(archive, main, extraction)
            # The file's author and creation date describe the Word file (often a
            # template's), not the article's outlet or publication date: not taken. A
            # damaged core.xml loses the title only; the text is still good.
            props: dict[str, str] = {}
            with contextlib.suppress(Exception):
                props = _core_properties(archive, core)
    except ImportRejected:
        raise
    except (zipfile.BadZipFile, KeyError, EOFError) as exc:
        raise ImportRejected(_NOT_READABLE) from exc
    except Exception as exc:  # expat, zlib, an encrypted entry, an unknown compression
        raise ImportRejected(f"damaged Word file ({type(exc).__name__})") from exc
    return DocumentDraft(
        title=props.get("title", "").strip() or title_from_text(text, path.stem),
        text=text,
        origin_name=path.name,
        language=props.get("language", "").strip() or None,
    )


# -- the zip -----------------------------------------------------------------------------------


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """The zip, once its directory is within every limit; ImportRejected otherwise."""
    declared = _declared_entries(data)
    if declared is not None and declared > MAX_ZIP_ENTRIES:
        raise _too_many_entries(declared)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, but also struct, value and unicode errors
        raise ImportRejected(_NOT_READABLE) from exc
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _too_many_entries(len(entries))
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNZIPPED_BYTES:
        raise ImportRejected(
            f"the Word file unzips to {describe_size(total)}, over the "
            f"{describe_size(MAX_UNZIPPED_BYTES)} limit"
        )
    for entry in entries:
        if entry.file_size > ZIP_RATIO_FROM_BYTES:
            ratio = entry.file_size // max(entry.compress_size, 1)
            if ratio > MAX_ZIP_RATIO:
                raise ImportRejected(
                    f"a part of the Word file is compressed {ratio:,}:1, over the "
                    f"{MAX_ZIP_RATIO}:1 limit (a zip bomb?)"
                )
    return archive


def _declared_entries(data: bytes) -> int | None:
    """The entry count in the zip's end record, read before zipfile builds an object per
    entry; None when there is no plain end record (zipfile then decides)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or len(data) < at + 22:
        return None
    total = struct.unpack_from("<H", data, at + 10)[0]
    return None if total == 0xFFFF else total  # 0xFFFF: a zip64 record holds the count


def _too_many_entries(count: int) -> ImportRejected:
    return ImportRejected(
        f"the Word file holds {count:,} zip entries, over the {MAX_ZIP_ENTRIES:,} limit"
    )


class _Capped:
    """A zip entry read in chunks, refused once more than ``cap`` bytes came out — whatever
    its header declared."""

    def __init__(self, handle: IO[bytes], cap: int, what: str):
        self._handle, self._cap, self._what, self.total = handle, cap, what, 0

    def read(self, size: int = _CHUNK) -> bytes:
        chunk = self._handle.read(min(size, _CHUNK) if size > 0 else _CHUNK)
        self.total += len(chunk)
        if self.total > self._cap:
            raise ImportRejected(
                f"{self._what} of the Word file unzips to more than {describe_size(self._cap)}"
            )
        return chunk


class _Handlers(Protocol):
    """What _parse streams a part into (expat's start, end and character-data handlers)."""

    def start(self, tag: str, attrs: dict[str, str]) -> None: ...

    def end(self, tag: str) -> None: ...

    def data(self, text: str) -> None: ...


def _parse(
    archive: zipfile.ZipFile,
    name: str,
    cap: int,
    handlers: _Handlers,
    what: str,
    on_chunk: Callable[[], None],
) -> None:
    """Stream entry ``name`` through expat with ``handlers``' start/end/data methods."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.StartElementHandler = handlers.start
    parser.EndElementHandler = handlers.end
    parser.CharacterDataHandler = handlers.data
    with archive.open(name) as raw:
        stream = _Capped(raw, cap, what)
        while chunk := stream.read():
            parser.Parse(chunk, False)
            on_chunk()
        parser.Parse(b"", True)


def _refuse_dtd(*_args: object) -> None:
    raise ImportRejected("the Word file holds a DTD, which Word never writes (refused)")


# -- which parts -------------------------------------------------------------------------------


def _package_parts(archive: zipfile.ZipFile) -> tuple[str | None, str | None]:
    """(main document part, core properties part) as named in the package's relationships,
    with Word's usual names when it has none."""
    names = set(archive.namelist())
    found: dict[str, str] = {}
    if "_rels/.rels" in names:
        found = _Relationships.read(archive)
    main = found.get("officeDocument", "word/document.xml")
    core = found.get("core-properties", "docProps/core.xml")
    return (main if main in names else None), (core if core in names else None)


class _Relationships:
    def __init__(self) -> None:
        self.targets: dict[str, str] = {}

    @classmethod
    def read(cls, archive: zipfile.ZipFile) -> dict[str, str]:
        found = cls()
        _parse(archive, "_rels/.rels", MAX_SMALL_PART_BYTES, found, "_rels/.rels", _nothing)
        return found.targets

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == _RELATIONSHIPS:
            kind = attrs.get("Type", "").rsplit("/", 1)[-1]
            self.targets.setdefault(kind, attrs.get("Target", "").lstrip("/"))

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass


def _nothing() -> None:
    pass


# -- the body ----------------------------------------------------------------------------------


def _body_text(archive: zipfile.ZipFile, name: str, extraction: Extraction) -> str:
    body = _BodyText(extraction)
    _parse(
        archive,
        name,
        MAX_UNZIPPED_BYTES,
        body,
        "the document",
        lambda: extraction.check_time(f"paragraph {body.count:,}"),
    )
    return "\n".join(body.paragraphs)


class _BodyText:
    """Collects the text of ``w:document/w:body/w:p`` paragraphs as the parser streams."""

    def __init__(self, extraction: Extraction):
        self.extraction = extraction
        self.paragraphs: list[str] = []
        self.count = 0
        self._path: list[str] = []
        self._pieces: list[str] = []
        self._in_text = False

    def _in_run(self) -> bool:
        """True when the element just opened is a direct child of a body paragraph's run
        (w:p/w:r/x or w:p/w:hyperlink/w:r/x)."""
        path = self._path
        depth = len(path)
        if depth == 5:
            return path[2] == _P and path[3] == _R and path[:2] == [_DOCUMENT, _BODY]
        if depth == 6:
            return (
                path[2] == _P and path[3] == _HYPERLINK and path[4] == _R
                and path[:2] == [_DOCUMENT, _BODY]
            )  # fmt: skip
        return False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self._path.append(tag)
        if len(self._path) < 5 or not self._in_run():
            return
        if tag == _T:
            self._in_text = True
        elif tag in _RUN_MARKS:
            self._pieces.append(_RUN_MARKS[tag])
        elif tag == _BR and attrs.get(_BR_TYPE, "textWrapping") == "textWrapping":
            self._pieces.append("\n")

    def data(self, text: str) -> None:
        if self._in_text:
            self._pieces.append(text)

    def end(self, tag: str) -> None:
        path = self._path
        if self._in_text and tag == _T:
            self._in_text = False
        elif tag == _P and len(path) == 3 and path[:2] == [_DOCUMENT, _BODY]:
            self._paragraph_done()
        path.pop()

    def _paragraph_done(self) -> None:
        self.count += 1
        where = f"paragraph {self.count:,}"
        if self.count > MAX_PARAGRAPHS:
            raise ImportRejected(
                f"the Word file has more than {MAX_PARAGRAPHS:,} paragraphs (stopped at {where})"
            )
        text = "".join(self._pieces)
        self._pieces.clear()
        self.extraction.add_text(len(text) + 1, where)
        self.paragraphs.append(text)


# -- core properties ---------------------------------------------------------------------------


def _core_properties(archive: zipfile.ZipFile, name: str | None) -> dict[str, str]:
    if name is None:
        return {}
    props = _CoreProperties()
    _parse(archive, name, MAX_SMALL_PART_BYTES, props, name, _nothing)
    return props.values


class _CoreProperties:
    """dc:title and dc:language directly under a cp:coreProperties root."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self._depth = 0
        self._root_ok = False
        self._field: str | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self._depth += 1
        if self._depth == 1:
            self._root_ok = tag == _CORE
        elif self._depth == 2 and self._root_ok:
            self._field = _CORE_FIELDS.get(tag)

    def data(self, text: str) -> None:
        if self._field is not None and self._depth == 2:
            self.values[self._field] = self.values.get(self._field, "") + text

    def end(self, tag: str) -> None:
        if self._depth == 2:
            self._field = None
        self._depth -= 1
