"""Issue 11, point 6: import keeps only what a reader sees, and says when it guessed.

Every file goes through the real import (``import_files``: read, store, report); the stored
body, the title and the per-file warnings are checked. Files are built at run time by
``tests/helpers/honest_import.py``.
"""

from __future__ import annotations

import codecs
import socket

import pytest

from tests.helpers import honest_import as corpus
from workstation.importers.decoding import MOSTLY_UTF8_VALID_PER_STRAY, utf8_profile
from workstation.services.importing import import_files


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """trafilatura must never fetch anything while reading a saved page."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def imported(session, path):
    """(stored document, the file's result) for one imported file."""
    results, _ = import_files(session, [path])
    assert len(results) == 1
    result = results[0]
    assert result.status == "imported", result
    return session.documents.get(result.document_id), result


def refused(session, path) -> str:
    results, _ = import_files(session, [path])
    assert len(results) == 1 and results[0].failed, results
    return results[0].message


# -- saved web pages: hidden content ----------------------------------------------------------


def test_text_hidden_from_readers_is_never_article_text(session, tmp_path):
    path = corpus.write(tmp_path, "hidden.html", corpus.hidden_text_page())
    document, result = imported(session, path)
    for marker in [
        *corpus.HIDDEN_BLOCKS,
        "HIDDENHEADLINE",
        "HIDDENMETATITLE",
        "HIDDENINLINE",
        "resigned in disgrace",
    ]:
        assert marker not in document.body, marker
        assert marker not in document.title, marker
    for paragraph in corpus.PARAGRAPHS:
        assert paragraph in document.body
    # The text after a hidden element is shown, so it is kept.
    assert "The spokesman said that the answer would be mirror-like." in document.body
    assert document.title == corpus.HEADLINE
    assert document.outlet == "Northern Herald"
    assert result.warnings == ()


def test_a_visible_descendant_of_an_invisible_element_is_kept(tmp_path):
    from workstation.importers.visible_html import drop_hidden, parse_message_html, visible_text

    root = parse_message_html(
        '<p style="visibility:hidden">gone <span style="visibility: visible">shown</span>'
        " gone too</p><p>after</p>"
    )
    drop_hidden(root)
    assert visible_text(root) == "shown\n\nafter"


def test_a_page_without_hidden_parts_imports_as_before(session, tmp_path):
    document, result = imported(session, corpus.write(tmp_path, "plain.html", corpus.plain_page()))
    assert document.title == corpus.HEADLINE
    assert all(paragraph in document.body for paragraph in corpus.PARAGRAPHS)
    assert result.warnings == ()


# -- e-mail: the displayed part, and parts that disagree ------------------------------------


def test_email_imports_the_html_part_and_warns_that_the_plain_part_differs(session, tmp_path):
    path = corpus.write(tmp_path, "reception.eml", corpus.disagreeing_email())
    document, result = imported(session, path)
    assert "The ambassador will attend the reception on 15\xa0April." in document.body
    assert "NOT" not in document.body
    assert "PREHEADER" not in document.body  # hidden in the HTML part too
    assert "Regards,\nProtocol" in document.body
    [warning] = result.warnings
    assert "plain-text and HTML parts" in warning and "differ" in warning
    assert "“will NOT attend”" in warning and "“will attend”" in warning
    assert "imported the HTML part" in warning


@pytest.mark.parametrize(
    ("plain", "html"),
    [
        (
            "Moscow expelled 10 diplomats on Friday.",
            "<p>Moscow expelled 20 diplomats on Friday.</p>",
        ),
        ("Moscow won't expel the diplomats.", "<p>Moscow will expel the diplomats.</p>"),
        (
            "This message is in HTML; please use a client that shows it.",
            "<p>The ministry announced sanctions on six companies and ten diplomats.</p>",
        ),
    ],
    ids=["number", "contraction", "different-text"],
)
def test_any_negation_number_or_wholesale_difference_is_reported(session, tmp_path, plain, html):
    path = corpus.write(tmp_path, "alt.eml", corpus.alternative_email(plain, html))
    document, result = imported(session, path)
    assert document.body.strip() in html
    assert len(result.warnings) == 1 and "differ" in result.warnings[0]


def test_parts_that_agree_give_no_warning(session, tmp_path):
    # The plain part has the link address and a line break the HTML part shows differently.
    document, result = imported(session, corpus.write(tmp_path, "ok.eml", corpus.agreeing_email()))
    assert document.body == "The ambassador will attend the reception on 15 April."
    assert result.warnings == ()


def test_an_html_part_that_shows_nothing_gives_way_to_the_plain_part(session, tmp_path):
    data = corpus.alternative_email(
        "The ambassador will attend.", '<div style="display:none">Preheader only</div>'
    )
    document, result = imported(session, corpus.write(tmp_path, "empty-html.eml", data))
    assert document.body == "The ambassador will attend."
    assert result.warnings == ("the HTML part shows no text; imported the plain-text part",)


# -- declared charsets that lie ---------------------------------------------------------------


@pytest.mark.parametrize("charset", ["koi8-r", "windows-1251", "windows-1252"])
@pytest.mark.parametrize("text", [corpus.RUSSIAN, corpus.LATIN], ids=["cyrillic", "latin"])
def test_a_page_whose_meta_charset_lies_over_utf8_is_read_as_utf8(session, tmp_path, charset, text):
    path = corpus.write(tmp_path, "lie.html", corpus.lying_page(charset, text))
    document, result = imported(session, path)
    for line in text.splitlines():
        assert line in document.body
    assert result.warnings == (f"declared {charset}, but the bytes are UTF-8; read as UTF-8",)


@pytest.mark.parametrize("charset", ["koi8-r", "cp1251", "cp1252"])
def test_an_email_part_whose_charset_lies_over_utf8_is_read_as_utf8(session, tmp_path, charset):
    path = corpus.write(tmp_path, "lie.eml", corpus.lying_email_part(charset, corpus.RUSSIAN))
    document, result = imported(session, path)
    assert document.body == corpus.RUSSIAN.strip()
    assert result.warnings == (f"declared {charset}, but the bytes are UTF-8; read as UTF-8",)


def test_a_true_koi8r_declaration_is_followed_without_a_word(session, tmp_path):
    page = corpus.lying_page("koi8-r", corpus.RUSSIAN).decode("utf-8").encode("koi8-r")
    document, result = imported(session, corpus.write(tmp_path, "koi8.html", page))
    assert corpus.RUSSIAN.splitlines()[0] in document.body
    assert result.warnings == ()


# -- stray bytes in UTF-8 -----------------------------------------------------------------------


def test_one_stray_byte_in_utf8_is_shown_as_a_replacement_and_named(session, tmp_path):
    path = corpus.write(tmp_path, "stray.txt", corpus.stray_byte_text())
    document, result = imported(session, path)
    lines = corpus.RUSSIAN.strip().split("\n")
    assert document.body.split("\n")[:2] == lines[:2]  # no mojibake anywhere
    assert document.body.split("\n")[2] == lines[2].replace(" ", " \ufffd ", 1)
    assert result.warnings == ("line 3: byte 0x97 is not UTF-8, shown as \ufffd",)


def test_many_stray_bytes_name_the_first_few_and_count_the_rest(session, tmp_path):
    lines = [f"Строка номер {n}: Кремль заявил о принципе взаимности".encode() for n in range(9)]
    data = b"\n".join(line + b" \x97" for line in lines)
    document, result = imported(session, corpus.write(tmp_path, "strays.txt", data))
    assert document.body.count("\ufffd") == 9 and "Кремль" in document.body
    assert result.warnings[:2] == (
        "line 1: byte 0x97 is not UTF-8, shown as \ufffd",
        "line 2: byte 0x97 is not UTF-8, shown as \ufffd",
    )
    assert len(result.warnings) == 6
    assert result.warnings[-1].startswith("4 more bytes that are not UTF-8")


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (corpus.RUSSIAN, "cp1251"),
        ("ТАСС: «В МОСКВЕ ЗАЯВИЛИ» — ВЁ, Её", "cp1251"),
        (corpus.LATIN, "cp1252"),
        ("“Sanctions” cost €40bn — or so Café Zürich’s owner said…", "cp1252"),
    ],
)
def test_genuine_legacy_text_is_far_from_mostly_utf8(text, codec):
    valid, stray = utf8_profile(text.encode(codec))
    assert valid < 0.2 * (valid + stray)
    assert valid < MOSTLY_UTF8_VALID_PER_STRAY * stray


def test_a_short_utf8_note_with_one_stray_dash_is_still_utf8(session, tmp_path):
    data = "“Sanctions” were announced ".encode() + b"\x97 Washington, 15 April."
    document, result = imported(session, corpus.write(tmp_path, "note.txt", data))
    assert document.body == "“Sanctions” were announced \ufffd Washington, 15 April."
    assert result.warnings == ("line 1: byte 0x97 is not UTF-8, shown as \ufffd",)


@pytest.mark.parametrize(
    ("text", "codec", "label"),
    [(corpus.RUSSIAN, "cp1251", "cp1251 (Cyrillic)"), (corpus.LATIN, "cp1252", "cp1252 (Western)")],
)
def test_genuine_legacy_files_are_still_read_in_their_encoding_saying_it_was_a_guess(
    session, tmp_path, text, codec, label
):
    document, result = imported(session, corpus.write(tmp_path, "old.txt", text.encode(codec)))
    assert document.body == text.strip()
    assert result.warnings == (f"not UTF-8 and no charset declared; read as {label}",)


def test_utf8_files_carry_no_warning(session, tmp_path):
    data = (corpus.RUSSIAN + corpus.LATIN).encode("utf-8")
    document, result = imported(session, corpus.write(tmp_path, "good.txt", data))
    assert document.body == (corpus.RUSSIAN + corpus.LATIN).strip()
    assert result.warnings == ()


# -- UTF-16 and UTF-32 without a byte-order mark -------------------------------------------------


@pytest.mark.parametrize("codec", corpus.WIDE_CODECS)
def test_wide_text_without_a_byte_order_mark_is_read_and_said_so(session, tmp_path, codec):
    document, result = imported(
        session, corpus.write(tmp_path, "wide.txt", corpus.wide_text(codec))
    )
    assert document.body == (corpus.RUSSIAN + corpus.PARAGRAPHS[0]).strip()
    assert result.warnings == (f"no byte-order mark; read as {corpus.WIDE_LABELS[codec]}",)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_english_only_utf16_without_a_mark_is_read(session, tmp_path, codec):
    data = "\n".join(corpus.PARAGRAPHS).encode(codec)
    document, result = imported(session, corpus.write(tmp_path, "english.txt", data))
    assert document.body == "\n".join(corpus.PARAGRAPHS)
    assert result.warnings == (f"no byte-order mark; read as {corpus.WIDE_LABELS[codec]}",)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\n" + corpus.wide_text("utf-16-le"), "its length (635 bytes) is not a multiple of 2"),
        (
            "Кремль заявил".encode("utf-16-le") + b"\x00\xd8" + " ответ".encode("utf-16-le"),
            "it does not decode as UTF-16LE (byte 26)",
        ),
    ],
    ids=["odd-length", "lone-surrogate"],
)
def test_what_looks_like_utf16_but_cannot_be_read_says_so_not_binary(
    session, tmp_path, data, reason
):
    message = refused(session, corpus.write(tmp_path, "broken16.txt", data))
    assert message == f"looks like UTF-16 without a byte-order mark, but {reason}"


def test_wide_text_with_a_byte_order_mark_needs_no_warning(session, tmp_path):
    data = codecs.BOM_UTF16_LE + corpus.RUSSIAN.encode("utf-16-le")
    document, result = imported(session, corpus.write(tmp_path, "bom16.txt", data))
    assert document.body == corpus.RUSSIAN.strip()
    assert result.warnings == ()


def test_binary_data_is_still_refused_as_binary(session, tmp_path):
    for name, data in {
        "blob.txt": bytes(range(256)) * 10,
        "controls.txt": b"\x00\x01\x02" * 100,
    }.items():
        assert refused(session, corpus.write(tmp_path, name, data)) == "binary data, not text"
