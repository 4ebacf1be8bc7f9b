"""ChangeSet answers typed questions: views ask by record type, never by table name."""

from __future__ import annotations

from workstation.domain.records import (
    RECORD_TYPES,
    Annotation,
    Change,
    ChangeSet,
    Document,
    Entity,
    Mention,
)
from workstation.importers.base import DocumentDraft
from workstation.services import create_session


def _change(action, kind, record_id, before, after) -> Change:
    return Change(action, kind.TABLE, record_id, before, after)


def test_typed_questions_on_a_hand_made_set():
    changes = ChangeSet()
    changes.add(_change("create", Annotation, "a1", None, {"document_id": "d1", "note": ""}))
    changes.add(
        _change(
            "update",
            Document,
            "d1",
            {"title": "Old", "outlet": "TASS", "updated_at": "1", "author": "x"},
            {"title": "New", "outlet": "TASS", "updated_at": "2", "author": "y"},
        )
    )
    changes.add(_change("delete", Mention, "m1", {"annotation_id": "a0"}, {"annotation_id": "a0"}))

    assert changes.touches(Annotation)
    assert changes.touches(Entity, Document)
    assert not changes.touches(Entity)
    assert changes.ids_of(Annotation) == {"a1"}
    assert changes.ids_of(Entity) == set()
    # Stamps every write touches are not news; only the title changed.
    assert changes.fields_changed(Document) == {"title"}
    assert changes.fields_changed(Document, "other") == set()
    assert changes.fields_changed(Annotation, "a1") == {"document_id", "note"}
    assert changes.values_of(Annotation, "document_id") == {"d1"}
    assert changes.values_of(Mention, "annotation_id") == {"a0"}
    assert [c.record_id for c in changes.of(Document, Mention)] == ["d1", "m1"]
    assert changes.initiator is None


def test_a_real_edit_is_described_by_record_type(tmp_path):
    with create_session(tmp_path / "ws.sqlite", author="tester") as session:
        draft = DocumentDraft(title="T", text="Moscow expelled ten diplomats.", origin_name="t")
        document = session.documents.add(draft).record
        category = session.codebook.list_categories()[0]
        passage = session.annotations.create(document.id, 0, 6, category_id=category.id)
        entity = session.entities.create("Country", "Russia")
        linked = session.entities.link(passage.record.id, entity.record.id)

    assert linked.changes.touches(Mention)
    assert not linked.changes.touches(Annotation, Document)
    assert linked.changes.values_of(Mention, "annotation_id") == {passage.record.id}
    assert passage.changes.ids_of(Annotation) == {passage.record.id}


def test_every_record_type_has_a_table_a_change_can_name():
    tables = [kind.TABLE for kind in RECORD_TYPES]
    assert len(tables) == len(set(tables))
    for kind in RECORD_TYPES:
        change = ChangeSet([_change("create", kind, "x", None, {"id": "x"})])
        assert change.touches(kind)
        assert [other for other in RECORD_TYPES if change.touches(other)] == [kind]


def test_the_index_follows_add_extend_and_direct_appends():
    """The answers come from an index built on the first question: every way of adding
    changes afterwards must be seen by the next question, in order."""
    changes = ChangeSet()
    assert not changes.touches(Annotation)
    assert changes.of(Annotation) == []
    changes.add(_change("create", Annotation, "a1", None, {"document_id": "d1"}))
    assert changes.touches(Annotation)  # the index is built here…
    assert changes.ids_of(Annotation) == {"a1"}
    changes.add(_change("create", Document, "d2", None, {"title": "T"}))  # …and dropped here
    assert changes.touches(Document)
    assert changes.ids_of(Document) == {"d2"}
    more = ChangeSet()
    more.add(_change("update", Annotation, "a1", {"document_id": "d1"}, {"document_id": "d3"}))
    more.add(_change("create", Mention, "m1", None, {"annotation_id": "a1"}))
    changes.extend(more)
    assert changes.values_of(Annotation, "document_id") == {"d1", "d3"}
    assert changes.holds_value(Annotation, "document_id", "d3")
    assert not changes.holds_value(Annotation, "document_id", "d2")
    assert changes.fields_changed(Annotation, "a1") == {"document_id"}
    assert [c.record_id for c in changes.of(Mention, Annotation)] == ["a1", "a1", "m1"]
    assert changes.count(Annotation) == 2 and changes.count() == 4
    # Someone appending to the list itself is seen too.
    changes.changes.append(_change("delete", Entity, "e1", {"name": "X"}, None))
    assert changes.touches(Entity) and changes.ids_of(Entity) == {"e1"}
    # Answers are copies: a caller adding to one leaves the next answer as it was.
    ids = changes.ids_of(Annotation)
    ids.add("zzz")
    values = changes.values_of(Annotation, "document_id")
    values.add("zzz")
    assert changes.ids_of(Annotation) == {"a1"}
    assert changes.values_of(Annotation, "document_id") == {"d1", "d3"}
    # Order across kinds is the order of the changes.
    assert [c.table for c in changes.of(Entity, Document, Annotation)] == [
        Annotation.TABLE,
        Document.TABLE,
        Annotation.TABLE,
        Entity.TABLE,
    ]
