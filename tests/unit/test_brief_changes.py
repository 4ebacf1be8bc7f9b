"""Changes since the previous brief, field by field: each edit is listed as exactly itself."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from briefs.build import build_brief
from briefs.changes import LEGACY_NOTE, word_diff
from briefs.model import BriefOptions
from workstation.services import create_session
from workstation.services.sample import load_sample

ISSUED = datetime(2021, 4, 16, 9, 30, tzinfo=UTC)


@pytest.fixture
def sample(tmp_path):
    with create_session(tmp_path / "ws.sqlite", author="tester") as session:
        load_sample(session)
        yield session, session.episodes.resolve(None)


def _rebuild_after(session, edit) -> tuple[list[str], str]:
    first = build_brief(session, None, BriefOptions(issued_at=ISSUED))
    assert first.recorded and first.brief.changes is None
    edit()
    second = build_brief(session, None, BriefOptions())
    assert second.brief.previous_brief == first.brief.brief_id
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(second.pdf)).pages)
    return [c.label for c in second.brief.changes], " ".join(text.split())


def _check(session, edit, expected: list[str]) -> None:
    labels, text = _rebuild_after(session, edit)
    assert labels == expected
    section = text.split("Since brief", 1)[1]
    for line in expected:
        assert line in section
    # Nothing else is listed: one bullet per expected line.
    assert section.count("• ") == len(expected)


def _event(session, episode, prefix):
    return next(e for e in session.episodes.events(episode.id) if e.title.startswith(prefix))


def test_edited_judgment_text_is_one_change_with_a_word_diff(sample):
    session, episode = sample
    judgment = session.episodes.judgments(episode.id)[1]

    def edit():
        session.episodes.edit_judgment(
            judgment.id, text=judgment.text.replace(" will ", " will not ", 1)
        )

    _check(session, edit, ["Judgment 2: text edited (“will” → “will not”)"])


def test_changed_confidence_says_from_what_to_what(sample):
    session, episode = sample
    judgment = session.episodes.judgments(episode.id)[0]
    assert judgment.confidence == "moderate"
    _check(
        session,
        lambda: session.episodes.edit_judgment(judgment.id, confidence="high"),
        ["Judgment 1: confidence moderate → high"],
    )


def test_added_evidence_is_listed_on_its_event(sample):
    session, episode = sample
    event = _event(session, episode, "Moscow expels ten US diplomats")

    def edit():
        cited = session.annotations.get(session.episodes.evidence_of(event.id)[0].annotation_id)
        passage = session.annotations.create(cited.document_id, cited.end + 5, cited.end + 40)
        session.episodes.add_evidence(event.id, passage.record.id)

    _check(session, edit, [f"Event “{event.title}”: evidence: +1 excerpt (E30)"])


def test_dropped_citation_names_the_excerpt_and_how_numbers_moved(sample):
    session, episode = sample
    judgment = session.episodes.judgments(episode.id)[3]
    _check(
        session,
        lambda: session.episodes.edit_judgment(judgment.id, cited=judgment.cited[:1]),
        ["Judgment 4: citation dropped: E7", "Excerpts renumbered: E7 is now E8, E8 is now E7"],
    )


def test_renamed_entity_is_reported_once_not_on_every_event(sample):
    session, episode = sample
    entity = session.entities.get(_event(session, episode, "US expels").actor_id)
    touched = [
        e for e in session.episodes.events(episode.id) if entity.id in (e.actor_id, e.target_id)
    ]
    assert len(touched) > 3
    _check(
        session,
        lambda: session.entities.edit(entity.id, name="USA"),
        [f"Entity renamed: {entity.name} → USA"],
    )


def test_changed_event_date_is_shown_compactly(sample):
    session, episode = sample
    event = _event(session, episode, "US expels ten Russian diplomats")
    _check(
        session,
        lambda: session.episodes.edit_event(event.id, date="2021-04-16"),
        [
            f"Event “{event.title}”: date 15 → 16 APR 2021",
            # the event now sorts after two others: their excerpts come first
            "Excerpts renumbered: E28 is now E29, E29 is now E28",
        ],
    )


def test_deleted_items_are_named_withheld_ones_are_only_counted(sample):
    session, episode = sample
    deleted = _event(session, episode, "State Duma ratifies")
    internal = _event(session, episode, "US announces closure")

    def edit():
        session.episodes.delete_event(deleted.id)
        for evidence in session.episodes.evidence_of(internal.id):
            session.annotations.edit(evidence.annotation_id, releasable=False)

    labels, text = _rebuild_after(session, edit)
    assert f"Removed event: 27 JAN 2021 — {deleted.title}" in labels
    assert "1 event no longer in this brief (deleted, or withheld as internal)." in labels
    assert "US announces closure" not in text


def test_a_brief_recorded_before_field_level_tracking_is_still_compared(sample):
    session, episode = sample
    events = session.episodes.events(episode.id)
    legacy = {  # the old shape: [digest, label] per item, judgments keyed by a text hash
        "event": {e.id: ["x", e.title] for e in events[1:]} | {"gone": ["x", "Old event"]},
        "judgment": {"somehash": ["x", "An old judgment"]},
        "source": {},
    }
    session.episodes.record_brief(
        episode.id,
        options={"brief_id": "BR-OLD", "signature": "old"},
        content_hash="old",
        pdf_hash="old",
        manifest=legacy,
    )
    built = build_brief(session, None, BriefOptions(issued_at=ISSUED), record=False)
    labels = [c.label for c in built.brief.changes]
    assert labels[0] == LEGACY_NOTE
    assert any(label.startswith("New event: ") and events[0].title in label for label in labels)
    assert "Removed event: Old event" in labels
    assert any(label.startswith("New judgment 1:") for label in labels)


def test_word_diff_is_short():
    assert word_diff("Moscow will retaliate", "Moscow will not retaliate") == "“will” → “will not”"
    assert word_diff("a b c", "a x c") == "“b” → “x”"
    assert word_diff("a  b", "a b") == "spacing only"


def test_regraded_source_says_from_what_to_what(sample):
    session, _episode = sample
    first = build_brief(session, None, BriefOptions(issued_at=ISSUED))
    source = first.brief.sources[0]
    new_grade = "A1" if source.grade != "A1" else "B2"
    session.documents.edit(source.document_id, reliability=new_grade[0], credibility=new_grade[1])
    second = build_brief(session, None, BriefOptions())
    assert [c.label for c in second.brief.changes] == [
        f"Source [{source.number}]: grade {source.grade} → {new_grade}"
    ]


def test_renumbering_is_summarised_in_runs():
    from briefs.changes import _runs

    assert _runs([(4, 5), (5, 6), (9, 2)]) == "E4–E5 are now E5–E6, E9 is now E2"
    assert _runs([(3, 4)], "[{}]") == "[3] is now [4]"


def test_a_deleted_judgment_is_named_and_the_others_renumbered(sample):
    session, episode = sample
    judgment = session.episodes.judgments(episode.id)[0]
    labels, _text = _rebuild_after(session, lambda: session.episodes.delete_judgment(judgment.id))
    assert labels[:2] == [
        f"Removed judgment: “{judgment.text[:79]}…”"
        if len(judgment.text) > 80
        else f"Removed judgment: “{judgment.text}”",
        "Judgments renumbered: 2–4 are now 1–3",
    ]
