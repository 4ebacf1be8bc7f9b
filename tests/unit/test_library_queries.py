"""The library's SQL: counts, pages, positions under every sort and filter, with and without
the proposed library indexes, checked against the same order computed in Python."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from workstation.domain.offsets import body_sha256
from workstation.domain.records import Annotation, Document
from workstation.services import create_session
from workstation.services.library import SORT_KEYS, LibraryQuery, LibraryService
from workstation.storage.library import LIBRARY_INDEXES

OUTLETS = ("Reuters", "AP", "afp", "ТАСС", None)
TITLE_WORDS = ("Sanctions", "expulsion", "Consulate", "Санкции", "50% cut", "snake_case", "New")


@dataclass
class Listed:
    """What the library should show for one stored document, plus its insertion order."""

    seq: int
    document: Document
    passages: int


def fill_library(session, count: int, *, seed: int = 7, deleted_every: int = 0) -> list[Listed]:
    """Store ``count`` varied documents (and a few passages each, some deleted) in one
    transaction through the storage layer; returns the live ones in insertion order."""
    rng = random.Random(seed)
    ws = session.workspace
    listed: list[Listed] = []
    with ws.transaction():
        for seq in range(count):
            words = rng.sample(TITLE_WORDS, 2)
            title = f"{words[0]} {words[1].lower() if rng.random() < 0.5 else words[1]} {seq}"
            body = f"{title}\n\nBody of document {seq}. " + "Text. " * 5
            reliability = rng.choice("ABCDEF") if rng.random() < 0.7 else None
            document = Document(
                title=title,
                body=body,
                sha256=body_sha256(body),
                outlet=rng.choice(OUTLETS),
                published=f"2021-04-{rng.randint(1, 28):02d}" if rng.random() < 0.8 else None,
                reliability=reliability,
                credibility=rng.choice("123456") if reliability else None,
            )
            if deleted_every and seq % deleted_every == deleted_every - 1:
                document.deleted_at = "2021-05-01T00:00:00Z"
            ws.records.insert(document)
            live_passages = 0
            for k in range(rng.randint(0, 3)):
                gone = rng.random() < 0.25
                ws.records.insert(
                    Annotation(
                        document_id=document.id,
                        start=k,
                        end=k + 4,
                        exact=body[k : k + 4],
                        deleted_at="2021-05-01T00:00:00Z" if gone else None,
                    )
                )
                live_passages += not gone
            if document.deleted_at is None:
                listed.append(Listed(seq, document, live_passages))
    return listed


def _nulls_first(value):
    return (value is not None, value or "")


def _ascii_lower(value: str | None) -> str | None:
    # SQLite's NOCASE folds ASCII letters only.
    return None if value is None else "".join(c.lower() if c.isascii() else c for c in value)


def expected_order(listed: list[Listed], query: LibraryQuery) -> list[str]:
    """The order the library promises, computed independently in Python."""

    def key(item: Listed):
        d = item.document
        return {
            "added": (item.seq,),
            "title": (_ascii_lower(d.title), _nulls_first(d.outlet), item.seq),
            "outlet": (_nulls_first(_ascii_lower(d.outlet)), _ascii_lower(d.title), item.seq),
            "published": (_nulls_first(d.published), d.title, _nulls_first(d.outlet), item.seq),
            "grade": (
                d.reliability or "F",
                d.credibility or "6",
                d.title,
                _nulls_first(d.outlet),
                item.seq,
            ),
            "passages": (item.passages, item.seq),
        }[query.sort]

    needle = query.text.casefold()
    kept = [
        item
        for item in listed
        if (
            not needle
            or needle in item.document.title.casefold()
            or needle in (item.document.outlet or "").casefold()
        )
        and (query.outlet is None or item.document.outlet == query.outlet)
    ]
    ordered = sorted(kept, key=key, reverse=query.descending)
    return [item.document.id for item in ordered]


@pytest.fixture(scope="module", params=["schema as is", "with library indexes"])
def library(request, tmp_path_factory):
    """A library of 300 live documents (and 30 deleted), on the schema as it stands and
    with the indexes the queries are shaped for. Built once per module: tests only read."""
    path = tmp_path_factory.mktemp("library") / "library.sqlite"
    with create_session(path, author="tester") as session:
        listed = fill_library(session, 330, deleted_every=11)
        if request.param == "with library indexes":
            with session.workspace.transaction():
                for statement in LIBRARY_INDEXES:
                    session.workspace.conn.execute(statement)
        yield LibraryService(session), listed


@pytest.mark.parametrize("sort", SORT_KEYS)
@pytest.mark.parametrize("descending", [False, True])
def test_pages_follow_each_order_and_positions_agree(library, sort, descending):
    service, listed = library
    query = LibraryQuery(sort=sort, descending=descending)
    expected = expected_order(listed, query)
    assert service.count(query) == len(expected) == 300
    paged = [row.id for offset in range(0, 300, 64) for row in service.page(query, offset, 64)]
    assert paged == expected
    for position in (0, 1, 150, 299):
        assert service.position(query, expected[position]) == position


@pytest.mark.parametrize(
    "text, outlet",
    [
        ("sanctions", None),
        ("SANCTIONS", None),
        ("reuters", None),  # matches the outlet
        ("санкции", None),  # Cyrillic, folded in Python: SQLite's LIKE folds ASCII only
        ("тасс", None),
        ("50%", None),  # LIKE wildcards match literally
        ("e_c", None),
        ("", "AP"),
        ("new", "afp"),
        ("nothing like this", None),
    ],
)
def test_filters_match_title_or_outlet_ignoring_case(library, text, outlet):
    service, listed = library
    query = LibraryQuery(text=text, outlet=outlet, sort="title", descending=False)
    expected = expected_order(listed, query)
    assert service.count(query) == len(expected)
    assert [row.id for row in service.page(query, 0, 400)] == expected
    hidden = next(item.document.id for item in listed if item.document.id not in expected)
    assert service.position(query, hidden) is None


def test_rows_carry_what_the_list_shows(library):
    service, listed = library
    by_id = {item.document.id: item for item in listed}
    for row in service.page(LibraryQuery(sort="passages", descending=True), 0, 300):
        item = by_id[row.id]
        assert (row.title, row.outlet, row.published) == (
            item.document.title,
            item.document.outlet,
            item.document.published,
        )
        assert (row.reliability, row.credibility) == (
            item.document.reliability,
            item.document.credibility,
        )
        assert row.passages == item.passages  # deleted passages are not counted


def test_outlets_lists_each_live_outlet_once(library):
    service, _listed = library
    assert service.outlets() == ["afp", "AP", "Reuters", "ТАСС"]


def test_paging_past_the_end_and_unknown_ids(library):
    service, _listed = library
    query = LibraryQuery()
    assert service.page(query, 300, 50) == []
    assert len(service.page(query, 290, 50)) == 10
    assert service.position(query, "no-such-id") is None


def test_every_sort_walks_an_index_once_the_indexes_exist(session):
    """With LIBRARY_INDEXES, a page never sorts the whole table in a temporary b-tree
    (except by passage count, which must count every document's passages)."""
    fill_library(session, 50)
    ws = session.workspace
    with ws.transaction():
        for statement in LIBRARY_INDEXES:
            ws.conn.execute(statement)
    service = LibraryService(session)

    def plan_of(call, marker: str) -> str:
        executed: list[str] = []
        ws.conn.set_trace_callback(executed.append)
        try:
            call()
        finally:
            ws.conn.set_trace_callback(None)
        sql = next(statement for statement in executed if marker in statement)
        return " | ".join(row[-1] for row in ws.conn.execute("EXPLAIN QUERY PLAN " + sql))

    for sort in SORT_KEYS:
        for text in ("", "sanctions"):
            query = LibraryQuery(text=text, sort=sort)
            plan = plan_of(lambda q=query: service.page(q, 20, 10), "ORDER BY")
            assert "documents_library" in plan, (sort, plan)
            if sort != "passages":
                assert "TEMP B-TREE" not in plan, (sort, plan)
            plan = plan_of(lambda q=query: service.count(q), "SELECT count(*) FROM documents")
            assert "documents_library_added" in plan, plan
