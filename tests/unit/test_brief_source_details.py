"""The brief's source list as a reference is written — outlet, “title”, date, grade — from
the document details the officer edited; what was never recorded is said, not left out."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from pypdf import PdfReader

from briefs.build import build_brief
from briefs.model import BriefOptions
from workstation.services import create_session
from workstation.services.sample import load_sample

ISSUED = datetime(2021, 4, 16, 9, 30, tzinfo=UTC)


def _sources_text(session) -> str:
    options = BriefOptions(issued_at=ISSUED, format="full")
    built = build_brief(session, None, options, record=False)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(built.pdf)).pages)
    start = text.rindex("Sources")
    end = text.index("Changes since", start)
    return " ".join(text[start:end].split())


def test_source_lines_carry_outlet_title_and_date(tmp_path):
    with create_session(tmp_path / "ws.sqlite", author="tester") as session:
        load_sample(session)
        documents = {d.title: d.id for d in session.documents.list_documents()}
        before = _sources_text(session)
        # Honest about what is missing before the details are edited.
        assert re.search(r"no outlet recorded, “Russia-US Relations”, no date recorded\.", before)

        session.documents.edit_details(
            documents["Russia-US Relations"],
            title="Russia retaliates against US sanctions",
            outlet="TASS",
            published="2021-04-16T14:30+03:00",
            reliability="B",
            credibility="2",
        )
        session.documents.edit_details(
            documents["Biden imposes new sanctions on Russia and expels ten diplomats"],
            outlet="Interfax",
        )
        after = _sources_text(session)
    assert (
        "TASS, “Russia retaliates against US sanctions”, 16 Apr 2021 14:30 UTC+03:00. Grade B2"
        in after
    ), after
    assert (
        "Interfax, “Biden imposes new sanctions on Russia and expels ten diplomats”, "
        "15 Apr 2021. Grade C2" in after
    ), after
    assert "no outlet recorded" not in after and "no date recorded" not in after
