"""Formats and page 1 (issue 13): one-page is one page, standard is short, page 1 answers
what happened, how sure we are and why, who answered whom and what to watch; references
never point at a section left out; the graphic keeps every answer arrow at any size."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from bench.brief_bench import EpisodeSize, make_episode
from briefs import styles
from briefs.build import _recorded_options, build_brief
from briefs.compose import compose_brief
from briefs.graphic import timeline_drawings
from briefs.model import BriefError, BriefOptions
from briefs.pageone import chain, paragraph_of
from workstation.services import create_session
from workstation.services.sample import load_sample

ISSUED = datetime(2021, 4, 16, 9, 30, tzinfo=UTC)
SIXTY = EpisodeSize(pages=36, events=60, excerpts_per_event=3, judgments=6, budget_s=None, runs=1)
WATCH = ["Next EU Council decision on listings", "Whether Moscow names more unfriendly states"]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def sample_session(tmp_path_factory):
    with create_session(tmp_path_factory.mktemp("f") / "ws.sqlite", author="tester") as s:
        load_sample(s)
        yield s


@pytest.fixture(scope="module")
def sixty_session(tmp_path_factory):
    with create_session(tmp_path_factory.mktemp("g") / "ws.sqlite", author="tester") as s:
        episode = make_episode(s, SIXTY)
        s.episodes.edit(episode, watch=WATCH)
        yield s


def _build(session, fmt: str, **kwargs):
    options = BriefOptions(issued_at=ISSUED, format=fmt, **kwargs)
    return build_brief(session, None, options, record=False)


@pytest.mark.parametrize("fixture", ["sample_session", "sixty_session"])
def test_one_page_is_one_page(request, fixture):
    built = _build(request.getfixturevalue(fixture), "one-page")
    assert len(_pages(built.pdf)) == 1


def test_standard_sample_is_at_most_five_pages_and_full_has_the_annex(sample_session):
    assert len(_pages(_build(sample_session, "standard").pdf)) <= 5
    full = " ".join(_pages(_build(sample_session, "full").pdf))
    assert "Annex: evidence excerpts" in full
    assert "Measures and counter-measures" in full


@pytest.mark.parametrize("fmt", ["one-page", "standard", "full"])
def test_page_one_answers_the_manager(sample_session, fmt):
    built = _build(sample_session, fmt)
    brief = built.brief
    first = _flat(_pages(built.pdf)[0])
    assert _flat(brief.bottom_line) in first
    for j in brief.judgments:
        assert _flat(f"We judge this {j.likelihood}") in first
        assert _flat(f"{j.confidence} confidence: {j.basis}") in first
    assert brief.chain and all(_flat(line) in first for line in brief.chain)
    assert len(brief.watch) >= 3 and all(_flat(item) in first for item in brief.watch)
    assert _flat(brief.source_summary) in first
    assert re.match(r"Sources: \d+ articles?\b.*, graded ", brief.source_summary)
    if fmt != "one-page":
        assert "Contents" not in _pages(built.pdf)[0]
        assert "Contents" in _pages(built.pdf)[1]


def test_sixty_events_page_one_has_watch_and_a_short_chain(sixty_session):
    built = _build(sixty_session, "one-page")
    first = _flat(_pages(built.pdf)[0])
    assert all(_flat(item) in first for item in WATCH)
    assert "earlierexchange" in first  # the chain is cut, and says so
    assert "seethetimeline" not in first  # one-page has no timeline to point at
    for j in built.brief.judgments:
        assert _flat(f"We judge this {j.likelihood}") in first


def test_chain_lines_follow_responds_to(sample_session):
    brief = compose_brief(sample_session, None, BriefOptions(issued_at=ISSUED))
    lines = chain(brief.timeline)
    assert any("→" in line for line in lines)
    assert any("US expels ten Russian diplomats" in line for line in lines)


def test_no_reference_to_a_section_left_out(sample_session):
    built = _build(sample_session, "standard", sections=("bluf", "judgments", "timeline"))
    text = " ".join(_pages(built.pdf))
    assert not re.search(r"\[\d+\]", text)
    assert not re.search(r"\bE\s?\d+\b", text)
    assert "15 Apr 2021)" in text  # cited inline: (outlet or title, date)
    with_sources = " ".join(_pages(_build(sample_session, "standard").pdf))
    assert re.search(r"\[\d+\]", with_sources)
    assert not re.search(r"\bE\d+\b", with_sources)  # standard has no annex


def test_sixty_event_graphic_keeps_every_answer_arrow(sixty_session):
    brief = compose_brief(sixty_session, None, BriefOptions(issued_at=ISSUED))
    width = styles.PAGE["width"] - styles.PAGE["left"] - styles.PAGE["right"]
    drawings = timeline_drawings(brief.timeline, width)
    assert len(drawings) > 1
    links = {(e.responds_to, e.event_id) for e in brief.timeline if e.responds_to}
    inside = {(a.source, a.target) for d in drawings for a in d.arrows}
    ins = {(a.source, a.target) for d in drawings for a in d.continued_in}
    outs = {(a.source, a.target) for d in drawings for a in d.continued_out}
    assert ins, "the 60-event timeline has answers across a page break"
    assert ins == outs  # a marker on both sides of every break
    assert inside | ins == links
    assert not inside & ins


def test_lanes_are_configurable_and_labels_never_cut(sample_session):
    brief = compose_brief(sample_session, None, BriefOptions(issued_at=ISSUED))
    actors = {e.actor for e in brief.timeline}
    (drawing,) = timeline_drawings(brief.timeline, 480, max_lanes=len(actors))
    texts = [s.text for s in drawing.contents if hasattr(s, "text")]
    assert "Others" not in texts
    assert not any("…" in t for t in texts[: len(actors) * 3])
    (fewer,) = timeline_drawings(brief.timeline, 480, max_lanes=3)
    assert "Others" in [s.text for s in fewer.contents if hasattr(s, "text")]


def test_annex_by_paragraph_with_offsets_in_the_record(sample_session):
    built = _build(sample_session, "full")
    text = " ".join(_pages(built.pdf))
    assert re.search(r"¶\s?\d+", text)
    assert not re.search(r"characters \d+–\d+", text)
    recorded = _recorded_options(built.brief, BriefOptions(format="full"))
    excerpt = built.brief.excerpts[0]
    assert recorded["excerpt_offsets"][excerpt.annotation_id][:2] == [excerpt.start, excerpt.end]


def test_paragraph_of_counts_blank_line_paragraphs():
    body = "One.\n\nTwo, still two.\nAnd two.\n\nThree."
    assert paragraph_of(body, 0) == 1
    assert paragraph_of(body, body.index("still")) == 2
    assert paragraph_of(body, body.index("Three")) == 3
    assert paragraph_of("a\nb\nc", 4) == 3


def test_one_page_refuses_with_what_to_cut(sample_session):
    episode = sample_session.episodes.list_episodes()[0]
    before = episode.bottom_line
    sample_session.episodes.edit(episode.id, bottom_line="Too long to fit. " * 600)
    try:
        with pytest.raises(BriefError, match="shorten the bottom line"):
            _build(sample_session, "one-page")
    finally:
        sample_session.episodes.edit(episode.id, bottom_line=before)


def test_watch_list_is_stored_on_the_episode(sample_session):
    episode = sample_session.episodes.list_episodes()[0]
    assert len(episode.watch) == 4
    before = list(episode.watch)
    sample_session.episodes.edit(episode.id, watch=["a", " ", "b "])
    try:
        assert sample_session.episodes.get(episode.id).watch == ["a", "b"]
    finally:
        sample_session.episodes.edit(episode.id, watch=before)


def test_unknown_format_is_refused(sample_session):
    with pytest.raises(BriefError, match="format"):
        compose_brief(sample_session, None, BriefOptions(format="two-page"))
