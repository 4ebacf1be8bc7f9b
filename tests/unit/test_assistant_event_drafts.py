"""Event drafts from accepted passages: kind, parties, date, title and ranked answers, on the
sample story (spring 2021: US sanctions and expulsions, Moscow's reciprocal answer)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workstation.domain.assistant import KnownEvent, LinkedEntity
from workstation.domain.assistant.event_drafts import (
    ACTION_KINDS,
    ANSWER_WINDOW_DAYS,
    answer_candidates,
    draft_event,
    kind_for_category,
)
from workstation.domain.vocab import DEFAULT_CATEGORIES, EVENT_KINDS

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "episode.json"
FRIDAY = "2021-04-16"  # the day after the US executive order
LAVROV = (
    "Russia will expel 10 US diplomats in response to Washington's sanctions, "
    "Foreign Minister Sergei Lavrov said on Friday"
)
TITLES = {"usa": "United States", "russia": "Russia", "mfa-russia": "Russian Foreign Ministry"}


@pytest.fixture(scope="module")
def episode_events() -> list[KnownEvent]:
    """The sample episode's eleven events, as the drafter sees them."""
    events = json.loads(SAMPLE.read_text(encoding="utf-8"))["events"]
    return [
        KnownEvent(e["key"], e["kind"], e["date"], e.get("actor"), e.get("target"), e["title"])
        for e in events
    ]


def linked_at(text: str, *names: tuple[str, str], role: str = "mentioned") -> list[LinkedEntity]:
    """Links for (entity id, words as they stand in the text), at their first occurrence."""
    links = []
    for entity_id, words in names:
        position = text.find(words)
        assert position >= 0, words
        links.append(LinkedEntity(entity_id, words, role, position))
    return links


def draft(text: str, category: str, linked: list[LinkedEntity], events=(), **kwargs):
    arguments = {"published": FRIDAY, "language": "en", "titles": TITLES} | kwargs
    return draft_event(
        passage_text=text,
        category_name=category,
        linked=linked,
        episode_events=list(events),
        **arguments,
    )


# -- kinds ------------------------------------------------------------------------------------


def test_every_default_category_but_other_offers_a_draft():
    kinds = [kind_for_category(seed.name) for seed in DEFAULT_CATEGORIES]
    assert kinds == list(EVENT_KINDS)
    assert "other" not in ACTION_KINDS
    assert set(ACTION_KINDS) | {"other"} == set(EVENT_KINDS)


@pytest.mark.parametrize(
    ("category", "kind"),
    [
        ("Санкции", "sanction"),
        ("Высылка", "expulsion"),
        ("Ответные меры", "countermeasure"),
        ("Заявление", "statement"),
        ("  diplomatic   STEP ", "diplomatic step"),
        ("Sanctions", "sanction"),
        ("Context", None),
        ("", None),
    ],
)
def test_category_names_map_to_kinds(category, kind):
    assert kind_for_category(category) == kind


@pytest.mark.parametrize("category", ["Other", "Context", "Другое"])
def test_no_draft_for_a_category_without_an_event_kind(category):
    assert draft(LAVROV, category, linked_at(LAVROV, ("russia", "Russia"))) is None


# -- the story's reciprocal expulsion -----------------------------------------------------------


def lavrov_links() -> list[LinkedEntity]:
    return linked_at(
        LAVROV,
        ("russia", "Russia"),
        ("usa", "US"),
        ("usa", "Washington"),
        ("lavrov", "Sergei Lavrov"),
    )


@pytest.mark.parametrize("category", ["Countermeasure", "Expulsion"])
def test_lavrov_sentence_drafts_russia_against_the_united_states(category, episode_events):
    result = draft(LAVROV, category, lavrov_links(), episode_events)

    assert result.kind == category.lower()
    assert (result.actor_id, result.target_id) == ("russia", "usa")
    assert "before the verb “expel”" in result.reason
    # "on Friday" in an article of Friday 16 April is that day.
    assert (result.date, result.precision) == ("2021-04-16", "day")
    assert "“on Friday”" in result.reason
    assert result.title.startswith("Russia expels United States diplomats")


def test_lavrov_sentence_answers_the_us_measures_of_the_day_before(episode_events):
    result = draft(LAVROV, "Countermeasure", lavrov_links(), episode_events)
    ids = [answer.event_id for answer in result.answers]

    # Washington's sanctions: reversed parties, a sanction, one day earlier, and named.
    assert ids[0] == "order"
    assert result.answers[0].reason == (
        "reversed actor/target; sanction → countermeasure; the passage answers a sanction; "
        "1 day earlier"
    )
    assert ids[1] == "expulsion"
    assert result.answers[0].score > result.answers[1].score
    # December 2020 (consulates, Putin's telegram) and the March Navalny sanctions are
    # more than six weeks back; the Kremlin's statement and the summons are not US acts.
    for far_or_unrelated in ("consulates", "telegram", "navalny-us", "navalny-eu"):
        assert far_or_unrelated not in ids
    assert len(ids) <= 5
    assert all(answer.score >= 0.3 for answer in result.answers)


def test_an_expulsion_answers_the_expulsion_first(episode_events):
    text = "Moscow expels ten US diplomats."
    links = linked_at(text, ("russia", "Moscow"), ("usa", "US"))
    result = draft(text, "Expulsion", links, episode_events)
    assert result.answers[0].event_id == "expulsion"
    assert "expulsion → expulsion" in result.answers[0].reason
    # Without parties only the kinds and the days speak: weaker candidates.
    unlinked = draft(text, "Expulsion", [], episode_events)
    assert unlinked.answers[0].score < result.answers[0].score - 0.3
    assert "reversed" not in unlinked.answers[0].reason


# -- voice, markers and languages -------------------------------------------------------------


def test_passive_with_by_swaps_actor_and_target():
    text = "Ten US diplomats were expelled by Moscow on Friday."
    result = draft(text, "Expulsion", linked_at(text, ("usa", "US"), ("russia", "Moscow")))
    assert (result.actor_id, result.target_id) == ("russia", "usa")
    assert "passive “expelled”: agent after “by”" in result.reason
    assert result.title == "Russia expels United States diplomats"


def test_passive_summons_by_the_longest_name_at_the_agents_place():
    text = "The US ambassador was summoned by the Russian Foreign Ministry on Thursday."
    links = linked_at(
        text,
        ("usa", "US"),
        ("russia", "Russian"),
        ("mfa-russia", "Russian Foreign Ministry"),
    )
    result = draft(text, "Diplomatic step", links)
    assert (result.actor_id, result.target_id) == ("mfa-russia", "usa")
    assert result.date == "2021-04-15"


def test_passive_without_an_agent_has_a_target_only():
    text = "Gromov is accused of leading a Russian campaign in the United States."
    links = linked_at(text, ("gromov", "Gromov"), ("russia", "Russian"), ("usa", "United States"))
    result = draft(text, "Accusation", links)
    assert (result.actor_id, result.target_id) == (None, "gromov")
    assert "no actor" in result.reason
    assert result.title == text  # no actor to title it by: the passage's opening words


def test_russian_sentence_with_article_date():
    text = "Москва вышлет 10 американских дипломатов в ответ на санкции США"
    links = linked_at(text, ("russia", "Москва"), ("usa", "американских"), ("usa", "США"))
    result = draft(text, "Ответные меры", links, language="ru")
    assert result.kind == "countermeasure"
    assert (result.actor_id, result.target_id) == ("russia", "usa")
    assert "“вышлет”" in result.reason
    assert (result.date, result.precision) == (FRIDAY, "day")
    assert "article date" in result.reason


def test_russian_passive_expelled_from_a_country():
    text = "Десять американских дипломатов были высланы из России"
    links = linked_at(text, ("usa", "американских"), ("russia", "России"))
    result = draft(text, "Высылка", links, language="ru")
    assert (result.actor_id, result.target_id) == ("russia", "usa")
    assert "passive “высланы”" in result.reason


def test_against_marks_the_target_and_the_response_clause_is_left_out():
    # The names of "После санкций США" belong to the event being answered.
    text = "После санкций США Россия ввела ответные меры против американских дипломатов"
    links = linked_at(text, ("usa", "США"), ("russia", "Россия"), ("usa", "американских"))
    result = draft(text, "Countermeasure", links, language="ru")
    assert (result.actor_id, result.target_id) == ("russia", "usa")
    assert "after “против”" in result.reason


def test_response_clause_names_the_other_event():
    text = "After the EU sanctioned Belarus, Russia expelled Polish diplomats."
    links = linked_at(
        text, ("eu", "EU"), ("belarus", "Belarus"), ("russia", "Russia"), ("poland", "Polish")
    )
    result = draft(text, "Countermeasure", links)
    assert (result.actor_id, result.target_id) == ("russia", "poland")
    assert "“expelled”" in result.reason


def test_without_a_target_in_the_main_clause_the_answered_party_is_the_target():
    text = "Moscow will retaliate in response to Washington's sanctions."
    links = linked_at(text, ("russia", "Moscow"), ("usa", "Washington"))
    result = draft(text, "Countermeasure", links)
    assert (result.actor_id, result.target_id) == ("russia", "usa")
    assert "response clause" in result.reason
    assert result.title == "Russia takes countermeasures against United States"


def test_a_name_listed_in_a_sanction_passage_without_a_verb_is_its_target():
    text = "Among those individuals is Alexei Gromov, deputy chief of staff."
    result = draft(text, "Sanction", linked_at(text, ("gromov", "Alexei Gromov")))
    assert (result.actor_id, result.target_id) == (None, "gromov")
    assert "no verb" in result.reason


def test_a_name_in_apposition_is_not_the_subject():
    text = "Duma, Russia's lower house of Parliament, has voted to ratify the extension."
    links = linked_at(text, ("duma", "Duma"), ("russia", "Russia"))
    result = draft(text, "Arms control", links)
    assert result.actor_id == "duma"


def test_sanctions_on_a_country_and_the_title():
    text = "The United States imposed sanctions on Russia on Thursday"
    links = linked_at(text, ("usa", "United States"), ("russia", "Russia"))
    result = draft(text, "Sanction", links)
    assert result.title == "United States imposes sanctions on Russia"
    assert (result.date, result.precision) == ("2021-04-15", "day")


def test_title_qualifier_is_not_the_target():
    text = "Russian leader Vladimir Putin has congratulated U.S. President Joe Biden"
    links = linked_at(
        text,
        ("russia", "Russian"),
        ("putin", "Vladimir Putin"),
        ("usa", "U.S."),
        ("biden", "Joe Biden"),
    )
    result = draft(text, "Diplomatic step", links)
    assert (result.actor_id, result.target_id) == ("putin", "biden")


# -- roles, dates, score ----------------------------------------------------------------------


def test_roles_beat_the_words():
    # The words would take "against the United States" as the target; the officer's link
    # roles say the Kremlin is accused.
    text = (
        "President Biden accused the Kremlin of malicious cyber-enabled activities "
        "against the United States and its allies."
    )
    words_only = linked_at(
        text, ("biden", "Biden"), ("kremlin", "Kremlin"), ("usa", "United States")
    )
    with_roles = [
        LinkedEntity("biden", "Joe Biden", "actor", text.find("Biden")),
        LinkedEntity("kremlin", "Kremlin", "target", text.find("Kremlin")),
        LinkedEntity("usa", "United States", "mentioned", text.find("United States")),
    ]
    by_words = draft(text, "Accusation", words_only)
    by_roles = draft(text, "Accusation", with_roles)
    assert (by_roles.actor_id, by_roles.target_id) == ("biden", "kremlin")
    # The words alone get it right too: in an accusation "against" names the victims.
    assert (by_words.actor_id, by_words.target_id) == ("biden", "kremlin")
    assert "actor Joe Biden: role “actor”" in by_roles.reason
    assert "target Kremlin: role “target”" in by_roles.reason
    assert by_roles.score > by_words.score


def test_one_role_turns_the_words_round():
    # The officer marked the United States as the actor: the words' actor (Russia) cannot
    # also be that, so it becomes the target.
    links = [*lavrov_links(), LinkedEntity("usa", "United States", "actor", -1)]
    result = draft(LAVROV, "Countermeasure", links)
    assert (result.actor_id, result.target_id) == ("usa", "russia")
    assert "the roles name the other party" in result.reason


def test_no_date_in_the_words_takes_the_article_date():
    text = "Russia expels US diplomats"
    result = draft(text, "Expulsion", linked_at(text, ("russia", "Russia"), ("usa", "US")))
    assert (result.date, result.precision) == (FRIDAY, "day")
    assert "article date 2021-04-16" in result.reason
    dated = draft(
        text + " on Friday", "Expulsion", linked_at(text, ("russia", "Russia"), ("usa", "US"))
    )
    assert dated.score > result.score


def test_a_date_in_the_response_clause_belongs_to_the_answered_event():
    text = "In response to Thursday's sanctions, Moscow will expel ten US diplomats"
    links = linked_at(text, ("russia", "Moscow"), ("usa", "US"))
    saturday = "2021-04-17"
    result = draft(text, "Countermeasure", links, published=saturday)
    assert result.date == saturday
    assert "article date" in result.reason
    result = draft(text + " on Friday", "Countermeasure", links, published=saturday)
    assert result.date == "2021-04-16"


def test_no_date_at_all_means_no_answers(episode_events):
    text = "Russia expels US diplomats"
    links = linked_at(text, ("russia", "Russia"), ("usa", "US"))
    result = draft(text, "Expulsion", links, episode_events, published=None)
    assert result.date is None
    assert result.answers == ()


def test_long_passage_without_parties_is_titled_by_its_opening():
    text = "The principle of reciprocity in this matter is valid, " * 3
    result = draft(text, "Countermeasure", [])
    assert result.title.endswith("…")
    assert len(result.title) <= 81
    assert text.startswith(result.title[:-1])


# -- answer ranking ---------------------------------------------------------------------------


def event(key: str, kind: str, day: str, actor: str | None, target: str | None) -> KnownEvent:
    return KnownEvent(key, kind, day, actor, target)


def test_window_is_six_weeks_back_same_day_allowed_never_later():
    events = [
        event("42-days", "sanction", "2021-03-05", "usa", "russia"),
        event("43-days", "sanction", "2021-03-04", "usa", "russia"),
        event("same-day", "sanction", "2021-04-16", "usa", "russia"),
        event("next-day", "sanction", "2021-04-17", "usa", "russia"),
        event("month", "sanction", "2021-04", "usa", "russia"),  # stands for 1 April
    ]
    found = answer_candidates("countermeasure", "2021-04-16", "russia", "usa", events)
    assert ANSWER_WINDOW_DAYS == 42
    assert [a.event_id for a in found] == ["same-day", "month", "42-days"]
    assert "same day" in found[0].reason and "42 days earlier" in found[2].reason


def test_closer_and_reversed_rank_higher():
    events = [
        event("december", "sanction", "2020-12-20", "usa", "russia"),
        event("march", "sanction", "2021-03-20", "usa", "russia"),
        event("april", "sanction", "2021-04-15", "usa", "russia"),
        event("same-pair", "sanction", "2021-04-15", "russia", "usa"),
        event("others", "sanction", "2021-04-15", "eu", "belarus"),
    ]
    found = answer_candidates("countermeasure", "2021-04-16", "russia", "usa", events)
    ids = [a.event_id for a in found]
    assert ids[:2] == ["april", "march"]
    assert "december" not in ids  # four months back
    assert ids.index("same-pair") > ids.index("march")
    scores = {a.event_id: a.score for a in found}
    assert scores["same-pair"] < scores["april"] - 0.2
    # Other parties score on the kind and the day alone: below the same pair.
    assert scores.get("others", 0) < scores["same-pair"]


def test_unrelated_kind_and_parties_are_dropped():
    events = [event("treaty", "arms control", "2021-04-15", "duma", "eu")]
    assert answer_candidates("sanction", "2021-04-16", "usa", "russia", events) == ()


def test_exclude_leaves_the_event_itself_out(episode_events):
    arguments = ("countermeasure", "2021-04-16", "russia", "usa", episode_events)
    with_self = [a.event_id for a in answer_candidates(*arguments)]
    without = [a.event_id for a in answer_candidates(*arguments, exclude="reciprocal-expulsion")]
    assert "reciprocal-expulsion" in with_self
    assert "reciprocal-expulsion" not in without
    assert without[0] in ("order", "expulsion")


def test_at_most_five_answers():
    events = [event(f"e{i}", "sanction", "2021-04-15", "usa", "russia") for i in range(8)]
    assert len(answer_candidates("countermeasure", "2021-04-16", "russia", "usa", events)) == 5


def test_statement_answers_anything_of_the_other_side(episode_events):
    found = answer_candidates("statement", "2021-04-15", "kremlin", "usa", episode_events)
    ids = [a.event_id for a in found]
    # The sample's Kremlin statement answers the order; the order is among the first.
    assert "order" in ids[:3]


def test_a_deadline_is_not_the_event_date_and_the_eve_is_the_day_before():
    from workstation.domain.assistant.event_drafts import _date

    ru = "МИД потребовал, чтобы дипломат покинул Россию до 22 апреля."
    assert _date(ru, "2021-04-19", "ru")[:2] == ("2021-04-19", "day")
    en = "The diplomats must leave by April 22, the ministry said."
    assert _date(en, "2021-04-17", "en")[:2] == ("2021-04-17", "day")
    assert _date("Накануне Прага потребовала сократить штат.", "2021-04-22", "ru")[:2] == (
        "2021-04-21",
        "day",
    )
    assert _date("Russia expelled 20 Czech diplomats on April 18.", "2021-04-19", "en")[:2] == (
        "2021-04-18",
        "day",
    )
