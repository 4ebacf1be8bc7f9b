"""Adjectives of nationality read as the state they stand for (event drafts' parties), and
the draft's proposed answer filled in only when strong."""

from __future__ import annotations

from workstation.domain.assistant import AnswerCandidate, EventDraft
from workstation.domain.assistant.demonyms import states_named


def test_english_and_declined_russian_adjectives_name_their_state():
    text = "Poland expelled three Russian diplomats; чешским дипломатам и российских."
    found = [(text[p : p + 6], names[0]) for p, names in states_named(text)]
    assert found == [("Russia", "Russia"), ("чешски", "Czech Republic"), ("россий", "Russia")]


def test_us_only_in_capitals_and_plural_nouns_are_not_adjectives():
    assert [names[0] for _, names in states_named("US officials told us")] == ["United States"]
    assert states_named("Russians voted") == []


def _draft(*scores: float) -> EventDraft:
    answers = tuple(AnswerCandidate(f"e{n}", score, "") for n, score in enumerate(scores))
    return EventDraft("expulsion", "2021-04-16", "day", None, None, "t", answers, "", 0.5)


def test_only_a_strong_answer_is_proposed_as_what_the_event_answers():
    assert _draft(0.9, 0.4).responds_to == "e0"
    assert _draft(0.69, 0.4).responds_to is None
    assert _draft().responds_to is None
