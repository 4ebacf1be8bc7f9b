"""`workstation brief` and issue 13: FINAL refusals, TLP rules, byline, issue time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from tests.helpers.cli import run
from workstation.services import open_session


@pytest.fixture
def ws(tmp_path):
    return tmp_path / "ws.sqlite"


def test_brief_final_on_an_empty_episode_is_refused_in_one_line(capsys, ws, tmp_path):
    run(capsys, "--workspace", ws, "init")
    with open_session(ws) as session:
        session.episodes.create("Nothing yet")
    out_pdf = tmp_path / "b.pdf"
    code, _, err = run(capsys, "--workspace", ws, "brief", "--out", out_pdf, "--status", "FINAL")
    assert code == 1 and err.count("\n") == 1
    for missing in ("no key judgments", "no events", "no sources"):
        assert missing in err
    assert not out_pdf.exists()
    code, out, _ = run(capsys, "--workspace", ws, "brief", "--out", out_pdf)
    assert code == 0 and "DRAFT" in out


def test_brief_tlp_labels_are_normalised_or_refused(capsys, ws, tmp_path):
    run(capsys, "--workspace", ws, "init", "--sample")
    out_pdf = tmp_path / "b.pdf"
    code, out, err = run(
        capsys, "--workspace", ws, "brief", "--out", out_pdf, "--marking", "tlp:amber+strict"
    )
    assert code == 0, err
    assert "TLP:AMBER+STRICT" in out
    first = PdfReader(out_pdf).pages[0].extract_text()
    assert "TLP:AMBER+STRICT" in first and "tlp:amber" not in first
    refused = tmp_path / "white.pdf"
    code, _, err = run(
        capsys, "--workspace", ws, "brief", "--out", refused, "--marking", "TLP:WHITE"
    )
    assert code == 1 and err.count("\n") == 1
    assert "TLP 2.0" in err and "TLP:CLEAR" in err
    code, _, err = run(
        capsys, "--workspace", ws, "brief", "--out", refused, "--marking", "TLP:BLUE"
    )
    assert code == 1 and err.count("\n") == 1 and "TLP:BLUE" in err
    assert not refused.exists()


def test_brief_byline_and_issue_time(capsys, ws, tmp_path, monkeypatch):
    run(capsys, "--workspace", ws, "init", "--sample")
    out_pdf = tmp_path / "b.pdf"
    args = ["--workspace", ws, "brief", "--out", out_pdf, "--author", "Anna Petrova"]
    code, _, err = run(capsys, *args, "--desk", "Russia desk")
    assert code == 0, err
    reader = PdfReader(out_pdf)
    assert reader.metadata.author == "Anna Petrova, Russia desk"
    issued = reader.metadata.creation_date
    now = datetime.now(UTC)
    assert abs((now - issued).total_seconds()) < 120  # issued now, not at the newest edit
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Information as of" in text

    # The same state and options, --issued included, give the same bytes.
    again = tmp_path / "again.pdf"
    fixed = ["--issued", "2021-04-16T09:30:00Z"]
    run(capsys, *args, *fixed)
    first = out_pdf.read_bytes()
    code, out, _ = run(
        capsys, "--workspace", ws, "brief", "--out", again, "--author", "Anna Petrova", *fixed
    )
    assert code == 0 and again.read_bytes() == first and "already recorded" in out


def test_brief_formats_and_sections(capsys, ws, tmp_path):
    run(capsys, "--workspace", ws, "init", "--sample")
    one = tmp_path / "one.pdf"
    code, _, err = run(capsys, "--workspace", ws, "brief", "--out", one, "--format", "one-page")
    assert code == 0, err
    assert len(PdfReader(one).pages) == 1
    full = tmp_path / "full.pdf"
    code, _, err = run(capsys, "--workspace", ws, "brief", "--out", full, "--format", "full")
    assert code == 0, err
    assert "Annex: evidence excerpts" in " ".join(p.extract_text() for p in PdfReader(full).pages)
    some = tmp_path / "some.pdf"
    code, _, err = run(
        capsys, "--workspace", ws, "brief", "--out", some, "--sections", "bluf,judgments,outlook"
    )
    assert code == 0, err
    text = " ".join(p.extract_text() for p in PdfReader(some).pages)
    assert "Outlook" in text and "Actors" not in text and "[1]" not in text
    code, _, err = run(capsys, "--workspace", ws, "brief", "--out", some, "--sections", "gossip")
    assert code != 0 and "gossip" in err
