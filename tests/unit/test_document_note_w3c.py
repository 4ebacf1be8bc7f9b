"""Issue 17: a document's note goes out as a W3C page note and comes back as the note.

Export: one page-note annotation per document with a note (motivation commenting, target the
document with no selector, the note as its body), valid against our profile and passing
every MUST of the W3C test suite (``../shared/peers/w3c-conformance/run.py``). Import of
that export restores the note where the document has none, recognises it where it is
already there, and appends it (with its author) beside a different note.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers.cli import run
from tests.helpers.peers import PEERS
from workstation.domain.records import Document
from workstation.interchange import validate_w3c
from workstation.services import open_session
from workstation.services.annotation_import import import_annotations

SUITE = PEERS / "w3c-conformance"
NOTE = "Санкции: read with the Treasury notice.\nSecond line, kept as written."


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _export_with_note(capsys, workspace: Path, out: Path) -> str:
    with open_session(workspace) as session:
        document = sorted(session.workspace.records.where(Document), key=lambda d: d.title)[0]
        session.documents.edit_note(document.id, NOTE)
    code, printed, err = run(capsys, "--workspace", workspace, "export", "--format", "w3c",
                             "--out", out, "--body-language", "en")  # fmt: skip
    assert code == 0 and not err, err
    assert "and 1 document note" in printed
    return document.id


def test_a_document_note_exports_as_one_page_note_passing_every_must(capsys, sample_path, tmp_path):
    out = tmp_path / "notes.jsonl"
    document_id = _export_with_note(capsys, sample_path, out)
    items = _lines(out)
    assert len(items) == 32 and all(validate_w3c(item) == [] for item in items)
    (page_note,) = [item for item in items if "selector" not in item["target"]]
    assert page_note["motivation"] == "commenting"
    assert page_note["target"]["source"] == f"urn:uuid:{document_id}"
    assert page_note["body"] == [
        {"type": "TextualBody", "purpose": "commenting", "value": NOTE,
         "format": "text/plain", "language": "en"}
    ]  # fmt: skip
    assert page_note["releasable"] is False  # an officer's working note

    assert (SUITE / "run.py").is_file(), f"the W3C test suite is missing: {SUITE}"
    table = tmp_path / "rows.json"
    done = subprocess.run(
        [sys.executable, str(SUITE / "run.py"), str(out), "--json", str(table)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.stdout.rstrip().endswith("MUST failures: 0"), done.stdout
    rows = json.loads(table.read_text())
    assert not [row for row in rows if row["type"] == "must" and row["fail"]]


def test_export_then_import_keeps_the_note_once(capsys, sample_path, tmp_path):
    untouched = tmp_path / "other.sqlite"
    shutil.copyfile(sample_path, untouched)  # the same documents, no note yet
    out = tmp_path / "notes.jsonl"
    document_id = _export_with_note(capsys, sample_path, out)
    # Its own export read back into the same workspace: recognised, nothing added.
    with open_session(sample_path) as session:
        report = import_annotations(session, out)
        assert report.page_notes == 0 and report.already == 32 and not report.errors
        assert session.documents.get(document_id).note == NOTE
    with open_session(untouched) as session:
        report = import_annotations(session, out)
        assert report.page_notes == 1 and report.orphans == 0 and not report.errors
        assert "1 page note added to documents" in report.summary()
        assert session.documents.get(document_id).note == NOTE  # restored, not quoted
        again = import_annotations(session, out)
        assert again.page_notes == 0 and session.documents.get(document_id).note == NOTE


def test_a_page_note_beside_another_note_is_appended_with_its_author(capsys, sample_path, tmp_path):
    other = tmp_path / "other.sqlite"
    shutil.copyfile(sample_path, other)
    out = tmp_path / "notes.jsonl"
    document_id = _export_with_note(capsys, sample_path, out)
    with open_session(other) as session:
        session.documents.edit_note(document_id, "Mine.")
        report = import_annotations(session, out)
        assert report.page_notes == 1
        note = session.documents.get(document_id).note
        assert note.startswith("Mine.\n\nNote from ") and note.endswith(NOTE)
