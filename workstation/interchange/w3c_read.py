"""Reading files of W3C Web Annotations, whatever container they come in.

Accepted: JSON Lines (one annotation per line), a single annotation object, a JSON array of
annotations, an AnnotationCollection/AnnotationPage with embedded pages ("first", "items",
"next"), and a Hypothesis search result ("rows"). Each annotation either parses into a
``W3CAnnotation`` per target (an annotation of three targets yields three) or yields an
``InterchangeError`` saying where and why; one bad line never stops the others.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from workstation.interchange.errors import InterchangeError
from workstation.interchange.json_text import UnreadableJson, load_json
from workstation.interchange.w3c_parse import (
    W3CAnnotation,
    json_kind,
    parse_w3c_line_targets,
    parse_w3c_targets,
    type_names,
)


def iter_w3c(source: Path | str) -> Iterator[W3CAnnotation | InterchangeError]:
    """Annotations of a file (a ``Path``) or of JSON text (a ``str``), in file order."""
    if isinstance(source, Path):
        try:
            text = source.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield InterchangeError(None, f"not UTF-8 text (undecodable byte at {exc.start})")
            return
    else:
        text = source.removeprefix("\ufeff")
    if not _NON_BLANK.search(text):  # not text.strip(): that copies a 50 MB file whole
        return
    try:
        whole = load_json(text)
    except UnreadableJson as exc:
        # JSON Lines are not one JSON text; neither is a file whose first line cannot be
        # read at all (nested too deeply): each line then stands or falls on its own.
        if _is_json_lines(text):
            yield from _iter_json_lines(text_lines(text))
        else:
            yield InterchangeError(exc.line, exc.reason)
        return
    # A file of one line is JSON Lines of one annotation too: its error names line 1.
    yield from _iter_document(whole, 1 if "\n" not in text.strip() else None)


_NON_BLANK = re.compile(r"\S")


def iter_w3c_pieces(pieces: Sequence[str]) -> Iterator[W3CAnnotation | InterchangeError]:
    """``iter_w3c("".join(pieces))``, without the join for JSON Lines.

    ``pieces``: a file's text read a chunk at a time (``read_annotation_pieces``). JSON
    Lines are read line by line across the pieces: joining 50 MB into one string is one C
    step that holds the GIL for 40–60 ms, stalling the GUI while a worker imports
    (docs/architecture.md, "Threading"). Any other shape is joined and read whole, as
    ``iter_w3c`` reads it."""
    if pieces and pieces[0].startswith("\ufeff"):
        pieces = [pieces[0].removeprefix("\ufeff"), *pieces[1:]]
    if _json_lines_of_several(pieces):
        yield from _iter_json_lines(piece_lines(pieces))
    else:
        yield from iter_w3c("".join(pieces))


def _json_lines_of_several(pieces: Sequence[str]) -> bool:
    """Whether ``iter_w3c`` reads the joined text as JSON Lines of two lines or more.

    It does when the whole text is no JSON text and ``_is_json_lines``. The first
    non-blank line being a whole JSON value on its own with more after it settles the
    first (JSON values end where they end: the whole text then has extra data)."""
    blank_free = (line.strip() for line in piece_lines(pieces))
    filled = (line for line in blank_free if line)
    first, second = next(filled, None), next(filled, None)
    if first is None or second is None or first == "{" or first.startswith("["):
        return False
    try:
        load_json(first)
    except UnreadableJson:
        return False
    return True


def _is_json_lines(text: str) -> bool:
    # A pretty-printed object or an array opens with a bracket on its own line (or "[");
    # JSON Lines start with a whole object on the first line.
    first = next(line.strip() for line in text_lines(text) if line.strip())
    return first != "{" and not first.startswith("[")


def text_lines(text: str) -> Iterator[str]:
    """The lines of ``text``, as ``text.split("\\n")`` gives them, one at a time.

    Only \\n ends a JSON line: str.splitlines() would also cut at U+2028, U+0085 and
    friends, which JSON strings may hold unescaped (quotes from articles do). Not
    ``split`` itself: on a 50 MB file that is one C call making 88k strings (0.1 s), and a
    worker holds the GIL, and so stalls the GUI, throughout (docs/architecture.md,
    "Threading"); here each step copies one line."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def piece_lines(pieces: Iterable[str]) -> Iterator[str]:
    """The lines of ``"".join(pieces)``, as ``text_lines`` gives them, one at a time."""
    carried: list[str] = []  # the start of a line that goes on in the next piece
    for piece in pieces:
        start = 0
        while True:
            end = piece.find("\n", start)
            if end < 0:
                carried.append(piece[start:])
                break
            carried.append(piece[start:end])
            yield "".join(carried)
            carried = []
            start = end + 1
    yield "".join(carried)


def _iter_json_lines(lines: Iterable[str]) -> Iterator[W3CAnnotation | InterchangeError]:
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield from parse_w3c_line_targets(raw, number)
        except InterchangeError as exc:
            yield exc


def _iter_document(
    whole: Any, line: int | None = None
) -> Iterator[W3CAnnotation | InterchangeError]:
    if isinstance(whole, list):
        yield from _iter_items(whole)
    elif isinstance(whole, dict) and _is_container(whole):
        yield from _iter_container(whole)
    elif isinstance(whole, dict):
        try:
            yield from parse_w3c_targets(whole, line)
        except InterchangeError as exc:
            yield exc
    else:
        yield InterchangeError(None, f"expected annotations, found a JSON {json_kind(whole)}")


def _iter_items(
    items: list[Any], first_number: int = 1
) -> Iterator[W3CAnnotation | InterchangeError]:
    for number, item in enumerate(items, start=first_number):
        try:
            for target in parse_w3c_targets(item):
                yield dataclasses.replace(target, item=number)
        except InterchangeError as exc:
            yield InterchangeError(None, f"item {number}: {exc.message}")


def _is_container(data: dict[str, Any]) -> bool:
    kinds = type_names(data)
    if kinds & {"AnnotationCollection", "AnnotationPage"}:
        return True
    return "target" not in data and any(key in data for key in ("items", "first", "rows"))


def _iter_container(data: dict[str, Any]) -> Iterator[W3CAnnotation | InterchangeError]:
    if isinstance(data.get("rows"), list):  # Hypothesis search API result
        yield from _iter_items(data["rows"])
        return
    page: Any = data.get("first") if "items" not in data else data
    count = 0
    while page is not None:
        if isinstance(page, str):
            yield InterchangeError(
                None, f"the collection continues at {page}, which is not in the file"
            )
            return
        if not isinstance(page, dict) or not isinstance(page.get("items", []), list):
            yield InterchangeError(None, "an AnnotationPage must be an object with a list of items")
            return
        items = page.get("items", [])
        yield from _iter_items(items, count + 1)
        count += len(items)
        page = page.get("next")
