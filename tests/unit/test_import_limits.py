"""Limits on what a file expands to, special files, and one file's failure staying its own.

In-process and fast: limits are lowered with monkeypatch where the real ones would need big
inputs (tests/e2e/test_cli_untrusted_import.py runs the real ones through the command).
Every input is generated here.
"""

from __future__ import annotations

import io
import os
import socket
import sqlite3
import threading
from pathlib import Path

import pytest

from bench.hostile import import_files as build
from workstation.importers import ImportRejected, limits, mail_structure, pdf, read_document, word
from workstation.services import importing
from workstation.services.import_paths import walk_paths
from workstation.services.importing import import_files, resume_import, unfinished_imports

ARTICLE = "Consulates closed\nBoth sides closed a consulate on Friday.\n"


def rejected(path: Path) -> str:
    with pytest.raises(ImportRejected) as info:
        read_document(path)
    message = str(info.value)
    assert message and "\n" not in message
    return message


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def pdf_of(pages: int, text: str = "Sanctions and reciprocity") -> bytes:
    """A PDF of ``pages`` pages, each showing ``text`` (one shared content stream)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return _written(
        lambda folder: build.write_pdf(folder / "x.pdf", build.pdf_objects(pages, content))
    )


def docx_of(body: bytes) -> bytes:
    """A .docx whose body is ``body`` (raw WordprocessingML paragraphs)."""
    entry = build.stored("word/document.xml", build.DOC_START + body + build.DOC_END)
    return _written(lambda folder: build.write_docx(folder / "x.docx", entry))


def _written(make) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return make(Path(folder)).read_bytes()


# -- PDF ---------------------------------------------------------------------------------------


def test_a_pdf_stops_at_the_text_limit_naming_the_page(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 60)
    path = write(tmp_path, "long.pdf", pdf_of(5))
    assert rejected(path) == (
        "the text it expands to passes the 60 bytes limit (stopped at page 3 of 5)"
    )


def test_a_pdf_over_the_page_limit_is_refused_before_reading_its_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 4)
    path = write(tmp_path, "many.pdf", pdf_of(5))
    assert rejected(path) == "the PDF has 5 pages, over the 4-page limit"


def test_a_pdf_that_takes_too_long_stops_at_the_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_READ_SECONDS", 0.0)
    path = write(tmp_path, "slow.pdf", pdf_of(3))
    assert rejected(path) == "reading it takes more than the 0 s limit (stopped at page 1 of 3)"


def test_a_long_pdf_reports_its_pages(tmp_path):
    heard = []
    read_document(write(tmp_path, "pages.pdf", pdf_of(3)), progress=lambda *p: heard.append(p))
    assert heard == [(1, 3), (2, 3), (3, 3)]


# -- Word --------------------------------------------------------------------------------------


def test_docx_text_is_python_docx_paragraph_text(tmp_path):
    import docx

    body = (
        b'<w:p><w:r><w:t xml:space="preserve">Moscow </w:t></w:r><w:hyperlink><w:r><w:t>answers'
        b"</w:t></w:r></w:hyperlink><w:r><w:tab/><w:t>now</w:t><w:br/><w:t>next</w:t>"
        b'<w:br w:type="page"/><w:noBreakHyphen/><w:cr/></w:r></w:p>'
        b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>in a table</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        b"<w:p/><w:p><w:r><w:t>Last</w:t></w:r></w:p>"
    )
    data = docx_of(body)
    expected = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert read_document(write(tmp_path, "parity.docx", data)).text == expected
    assert expected == "Moscow answers\tnow\nnext-\n\n\nLast"  # w:cr ends the first line


def test_a_docx_stops_at_the_text_limit_naming_the_paragraph(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 100)
    path = write(tmp_path, "long.docx", docx_of(build.paragraph("sanctions " * 4) * 10))
    assert rejected(path) == (
        "the text it expands to passes the 100 bytes limit (stopped at paragraph 3)"
    )


def test_a_docx_stops_at_the_paragraph_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(word, "MAX_PARAGRAPHS", 5)
    path = write(tmp_path, "many.docx", docx_of(b"<w:p/>" * 9))
    assert rejected(path) == "the Word file has more than 5 paragraphs (stopped at paragraph 6)"


@pytest.mark.parametrize(
    ("limit", "value", "says"),
    [
        ("MAX_ZIP_ENTRIES", 2, "holds 3 zip entries, over the 2 limit"),
        ("MAX_UNZIPPED_BYTES", 500, "unzips to"),
    ],
)
def test_a_docx_zip_directory_over_a_limit_is_refused_before_unzipping(
    tmp_path, monkeypatch, limit, value, says
):
    monkeypatch.setattr(word, limit, value)
    path = write(tmp_path, "zip.docx", docx_of(build.paragraph("text") * 20))
    assert says in rejected(path)


def test_a_docx_part_compressed_beyond_the_ratio_is_refused(tmp_path):
    path = build.make_docx_with_3m_paragraphs(tmp_path)
    assert rejected(path) == (
        "a part of the Word file is compressed 236:1, over the 100:1 limit (a zip bomb?)"
    )


def test_a_docx_whose_header_lies_about_its_size_is_refused(tmp_path):
    # Declared under 1 MB, really 300 MB: zipfile stops at the declared size and then finds
    # the checksum wrong.
    assert rejected(build.make_docx_with_a_lying_size(tmp_path)) == (
        "not a readable Word (.docx) file"
    )


def test_the_document_part_is_read_through_a_cap_whatever_the_headers_say():
    stream = word._Capped(io.BytesIO(b"x" * 300_000), 200_000, "the document")
    with pytest.raises(ImportRejected, match="the document of the Word file unzips to more"):
        while stream.read():
            pass
    assert stream.total <= 200_000 + 64 * 1024


@pytest.mark.parametrize("make", [build.make_docx_with_xxe, build.make_docx_billion_laughs])
def test_a_docx_with_a_dtd_is_refused(tmp_path, make):
    assert "DTD" in rejected(make(tmp_path))


# -- e-mail ------------------------------------------------------------------------------------

HEAD = b"From: desk@ministry.example\r\nSubject: Embassy row\r\n"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (HEAD + b"X-A: 1\r\n" * 1001 + b"\r\nbody", "more than 1,000 header fields"),
        (HEAD + b"X-A: 1\r\n" + b" more\r\n" * 10_001 + b"\r\nbody", "10,000 header lines"),
        (HEAD + b"Content-Type: text/plain;" + b" a=1;" * 101 + b"\r\n\r\nbody", "100 param"),
        (HEAD + b"Content-Disposition: inline; filename=" + b"x" * 70_000 + b"\r\n\r\nb", "64 KB"),
        (
            HEAD + b"Content-Type: multipart/mixed; boundary*0=a; boundary*1=b\r\n\r\n--ab\r\n",
            "RFC 2231",
        ),
    ],
    ids=["fields", "lines", "parameters", "header-size", "rfc2231"],
)
def test_e_mail_headers_over_a_limit_are_refused_before_parsing(data, says):
    with pytest.raises(ImportRejected, match=says):
        mail_structure.check_structure(data)


def test_e_mail_parts_and_nesting_are_counted_as_the_parser_sees_them(monkeypatch):
    monkeypatch.setattr(mail_structure, "MAX_MIME_PARTS", 3)
    part = b"--b\r\nContent-Type: text/plain\r\n\r\nsome text\r\n"
    mime = HEAD + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
    mail_structure.check_structure(mime + part * 3 + b"--b--\r\n")
    with pytest.raises(ImportRejected, match="more than 3 MIME parts"):
        mail_structure.check_structure(mime + part * 4 + b"--b--\r\n")
    # A line that looks like a boundary of no open multipart is text.
    mail_structure.check_structure(mime + part + b"--c\r\n" * 10 + b"--b--\r\n")


def test_messages_inside_messages_count_as_nesting(monkeypatch):
    monkeypatch.setattr(mail_structure, "MAX_MIME_DEPTH", 5)
    wrapped = b"Content-Type: message/rfc822\r\n\r\n" * 6 + b"Content-Type: text/plain\r\n\r\nx"
    with pytest.raises(ImportRejected, match="nested more than 5 deep"):
        mail_structure.check_structure(HEAD + wrapped)


def test_an_e_mail_part_declaring_a_non_text_codec_is_read_as_utf8(tmp_path):
    data = (
        HEAD + b"Content-Type: text/plain; charset=base64\r\n\r\nReciprocity, \xc3\xa0 la lettre."
    )
    draft = read_document(write(tmp_path, "codec.eml", data))
    assert "Reciprocity, à la lettre." in draft.text
    assert any("'base64' is unknown" in w for w in draft.warnings)


def test_a_page_declaring_charset_base64_is_imported_with_a_warning(tmp_path):
    draft = read_document(build.make_html_declaring_base64(tmp_path))
    assert "Washington expelled" in draft.text
    assert draft.warnings == ("declared charset 'base64' is unknown; read as UTF-8",)


# -- special files -----------------------------------------------------------------------------


def read_within(path: Path, seconds: float = 5) -> str:
    """read_document's refusal, failing the test (not hanging it) if reading blocks."""
    outcome: list[str] = []

    def attempt() -> None:
        try:
            read_document(path)
        except ImportRejected as exc:
            outcome.append(str(exc))
        else:
            outcome.append("(read)")

    reader = threading.Thread(target=attempt, daemon=True)
    reader.start()
    reader.join(seconds)
    assert outcome, f"reading {path.name} blocked"
    return outcome[0]


def test_special_files_are_refused_by_stat_before_they_are_opened(tmp_path):
    fifo = build.make_fifo(tmp_path)
    link_to_fifo = tmp_path / "link.txt"
    link_to_fifo.symlink_to(fifo)
    zero = build.make_link_to_dev_zero(tmp_path)
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(tmp_path / "sock.txt"))
        assert read_within(tmp_path / "sock.txt") == "not a regular file (socket)"
    assert read_within(fifo) == "not a regular file (FIFO)"
    assert read_within(link_to_fifo) == "not a regular file (FIFO)"
    assert read_within(zero) == "not a regular file (character device)"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert read_within(folder) == "is a folder, not a file"


# -- walking folders ---------------------------------------------------------------------------


def test_a_folder_1100_deep_is_walked_without_recursion(tmp_path):
    root = build.make_folder_1100_deep(tmp_path)
    try:
        found = walk_paths([root])
        assert sorted(p.name for p in found.files) == ["bottom.txt", "top.txt"]
        assert found.skipped == []
    finally:
        build.remove_deep_folder(tmp_path)


def test_link_loops_and_second_links_are_reported_once_and_not_followed(tmp_path):
    root = build.make_symlink_loop(tmp_path)
    (root / "again").symlink_to(root / "inner", target_is_directory=True)
    found = walk_paths([root])
    assert [p.relative_to(root).as_posix() for p in found.files] == ["inner/inside.txt"]
    reasons = {s.path.relative_to(root).as_posix(): s.reason for s in found.skipped}
    assert (
        reasons["inner/back"] == f"a link back to {root}, a folder it is in (a loop); not followed"
    )
    assert reasons["again"] == f"the same folder as {root / 'inner'}; not read twice"
    assert len(found.skipped) == 2
    assert not any(s.failed for s in found.skipped)


def test_special_files_inside_a_folder_are_listed_to_be_refused(tmp_path, session):
    folder = tmp_path / "inbox"
    folder.mkdir()
    build.make_fifo(folder)
    write(folder, "good.txt", ARTICLE)
    results, _ = import_files(session, [folder])
    assert [(r.path.name, r.status, r.message) for r in results] == [
        ("good.txt", "imported", "Consulates closed"),
        ("pipe.txt", "failed", "not a regular file (FIFO)"),
    ]


# -- one file's failure ------------------------------------------------------------------------


def articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    return [
        write(folder, f"{i:02d}.txt", f"Article {i}\nOn the consulates, part {i}.\n")
        for i in range(count)
    ]


@pytest.mark.parametrize(
    "error",
    [LookupError("unknown encoding: base64"), RecursionError("too deep"), MemoryError()],
    ids=["unforeseen", "recursion", "memory"],
)
def test_an_exception_in_a_reader_fails_that_file_alone(session, tmp_path, monkeypatch, error):
    from workstation import importers

    files = articles(tmp_path / "in", 3)
    real = importers.READERS[".txt"]

    def reader(path, data, extraction):
        if path.name == "01.txt":
            raise error
        return real(path, data, extraction)

    monkeypatch.setitem(importers.READERS, ".txt", reader)
    results, _ = import_files(session, files)
    assert [r.status for r in results] == ["imported", "failed", "imported"]
    message = results[1].message
    assert "\n" not in message and message.endswith("errors.log")
    log = Path(os.environ["WORKSTATION_DATA_DIR"]) / "errors.log"
    assert type(error).__name__ in log.read_text(encoding="utf-8")
    assert unfinished_imports(session) == []


def test_a_document_sqlite_refuses_fails_alone_and_its_chunk_is_stored(
    session, tmp_path, monkeypatch
):
    from workstation.storage.records import RecordStore

    files = articles(tmp_path / "in", 5)
    real = RecordStore.insert

    def insert(self, record):
        if getattr(record, "origin_name", None) == "03.txt":
            raise sqlite3.DataError("string or blob too big")
        return real(self, record)

    monkeypatch.setattr(RecordStore, "insert", insert)
    results, _ = import_files(session, files)
    assert [r.status for r in results] == ["imported"] * 3 + ["failed", "imported"]
    assert "DataError: string or blob too big" in results[3].message
    assert unfinished_imports(session) == []


def test_a_crash_in_the_import_loop_closes_the_run_as_stopped(session, tmp_path):
    files = articles(tmp_path / "in", 3)

    def progress(done, total):
        if done == 2:
            raise RuntimeError("the display went away")

    with pytest.raises(RuntimeError):
        import_files(session, files, progress=progress)
    (run,) = unfinished_imports(session)
    assert run.status == "cancelled"  # resumable, never left "running"
    results, _ = resume_import(session, run)
    assert unfinished_imports(session) == []
    assert all(r.status in ("imported", "duplicate") for r in results)


def test_a_file_name_that_is_not_utf8_is_imported_and_resumable(session, tmp_path):
    name = build.make_non_utf8_name(tmp_path)
    assert "\udcff" in str(name)
    results, _ = import_files(session, [name], cancelled=lambda: True)
    (run,) = unfinished_imports(session)
    assert run.files == [str(name)]  # the journal holds the very same name
    results, _ = resume_import(session, run)
    assert [r.status for r in results] == ["imported"]
    document = session.documents.get(results[0].document_id)
    assert document.origin_name == "latin\\xff.txt"
    assert unfinished_imports(session) == []


def test_store_chunk_lets_workspace_errors_through(session, tmp_path, monkeypatch):
    from workstation.storage import WorkspaceLocked

    def locked(*args, **kwargs):
        raise WorkspaceLocked(session.path)

    monkeypatch.setattr(importing, "store_documents", locked)
    with pytest.raises(WorkspaceLocked):
        importing.store_chunk(session, [(tmp_path / "a.txt", object())])


# -- progress on the command line --------------------------------------------------------------


def test_progress_shows_after_a_delay_on_one_line_and_is_cleared():
    from workstation.cli.progress import ImportProgress

    now = [0.0]
    stream = io.StringIO()
    progress = ImportProgress(stream, clock=lambda: now[0], enabled=True)
    progress.files(1, 40)
    assert stream.getvalue() == ""  # quick work shows nothing
    now[0] = 2.5
    progress.files(2, 40)
    progress.pages(Path("report\x1b[2J.pdf"), 812, 2000)  # too soon after the last update
    now[0] = 3.0
    progress.pages(Path("report\x1b[2J.pdf"), 813, 2000)
    progress.clear()
    shown = stream.getvalue()
    assert "\n" not in shown and "\x1b" not in shown  # one line, the name escaped
    updates = shown.split("\r")[1:]
    assert updates[0].startswith("importing: 2/40 files")
    assert updates[1].startswith("importing: 2/40 files, report\\x1b[2J.pdf page 813/2,000")
    assert updates[-1] == "" and set(updates[-2]) == {" "}  # blanked, cursor at the start


def test_no_progress_when_stderr_is_not_a_terminal(capsys, tmp_path):
    from tests.helpers.cli import run

    workspace = tmp_path / "w.sqlite"
    assert run(capsys, "--workspace", workspace, "init")[0] == 0
    code, _, err = run(capsys, "--workspace", workspace, "import", *articles(tmp_path / "in", 2))
    assert code == 0 and "\r" not in err
