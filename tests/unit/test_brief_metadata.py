"""The PDF's own description of the brief (issue 13): /Lang, DisplayDocTitle, XMP, dates
equal to the issue time, and a distinct tag for every font subset."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from briefs import issue
from briefs.build import build_brief
from briefs.model import BriefOptions

ISSUED = datetime(2021, 4, 16, 9, 30, tzinfo=UTC)
NAIVE_ISSUED = ISSUED.replace(tzinfo=None)  # pypdf reads XMP dates without a zone


@pytest.fixture
def built(sample_session):
    options = BriefOptions(issued_at=ISSUED, author="Anna Petrova", desk="Russia desk")
    return build_brief(sample_session, None, options, record=False)


@pytest.fixture
def reader(built) -> PdfReader:
    return PdfReader(io.BytesIO(built.pdf))


def test_language_and_display_doc_title(reader):
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a PDF boolean)


def test_the_language_is_the_episodes_when_it_has_one():
    assert issue.language(SimpleNamespace(language="ru")) == "ru"
    assert issue.language(SimpleNamespace(language="pt-BR")) == "pt-BR"
    assert issue.language(SimpleNamespace(language="not a tag!")) == "en"
    assert issue.language(SimpleNamespace()) == "en"  # episodes carry no language today


def test_creation_and_modification_dates_are_the_issue_time(reader):
    meta = reader.metadata
    assert meta.creation_date == ISSUED
    assert meta.modification_date == ISSUED
    assert meta["/CreationDate"] == "D:20210416093000+00'00'"


def test_xmp_says_what_the_info_dictionary_says(built, reader):
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": built.brief.title}
    assert xmp.dc_creator == ["Anna Petrova, Russia desk"]
    assert xmp.dc_date == [NAIVE_ISSUED]
    assert "TLP:AMBER" in xmp.dc_subject and "brief" in xmp.dc_subject
    assert "Russia" in xmp.dc_subject
    assert xmp.dc_description == {"x-default": reader.metadata.subject}
    assert xmp.dc_language == ["en"]
    assert xmp.dc_format == "application/pdf"
    assert xmp.xmp_create_date == NAIVE_ISSUED
    assert xmp.xmp_modify_date == NAIVE_ISSUED
    assert xmp.xmp_creator_tool == "workstation"
    assert xmp.pdf_producer == reader.metadata.producer == "workstation (ReportLab)"
    assert xmp.pdf_keywords == reader.metadata["/Keywords"]
    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    assert stream["/Type"] == "/Metadata" and stream["/Subtype"] == "/XML"
    assert "/Filter" not in stream  # XMP readers expect it uncompressed


def test_xmp_carries_any_title_safely(session):
    title = 'Лавров & <Co> say "no" \u202eevil\u202c \x07'
    session.episodes.create(title)
    built = build_brief(session, None, BriefOptions(issued_at=ISSUED), record=False)
    reader = PdfReader(io.BytesIO(built.pdf))
    shown = reader.xmp_metadata.dc_title["x-default"]
    assert shown == reader.metadata.title  # the same display policy as /Title
    assert shown.startswith("Лавров & <Co>") and "\u202e" not in shown
    assert xmp_title_is_utf8(reader)


def xmp_title_is_utf8(reader: PdfReader) -> bool:
    data = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return "Лавров &amp; &lt;Co&gt;".encode() in data


def _subset_names(reader: PdfReader) -> list[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/"))
    return sorted(names)


def test_every_font_subset_has_its_own_tag(reader, built, sample_session):
    names = _subset_names(reader)
    assert len(names) >= 3  # regular, bold, oblique at least
    tags = [name.split("+")[0] for name in names]
    assert all(re.fullmatch(r"[A-Z]{6}", tag) for tag in tags), names
    assert len(set(tags)) == len(tags), names
    assert "AAAAAA" not in tags
    # deterministic: the same brief names its subsets the same way
    again = build_brief(
        sample_session,
        None,
        BriefOptions(issued_at=ISSUED, author="Anna Petrova", desk="Russia desk"),
        record=False,
    )
    assert _subset_names(PdfReader(io.BytesIO(again.pdf))) == names


def test_many_subsets_of_one_face_get_distinct_tags(session):
    """Over 256 distinct characters split a face into several subsets."""
    cyrillic = "".join(chr(c) for c in range(0x0410, 0x0450))
    greek = "".join(chr(c) for c in range(0x0391, 0x03CA) if c != 0x03A2)
    extra = "".join(chr(c) for c in range(0x00C0, 0x0180))
    session.episodes.create("Alphabets", bottom_line=f"{cyrillic} {greek} {extra}")
    built = build_brief(session, None, BriefOptions(issued_at=ISSUED), record=False)
    names = _subset_names(PdfReader(io.BytesIO(built.pdf)))
    regular = [n for n in names if n.endswith("+DejaVuSans")]
    assert len(regular) >= 2, names
    tags = [n.split("+")[0] for n in names]
    assert len(set(tags)) == len(tags), names
