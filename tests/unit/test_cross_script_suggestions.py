"""Suggestions see through disguise (issue 11, point 5): invisible characters inside a name,
look-alike letters of another script, and names written in another script. Through the
service, on real workspaces."""

from __future__ import annotations

import pytest

from workstation.importers.base import DocumentDraft
from workstation.services.suggestions import (
    LOOK_ALIKE_REASON,
    SCORE_ALIAS,
    SCORE_LOOK_ALIKE,
    SuggestionService,
    accept,
)

SPOOF_LAVROV = "Serg\u0435y Lavrov"  # a Cyrillic е among Latin letters


def add_text(session, text: str) -> str:
    draft = DocumentDraft(title="T", text=text, origin_name=f"{hash(text)}.txt")
    return session.documents.add(draft).record.id


def suggestions(session, text: str):
    doc_id = add_text(session, text)
    return SuggestionService(session).suggest(doc_id)


def spans(session, text: str) -> list[tuple[str, str, float, str]]:
    return [(s.text, s.entity_name, s.score, s.reason) for s in suggestions(session, text)]


# -- invisible characters -------------------------------------------------------------------


@pytest.mark.parametrize("disguise", ["Nav\u200balny", "Na\u00advalny", "Nav\u2060alny"])
def test_a_name_with_an_invisible_character_inside_is_suggested_whole(session, disguise):
    session.entities.create("Person", "Navalny")
    text = f"Supporters of {disguise}\u200b rallied."
    [found] = suggestions(session, text)
    body = session.documents.get(found.document_id).body
    assert (found.start, found.end) == (14, 14 + len(disguise))  # the ZWSP after is left out
    assert body[found.start : found.end] == found.text == disguise
    assert (found.entity_name, found.score, found.reason) == ("Navalny", 1.0, "")


def test_a_registry_name_with_an_invisible_character_finds_the_plain_text(session):
    session.entities.create("Person", "Alexei Nav\u200balny", aliases=["\u202eNavalny"])
    assert spans(session, "Alexei Navalny and Navalny.") == [
        ("Alexei Navalny", "Alexei Nav\u200balny", 1.0, ""),
        ("Navalny", "Alexei Nav\u200balny", SCORE_ALIAS, ""),
    ]


def test_accepting_a_disguised_mention_links_exactly_that_span(session):
    entity = session.entities.create("Person", "Navalny").record
    doc_id = add_text(session, "🇷🇺 Nav\u200balny")
    [found] = SuggestionService(session).suggest(doc_id)
    mention = accept(session, found).record
    passage = session.annotations.get(mention.annotation_id)
    assert (passage.start, passage.end, passage.exact) == (3, 11, "Nav\u200balny")
    assert mention.entity_id == entity.id


# -- look-alike letters ---------------------------------------------------------------------


def test_a_registry_name_mixing_scripts_never_scores_as_the_name(session):
    session.entities.create("Person", SPOOF_LAVROV)
    found = spans(session, f"{SPOOF_LAVROV} spoke; then Sergey Lavrov answered.")
    assert found == [
        (SPOOF_LAVROV, SPOOF_LAVROV, SCORE_LOOK_ALIKE, LOOK_ALIKE_REASON),
        ("Sergey Lavrov", SPOOF_LAVROV, SCORE_LOOK_ALIKE, LOOK_ALIKE_REASON),
    ]
    assert SCORE_LOOK_ALIKE <= 0.6


def test_text_with_look_alike_letters_is_a_look_alike_of_the_registry_name(session):
    session.entities.create("Person", "Sergey Lavrov")
    session.entities.create("Person", "Navalny")
    found = spans(session, f"{SPOOF_LAVROV} met N\u0430valny's lawyers.")
    assert found == [
        (SPOOF_LAVROV, "Sergey Lavrov", SCORE_LOOK_ALIKE, LOOK_ALIKE_REASON),
        ("N\u0430valny", "Navalny", SCORE_LOOK_ALIKE, LOOK_ALIKE_REASON),  # not a misspelling
    ]


def test_look_alike_twins_rank_below_the_real_name(session):
    session.entities.create("Person", "Sergey Lavrov")
    session.entities.create("Person", SPOOF_LAVROV, aliases=["P\u0430ypal"])
    found = spans(session, "Sergey Lavrov visited Paypal.")
    assert found == [
        ("Sergey Lavrov", "Sergey Lavrov", 1.0, ""),
        ("Sergey Lavrov", SPOOF_LAVROV, SCORE_LOOK_ALIKE, LOOK_ALIKE_REASON),
        ("Paypal", SPOOF_LAVROV, round(SCORE_LOOK_ALIKE - (1 - SCORE_ALIAS), 3), LOOK_ALIKE_REASON),
    ]


def test_confusables_within_one_script_are_left_alone(session):
    session.entities.create("Person", "Kirn")
    assert spans(session, "Kim said so.") == []


# -- transliteration ------------------------------------------------------------------------


def test_a_name_written_in_another_script_is_suggested_below_exact_matches(session):
    session.entities.create("Country", "United States", aliases=["Washington"])
    session.entities.create("Person", "Лавров")
    session.entities.create("Person", "Alexei Navalny", aliases=["Navalny"])
    found = spans(session, "Вашингтон ответил. Lavrov said; дело Навального; Алексей Навальный.")
    assert [(text, name, reason) for text, name, _score, reason in found] == [
        ("Вашингтон", "United States", "transliteration of Washington"),
        ("Lavrov", "Лавров", "transliteration of Лавров"),
        ("Навального", "Alexei Navalny", "transliteration of Navalny"),
        ("Алексей Навальный", "Alexei Navalny", "transliteration of Alexei Navalny"),
    ]
    scores = [score for _text, _name, score, _reason in found]
    assert all(SCORE_LOOK_ALIKE < score < SCORE_ALIAS - 0.05 for score in scores)
    assert scores[2] < scores[1]  # a declined form counts a little less


def test_a_transliteration_is_not_offered_where_the_entity_is_already_found(session):
    session.entities.create("Person", "Sergey Lavrov", aliases=["Сергей Лавров"])
    assert spans(session, "Sergey Lavrov and Сергей Лавров.") == [
        ("Sergey Lavrov", "Sergey Lavrov", 1.0, ""),
        ("Сергей Лавров", "Sergey Lavrov", SCORE_ALIAS, ""),
    ]


def test_the_sample_articles_gain_the_unlisted_russian_spelling(sample_session):
    found = spans(sample_session, "Вашингтон и Москва обменялись мерами.")
    assert ("Вашингтон", "United States", "transliteration of Washington") in {
        (text, name, reason) for text, name, _score, reason in found
    }
