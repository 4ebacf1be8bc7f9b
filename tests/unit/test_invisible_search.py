"""Full-text search sees through invisible characters (issue 11, point 5): the indexes hold
text without them (schema m008), queries are folded the same way, hits are marked in the
stored text (offsets in stored code points), the integrity check and repairs agree with the
triggers, and a workspace made before m008 is migrated and re-indexed."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from workstation.domain.offsets import body_sha256
from workstation.domain.text_display import is_default_ignorable, mark_name
from workstation.importers.base import DocumentDraft
from workstation.services import open_session
from workstation.services.maintenance import check, repair
from workstation.storage.schema import known_migration_names, migrations
from workstation.storage.schema_folding import M008_INDEX_IGNORABLES
from workstation.storage.search import MARK_END, MARK_START, fts_query

M008 = "m008_index_without_invisible_characters"

DISGUISES = ("Nav\u200balny", "Na\u00advalny", "Nav\u2060alny", "\u202eNavalny")
BODY = "Officials named Nav\u200balny, Na\u00advalny, Nav\u2060alny and \u202eNavalny\u202c."
# Only disguises inside the word: the index before m008 splits each of them in two.
SPLIT_BODY = "Officials named Nav\u200balny first. Later Na\u00advalny again."


def add(session, text: str, title: str = "Disguised") -> str:
    draft = DocumentDraft(title=title, text=text, origin_name=f"{title}.txt")
    return session.documents.add(draft).record.id


def hits(session, query: str, kind: str):
    return [hit for hit in session.search(query) if hit.kind == kind]


def test_the_indexed_list_is_the_invisible_characters_the_display_policy_names():
    named = {
        code
        for code in range(0x10000)
        if is_default_ignorable(chr(code)) and not mark_name(chr(code)).startswith(("U+", "VS"))
    }
    assert set(M008_INDEX_IGNORABLES) == named
    assert {0x200B, 0x00AD, 0x2060, 0x202E, 0xFEFF} <= named


@pytest.mark.parametrize("disguise", DISGUISES)
def test_each_disguise_alone_is_found_by_the_plain_word(session, disguise):
    doc_id = add(session, f"Sanctions over {disguise} were announced.")
    [hit] = hits(session, "Navalny", "document")
    body = session.documents.get(doc_id).body
    word = disguise.lstrip("\u202e")
    assert body[hit.match_start : hit.match_end] == word  # stored code points, whole word
    assert f"{MARK_START}{word}{MARK_END}" in hit.snippet


def test_a_document_holding_every_disguise_is_found_with_each_marked(session):
    doc_id = add(session, BODY)
    [hit] = hits(session, "navalny", "document")
    assert hit.record_id == doc_id
    body = session.documents.get(doc_id).body
    start = body.index("Nav\u200b")
    assert (hit.match_start, hit.match_end) == (start, start + len("Nav\u200balny"))
    assert hit.snippet == (
        f"Officials named {MARK_START}Nav\u200balny{MARK_END}, {MARK_START}Na\u00advalny"
        f"{MARK_END}, {MARK_START}Nav\u2060alny{MARK_END} and \u202e{MARK_START}Navalny"
        f"{MARK_END}\u202c."
    )
    # A prefix and a phrase see the folded words too.
    assert hits(session, "naval*", "document") and hits(session, '"named navalny"', "document")


def test_a_query_typed_with_an_invisible_character_finds_the_plain_word(session):
    add(session, "Navalny was sentenced.")
    assert fts_query("Nav\u200balny") == '"Navalny"'
    assert hits(session, "Nav\u200balny", "document")


def test_a_passage_quote_and_note_are_found_and_marked(session):
    doc_id = add(session, SPLIT_BODY)
    body = session.documents.get(doc_id).body
    start = body.index("Later")
    end = body.index(" again") + len(" again")
    session.annotations.create(doc_id, start, end, note="about Nav\u200balny")
    [hit] = hits(session, "Navalny", "passage")
    assert body[hit.match_start : hit.match_end] == "Na\u00advalny"
    assert hit.snippet == f"Later {MARK_START}Na\u00advalny{MARK_END} again"


def test_an_entity_alias_is_found_with_its_stored_text_in_the_snippet(session):
    entity = session.entities.create("Person", "Alexei Anatolievich", aliases=["Nav\u2060alny"])
    [hit] = hits(session, "navalny", "entity")
    assert hit.record_id == entity.record.id and hit.title == "Alexei Anatolievich"
    assert hit.snippet == f"{MARK_START}Nav\u2060alny{MARK_END}"
    session.entities.edit(entity.record.id, name="Alexei Nav\u200balny", aliases=[])
    [hit] = hits(session, "Navalny", "entity")
    assert hit.snippet == f"Alexei {MARK_START}Nav\u200balny{MARK_END}"


def test_edits_and_deletions_keep_the_indexes_in_step(session):
    doc_id = add(session, BODY)
    entity = session.entities.create("Person", "Nav\u200balny").record
    session.documents.edit(doc_id, title="Nav\u00adalny's \u200bcase")
    assert session.documents.get(doc_id).title == "Nav\u00adalny's \u200bcase"  # stored as is
    assert hits(session, "navalny", "document") and hits(session, "case", "document")
    session.entities.delete(entity.id)
    session.documents.delete(doc_id)
    assert session.search("navalny") == []
    assert check(session) == []


def test_the_integrity_check_passes_and_a_repair_rebuilds_the_same_folded_text(session):
    doc_id = add(session, BODY)
    body = session.documents.get(doc_id).body
    session.annotations.create(doc_id, 0, body.index(","), note="Na\u00advalny")
    session.entities.create("Person", "Alexei Nav\u200balny", aliases=["Na\u00advalny", "AN"])
    assert check(session) == []
    conn = session.workspace.conn
    conn.execute("DELETE FROM entities_fts")  # a damaged copy, as any SQLite tool could leave
    assert [p.table for p in check(session)] == ["entities_fts"]
    report = repair(session)
    assert report.left == [] and check(session) == []
    assert hits(session, "navalny", "entity")


def test_a_workspace_from_before_m008_is_migrated_and_re_indexed(workspace_path):
    # As the previous release left it: disguised words indexed as two tokens each.
    conn = sqlite3.connect(workspace_path, isolation_level=None)
    migrations.apply(Database(conn), stop_before=M008)
    conn.execute(f"PRAGMA user_version = {known_migration_names().index(M008)}")
    stamps = ("old", "2021-04-16T10:00:00Z", "2021-04-16T10:00:00Z")
    conn.execute(
        "INSERT INTO documents (id, title, body, sha256, author, created_at, updated_at) "
        "VALUES ('d', 'Old', ?, ?, ?, ?, ?)",
        [SPLIT_BODY, body_sha256(SPLIT_BODY), *stamps],
    )
    start, end = SPLIT_BODY.index("Later"), SPLIT_BODY.index(" again") + len(" again")
    conn.execute(
        'INSERT INTO annotations (id, document_id, start, "end", exact, author, created_at, '
        "updated_at) VALUES ('a', 'd', ?, ?, ?, ?, ?, ?)",
        [start, end, SPLIT_BODY[start:end], *stamps],
    )
    conn.execute(
        "INSERT INTO entities (id, kind, name, aliases, author, created_at, updated_at) "
        "VALUES ('e', 'Person', 'Alexei Nav\u200balny', '[]', ?, ?, ?)",
        list(stamps),
    )
    for table in ("documents_fts", "annotations_fts", "entities_fts"):
        found = conn.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH 'navalny'")
        assert found.fetchone()[0] == 0  # the old index holds "Nav" and "alny"
    conn.close()
    with open_session(workspace_path, author="new") as session:
        assert session.workspace.schema_version() == len(known_migration_names())
        [hit] = hits(session, "Navalny", "document")
        assert f"{MARK_START}Nav\u200balny{MARK_END}" in hit.snippet
        assert [h.record_id for h in hits(session, "navalny", "passage")] == ["a"]
        assert [h.record_id for h in hits(session, "navalny", "entity")] == ["e"]
        assert check(session) == []
    # Stored text is never rewritten: the body and its hash are as they were.
    raw = sqlite3.connect(workspace_path)
    stored = raw.execute("SELECT body, sha256 FROM documents").fetchone()
    assert stored == (SPLIT_BODY, body_sha256(SPLIT_BODY))
    raw.close()


def test_the_folding_sql_stays_shallow_enough_for_any_sqlite():
    # Nested replace() calls beyond ~27 overflow SQLite's default parser stack: the schema
    # would then fail to load in other tools. The staged expression leaves room to spare.
    from workstation.storage.schema_folding import m008_indexed_text

    conn = sqlite3.connect(":memory:")
    wrapped = m008_indexed_text("'Nav' || char(0x200B) || 'alny'")
    for _ in range(8):
        wrapped = f"trim({wrapped})"
    assert conn.execute(f"SELECT {wrapped}").fetchone()[0] == "Navalny"
    conn.close()
