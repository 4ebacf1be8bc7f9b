"""Annotation files are not believed (issue 12, point 3; docs/architecture.md "Trust boundaries").

Each hostile file is made here at run time. For each: a line naming the line and the reason,
the good lines imported, and every other row of the workspace as it was.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.helpers.table_hashes import assert_only_added, table_rows
from workstation.domain.claims import imported_stamps
from workstation.domain.dates import utc_now_iso
from workstation.domain.name_agreement import names_agree
from workstation.domain.records import Annotation, Document, Entity, is_uuid
from workstation.services import open_session
from workstation.services.annotation_files import read_annotation_file
from workstation.services.annotation_import import import_annotations
from workstation.services.outcome import ServiceError


def _documents(session) -> list[Document]:
    return sorted(session.workspace.records.where(Document), key=lambda d: d.title)


def _entity(session, name: str) -> Entity:
    found = session.entities.find_by_name(name)
    assert found is not None
    return found


def w3c(document: Document, quote: str, **extra) -> dict:
    """A W3C annotation of ``quote`` in ``document``, placed by hash and position."""
    start = document.body.index(quote)
    return {
        "type": "Annotation",
        "target": {
            "source": f"urn:uuid:{document.id}",
            "sha256": document.sha256,
            "selector": [
                {"type": "TextQuoteSelector", "exact": quote},
                {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
            ],
        },
        **extra,
    }


def link(entity: Entity) -> dict:
    return {"type": "SpecificResource", "purpose": "identifying",
            "source": f"urn:uuid:{entity.id}", "name": entity.name, "role": "actor"}  # fmt: skip


def write_lines(path: Path, items: list) -> Path:
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", "utf-8")
    return path


def import_file(path: Path, ws: Path):
    """Import into the workspace at ``ws``; (report, rows before, rows after)."""
    before = table_rows(ws)
    with open_session(ws, author="importing-officer") as session:
        report = import_annotations(session, path)
    return report, before, table_rows(ws)


def _quotes(document: Document) -> list[str]:
    """Sentences of a sample article that no passage holds yet, for good lines."""
    return [s.strip() for s in document.body.split(".") if len(s.strip()) > 20][-3:]


# -- claims: author and times ------------------------------------------------------------


def test_a_claimed_author_and_a_2099_date_are_kept_as_claims_only(sample_path, tmp_path):
    with open_session(sample_path) as session:
        document = _documents(session)[0]
    quote, other = _quotes(document)[:2]
    path = write_lines(tmp_path / "claims.jsonl", [
        w3c(document, quote, creator={"name": "head-of-desk"},
            created="2099-01-01T00:00:00Z", modified="2099-06-01T00:00:00Z"),
        w3c(document, other, creator="colleague", created="2021-04-16T10:00:00Z"),
    ])  # fmt: skip
    began = utc_now_iso()
    report, before, after = import_file(path, sample_path)
    assert not report.errors and report.placed == 2
    (claims_line,) = report.claims
    assert claims_line.startswith("line 1: claims created 2099-01-01T00:00:00Z and modified")
    assert "kept as a claim" in claims_line
    assert any(line.endswith(claims_line) for line in report.note_lines())
    added = assert_only_added(before, after, tables={"annotations"})
    assert len(added["annotations"]) == 2
    with open_session(sample_path) as session:
        passages = {a.exact: a for a in session.workspace.records.where(Annotation)}
        future, past = passages[quote], passages[other]
        newest = max(session.workspace.records.where(Annotation), key=lambda a: a.updated_at)
    # The claims are kept, word for word; who imported it and when stand beside them.
    assert future.author == "head-of-desk"
    assert future.claimed == {"author": "head-of-desk", "created": "2099-01-01T00:00:00Z",
                              "modified": "2099-06-01T00:00:00Z"}  # fmt: skip
    assert future.imported_by == "importing-officer" and future.imported_at >= began
    # The future time orders nothing: the import time stands in for it.
    assert future.created_at == future.updated_at == future.imported_at
    assert newest.updated_at <= utc_now_iso()
    # A time in the past is the passage's own, as it was before.
    assert (past.author, past.created_at) == ("colleague", "2021-04-16T10:00:00.000000Z")
    assert past.imported_by == "importing-officer" and past.claimed["author"] == "colleague"


def test_a_few_minutes_ahead_is_a_clock_not_a_claim():
    now = "2024-05-01T12:00:00.000000Z"
    near = imported_stamps(now=now, importer="me", created="2024-05-01T12:04:00Z")
    far = imported_stamps(now=now, importer="me", created="2024-05-01T12:06:00Z")
    assert (near.created_at, near.future) == ("2024-05-01T12:04:00.000000Z", ())
    assert far.created_at == now and far.future == (("created", "2024-05-01T12:06:00Z"),)
    odd = imported_stamps(now=now, importer="me", created="9999-12-31T23:00:00-05:00")
    assert odd.created_at == now and odd.claimed["created"].startswith("9999")
    assert odd.future_note() == (
        "claims created 9999-12-31T23:00:00-05:00, not a readable time: kept as a claim, "
        "ordered by the import time"
    )


# -- ids -----------------------------------------------------------------------------------


def test_ids_that_are_not_uuids_get_new_ones_and_are_kept(sample_path, tmp_path):
    with open_session(sample_path) as session:
        document = _documents(session)[1]
    quotes = _quotes(document)
    odd_ids = ["../../etc/passwd", "urn:x:1", 42]
    path = write_lines(tmp_path / "ids.jsonl", [
        w3c(document, quote, id=odd) for quote, odd in zip(quotes, odd_ids, strict=True)
    ])  # fmt: skip
    report, before, after = import_file(path, sample_path)
    assert not report.errors and report.placed == 3 and report.remapped == 3
    (note,) = report.note_lines()
    assert "3 ids were not UUIDs (such as “../../etc/passwd”)" in note
    # Issue 17: each foreign id is kept in foreign_ids, so a re-import recognises it.
    added = assert_only_added(before, after, tables={"annotations", "foreign_ids"})
    assert len(added["annotations"]) == 3
    with open_session(sample_path) as session:
        made = [a for a in session.workspace.records.where(Annotation) if a.imported_by]
    assert sorted(a.claimed["id"] for a in made) == sorted(map(str, odd_ids))
    assert all(is_uuid(a.id) for a in made)


def test_an_ftm_id_that_is_no_uuid_is_kept_and_matched_again(session, tmp_path):
    line = {"id": "../../etc/passwd", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}}
    path = write_lines(tmp_path / "people.ftm.jsonl", [line])
    first = import_annotations(session, path)
    again = import_annotations(session, path)
    (entity,) = session.entities.list_entities()
    assert is_uuid(entity.id) and entity.claimed == {"id": "../../etc/passwd"}
    assert entity.imported_by == "tester" and entity.imported_at
    assert (first.entities_added, first.remapped) == (1, 1)
    assert (again.entities_added, again.entities_matched, again.remapped) == (0, 1, 0)
    assert session.entities.get("../../etc/passwd") == entity


def test_a_colleagues_passage_id_on_another_document_is_refused(sample_path, tmp_path):
    with open_session(sample_path) as session:
        first, second = _documents(session)
        theirs = next(session.workspace.records.where(Annotation, {"document_id": first.id}))
        putin = _entity(session, "Vladimir Putin")
        links_before = session.entities.mentions_of(theirs.id)
    good, other = _quotes(second)[:2]
    items = [
        w3c(second, good),  # line 1: imported
        # line 2: the passage id of another document, with a link to add to it
        w3c(second, other, id=f"urn:uuid:{theirs.id}", body=[link(putin)]),
        # line 3: the same document, another quote
        w3c(first, _quotes(first)[0], id=f"urn:uuid:{theirs.id}"),
        # line 4: a document's id as a passage's
        w3c(second, other, id=f"urn:uuid:{second.id}"),
        # line 5: an entity id naming a document
        w3c(second, other, body=[{**link(putin), "source": f"urn:uuid:{first.id}"}]),
        # line 6: the passage itself, as exported: already here
        w3c(first, theirs.exact, id=f"urn:uuid:{theirs.id}"),
    ]
    items[5]["target"]["selector"][1].update(start=theirs.start, end=theirs.end)
    path = write_lines(tmp_path / "reuse.jsonl", items)
    report, before, after = import_file(path, sample_path)
    messages = {e.line: e.message for e in report.errors}
    assert sorted(messages) == [2, 3, 4, 5]
    assert messages[2] == (
        f"id {theirs.id} already names a passage of another document («{first.title}»); "
        "not imported"
    )
    assert messages[3].startswith(f"id {theirs.id} already names another passage of «")
    assert messages[4] == f"id {second.id} already names a document here; not imported"
    assert messages[5] == f"entity id {first.id} already names a document here; not imported"
    assert (report.placed, report.already) == (1, 1)
    added = assert_only_added(before, after, tables={"annotations"})
    assert len(added["annotations"]) == 1
    with open_session(sample_path) as session:
        assert session.entities.mentions_of(theirs.id) == links_before


# -- entities: names held back ---------------------------------------------------------------


def test_an_ftm_line_matched_by_id_adds_no_name_of_someone_else(sample_path, tmp_path):
    with open_session(sample_path) as session:
        biden, putin = _entity(session, "Joe Biden"), _entity(session, "Vladimir Putin")
    person = {"id": biden.id, "schema": "Person"}
    path = write_lines(tmp_path / "biden.ftm.jsonl", [
        {**person, "properties": {"name": ["Joe Biden"], "alias": ["Vladimir Putin"]}},
        {**person, "properties": {"name": ["Xi Jinping"]}},
        {**person, "properties": {"name": ["Joseph Robinette Biden"]}},
        {"id": "someone-else", "schema": "Person",
         "properties": {"name": ["Joe Biden"], "wikidataId": ["Q7747"]}},
    ])  # fmt: skip
    report, before, after = import_file(path, sample_path)
    assert not report.errors and report.entities_matched == 4 and report.entities_updated == 1
    assert report.held == [
        f"line 1: would add “Vladimir Putin” as a name of Joe Biden [id {biden.id}]: not "
        f"applied (it is a name of Vladimir Putin [id {putin.id}]) — review and add it by "
        "hand if right",
        f"line 2: would add “Xi Jinping” as a name of Joe Biden [id {biden.id}]: not applied "
        "(it is unlike every name the entity has) — review and add it by hand if right",
        # Putin's Wikidata id matches Putin, who is not given Biden's name either.
        f"line 4: would add “Joe Biden” as a name of Vladimir Putin [id {putin.id}]: not "
        f"applied (it is a name of Joe Biden [id {biden.id}]) — review and add it by hand "
        "if right",
    ]
    assert set(report.note_lines()) >= {f"{path}: {line}" for line in report.held}
    assert_only_added(before, after, tables=(), changed={"entities": 1})  # Biden's aliases
    with open_session(sample_path) as session:
        aliases = session.entities.get(biden.id).aliases
        assert "Joseph Robinette Biden" in aliases
        assert "Vladimir Putin" not in aliases and "Xi Jinping" not in aliases
        assert "Joe Biden" not in session.entities.get(putin.id).aliases


def test_an_ftm_wikidata_id_of_another_entity_is_held_back(sample_path, tmp_path):
    with open_session(sample_path) as session:
        peskov = _entity(session, "Dmitry Peskov")
    path = write_lines(tmp_path / "w.ftm.jsonl", [
        {"id": peskov.id, "schema": "Person",
         "properties": {"name": ["Dmitry Peskov"], "wikidataId": ["Q7747"]}},
    ])  # fmt: skip
    report, before, after = import_file(path, sample_path)
    (held,) = report.held
    assert held.startswith("line 1: would add the Wikidata id Q7747 to Dmitry Peskov")
    assert "(it is the id of Vladimir Putin [id " in held
    assert before == after


def test_an_ftm_id_naming_a_passage_is_refused(sample_path, tmp_path):
    with open_session(sample_path) as session:
        passage = next(session.workspace.records.where(Annotation))
    path = write_lines(tmp_path / "x.ftm.jsonl", [
        {"id": passage.id, "schema": "Person", "properties": {"name": ["Someone New"]}},
        {"id": str(uuid.uuid4()), "schema": "Person", "properties": {"name": ["Another One"]}},
    ])  # fmt: skip
    report, before, after = import_file(path, sample_path)
    assert [str(e) for e in report.errors] == [
        f"line 1: id {passage.id} already names a passage here; not imported"
    ]
    added = assert_only_added(before, after, tables={"entities"})
    assert len(added["entities"]) == 1


@pytest.mark.parametrize(
    ("new", "known", "agree"),
    [
        ("Vladimir Putin", "Joe Biden", False),
        ("Xi Jinping", "Joe Biden", False),
        ("Vladimir Putin", "Vladimir Zelensky", False),
        ("MID", "Ministry of Foreign Affairs", False),
        ("Sergei Lavrov", "Sergey Lavrov", True),
        ("Сергей Лавров", "Sergey Lavrov", True),
        ("Москва", "Moscow", True),
        ("Joseph R. Biden Jr.", "Joe Biden", True),
        ("Lavrov", "Sergey Lavrov", True),
        ("Навальный", "Alexei Navalny", True),
        ("!!!", "Joe Biden", False),
    ],
)
def test_which_names_agree(new, known, agree):
    assert names_agree(new, known) is agree


# -- reading: special files, bounds ------------------------------------------------------------


def _refusal(path: Path) -> str:
    with pytest.raises(ServiceError) as info:
        read_annotation_file(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


def test_a_fifo_is_refused_at_once_without_opening_it(tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    found: list[str] = []
    worker = threading.Thread(target=lambda: found.append(_refusal(fifo)), daemon=True)
    began = time.monotonic()
    worker.start()
    worker.join(2)
    if worker.is_alive():  # blocked in open(): unblock it so the test run ends
        with open(fifo, "w"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert found == ["not a regular file (FIFO)"] and time.monotonic() - began < 2


def test_special_files_and_links_to_them_are_refused(tmp_path):
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(tmp_path / "s"))
    try:
        assert _refusal(tmp_path / "s") == "not a regular file (socket)"
    finally:
        listening.close()
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")
    assert _refusal(tmp_path / "zero.jsonl") == "not a regular file (character device)"
    (tmp_path / "folder.jsonl").mkdir()
    assert _refusal(tmp_path / "folder.jsonl") == "not a regular file (folder)"
    (tmp_path / "dangling.jsonl").symlink_to(tmp_path / "gone")
    assert _refusal(tmp_path / "dangling.jsonl") == "no such file (a link to nothing)"
    real = tmp_path / "real.jsonl"
    real.write_text("{}\n", encoding="utf-8")
    (tmp_path / "link.jsonl").symlink_to(real)
    assert read_annotation_file(tmp_path / "link.jsonl") == "{}\n"


def test_the_bound_holds_while_reading_whatever_the_size_said(tmp_path, monkeypatch):
    from workstation.services import annotation_files

    monkeypatch.setattr(annotation_files, "MAX_BYTES", 64)
    # /proc files say they are empty and are not: only the read itself can stop them.
    (tmp_path / "maps.jsonl").symlink_to("/proc/self/maps")
    assert os.stat(tmp_path / "maps.jsonl").st_size == 0
    assert _refusal(tmp_path / "maps.jsonl") == (
        "more than the 0 MB an annotation file may have (it grew while being read)"
    )


def test_a_file_swapped_for_a_fifo_after_the_stat_is_not_read(tmp_path, monkeypatch):
    from workstation.services import annotation_files

    regular = tmp_path / "real.jsonl"
    regular.write_text("{}\n", encoding="utf-8")
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    # The stat saw a regular file; by the open, a FIFO stands there: opened without
    # blocking, and the descriptor's own stat refuses it.
    monkeypatch.setattr(annotation_files, "_stat", lambda path: os.stat(regular))
    began = time.monotonic()
    assert _refusal(fifo) == "replaced while being opened; not read"
    assert time.monotonic() - began < 2


def test_read_in_pieces_decodes_across_chunks_and_names_the_bad_byte(tmp_path):
    """Decoded a megabyte at a time (a worker never holds the GIL for one 50 MB decode or
    join): a character cut by a chunk's end survives, and an undecodable byte is placed
    as in the whole file, after a byte order mark too."""
    from workstation.services.annotation_files import read_annotation_pieces

    good = tmp_path / "good.jsonl"
    data = b"\xef\xbb\xbf" + b"x" * ((1 << 20) - 4) + "é".encode() + b"y\n" * 1000
    good.write_bytes(data)
    pieces = read_annotation_pieces(good)
    assert len(pieces) > 1
    assert "".join(pieces) == data.decode("utf-8-sig") == read_annotation_file(good)
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\xef\xbb\xbf" + b"x" * (3 << 20) + b"\xff")
    with pytest.raises(ServiceError, match=r"undecodable byte at 3145728\)"):
        read_annotation_pieces(bad)
