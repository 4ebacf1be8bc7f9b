"""Finding registry names in text (pure): folding with a way back to the original offsets,
word boundaries, possessives, case-sensitive abbreviations, Russian endings, longer names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.domain.matching import (
    AliasIndex,
    alias_forms,
    context,
    fold,
    fold_text,
)

REGISTRY = {
    "duma": ["State Duma", "Duma", "Госдума", "Государственная дума"],
    "usa": ["United States", "U.S.", "USA", "Washington", "США"],
    "us-short": ["US"],
    "putin": ["Vladimir Putin", "Putin", "Путин", "Владимир Путин"],
    "zakharova": ["Maria Zakharova", "Zakharova", "Мария Захарова", "Захарова"],
    "navalny": ["Alexei Navalny", "Navalny", "Навальный", "Алексей Навальный"],
    "russia": ["Russia", "Moscow", "Россия", "Москва"],
    "mfa": ["Russian Foreign Ministry", "МИД", "МИД России"],
    "kremlin": ["Kremlin", "the Kremlin", "Кремль"],
    "state-dept": ["U.S. State Department", "State Department"],
    "biden": ["Joe Biden", "Biden", "Джо Байден", "Байден"],
    "white-house": ["White House", "Белый дом"],
}


@pytest.fixture(scope="module")
def index() -> AliasIndex:
    forms = []
    for entity, labels in REGISTRY.items():
        for position, label in enumerate(labels):
            forms += alias_forms(entity, label, is_name=position == 0)
    return AliasIndex(forms)


def found(index: AliasIndex, text: str) -> list[tuple[str, str]]:
    """(matched text, entity) for every reading, in order."""
    return [
        (text[match.start : match.end], form.entity_id)
        for match in index.find(text)
        for form, _declined in match.readings
    ]


# -- folding ------------------------------------------------------------------------------------


def test_fold_casefolds_and_removes_diacritics_keeping_offsets_one_to_one():
    folded = fold("Zakharová, Соединённые Штаты, Navalny’s")
    assert folded.text == "zakharova, соединенные штаты, navalny's"
    assert folded.origin is None  # nothing changed length: offsets are the same


def test_fold_maps_changed_lengths_back_to_the_original():
    text = "Straße Пу\u0301тин ﬁne"  # ß → ss, a combining stress mark vanishes, ﬁ → fi
    folded = fold(text)
    assert folded.text == "strasse путин fine"
    start = folded.text.index("путин")
    assert folded.span(start, start + 5) == (7, 13)  # the stress mark stays inside
    assert text[slice(*folded.span(0, 7))] == "Straße"
    assert text[slice(*folded.span(14, 18))] == "ﬁne"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_fold_span_of_the_whole_text_is_the_whole_text(text):
    folded = fold(text)
    if folded.text:
        assert folded.span(0, len(folded.text)) == (0, len(text))
    if folded.origin is not None:
        assert len(folded.origin) == len(folded.text)
        assert folded.origin == sorted(folded.origin)


# -- boundaries, possessives, case --------------------------------------------------------------


def test_never_inside_a_longer_word(index):
    assert found(index, "Dumaev and Dumas met at the Duma.") == [("Duma", "duma")]
    assert found(index, "USA") == [("USA", "usa")]  # not "US" inside it
    assert found(index, "Putinism") == []


def test_possessives_end_before_the_apostrophe(index):
    text = "Navalny's lawyers and Navalny’s allies; the Kremlin's answer"
    assert found(index, text) == [
        ("Navalny", "navalny"),
        ("Navalny", "navalny"),
        ("the Kremlin", "kremlin"),
    ]


def test_short_all_caps_names_are_case_sensitive(index):
    text = "They told us that US officials met; МИД и мид"
    # "US" is an alias of its own and the undotted "U.S.": two readings of one span.
    assert found(index, text) == [("US", "usa"), ("US", "us-short"), ("МИД", "mfa")]


def test_a_dotted_abbreviation_is_also_found_without_dots(index):
    assert found(index, "U.S. banks, not u.s. or us") == [("U.S.", "usa")]


def test_case_and_diacritics_do_not_matter_for_longer_names(index):
    assert found(index, "ZAKHAROVA, zakharova and Zakharová") == [
        ("ZAKHAROVA", "zakharova"),
        ("zakharova", "zakharova"),
        ("Zakharová", "zakharova"),
    ]


# -- Russian ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("встреча с Путиным", ("Путиным", "putin")),
        ("заявление Захаровой", ("Захаровой", "zakharova")),
        ("Марии Захаровой", ("Марии Захаровой", "zakharova")),
        ("дело Навального", ("Навального", "navalny")),
        ("депутаты Госдумы", ("Госдумы", "duma")),
        ("Государственной думы", ("Государственной думы", "duma")),
        ("меры МИДа", ("МИДа", "mfa")),
        ("администрацией Джо Байдена", ("Джо Байдена", "biden")),
        ("в Кремле", ("Кремле", "kremlin")),
        ("в Белом доме", ("Белом доме", "white-house")),
        ("с Москвой", ("Москвой", "russia")),
        ("Соединённые", None),
    ],
)
def test_russian_case_endings(index, text, expected):
    assert found(index, text) == ([expected] if expected else [])


def test_declined_readings_are_flagged(index):
    [plain] = index.find("Путин")
    [declined] = index.find("Путина")
    assert plain.readings[0][1] is False
    assert declined.readings[0][1] is True


def test_derived_words_are_not_names(index):
    assert found(index, "путинизм, россияне, кремлёвские источники, Москвич") == []


# -- longer names win; a name inside another name is not a mention -----------------------------


def test_the_longest_name_wins(index):
    assert found(index, "The U.S. State Department and the State Duma") == [
        ("U.S. State Department", "state-dept"),
        ("State Duma", "duma"),
    ]


def test_a_name_broken_over_a_line_is_still_found(index):
    assert found(index, "Maria\nZakharova said") == [("Maria\nZakharova", "zakharova")]


def test_names_that_start_another_proper_name_are_left_out(index):
    text = "The Washington Post and The Moscow Times reported; Kremlin Spokesman Peskov"
    assert found(index, text) == [("Kremlin", "kremlin")]


def test_offsets_count_code_points_past_astral_characters(index):
    text = "🇷🇺 Путин 🇺🇸 Biden"
    assert [(m.start, m.end) for m in index.find(text)] == [(3, 8), (12, 17)]


def test_an_empty_registry_finds_nothing():
    assert AliasIndex([]).find("Putin and Biden") == []


def test_one_letter_and_huge_labels_are_not_names():
    assert alias_forms("x", "A") == []
    assert alias_forms("x", "word " * 50) == []
    assert fold_text("  ") == "  "


# -- context -------------------------------------------------------------------------------------


def test_context_gives_the_words_around_keeping_the_spaces():
    text = "one two three four five six seven Peskov's remarks came after the vote today"
    start = text.index("Peskov")
    before, after = context(text, start, start + 6, words=3)
    assert before == "five six seven "
    assert after == "'s remarks came after"
    assert context("Peskov", 0, 6) == ("", "")
