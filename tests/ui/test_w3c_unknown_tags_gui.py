"""Issue 17, GUI: an annotation file whose tags name no category asks one question listing
them (keep, create, skip); cancelling it imports nothing."""

from __future__ import annotations

import json

from workstation.domain.records import Annotation, Category


def _file(tmp_path, document):
    exact = document.body[10:40]
    item = {
        "id": "https://hypothes.is/a/gui1",
        "type": "Annotation",
        "tags": ["zz-unknown-one", "zz unknown two"],
        "target": {
            "source": f"urn:uuid:{document.id}",
            "selector": {"type": "TextQuoteSelector", "exact": exact},
        },
    }
    path = tmp_path / "tags.json"
    path.write_text(json.dumps(item), encoding="utf-8")
    return path


def _import(qtbot, window, path) -> bool:
    started = window.interchange.import_annotations_from(path)
    if started:
        qtbot.waitUntil(lambda: window.workbench.operations.busy is None, timeout=30000)
    return started


def test_unknown_tags_are_asked_about_once_and_create_makes_categories(
    qtbot, main_window, prompts, tmp_path
):
    session = main_window.workbench.session
    document = session.documents.get(session.documents.list_documents()[0].id)
    path = _file(tmp_path, document)
    before = len(list(session.workspace.records.where(Annotation)))

    assert not _import(qtbot, main_window, path)  # no answer queued: cancelled
    assert len(list(session.workspace.records.where(Annotation))) == before
    assert prompts.asked[-1] == ("choose", "Tags without a category")

    prompts.will_answer("choose", "Create a category for each")
    assert _import(qtbot, main_window, path)
    report = main_window.interchange.last_import
    assert report is not None and report.categories_added == 2
    names = {c.name for c in session.workspace.records.where(Category)}
    assert {"zz-unknown-one", "zz unknown two"} <= names
