"""The brief read back with pypdf: content, order, furniture, fonts, safety, reproducibility."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefs.build import build_brief, render_pdf
from briefs.compose import compose_brief
from briefs.model import SECTION_TITLES, BriefOptions
from workstation.importers import DocumentDraft
from workstation.services import create_session
from workstation.services.sample import load_sample

ISSUED = datetime(2021, 4, 16, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def sample_brief(tmp_path_factory):
    path = tmp_path_factory.mktemp("brief") / "ws.sqlite"
    with create_session(path, author="tester") as session:
        load_sample(session)
        options = BriefOptions(
            issued_at=ISSUED,
            distribution="Desk heads",
            author="Anna Petrova",
            desk="Russia desk",
            format="full",
        )
        built = build_brief(session, None, options, record=False)
    reader = PdfReader(io.BytesIO(built.pdf))
    pages = [page.extract_text() for page in reader.pages]
    return built, reader, pages


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_sections_appear_in_order_after_the_contents(sample_brief):
    _, _, pages = sample_brief
    text = "\n".join(pages)
    positions = []
    for key in (
        "bluf",
        "judgments",
        "timeline",
        "actors",
        "measures",
        "outlook",
        "sources",
        "changes",
        "annex",
    ):
        title = SECTION_TITLES[key]
        # skip the table of contents: find the heading's last occurrence
        positions.append(text.rindex(title))
    assert positions == sorted(positions)


def test_title_block_carries_id_dtg_status_distribution(sample_brief):
    built, _, pages = sample_brief
    first = pages[0]
    assert built.brief.dtg == "160930Z APR 21"
    for expected in (
        built.brief.brief_id,
        "160930Z APR 21",
        "DRAFT",
        "Desk heads",
        "US–Russia sanctions and reciprocal",
    ):
        assert expected in first


def test_every_page_has_marking_banners_and_page_x_of_y(sample_brief):
    built, _, pages = sample_brief
    total = len(pages)
    assert total > 3
    for number, text in enumerate(pages, start=1):
        assert text.count("TLP:AMBER") >= 3  # two banners and the footer
        assert f"Page {number} of {total}" in text
        assert built.brief.brief_id in text


def test_cyrillic_and_judgment_language(sample_brief):
    _, _, pages = sample_brief
    text = "\n".join(pages)
    # Aliases of those who act or are targeted (the merely mentioned are no longer listed)
    assert "Россия" in text and "Владимир Путин" in text
    assert (
        "We judge this very likely (80–95%). We hold this judgment with moderate "
        "confidence: 1 source graded C2: single-source." in " ".join(text.split())
    )
    assert re.search(r"\[1\]", text)


def test_internal_passages_never_appear(sample_brief):
    built, _, pages = sample_brief
    flat = _flat("\n".join(pages))
    assert _flat("stopped short of listing specific retaliatory actions") not in flat
    assert _flat("Desk comment, internal") not in flat
    assert any("internal" in line for line in built.brief.withheld)


def test_all_fonts_are_embedded_dejavu(sample_brief):
    _, reader, _ = sample_brief
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant.get("/FontDescriptor")
            fonts[str(font["/BaseFont"])] = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVu" in name for name in fonts)


def test_outline_and_metadata(sample_brief):
    built, reader, _ = sample_brief
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    for key in ("bluf", "judgments", "timeline", "annex"):
        assert SECTION_TITLES[key] in outline
    meta = reader.metadata
    assert meta.title == built.brief.title
    assert meta.author == "Anna Petrova, Russia desk"
    assert built.brief.brief_id in meta.subject
    assert "TLP:AMBER" in meta["/Keywords"]


def test_rebuild_is_byte_identical(sample_brief, tmp_path):
    built, _, _ = sample_brief
    assert render_pdf(built.brief) == built.pdf


def test_timeline_graphic_and_tables_are_present(sample_brief):
    _, _, pages = sample_brief
    text = "\n".join(pages)
    assert "Who answered whom" in text
    assert re.search(r"Answers #\d+: US expels ten Russian diplomats", text)
    assert "not recorded" in text or "executive order" in text  # legal basis column


# -- recording and changes since the previous brief ---------------------------------------


def test_second_brief_lists_changes_since_the_first(sample_session):
    episode = sample_session.episodes.resolve(None)
    first = build_brief(sample_session, None, BriefOptions(issued_at=ISSUED))
    assert first.recorded
    again = build_brief(sample_session, None, BriefOptions(issued_at=ISSUED))
    assert not again.recorded and again.pdf == first.pdf
    relabelled = build_brief(
        sample_session, None, BriefOptions(marking="TLP:RED", issued_at=ISSUED), record=False
    )
    assert relabelled.brief.changes == []  # same content, other marking: nothing changed
    event = sample_session.episodes.events(episode.id)[0]
    sample_session.episodes.edit_event(event.id, title="Putin telegram to Biden")
    doc = sample_session.documents.list_documents()[0]
    passage = sample_session.annotations.create(doc.id, 0, 10).record
    sample_session.episodes.add_event(
        episode.id,
        date="2021-04-22",
        kind="statement",
        title="Kremlin names its list",
        evidence=[passage.id],
    )
    second = build_brief(sample_session, None, BriefOptions())
    assert second.recorded
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(second.pdf)).pages)
    text = " ".join(text.split())
    assert f"Since brief {first.brief.brief_id}" in text
    assert "New event: 22 APR 2021 — Kremlin names its list" in text
    assert f"“{event.title}” → “Putin telegram to Biden”" in text  # what changed, field by field
    assert len(sample_session.episodes.briefs(episode.id)) == 2


# -- thin input, glyphs, safety -------------------------------------------------------------


def test_empty_episode_still_yields_a_brief_that_says_what_is_missing(session):
    session.episodes.create("Nothing yet")
    built = build_brief(session, None, BriefOptions(), record=False)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(built.pdf)).pages)
    text = " ".join(text.split())
    assert "No key judgments have been recorded." in text
    assert "No events have been recorded." in text
    assert "Page 1 of" in text


def test_missing_glyphs_are_transliterated_and_listed_instead_of_refused(session):
    session.episodes.create("Beijing 中国 reacts")
    built = build_brief(session, None, BriefOptions(), record=False)
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(built.pdf)).pages
    )
    assert "Beijing ⟦zhong guo⟧ reacts" in text
    assert "Characters shown as transliterations" in text
    assert "U+4E2D U+56FD" in text and "title" in text


def test_free_text_marking_and_options_are_validated(session):
    from briefs.compose import BriefError

    session.episodes.create("Ep")
    built = build_brief(session, None, BriefOptions(marking="INTERNAL — DESK ONLY"), record=False)
    text = PdfReader(io.BytesIO(built.pdf)).pages[0].extract_text()
    assert "INTERNAL — DESK ONLY" in text
    with pytest.raises(BriefError):
        compose_brief(session, None, BriefOptions(status="SECRET"))
    with pytest.raises(BriefError):
        compose_brief(session, None, BriefOptions(sections=("bluf", "gossip")))


def test_unselected_sections_are_left_out(sample_session):
    built = build_brief(
        sample_session, None, BriefOptions(sections=("bluf", "outlook")), record=False
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(built.pdf)).pages)
    assert SECTION_TITLES["outlook"] in text
    assert SECTION_TITLES["annex"] not in text and SECTION_TITLES["timeline"] not in text


MARKUP = [
    '<img src="/etc/passwd"/>',
    '<a href="file:///etc/hosts">x</a>',
    "AT&T",
    "a<b and c>d",
    "<Entity42>",
    "&amp;",
    "<b>bold?</b>",
    "]]>",
    "<br/>",
    "&#x41;",
]


def test_markup_in_user_text_reaches_the_pdf_literally(session):
    doc = session.documents.add(
        DocumentDraft(title="T", text="Quote " + " ".join(MARKUP), origin_name="t.txt")
    ).record
    episode = session.episodes.create("Ep <script> & AT&T").record
    passage = session.annotations.create(doc.id, 0, len(doc.body), note=" ".join(MARKUP)).record
    session.episodes.add_judgment(
        episode.id,
        text="J " + " ".join(MARKUP),
        likelihood_term="likely",
        confidence="low",
        cited=[passage.id],
    )
    built = build_brief(session, None, BriefOptions(), record=False)
    flat = _flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(built.pdf)).pages))
    for fragment in [*MARKUP, "Ep<script>&AT&T"]:
        assert _flat(fragment) in flat
    assert b"/Subtype /Image" not in built.pdf


# -- property: any user text reaches the PDF unchanged ------------------------------------


_ALPHABET = "".join(
    [chr(c) for c in range(0x21, 0x7F)]
    + [chr(c) for c in range(0x0410, 0x0450)]
    + ["Ё", "ё"]
    + [chr(c) for c in range(0x03B1, 0x03CA)]
    + [chr(c) for c in range(0x0391, 0x03AA) if c != 0x03A2]
    + list("«»—–…“”‘’€№ ")
)
_USER_TEXT = (
    st.lists(
        st.one_of(st.text(alphabet=_ALPHABET, min_size=1, max_size=12), st.sampled_from(MARKUP)),
        min_size=1,
        max_size=5,
    )
    .map(" ".join)
    .filter(lambda t: t.strip())
)


@pytest.fixture(scope="module")
def property_session(tmp_path_factory):
    path = tmp_path_factory.mktemp("prop") / "ws.sqlite"
    with create_session(path, author="tester") as session:
        doc = session.documents.add(
            DocumentDraft(title="Doc", text="Some quoted text here.", origin_name="d.txt")
        ).record
        episode = session.episodes.create("Placeholder").record
        passage = session.annotations.create(doc.id, 0, 10).record
        session.episodes.add_judgment(
            episode.id,
            text="Judgment",
            likelihood_term="likely",
            confidence="low",
            cited=[passage.id],
        )
        yield session, episode.id, passage.id


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=_USER_TEXT, note=_USER_TEXT)
def test_titles_and_notes_are_extracted_unchanged(property_session, title, note):
    session, episode_id, passage_id = property_session
    session.episodes.edit(episode_id, title=title)
    session.annotations.edit(passage_id, note=note)
    brief = compose_brief(session, None, BriefOptions(issued_at=ISSUED, format="full"))
    pdf = render_pdf(brief)
    flat = _flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert _flat(title) in flat
    assert _flat(note) in flat


def test_contents_page_numbers_point_at_the_headings(sample_brief):
    _, reader, pages = sample_brief
    contents = " ".join(pages[1].split())  # page 1 is the manager's page; contents follow
    for key in ("judgments", "timeline", "actors", "measures", "sources", "annex"):
        title = SECTION_TITLES[key]
        match = re.search(re.escape(title) + r"[ .]*?(\d+)", contents)
        assert match, title
        page = int(match.group(1))
        assert title in pages[page - 1]
    assert len(reader.outline) >= 9


def test_withheld_items_do_not_leak_through_the_changes_section(sample_session):
    episode = sample_session.episodes.resolve(None)
    build_brief(sample_session, None, BriefOptions())
    event = next(
        e
        for e in sample_session.episodes.events(episode.id)
        if e.title.startswith("US announces closure")
    )
    for evidence in sample_session.episodes.evidence_of(event.id):
        sample_session.annotations.edit(evidence.annotation_id, releasable=False)
    second = build_brief(sample_session, None, BriefOptions())
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(second.pdf)).pages
    )
    assert "US announces closure" not in text
    assert "1 event no longer in this brief" in text
    assert any("rests only on internal passages" in w for w in second.brief.withheld)


def test_different_pdfs_never_share_a_brief_id(sample_session):
    built = [
        build_brief(sample_session, None, BriefOptions(marking=m, issued_at=ISSUED))
        for m in ("TLP:AMBER", "TLP:RED", "TLP:AMBER")
    ]
    ids = [b.brief.brief_id for b in built]
    by_id: dict[str, bytes] = {}
    for b in built:
        assert by_id.setdefault(b.brief.brief_id, b.pdf) == b.pdf
    assert ids[0] != ids[2]  # the third compares with the RED brief: a different PDF
