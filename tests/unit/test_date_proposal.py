"""Proposing an event date from a passage's words, relative to the article's date."""

from __future__ import annotations

from datetime import date

import pytest

from workstation.domain.date_proposal import (
    DateProposal,
    date_candidates,
    propose_date,
    reference_date,
)

FRIDAY = "2021-04-16"  # the day after the US order, a Friday


@pytest.mark.parametrize(
    ("text", "published", "expected", "precision", "matched"),
    [
        (
            "The ministry said on Thursday it would expel ten diplomats.",
            FRIDAY,
            "2021-04-15",
            "day",
            "on Thursday",
        ),
        (
            "Sanctions announced last month were extended.",
            FRIDAY,
            "2021-03-01",
            "month",
            "last month",
        ),
        (
            "The order signed on 15 April takes effect at once.",
            FRIDAY,
            "2021-04-15",
            "day",
            "on 15 April",
        ),
        ("The consulates close in December.", FRIDAY, "2020-12-01", "month", "in December"),
        ("МИД России 16 апреля вызвал посла США.", "2021-04-20", "2021-04-16", "day", "16 апреля"),
        ("Песков вчера заявил о взаимности.", FRIDAY, "2021-04-15", "day", "вчера"),
        ("В декабре консульства закроют.", FRIDAY, "2020-12-01", "month", "В декабре"),
        (
            "Об этом стало известно в прошлом месяце.",
            FRIDAY,
            "2021-03-01",
            "month",
            "в прошлом месяце",
        ),
        ("Talks are expected in mid-April.", "2021-05-02", "2021-04-01", "month", "mid-April"),
        (
            "Tuesday's sanctions mark the first of several steps",
            "2021-03-05",
            "2021-03-02",
            "day",
            "Tuesday",
        ),
        ("The talks took place 2 days ago.", FRIDAY, "2021-04-14", "day", "2 days ago"),
        (
            "Ratified on 27 January 2021 by the Duma.",
            None,
            "2021-01-27",
            "day",
            "on 27 January 2021",
        ),
    ],
)
def test_proposes_date_and_precision(text, published, expected, precision, matched):
    proposal = propose_date(text, published)
    assert proposal is not None
    assert (proposal.date, proposal.precision, proposal.matched) == (expected, precision, matched)
    assert text[proposal.position :].startswith(proposal.matched)


def test_the_weekday_of_publication_means_that_day_and_last_means_a_week_before():
    assert propose_date("The Kremlin on Friday said it would answer.", FRIDAY).date == FRIDAY
    assert propose_date("Last Friday the Kremlin said so.", FRIDAY).date == "2021-04-09"
    assert propose_date("В четверг МИД вызвал посла.", FRIDAY).date == "2021-04-15"


def test_without_the_articles_date_only_self_standing_dates_are_proposed():
    assert propose_date("The Kremlin on Thursday said it would answer.") is None
    assert propose_date("The consulates close in December.") is None
    assert propose_date("Консульства закрыли в декабре 2020 года.") == DateProposal(
        "2020-12-01", "month", "в декабре 2020 года", 20
    )
    found = propose_date("Putin congratulated Biden on December 15, 2020.")
    assert (found.date, found.precision) == ("2020-12-15", "day")


@pytest.mark.parametrize(
    "text",
    [
        "We consider any pursuit of sanctions as illegal.",
        "The treaty was extended by five years, one of the options.",
        "Договор продлён на пять лет.",
        "He may hold talks with them; 30 days remain of a 24-hour deadline.",
        "Relations have not been this bad since the 1990s.",
        "The United States President signed an executive order.",
    ],
)
def test_durations_modal_verbs_and_pronouns_are_not_dates(text):
    assert propose_date(text, FRIDAY) is None


def test_a_day_or_month_wins_over_an_earlier_bare_year():
    text = "Over the 2020 election, the US on Thursday imposed sanctions."
    assert propose_date(text, FRIDAY).date == "2021-04-15"
    candidates = date_candidates(text, FRIDAY)
    assert [(c.precision, c.date) for c in candidates] == [
        ("year", "2020-01-01"),
        ("day", "2021-04-15"),
    ]
    assert propose_date("It influenced the 2020 US election.", FRIDAY).precision == "year"


def test_candidates_come_in_text_order_and_value_is_trimmed_to_the_precision():
    text = "In December the US said so; on 15 April it acted, and in 2022 it may again."
    found = date_candidates(text, FRIDAY)
    assert [c.value for c in found] == ["2020-12", "2021-04-15", "2022"]
    assert [c.position for c in found] == sorted(c.position for c in found)


def test_reference_date_accepts_dates_date_times_and_rejects_junk():
    assert reference_date("2021-04-15T10:30:00Z") == date(2021, 4, 15)
    assert reference_date(date(2021, 4, 15)) == date(2021, 4, 15)
    assert reference_date("April") is None
    assert reference_date(None) is None
    assert propose_date("on Thursday", "not a date") is None


def test_an_unknown_language_falls_back_to_english_and_russian():
    assert propose_date("on Thursday", FRIDAY, languages=["xx"]).date == "2021-04-15"
    assert propose_date("am 15. April", FRIDAY, languages=["de"]).date == "2021-04-15"
