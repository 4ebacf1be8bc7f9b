"""The brief's Paragraph: a face per run of text, and each wrapped line in visual order.

ReportLab wraps the paragraph in logical order, as it must (line breaks follow the reading
order); then, at draw time only, every line is reordered by the Unicode Bidirectional
Algorithm (briefs.bidi). The levels are resolved over the paragraph as written — kept as
``_logical`` when it is parsed, handed on to both halves when it is split across pages — and
each drawn character takes the level of the character it came from. ``blPara`` itself stays
logical, because ``split`` rebuilds the halves of a paragraph from it.

Lines of a right-to-left paragraph are right-aligned, as the reader window aligns them.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import _FK_BREAK

from briefs import bidi, glyphs


class BriefParagraph(Paragraph):
    """A Paragraph for markup built with ``pdf_text.markup``."""

    _logical: str | None = None  # the text as written, "\n" at hard breaks (RTL text only)
    _skip = 0  # non-space characters of _logical drawn by an earlier part of a split
    _plain = False  # no right-to-left text and no isolates: drawn as ReportLab draws it
    # Set by ReportLab (which has no type annotations): its fragments and wrapped lines.
    frags: list[Any]
    blPara: Any

    def __init__(
        self,
        text: str,
        style: Any,
        bulletText: str | None = None,
        frags: list[Any] | None = None,
        caseSensitive: int = 1,
        encoding: str = "utf8",
    ) -> None:
        rtl = frags is None and bool(text) and bidi.has_rtl(text)
        if frags is None and text and not rtl:
            # Nothing to reorder: the isolates would only be removed again at every draw.
            text = bidi.strip_isolates(text)
            self._plain = True
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        if frags is None and text and not text.isascii():
            self.frags = _frags_by_face(self.frags)
        if rtl:
            self._logical = "".join(
                "\n" if getattr(f, "lineBreak", False) else getattr(f, "text", "")
                for f in self.frags
            )

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        for part in parts:
            part._plain = self._plain
        if len(parts) == 2 and self._logical is not None:
            first, second = parts
            kind = self.blPara.kind
            drawn = sum(
                _solid(_line_text(line, kind))
                for line in self.blPara.lines[: len(first.blPara.lines)]
            )
            first._logical = second._logical = self._logical
            first._skip, second._skip = self._skip, self._skip + drawn
        return parts

    def drawPara(self, debug: int = 0) -> None:
        if self._plain:
            super().drawPara(debug)
            return
        texts = [_line_text(line, self.blPara.kind) for line in self.blPara.lines]
        if self._logical is None and not any(
            bidi.has_rtl(text) or bidi.has_isolates(text) for text in texts
        ):
            super().drawPara(debug)
            return
        logical = self.blPara
        had_offsets = "_offsets" in self.__dict__
        saved_offsets = self.__dict__.get("_offsets")
        self.blPara, offsets = _visual_lines(logical, texts, self._logical, self._skip, self.style)
        self._offsets = offsets
        try:
            super().drawPara(debug)
        finally:
            self.blPara = logical
            if had_offsets:
                self.__dict__["_offsets"] = saved_offsets
            else:
                del self._offsets


def _frags_by_face(frags: list[Any]) -> list[Any]:
    """Split each text fragment where its face lacks glyphs another face has."""
    result: list[Any] = []
    for frag in frags:
        text = getattr(frag, "text", None)
        if not text or hasattr(frag, "cbDefn") or text.isascii():
            result.append(frag)
            continue
        runs = glyphs.font_runs(text, frag.fontName)
        if len(runs) == 1 and runs[0][1] == frag.fontName:
            result.append(frag)
        else:
            result.extend(frag.clone(text=run, fontName=face) for run, face in runs)
    return result


# -- reordering the wrapped lines ----------------------------------------------------------------


def _line_text(line: Any, kind: int) -> str:
    if kind == 0:
        return " ".join(line[1])
    return "".join(getattr(w, "text", "") for w in line.words)


def _blank(char: str) -> bool:
    """White space within a line of the text as written (a hard break is not)."""
    return char.isspace() and char != "\n"


def _solid(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def _ends_paragraph(line: Any, kind: int) -> bool:
    """A hard line break (``<br/>``) ends a bidi paragraph; wrapping does not."""
    if kind == 0 or not line.words:
        return False
    return bool(getattr(line, "lineBreak", False)) or line.words[-1]._fkind == _FK_BREAK


def _visual_lines(
    blPara: Any, texts: list[str], logical: str | None, skip: int, style: Any
) -> tuple[Any, list[float]]:
    """A copy of ``blPara`` with every line in visual order, and the per-line x offsets that
    right-align the lines of right-to-left paragraphs."""
    kind = blPara.kind
    aligned = _aligned_levels(logical, skip, texts) if logical is not None else None
    if aligned is None:
        # Not parsed here (or ReportLab changed the text): the lines themselves, joined by the
        # space each wrap swallowed, stand for the paragraph as written.
        rebuilt: list[str] = []
        pieces: list[str] = []
        for line, text in zip(blPara.lines, texts, strict=True):
            pieces.append(text)
            if _ends_paragraph(line, kind):
                rebuilt.append(" ".join(pieces))
                pieces = []
        rebuilt.append(" ".join(pieces))
        aligned = _aligned_levels("\n".join(rebuilt), 0, texts)
    assert aligned is not None  # the rebuilt text holds every line by construction
    visual: list[Any] = []
    offsets: list[float] = []
    for line, text, (line_levels, rtl) in zip(blPara.lines, texts, aligned, strict=True):
        visual.append(_reorder_line(line, kind, text, line_levels, rtl))
        extra = line[0] if kind == 0 else line.extraSpace
        offsets.append(max(extra, 0.0) if rtl and style.alignment == TA_LEFT else 0.0)
    return blPara.clone(lines=visual), offsets


def _aligned_levels(
    logical: str, skip: int, texts: list[str]
) -> list[tuple[list[int], bool]] | None:
    """For each line, the level of each of its characters (taken from the character of
    ``logical`` it was laid out from) and whether its paragraph is right-to-left; None when
    a line's characters cannot be found in ``logical`` in order."""
    level_at: list[int] = []
    rtl_at: list[bool] = []
    for segment in logical.split("\n"):
        rtl = bidi.first_strong_is_rtl(segment)
        level_at += [*bidi.levels(segment, rtl), 0]  # the 0 stands for the "\n"
        rtl_at += [rtl] * (len(segment) + 1)
    position = 0
    while skip and position < len(logical):
        skip -= not logical[position].isspace()
        position += 1
    result: list[tuple[list[int], bool]] = []
    for text in texts:
        line_levels: list[int] = []
        line_rtl: bool | None = None
        for char in text:
            if char.isspace():
                # ReportLab drew one space for a run of white space, or one where a long
                # word was cut: either way the space takes the level of what it stands for.
                if position < len(logical) and _blank(logical[position]):
                    line_levels.append(level_at[position])
                    while position < len(logical) and _blank(logical[position]):
                        position += 1
                else:
                    line_levels.append(line_levels[-1] if line_levels else 0)
                continue
            while position < len(logical) and logical[position].isspace():
                position += 1
            if position >= len(logical) or logical[position] != char:
                return None
            line_levels.append(level_at[position])
            if line_rtl is None:
                line_rtl = rtl_at[position]
            position += 1
        result.append((line_levels, bool(line_rtl)))
    return result


def _reorder_line(line: Any, kind: int, text: str, line_levels: list[int], rtl: bool) -> Any:
    order = [i for i in bidi.visual_order(text, line_levels, rtl) if text[i] not in bidi.ISOLATES]
    if kind == 0:
        visual = "".join(bidi.drawn_char(text[i], line_levels[i]) for i in order)
        # As words again: ReportLab narrows the spaces of a line that overfills its width.
        return (line[0], visual.split(" "))
    if any(hasattr(w, "cbDefn") for w in line.words):
        return line  # images and anchors: none in a brief; such a line is left as it is
    owner: list[int] = []  # the fragment each character of ``text`` belongs to
    for number, frag in enumerate(line.words):
        owner += [number] * len(getattr(frag, "text", ""))
    words: list[Any] = []
    chars: list[str] = []
    current = 0
    for i in order:
        if owner[i] != current and chars:
            words.append(line.words[current].clone(text="".join(chars)))
            chars = []
        current = owner[i]
        chars.append(bidi.drawn_char(text[i], line_levels[i]))
    if chars:
        words.append(line.words[current].clone(text="".join(chars)))
    trailing = [w for w in line.words if getattr(w, "_fkind", 0) == _FK_BREAK]
    if not words:  # only isolates: keep an empty fragment so the line still has a font
        words = [w.clone(text="") for w in line.words[:1] if w not in trailing]
    return line.clone(words=words + trailing)
