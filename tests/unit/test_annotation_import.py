"""Importing W3C annotations and FtM entities: placement, re-anchoring, orphans, bad lines,
and the round trip export → import into a workspace holding the same documents."""

from __future__ import annotations

import json
import uuid

import pytest

from workstation.domain.records import Annotation, Category, Document, Entity, Mention, Orphan
from workstation.importers.base import DocumentDraft
from workstation.services import create_session
from workstation.services.annotation_import import import_annotations
from workstation.services.exporting import export
from workstation.services.outcome import ServiceError

EMOJI_BODY = "Заявление 😀 МИД: Сергей Лавров ответил 🇷🇺 Вашингтону.\nSecond line here."


def _copy_documents(source, target) -> None:
    """Put the same texts (same hashes, new ids) into ``target``, as another officer would."""
    for document in source.workspace.records.where(Document):
        target.documents.add(
            DocumentDraft(
                title=document.title, text=document.body, url=document.url, origin_name="x"
            )
        )


def _passages(session) -> set[tuple]:
    names = {c.id: c.name for c in session.workspace.records.where(Category)}
    shas = {d.id: d.sha256 for d in session.workspace.records.where(Document)}
    return {
        (
            a.id,
            shas[a.document_id],
            a.start,
            a.end,
            a.exact,
            names.get(a.category_id),
            a.note,
            a.releasable,
        )
        for a in session.workspace.records.where(Annotation)
    }


def _entities(session) -> set[tuple]:
    return {
        (e.id, e.kind, e.name, tuple(sorted(e.aliases)), e.wikidata_id)
        for e in session.workspace.records.where(Entity)
    }


def _links(session) -> set[tuple]:
    return {
        (m.annotation_id, m.entity_id, m.role) for m in session.workspace.records.where(Mention)
    }


def test_round_trip_gives_the_same_passages_entities_and_links(sample_session, tmp_path):
    export(sample_session, "ftm", tmp_path / "entities.ftm")
    export(sample_session, "w3c", tmp_path / "passages.jsonl")
    with create_session(tmp_path / "other.sqlite", author="colleague") as other:
        _copy_documents(sample_session, other)
        ftm = import_annotations(other, tmp_path / "entities.ftm")
        w3c = import_annotations(other, tmp_path / "passages.jsonl")
        assert not ftm.errors and not w3c.errors
        assert w3c.placed == len(_passages(sample_session)) and w3c.orphans == 0
        assert _passages(other) == _passages(sample_session)
        linked = {m.entity_id for m in sample_session.workspace.records.where(Mention)}
        assert {e for e in _entities(other)} >= {
            e for e in _entities(sample_session) if e[0] in linked
        }
        assert _links(other) == _links(sample_session)
        # Authorship and times travel with the annotation.
        theirs = {a.id: a for a in other.workspace.records.where(Annotation)}
        for mine in sample_session.workspace.records.where(Annotation):
            assert (theirs[mine.id].author, theirs[mine.id].created_at) == (
                mine.author,
                mine.created_at,
            )
        again = import_annotations(other, tmp_path / "passages.jsonl")
        assert again.placed == 0 and again.already == w3c.placed and not again.changes


def _one_document_workspace(tmp_path, body: str, name: str = "ws.sqlite"):
    session = create_session(tmp_path / name, author="tester")
    document = session.documents.add(
        DocumentDraft(title="Ответ", text=body, url="https://example.org/a", origin_name="a.txt")
    ).record
    return session, document


def _w3c_line(**overrides) -> str:
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://hypothes.is/a/abc123",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Statement"}],
        "target": {
            "source": "https://example.org/a",
            "selector": [
                {"type": "TextQuoteSelector", "exact": "Сергей Лавров", "prefix": "МИД: "},
                {"type": "TextPositionSelector", "start": 17, "end": 30},
            ],
        },
    }
    item.update(overrides)
    return json.dumps(item, ensure_ascii=False)


def test_foreign_annotation_placed_by_position_in_code_points(tmp_path):
    session, document = _one_document_workspace(tmp_path, EMOJI_BODY)
    with session:
        start = document.body.index("Сергей")
        assert start == 17  # the emoji before counts once: code points, not UTF-16
        path = tmp_path / "h.jsonl"
        path.write_text(_w3c_line(), encoding="utf-8")
        report = import_annotations(session, path)
        (passage,) = session.workspace.records.where(Annotation)
        assert (passage.start, passage.end, passage.exact) == (17, 30, "Сергей Лавров")
        assert report.placed == 1
        assert session.codebook.by_name("Statement").id == passage.category_id


def test_wrong_position_is_re_anchored_by_quote_and_context(tmp_path):
    session, document = _one_document_workspace(tmp_path, "Intro added.\n" + EMOJI_BODY)
    with session:
        path = tmp_path / "h.jsonl"
        path.write_text(_w3c_line(), encoding="utf-8")
        report = import_annotations(session, path)
        (passage,) = session.workspace.records.where(Annotation)
        assert document.body[passage.start : passage.end] == "Сергей Лавров"
        assert report.reanchored == 1 and report.placed == 0


def test_unplaceable_annotations_are_kept_as_orphans(tmp_path):
    session, _ = _one_document_workspace(tmp_path, EMOJI_BODY)
    with session:
        elsewhere = _w3c_line(
            target={
                "source": "https://nowhere.example/x",
                "selector": {"type": "TextQuoteSelector", "exact": "gone"},
            }
        )
        absent = _w3c_line(
            id="https://hypothes.is/a/def456",  # issue 17: one id is one annotation
            target={
                "source": "https://example.org/a",
                "selector": {
                    "type": "TextQuoteSelector",
                    "exact": "a sentence that is not there at all",
                },
            }
        )
        path = tmp_path / "h.jsonl"
        path.write_text(elsewhere + "\n" + absent + "\n", encoding="utf-8")
        report = import_annotations(session, path)
        assert report.orphans == 2 and not list(session.workspace.records.where(Annotation))
        orphans = list(session.workspace.records.where(Orphan))
        assert {o.exact for o in orphans} == {"gone", "a sentence that is not there at all"}
        assert [row.kind for row in session.orphans.open()] == ["import", "import"]
        assert "not found" in next(o.reason for o in orphans if o.document_id)


def test_malformed_lines_are_reported_by_number_and_the_rest_imported(tmp_path, capsys):
    from tests.helpers.cli import run

    session, _ = _one_document_workspace(tmp_path, EMOJI_BODY)
    session.close()
    path = tmp_path / "mixed.jsonl"
    wrong_type = _w3c_line(
        target={
            "source": "https://example.org/a",
            "selector": [{"type": "TextPositionSelector", "start": "17", "end": 30}],
        }
    )
    path.write_text(
        "\n".join([_w3c_line(), "{not json", wrong_type, "[1, 2]"]) + "\n", encoding="utf-8"
    )
    code, out, err = run(capsys, "--workspace", tmp_path / "ws.sqlite", "import-annotations", path)
    assert code == 1
    assert "1 passage imported" in out
    assert "line 2:" in err and "line 3:" in err and "line 4:" in err
    assert len(err.strip().splitlines()) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x00\x01\x02binary", "binary"), (b"\xff\xfe{bad", "UTF-8")],
)
def test_unreadable_files_give_one_clear_error_and_change_nothing(tmp_path, content, message):
    session, _ = _one_document_workspace(tmp_path, EMOJI_BODY)
    with session:
        path = tmp_path / "bad.json"
        path.write_bytes(content)
        with pytest.raises(ServiceError, match=message):
            import_annotations(session, path)
        with pytest.raises(ServiceError, match="no such file"):
            import_annotations(session, tmp_path / "missing.jsonl")
        assert not list(session.workspace.records.where(Annotation))


def test_ftm_entities_deduplicated_by_id_and_by_name_or_alias(tmp_path):
    session, _ = _one_document_workspace(tmp_path, EMOJI_BODY)
    with session:
        lavrov = session.entities.create("Person", "Sergey Lavrov", aliases=["Сергей Лавров"])
        lines = [
            # OpenSanctions style: extra top-level keys, several names, a Wikidata id.
            {
                "id": "Q80",
                "schema": "Person",
                "caption": "Sergei Lavrov",
                "properties": {"name": ["Sergei Lavrov", "Сергей Лавров"], "wikidataId": ["Q80"]},
                "datasets": ["ru_officials"],
                "first_seen": "2021-01-01",
                "target": True,
            },
            {
                "id": "org-1",
                "schema": "PublicBody",
                "properties": {"name": ["Ministry of Foreign Affairs"], "alias": ["MID"]},
            },
            {
                "id": "org-1",
                "schema": "PublicBody",
                "properties": {"name": ["Ministry of Foreign Affairs"]},
            },
            {"id": "art-1", "schema": "Article", "properties": {"title": ["x"]}},
        ]
        path = tmp_path / "os.ftm.json"
        path.write_text(
            "\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8"
        )
        report = import_annotations(session, path)
        assert report.format == "ftm" and not report.errors
        assert (report.entities_added, report.entities_matched, report.skipped) == (1, 2, 1)
        matched = session.entities.get(lavrov.record.id)
        assert matched.wikidata_id == "Q80" and "Sergei Lavrov" in matched.aliases
        assert session.entities.get("org-1").aliases == ["MID"]


def test_a_known_entity_given_a_new_name_is_counted_as_updated(tmp_path):
    session, _ = _one_document_workspace(tmp_path, EMOJI_BODY)
    with session:
        line = {"id": "p1", "schema": "Person", "properties": {"name": ["Dmitry Peskov"]}}
        path = tmp_path / "a.ftm.jsonl"
        path.write_text(json.dumps(line), encoding="utf-8")
        import_annotations(session, path)
        line["properties"]["name"] = ["Dmitri Peskov"]
        path.write_text(json.dumps(line), encoding="utf-8")
        report = import_annotations(session, path)
        assert (report.entities_added, report.entities_matched) == (0, 1)
        assert report.entities_updated == 1 and "1 given new names" in report.lines()[0]
        assert session.entities.get("p1").aliases == ["Dmitri Peskov"]


def _many_annotations(tmp_path, count: int):
    body = " ".join(f"word{i:04d}" for i in range(count))
    session, _document = _one_document_workspace(tmp_path, body)
    lines = []
    for i in range(count):
        start = body.index(f"word{i:04d}")
        target = {"source": "https://example.org/a", "selector": [
            {"type": "TextQuoteSelector", "exact": f"word{i:04d}"},
            {"type": "TextPositionSelector", "start": start, "end": start + 8}]}  # fmt: skip
        lines.append(_w3c_line(id=f"urn:uuid:{uuid.UUID(int=i + 1)}", target=target))
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return session, path


def test_an_import_cancelled_between_chunks_keeps_whole_chunks(tmp_path):
    from workstation.services.annotation_import import CHUNK, ImportCancelled

    session, path = _many_annotations(tmp_path, CHUNK * 2 + 10)
    seen = []

    def cancel_after_first(done: int) -> None:
        seen.append(done)
        raise ImportCancelled

    with session:
        report = import_annotations(session, path, progress=cancel_after_first)
        assert seen == [CHUNK] and report.cancelled and "cancelled" in report.lines()[0]
        assert len(list(session.workspace.records.where(Annotation))) == CHUNK
        again = import_annotations(session, path)  # the rest, the first chunk recognised
        assert (again.placed, again.already) == (CHUNK + 10, CHUNK)
