"""Filtered, paged full-text search: each filter narrows in SQL, pages are disjoint and end."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.domain.records import Annotation
from workstation.domain.search import SearchCursor, SearchFilters
from workstation.importers.base import DocumentDraft
from workstation.services.search import filter_choices, search_page
from workstation.storage import search as search_module


def every_hit(session, text, filters=None, *, page=4):
    """All hits, fetched a small page at a time, checking that pages never overlap."""
    hits, seen, cursor = [], set(), None
    for _ in range(200):
        result = search_page(session, text, filters, cursor, limit=page)
        assert len(result.hits) <= page
        for hit in result.hits:
            assert (hit.kind, hit.record_id) not in seen, "pages overlap"
            seen.add((hit.kind, hit.record_id))
        hits += result.hits
        if not result.has_more:
            return hits
        assert result.hits, "has_more promised a page that came back empty"
        cursor = result.next_cursor
    raise AssertionError("paging never stopped")


def live_passages(session) -> list[Annotation]:
    return list(session.workspace.records.where(Annotation))


def contains_word(text: str, word: str) -> bool:
    return re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE) is not None


def passage_ids(hits) -> set[str]:
    return {h.record_id for h in hits if h.kind == "passage"}


def document_ids(hits) -> set[str]:
    return {h.record_id for h in hits if h.kind == "document"}


def add_document(session, body, *, title="Note", outlet=None, published=None):
    draft = DocumentDraft(
        title=title, text=body, origin_name=f"{title}.txt", outlet=outlet, published=published
    )
    return session.documents.add(draft).record


def mark(session, doc, quote, **fields):
    start = doc.body.index(quote)
    return session.annotations.create(doc.id, start, start + len(quote), **fields).record


# -- on the sample episode -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "word"),
    [("Sanction", "sanctions"), ("Statement", "sanctions"), ("Accusation", "moscow")],
)
def test_category_filter_keeps_passages_of_that_category(sample_session, category, word):
    wanted = sample_session.codebook.by_name(category)
    hits = every_hit(sample_session, word, SearchFilters(category_id=wanted.id))
    expected = {
        a.id
        for a in live_passages(sample_session)
        if a.category_id == wanted.id and contains_word(f"{a.exact} {a.note}", word)
    }
    assert expected and passage_ids(hits) == expected
    assert passage_ids(hits) < passage_ids(every_hit(sample_session, word))
    assert not any(h.kind == "entity" for h in hits)
    # Documents: the word anywhere in them, and some passage (any words) of the category.
    holding = {a.document_id for a in live_passages(sample_session) if a.category_id == wanted.id}
    documents = [
        sample_session.documents.get(d.id) for d in sample_session.documents.list_documents()
    ]
    saying = {d.id for d in documents if contains_word(f"{d.title} {d.body}", word)}
    assert document_ids(hits) == holding & saying


def test_entity_filter_keeps_passages_linking_that_entity(sample_session):
    peskov = sample_session.entities.find_by_name("Dmitry Peskov")
    linked = {m.annotation_id for m in sample_session.entities.mentions_for_entity(peskov.id)}
    hits = every_hit(sample_session, "sanctions", SearchFilters(entity_id=peskov.id))
    expected = {
        a.id
        for a in live_passages(sample_session)
        if a.id in linked and contains_word(a.exact, "sanctions")
    }
    assert expected and passage_ids(hits) == expected
    unfiltered = passage_ids(every_hit(sample_session, "sanctions"))
    assert passage_ids(hits) < unfiltered


def test_date_range_uses_the_documents_published_date(sample_session):
    documents = {d.title: d for d in sample_session.documents.list_documents()}
    us_order = documents["Biden imposes new sanctions on Russia and expels ten diplomats"]
    day = SearchFilters(published_from="2021-04-15", published_to="2021-04-15")
    hits = every_hit(sample_session, "sanctions", day)
    assert hits and {h.document_id for h in hits} == {us_order.id}
    # The round-up has no published date: any range leaves it out.
    assert every_hit(sample_session, "sanctions", SearchFilters(published_to="2030-01-01"))
    assert every_hit(sample_session, "sanctions", SearchFilters(published_from="2021-04-16")) == []
    assert every_hit(sample_session, "sanctions", SearchFilters(published_to="2021-04-14")) == []


def test_outlet_filter(sample_session):
    documents = {d.title: d for d in sample_session.documents.list_documents()}
    roundup = documents["Russia-US Relations"]
    sample_session.documents.edit(roundup.id, outlet="RFE/RL")
    hits = every_hit(sample_session, "sanctions", SearchFilters(outlet="RFE/RL"))
    assert hits and {h.document_id for h in hits} == {roundup.id}
    assert every_hit(sample_session, "sanctions", SearchFilters(outlet="TASS")) == []
    assert filter_choices(sample_session).outlets == ["RFE/RL"]


def test_paging_on_the_sample_matches_one_big_page(sample_session):
    whole = search_page(sample_session, "russia", limit=500)
    assert not whole.has_more
    paged = every_hit(sample_session, "russia", page=3)
    assert len(paged) == len(whole.hits) > 10
    assert {(h.kind, h.record_id) for h in paged} == {(h.kind, h.record_id) for h in whole.hits}
    last = search_page(sample_session, "russia", cursor=whole.next_cursor, limit=3)
    assert last.hits == [] and not last.has_more


def test_first_page_keeps_the_old_search_order(sample_session):
    assert search_page(sample_session, "sanctions", limit=20).hits == sample_session.search(
        "sanctions", limit=20
    )


# -- on small data -------------------------------------------------------------------------


@pytest.fixture
def two_reports(session):
    """Two documents that both say "sanctions"; only the first has an Expulsion passage
    linked to an entity."""
    expulsion = session.codebook.by_name("Expulsion")
    statement = session.codebook.by_name("Statement")
    first = add_document(
        session,
        "Washington expels ten diplomats. New sanctions follow the expulsion.",
        title="Expulsions",
        outlet="Reuters",
        published="2021-04-15",
    )
    second = add_document(
        session,
        "Moscow calls the sanctions illegal and promises a response.",
        title="Moscow answers",
        outlet="TASS",
        published="2021-04-16T09:30:00",
    )
    expelled = mark(session, first, "expels ten diplomats", category_id=expulsion.id)
    answer = mark(session, second, "the sanctions illegal", category_id=statement.id)
    usa = session.entities.create("Country", "United States").record
    session.entities.link(expelled.id, usa.id, "actor")
    return session, first, second, expelled, answer, usa


def test_document_hits_need_a_passage_with_the_category(two_reports):
    session, first, second, _, _, _ = two_reports
    expulsion = session.codebook.by_name("Expulsion")
    hits = every_hit(session, "sanctions", SearchFilters(category_id=expulsion.id))
    # The passage does not say "sanctions", but its document does.
    assert document_ids(hits) == {first.id} and passage_ids(hits) == set()
    statement = session.codebook.by_name("Statement")
    hits = every_hit(session, "sanctions", SearchFilters(category_id=statement.id))
    assert document_ids(hits) == {second.id}


def test_document_hits_need_a_passage_with_the_entity_and_category_together(two_reports):
    session, first, _, expelled, _, usa = two_reports
    expulsion = session.codebook.by_name("Expulsion")
    statement = session.codebook.by_name("Statement")
    assert document_ids(every_hit(session, "sanctions", SearchFilters(entity_id=usa.id))) == {
        first.id
    }
    both = SearchFilters(entity_id=usa.id, category_id=expulsion.id)
    assert document_ids(every_hit(session, "sanctions", both)) == {first.id}
    mismatched = SearchFilters(entity_id=usa.id, category_id=statement.id)
    assert every_hit(session, "sanctions", mismatched) == []
    hits = every_hit(session, "diplomats", SearchFilters(entity_id=usa.id))
    assert passage_ids(hits) == {expelled.id}


def test_an_unlinked_mention_no_longer_counts(two_reports):
    session, _, _, expelled, _, usa = two_reports
    mention = session.entities.mentions_of(expelled.id)[0]
    session.entities.unlink(mention.id)
    assert every_hit(session, "diplomats", SearchFilters(entity_id=usa.id)) == []


def test_dates_with_a_time_part_compare_by_day(two_reports):
    session, first, second, _, _, _ = two_reports
    same_day = SearchFilters(published_from="2021-04-16", published_to="2021-04-16")
    assert {h.document_id for h in every_hit(session, "sanctions", same_day)} == {second.id}
    both_days = SearchFilters(published_from="2021-04-15", published_to="2021-04-16")
    assert {h.document_id for h in every_hit(session, "sanctions", both_days)} == {
        first.id,
        second.id,
    }
    backwards = SearchFilters(published_from="2021-04-16", published_to="2021-04-15")
    assert every_hit(session, "sanctions", backwards) == []


def test_entities_are_listed_only_without_filters(two_reports):
    session, *_ = two_reports
    assert any(h.kind == "entity" for h in every_hit(session, "united"))
    assert not any(
        h.kind == "entity" for h in every_hit(session, "united", SearchFilters(outlet="Reuters"))
    )


def test_outlet_choices_are_distinct_and_skip_deleted_documents(two_reports):
    session, _, second, *_ = two_reports
    add_document(session, "A third text about trade.", outlet="Reuters")
    assert filter_choices(session).outlets == ["Reuters", "TASS"]
    session.documents.delete(second.id)
    assert filter_choices(session).outlets == ["Reuters"]
    assert [c.name for c in filter_choices(session).categories][:2] == ["Sanction", "Expulsion"]
    assert [e.name for e in filter_choices(session).entities] == ["United States"]


def test_match_offsets_point_at_the_word_in_the_body(two_reports):
    session, first, second, expelled, _, _ = two_reports
    session.annotations.edit(expelled.id, note="reciprocity expected")
    bodies = {first.id: first.body, second.id: second.body}
    for word in ("sanctions", "diplomats", "illegal"):
        for hit in every_hit(session, word):
            if hit.kind == "entity":
                continue
            assert bodies[hit.document_id][hit.match_start : hit.match_end].casefold() == word
    (note_hit,) = every_hit(session, "reciprocity")
    assert note_hit.kind == "passage" and note_hit.match_start is None
    assert (note_hit.start, note_hit.end) == (expelled.start, expelled.end)
    (title_hit,) = every_hit(session, "answers")
    assert title_hit.kind == "document" and title_hit.match_start is None


def test_many_matches_are_listed_newest_first_even_when_filtered(session, monkeypatch):
    statement = session.codebook.by_name("Statement")
    older = add_document(session, "sanctions " * 30 + "and more sanctions", title="Dense old")
    newer = add_document(session, "one mention of sanctions among other words " * 3, title="New")
    for doc in (older, newer):
        mark(session, doc, "sanctions", category_id=statement.id)
    only = SearchFilters(category_id=statement.id)
    ranked = [h.record_id for h in every_hit(session, "sanctions", only) if h.kind == "document"]
    assert ranked == [older.id, newer.id]
    monkeypatch.setattr(search_module, "RANK_LIMIT", 1)
    listed = [h.record_id for h in every_hit(session, "sanctions", only) if h.kind == "document"]
    assert listed == [newer.id, older.id]


def test_equal_scores_still_page_without_overlap(session):
    statement = session.codebook.by_name("Statement")
    with session.workspace.transaction():  # one commit: thirty documents in a blink
        for n in range(30):
            doc = add_document(session, f"Identical sanctions wording, copy {n}.", title=f"C{n}")
            mark(session, doc, "sanctions", category_id=statement.id)
    for filters in (SearchFilters(), SearchFilters(category_id=statement.id)):
        for page in (3, 7, 11):
            hits = every_hit(session, "sanctions", filters, page=page)
            assert len(passage_ids(hits)) == 30 and len(document_ids(hits)) == 30


QUERIES = ['"', "'", "AND", "OR NOT", "a<b", "AT&T", "(", "NEAR(", "*", "-x", ":", "^"]
QUERIES += ["col:sanctions", '"unterminated', "💥", "", "sanctions'", '"arms" control)']


@pytest.mark.parametrize("query", QUERIES)
def test_punctuation_never_raises_with_filters(two_reports, query):
    session, _, _, _, _, usa = two_reports
    expulsion = session.codebook.by_name("Expulsion")
    filters = SearchFilters(
        category_id=expulsion.id,
        entity_id=usa.id,
        outlet='O\'Brien "Daily"; DROP TABLE documents',
        published_from="2021-01-01",
    )
    page = search_page(session, query, filters)
    assert isinstance(page.hits, list)
    assert session.documents.count() == 2


def test_filters_validate_their_dates():
    with pytest.raises(ValueError):
        SearchFilters(published_from="15 April")
    assert not SearchFilters().active
    assert SearchFilters(outlet="TASS").active
    assert not SearchFilters(outlet="TASS").narrows_passages
    assert SearchFilters(entity_id="x").narrows_passages


def test_nothing_searchable_returns_an_empty_last_page(session):
    cursor = SearchCursor(documents=3)
    page = search_page(session, "  ** ", cursor=cursor)
    assert page.hits == [] and not page.has_more and page.next_cursor == cursor


@given(
    text=st.text(alphabet="abcAB c.-_'1\n", max_size=60),
    term=st.text(alphabet="abc1", min_size=1, max_size=3),
    prefix=st.booleans(),
)
def test_the_ascii_shortcut_finds_the_same_first_hit_as_word_by_word(text, term, prefix):
    from workstation.storage import search as storage_search

    terms = [(term, prefix)]
    slow = next(
        (
            m.span()
            for m in storage_search._WORD.finditer(text)
            if (storage_search._fold(m.group(0)).startswith(term) if prefix
                else storage_search._fold(m.group(0)) == term)
        ),
        None,
    )  # fmt: skip
    assert storage_search._first_hit(text, terms) == slow


def test_hits_in_an_earlier_version_of_an_article_say_so(session, tmp_path):
    from workstation.services.documents import document_from_draft
    from workstation.services.importing import store_documents

    def version(name: str, text: str) -> str:
        draft = DocumentDraft(
            title="Consulates to close", text=text, origin_name=name, url="https://e.org/c"
        )
        results, _changes = store_documents(
            session, [(tmp_path / name, document_from_draft(draft))]
        )
        return results[0].document_id

    v1 = version("v1.txt", "Moscow ordered the consulates closed on Friday.")
    start = session.documents.get(v1).body.index("consulates")
    session.annotations.create(v1, start, start + len("consulates"))
    v2 = version("v2.txt", "Moscow ordered the consulates closed on Friday. Washington objected.")
    hits = every_hit(session, "consulates")
    by_document = {(h.kind, h.document_id): h.earlier_version for h in hits}
    assert by_document[("document", v1)] is True
    assert by_document[("document", v2)] is False
    # The passage moved to v2 with the new version; none is left on v1.
    assert all(not h.earlier_version for h in hits if h.kind == "passage")
    assert not any(h.earlier_version for h in every_hit(session, "Washington"))
