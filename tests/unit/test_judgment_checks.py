"""ICD 203 wording advice for key judgments (pure), and reordering judgments (service)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.domain.estimative import LIKELIHOOD_SCALE
from workstation.domain.judgment_checks import (
    DISAGREES,
    MIXED,
    OFF_SCALE,
    OFF_SCALE_WORDS,
    JudgmentWarning,
    Warning,
    check_judgment,
    disagreeing_words,
    sentences,
)
from workstation.services.episode_editor import move_judgment
from workstation.services.outcome import NotFound


def flagged(text: str) -> list[str]:
    return [text[slice(*w.span)] for w in check_judgment(text) if w.kind == OFF_SCALE]


def mixed(text: str) -> list[str]:
    return [text[slice(*w.span)] for w in check_judgment(text) if w.kind == MIXED]


def test_the_examples_from_the_issue():
    warnings = check_judgment("It may possibly happen")
    assert [(w.kind, w.span) for w in warnings] == [(OFF_SCALE, (3, 6)), (OFF_SCALE, (7, 15))]
    assert "“may” is outside the ICD 203 scale" in warnings[0].message
    text = "We assess with high confidence that it is likely"
    assert [(w.kind, w.span) for w in check_judgment(text)] == [(MIXED, (0, len(text)))]
    assert Warning is JudgmentWarning


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Maybe Moscow answers.", ["Maybe"]),
        ("Perhaps, and presumably soon.", ["Perhaps", "presumably"]),
        ("Moscow could or might respond.", ["could", "might"]),
        ("Chances are it will; in all likelihood it will.", ["Chances are", "in all likelihood"]),
        ("It will certainly, definitely, undoubtedly happen.", ["certainly", "definitely"]),
        ("There is a real possibility of talks.", ["a real possibility"]),
        ("It is possible that talks resume.", ["It is possible that"]),
        ("There is a good chance of talks.", ["a good chance"]),
        ("Without doubt, and surely.", ["Without doubt", "surely"]),
    ],
)
def test_off_scale_words_are_flagged(text, words):
    assert flagged(text)[: len(words)] == words


@pytest.mark.parametrize(
    "text",
    [
        "Moscow will almost certainly respond in kind.",
        "There is a roughly even chance of talks.",
        "There is almost no chance of a concession.",
        "A concession is highly improbable; a reply is probable, probably within days.",
        "In May 2021 Moscow closed the consulate; on 15 May it said so.",
        "The measures took effect in May, as announced.",
        "The Kremlin stated reciprocity as its principle and acted on it within a day.",
        "Maybelline is a brand; mayor and mighty are other words.",
    ],
)
def test_scale_terms_months_and_longer_words_are_not_flagged(text):
    assert flagged(text) == []


def test_every_scale_term_and_synonym_is_accepted():
    for item in LIKELIHOOD_SCALE:
        for phrase in (item.term, item.synonym):
            assert flagged(f"It is {phrase} that Moscow answers.") == [], phrase


def test_the_modal_may_at_the_start_of_a_sentence_is_flagged():
    assert flagged("Talks stalled. May they resume? They may.") == ["May", "may"]


def test_likelihood_and_confidence_in_one_sentence():
    assert mixed("It is likely, and we have moderate confidence.") == [
        "It is likely, and we have moderate confidence."
    ]
    assert mixed("We are highly confident it is very unlikely.") != []
    assert mixed("Confidence is low that a reply is probable.") != []
    # Separate sentences are what ICD 203 asks for.
    assert mixed("A reply is likely. We have moderate confidence in this judgment.") == []
    # Only the offending sentence is marked.
    text = "Talks will resume. The U.S. will likely act, with high confidence."
    assert mixed(text) == ["The U.S. will likely act, with high confidence."]


def test_sentences_skip_abbreviations_and_trim_spaces():
    text = "  The U.S. Treasury acted. Mr. Peskov replied!  Then? Done"
    assert [text[s:e] for s, e in sentences(text)] == [
        "The U.S. Treasury acted.",
        "Mr. Peskov replied!",
        "Then?",
        "Done",
    ]
    assert sentences("") == []


def test_spans_are_code_points_even_after_astral_characters():
    text = "🇷🇺 may answer"
    (warning,) = check_judgment(text)
    assert text[slice(*warning.span)] == "may"


def test_the_sample_judgments_read_cleanly(sample_session):
    episode = sample_session.episodes.list_episodes()[0]
    for judgment in sample_session.episodes.judgments(episode.id):
        assert check_judgment(judgment.text) == [], judgment.text


def test_the_documented_list_is_the_one_checked():
    assert len(OFF_SCALE_WORDS) >= 15
    for pattern, reason in OFF_SCALE_WORDS:
        assert pattern and reason


@given(st.text(max_size=200))
def test_any_text_gives_spans_inside_it_in_order(text):
    warnings = check_judgment(text)
    for warning in warnings:
        start, end = warning.span
        assert 0 <= start < end <= len(text)
        assert warning.kind in (OFF_SCALE, MIXED)
    assert [w.span for w in warnings] == sorted(w.span for w in warnings)


# -- reordering judgments (services/episode_editor.py) -------------------------------------


def _ids(session, episode_id):
    return [j.id for j in session.episodes.judgments(episode_id)]


def test_move_judgment_renumbers_in_one_transaction_and_reverts(sample_session):
    episode = sample_session.episodes.list_episodes()[0]
    before = _ids(sample_session, episode.id)
    outcome = move_judgment(sample_session, before[3], 0)
    assert outcome.record.position == 0
    assert _ids(sample_session, episode.id) == [before[3], *before[:3]]
    positions = [j.position for j in sample_session.episodes.judgments(episode.id)]
    assert positions == [0, 1, 2, 3]
    assert len(outcome.changes) == 4  # every judgment moved by one
    sample_session.revert(outcome.changes)
    assert _ids(sample_session, episode.id) == before


def test_move_judgment_clamps_and_closes_gaps(sample_session):
    episode = sample_session.episodes.list_episodes()[0]
    before = _ids(sample_session, episode.id)
    sample_session.episodes.delete_judgment(before[1])
    outcome = move_judgment(sample_session, before[0], 99)
    assert _ids(sample_session, episode.id) == [before[2], before[3], before[0]]
    assert [j.position for j in sample_session.episodes.judgments(episode.id)] == [0, 1, 2]
    assert move_judgment(sample_session, before[2], -5).changes.changes == []  # already first
    assert outcome.record.id == before[0]


def test_move_judgment_of_a_missing_judgment_is_refused(sample_session):
    with pytest.raises(NotFound):
        move_judgment(sample_session, "no-such-id", 0)


# -- the text's estimative words against the chosen likelihood ---------------------------------


@pytest.mark.parametrize(
    ("text", "chosen", "flagged"),
    [
        ("Moscow will likely retaliate.", "roughly even chance", ["likely"]),
        ("Moscow will likely retaliate.", "likely", []),
        ("It is probable that Moscow retaliates.", "likely", []),  # a synonym
        ("Moscow will probably retaliate.", "roughly even odds", ["probably"]),
        ("Moscow will very likely retaliate.", "likely", ["very likely"]),  # not "likely"
        ("A retaliation is unlikely.", "likely", ["unlikely"]),
        ("A retaliation is not likely.", "roughly even chance", []),  # negated: not judged
        ("Moscow almost certainly retaliates.", "almost certain", []),
        ("Moscow will retaliate.", "likely", []),  # no estimative word at all
        ("Moscow will likely retaliate.", "no such term", []),
    ],
)
def test_scale_words_that_name_another_band_than_the_chosen_one(text, chosen, flagged):
    found = disagreeing_words(text, chosen)
    assert [text[slice(*w.span)] for w in found] == flagged
    assert all(w.kind == DISAGREES for w in found)


def test_check_judgment_adds_the_disagreement_only_when_a_likelihood_is_given():
    text = "Moscow will likely retaliate."
    assert check_judgment(text) == []
    (warning,) = check_judgment(text, "roughly even chance")
    assert warning.message == (
        "“likely” (55–80 %) disagrees with the likelihood chosen, roughly even chance "
        "(45–55 %): make the wording and the likelihood agree"
    )
