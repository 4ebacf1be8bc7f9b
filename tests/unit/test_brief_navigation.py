"""Every outline entry and every Contents link lands on its section's page (issue 13).

The brief holds pages back until the end (for "Page X of Y"); a bookmark made meanwhile
used to bind to page 1. Read back with pypdf: a section's page is the page on which its
heading is drawn (14 pt bold, the h1 style) and whose text contains it; each outline entry's
destination and each Contents link's destination must be that page.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, NameObject, TextStringObject

from bench.brief_bench import EpisodeSize, make_episode
from briefs.build import build_brief
from briefs.model import SECTION_TITLES, BriefOptions
from briefs.notice import NOTICE_TITLE
from workstation.services import create_session
from workstation.services.sample import load_sample

ISSUED = datetime(2021, 4, 16, 9, 30, tzinfo=UTC)
HEADING_SIZE = 14  # briefs.styles PARAGRAPHS["h1"]
PAGE_ONE_HEADING_SIZE = 11  # PARAGRAPHS["h2"]: page 1's headings
CONTENTS_PAGE = 1  # the contents open page 2: page 1 is the manager's page (kept to one)
CONTENTS_SIZE = 10  # briefs.contents FONT_SIZE
LONG = EpisodeSize(pages=20, events=26, excerpts_per_event=2, judgments=6, budget_s=None, runs=1)


def _reader(tmp_path_factory, name: str, fill) -> PdfReader:
    path = tmp_path_factory.mktemp(name) / "ws.sqlite"
    with create_session(path, author="tester") as session:
        fill(session)
        built = build_brief(
            session, None, BriefOptions(issued_at=ISSUED, format="full"), record=False
        )
    return PdfReader(io.BytesIO(built.pdf))


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> PdfReader:
    return _reader(tmp_path_factory, "sample", load_sample)


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> PdfReader:
    return _reader(tmp_path_factory, "long", lambda session: make_episode(session, LONG))


@pytest.fixture(scope="module")
def transliterated_pdf(tmp_path_factory) -> PdfReader:
    """A brief with the closing notice (a section beyond SECTION_TITLES)."""

    def fill(session):
        load_sample(session)
        episode = session.episodes.list_episodes()[0]
        session.episodes.edit(episode.id, outlook="Beijing 中国 is watching.")

    return _reader(tmp_path_factory, "notice", fill)


# -- reading the PDF back ------------------------------------------------------------------


def _drawn(page) -> list[tuple[str, float, float, str]]:
    """``(text, size, absolute baseline y, base font)`` of each run of text on ``page``."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), size, y, str(font.get("/BaseFont", "")) if font else ""))

    page.extract_text(visitor_text=visit)
    return runs


def headings_drawn(reader: PdfReader) -> dict[str, tuple[int, float]]:
    """Title → (index of the page its heading is drawn on, its baseline y); each once."""
    found: dict[str, list[tuple[int, float]]] = {}
    for index, page in enumerate(reader.pages):
        for text, size, y, font in _drawn(page):
            if size in (HEADING_SIZE, PAGE_ONE_HEADING_SIZE) and "Bold" in font:
                found.setdefault(text, []).append((index, y))
    assert all(len(places) == 1 for places in found.values()), found
    return {title: places[0] for title, places in found.items()}


def heading_pages(reader: PdfReader) -> dict[str, int]:
    return {title: page for title, (page, _y) in headings_drawn(reader).items()}


def _page_index(reader: PdfReader, destination) -> int:
    if isinstance(destination, TextStringObject | NameObject | str):
        return reader.get_destination_page_number(reader.named_destinations[str(destination)])
    array = destination if isinstance(destination, ArrayObject) else destination.get_object()
    return reader.get_page_number(reader.get_object(array[0].indirect_reference))


def link_destinations(reader: PdfReader, page_index: int) -> list[tuple[list[float], int]]:
    """``(rect, target page index)`` of each internal link on a page (/Dest or /A GoTo)."""
    links = []
    for annotation in reader.pages[page_index].get("/Annots") or []:
        annotation = annotation.get_object()
        if annotation.get("/Subtype") != "/Link":
            continue
        if "/Dest" in annotation:
            destination = annotation["/Dest"]
        else:
            action = annotation["/A"].get_object()
            assert action["/S"] == "/GoTo", action
            destination = action["/D"]
        links.append(([float(v) for v in annotation["/Rect"]], _page_index(reader, destination)))
    return links


def contents_lines(reader: PdfReader) -> dict[str, float]:
    """Contents entry title → its baseline y on the first page."""
    return {
        text: y
        for text, size, y, font in _drawn(reader.pages[CONTENTS_PAGE])
        if size == CONTENTS_SIZE and "Bold" not in font and not text.startswith(".")
    }


# -- the checks ----------------------------------------------------------------------------


def check_outline(reader: PdfReader) -> dict[str, int]:
    drawn = headings_drawn(reader)
    outline = [item for item in reader.outline if not isinstance(item, list)]
    assert outline, "no outline"
    for item in outline:
        expected, baseline = drawn[item.title]
        assert reader.get_destination_page_number(item) == expected, item.title
        assert item.title in reader.pages[expected].extract_text()
        # an exact spot just above the heading, not the page top
        assert item["/Type"] == "/XYZ"
        assert baseline < float(item["/Top"]) <= baseline + 40, item.title
    return heading_pages(reader)


def check_contents_links(reader: PdfReader, headings: dict[str, int]) -> int:
    lines = contents_lines(reader)
    links = link_destinations(reader, CONTENTS_PAGE)
    linked = 0
    for title, y in lines.items():
        if title not in headings:
            continue  # a page number or the dot leader, not a title
        hits = [target for (x1, y1, x2, y2), target in links if y1 <= y <= y2]
        assert hits == [headings[title]], (title, hits, headings[title])
        linked += 1
    assert linked == len(links), "a contents link matches no contents line"
    return linked


def test_sample_outline_entries_land_on_their_sections(sample_pdf):
    headings = check_outline(sample_pdf)
    # Contents, the nine sections, and page 1's "Who answered whom" and "What to watch"
    assert len(sample_pdf.outline) == 12
    assert len(set(headings.values())) > 4  # the sections really are spread over pages
    for title in SECTION_TITLES.values():
        assert title in headings


def test_sample_contents_links_land_on_their_sections(sample_pdf):
    headings = heading_pages(sample_pdf)
    assert check_contents_links(sample_pdf, headings) == len(SECTION_TITLES)


def test_long_episode_navigation(long_pdf):
    assert len(long_pdf.pages) >= 10
    headings = check_outline(long_pdf)
    assert max(headings.values()) >= 8  # the annex is far from page 1
    assert check_contents_links(long_pdf, headings) == len(SECTION_TITLES)


def test_the_closing_notice_is_reachable_too(transliterated_pdf):
    headings = check_outline(transliterated_pdf)
    assert NOTICE_TITLE in headings and headings[NOTICE_TITLE] > 0
    assert check_contents_links(transliterated_pdf, headings) == len(SECTION_TITLES) + 1
