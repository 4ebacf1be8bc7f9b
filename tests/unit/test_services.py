import sqlite3

import pytest

from workstation.domain.records import Annotation, Mention
from workstation.importers import DocumentDraft
from workstation.services.maintenance import check
from workstation.services.outcome import NotFound, ServiceError

TEXT = (
    "Kremlin Spokesman Dmitry Peskov said the principle of reciprocity applies. "
    "Песков 😀 added that Moscow would answer."
)


@pytest.fixture
def doc(session):
    return session.documents.add(
        DocumentDraft(title="Peskov", text=TEXT, origin_name="a.txt")
    ).record


def _span(body, quote):
    start = body.index(quote)
    return start, start + len(quote)


def test_duplicate_text_is_recognised_by_hash(session, doc):
    from workstation.services.documents import DuplicateDocument

    with pytest.raises(DuplicateDocument) as info:
        session.documents.add(DocumentDraft(title="Again", text=TEXT + "\r\n", origin_name="b.txt"))
    assert info.value.existing_id == doc.id
    assert session.documents.count() == 1


def test_annotation_create_stores_quote_context_and_returns_changes(session, doc):
    start, end = _span(doc.body, "reciprocity")
    category = session.codebook.by_name("Countermeasure")
    outcome = session.annotations.create(doc.id, start, end, category_id=category.id, note="n")
    annotation = outcome.record
    assert annotation.exact == "reciprocity"
    assert doc.body.endswith(annotation.suffix) or annotation.suffix in doc.body
    assert annotation.prefix == doc.body[max(0, start - 32) : start]
    assert [(c.action, c.table) for c in outcome.changes.changes] == [("create", "annotations")]


def test_annotation_refuses_bad_offsets_and_unknown_category(session, doc):
    with pytest.raises(ServiceError):
        session.annotations.create(doc.id, 5, 5)
    with pytest.raises(ServiceError):
        session.annotations.create(doc.id, 0, len(doc.body) + 1)
    with pytest.raises(NotFound):
        session.annotations.create(doc.id, 0, 4, category_id="nope")
    with pytest.raises(ServiceError):
        session.annotations.edit(session.annotations.create(doc.id, 0, 4).record.id, start=1)


def test_emoji_and_cyrillic_offsets_before_inside_after(session, doc):
    for quote in ("Песков", "😀 added", "Moscow would answer."):
        start, end = _span(doc.body, quote)
        saved = session.annotations.create(doc.id, start, end).record
        assert doc.body[saved.start : saved.end] == quote
    assert check(session) == []


def test_deleting_a_passage_tombstones_its_links_and_undo_brings_all_back(session, doc):
    start, end = _span(doc.body, "Dmitry Peskov")
    annotation = session.annotations.create(doc.id, start, end).record
    peskov = session.entities.create("Person", "Dmitry Peskov", aliases=["Песков"]).record
    session.entities.link(annotation.id, peskov.id, "speaker")
    deleted = session.annotations.delete(annotation.id)
    assert {c.table for c in deleted.changes.changes} == {"annotations", "mentions"}
    assert session.entities.mentions_of(annotation.id) == []
    session.revert(deleted.changes)
    assert session.annotations.get(annotation.id).live
    assert [m.role for m in session.entities.mentions_of(annotation.id)] == ["speaker"]
    session.reapply(deleted.changes)
    assert session.workspace.records.get(Annotation, annotation.id) is None
    assert (
        session.workspace.records.get(Mention, next(iter(deleted.changes.ids_of(Mention)))) is None
    )


def test_revert_of_an_edit_restores_the_previous_values(session, doc):
    annotation = session.annotations.create(doc.id, 0, 7, note="first").record
    edit = session.annotations.edit(annotation.id, note="second", releasable=False)
    session.revert(edit.changes)
    back = session.annotations.get(annotation.id)
    assert (back.note, back.releasable) == ("first", True)
    session.reapply(edit.changes)
    assert session.annotations.get(annotation.id).note == "second"


def test_document_delete_cascades_to_passages(session, doc):
    annotation = session.annotations.create(doc.id, 0, 7).record
    session.documents.delete(doc.id)
    assert session.workspace.records.get(Annotation, annotation.id) is None
    assert check(session) == []


def test_entities_validate_kind_aliases_and_wikidata(session):
    entity = session.entities.create(
        "Person",
        " Maria Zakharova ",
        aliases=["Zakharova", "zakharova", "Мария Захарова", ""],
        wikidata_id="q123",
    ).record
    assert entity.name == "Maria Zakharova"
    assert entity.aliases == ["Zakharova", "Мария Захарова"]
    assert entity.wikidata_id == "Q123"
    assert session.entities.find_by_name("МАРИЯ ЗАХАРОВА").id == entity.id
    with pytest.raises(ServiceError):
        session.entities.create("Alien", "X")
    with pytest.raises(ServiceError):
        session.entities.create("Person", "X", wikidata_id="wikidata:1")
    with pytest.raises(ServiceError):
        session.entities.create("Person", "   ")
    updated = session.entities.add_alias(entity.id, "Zakharova M.").record
    assert "Zakharova M." in updated.aliases


def test_mention_roles_are_checked(session, doc):
    annotation = session.annotations.create(doc.id, 0, 7).record
    entity = session.entities.create("PublicBody", "Kremlin").record
    with pytest.raises(ServiceError):
        session.entities.link(annotation.id, entity.id, "villain")
    session.entities.link(annotation.id, entity.id, "actor")
    with pytest.raises(ServiceError):
        session.entities.link(annotation.id, entity.id, "actor")


def test_events_dates_kinds_and_answer_chains(session, doc):
    episode = session.episodes.create("Round").record
    usa = session.entities.create("Country", "United States").record
    first = session.episodes.add_event(
        episode.id, date="2021-04-15", kind="sanction", title="Order", actor_id=usa.id
    ).record
    answer = session.episodes.add_event(
        episode.id,
        date="2021-04",
        precision="month",
        kind="countermeasure",
        title="Reply",
        responds_to=first.id,
    ).record
    assert answer.date == "2021-04-01"
    with pytest.raises(ServiceError):
        session.episodes.edit_event(first.id, responds_to=answer.id)  # a cycle
    with pytest.raises(ServiceError):
        session.episodes.add_event(episode.id, date="2021-04", precision="day", title="x")
    with pytest.raises(ServiceError):
        session.episodes.add_event(episode.id, date="2021-04-15", kind="war", title="x")
    other = session.episodes.create("Other").record
    with pytest.raises(ServiceError):
        session.episodes.add_event(
            other.id, date="2021", precision="year", title="x", responds_to=first.id
        )
    annotation = session.annotations.create(doc.id, 0, 7).record
    session.episodes.add_evidence(first.id, annotation.id)
    with pytest.raises(ServiceError):
        session.episodes.add_evidence(first.id, annotation.id)
    deleted = session.episodes.delete_event(first.id)
    assert [e.id for e in session.episodes.events(episode.id)] == [answer.id]
    assert session.episodes.events(episode.id)[0].responds_to is None
    session.revert(deleted.changes)
    by_id = {e.id: e for e in session.episodes.events(episode.id)}
    assert by_id[answer.id].responds_to == first.id
    assert check(session) == []


def test_judgments_use_the_icd203_scale(session, doc):
    episode = session.episodes.create("Round").record
    annotation = session.annotations.create(doc.id, 0, 7).record
    judgment = session.episodes.add_judgment(
        episode.id,
        text="Moscow will reciprocate.",
        likelihood_term="Probable",
        confidence="Moderate",
        cited=[annotation.id, annotation.id],
    ).record
    assert (judgment.likelihood, judgment.confidence) == ("likely", "moderate")
    assert judgment.cited == [annotation.id]
    with pytest.raises(ServiceError):
        session.episodes.add_judgment(
            episode.id, text="x", likelihood_term="maybe", confidence="high"
        )
    with pytest.raises(ServiceError):
        session.episodes.edit_judgment(judgment.id, confidence="total")


def test_episode_resolution(session):
    with pytest.raises(NotFound):
        session.episodes.resolve(None)
    one = session.episodes.create("Spring 2021").record
    assert session.episodes.resolve(None).id == one.id
    session.episodes.create("Autumn")
    with pytest.raises(ServiceError):
        session.episodes.resolve(None)
    assert session.episodes.resolve("spring 2021").id == one.id
    assert session.episodes.resolve(one.id).id == one.id


def test_codebook_rules(session):
    assert [c.shortcut for c in session.codebook.list_categories()][:3] == ["1", "2", "3"]
    with pytest.raises(ServiceError):
        session.codebook.create("sanction")
    with pytest.raises(ServiceError):
        session.codebook.create("Leak", colour="red")
    with pytest.raises(ServiceError):
        session.codebook.create("Leak", shortcut="1")
    leak = session.codebook.create("Leak", colour="#123456", shortcut="9").record
    assert leak.position == 8


def test_grades_are_validated(session, doc):
    assert (
        session.documents.edit(doc.id, reliability="b", credibility="2").record.reliability == "B"
    )
    with pytest.raises(ValueError):
        session.documents.edit(doc.id, reliability="Z")


# -- the sample episode --------------------------------------------------------------------


def test_sample_episode_content(sample_session):
    s = sample_session
    assert s.documents.count() == 2
    passages = [a for d in s.documents.list_documents() for a in s.annotations.for_document(d.id)]
    assert len(passages) >= 25
    assert any(not a.releasable for a in passages)
    names = {e.name for e in s.entities.list_entities()}
    for name in (
        "Joe Biden",
        "Vladimir Putin",
        "Dmitry Peskov",
        "Maria Zakharova",
        "Alexei Gromov",
        "Alexei Navalny",
        "Alexander Bastrykin",
        "Igor Krasnov",
        "Viktor Zolotov",
        "Alexander Kalashnikov",
        "Donald Trump",
        "United States",
        "Russia",
        "European Union",
        "Kremlin",
        "White House",
        "State Duma",
    ):
        assert name in names
    assert s.entities.find_by_name("Бастрыкин").name == "Alexander Bastrykin"
    episode = s.episodes.resolve(None)
    assert episode.bottom_line and episode.outlook
    events = s.episodes.events(episode.id)
    assert len(events) >= 8
    assert all(s.episodes.evidence_of(e.id) for e in events)
    assert all(e.actor_id and e.target_id for e in events)
    answered = {e.responds_to for e in events if e.responds_to}
    assert len(answered) >= 2
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert len(s.episodes.judgments(episode.id)) >= 3
    assert check(s) == []


# -- check finds what is wrong -------------------------------------------------------------


def test_check_reports_offsets_fts_and_orphans(sample_path):
    from workstation.services import open_session

    raw = sqlite3.connect(sample_path)
    raw.execute('UPDATE annotations SET "end" = "end" + 1 WHERE seq = 1')
    raw.execute("DROP TRIGGER documents_fts_update")
    raw.execute("UPDATE documents SET title = 'Untracked title' WHERE seq = 1")
    raw.execute("UPDATE entities SET deleted_at = '2021-01-01' WHERE name = 'Joe Biden'")
    raw.commit()
    raw.close()
    with open_session(sample_path) as s:
        problems = check(s)
    kinds = {p.check for p in problems}
    assert {"offsets", "fts", "orphan"} <= kinds
    assert any("Joe Biden" not in str(p) and p.table == "mentions" for p in problems)


def test_briefs_are_recorded_with_their_hashes(sample_session):
    episode = sample_session.episodes.resolve(None)
    brief = sample_session.episodes.record_brief(
        episode.id, options={"marking": "TLP:AMBER"}, content_hash="c" * 64, pdf_hash="p" * 64
    ).record
    again = sample_session.episodes.briefs(episode.id)
    assert [b.id for b in again] == [brief.id]
    assert again[0].options == {"marking": "TLP:AMBER"} and again[0].built_at.endswith("Z")


def test_author_setting_defaults_to_the_login_name(monkeypatch, isolated_data_dir):
    import getpass

    from workstation.services import settings

    monkeypatch.delenv("WORKSTATION_AUTHOR")
    assert settings.current_author() == getpass.getuser()
    settings.set_author("Desk Officer 7")
    assert settings.current_author() == "Desk Officer 7"
    with pytest.raises(ValueError):
        settings.set_author("  ")


def test_undo_writes_back_only_what_the_step_changed_and_refuses_after_other_edits(session, doc):
    annotation = session.annotations.create(doc.id, 0, 7, note="first").record
    note_edit = session.annotations.edit(annotation.id, note="second")
    session.annotations.edit(annotation.id, releasable=False)  # a later, separate edit
    session.revert(note_edit.changes)
    back = session.annotations.get(annotation.id)
    assert (back.note, back.releasable) == ("first", False)  # the later edit survives
    session.annotations.edit(annotation.id, note="third")  # now the note moved on
    with pytest.raises(ServiceError, match="changed since"):
        session.reapply(note_edit.changes)
    assert session.annotations.get(annotation.id).note == "third"


def test_restoring_a_document_whose_text_came_back_is_refused_clearly(session, doc):
    from workstation.services.documents import DuplicateDocument

    deleted = session.documents.delete(doc.id)
    again = session.documents.add(DocumentDraft(title="Again", text=TEXT, origin_name="b.txt"))
    with pytest.raises(DuplicateDocument):
        session.documents.restore(doc.id)
    with pytest.raises(ValueError, match="same text"):
        session.revert(deleted.changes)  # undo the delete: the same rule, in plain words
    assert session.documents.get(again.record.id).live


def test_a_judgment_citing_a_deleted_passage_can_still_be_edited(session, doc):
    episode = session.episodes.create("Round").record
    passage = session.annotations.create(doc.id, 0, 7).record
    judgment = session.episodes.add_judgment(
        episode.id, text="J", likelihood_term="likely", confidence="low", cited=[passage.id]
    ).record
    session.annotations.delete(passage.id)
    edited = session.episodes.edit_judgment(judgment.id, confidence="high").record
    assert edited.confidence == "high"
    with pytest.raises(ServiceError):
        session.episodes.edit_judgment(judgment.id, cited=[passage.id, "no-such-passage"])
    with pytest.raises(ServiceError):
        session.episodes.edit(episode.id, title="   ")
