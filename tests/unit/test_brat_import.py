"""brat import: brat's own tutorial collections, a hand-made collection with everything the
format has (discontinuous spans, non-ASCII text, Wikidata normalisations, events), re-import,
offsets of texts the workspace stores normalised, and hostile collections."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers.peers import PEERS as PEERS_ROOT
from workstation.domain.records import (
    Annotation,
    Document,
    Entity,
    Event,
    Evidence,
    ForeignId,
    Mention,
    Relation,
)
from workstation.interchange.brat_read import BodyOffsets, parse_ann
from workstation.services import brat_records
from workstation.services.brat_import import import_brat
from workstation.services.outcome import ServiceError

PEERS = PEERS_ROOT / "brat" / "tutorials"
KINDS = ("T", "#", "N", "A", "R", "E", "*")


def lines_by_kind(ann: Path) -> Counter[str]:
    counted: Counter[str] = Counter()
    for line in ann.read_text(encoding="utf-8").splitlines():
        if line.strip():
            counted["A" if line[0] == "M" else line[0]] += 1
    return counted


def live(session, cls, **equals):
    return list(session.workspace.records.where(cls, equals or None))


def passages_at(session, document_id: str, exact: str) -> list[Annotation]:
    return [a for a in live(session, Annotation, document_id=document_id) if a.exact == exact]


def document_of(session, text: str) -> Document:
    from workstation.domain.offsets import body_sha256, normalize_body

    sha = body_sha256(normalize_body(text))
    (found,) = [d for d in live(session, Document) if d.sha256 == sha]
    return found


# -- brat's tutorial collections ---------------------------------------------------------------


def test_every_tutorial_line_is_imported_kept_as_a_note_or_reported(session, tmp_path):
    shutil.copytree(PEERS, tmp_path / "tutorials")
    report = import_brat(session, tmp_path / "tutorials")
    expected: Counter[str] = Counter()
    for ann in (tmp_path / "tutorials").rglob("*.ann"):
        expected += lines_by_kind(ann)
    assert report.files == 26 and not report.errors and not report.cancelled
    for kind in KINDS:
        read, imported, present, noted, refused = report.line_counts(kind)
        assert read == expected[kind], kind
        assert read == imported + present + noted + refused, kind
        assert refused == 0, kind
    # Nothing silently dropped, and the lines that have a native place got it.
    assert report.line_counts("T")[1:] == (226, 0, 0, 0)
    assert report.imported["A"] == 20 and report.imported["N"] == 1
    assert report.as_notes["E"] == 47  # no tutorial event has an Agent or Patient
    assert report.as_notes["*"] == 4
    assert report.documents_added + report.documents_matched == 26
    assert len(live(session, Annotation)) == report.placed == 226
    assert "0 lines not imported" in report.summary()


def test_the_news_introduction_keeps_each_kind_of_line(session, tmp_path):
    shutil.copytree(PEERS / "news", tmp_path / "news")
    report = import_brat(session, tmp_path / "news" / "000-introduction.ann")
    assert not report.errors and report.files == 1
    text = (tmp_path / "news" / "000-introduction.txt").read_text(encoding="utf-8")
    doc = document_of(session, text)
    # Person/Organization/GPE: mention-only spans linked to entities (no category made).
    (raul,) = passages_at(session, doc.id, "Raul Salinas de Gortari")
    assert raul.mention_only and raul.category_id is None
    assert set(raul.tags) == {"Mention=Name", "Individual"}  # A1, A2
    (link,) = live(session, Mention, annotation_id=raul.id)
    assert session.entities.find(link.entity_id).kind == "Person"
    # N1 names the entity of T5 (a Wikipedia id, kept in the note).
    (president,) = passages_at(session, doc.id, "former Mexican president")
    (link,) = live(session, Mention, annotation_id=president.id)
    assert session.entities.find(link.entity_id).name == "Carlos Salinas de Gortari"
    assert "Reference Wikipedia:64488 (Carlos Salinas de Gortari)" in president.note
    # Money is no category and no entity: a passage tagged with its type, #1 its note.
    (money,) = passages_at(session, doc.id, "$100 million")
    assert money.tags == ["Money"] and money.note == "100000000 USD" and not money.mention_only
    # R1 Family between two Persons: a relation; R2 Origin: a note on its first argument.
    (family,) = live(session, Relation)
    assert family.kind == "family" and family.source == "000-introduction.ann#R1"
    (banks,) = passages_at(session, doc.id, "banks")
    assert "R2 Origin: «banks» → «Switzerland»" in banks.note
    # E1 (Giver/Money/Beneficiary/Recipient) has no actor or target role: a note, its
    # attribute A5 a tag on the trigger.
    (moving,) = passages_at(session, doc.id, "moving")
    assert moving.note.startswith("E1 Transfer money: «moving» — Giver-Arg «Citibank»")
    assert "Confidence=High" in moving.tags and not live(session, Event)
    assert len(live(session, ForeignId)) == 7 + 1  # seven spans and the relation


# -- a collection with everything ------------------------------------------------------------

RU_TEXT = (
    "США ввели санкции против России 15 апреля 2021 года.\n"
    "Джо Байден подписал указ; Москва ответила высылкой 🇺🇸 дипломатов.\n"
)
RU_ANN = """\
T1\tSanction 0 3;10 17\tСША санкции
T2\tPerson 53 63\tДжо Байден
N1\tReference T2 Wikidata:Q6279\tJoe Biden
T3\tGPE 79 85\tМосква
T4\tExpel 86 94\tответила
E1\tExpel:T4 Agent:T3 Patient:T2
A1\tNegation E1
#1\tAnnotatorNotes T1\tне ясно, какие именно
T5\tMoney 107 117\tдипломатов
T6\tStatement 79 117\tМосква ответила высылкой 🇺🇸 дипломатов
R1\tSpeaker Arg1:T6 Arg2:T3
"""


def make_collection(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "ru.txt").write_text(RU_TEXT, encoding="utf-8")
    (folder / "ru.ann").write_text(RU_ANN, encoding="utf-8")
    (folder / "annotation.conf").write_text("[entities]\nSanction\nPerson\n", encoding="utf-8")
    (folder / "visual.conf").write_text("[labels]\nExpel | Expulsion\n", encoding="utf-8")
    return folder


def test_offsets_are_code_points_of_the_text_file():
    parsed = parse_ann(RU_ANN)
    assert not parsed.errors
    for span in parsed.spans:
        assert " ".join(RU_TEXT[s:e] for s, e in span.fragments) == span.text


def test_a_hand_made_collection_becomes_passages_links_and_an_event(session, tmp_path):
    report = import_brat(session, make_collection(tmp_path / "coll"))
    assert not report.errors, report.error_lines()
    doc = document_of(session, RU_TEXT)
    categories = {c.name: c.id for c in session.codebook.list_categories()}
    # A discontinuous span: one passage per fragment, tied by a shared tag.
    sanction = [a for a in live(session, Annotation, document_id=doc.id)
                if a.category_id == categories["Sanction"]]  # fmt: skip
    assert sorted(a.exact for a in sanction) == ["США", "санкции"]
    assert all(a.tags == ["brat-span=T1"] for a in sanction)
    assert all(a.note == "не ясно, какие именно" for a in sanction)
    for passage in live(session, Annotation, document_id=doc.id):
        assert doc.body[passage.start : passage.end] == passage.exact
    # Wikidata normalisation: the entity carries the id and the name the line gives.
    (biden,) = [e for e in live(session, Entity) if e.wikidata_id == "Q6279"]
    assert biden.name == "Joe Biden" and biden.kind == "Person"
    moscow = session.entities.find_by_name("Москва")
    assert moscow.kind == "Country"
    # E1 Agent/Patient: an event, Moscow acting on Biden, evidence the trigger passage.
    (event,) = live(session, Event)
    assert (event.actor_id, event.target_id) == (moscow.id, biden.id)
    # "Expel" is labelled "Expulsion" in visual.conf: the category, so the event's kind.
    assert event.title == "Expulsion: ответила" and event.kind == "expulsion"
    assert "Negation" in event.summary.split("\n")
    (episode,) = session.episodes.list_episodes()
    assert episode.title == "Imported from brat coll" and report.episode == episode.title
    (evidence,) = live(session, Evidence, event_id=event.id)
    trigger = session.workspace.records.get(Annotation, evidence.annotation_id)
    assert trigger.exact == "ответила" and trigger.tags == ["Negation"]
    assert trigger.category_id == categories["Expulsion"]
    # R1 Speaker between a passage and an entity: a role link, not a note.
    (statement,) = passages_at(session, doc.id, "Москва ответила высылкой 🇺🇸 дипломатов")
    assert statement.category_id == categories["Statement"]
    roles = {(m.entity_id, m.role) for m in live(session, Mention, annotation_id=statement.id)}
    assert roles == {(moscow.id, "speaker")}
    assert report.line_counts("R") == (1, 1, 0, 0, 0)
    assert report.line_counts("E") == (1, 1, 0, 0, 0)
    # Dated by the article (its dateline was read on import), else by the import day.
    published = doc.published[:10] if doc.published else None
    dated_today = any("dated by the import day" in line for line in report.note_lines())
    assert event.date == published if published else dated_today


def test_a_second_import_adds_nothing_and_one_undo_takes_the_first_back(session, tmp_path):
    folder = make_collection(tmp_path / "coll")
    first = import_brat(session, folder)
    counts = {cls: len(live(session, cls)) for cls in (Annotation, Entity, Event, Mention)}
    again = import_brat(session, folder)
    assert not again.changes.changes and not again.errors
    assert {cls: len(live(session, cls)) for cls in counts} == counts
    for kind in KINDS:
        read, _, present, _, _ = again.line_counts(kind)
        assert present == read, kind
    session.revert(first.changes)
    assert not live(session, Annotation) and not live(session, Event)
    assert not live(session, Document) and not live(session, ForeignId)


def test_a_text_stored_normalised_keeps_every_span_in_place(session, tmp_path):
    """A BOM, CRLF line ends, a control character, a decomposed letter and leading blank
    lines: the workspace stores the text normalised, brat counts the file as it is."""
    raw = "\ufeff\r\n  Caf\u0065\u0301 Müller\r\nsaid\x0c «yes» to Łódź.\r\n"
    words = ["Caf\u0065\u0301", "Müller", "said", "«yes»", "Łódź"]
    ann = "".join(
        f"T{i}\tQuote {raw.index(w)} {raw.index(w) + len(w)}\t{w}\n" for i, w in enumerate(words, 1)
    )
    folder = tmp_path / "crlf"
    folder.mkdir()
    (folder / "a.txt").write_bytes(raw.encode("utf-8"))
    (folder / "a.ann").write_text(ann, encoding="utf-8")
    report = import_brat(session, folder)
    assert not report.errors, report.error_lines()
    (doc,) = live(session, Document)
    assert doc.body == "Café Müller\nsaid «yes» to Łódź."
    assert sorted(a.exact for a in live(session, Annotation)) == sorted(
        ["Café", "Müller", "said", "«yes»", "Łódź"]
    )
    mapping = BodyOffsets(raw)
    assert mapping(raw.index("Müller")) == doc.body.index("Müller")
    assert mapping(raw.index("\u0301")) is None  # inside what NFC composed


def test_a_document_named_by_id_without_a_txt_is_counted_in_its_own_text(session, tmp_path):
    from workstation.importers.base import DocumentDraft

    doc = session.documents.add(
        DocumentDraft(title="Ours", text=RU_TEXT, origin_name="ru.txt")
    ).record
    folder = make_collection(tmp_path / "coll")
    (folder / "ru.txt").unlink()
    report = import_brat(session, folder / "ru.ann", document_id=doc.id)
    assert not report.errors, report.error_lines()
    assert report.placed == 7 and report.documents_added == 0
    assert {a.document_id for a in live(session, Annotation)} == {doc.id}
    # Without the document, a .ann without its .txt cannot be read.
    other = import_brat(session, folder / "ru.ann")
    (line,) = other.error_lines()
    assert line.endswith("ru.txt: no such file; its lines not imported")
    assert other.refused["T"] == 6


def test_a_document_named_by_id_with_its_txt_places_by_quote(session, tmp_path):
    from workstation.importers.base import DocumentDraft

    doc = session.documents.add(
        DocumentDraft(title="Edited", text="Intro.\n" + RU_TEXT, origin_name="x.txt")
    ).record
    folder = make_collection(tmp_path / "coll")
    report = import_brat(session, folder / "ru.ann", document_id=doc.id)
    assert not report.errors, report.error_lines()
    assert len(live(session, Document)) == 1
    for passage in live(session, Annotation):
        assert passage.document_id == doc.id
        assert doc.body[passage.start : passage.end] == passage.exact
    with pytest.raises(ServiceError, match="no document with id"):
        import_brat(session, folder / "ru.ann", document_id="nope")
    with pytest.raises(ServiceError, match="holds 2"):
        shutil.copy(folder / "ru.ann", folder / "copy.ann")
        import_brat(session, folder, document_id=doc.id)


# -- hostile collections -----------------------------------------------------------------------


def test_bad_lines_are_reported_one_each_and_the_rest_imported(session, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    text = "Sanctions were imposed on Moscow today.\n"
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "a.ann").write_text(
        "T1\tSanction 0 9\tSanctions\n"
        "T2\tGPE 26 32\tMoscow\n"
        "garbage without a tab\n"
        "T3\tSanction 30 9999\tMoscow\n"  # beyond the text
        "T4\tSanction 0 9\tSomething else\n"  # not the text at its offsets
        "T5\tSanction 9 0\tx\n"  # backwards
        "T1\tSanction 0 9\tSanctions\n"  # duplicate id
        "N1\tReference T3 Wikidata:Q649\tMoscow\n"  # its span was refused
        "N2\tReference T2 Wikidata:moscow\tMoscow\n"  # no Wikidata id
        "A1\tNegation T42\n"  # no such span
        "R1\tFamily Arg1:T1\n"  # one argument
        "E1\tSanction:T1 Agent:T9\n"  # no such span
        "X1\tWhat is this\n",
        encoding="utf-8",
    )
    report = import_brat(session, folder)
    lines = report.error_lines()
    assert len(lines) == len(report.errors) == 11, "\n".join(lines)
    assert all(line.startswith(str(folder / "a.ann")) and "\n" not in line for line in lines)
    assert any("line 4: T3: offsets up to 9999 go beyond the text's 40" in x for x in lines)
    assert any("line 5: T4: its text «Something else» is not the text" in x for x in lines)
    assert any("line 8: N1: its span T3 was not imported" in x for x in lines)
    assert any("line 9: N2: «moscow» is no Wikidata id" in x for x in lines)
    assert any("line 10: A1: T42 is not in this file" in x for x in lines)
    assert {a.exact for a in live(session, Annotation)} == {"Sanctions", "Moscow"}
    for kind in (*KINDS, "?"):
        read, imported, present, noted, refused = report.line_counts(kind)
        assert read == imported + present + noted + refused
    assert sum(report.refused.values()) == 11


def test_hostile_files_are_each_one_line_and_never_stop_the_others(session, tmp_path, monkeypatch):
    folder = tmp_path / "hostile"
    (folder / "sub").mkdir(parents=True)
    outside = tmp_path / "secret.txt"
    outside.write_text("not for import", encoding="utf-8")
    good = "A good text.\n"
    (folder / "sub" / "good.txt").write_text(good, encoding="utf-8")
    (folder / "sub" / "good.ann").write_text("T1\tNote 2 6\tgood\n", encoding="utf-8")
    (folder / "notxt.ann").write_text("T1\tNote 0 1\tA\n", encoding="utf-8")
    (folder / "latin1.ann").write_bytes("T1\tNote 0 1\té\n".encode("latin-1"))
    (folder / "latin1.txt").write_text("é", encoding="utf-8")
    (folder / "binary.ann").write_bytes(b"T1\x00\x01\x02")
    (folder / "binary.txt").write_text("x", encoding="utf-8")
    (folder / "leak.ann").write_text("T1\tNote 0 3\tnot\n", encoding="utf-8")
    (folder / "leak.txt").symlink_to(outside)
    (folder / "away.ann").symlink_to(tmp_path / "elsewhere.ann")
    (tmp_path / "elsewhere.ann").write_text("", encoding="utf-8")
    (folder / "loop").symlink_to(folder)  # a link back up: never walked twice
    os.mkfifo(folder / "fifo.ann")
    (folder / "big.ann").write_text("T1\tNote 0 1\tA\n" * 10, encoding="utf-8")
    (folder / "big.txt").write_text("A", encoding="utf-8")
    monkeypatch.setattr(brat_records, "MAX_ANN_BYTES", 100)
    report = import_brat(session, folder)
    lines = report.error_lines()
    assert len(lines) == 7, lines
    reasons = {
        "notxt.ann": "notxt.txt: no such file",
        "latin1.ann": "not UTF-8 text",
        "binary.ann": "a binary file",
        "leak.ann": "leak.txt is a link to outside the collection",
        "away.ann": "a link to outside the collection; not read",
        "fifo.ann": "not a regular file (FIFO)",
        "big.ann": "more than the 100 a brat file may have",
    }
    for name, reason in reasons.items():
        (line,) = [x for x in lines if x.startswith(f"{folder / name}:")]
        assert reason in line, line
    assert [a.exact for a in live(session, Annotation)] == ["good"]
    assert "not for import" not in {d.body for d in live(session, Document)}


def test_a_path_that_is_no_collection_is_refused_in_one_line(session, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ServiceError, match=r"no brat \.ann files"):
        import_brat(session, tmp_path / "empty")
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ServiceError, match=r"not a brat \.ann file"):
        import_brat(session, tmp_path / "x.json")
    with pytest.raises(ServiceError, match="no such file"):
        import_brat(session, tmp_path / "missing")


def test_progress_can_cancel_between_chunks(session, tmp_path):
    from workstation.services.import_chunks import ImportCancelled

    folder = make_collection(tmp_path / "coll")
    shutil.copytree(PEERS / "bio", folder / "bio")

    def stop(done: int) -> None:
        raise ImportCancelled

    report = import_brat(session, folder, progress=stop)
    assert report.cancelled and "cancelled" in report.summary()
    assert report.files == 1  # bio/ sorts first; stopped after its first chunk


def test_an_unforeseen_failure_costs_that_file_only(session, tmp_path, monkeypatch):
    from workstation.services.brat_lines import BratFile

    shutil.copytree(PEERS / "news", tmp_path / "news")
    real = BratFile._span

    def failing(self, span):
        if self.path.name == "040-text_span_annotation.ann" and span.id == "T3":
            raise RuntimeError("boom")
        return real(self, span)

    monkeypatch.setattr(BratFile, "_span", failing)
    report = import_brat(session, tmp_path / "news")
    (line,) = report.error_lines()
    assert "040-text_span_annotation.ann: unexpected error (RuntimeError: boom)" in line
    assert line.endswith("its other lines not imported")
    assert report.refused["T"] == 4  # the chunk rolled back whole: all four of its spans
    for kind in KINDS:
        read, imported, present, noted, refused = report.line_counts(kind)
        assert read == imported + present + noted + refused, kind
    assert report.files == 13 and report.imported["T"] == report.read["T"] - 4
    # What the failed chunk made (entities among it) is forgotten, not linked to later.
    for mention in live(session, Mention):
        assert session.entities.find(mention.entity_id) is not None


def test_an_event_whose_trigger_is_an_entity_is_not_made_twice(session, tmp_path):
    folder = tmp_path / "meet"
    folder.mkdir()
    (folder / "m.txt").write_text("Putin met Biden in Geneva.\n", encoding="utf-8")
    (folder / "m.ann").write_text(
        "T1\tPerson 0 5\tPutin\nT2\tPerson 10 15\tBiden\nT3\tGPE 19 25\tGeneva\n"
        "E1\tMeet:T3 Subject:T1 Object:T2\n",
        encoding="utf-8",
    )
    first = import_brat(session, folder)
    again = import_brat(session, folder)
    (event,) = live(session, Event)
    assert first.events_added == 1 and again.line_counts("E") == (1, 0, 1, 0, 0)
    assert not live(session, Evidence)  # a mention-only span is no evidence
    names = {session.entities.find(i).name for i in (event.actor_id, event.target_id)}
    assert names == {"Putin", "Biden"} and event.title == "Meet: Geneva"
