"""The domain rule telling a capital used as the place ("MOSCOW, April 16 –", "went back to
Washington", "в Москве") from the same name standing for its state ("Moscow answered")."""

from __future__ import annotations

import pytest

from workstation.domain.places import is_seat, place_use, seat_key


def use(text: str, name: str, occurrence: int = 1):
    start = -1
    for _ in range(occurrence):
        start = text.index(name, start + 1)
    return place_use(text, start, start + len(name))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("MOSCOW, April 16 (Reuters) – Russia said", "MOSCOW"),
        ("WASHINGTON — The State Department", "WASHINGTON"),
        ("Headline\n\nMoscow, April 16 (Reuters) – Russia said", "Moscow"),
        ("BRUSSELS, March 2, 2021 — The EU", "BRUSSELS"),
        ("МОСКВА, 16 апреля 2021 года. Россия", "МОСКВА"),
        ("WASHINGTON, D.C. — Officials", "WASHINGTON"),
        ("Moscow (AP) — The Kremlin", "Moscow"),
    ],
)
def test_datelines_are_places(text, name):
    found = use(text, name)
    assert found is not None and found.certain
    assert found.reason.startswith("dateline")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("the ambassador went back to Washington for consultations", "Washington"),
        ("advised to return to Washington", "Washington"),
        ("In Moscow, Kremlin spokesman Dmitry Peskov said", "Moscow"),
        ("told reporters outside the embassy in Moscow that", "Moscow"),
        ("Antonov, who flew back to Moscow in March", "Moscow"),
        ("talks at Brussels were short", "Brussels"),
        ("послу рекомендовано вернуться в Вашингтон", "Вашингтон"),
        ("В Вашингтоне решение назвали", "Вашингтоне"),
        ("он прилетел из Москвы утром", "Москвы"),
        ("Police ringed Bolshoy Deviatinsky Lane 8, Moscow 121099, at dawn", "Moscow"),
        ("1600 Pennsylvania Avenue NW, Washington, DC 20500", "Washington"),
        ("A Moscow court later turned the sentence", "Moscow"),
    ],
)
def test_prepositions_addresses_and_attributes_are_places(text, name):
    found = use(text, name)
    assert found is not None and found.certain, found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Washington expelled ten diplomats", "Washington"),
        ("Moscow answered last week's sanctions", "Moscow"),
        ("what it called Moscow's interference", "Moscow"),
        ("Washington’s embassy in Moscow", "Washington"),
        ("staffing limits imposed by Moscow", "Moscow"),
        ("they are open to dialogue with Moscow", "Moscow"),
        ("открыты к диалогу с Москвой", "Москвой"),
        ("«Вашингтон должен понять", "Вашингтон"),
        ("a swipe at Moscow from the podium", "Moscow"),
        ("Interference. Moscow, meanwhile, said nothing", "Moscow"),
        ("Washington expels ten Russian diplomats", "Washington"),  # a headline
    ],
)
def test_metonymy_stays_the_state(text, name):
    assert use(text, name) is None


def test_to_and_from_without_motion_are_only_perhaps_places():
    found = use("Biden's message to Moscow was clear", "Moscow")
    assert found is not None and not found.certain
    assert "perhaps" in found.reason and "“to”" in found.reason


def test_only_capitals_are_read_this_way():
    assert use("talks in Russia went on", "Russia") is None  # the state itself
    assert use("reporters at the Kremlin", "Kremlin") is None
    assert use("VLADIVOSTOK, Dec. 10 —", "VLADIVOSTOK") is None  # not a seat of government


def test_seat_keys_fold_case_and_russian_endings():
    assert seat_key("WASHINGTON") == "washington"
    assert {seat_key(w) for w in ("Москва", "Москве", "Москвы", "Москвой", "МОСКВА")} == {"москв"}
    assert is_seat("Вашингтоне") and not is_seat("Москвич") and not is_seat("Russia")
