"""Builders of hostile article files, made at run time (no stored binaries).

Each ``make_*`` writes its file (or folder) under ``folder`` and returns its path. The zip and
the PDF are written by hand, so that headers can lie and a file of a few hundred KB can expand
to hundreds of MB without ever holding them in memory: a deflate segment ended by a full
flush does not refer back past itself, so one compressed segment repeated N times is a valid
stream of its input repeated N times.
"""

from __future__ import annotations

import os
import random
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ARTICLE = (
    "Washington expelled ten Russian diplomats on 15 April 2021 and named six companies. "
    "Moscow promised a reciprocal answer; Peskov said it would be mirror-like."
)

# -- zip (.docx) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipEntry:
    name: str
    data: bytes  # as stored: raw deflate (method 8) or the bytes themselves (method 0)
    crc: int
    size: int  # the real uncompressed size
    method: int = 8
    declared: int | None = None  # the size the headers claim (a lie when != size)


def deflated(*segments: tuple[bytes, int], name: str) -> ZipEntry:
    """An entry whose content is each ``(chunk, times)`` in turn, compressed once per
    segment and repeated: 300 MB of XML costs a fraction of a second and ~300 KB."""
    out, crc, size = bytearray(), 0, 0
    for chunk, times in segments:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
        out += block * times
        for _ in range(times):
            crc = zlib.crc32(chunk, crc)
        size += len(chunk) * times
    out += zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return ZipEntry(name, bytes(out), crc, size)


def stored(name: str, data: bytes) -> ZipEntry:
    return ZipEntry(name, data, zlib.crc32(data), len(data), method=0)


def write_zip(path: Path, entries: list[ZipEntry]) -> Path:
    """A zip with exactly the headers given (sizes may lie), no zip64."""
    with path.open("wb") as out:
        directory = bytearray()
        for entry in entries:
            name = entry.name.encode()
            declared = entry.size if entry.declared is None else entry.declared
            offset = out.tell()
            fields = (20, 0, entry.method, 0, 0x21, entry.crc, len(entry.data), declared)
            out.write(
                b"PK\x03\x04" + struct.pack("<5H3L", *fields) + struct.pack("<2H", len(name), 0)
            )
            out.write(name + entry.data)
            directory += b"PK\x01\x02" + struct.pack("<6H3L", 20, *fields)
            directory += struct.pack("<5HLL", len(name), 0, 0, 0, 0, 0, offset) + name
        start = out.tell()
        out.write(directory)
        count = len(entries)
        out.write(
            b"PK\x05\x06" + struct.pack("<4H2LH", 0, 0, count, count, len(directory), start, 0)
        )
    return path


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationsh'
    b'ips+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlfor'
    b'mats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlforma'
    b'ts.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    b"</Relationships>"
)
DOC_START = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
DOC_END = b"</w:body></w:document>"


def paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def write_docx(path: Path, document: ZipEntry) -> Path:
    return write_zip(
        path,
        [stored("[Content_Types].xml", _CONTENT_TYPES), stored("_rels/.rels", _RELS), document],
    )


def make_docx_expanding_to_300_mb(folder: Path) -> Path:
    """~300 KB on disk, 300 MB of paragraphs of text once unzipped."""
    chunk = paragraph("sanctions " * 100) * 1000  # ~1 MB
    body = deflated((DOC_START, 1), (chunk, 300), (DOC_END, 1), name="word/document.xml")
    return write_docx(folder / "expands-300mb.docx", body)


def make_docx_with_a_lying_size(folder: Path) -> Path:
    """The zip's headers say the document is under 1 MB; it inflates to 300 MB."""
    chunk = paragraph("reciprocity " * 80) * 1000
    body = deflated((DOC_START, 1), (chunk, 300), (DOC_END, 1), name="word/document.xml")
    lie = ZipEntry(body.name, body.data, body.crc, body.size, declared=1_000_000)
    return write_docx(folder / "lying-size.docx", lie)


def make_docx_with_3m_paragraphs(folder: Path) -> Path:
    """Three million paragraphs, compressed to a few dozen KB."""
    body = deflated(
        (DOC_START, 1), (paragraph("x") * 1000, 3000), (DOC_END, 1), name="word/document.xml"
    )
    return write_docx(folder / "3m-paragraphs.docx", body)


def make_docx_with_3m_empty_paragraphs_stored(folder: Path) -> Path:
    """Three million empty paragraphs, not compressed at all: 18 MB, under the file limit,
    no ratio to see; only counting paragraphs stops it."""
    xml = DOC_START + b"<w:p/>" * 3_000_000 + DOC_END
    return write_docx(folder / "3m-empty-paragraphs.docx", stored("word/document.xml", xml))


def make_docx_with_25m_characters(folder: Path) -> Path:
    """25 million characters of words (compresses ~3:1, so no ratio limit applies): only the
    limit on extracted text stops it."""
    words = ("sanctions", "reciprocity", "diplomats", "Moscow", "consulate", "expelled", "visa")
    pick = random.Random(7).choice
    lines = [" ".join(pick(words) for _ in range(12)) for _ in range(800)]
    chunk = b"".join(paragraph(line) for line in lines)
    times = 25_000_000 // sum(len(line) + 1 for line in lines) + 1
    body = deflated((DOC_START, 1), (chunk, times), (DOC_END, 1), name="word/document.xml")
    return write_docx(folder / "25m-characters.docx", body)


def make_docx_with_xxe(folder: Path) -> Path:
    secret = folder / "secret.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()
    return write_docx(folder / "xxe.docx", stored("word/document.xml", xml))


def make_docx_billion_laughs(folder: Path) -> Path:
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]><w:document xmlns:w="{W_NS}">'
        "<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    return write_docx(folder / "billion-laughs.docx", stored("word/document.xml", xml))


# -- PDF ---------------------------------------------------------------------------------------


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF of ``objects`` (object n is objects[n-1], 1 the catalog) with a correct xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def pdf_objects(
    pages: int, content: bytes, resources: bytes = b"/Font << /F1 3 0 R >>"
) -> list[bytes]:
    """Catalog, page tree, font, one shared content stream, then ``pages`` pages using it."""
    first = 5
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(pages))
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << %s >> >>" % resources
    )
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content),
        *([page] * pages),
    ]


def make_pdf_with_5000_pages(folder: Path) -> Path:
    """5,000 pages sharing one content stream: ~500 KB."""
    content = b"BT /F1 12 Tf 72 720 Td (Sanctions and reciprocity, page after page.) Tj ET"
    return write_pdf(folder / "5000-pages.pdf", pdf_objects(5000, content))


def make_pdf_xobject_bomb(folder: Path) -> Path:
    """One page drawing a form that draws the next one ten times, eight levels deep: 10^8
    text drawings if nothing stops it."""
    levels = 8
    first_form = 6  # after catalog, pages, font, page content, the page
    objects = pdf_objects(
        1,
        b"/X%d Do" % (levels - 1),
        b"/Font << /F1 3 0 R >> /XObject << /X%d %d 0 R >>" % (levels - 1, first_form + levels - 1),
    )
    for level in range(levels):
        if level == 0:
            content, names = b"BT /F1 12 Tf 72 720 Td (reciprocity) Tj ET", b""
        else:
            content = b" ".join([b"/X%d Do" % (level - 1)] * 10)
            names = b"/XObject << /X%d %d 0 R >>" % (level - 1, first_form + level - 1)
        form = (
            b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> %s >> " % names
        )
        objects.append(_stream(content, form))
    return write_pdf(folder / "xobject-bomb.pdf", objects)


def make_pdf_cycle(folder: Path) -> Path:
    path = folder / "cycle.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 1 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
    )
    return path


def make_pdf_nested_arrays(folder: Path) -> Path:
    path = folder / "nested.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n" + b"[" * 100_000 + b"\nendobj\ntrailer<</Root 1 0 R>>")
    return path


# -- e-mail ------------------------------------------------------------------------------------

_MAIL_HEAD = b"From: desk@ministry.example\r\nSubject: Embassy row\r\n"


def make_eml_with_200k_parameters(folder: Path) -> Path:
    params = b"".join(b";\r\n p%d=v%d" % (i, i) for i in range(200_000))
    data = (
        _MAIL_HEAD
        + b"Content-Type: text/plain; charset=utf-8"
        + params
        + b"\r\n\r\n"
        + ARTICLE.encode()
    )
    path = folder / "200k-parameters.eml"
    path.write_bytes(data)
    return path


def make_eml_nested_1000_deep(folder: Path) -> Path:
    opening = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
        for i in range(1000)
    )
    closing = b"".join(b"\r\n--b%d--" % i for i in reversed(range(1000)))
    data = _MAIL_HEAD + opening + b"Content-Type: text/plain\r\n\r\n" + ARTICLE.encode() + closing
    path = folder / "1000-deep.eml"
    path.write_bytes(data)
    return path


def make_eml_with_5000_parts(folder: Path) -> Path:
    part = b"--flat\r\nContent-Type: text/plain\r\n\r\n" + ARTICLE.encode() + b"\r\n"
    data = (
        _MAIL_HEAD
        + b'Content-Type: multipart/mixed; boundary="flat"\r\n\r\n'
        + part * 5000
        + b"--flat--\r\n"
    )
    path = folder / "5000-parts.eml"
    path.write_bytes(data)
    return path


def make_eml_with_2m_lines(folder: Path) -> Path:
    data = _MAIL_HEAD + b"Content-Type: text/plain\r\n\r\n" + ARTICLE.encode() + b"\na" * 2_000_000
    path = folder / "2m-lines.eml"
    path.write_bytes(data)
    return path


def make_eml_with_a_1_mb_content_type(folder: Path) -> Path:
    data = (
        _MAIL_HEAD
        + b"Content-Type: text/plain; name="
        + b"x" * 1_000_000
        + b"\r\n\r\n"
        + ARTICLE.encode()
    )
    path = folder / "1mb-content-type.eml"
    path.write_bytes(data)
    return path


# -- web pages ---------------------------------------------------------------------------------


def _page(head: str, body: str) -> str:
    paragraphs = "".join(f"<p>{ARTICLE} {i}</p>" for i in range(6))
    return (
        f"<html><head>{head}<title>Embassy row</title></head><body><article>"
        f"<h1>Embassy row</h1>{body}{paragraphs}</article></body></html>"
    )


def make_html_declaring_base64(folder: Path) -> Path:
    path = folder / "base64-charset.html"
    path.write_text(_page('<meta charset="base64">', ""), encoding="utf-8")
    return path


SECRET = "zugzwangsecret"  # in a file next to the XXE inputs; must never reach the workspace


def make_html_with_xxe(folder: Path) -> Path:
    secret = folder / "secret.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    doctype = f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>'
    path = folder / "xxe.html"
    path.write_text(doctype + _page("", "<p>&x;</p>"), encoding="utf-8")
    return path


def make_html_nested_100k(folder: Path) -> Path:
    path = folder / "nested.html"
    path.write_bytes(b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000)
    return path


# -- the file system ---------------------------------------------------------------------------


def make_good_article(folder: Path, name: str = "good.txt") -> Path:
    path = folder / name
    path.write_text(f"Consulates closed\n{ARTICLE}\n{name}\n", encoding="utf-8")
    return path


def make_sparse_50_mb(folder: Path) -> Path:
    path = folder / "dump.txt"
    path.write_bytes(b"x")
    os.truncate(path, 50 * 1024 * 1024)
    return path


def make_fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def make_link_to_dev_zero(folder: Path) -> Path:
    path = folder / "zero.txt"
    path.symlink_to("/dev/zero")
    return path


def make_folder_1100_deep(folder: Path) -> Path:
    """A folder 1,100 levels deep with an article at the bottom (and one at the top)."""
    root = folder / "deep"
    root.mkdir()
    bottom = root
    for _ in range(1100):  # one level at a time: mkdir(parents=True) recurses per level
        bottom = bottom / "d"
        bottom.mkdir()
    make_good_article(root, "top.txt")
    make_good_article(bottom, "bottom.txt")
    return root


def remove_deep_folder(folder: Path) -> None:
    """Remove what make_folder_1100_deep made, bottom up: shutil.rmtree (and so the clean-up
    of a TemporaryDirectory or pytest's tmp_path) recurses once per level and fails."""
    root = folder / "deep"
    if not root.is_dir():
        return
    levels = [root]
    while (levels[-1] / "d").is_dir():
        levels.append(levels[-1] / "d")
    for level in reversed(levels):
        for entry in level.iterdir():
            if not entry.is_dir() or entry.is_symlink():
                entry.unlink()
        level.rmdir()


def make_symlink_loop(folder: Path) -> Path:
    """A folder holding an article and a link back to itself."""
    root = folder / "looping"
    (root / "inner").mkdir(parents=True)
    make_good_article(root / "inner", "inside.txt")
    (root / "inner" / "back").symlink_to(root, target_is_directory=True)
    return root


def make_non_utf8_name(folder: Path) -> Path:
    raw = os.path.join(os.fsencode(folder), b"latin\xff.txt")
    with open(raw, "wb") as handle:
        handle.write(f"Latin name\n{ARTICLE}\n".encode())
    return Path(os.fsdecode(raw))
