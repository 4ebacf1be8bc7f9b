"""The inspector says who imported a passage and when, beside what it claims."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QLabel

from workstation.domain.records import Annotation, Document
from workstation.services.annotation_import import import_annotations
from workstation.ui.inspector.dock import InspectorDock


def test_an_imported_passage_shows_its_importer_and_its_claims(dock_host, workbench, tmp_path):
    window = dock_host(lambda wb, parent: InspectorDock(wb, parent, choose_colour=lambda *a: None))
    session = workbench.session
    document = next(session.workspace.records.where(Document))
    quote = next(s.strip() for s in document.body.split(".") if len(s.strip()) > 20)
    start = document.body.index(quote)
    selectors = [
        {"type": "TextQuoteSelector", "exact": quote},
        {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
    ]
    line = {
        "type": "Annotation",
        "creator": "head-of-desk",
        "created": "2099-01-01T00:00:00Z",
        "target": {"source": f"urn:uuid:{document.id}", "selector": selectors},
    }
    (tmp_path / "a.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    import_annotations(session, tmp_path / "a.jsonl")
    imported = next(a for a in session.workspace.records.where(Annotation) if a.imported_by)
    label = window.dock.findChild(QLabel, "inspectorProvenance")
    mine = next(a for a in session.workspace.records.where(Annotation) if not a.imported_by)
    workbench.select_passage(mine.id)
    assert label.isHidden()
    workbench.select_passage(imported.id)
    assert not label.isHidden()
    assert label.text() == (
        f"imported by tester on {imported.imported_at[:10]} "
        "(claims author head-of-desk, created 2099-01-01T00:00:00Z)"
    )
