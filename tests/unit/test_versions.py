"""A changed version of an article: both versions linked, passages carried over, the ones
that cannot be placed kept on the earlier version in the review queue."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from workstation.domain.records import Annotation, Document
from workstation.importers.base import DocumentDraft
from workstation.services.documents import document_from_draft
from workstation.services.importing import store_documents
from workstation.services.maintenance import check

PARAGRAPHS = [
    "Washington 😀 announced sanctions against 32 entities on Thursday.",
    "Сергей Лавров said Moscow would answer in kind and soon.",
    "Ten diplomats were expelled from the embassy in Washington.",
    "The Kremlin called the measures unfriendly and illegal.",
    "Analysts expect a further round of expulsions next week.",
]


def _draft(paragraphs, **meta) -> DocumentDraft:
    meta.setdefault("url", "https://news.example/sanctions")
    return DocumentDraft(
        title=meta.pop("title", "US sanctions Russia"),
        text="\n\n".join(paragraphs),
        origin_name="a.txt",
        **meta,
    )


def _annotate(session, document, phrases):
    ids = {}
    for phrase in phrases:
        start = document.body.index(phrase)
        ids[phrase] = session.annotations.create(
            document.id, start, start + len(phrase), note=phrase[:10]
        ).record.id
    return ids


def _reimport(session, paragraphs, **meta):
    record = document_from_draft(_draft(paragraphs, **meta))
    results, changes = store_documents(session, [(Path("v2.txt"), record)])
    return results[0], changes


def _setup(session):
    first = session.documents.add(_draft(PARAGRAPHS)).record
    ids = _annotate(
        session,
        first,
        ["32 entities", "Лавров said Moscow", "Ten diplomats", "Analysts expect"],
    )
    lavrov = session.entities.create("Person", "Sergey Lavrov").record
    session.entities.link(ids["Лавров said Moscow"], lavrov.id, "speaker")
    return first, ids


def _passage(session, passage_id) -> Annotation:
    return session.annotations.get(passage_id)


def _content(passage: Annotation) -> Annotation:
    """A passage without its write time (an undo is itself a write)."""
    return dataclasses.replace(passage, updated_at="")


def test_inserted_paragraph_moves_every_passage(session):
    first, ids = _setup(session)
    changed = [PARAGRAPHS[0], "A new paragraph with 🇺🇸 flags was inserted here.", *PARAGRAPHS[1:]]
    result, _ = _reimport(session, changed)
    assert result.status == "new version" and "4 passages moved" in result.message
    newer = session.documents.get(result.document_id)
    assert newer.supersedes == first.id
    for phrase, passage_id in ids.items():
        passage = _passage(session, passage_id)
        assert passage.document_id == newer.id and not passage.orphan
        assert newer.body[passage.start : passage.end] == phrase
    # Links and the earlier version stay.
    assert session.entities.mentions_of(ids["Лавров said Moscow"])
    assert session.documents.get(first.id).live
    assert check(session) == []


def test_deleted_paragraph_leaves_its_passage_on_the_earlier_version_for_review(session):
    first, ids = _setup(session)
    changed = [p for p in PARAGRAPHS if not p.startswith("Ten diplomats")]
    result, _ = _reimport(session, changed)
    assert "1 kept on the earlier version" in result.message
    orphan = _passage(session, ids["Ten diplomats"])
    assert orphan.orphan and orphan.document_id == first.id
    assert first.body[orphan.start : orphan.end] == "Ten diplomats"
    (row,) = session.orphans.open()
    assert (row.kind, row.id, row.document_id) == ("passage", orphan.id, first.id)
    assert session.orphans.target_document(row) == result.document_id
    assert session.orphans.propose(row) is None  # the text is gone: nothing to propose
    # The officer places it on a selection of the new text; undo puts it back.
    newer = session.documents.get(result.document_id)
    start = newer.body.index("The Kremlin")
    placed = session.orphans.place(row, newer.id, start, start + len("The Kremlin"))
    moved = _passage(session, orphan.id)
    assert (moved.document_id, moved.exact, moved.orphan) == (newer.id, "The Kremlin", False)
    assert session.orphans.open() == []
    session.revert(placed.changes)
    assert _content(_passage(session, orphan.id)) == _content(orphan)
    # Or keeps it where it is.
    session.orphans.keep(session.orphans.open()[0])
    assert session.orphans.open() == [] and _passage(session, orphan.id).document_id == first.id
    assert check(session) == []


def test_edited_paragraph_places_a_corrected_quote_approximately(session):
    first, _ids = _setup(session)
    session.annotations.create(
        first.id,
        first.body.index("called the measures"),
        first.body.index("called the measures") + len("called the measures unfriendly"),
    )
    changed = list(PARAGRAPHS)
    changed[3] = "The Kremlin called the meazures unfriendly and illegal."  # a typo introduced
    result, _ = _reimport(session, changed)
    assert "by approximate match" in result.message
    newer = session.documents.get(result.document_id)
    moved = [a for a in session.annotations.for_document(newer.id) if "meazures" in a.exact]
    assert moved and moved[0].exact == "called the meazures unfriendly"


def test_same_title_and_outlet_without_address_is_a_new_version(session):
    first = session.documents.add(_draft(PARAGRAPHS, url=None, outlet="TASS")).record
    _annotate(session, first, ["Ten diplomats"])
    result, _ = _reimport(session, [*PARAGRAPHS, "Updated at 18:00."], url=None, outlet="TASS")
    assert result.status == "new version"
    other, _ = _reimport(session, ["A different article."], url=None, title="Other", outlet="TASS")
    assert other.status == "imported"


def test_re_import_is_one_undo_step_that_restores_the_earlier_state(session):
    first, _ids = _setup(session)
    before = {a.id: _content(a) for a in session.workspace.records.where(Annotation)}
    _result, changes = _reimport(session, [PARAGRAPHS[0], "Inserted.", *PARAGRAPHS[1:]])
    session.revert(changes)
    after = {a.id: _content(a) for a in session.workspace.records.where(Annotation)}
    assert after == before
    assert [d.id for d in session.workspace.records.where(Document)] == [first.id]
