"""Issue and provenance, and markings (issue 13): Issued vs Information as of, reproducible
bytes, the byline setting, FINAL refusals, TLP 2.0 labels and free-text markings."""

from __future__ import annotations

import getpass
import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from briefs import banner, styles
from briefs.build import build_brief
from briefs.compose import BriefError, compose_brief
from briefs.marking import TLP_MEANINGS, MarkingError, meaning, normalise_marking
from briefs.model import BriefOptions
from workstation.domain.dtg import format_dtg
from workstation.services.settings import brief_byline, set_brief_byline

ISSUED = datetime(2021, 4, 16, 9, 30, tzinfo=UTC)
LATER = datetime(2021, 4, 17, 12, 0, 5, tzinfo=UTC)


def first_page(pdf: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def _at(monkeypatch, when: datetime) -> None:
    monkeypatch.setattr("briefs.issue.issue_time", lambda: when)


# -- issued, information as of, reproducible bytes ------------------------------------------


def test_issued_is_now_by_default_and_information_as_of_the_newest_content(
    sample_session, monkeypatch
):
    episode = sample_session.episodes.resolve(None)
    event = sample_session.episodes.events(episode.id)[2]
    sample_session.episodes.edit_event(event.id, summary="Edited last.")
    (edited,) = [e for e in sample_session.episodes.events(episode.id) if e.id == event.id]
    newest = edited.updated_at
    _at(monkeypatch, LATER)
    built = build_brief(sample_session, None, BriefOptions(), record=False)
    brief = built.brief
    assert brief.issued_at == LATER and brief.dtg == "171200Z APR 21"
    as_of = datetime.fromisoformat(newest.replace("Z", "+00:00"))
    assert brief.information_as_of == as_of
    text = first_page(built.pdf)
    assert "Issued 171200Z APR 21" in text
    assert f"Information as of {format_dtg(as_of)}" in text


def test_without_issued_the_bytes_differ_only_by_the_issue_time(sample_session, monkeypatch):
    _at(monkeypatch, ISSUED)
    at_first = build_brief(sample_session, None, BriefOptions(), record=False).pdf
    _at(monkeypatch, LATER)
    at_later = build_brief(sample_session, None, BriefOptions(), record=False).pdf
    assert at_first != at_later
    # the same time given explicitly gives the very same bytes
    for when, pdf in ((ISSUED, at_first), (LATER, at_later)):
        explicit = build_brief(sample_session, None, BriefOptions(issued_at=when), record=False)
        assert explicit.pdf == pdf


def test_same_state_and_options_including_issued_give_the_same_bytes(sample_session, monkeypatch):
    options = BriefOptions(issued_at=ISSUED, marking="TLP:RED", status="FINAL")
    first = build_brief(sample_session, None, options, record=False).pdf
    assert build_brief(sample_session, None, options, record=False).pdf == first
    # ReportLab would take its dates from SOURCE_DATE_EPOCH: the issue time wins
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_brief(sample_session, None, options, record=False).pdf == first


def test_information_as_of_is_part_of_the_signature(sample_session):
    """Two PDFs that differ in "Information as of" never share a brief id."""
    from dataclasses import replace

    from briefs.compose import _signature

    brief = compose_brief(sample_session, None, BriefOptions(issued_at=ISSUED))
    assert _signature(replace(brief, information_as_of=LATER)) != _signature(brief)


# -- the byline ------------------------------------------------------------------------------


def test_the_byline_comes_from_the_setting_never_the_login(sample_session):
    login = getpass.getuser()
    unset = build_brief(sample_session, None, BriefOptions(issued_at=ISSUED), record=False)
    assert "Author / desk (author not set)" in first_page(unset.pdf)
    assert PdfReader(io.BytesIO(unset.pdf)).metadata.author == "(author not set)"
    assert unset.brief.author == "" and sample_session.author == "tester"

    set_brief_byline("Anna Petrova", "Russia desk")
    assert brief_byline() == ("Anna Petrova", "Russia desk")
    built = build_brief(sample_session, None, BriefOptions(issued_at=ISSUED), record=False)
    text = first_page(built.pdf)
    assert "Author / desk Anna Petrova, Russia desk" in text
    assert PdfReader(io.BytesIO(built.pdf)).metadata.author == "Anna Petrova, Russia desk"
    byline = text.split("Author / desk")[1].split("Status")[0]
    assert login not in byline and "tester" not in byline

    chosen = BriefOptions(issued_at=ISSUED, author="Ivan Sidorov", desk="")
    overridden = compose_brief(sample_session, None, chosen)
    assert overridden.byline == "Ivan Sidorov"
    assert build_brief(sample_session, None, chosen, record=False).pdf != built.pdf


def test_the_byline_setting_survives_a_damaged_file(isolated_data_dir):
    set_brief_byline("  Anna   Petrova ", "")
    assert brief_byline() == ("Anna Petrova", "")
    (isolated_data_dir / "settings.json").write_text("{not json", encoding="utf-8")
    assert brief_byline() == ("", "")
    set_brief_byline("", "Russia desk")
    assert brief_byline() == ("", "Russia desk")


# -- FINAL ---------------------------------------------------------------------------------


def test_final_refuses_an_empty_episode_naming_what_is_missing(session):
    session.episodes.create("Nothing yet")
    with pytest.raises(BriefError) as refused:
        compose_brief(session, None, BriefOptions(status="FINAL"))
    message = str(refused.value)
    assert "\n" not in message
    for missing in ("no key judgments", "no events", "no sources"):
        assert missing in message
    assert "DRAFT" in message
    build_brief(session, None, BriefOptions(status="DRAFT"), record=False)  # still fine


def test_final_names_only_what_is_missing(session):
    episode = session.episodes.create("Half done").record
    session.episodes.add_event(episode.id, date="2021-04-15", kind="sanction", title="Listing")
    with pytest.raises(BriefError) as refused:
        compose_brief(session, None, BriefOptions(status="FINAL"))
    message = str(refused.value)
    assert "no key judgments" in message and "no sources" in message
    assert "no events" not in message


def test_final_is_issued_when_all_is_there(sample_session):
    built = build_brief(
        sample_session, None, BriefOptions(status="FINAL", issued_at=ISSUED), record=False
    )
    assert "Status FINAL" in first_page(built.pdf)


# -- markings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("tlp:amber", "TLP:AMBER"),
        (" TLP:Amber+Strict ", "TLP:AMBER+STRICT"),
        ("tlp: red", "TLP:RED"),
        ("TLP:GREEN", "TLP:GREEN"),
        ("Tlp:Clear", "TLP:CLEAR"),
        ("", "TLP:AMBER"),
        ("INTERNAL — DESK ONLY", "INTERNAL — DESK ONLY"),
        ("  Not for onward release ", "Not for onward release"),
    ],
)
def test_markings_are_normalised(given, shown):
    assert normalise_marking(given) == shown


def test_tlp_white_is_refused_with_its_tlp_2_name():
    with pytest.raises(MarkingError) as refused:
        normalise_marking("TLP:WHITE")
    message = str(refused.value)
    assert "TLP 2.0" in message and "TLP:CLEAR" in message and "\n" not in message
    with pytest.raises(MarkingError):
        normalise_marking("tlp:white")


@pytest.mark.parametrize("label", ["TLP:PURPLE", "TLP:", "TLP:AMBER-STRICT", "TLP:REDACTED"])
def test_other_tlp_labels_are_refused(label):
    with pytest.raises(MarkingError, match=r"TLP 2\.0 has"):
        normalise_marking(label)


def test_a_refused_marking_stops_the_brief_with_one_line(sample_session):
    with pytest.raises(BriefError, match="TLP:CLEAR"):
        compose_brief(sample_session, None, BriefOptions(marking="TLP:WHITE"))
    episode = sample_session.episodes.resolve(None)
    sample_session.episodes.edit(episode.id, marking="TLP:WHITE")
    with pytest.raises(BriefError, match="episode's default marking"):
        compose_brief(sample_session, None, BriefOptions())
    with pytest.raises(BriefError, match="at most 500"):
        compose_brief(sample_session, None, BriefOptions(marking="X" * 501))


def test_every_tlp_label_tells_recipients_what_it_allows(sample_session):
    assert set(TLP_MEANINGS) == set(styles.TLP_COLOURS)
    for label, allows in TLP_MEANINGS.items():
        built = build_brief(
            sample_session,
            None,
            BriefOptions(marking=label.lower(), issued_at=ISSUED),
            record=False,
        )
        assert built.brief.marking == label
        assert f"{label}: {allows}" in first_page(built.pdf)
    assert meaning("TLP:AMBER").startswith("Limited disclosure: recipients may share with")
    free = build_brief(
        sample_session, None, BriefOptions(marking="DESK ONLY", issued_at=ISSUED), record=False
    )
    assert "Limited disclosure" not in first_page(free.pdf)


LONG_MARKING = (
    "RESTRICTED HANDLING — for the named desk heads and the ministry liaison only; do not "
    "forward, print or copy; return or destroy after reading; questions to the Russia desk. "
) * 3


def test_a_300_character_marking_wraps_inside_the_banner(sample_session):
    marking = LONG_MARKING[:300].strip()
    assert len(marking) >= 295
    built = build_brief(
        sample_session, None, BriefOptions(marking=marking, issued_at=ISSUED), record=False
    )
    reader = PdfReader(io.BytesIO(built.pdf))
    page = styles.PAGE
    width = page["width"] - page["left"] - page["right"]
    layout = banner.layout(marking, width)
    assert 1 < len(layout.lines) <= 6 and layout.size >= 8
    top_edge = page["height"] - banner.EDGE  # top banner: from here down by its height
    bottom_top = banner.EDGE + layout.height  # bottom banner: from the edge up to here
    for index, pdf_page in enumerate(reader.pages):
        runs = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                bold = font is not None and "Bold" in str(font.get("/BaseFont"))
                runs.append((" ".join(text.split()), size, y, bold))

        pdf_page.extract_text(visitor_text=visit)
        # the banner's runs: bold at the banner's size (the contents page numbers, drawn
        # in forms, come back with form-relative positions: not banner text)
        marked = [r[:3] for r in runs if r[3] and r[1] == layout.size]
        top = [r for r in marked if r[2] > top_edge - layout.height]
        bottom = [r for r in marked if r[2] < bottom_top]
        # every word of the marking is in each banner, inside its box
        for lines in (top, bottom):
            assert " ".join(r[0] for r in lines) == " ".join(marking.split()), index
        for _text, size, y in top:
            assert top_edge - layout.height < y and y + size * 0.8 < top_edge
        for _text, size, y in bottom:
            assert y > banner.EDGE and y + size * 0.8 < bottom_top
        footer = [r for r in runs if r[0].startswith(f"Page {index + 1} of")]
        assert footer and footer[0][2] > bottom_top  # the footer sits above the banner
        assert footer[0][2] + 8 < layout.margin  # and below the text frame
    footer_text = reader.pages[0].extract_text()
    assert re.search(r"RESTRICTED HANDLING — .*…", footer_text)  # cut to fit the footer


def test_a_tlp_label_keeps_the_one_line_banner(sample_session):
    page = styles.PAGE
    width = page["width"] - page["left"] - page["right"]
    for label in TLP_MEANINGS:
        layout = banner.layout(label, width)
        assert len(layout.lines) == 1 and layout.size == 12
        assert layout.height == page["banner_height"] and layout.margin == page["top"]
