"""Issue 17: W3C annotations from any tool — every file in ../shared/peers/annotations/
(Hypothesis, Recogito, text-annotator, the W3C spec's examples) comes in placed, orphaned
with a reason, or refused with a reason; never silently dropped; a re-import adds nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pytest

from tests.helpers.peers import PEERS as PEERS_ROOT
from workstation.domain.records import Annotation, Category, Document, ForeignId, Orphan
from workstation.importers.base import DocumentDraft
from workstation.services import create_session
from workstation.services.annotation_import import import_annotations, unknown_tags
from workstation.services.importing import import_files
from workstation.services.outcome import ServiceError

PEERS = PEERS_ROOT / "annotations"
pytestmark = pytest.mark.skipif(not PEERS.is_dir(), reason="../shared/peers is not here")


def _page_document(session, tmp_path: Path, page: str) -> Document:
    """The page's text in the workspace: HTML import, or (a page too bare for it, such as
    Hypothesis' minimal.html) the page's own text content."""
    copy = tmp_path / Path(page).name
    shutil.copy(PEERS / page, copy)
    (result,) = import_files(session, [copy])[0]
    if result.status != "imported":
        text = lxml.html.fromstring((PEERS / page).read_text(encoding="utf-8")).text_content()
        return session.documents.add(
            DocumentDraft(title=Path(page).stem, text=text, origin_name=page)
        ).record
    return session.workspace.records.get(Document, result.document_id)


def _copy(tmp_path: Path, name: str, *, source: str | None = None) -> Path:
    """A copy of a peers file; ``source`` rewrites only the targets' ``source`` (a test page's
    address can never match)."""
    copy = tmp_path / name.replace("/", "-")
    data = json.loads((PEERS / name).read_text(encoding="utf-8"))
    if source is not None:
        items = data if isinstance(data, list) else data.get("rows", [data])
        for item in items:
            targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
            for target in targets:
                if isinstance(target, dict) and "selector" in target:
                    target["source"] = source
    copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return copy


def _accounted(report, targets: int) -> None:
    """Every target is placed, already present, a reply, an orphan or an error line."""
    done = report.placed + report.reanchored + report.already + report.replies
    assert done + report.orphans + len(report.errors) == targets
    assert len(report.not_placed) == report.orphans  # each orphan listed with its reason


# ----- the peers' files --------------------------------------------------------------------

CASES = [
    # page, annotations, targets, placed, replies, orphans
    ("hypothesis/minimal.html", "hypothesis/minimal.json", 1, 1, 0, 0),
    (
        "hypothesis/wikipedia-regression-testing.html",
        "hypothesis/wikipedia-regression-testing.json",
        5,
        3,
        0,
        2,
    ),
    ("recogito/index.html", "recogito/annotations.w3c.json", 5, 3, 2, 0),
    ("text-annotator/index.html", "text-annotator/annotations.w3c.json", 5, 4, 0, 1),
]


@pytest.mark.parametrize(("page", "name", "targets", "placed", "replies", "orphans"), CASES)
def test_every_peer_file_is_placed_orphaned_or_refused(
    tmp_path, page, name, targets, placed, replies, orphans
):
    session = create_session(tmp_path / "ws.sqlite", author="tester")
    with session:
        document = _page_document(session, tmp_path, page)
        path = _copy(tmp_path, name)
        report = import_annotations(session, path, document_id=document.id)
        assert not report.errors, report.error_lines()
        _accounted(report, targets)
        assert (report.placed + report.reanchored, report.replies, report.orphans) == (
            placed,
            replies,
            orphans,
        )
        passages = list(session.workspace.records.where(Annotation))
        assert len(passages) == placed
        assert all(document.body[p.start : p.end] == p.exact for p in passages)
        orphaned = list(session.workspace.records.where(Orphan))
        assert len(orphaned) == orphans and all(o.reason for o in orphaned)
        mapped = list(session.workspace.records.where(ForeignId, {"scheme": "w3c"}))
        assert len(mapped) == targets  # every target's foreign id kept

        again = import_annotations(session, path, document_id=document.id)
        assert not again.errors and again.already == targets
        assert (again.placed, again.reanchored, again.orphans, again.replies) == (0, 0, 0, 0)
        assert len(list(session.workspace.records.where(Annotation))) == placed
        assert len(list(session.workspace.records.where(Orphan))) == orphans


def test_recogito_quotes_without_context_tags_and_the_linking_annotation(tmp_path):
    session = create_session(tmp_path / "ws.sqlite", author="tester")
    with session:
        document = _page_document(session, tmp_path, "recogito/index.html")
        codebook = {c.name for c in session.workspace.records.where(Category)}
        # Recogito writes no source: pointed at the page's document by its URN instead.
        path = _copy(tmp_path, "recogito/annotations.w3c.json", source=f"urn:uuid:{document.id}")
        report = import_annotations(session, path)
        assert (report.reanchored, report.replies, report.orphans) == (3, 2, 0)
        troy = next(session.workspace.records.where(Annotation, {"exact": "Troy"}))
        # Neither tag names a category: kept as tags (default), no category made.
        assert troy.tags == ["A Tag", "Another Tag"] and troy.category_id is None
        assert {c.name for c in session.workspace.records.where(Category)} == codebook
        # The linking annotation is a note on each passage it links, with its tag.
        assert "Linking from someone" in troy.note and "isRelatedTo" in troy.note
        assert troy.note.startswith("This is a comment")
        hits = session.search.hits("Tag", limit=10)  # only in its tags
        assert [hit.record_id for hit in hits if hit.kind == "passage"] == [troy.id]
        assert unknown_tags(session, path) == ["A Tag", "Another Tag", "isRelatedTo"]


def test_unknown_tags_create_or_skip(tmp_path):
    session = create_session(tmp_path / "ws.sqlite", author="tester")
    with session:
        document = _page_document(session, tmp_path, "recogito/index.html")
        session.codebook.create("another  TAG")  # case and spaces aside: the same
        path = _copy(tmp_path, "recogito/annotations.w3c.json")
        report = import_annotations(session, path, document_id=document.id, unknown_tags="skip")
        troy = next(session.workspace.records.where(Annotation, {"exact": "Troy"}))
        category = session.workspace.records.get(Category, troy.category_id)
        assert category is not None and category.name == "another  TAG"
        assert troy.tags == []  # "A Tag" skipped
        assert report.dropped_tags == ["A Tag", "isRelatedTo"]
        assert any("A Tag" in line for line in report.note_lines())

    other = create_session(tmp_path / "other.sqlite", author="tester")
    with other:
        document = _page_document(other, tmp_path, "recogito/index.html")
        report = import_annotations(other, path, document_id=document.id, unknown_tags="create")
        names = {c.name for c in other.workspace.records.where(Category)}
        assert {"A Tag", "Another Tag", "isRelatedTo"} <= names and report.categories_added == 3
        troy = next(other.workspace.records.where(Annotation, {"exact": "Troy"}))
        assert troy.tags == ["Another Tag"]


def test_text_annotator_sources_rewritten_to_the_document_and_creators(tmp_path):
    session = create_session(tmp_path / "ws.sqlite", author="tester")
    with session:
        document = _page_document(session, tmp_path, "text-annotator/index.html")
        path = _copy(tmp_path, "text-annotator/annotations.w3c.json", source=document.id)
        report = import_annotations(session, path, document_id=document.id)
        assert report.reanchored == 4 and report.orphans == 1
        (orphan,) = session.workspace.records.where(Orphan)
        assert "occurs more than once" in orphan.reason
        # Without --document, a source naming no document here orphans every target.
        unpointed = _copy(tmp_path, "text-annotator/annotations.w3c.json")
        fresh = create_session(tmp_path / "fresh.sqlite", author="tester")
        with fresh:
            _page_document(fresh, tmp_path, "text-annotator/index.html")
            lost = import_annotations(fresh, unpointed)
            assert lost.orphans == 5 and all("no document" in line for line in lost.not_placed)


def test_document_option_names_a_missing_document(tmp_path):
    session = create_session(tmp_path / "ws.sqlite", author="tester")
    with session:
        path = _copy(tmp_path, "hypothesis/minimal.json")
        with pytest.raises(ServiceError, match="no document"):
            import_annotations(session, path, document_id="nope")
        report = import_annotations(session, path)
        assert report.orphans == 1 and "--document" in report.not_placed[0]


# ----- the W3C specification's examples ----------------------------------------------------

SPEC_TEXT = (
    "Well, this is an anotation that has some typos. "
    "Then comes text before the Selected Text and text after it. "
) + "Filler sentence for the position example. " * 20


@pytest.fixture
def spec_workspace(tmp_path):
    session = create_session(tmp_path / "spec.sqlite", author="tester")
    with session:
        document = session.documents.add(
            DocumentDraft(title="Spec page", text=SPEC_TEXT, origin_name="spec.txt")
        ).record
        yield session, document


def _spec(session, document, tmp_path, number: int, **options):
    return import_annotations(
        session, _copy(tmp_path, f"w3c-spec/anno{number}.json"), document_id=document.id, **options
    )


def test_spec_example_23_iri_body_becomes_a_link_in_the_note(spec_workspace, tmp_path):
    session, document = spec_workspace
    report = _spec(session, document, tmp_path, 23)
    assert report.placed + report.reanchored == 1
    (passage,) = session.workspace.records.where(Annotation)
    assert passage.exact == "anotation" and passage.note == "Link: http://example.org/comment1"


def test_spec_example_29_fragment_refined_by_a_quote(spec_workspace, tmp_path):
    session, document = spec_workspace
    report = _spec(session, document, tmp_path, 29)
    assert report.placed + report.reanchored == 1 and not report.orphans
    (passage,) = session.workspace.records.where(Annotation)
    assert passage.exact == "Selected Text"


def test_spec_example_24_position_only_needs_the_same_text(spec_workspace, tmp_path):
    session, document = spec_workspace
    report = _spec(session, document, tmp_path, 24)
    assert report.orphans == 1 and "does not name the text" in report.not_placed[0]
    # Named by its hash, the position counts in this very text: placed.
    data = json.loads((PEERS / "w3c-spec/anno24.json").read_text())
    data["id"] = "http://example.org/anno24-hashed"
    data["target"]["source"] = f"urn:sha256:{document.sha256}"
    path = tmp_path / "anno24-hashed.json"
    path.write_text(json.dumps(data))
    placed = import_annotations(session, path)
    assert placed.placed == 1
    (passage,) = session.workspace.records.where(Annotation)
    assert (passage.start, passage.end) == (412, 795)


def test_spec_examples_28_and_38_select_no_text_we_can_find(spec_workspace, tmp_path):
    session, document = spec_workspace
    xpath = _spec(session, document, tmp_path, 28)
    assert xpath.orphans == 1 and "RangeSelector" in xpath.not_placed[0]
    relative = _spec(session, document, tmp_path, 38)
    assert relative.orphans == 1 and "FragmentSelector" in relative.not_placed[0]
    orphan = next(o for o in session.workspace.records.where(Orphan) if "Fragment" in o.reason)
    assert orphan.claimed["creator"] == "http://example.org/user1"
    assert orphan.claimed["author"] == "A. Person"
    assert orphan.payload["w3c"]["tags"] == ["love"]


def test_spec_example_9_page_notes_join_the_document_note(spec_workspace, tmp_path):
    session, document = spec_workspace
    report = _spec(session, document, tmp_path, 9)
    # Both targets name this document (--document): the note is appended once, not twice.
    assert report.page_notes == 1 and report.already == 1 and report.orphans == 0
    assert not list(session.workspace.records.where(Orphan))
    note = session.documents.get(document.id).note
    assert note.startswith("Note from someone: ")
    assert "tag1" in note and "Link: http://example.org/description1" in note
    mappings = list(session.workspace.records.where(ForeignId))
    assert {(m.record_table, m.record_id) for m in mappings} == {("documents", document.id)}
    again = _spec(session, document, tmp_path, 9)
    assert again.already == 2 and again.page_notes == 0 and again.orphans == 0
    assert session.documents.get(document.id).note == note


def test_page_note_on_an_unknown_page_stays_an_orphan(spec_workspace, tmp_path):
    session, _document = spec_workspace
    report = import_annotations(session, _copy(tmp_path, "w3c-spec/anno9.json"))
    assert report.orphans == 2 and report.page_notes == 0
    reasons = {o.reason for o in session.workspace.records.where(Orphan)}
    assert len(reasons) == 2
    assert all(r.startswith("page note; no document here") and "image" in r for r in reasons)


def test_a_page_note_is_appended_after_the_officers_own_note(spec_workspace, tmp_path):
    session, document = spec_workspace
    outcome = session.documents.edit_note(document.id, "  Officer's own note.\n")
    assert outcome.record.note == "Officer's own note."
    _spec(session, document, tmp_path, 9)
    note = session.documents.get(document.id).note
    assert note.startswith("Officer's own note.\n\nNote from someone: ")


def test_a_reply_to_a_page_note_joins_the_document_note(spec_workspace, tmp_path):
    session, document = spec_workspace
    page_note = {
        "id": "https://hypothes.is/a/page",
        "user": "acct:ana@hypothes.is",
        "created": "2021-04-16T10:00:00Z",
        "text": "Whole article is about the April package.",
        "target": [{"source": "https://example.org/spec"}],
    }
    reply = {
        "id": "https://hypothes.is/a/page-reply",
        "user": "acct:mark@hypothes.is",
        "references": ["https://hypothes.is/a/page"],
        "text": "Agreed.",
        "target": [{"source": "https://example.org/spec"}],
    }
    path = tmp_path / "page-notes.json"
    path.write_text(json.dumps([reply, page_note]))
    report = import_annotations(session, path, document_id=document.id)
    assert (report.page_notes, report.replies, report.orphans) == (1, 1, 0)
    note = session.documents.get(document.id).note
    assert note == (
        "Note from ana, 2021-04-16T10:00:00Z: Whole article is about the April package."
        "\n\nReply from mark: Agreed."
    )
    again = import_annotations(session, path, document_id=document.id)
    assert again.already == 2 and session.documents.get(document.id).note == note


def test_replies_become_notes_with_author_and_time(spec_workspace, tmp_path):
    session, document = spec_workspace
    root = {
        "id": "https://hypothes.is/a/root",
        "type": "Annotation",
        "target": {
            "source": "x",
            "selector": {"type": "TextQuoteSelector", "exact": "Selected Text"},
        },
        "bodyValue": "First.",
    }
    reply = {
        "id": "https://hypothes.is/a/reply",
        "type": "Annotation",
        "motivation": "replying",
        "creator": "mailto:ana@example.org",
        "created": "2021-04-16T10:00:00Z",
        "target": "https://hypothes.is/a/root",
        "bodyValue": "Agreed.",
    }
    hypothesis_reply = {
        "id": "hx",
        "user": "acct:mark@hypothes.is",
        "references": ["https://hypothes.is/a/root"],
        "text": "Me too.",
        "target": [{"source": "x"}],
    }
    orphan_reply = {**reply, "id": "r2", "target": "https://elsewhere/a/1"}
    path = tmp_path / "replies.json"
    # Replies first: they are read after the rest, so they still find their passage.
    path.write_text(json.dumps([reply, hypothesis_reply, orphan_reply, root]))
    report = import_annotations(session, path, document_id=document.id)
    assert (report.placed + report.reanchored, report.replies, report.orphans) == (1, 2, 1)
    (passage,) = session.workspace.records.where(Annotation)
    assert passage.note.startswith("First.")
    assert "Reply from ana, 2021-04-16T10:00:00Z: Agreed." in passage.note
    assert "Reply from mark: Me too." in passage.note
    assert "which is not here" in report.not_placed[0]
    again = import_annotations(session, path, document_id=document.id)
    assert again.already == 4 and again.replies == 0
    (same,) = session.workspace.records.where(Annotation)
    assert same.note == passage.note


def test_several_targets_each_placed_and_an_iri_naming_a_category(spec_workspace, tmp_path):
    session, document = spec_workspace
    category = session.codebook.create("Typos").record
    item = {
        "id": "urn:x:several",
        "type": "Annotation",
        "body": [f"urn:uuid:{category.id}", {"type": "TextualBody", "value": "typo"}],
        "target": [
            {"source": "x", "selector": {"type": "TextQuoteSelector", "exact": "anotation"}},
            {"source": "x", "selector": {"type": "TextQuoteSelector", "exact": "Selected Text"}},
            {"source": "x", "selector": {"type": "TextQuoteSelector", "exact": "absent words"}},
        ],
    }
    path = tmp_path / "several.json"
    path.write_text(json.dumps(item))
    report = import_annotations(session, path, document_id=document.id)
    assert report.placed + report.reanchored == 2 and report.orphans == 1
    assert "target 3 of 3" in report.not_placed[0]
    passages = list(session.workspace.records.where(Annotation))
    assert {p.category_id for p in passages} == {category.id}
    assert {p.exact for p in passages} == {"anotation", "Selected Text"}
