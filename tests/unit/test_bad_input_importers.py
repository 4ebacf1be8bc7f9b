"""Bad article files through the whole import (``import_files``), not the readers alone:
random bytes, truncated and patched files of every format, hostile structures, a 50 MB file,
a 10 MB single line, metadata of megabytes.

The contract: one result per file; a failed one says why in one line; nothing else raises;
and a file that fails leaves the workspace as it was (the import journal aside: it records
every import, the failed ones too).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from email.message import EmailMessage
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.breakage import IMPORT_JOURNAL, workspace_state
from workstation.importers import read_document
from workstation.importers.base import MAX_FILE_BYTES, MAX_TITLE_CHARS, tidy_title
from workstation.services.importing import import_files

PARAGRAPHS = [
    "Washington expelled ten Russian diplomats on 15 April 2021 and named six companies.",
    "Moscow promised a reciprocal answer; Peskov said it would be mirror-like.",
    "Кремль заявил о принципе взаимности: ответ будет «зеркальным».",
]


def docx_bytes(paragraphs: list[str], title: str = "") -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(lines: list[str], title: str = "") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    if title:
        pdf.setTitle(title)
    for number, line in enumerate(lines):
        pdf.drawString(72, 720 - 20 * number, line.encode("ascii", "replace").decode())
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def eml_bytes(body: str, subject: str = "Embassy row") -> bytes:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "Desk <desk@ministry.example>"
    message.set_content(body)
    return message.as_bytes()


def html_text(paragraphs: list[str], title: str = "Kremlin demands reciprocity") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><nav>Home | World</nav><article><h1>{title}</h1>{body}</article></body></html>"
    )


@cache
def samples() -> dict[str, bytes]:
    """One good file per supported suffix, to truncate and patch."""
    text = "Embassy row\n" + "\n".join(PARAGRAPHS)
    return {
        ".txt": text.encode("cp1251", "replace"),
        ".md": ("# " + text).encode("utf-8"),
        ".html": html_text(PARAGRAPHS).encode("utf-8"),
        ".htm": html_text(PARAGRAPHS).encode("cp1251", "replace"),
        ".docx": docx_bytes(PARAGRAPHS, title="Embassy row"),
        ".pdf": pdf_bytes(PARAGRAPHS, title="Embassy row"),
        ".eml": eml_bytes("\n".join(PARAGRAPHS)),
    }


SUFFIXES = sorted(samples())


def assert_one_clear_line(message: str) -> None:
    assert message.strip(), "a failure must say why"
    assert "\n" not in message and "Traceback" not in message, message


def import_one(session, path: Path):
    """Import ``path``; the one result, with the workspace checked to be unchanged when
    the file failed."""
    before = workspace_state(session.path, besides=IMPORT_JOURNAL)
    results, _changes = import_files(session, [path])
    assert len(results) == 1, results
    result = results[0]
    assert result.status in ("imported", "new version", "duplicate", "failed"), result
    if result.failed:
        assert_one_clear_line(result.message)
        assert workspace_state(session.path, besides=IMPORT_JOURNAL) == before
    return result


# -- random bytes, truncations, patches -------------------------------------------------------


@st.composite
def damaged_file(draw, suffix: str) -> bytes:
    """Random bytes, or a good file of the format cut short and/or with bytes overwritten."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.binary(max_size=2000))
    data = bytearray(samples()[suffix])
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        patch = draw(st.binary(min_size=1, max_size=12))
        data[at : at + len(patch)] = patch
    return bytes(data)


IMPORT_FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,  # write nothing into the source tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_any_bytes_import_or_fail_in_one_line_leaving_the_workspace_as_it_was(
    session, tmp_path, suffix
):
    counter = iter(range(10**6))

    @IMPORT_FUZZ
    @given(data=damaged_file(suffix))
    def check(data: bytes) -> None:
        path = tmp_path / f"file-{next(counter)}{suffix}"
        path.write_bytes(data)
        import_one(session, path)

    check()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_every_format_cut_anywhere_imports_or_fails_clearly(session, tmp_path, suffix):
    data = samples()[suffix]
    for eighth in range(8):
        path = tmp_path / f"cut-{eighth}{suffix}"
        path.write_bytes(data[: len(data) * eighth // 8])
        import_one(session, path)


HOSTILE = {
    "nested.html": b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000,
    "nested.htm": b"<table>" * 50_000 + b"cell",
    "nested.eml": b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i)
        for i in range(3000)
    )
    + b"Content-Type: text/plain\r\n\r\nhello",
    "nested.pdf": b"%PDF-1.4\n1 0 obj\n" + b"[" * 100_000 + b"\nendobj\ntrailer<</Root 1 0 R>>",
    "selfref.pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 1 0 R>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF",
    "bomb.docx": b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml" + b"\xff" * 4000,
    "only-controls.txt": b"\x01\x02\x03\x04\x05\x06\x07\x08" * 500,
    "nul-late.txt": b"Embassy row\n" + b"a" * 10_000 + b"\x00" * 100 + b" sanctions",
    "cr-only.md": b"# Title\r" + b"line\r" * 100_000,
    "lone-surrogate.txt": b"Embassy \xed\xa0\x80 row and reciprocity",
    "bidi.txt": "\u202e\u200f\ufeff mirror \U0001f600 ".encode() * 2000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_structures_import_or_fail_clearly(session, tmp_path, name, no_network):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    result = import_one(session, path)
    if not result.failed:
        document = session.documents.get(result.document_id)
        assert "\x00" not in document.body and document.body.strip()


@pytest.fixture
def no_network(monkeypatch):
    """trafilatura must never fetch anything while reading a saved page."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# -- size -------------------------------------------------------------------------------------

FIFTY_MB = 50 * 1024 * 1024


def test_a_50_mb_text_file_is_refused_naming_its_size_and_the_limit(session, tmp_path):
    path = tmp_path / "dump.txt"
    line = ("Sanctions and reciprocity, April 2021. " * 26 + "\n").encode()
    with path.open("wb") as handle:
        for _ in range(FIFTY_MB // len(line)):
            handle.write(line)
        handle.write(b"x" * (FIFTY_MB - handle.tell()))
    assert path.stat().st_size == FIFTY_MB
    result = import_one(session, path)
    assert result.failed
    assert result.message == "the file is 50 MB, over the 20 MB limit"


@pytest.mark.parametrize("suffix", [s for s in SUFFIXES if s != ".txt"])
def test_a_50_mb_file_of_any_format_is_refused_before_it_is_read(session, tmp_path, suffix):
    path = tmp_path / f"huge{suffix}"
    path.write_bytes(samples()[suffix])
    os.truncate(path, FIFTY_MB + 123)  # sparse: nothing is read to refuse it
    result = import_one(session, path)
    assert result.failed and result.message == "the file is 50.0 MB, over the 20 MB limit"


def test_a_file_just_under_the_limit_is_read(tmp_path):
    path = tmp_path / "big.txt"
    word = b"reciprocity "
    path.write_bytes(b"Title\n" + word * ((MAX_FILE_BYTES - 6) // len(word)))
    assert path.stat().st_size <= MAX_FILE_BYTES
    assert len(read_document(path).text) > 20_000_000


# -- very long lines --------------------------------------------------------------------------

WORDS = ("sanctions", "reciprocity", "diplomats", "expelled", "Moscow", "Washington", "mirror")


def one_long_line(size: int) -> str:
    """About ``size`` characters of words on one line, with a rare word near the end."""
    words = [WORDS[(i * 7 + i // 5) % len(WORDS)] for i in range(size // 9)]
    return " ".join(words) + " zugzwang end"


def test_a_10_mb_single_line_imports_whole_and_is_found_by_search(session, tmp_path):
    path = tmp_path / "one-line.txt"
    line = one_long_line(10 * 1024 * 1024)
    path.write_text("Title line\n" + line, encoding="utf-8")
    result = import_one(session, path)
    assert result.status == "imported"
    document = session.documents.get(result.document_id)
    assert document.body == "Title line\n" + line
    hits = session.search("zugzwang")
    assert [hit.document_id for hit in hits] == [document.id]
    assert "\x02zugzwang\x03" in hits[0].snippet
    start = document.body.index("zugzwang")
    assert (hits[0].match_start, hits[0].match_end) == (start, start + len("zugzwang"))
    # A passage at the far end of the line keeps its code-point offsets.
    passage = session.annotations.create(document.id, start, start + 8).record
    assert session.annotations.get(passage.id).exact == "zugzwang"


def raw_eml(body: str, subject: str = "Embassy row") -> bytes:
    """An e-mail as a client might write it, long lines unfolded (the stdlib's own writer
    folds a megabyte header in quadratic time)."""
    head = f"Subject: {subject}\r\nFrom: desk@ministry.example\r\n"
    head += "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    return (head + body).encode("utf-8")


LONG_LINE_FILES = {
    "one-line.md": lambda: ("# Title\n" + one_long_line(10 * 1024 * 1024)).encode(),
    "one-line.eml": lambda: raw_eml(one_long_line(5 * 1024 * 1024)),
    "one-line.html": lambda: html_text([one_long_line(1024 * 1024)]).encode(),
}


@pytest.mark.parametrize("name", sorted(LONG_LINE_FILES))
def test_long_lines_in_other_formats_import(session, tmp_path, name, no_network):
    path = tmp_path / name
    path.write_bytes(LONG_LINE_FILES[name]())
    result = import_one(session, path)
    assert result.status == "imported"
    assert "zugzwang" in session.documents.get(result.document_id).body


_SEARCH_ONE_BIG_DOCUMENT = textwrap.dedent(
    """
    import sys
    from workstation.importers import DocumentDraft
    from workstation.services import create_session

    with create_session(sys.argv[1], author="t") as session:
        session.documents.add(
            DocumentDraft(title="t", text="sanctions " * int(sys.argv[2]), origin_name="a.txt")
        )
        print("ready", flush=True)
        hits = session.search("sanctions")
        print("done", len(hits), flush=True)
    """
)
# Far above what the search needs once fixed (well under a second), far below what it needs
# now (FTS5's snippet() and highlight() are quadratic in the hits of one document).
SEARCH_DEADLINE_S = 6
HITS = 400_000


def test_a_common_word_in_one_huge_document_is_found_without_hanging(tmp_path):
    script = subprocess.Popen(
        [sys.executable, "-c", _SEARCH_ONE_BIG_DOCUMENT, str(tmp_path / "w.sqlite"), str(HITS)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    try:
        assert script.stdout is not None
        assert script.stdout.readline().strip() == "ready"
        try:
            out, _ = script.communicate(timeout=SEARCH_DEADLINE_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"searching one document with {HITS} hits took over {SEARCH_DEADLINE_S} s")
        assert out.strip() == "done 1"
    finally:
        if script.poll() is None:
            script.kill()
            script.wait()


# -- metadata of any size ---------------------------------------------------------------------


def huge_title(size: int) -> str:
    return ("Kremlin\nreplies\t" + "and replies again " * (size // 18 + 1))[:size]


# Built when the test runs, not at collection. Word caps core properties at 255 characters.
HUGE_TITLES = {
    "subject.eml": lambda: raw_eml("The body.", subject=huge_title(5_000_000).replace("\n", " ")),
    "title.html": lambda: html_text(PARAGRAPHS, title=huge_title(100_000)).encode(),
    "title.docx": lambda: docx_bytes(PARAGRAPHS, title=huge_title(255)),
    "title.pdf": lambda: pdf_bytes(PARAGRAPHS, title=huge_title(50_000)),
}


@pytest.mark.parametrize("name", sorted(HUGE_TITLES))
def test_a_title_of_megabytes_becomes_one_short_line(tmp_path, name, no_network):
    path = tmp_path / name
    path.write_bytes(HUGE_TITLES[name]())
    title = read_document(path).title
    assert title.startswith("Kremlin replies and replies again")
    assert len(title) <= MAX_TITLE_CHARS and title.endswith("…")
    assert "\n" not in title and "\t" not in title


@pytest.mark.parametrize("raw", [None, "", "   ", "\x00\x01\x7f", "\n\t\u2028"])
def test_a_title_with_nothing_printable_falls_back_to_the_file_name(raw):
    assert tidy_title(raw, "briefing-notes") == "briefing-notes"


def test_a_title_is_cut_at_a_word():
    title = tidy_title("Reciprocity " * 30, "x")
    assert title == ("Reciprocity " * 16).strip() + "…"
