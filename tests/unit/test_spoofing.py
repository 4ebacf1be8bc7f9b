"""Look-alike letters (UTS #39 through ICU) and the loose Latin key for names across scripts:
pure domain functions."""

from __future__ import annotations

import pytest

from workstation.domain.spoofing import (
    confusable,
    look_alike_twins,
    mixed_script,
    scripts,
    skeleton,
)
from workstation.domain.transliteration import latin, sound_key

LAVROV_CYRILLIC_E = "Serg\u0435y Lavrov"  # a Cyrillic е among Latin letters
PAYPAL_CYRILLIC_A = "P\u0430ypal"


@pytest.mark.parametrize(
    ("text", "mixed"),
    [
        (LAVROV_CYRILLIC_E, True),
        (PAYPAL_CYRILLIC_A, True),
        ("Sergey Lavrov", False),
        ("Lavrov", False),
        ("Лавров", False),  # one script, Cyrillic
        ("Сергей Лавров", False),
        ("Lavrov Лавров", False),  # a Latin name beside its Cyrillic spelling: two words
        ("Zürich Tomáš Petříček", False),  # accents are Latin
        ("Ελλάδα", False),
        ("東京Tokyo", False),  # Han with Latin, as Japanese writes
        ("Serg\u200bey", False),  # invisible characters are no script
        ("Nav\u200balny with a Cyrill\u0456c і", True),
    ],
)
def test_mixed_script_flags_words_that_mix_scripts(text, mixed):
    assert mixed_script(text) is mixed


def test_skeletons_of_look_alikes_are_equal_after_invisibles_and_case():
    assert skeleton(LAVROV_CYRILLIC_E) == skeleton("Sergey Lavrov") == "sergey lavrov"
    assert skeleton(PAYPAL_CYRILLIC_A) == skeleton("PAYPAL") == skeleton("pay\u200bpal")
    assert skeleton("Nav\u200balny") == skeleton("navalny")
    assert skeleton("Лавров") != skeleton("Lavrov")  # different letters, not look-alikes
    assert skeleton("M0SCOW") == skeleton("moscow")  # ICU maps the digit 0 to a capital O


def test_confusable_means_looking_alike_without_being_the_same_text():
    assert confusable(LAVROV_CYRILLIC_E, "Sergey Lavrov")
    assert confusable(PAYPAL_CYRILLIC_A, "Paypal")
    assert not confusable("Sergey Lavrov", "SERGEY  lavrov")  # one name written twice
    assert not confusable("Nav\u200balny", "Navalny")  # invisible characters do not count
    assert not confusable("Лавров", "Lavrov")
    assert not confusable("Lavrov", "Lavrova")


def test_look_alike_twins_need_a_difference_of_script():
    assert look_alike_twins(LAVROV_CYRILLIC_E, "Sergey Lavrov")
    assert look_alike_twins("\u0420\u0430\u0443", "Pay")  # all Cyrillic, looks Latin
    assert confusable("Kirn", "Kim") and not look_alike_twins("Kirn", "Kim")  # "rn" and "m"


def test_scripts_leave_out_what_every_script_shares():
    assert scripts("Lavrov, 2021!") == {"Latn"}
    assert scripts("Лавров 1") == {"Cyrl"}
    assert scripts(LAVROV_CYRILLIC_E) == {"Latn", "Cyrl"}
    assert scripts("2021") == frozenset()


@pytest.mark.parametrize(
    ("other_script", "latin_name"),
    [
        ("Вашингтон", "Washington"),
        ("Лавров", "Lavrov"),
        ("Навальный", "Navalny"),
        ("Захарова", "Zakharova"),
        ("Шойгу", "Shoigu"),
        ("Небензя", "Nebenzia"),
        ("Рябков", "Ryabkov"),
        ("Дмитрий", "Dmitry"),
        ("Сергей", "Sergei"),
        ("Сергей", "Sergey"),
    ],
)
def test_names_meet_under_one_sound_key_across_scripts(other_script, latin_name):
    assert sound_key(other_script) == sound_key(latin_name)


def test_sound_keys_keep_different_names_apart():
    assert sound_key("Москва") != sound_key("Moscow")
    assert sound_key("Лавров") != sound_key("Peskov")
    assert latin("Лавров") == "Lavrov" and latin("Lavrov") == "Lavrov"
