"""New names in Russian text (issue 16): natasha's NER, nominatives, Latin aliases, kinds."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from typing import Any

import pytest

from workstation.domain.assistant import NameCandidate, names_russian
from workstation.domain.assistant.names_russian import hides, propose_russian, romanise

# The April 2021 story, as a Russian agency would write it.
ARTICLE = (
    "МОСКВА, 16 апреля. Посол США в России Джон Салливан был вызван в МИД России, "
    "где ему вручили ноту протеста. Официальный представитель министерства Мария Захарова "
    "назвала разговор с послом жёстким. Министр иностранных дел Сергей Лавров заявил, что "
    "Москва в ответ на санкции администрации Джо Байдена вышлет 10 американских дипломатов. "
    "Ранее Вашингтон объявил о высылке 10 сотрудников российского посольства. "
    "Пресс-секретарь Кремля Дмитрий Песков сказал, что Владимир Путин не исключает встречи "
    "с Байденом. Тем временем Евросоюз ввёл санкции против российских чиновников из-за дела "
    "Алексея Навального. По словам Лаврова, в ответ на действия Соединённых Штатов Россия "
    "ограничит работу американских фондов. Замглавы МИД Сергей Рябков посетил Владивосток."
)


@pytest.fixture(scope="module")
def found() -> list[NameCandidate]:
    return propose_russian(ARTICLE)


def _by_text(candidates: list[NameCandidate], text: str) -> NameCandidate:
    matches = [candidate for candidate in candidates if candidate.text == text]
    assert matches, f"{text!r} not proposed; got {[c.text for c in candidates]}"
    return matches[0]


def test_people_are_proposed_in_the_nominative_with_a_latin_alias(
    found: list[NameCandidate],
) -> None:
    expected = {
        "Алексея Навального": ("Алексей Навальный", "Aleksey Navalny"),
        "Сергей Лавров": ("Сергей Лавров", "Sergey Lavrov"),
        "Мария Захарова": ("Мария Захарова", "Mariya Zakharova"),
        "Джо Байдена": ("Джо Байден", "Dzho Bayden"),
        "Джон Салливан": ("Джон Салливан", "Dzhon Sallivan"),
        "Дмитрий Песков": ("Дмитрий Песков", "Dmitry Peskov"),
    }
    for text, (normal, counterpart) in expected.items():
        candidate = _by_text(found, text)
        assert candidate.entity_kind == "Person"
        assert (candidate.normal, candidate.counterpart) == (normal, counterpart)


def test_a_lone_surname_takes_the_full_name_given_earlier(found: list[NameCandidate]) -> None:
    assert _by_text(found, "Байденом").normal == "Джо Байден"
    assert _by_text(found, "Лаврова").normal == "Сергей Лавров"


def test_state_organs_unions_and_countries_get_their_kinds(found: list[NameCandidate]) -> None:
    ministry = _by_text(found, "МИД России")  # one name, not "МИД" and a country
    assert (ministry.entity_kind, ministry.normal, ministry.counterpart) == (
        "PublicBody",
        "Министерство иностранных дел России",  # the name filed: the acronym spelled out
        "Ministry of Foreign Affairs of Russia",
    )
    kremlin = _by_text(found, "Кремля")
    assert (kremlin.entity_kind, kremlin.normal) == ("PublicBody", "Кремль")
    union = _by_text(found, "Евросоюз")
    assert (union.entity_kind, union.counterpart) == ("Organization", "European Union")
    usa = _by_text(found, "США")
    assert (usa.entity_kind, usa.normal, usa.counterpart) == ("Country", "США", "United States")
    states = _by_text(found, "Соединённых Штатов")
    assert (states.entity_kind, states.normal) == ("Country", "Соединённые Штаты")  # ё kept
    assert _by_text(found, "Россия").counterpart == "Russia"


def test_agencies_are_filed_under_their_full_names() -> None:
    # one state's agency: its full name, whichever state is written after it
    [fsb] = propose_russian("Сотрудники ФСБ России задержали консула.")
    assert (fsb.text, fsb.entity_kind) == ("ФСБ России", "PublicBody")
    assert (fsb.normal, fsb.counterpart) == ("Федеральная служба безопасности", "FSB")
    # a ministry: every state has one, so its state stays in the name; both spellings are
    # one name, so the service makes one proposal of them
    body = "Министерство иностранных дел Польши вызвало посла. МИД Польши заявил протест."
    ministries = [c for c in propose_russian(body) if c.entity_kind == "PublicBody"]
    assert [c.text for c in ministries] == ["Министерство иностранных дел Польши", "МИД Польши"]
    assert {c.normal for c in ministries} == {"Министерство иностранных дел Польши"}
    assert ministries[1].counterpart == "Ministry of Foreign Affairs of Poland"


def test_a_quoted_facility_is_no_name_and_a_quoted_company_is_a_company() -> None:
    body = (
        "Госкорпорация «Росатом» не будет допущена к тендеру на строительство энергоблока "
        "атомной электростанции «Дукованы». В Росатоме решение назвали политическим. "
        "Российская сторона опасается за АЭС «Дукованы»."
    )
    found = propose_russian(body)
    assert not [c for c in found if "Дукован" in c.text]
    rosatom = [c for c in found if c.normal == "Росатом"]
    assert len(rosatom) == 2 and {c.entity_kind for c in rosatom} == {"Company"}
    assert "“госкорпорация” before it" in rosatom[0].reason
    # without the cue, natasha's organisation stays an Organization
    plain = propose_russian("Сотрудники «Мемориала» провели пикет.")
    assert [(c.normal, c.entity_kind) for c in plain] == [("Мемориал", "Organization")]


def test_cities_are_not_proposed(found: list[NameCandidate]) -> None:
    for city in ("МОСКВА", "Москва", "Вашингтон", "Владивосток"):
        at = ARTICLE.index(city)
        assert not [c for c in found if c.start <= at < c.end], city
    assert not {"Москва", "Вашингтон", "Владивосток"} & {c.normal for c in found}


def test_every_candidate_is_its_stretch_of_the_body(found: list[NameCandidate]) -> None:
    assert len(found) >= 15
    for candidate in found:
        assert ARTICLE[candidate.start : candidate.end] == candidate.text
        assert 0.0 < candidate.score <= 1.0


@pytest.mark.parametrize("prefix", ["😀 ", "🇷🇺𝔸 — ", "\U0001d400. "])
def test_offsets_are_code_points_after_astral_characters(prefix: str) -> None:
    body = prefix + "Сергей Лавров встретился с Марией Захаровой."
    candidates = propose_russian(body)
    assert [(c.text, c.normal) for c in candidates] == [
        ("Сергей Лавров", "Сергей Лавров"),
        ("Марией Захаровой", "Мария Захарова"),
    ]
    for candidate in candidates:
        assert body[candidate.start : candidate.end] == candidate.text
    assert candidates[0].start == len(prefix)


def test_known_spans_are_left_out(found: list[NameCandidate]) -> None:
    start = ARTICLE.index("Сергей Лавров")
    # a known span covering only part of the name still excludes the whole name
    again = propose_russian(ARTICLE, known=[(start + 3, start + 5)])
    assert "Сергей Лавров" in {c.text for c in found}
    assert "Сергей Лавров" not in {c.text for c in again}
    assert len(again) == len(found) - 1


def test_rejected_texts_and_nominatives_are_left_out() -> None:
    candidates = propose_russian(ARTICLE, rejected={"мид россии", "Алексей Навальный"})
    texts = {c.text for c in candidates}
    assert "МИД России" not in texts  # by its text, in any case
    assert "Алексея Навального" not in texts  # a declined mention, by its nominative
    assert "Сергей Лавров" in texts


def test_a_known_name_inside_a_longer_body_does_not_hide_it() -> None:
    # the registry knows "России" and "МИД" (Russia, the Russian MFA); "ФСБ России" and
    # "МИД Польши" are other bodies, named after them
    body = "ФСБ России задержала консула, МИД Польши вызвал посла, а Джо Байдена не было."
    known = [(4, 10), (30, 33), (body.index("Байдена"), body.index("Байдена") + 7)]
    found = propose_russian(body, known=known)
    assert {c.text for c in found} == {"ФСБ России", "МИД Польши"}  # Джо Байдена is hidden
    fsb = next(c for c in found if c.text == "ФСБ России")
    assert not hides(known, fsb)
    assert hides([(fsb.start, fsb.end)], fsb)  # the same span, known, does hide it
    person = next(c for c in propose_russian(body) if c.entity_kind == "Person")
    assert hides(known, person)


def test_latin_script_names_are_left_to_the_other_finder() -> None:
    body = "Агентство Reuters сообщило, что Joe Biden позвонил, а Сергей Лавров ответил."
    assert [c.text for c in propose_russian(body)] == ["Сергей Лавров"]


def test_text_without_cyrillic_proposes_nothing() -> None:
    assert propose_russian("Sergei Lavrov met Ambassador John Sullivan in Moscow.") == []
    assert propose_russian("") == []


def test_people_score_above_organisations_and_repeats_above_single_mentions(
    found: list[NameCandidate],
) -> None:
    navalny = _by_text(found, "Алексея Навального")  # named once
    biden = _by_text(found, "Джо Байдена")  # named twice
    union = _by_text(found, "Евросоюз")  # named once
    assert biden.score > navalny.score > union.score
    assert navalny.reason == "natasha NER: PER (person), nominative Алексей Навальный"
    assert "named 2 times" in biden.reason
    assert "state organ" in _by_text(found, "МИД России").reason


@pytest.mark.parametrize(
    ("russian", "latin"),
    [
        ("Алексей Навальный", "Aleksey Navalny"),
        ("Сергей Лавров", "Sergey Lavrov"),
        ("Мария Захарова", "Mariya Zakharova"),
        ("Юрий Ушаков", "Yury Ushakov"),
        ("Фёдор Лукьянов", "Fyodor Lukyanov"),
        ("Михаил Горбачёв", "Mikhail Gorbachev"),
        ("Василий Небензя", "Vasily Nebenzya"),
        ("Сергей Рябков", "Sergey Ryabkov"),
        ("Министерство иностранных дел", "Ministerstvo inostrannykh del"),
        ("ФСБ", "FSB"),
        ("Совет ЕС", "Sovet ES"),
    ],
)
def test_romanisation_is_what_officers_type(russian: str, latin: str) -> None:
    assert romanise(russian) == latin


def test_models_are_built_once_when_threads_race(monkeypatch: pytest.MonkeyPatch) -> None:
    import natasha

    built: list[object] = []
    original = natasha.NewsEmbedding

    class CountedEmbedding(original):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            built.append(self)
            super().__init__()

    monkeypatch.setattr(natasha, "NewsEmbedding", CountedEmbedding)
    monkeypatch.setattr(names_russian, "_pipeline", None)
    assert not names_russian.loaded()
    pipelines: list[Any] = []
    threads = [
        threading.Thread(target=lambda: pipelines.append(names_russian._load())) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert len({id(pipeline) for pipeline in pipelines}) == 1
    assert names_russian.loaded()


def _run(script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_module_does_not_import_natasha() -> None:
    script = (
        "import sys, workstation.domain.assistant.names_russian as n\n"
        "print('natasha' in sys.modules, n.loaded(), n.propose_russian('Sergei Lavrov'),"
        " 'natasha' in sys.modules)"
    )
    assert _run(script) == "False False [] False"


OFFLINE = """
import json, socket
attempts = []
def refuse(*args, **kwargs):
    attempts.append(repr(args[:2]))
    raise OSError("network disabled by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from workstation.domain.assistant.names_russian import propose_russian
names = [c.normal for c in propose_russian(%r)]
print(json.dumps({"names": names, "attempts": attempts}))
"""


def test_names_are_found_with_the_network_disabled() -> None:
    report = json.loads(_run(OFFLINE % ARTICLE))
    assert report["attempts"] == []
    assert "Алексей Навальный" in report["names"]
    assert "Министерство иностранных дел России" in report["names"]


def test_the_morphology_needs_no_pkg_resources() -> None:
    """pymorphy2 looks its dictionary up through pkg_resources, which recent setuptools and
    the frozen bundle lack: the vocabulary is built from the dictionary's path instead, and
    is natasha's MorphVocab all the same (its cached parse, its lemmatiser)."""
    probe = (
        "import sys; sys.modules['pkg_resources'] = None\n"  # import pkg_resources fails
        "from natasha import MorphVocab\n"
        "from workstation.domain.assistant.names_russian import _morph_vocab\n"
        "vocab = _morph_vocab()\n"
        "assert isinstance(vocab, MorphVocab) and vocab.lang == 'ru'\n"
        "print(vocab('Лавровым')[0].normal_form)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "лавров"
