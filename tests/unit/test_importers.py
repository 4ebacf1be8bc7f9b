"""workstation.importers: every format, every encoding, and every way a file can be bad.

All inputs are generated here (tmp_path); no binary fixtures are shipped. The contract under
test: ``read_document`` returns a DocumentDraft with non-empty text, or raises ImportRejected
with a reason for the user; never any other exception.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import os
import random
import socket
import tempfile
import zipfile
from email.header import Header
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workstation.importers import (
    SUPPORTED_SUFFIXES,
    DocumentDraft,
    ImportRejected,
    read_document,
)
from workstation.importers.base import MAX_FILE_BYTES

RUSSIAN = (
    "Кремль заявил о принципе взаимности. Песков сказал, что ответ будет «зеркальным» — "
    "решение уже принято. Ёлки-палки, всё ещё обсуждается."
)
RUSSIAN_TITLE = "Кремль ответит на высылку дипломатов"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def rejected(path: Path, **kwargs) -> str:
    """The reason read_document gives for refusing the file (fails if it is accepted)."""
    with pytest.raises(ImportRejected) as info:
        read_document(path, **kwargs)
    reason = str(info.value)
    assert reason.strip(), "a rejection must say why"
    assert "Traceback" not in reason
    return reason


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# --- generators for the binary formats ------------------------------------------------------


def make_docx(
    paragraphs: list[str],
    *,
    title: str | None = None,
    author: str | None = None,
    created: dt.datetime | None = None,
) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    props = document.core_properties
    props.title = title or ""
    props.author = author or ""
    if created is not None:
        props.created = created
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(
    pages: list[list[str]],
    *,
    title: str | None = None,
    author: str | None = None,
    encrypt: str | None = None,
) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    if title:
        pdf.setTitle(title)
    if author:
        pdf.setAuthor(author)
    for lines in pages:
        y = 720
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 20
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_blank_pdf() -> bytes:
    """A page with a drawing and no text layer, like a scan before OCR."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(100, 100, 300, 400, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


ARTICLE_PARAGRAPHS = [
    "The Kremlin said on Friday that it would respond to the expulsion of its diplomats on "
    "the principle of reciprocity, escalating a dispute that began last week.",
    "Presidential spokesman Dmitry Peskov told reporters in Moscow that the decision had been "
    "taken at the highest level and that the ministry would announce the details in due course.",
    "Western officials described the expulsions as a response to intelligence activity and said "
    "that further measures were not ruled out, according to two people familiar with the matter.",
    "Analysts said the exchange was the sharpest since the autumn, when both sides closed "
    "consulates and reduced the number of visas issued to each other's staff.",
]


def make_article_html(
    *,
    paragraphs: list[str] = ARTICLE_PARAGRAPHS,
    title: str = "Kremlin demands reciprocity in embassy row",
    date_meta: str = '<meta name="date" content="2024-03-15">',
    charset: str = "utf-8",
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="{charset}">
<title>{title} | Northern Herald</title>
<meta property="og:site_name" content="Northern Herald">
<meta property="og:title" content="{title}">
{date_meta}
<meta name="author" content="Anna Petrova">
<link rel="canonical" href="https://herald.example/world/kremlin-reciprocity">
<script>window.analytics = {{"track": true}};</script>
<style>body {{ font-family: serif; }}</style>
</head>
<body>
<header><nav><ul>
<li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe now</a></li>
</ul></nav></header>
<main><article>
<h1>{title}</h1>
{body}
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/x">Celebrity chef opens new bistro</a></li></ul></aside>
<footer><p>© 2024 Northern Herald. All rights reserved.</p>
<p><a href="/cookies">Cookie policy</a> | <a href="/privacy">Privacy</a></p></footer>
</body>
</html>
"""


def make_eml_plain() -> bytes:
    message = EmailMessage()
    message["Subject"] = "Embassy row: Kremlin promises reciprocity"
    message["From"] = "Desk Officer <desk@ministry.example>"
    message["To"] = "analysts@ministry.example"
    message["Date"] = format_datetime(dt.datetime(2024, 3, 15, 9, 30, tzinfo=dt.UTC))
    message.set_content(
        "Summary of the morning press briefing.\n\n" + "\n".join(ARTICLE_PARAGRAPHS)
    )
    return message.as_bytes()


# --- plain text and Markdown ----------------------------------------------------------------


def test_utf8_text_is_read_exactly_with_title_from_first_line(tmp_path):
    text = f"{RUSSIAN_TITLE}\n\n{RUSSIAN}\nCafé, Zürich, 東京, emoji 🙂\n"
    draft = read_document(write(tmp_path, "report.txt", text.encode("utf-8")))
    assert isinstance(draft, DocumentDraft)
    assert draft.text == text
    assert draft.encoding == "utf-8"
    assert draft.title == RUSSIAN_TITLE
    assert draft.origin_name == "report.txt"


def test_utf8_with_bom_drops_the_bom(tmp_path):
    text = f"{RUSSIAN_TITLE}\n{RUSSIAN}"
    draft = read_document(write(tmp_path, "bom.txt", codecs.BOM_UTF8 + text.encode("utf-8")))
    assert draft.text == text
    assert not draft.text.startswith("\ufeff")
    assert draft.encoding == "utf-8"
    assert draft.title == RUSSIAN_TITLE


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_text_with_a_utf16_or_utf32_bom(tmp_path, bom, codec):
    text = f"{RUSSIAN_TITLE}\r\n{RUSSIAN}\r\nCafé 🙂"
    draft = read_document(write(tmp_path, "wide.txt", bom + text.encode(codec)))
    assert draft.text == text
    assert draft.encoding == codec
    assert draft.title == RUSSIAN_TITLE


def test_damaged_utf16_is_rejected(tmp_path):
    data = codecs.BOM_UTF16_LE + "Кремль".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    assert "damaged" in rejected(write(tmp_path, "broken.txt", data))


def test_utf16_that_holds_only_whitespace_is_rejected(tmp_path):
    data = codecs.BOM_UTF16_LE + " \n\t \n".encode("utf-16-le")
    assert "no text" in rejected(write(tmp_path, "blank16.txt", data))


@pytest.mark.parametrize(
    "text",
    [
        RUSSIAN,
        f"{RUSSIAN_TITLE}\n\n{RUSSIAN}",
        "Песков: «Да» — и всё…",  # cp1251 punctuation (« » — …) between Cyrillic words
        "ТАСС: В МОСКВЕ ЗАЯВИЛИ О ПРИНЦИПЕ ВЗАИМНОСТИ",
    ],
)
def test_cp1251_russian_decodes_to_the_same_cyrillic(tmp_path, text):
    draft = read_document(write(tmp_path, "news.txt", text.encode("cp1251")))
    assert draft.text == text
    assert draft.encoding == "cp1251"


@pytest.mark.parametrize(
    "text",
    [
        "Café société, Zürich",
        "Café",  # a single accented letter
        "Größe, Zürich, Café",  # adjacent accented letters (öß)
        "São Paulo: ações e eleições",
        "Il est allé à Paris, à Lyon et à Nice.",  # one-letter words that are all high bytes
        "ÉTÉ À PARIS « non », ÉTÉ À NICE",
    ],
)
def test_latin1_is_not_mistaken_for_cp1251(tmp_path, text):
    draft = read_document(write(tmp_path, "western.txt", text.encode("latin-1")))
    assert draft.text == text
    assert draft.encoding == "cp1252"  # the Western fallback; identical to latin-1 here


def test_windows_western_text_keeps_curly_quotes_euro_and_dashes(tmp_path):
    text = "“Sanctions” cost €40bn — or so Café Zürich’s owner said…"
    draft = read_document(write(tmp_path, "cp1252.txt", text.encode("cp1252")))
    assert draft.text == text and draft.encoding == "cp1252"


def test_bytes_cp1252_leaves_undefined_fall_back_to_latin1(tmp_path):
    draft = read_document(write(tmp_path, "odd.txt", "Café ".encode("latin-1") + b"\x81"))
    assert draft.encoding == "latin-1" and draft.text == "Café \x81"


def test_cp1251_with_a_stray_undefined_byte_keeps_the_cyrillic(tmp_path):
    # 0x98 is the one byte cp1251 leaves undefined; strict decoding used to raise
    # UnicodeDecodeError out of read_document.
    data = RUSSIAN.encode("cp1251") + b" \x98"
    draft = read_document(write(tmp_path, "stray.txt", data))
    assert draft.encoding == "cp1251"
    assert draft.text == RUSSIAN + " \ufffd"


def test_markdown_heading_becomes_the_title(tmp_path):
    text = f"\n\n## {RUSSIAN_TITLE}\n\n{RUSSIAN}\n"
    draft = read_document(write(tmp_path, "notes.md", text))
    assert draft.title == RUSSIAN_TITLE
    assert draft.text == text


def test_long_first_line_gives_the_file_stem_as_title(tmp_path):
    text = " ".join(ARTICLE_PARAGRAPHS)  # one very long line
    draft = read_document(write(tmp_path, "long-line article.txt", text))
    assert draft.title == "long-line article"
    assert draft.text == text


def test_suffix_is_case_insensitive(tmp_path):
    draft = read_document(write(tmp_path, "LOUD.TXT", "Hello there\nbody"))
    assert draft.title == "Hello there"


# --- saved web pages ------------------------------------------------------------------------


def test_saved_article_page_gives_text_without_boilerplate(tmp_path, no_network):
    draft = read_document(write(tmp_path, "article.html", make_article_html()))
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in draft.text
    for boilerplate in (
        "Subscribe now",
        "All rights reserved",
        "Cookie policy",
        "Celebrity chef",
        "window.analytics",
        "font-family",
        "<p>",
    ):
        assert boilerplate not in draft.text
    assert draft.title == "Kremlin demands reciprocity in embassy row"
    assert draft.outlet == "Northern Herald"
    assert draft.published == "2024-03-15"
    assert draft.url == "https://herald.example/world/kremlin-reciprocity"
    assert draft.origin_name == "article.html"
    assert draft.encoding == "utf-8"


def test_published_time_from_article_meta(tmp_path, no_network):
    html = make_article_html(
        date_meta='<meta property="article:published_time" content="2023-11-02T18:05:00+03:00">'
    )
    draft = read_document(write(tmp_path, "article.htm", html))
    assert draft.published == "2023-11-02"
    assert ARTICLE_PARAGRAPHS[0] in draft.text


def test_cp1251_saved_page_in_russian(tmp_path, no_network):
    paragraphs = [
        RUSSIAN,
        "Министерство иностранных дел подготовило список мер, которые будут объявлены позднее.",
        "По словам источников, решение согласовано со всеми ведомствами и вступит в силу в "
        "понедельник.",
    ]
    html = make_article_html(paragraphs=paragraphs, title=RUSSIAN_TITLE, charset="windows-1251")
    draft = read_document(write(tmp_path, "statya.html", html.encode("cp1251")))
    assert draft.encoding == "cp1251"
    assert draft.title == RUSSIAN_TITLE
    for paragraph in paragraphs:
        assert paragraph in draft.text


def test_koi8r_page_is_decoded_by_its_declared_charset(tmp_path, no_network):
    paragraphs = [
        RUSSIAN,
        "Министерство иностранных дел подготовило список мер, которые будут объявлены позднее.",
    ]
    html = make_article_html(paragraphs=paragraphs, title=RUSSIAN_TITLE, charset="koi8-r")
    draft = read_document(
        write(tmp_path, "koi8.html", html.encode("koi8-r", errors="xmlcharrefreplace"))
    )
    assert draft.encoding == "koi8-r"
    assert all(paragraph in draft.text for paragraph in paragraphs)


def test_page_without_article_text_is_rejected(tmp_path, no_network):
    html = "<html><head><title>Nothing here</title></head><body><div></div></body></html>"
    assert "no article text" in rejected(write(tmp_path, "empty-page.html", html))


# --- Word -----------------------------------------------------------------------------------


def test_docx_with_title_in_core_properties(tmp_path):
    paragraphs = ["Morning summary", RUSSIAN, "Second paragraph in English."]
    created = dt.datetime(2024, 3, 15, 8, 0, tzinfo=dt.UTC)
    data = make_docx(paragraphs, title="Briefing note", author="Desk Officer", created=created)
    draft = read_document(write(tmp_path, "note.docx", data))
    assert draft.title == "Briefing note"
    assert draft.text == "\n".join(paragraphs)
    # The Word file's author and creation date are not the article's outlet and date.
    assert draft.outlet is None and draft.published is None
    assert draft.origin_name == "note.docx"


def test_docx_without_title_uses_the_first_paragraph(tmp_path):
    paragraphs = ["", RUSSIAN_TITLE, RUSSIAN]
    draft = read_document(write(tmp_path, "untitled.docx", make_docx(paragraphs)))
    assert draft.title == RUSSIAN_TITLE
    assert RUSSIAN in draft.text


def test_docx_without_paragraph_text_is_rejected(tmp_path):
    assert "no text" in rejected(write(tmp_path, "blank.docx", make_docx(["", "   "])))


def test_random_bytes_as_docx_are_rejected(tmp_path):
    data = random.Random(1).randbytes(4000)
    assert "Word" in rejected(write(tmp_path, "noise.docx", data))


def test_truncated_docx_is_rejected(tmp_path):
    data = make_docx(ARTICLE_PARAGRAPHS, title="Cut short")
    assert "Word" in rejected(write(tmp_path, "half.docx", data[: len(data) // 2]))


def test_zip_that_is_not_a_word_document_is_rejected(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "just a zip")
    assert "Word" in rejected(write(tmp_path, "archive.docx", buffer.getvalue()))


def rewrite_docx(data: bytes, member: str, change) -> bytes:
    """The same .docx with one member's bytes passed through ``change``."""
    original = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in original.namelist():
            content = original.read(name)
            archive.writestr(name, change(content) if name == member else content)
    return buffer.getvalue()


def test_docx_with_damaged_xml_inside_is_rejected(tmp_path):
    data = rewrite_docx(make_docx(ARTICLE_PARAGRAPHS), "word/document.xml", lambda x: x[:-200])
    assert "Word" in rejected(write(tmp_path, "damaged.docx", data))


def test_docx_with_odd_core_properties_keeps_its_text(tmp_path):
    # A core.xml whose root is not cp:coreProperties made python-docx raise AttributeError
    # outside the importer's try block.
    data = rewrite_docx(
        make_docx([RUSSIAN_TITLE, RUSSIAN], title="Lost title"),
        "docProps/core.xml",
        lambda xml: xml.replace(b"cp:coreProperties", b"cp:xoreProperties"),
    )
    draft = read_document(write(tmp_path, "odd-props.docx", data))
    assert draft.text == f"{RUSSIAN_TITLE}\n{RUSSIAN}"
    assert draft.title == RUSSIAN_TITLE
    assert draft.published is None


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_pages_are_joined_by_a_blank_line(tmp_path):
    data = make_pdf(
        [
            ["Kremlin promises reciprocity", "Page one, second line."],
            ["Page two carries the rest of the story."],
        ]
    )
    draft = read_document(write(tmp_path, "two-pages.pdf", data))
    first, second = draft.text.split("\n\n")
    assert first == "Kremlin promises reciprocity\nPage one, second line."
    assert second == "Page two carries the rest of the story."
    # ReportLab writes the placeholders "untitled" and "anonymous" when nothing was set:
    # the first line is the better title, and there is no outlet.
    assert draft.title == "Kremlin promises reciprocity"
    assert draft.outlet is None
    assert draft.origin_name == "two-pages.pdf"


def test_pdf_title_and_author_from_metadata(tmp_path):
    data = make_pdf([["Body text line."]], title="Official statement", author="Press Office")
    draft = read_document(write(tmp_path, "meta.pdf", data))
    assert draft.title == "Official statement"
    assert draft.outlet == "Press Office"
    assert draft.text == "Body text line."


def test_pdf_without_text_layer_is_rejected(tmp_path):
    assert "no text" in rejected(write(tmp_path, "scan.pdf", make_blank_pdf()))


def test_pdf_with_an_unknown_stream_filter_is_rejected(tmp_path):
    # pypdf raises NotImplementedError for a filter it does not know.
    data = make_pdf([["Page one."]])
    assert b"/FlateDecode" in data
    data = data.replace(b"/FlateDecode", b"/BogusDecode")  # same length: xref stays valid
    assert "PDF" in rejected(write(tmp_path, "filter.pdf", data))


def test_encrypted_pdf_is_rejected(tmp_path):
    data = make_pdf([["Secret text."]], encrypt="s3cret")
    assert "encrypted" in rejected(write(tmp_path, "locked.pdf", data))


def test_random_bytes_as_pdf_are_rejected(tmp_path):
    data = b"%PDF-1.4\n" + random.Random(2).randbytes(3000)
    assert "PDF" in rejected(write(tmp_path, "noise.pdf", data))


def test_truncated_pdf_is_rejected(tmp_path):
    data = make_pdf([["Page one."], ["Page two."]])
    assert "PDF" in rejected(write(tmp_path, "half.pdf", data[: len(data) // 2]))


# --- e-mail ---------------------------------------------------------------------------------


def test_plain_email(tmp_path):
    draft = read_document(write(tmp_path, "briefing.eml", make_eml_plain()))
    assert draft.title == "Embassy row: Kremlin promises reciprocity"
    assert draft.published == "2024-03-15"
    assert draft.outlet == "Desk Officer <desk@ministry.example>"
    assert draft.text.startswith("Summary of the morning press briefing.")
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in draft.text


def test_email_takes_the_html_part_of_an_alternative_as_mail_clients_do(tmp_path):
    # Issue 11: the part a mail client displays is imported (it used to be the plain one),
    # and parts that differ are reported (tests/unit/test_honest_import.py has more).
    message = MIMEMultipart("alternative")
    message["Subject"] = "Both parts"
    message["From"] = "desk@ministry.example"
    message.attach(MIMEText("Plain version of the note.", "plain", "utf-8"))
    message.attach(MIMEText("<p>HTML version of the note.</p>", "html", "utf-8"))
    draft = read_document(write(tmp_path, "alt.eml", message.as_bytes()))
    assert draft.text.strip() == "HTML version of the note."
    assert any("plain-text and HTML parts" in warning for warning in draft.warnings)


def test_html_only_email_has_its_tags_stripped(tmp_path):
    markup = (
        "<html><head><style>p { color: red; }</style>"
        "<script>alert('x')</script></head><body>"
        "<h1>Reciprocity</h1><p>The Kremlin&nbsp;said &laquo;yes&raquo; &amp; more.</p>"
        "<div>Second<br>line</div></body></html>"
    )
    message = MIMEMultipart("mixed")
    message["Subject"] = "HTML only"
    message["From"] = "desk@ministry.example"
    message.attach(MIMEText(markup, "html", "utf-8"))
    draft = read_document(write(tmp_path, "html-only.eml", message.as_bytes()))
    assert "<" not in draft.text and ">" not in draft.text
    assert "color: red" not in draft.text
    assert "alert" not in draft.text
    assert "Reciprocity" in draft.text
    assert "The Kremlin\xa0said «yes» & more." in draft.text
    assert "Second\nline" in draft.text


KOI8_TEXT = 'Кремль заявил о принципе взаимности. Песков сказал: "ответ будет зеркальным". Всё.'


def test_koi8r_email_body_and_subject(tmp_path):
    message = MIMEText(KOI8_TEXT, "plain", "koi8-r")
    message["Subject"] = Header(RUSSIAN_TITLE, "koi8-r")
    message["From"] = "pressa@kremlin.example"
    message["Date"] = "Fri, 15 Mar 2024 12:00:00 +0300"
    data = message.as_bytes()
    assert KOI8_TEXT.encode("utf-8") not in data  # the file really holds koi8-r (base64)
    draft = read_document(write(tmp_path, "koi8.eml", data))
    assert draft.text.strip() == KOI8_TEXT
    assert draft.title == RUSSIAN_TITLE
    assert draft.published == "2024-03-15"


def test_8bit_cp1251_email(tmp_path):
    data = (
        b"From: pressa@kremlin.example\r\n"
        b"Subject: =?windows-1251?B?"
        + codecs.encode(RUSSIAN_TITLE.encode("cp1251"), "base64").replace(b"\n", b"")
        + b"?=\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=windows-1251\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n"
        b"\r\n" + RUSSIAN.encode("cp1251") + b"\r\n"
    )
    draft = read_document(write(tmp_path, "cp1251.eml", data))
    assert draft.text.strip() == RUSSIAN
    assert draft.title == RUSSIAN_TITLE


def test_email_with_an_unparseable_date_still_imports(tmp_path):
    message = EmailMessage()
    message["Subject"] = "Odd date"
    message["Date"] = "sometime last week"
    message.set_content("Body text.")
    draft = read_document(write(tmp_path, "odd-date.eml", message.as_bytes()))
    assert draft.published is None
    assert draft.text.strip() == "Body text."


def test_email_with_a_malformed_address_still_imports(tmp_path):
    # email._header_value_parser raises IndexError on "desk@" (policy=default).
    data = b"Subject: Cut-off sender\r\nFrom: desk@\r\n\r\nThe body survives.\r\n"
    draft = read_document(write(tmp_path, "bad-from.eml", data))
    assert draft.outlet == "desk@"
    assert draft.title == "Cut-off sender"
    assert draft.text.strip() == "The body survives."


def test_email_with_unknown_charset_is_rejected(tmp_path):
    data = (
        b"Subject: x\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\nbody \xfe\xff\r\n"
    )
    assert "decoded" in rejected(write(tmp_path, "unknown.eml", data))


def test_email_with_only_an_attachment_is_rejected(tmp_path):
    message = EmailMessage()
    message["Subject"] = "See attachment"
    message.add_attachment(b"\x00\x01binary", maintype="application", subtype="octet-stream")
    assert "no text part" in rejected(write(tmp_path, "attachment.eml", message.as_bytes()))


def test_text_without_headers_saved_as_eml_is_rejected(tmp_path):
    assert "no headers" in rejected(write(tmp_path, "prose.eml", "Just some prose\nand more"))


# --- files that cannot be imported ----------------------------------------------------------


def test_binary_bytes_saved_as_txt_are_rejected(tmp_path):
    data = random.Random(3).randbytes(2000) + b"\x00\x00"
    assert "binary" in rejected(write(tmp_path, "random.txt", data))


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  "], ids=["empty", "whitespace"])
def test_empty_and_whitespace_files_are_rejected(tmp_path, suffix, content):
    assert "empty" in rejected(write(tmp_path, f"blank{suffix}", content))


def test_file_over_the_limit_names_the_limit(tmp_path):
    path = write(tmp_path, "big.txt", "word " * 400)  # 2000 bytes
    reason = rejected(path, max_bytes=1000)
    assert "1000 bytes" in reason
    assert "limit" in reason
    assert read_document(path, max_bytes=2000).text.startswith("word")  # at the limit: fine


def test_default_limit_is_stated_in_megabytes(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: nothing is really written
        handle.truncate(MAX_FILE_BYTES + 1)
    reason = rejected(path)
    assert f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit" in reason


@pytest.mark.parametrize("name", ["setup.exe", "README", "photo.jpeg", "archive.tar.gz"])
def test_unsupported_file_types_are_rejected(tmp_path, name):
    reason = rejected(write(tmp_path, name, "some text that would otherwise be fine"))
    assert "unsupported file type" in reason
    assert ".txt" in reason  # says what is supported


@pytest.mark.parametrize("name", ["folder", "looks-like-a-file.txt"])
def test_a_folder_is_rejected(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    assert "folder" in rejected(folder)


def test_missing_file_is_rejected(tmp_path):
    assert "no such file" in rejected(tmp_path / "gone.txt")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (PermissionError(13, "Permission denied"), "permission denied"),
        (OSError(5, "Input/output error"), "cannot read the file (Input/output error)"),
    ],
)
def test_unreadable_file_is_rejected(tmp_path, monkeypatch, error, expected):
    path = write(tmp_path, "secret.txt", "classified")

    def failing_open(self, *args, **kwargs):
        raise error

    monkeypatch.setattr(Path, "open", failing_open)  # chmod 0 does not stop root
    assert rejected(path) == expected


def test_file_that_grew_after_stat_is_still_held_to_the_limit(tmp_path, monkeypatch):
    path = write(tmp_path, "growing.txt", "word " * 400)  # 2000 bytes on disk
    real_stat = Path.stat

    def stale_stat(self, *args, **kwargs):
        result = real_stat(self, *args, **kwargs)
        fields = list(result[:10])
        fields[6] = 10  # st_size as it was a moment ago
        return os.stat_result(fields)

    monkeypatch.setattr(Path, "stat", stale_stat)
    assert "1000 bytes limit" in rejected(path, max_bytes=1000)


# --- property: any bytes, any format -> a draft with text, or ImportRejected ---------------


@cache
def valid_samples() -> dict[str, bytes]:
    """One well-formed file per format, for the mutation strategy."""
    return {
        ".txt": f"{RUSSIAN_TITLE}\n{RUSSIAN}".encode("cp1251"),
        ".html": make_article_html().encode("utf-8"),
        ".docx": make_docx(["Title line", RUSSIAN], title="Props title"),
        ".pdf": make_pdf([["Page one."], ["Page two."]], title="A title"),
        ".eml": make_eml_plain(),
    }


@st.composite
def mutated(draw, suffix: str) -> bytes:
    """A valid file of the format, truncated or with a few bytes overwritten."""
    data = bytearray(valid_samples()[suffix])
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        patch = draw(st.binary(min_size=1, max_size=16))
        data[at : at + len(patch)] = patch
    return bytes(data)


def file_contents(suffix: str) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=3000), mutated(suffix))


def assert_draft_or_rejected(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            draft = read_document(path)
        except ImportRejected as exc:
            assert str(exc).strip()
        else:
            assert isinstance(draft, DocumentDraft)
            assert isinstance(draft.text, str) and draft.text.strip()
            assert isinstance(draft.title, str)


FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,  # write nothing into the source tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.parametrize("suffix", [".txt", ".html", ".docx", ".pdf", ".eml"])
def test_any_bytes_give_a_draft_or_a_rejection(suffix, no_network):
    @FUZZ
    @given(data=file_contents(suffix))
    def check(data: bytes) -> None:
        assert_draft_or_rejected(suffix, data)

    check()
