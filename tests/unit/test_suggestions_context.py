"""Suggestions that read the context (issue 15): a capital used as the place is not its state,
a linked person's surname alone is that person, and accepting a suggestion never inflates the
passage counts."""

from __future__ import annotations

from workstation.domain.records import Annotation, Mention
from workstation.importers.base import DocumentDraft
from workstation.services.library import LibraryQuery
from workstation.services.suggestions import SuggestionService, accept, accept_many, suggest

STORY = (
    "MOSCOW, April 16 (Reuters) – Moscow answered the sanctions. The ambassador went back to "
    "Washington for consultations. Washington expelled ten diplomats. Biden's message to "
    "Moscow was clear.\n\nWASHINGTON — In Moscow, officials were silent."
)


def add_text(session, text: str, title: str = "Test") -> str:
    draft = DocumentDraft(title=title, text=text, origin_name="test.txt")
    return session.documents.add(draft).record.id


def countries(session) -> tuple[str, str]:
    russia = session.entities.create("Country", "Russia", aliases=["Moscow", "Москва"])
    usa = session.entities.create("Country", "United States", aliases=["Washington", "US"])
    return russia.record.id, usa.record.id


def link(session, doc: str, text: str, entity_id: str, occurrence: int = 1) -> Annotation:
    body = session.documents.get(doc).body
    start = -1
    for _ in range(occurrence):
        start = body.index(text, start + 1)
    passage = session.annotations.create(doc, start, start + len(text)).record
    session.entities.link(passage.id, entity_id)
    return passage


# -- places and states --------------------------------------------------------------------


def test_datelines_and_place_uses_are_not_suggested_as_the_state(session):
    countries(session)
    doc = add_text(session, STORY)
    found = {(s.start, s.text): s for s in suggest(session, doc)}
    texts = sorted(text for _, text in found)
    assert texts == ["Moscow", "Moscow", "Washington"]  # answered, message to, expelled
    answered = next(s for (start, _), s in found.items() if start == STORY.index("Moscow an"))
    assert (answered.entity_name, answered.score, answered.reason) == ("Russia", 0.95, "")
    doubtful = next(s for (start, _), s in found.items() if start == STORY.index("Moscow was"))
    assert doubtful.score < 0.5 and "perhaps the city" in doubtful.reason


def test_russian_datelines_and_prepositions(session):
    countries(session)
    doc = add_text(
        session, "МОСКВА, 16 апреля. Москва ответила. В Москве молчат. Диалог с Москвой."
    )
    assert [s.text for s in suggest(session, doc)] == ["Москва", "Москвой"]


def test_a_place_use_the_officer_linked_to_the_state_is_suggested_again(session):
    russia, _usa = countries(session)
    first = add_text(session, "MOSCOW, April 16 – Quiet.", title="one")
    second = add_text(session, "MOSCOW, April 17 – Also quiet. Moscow answered.", title="two")
    assert [s.text for s in suggest(session, second)] == ["Moscow"]
    link(session, first, "MOSCOW", russia)  # the officer maps datelines to Russia by hand
    found = suggest(session, second)
    assert [s.text for s in found] == ["MOSCOW", "Moscow"]
    assert "dateline" in found[0].reason and "you have linked such a use" in found[0].reason


def test_a_city_entity_keeps_its_place_uses(session):
    session.entities.create("Address", "Moscow")
    doc = add_text(session, "MOSCOW, April 16 – Police in Moscow were out.")
    assert [s.text for s in suggest(session, doc)] == ["MOSCOW", "Moscow"]


# -- surnames of people linked in the document --------------------------------------------


def test_surnames_are_suggested_once_the_person_is_linked_in_the_document(session):
    lavrov = session.entities.create("Person", "Sergey Lavrov", aliases=["Сергей Лавров"]).record.id
    text = (
        "Lavrov warns Washington\n\nForeign Minister Sergey Lavrov spoke. Lavrov added that "
        "Mr Lavrov would not travel. Foreign Minister Lavrov left. Lavrova, his daughter, stayed."
    )
    doc = add_text(session, text)
    other = add_text(session, "Lavrov added nothing.", title="other")
    assert [s.text for s in suggest(session, doc)] == ["Sergey Lavrov"]
    link(session, doc, "Sergey Lavrov", lavrov)
    found = suggest(session, doc)
    assert [(s.start, s.text) for s in found] == [
        (0, "Lavrov"),  # the headline, before the full name
        (text.index("Lavrov added"), "Lavrov"),
        (text.index("Mr Lavrov") + 3, "Lavrov"),
        (text.index("Minister Lavrov left") + 9, "Lavrov"),
    ]
    assert all(s.entity_id == lavrov and s.score == 0.9 for s in found)
    assert found[0].reason == "surname of Sergey Lavrov, linked in this document"
    assert suggest(session, other) == []  # not linked there: no surname guesses


def test_russian_surnames_with_case_endings(session):
    lavrov = session.entities.create("Person", "Sergey Lavrov", aliases=["Сергей Лавров"]).record.id
    text = "Министр Сергей Лавров заявил. По словам Лаврова, всё ясно. С Лавровым согласились."
    doc = add_text(session, text)
    link(session, doc, "Сергей Лавров", lavrov)
    found = suggest(session, doc)
    assert [(s.text, s.entity_id) for s in found] == [("Лаврова", lavrov), ("Лавровым", lavrov)]
    assert all(s.score == 0.85 for s in found)  # a case ending: a little less sure


def test_a_surname_in_another_script_is_read_by_transliteration(session):
    antonov = session.entities.create("Person", "Anatoly Antonov").record.id
    text = "Ambassador Anatoly Antonov arrived. Посол Антонов заявил, что Антонова не вызывали."
    doc = add_text(session, text)
    link(session, doc, "Anatoly Antonov", antonov)
    assert [s.text for s in suggest(session, doc)] == ["Антонов", "Антонова"]


# -- accepting ----------------------------------------------------------------------------


def passages(session, doc: str) -> int:
    row = next(r for r in session.documents.list_documents() if r.id == doc)
    listed = next(r for r in session.library.page(LibraryQuery(), 0, 100) if r.id == doc)
    assert row.passages == listed.passages
    return row.passages


def test_accepting_outside_a_passage_makes_a_mention_that_is_not_a_passage(session):
    countries(session)
    doc = add_text(session, "Moscow answered. Washington expelled ten diplomats.")
    before = passages(session, doc)
    moscow = suggest(session, doc)[0]
    outcome = accept(session, moscow, role="actor")
    span = session.annotations.get(outcome.record.annotation_id)
    assert (span.exact, span.mention_only, span.category_id) == ("Moscow", True, None)
    assert passages(session, doc) == before
    assert moscow not in suggest(session, doc)
    marked = session.annotations.create(doc, 0, 16).record  # a passage the officer marks
    assert not marked.mention_only and passages(session, doc) == before + 1


def test_accepting_inside_a_passage_links_that_passage(session):
    _russia, usa = countries(session)
    text = "Moscow answered. Washington expelled ten diplomats and Washington said so."
    doc = add_text(session, text)
    outer = session.annotations.create(doc, text.index("Washington"), len(text)).record
    inner = session.annotations.create(doc, text.index("Washington"), text.index(" and")).record
    before = passages(session, doc)
    found = [s for s in suggest(session, doc) if s.entity_id == usa]
    changes = accept_many(session, found)
    assert changes.ids_of(Annotation) == set()  # no new span
    linked = {
        m.annotation_id
        for m in session.workspace.records.where(Mention)
        if m.id in changes.ids_of(Mention)
    }
    assert linked == {inner.id, outer.id}  # the narrowest passage holding each
    assert passages(session, doc) == before
    assert not [s for s in suggest(session, doc) if s.entity_id == usa]


def test_accept_many_is_one_undo_step(session):
    countries(session)
    doc = add_text(session, "Moscow answered. Washington expelled ten diplomats.")
    found = SuggestionService(session).suggest(doc)
    changes = accept_many(session, found)
    assert suggest(session, doc) == []
    session.revert(changes)
    assert suggest(session, doc) == found


def test_surname_suggestions_keep_reading_order(session):
    countries(session)
    lavrov = session.entities.create("Person", "Sergey Lavrov").record.id
    text = "Sergey Lavrov spoke. Lavrov said Moscow would answer. Washington, Lavrov added, knew."
    doc = add_text(session, text)
    link(session, doc, "Sergey Lavrov", lavrov)
    found = suggest(session, doc)
    assert [s.text for s in found] == ["Lavrov", "Moscow", "Washington", "Lavrov"]
    assert [s.start for s in found] == sorted(s.start for s in found)
