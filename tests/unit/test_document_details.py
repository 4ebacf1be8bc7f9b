"""Document details: what an article's first lines propose (headline, dateline, first date;
English and Russian), the checked forms of what the officer types, and the service that
saves them in one step (validated field by field, searchable, proposals confirmed)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.domain.document_details import (
    check_language,
    check_published,
    check_zone,
    dateline,
    first_date,
    format_published,
    headline,
    parse_day,
    published_value,
    read_head,
    split_published,
)
from workstation.domain.records import Document
from workstation.importers import DocumentDraft
from workstation.services.importing import import_files
from workstation.services.library import LibraryQuery
from workstation.services.outcome import ServiceError

REFERENCE = date(2021, 4, 20)


# -- datelines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "place", "published"),
    [
        ("MOSCOW, 16 April 2021 — Russia will expel ten US diplomats", "Moscow", "2021-04-16"),
        ("WASHINGTON, April 15 (Reuters) - The United States", "Washington", "2021-04-15"),
        ("WASHINGTON, April 15, 2021 (AP) — The administration", "Washington", "2021-04-15"),
        ("МОСКВА, 16 апреля — Россия вышлет десять", "Москва", "2021-04-16"),
        ("МОСКВА, 16 апреля 2021 года — Россия", "Москва", "2021-04-16"),
        ("САНКТ-ПЕТЕРБУРГ, 3 декабря — Губернатор", "Санкт-Петербург", "2020-12-03"),
        ("NEW YORK, Dec. 3 – Markets fell", "New York", "2020-12-03"),
        ("ST. PETERSBURG, 2021-04-16 — text", "St. Petersburg", "2021-04-16"),
        ("MOSCOW (Reuters) - Russia said on Friday", "Moscow", None),
        ("LONDON — The Foreign Office", "London", None),
    ],
)  # fmt: skip
def test_datelines_in_english_and_russian(line, place, published):
    found = dateline(f"Some headline\n\n{line}", REFERENCE)
    assert found is not None
    assert (found.place, found.published) == (place, published)


@pytest.mark.parametrize(
    "text",
    [
        "Russia on Friday expelled ten US diplomats, its foreign ministry said.",
        "The ministry said: sanctions - again - are a mistake",
        "Moscow said on 16 April 2021 that it would respond",  # a date, not a dateline
    ],
)
def test_no_dateline_in_ordinary_sentences(text):
    assert dateline(text, REFERENCE) is None


def test_a_day_without_a_year_needs_a_reference_and_lies_before_it():
    assert dateline("MOSCOW, 16 April — x").published is None  # place kept, day unplaced
    assert dateline("MOSCOW, 16 April — x").place == "Moscow"
    assert dateline("MOSCOW, 16 April — x", date(2022, 1, 10)).published == "2021-04-16"
    # filed near midnight elsewhere: a day after the reference is still this year's
    assert dateline("MOSCOW, 21 April — x", REFERENCE).published == "2021-04-21"


def test_a_weekday_before_a_date_is_no_place():
    found = dateline("On Friday, 16 April 2021 — the ministry", REFERENCE)
    assert found is not None and found.place is None and found.published == "2021-04-16"


# -- headlines and the first date ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia retaliates\n\nMOSCOW, 16 April 2021 — x", "Russia retaliates"),
        ("# Россия ответила на санкции\n\nМОСКВА, 16 апреля — х", "Россия ответила на санкции"),
        ("Will Moscow answer?\nBody text.", "Will Moscow answer?"),
        ("Russia on Friday announced it would expel ten US diplomats.\nMore.", None),  # a sentence
        ("MOSCOW, 16 April 2021 — Russia said\nMore", None),  # a dateline, not a headline
        ("Only one line without a body", None),
        ("A" * 130 + "\nbody", None),
        ("Sanctions: what comes next,\nbody", None),
    ],
)  # fmt: skip
def test_headline_is_a_short_first_line_without_a_full_stop(text, expected):
    assert headline(text) == expected


def test_first_full_date_near_the_top():
    text = "Statement\nPublished 15 April 2021 by the ministry\nOn 12 March 2020 it said…"
    assert first_date(text) == "2021-04-15"
    assert first_date("Statement\n16 апреля 2021 г. Москва\nbody") == "2021-04-16"
    assert first_date("Statement\nOn Thursday\nbody") is None
    far = "Title\n" + "word " * 400 + "\n16 April 2021"
    assert first_date(far) is None  # not near the top


def test_read_head_names_what_it_proposes():
    head = read_head(
        "Russia retaliates\n\nMOSCOW, 16 April 2021 — Russia will expel", reference=REFERENCE
    )
    assert (head.title, head.published, head.place) == (
        "Russia retaliates",
        "2021-04-16",
        "Moscow",
    )
    assert head.proposed == ("title", "published", "place")
    bare = read_head("Russia on Friday said it would respond.", reference=REFERENCE)
    assert bare.proposed == () and bare.title is None


MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]  # fmt: skip
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря"]  # fmt: skip
PLACES = ["MOSCOW", "WASHINGTON", "KYIV", "NEW YORK", "BRUSSELS", "МОСКВА", "КИЕВ", "МИНСК"]


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)),
    place=st.sampled_from(PLACES),
    russian=st.booleans(),
    dash=st.sampled_from(["—", "–", "-", "--"]),
)
def test_any_dated_dateline_reads_back(day, place, russian, dash):
    month = (MONTHS_RU if russian else MONTHS_EN)[day.month - 1]
    year = f"{day.year} года" if russian else str(day.year)
    found = dateline(f"{place}, {day.day} {month} {year} {dash} Text follows.")
    assert found is not None
    assert found.published == day.isoformat()
    assert found.place is not None and found.place.upper() == place


# -- typed values ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "time", "zone", "stored"),
    [
        ("2021-04-16", "", "", "2021-04-16"),
        ("16 April 2021", "", "UTC+3", "2021-04-16"),  # a zone without a time is no zone
        ("16 апреля 2021", "14:30", "UTC+03:00", "2021-04-16T14:30+03:00"),
        ("April 16, 2021", "9.05", "-05:00", "2021-04-16T09:05-05:00"),
        ("16.04.2021", "23:59:30", "UTC", "2021-04-16T23:59:30+00:00"),
        ("", "", "+03:00", None),
    ],
)
def test_published_value_from_the_editor(day, time, zone, stored):
    assert published_value(day, time, zone) == stored


@pytest.mark.parametrize(
    ("day", "time", "zone", "fault"),
    [
        ("yesterday", "", "", "published date “yesterday” is not a date"),
        ("2021-02-30", "", "", "is not a date"),
        ("2021-04-16", "25:00", "", "published time “25:00” is not a time"),
        ("2021-04-16", "14:30", "Mars", "time zone “Mars” is not a UTC offset"),
        ("", "14:30", "", "published time given without a date"),
    ],
)
def test_published_value_names_the_fault(day, time, zone, fault):
    with pytest.raises(ValueError, match=fault):
        published_value(day, time, zone)


@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    offset=st.sampled_from(["+00:00", "+03:00", "-05:00", "+05:30", "+14:00", "-10:00"]),
)
def test_published_round_trips_through_the_editor(day, hour, minute, offset):
    stored = published_value(day.isoformat(), f"{hour:02d}:{minute:02d}", offset)
    assert stored is not None
    assert split_published(stored) == (day.isoformat(), f"{hour:02d}:{minute:02d}", offset)
    assert check_published(stored) == stored
    assert stored[:10] == day.isoformat()  # date_proposal reads the day from the start


def test_stored_forms_and_display():
    assert check_published("2021-04-16T10:00:00Z") == "2021-04-16T10:00+00:00"
    assert check_published("16 April 2021") == "2021-04-16"
    assert format_published("2021-04-16") == "16 Apr 2021"
    assert format_published("2021-04-16T14:30+03:00") == "16 Apr 2021 14:30 UTC+03:00"
    assert format_published(None) == ""
    assert check_zone("UTC") == "+00:00" and check_zone("+0530") == "+05:30"
    assert parse_day("16 апреля") is None  # no year, no reference


def test_languages():
    assert check_language("EN") == "en"
    assert check_language("en-gb") == "en-GB"
    assert check_language("sr-latn-RS") == "sr-Latn-RS"
    assert check_language("Russian") == "ru"
    assert check_language("") is None
    for bad in ("xx", "english-ish", "en-QQ"):
        with pytest.raises(ValueError):
            check_language(bad)


# -- the service ------------------------------------------------------------


def add(session, title="Untitled", text="Body text about sanctions.") -> Document:
    return session.documents.add(DocumentDraft(title=title, text=text, origin_name="a.txt")).record


def test_edit_details_sets_every_field_in_one_step(session):
    doc = add(session, "russia_retaliates")
    outcome = session.documents.edit_details(
        doc.id,
        title="Russia retaliates against US sanctions",
        outlet="TASS",
        url="https://tass.com/politics/1279419",
        published="2021-04-16T14:30+03:00",
        place="Moscow",
        language="EN",
        reliability="b",
        credibility="2",
    )
    saved = outcome.record
    assert (saved.title, saved.outlet, saved.published, saved.language) == (
        "Russia retaliates against US sanctions",
        "TASS",
        "2021-04-16T14:30+03:00",
        "en",
    )
    assert (saved.reliability, saved.credibility, saved.place) == ("B", "2", "Moscow")
    assert outcome.changes.ids_of(Document) == {doc.id}
    assert len(outcome.changes.of(Document)) == 1  # one change: one undo step
    assert session.documents.get(doc.id) == saved
    # the title is searchable at once (FTS triggers)
    hits = session.workspace.conn.execute(
        "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'retaliates'"
    ).fetchone()[0]
    assert hits == 1


def test_every_bad_field_is_named_on_a_line_of_its_own(session):
    doc = add(session)
    with pytest.raises(ServiceError) as raised:
        session.documents.edit_details(
            doc.id,
            title="  ",
            url="javascript:alert(1)",
            published="the day before yesterday",
            language="Klingonese",
            reliability="Q",
        )
    lines = str(raised.value).splitlines()
    assert len(lines) == 5
    assert lines[0] == "a document needs a title"
    assert "not an http or https URL" in lines[1]
    assert "is not" in lines[2] and "the day before yesterday" in lines[2]
    assert "Klingonese" in lines[3]
    assert "reliability" in lines[4]
    assert session.documents.get(doc.id).title == "Untitled"  # nothing written


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file:///etc/passwd", "https://", "tass"])
def test_only_web_addresses(session, url):
    doc = add(session)
    with pytest.raises(ServiceError, match="http or https"):
        session.documents.edit_details(doc.id, url=url)


def test_empty_fields_clear_and_unknown_fields_are_refused(session):
    doc = add(session)
    session.documents.edit_details(doc.id, outlet="TASS", language="ru")
    cleared = session.documents.edit_details(doc.id, outlet=" ", language="").record
    assert cleared.outlet is None and cleared.language is None
    with pytest.raises(ServiceError, match="cannot edit body"):
        session.documents.edit_details(doc.id, body="x")


def test_text_import_proposes_headline_dateline_and_saving_confirms(session, tmp_path):
    path = tmp_path / "russia_retaliates.txt"
    path.write_text(
        "Russia retaliates against US sanctions\n\n"
        "MOSCOW, 16 April 2021 — Russia will expel ten US diplomats, the Foreign Ministry said.\n",
        encoding="utf-8",
    )
    results, _ = import_files(session, [path])
    doc = session.documents.get(results[0].document_id)
    assert doc.title == "Russia retaliates against US sanctions"
    assert (doc.published, doc.place) == ("2021-04-16", "Moscow")
    assert doc.proposed == ["title", "published", "place"]
    (row,) = [r for r in session.library.page(LibraryQuery(), 0, 10) if r.id == doc.id]
    assert row.proposed == ("title", "published", "place")  # what the library marks
    confirmed = session.documents.edit_details(doc.id, outlet="TASS").record
    assert confirmed.proposed == []
    assert confirmed.published == "2021-04-16"  # confirmed as it was
    (row,) = [r for r in session.library.page(LibraryQuery(), 0, 10) if r.id == doc.id]
    assert row.proposed == ()


def test_a_sentence_is_no_title_the_file_name_is_proposed(session, tmp_path):
    path = tmp_path / "russia_retaliates.txt"
    path.write_text(
        "Russia on Friday announced it would expel ten US diplomats in retaliation.\n"
        "The Foreign Ministry said more measures could follow.\n",
        encoding="utf-8",
    )
    results, _ = import_files(session, [path])
    doc = session.documents.get(results[0].document_id)
    assert doc.title == "russia_retaliates"
    assert doc.proposed == ["title"] and doc.published is None


def test_migration_m011_adds_place_and_proposed(session):
    add(session)
    conn = session.workspace.conn
    columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    assert {"place", "proposed"} <= columns
    names = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert names[names.index("m010_episode_watch_list") + 1] == "m011_document_details"
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE documents SET proposed = 'not json'")
