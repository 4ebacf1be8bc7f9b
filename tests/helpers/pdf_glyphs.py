"""What a PDF draws, glyph run by glyph run, in drawing order, with the font of each run.

pypdf's ``extract_text`` reorders what it takes for right-to-left text on its own, so it cannot
tell whether the brief drew a line in visual order; this reads the content streams directly:
each text-showing operator becomes a ``Drawn`` run (page, position, font, text decoded through
the font's ToUnicode map), and runs on one baseline, in drawing order, make a ``DrawnLine``.
It knows the operators ReportLab writes (text state, ``cm``, ``q``/``Q``, form XObjects).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream


@dataclass(frozen=True)
class Drawn:
    page: int  # 0-based
    x: float
    y: float
    font: str  # base font without the subset prefix: "DejaVuSans-Oblique"
    text: str


@dataclass(frozen=True)
class DrawnLine:
    page: int
    y: float
    runs: tuple[Drawn, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def drawn_runs(pdf: bytes) -> list[Drawn]:
    reader = PdfReader(io.BytesIO(pdf))
    runs: list[Drawn] = []
    for number, page in enumerate(reader.pages):
        content = page.get_contents()
        if content is None:
            continue
        _walk(reader, content, page["/Resources"], number, (1, 0, 0, 1, 0, 0), runs)
    return runs


def drawn_lines(pdf: bytes) -> list[DrawnLine]:
    lines: list[DrawnLine] = []
    for run in drawn_runs(pdf):
        last = lines[-1] if lines else None
        if last and last.page == run.page and abs(last.y - run.y) < 0.5:
            lines[-1] = DrawnLine(last.page, last.y, (*last.runs, run))
        else:
            lines.append(DrawnLine(run.page, run.y, (run,)))
    return lines


# -- content streams ---------------------------------------------------------------------------


def _multiply(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _walk(reader, content, resources, page, ctm, runs) -> None:
    fonts = _fonts(resources)
    if not isinstance(content, ContentStream):
        content = ContentStream(content, reader)
    stack = []
    font = None
    leading = 0.0
    line = text = (1, 0, 0, 1, 0, 0)
    for operands, operator in content.operations:
        op = operator.decode("latin-1") if isinstance(operator, bytes) else operator
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "BT":
            line = text = (1, 0, 0, 1, 0, 0)
        elif op == "Tf":
            font = fonts.get(str(operands[0]))
        elif op == "TL":
            leading = float(operands[0])
        elif op == "Tm":
            line = text = tuple(float(v) for v in operands)
        elif op in ("Td", "TD"):
            if op == "TD":
                leading = -float(operands[1])
            line = text = _multiply((1, 0, 0, 1, float(operands[0]), float(operands[1])), line)
        elif op in ("T*", "'", '"'):
            line = text = _multiply((1, 0, 0, 1, 0, -leading), line)
        if op in ("Tj", "'", '"', "TJ") and font is not None:
            shown = operands[-1] if op != "TJ" else [o for o in operands[0] if _is_string(o)]
            strings = shown if isinstance(shown, list) else [shown]
            decoded = "".join(_decode(font[1], s) for s in strings)
            x, y = _multiply(text, ctm)[4:]
            runs.append(Drawn(page, round(x, 2), round(y, 2), font[0], decoded))
        elif op == "Do":
            xobject = resources["/XObject"][str(operands[0])].get_object()
            if xobject.get("/Subtype") == "/Form":
                matrix = tuple(float(v) for v in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                inner = xobject.get("/Resources", resources)
                _walk(reader, xobject, inner, page, _multiply(matrix, ctm), runs)


def _is_string(operand) -> bool:
    return isinstance(operand, (str, bytes))


def _decode(cmap: dict[int, str], string) -> str:
    data = string.get_original_bytes() if hasattr(string, "get_original_bytes") else bytes(string)
    return "".join(cmap.get(byte, "\ufffd") for byte in data)


def _fonts(resources) -> dict[str, tuple[str, dict[int, str]]]:
    fonts = {}
    for name, ref in (resources.get("/Font") or {}).items():
        font = ref.get_object()
        base = str(font.get("/BaseFont", "")).lstrip("/").split("+", 1)[-1]
        cmap = (
            _to_unicode(font["/ToUnicode"].get_object().get_data()) if "/ToUnicode" in font else {}
        )
        fonts[str(name)] = (base, cmap)
    return fonts


def _to_unicode(data: bytes) -> dict[int, str]:
    text = data.decode("latin-1")
    cmap: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            cmap[int(src, 16)] = _unicode(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = _unicode(dst)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                cmap[code] = start[:-1] + chr(ord(start[-1]) + offset)
    return cmap


def _unicode(digits: str) -> str:
    """A ToUnicode destination: UTF-16BE hex, or (as ReportLab writes characters beyond the
    BMP) the bare code point in hex."""
    if len(digits) % 4:
        return chr(int(digits, 16))
    return bytes.fromhex(digits).decode("utf-16-be")
