"""Issue 17: ``workstation import-annotations`` on other tools' W3C files, as an officer runs
it: ``--document``, ``--unknown-tags``, every item not placed listed with its reason, the exit
status, a re-import that adds nothing, and ``workstation search`` finding a kept tag."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers.cli import run
from tests.helpers.peers import PEERS as PEERS_ROOT
from workstation.domain.records import Document
from workstation.services import open_session

PEERS = PEERS_ROOT / "annotations"
pytestmark = pytest.mark.skipif(not PEERS.is_dir(), reason="../shared/peers is not here")


def _workspace_with_page(capsys, tmp_path: Path, page: str) -> tuple[Path, str]:
    ws = tmp_path / "ws.sqlite"
    run(capsys, "--workspace", ws, "init")
    copy = tmp_path / Path(page).name
    shutil.copy(PEERS / page, copy)
    code, _, err = run(capsys, "--workspace", ws, "import", copy)
    assert code == 0, err
    with open_session(ws) as session:
        (document,) = session.workspace.records.where(Document)
    return ws, document.id


def test_recogito_file_pointed_at_its_page_and_searched_by_tag(capsys, tmp_path):
    ws, document_id = _workspace_with_page(capsys, tmp_path, "recogito/index.html")
    path = tmp_path / "recogito.json"
    shutil.copy(PEERS / "recogito/annotations.w3c.json", path)
    args = ("--workspace", ws, "import-annotations", path, "--document", document_id)
    code, out, err = run(capsys, *args)
    assert code == 0 and not err
    assert "3 passages imported (3 re-anchored by quote), 2 replies added" in out
    code, out, _ = run(capsys, "--workspace", ws, "search", "Tag")
    assert code == 0 and "[passage]" in out and "This is a comment" in out  # Troy's note
    code, out, err = run(capsys, *args)
    assert code == 0 and "0 passages imported" in out and "5 already present" in out


def test_orphans_are_listed_with_reasons_and_leave_the_status_zero(capsys, tmp_path):
    page = "hypothesis/wikipedia-regression-testing.html"
    ws, document_id = _workspace_with_page(capsys, tmp_path, page)
    path = tmp_path / "h.json"
    shutil.copy(PEERS / "hypothesis/wikipedia-regression-testing.json", path)
    code, out, err = run(
        capsys, "--workspace", ws, "import-annotations", path, "--document", document_id
    )
    assert code == 0 and not err
    assert "3 passages imported" in out and "2 kept as orphans for review" in out
    listed = [line for line in out.splitlines() if "kept as an orphan for review" in line]
    assert len(listed) == 2
    assert any("quote not found" in line for line in listed)
    assert any("more than once" in line for line in listed)


def test_unknown_tags_skip_lists_them_and_a_bad_line_gives_status_one(capsys, tmp_path):
    ws, document_id = _workspace_with_page(capsys, tmp_path, "recogito/index.html")
    items = json.loads((PEERS / "recogito/annotations.w3c.json").read_text(encoding="utf-8"))
    items.append({"type": "Annotation", "target": {"selector": {"type": "TextQuoteSelector"}}})
    path = tmp_path / "recogito-bad.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    code, out, err = run(
        capsys, "--workspace", ws, "import-annotations", path,
        "--document", document_id, "--unknown-tags", "skip",
    )  # fmt: skip
    assert code == 1 and "item 5" in err and err.count("\n") == 1
    assert "tags naming no category, not imported: “A Tag”, “Another Tag”" in out
    code, _, err = run(capsys, "--workspace", ws, "import-annotations", path, "--document", "x")
    assert code == 1 and "no document x" in err
    code, _, err = run(
        capsys, "--workspace", ws, "import-annotations", path, "--unknown-tags", "maybe"
    )
    assert code == 2


def test_hypothesis_page_note_joins_the_document_note_once(capsys, tmp_path):
    page = "hypothesis/wikipedia-regression-testing.html"
    ws, document_id = _workspace_with_page(capsys, tmp_path, page)
    data = json.loads((PEERS / "hypothesis/wikipedia-regression-testing.json").read_text())
    page_note = json.loads(json.dumps(data["rows"][0]))  # a copy, its selector taken away
    page_note["id"] = "PageNote0000000000000A"
    page_note["text"] = "Worth reading before the briefing."
    del page_note["target"][0]["selector"]
    data["rows"] = [page_note]
    path = tmp_path / "page-note.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    args = ("--workspace", ws, "import-annotations", path, "--document", document_id)
    code, out, err = run(capsys, *args)
    assert code == 0 and not err
    assert "1 page note added to documents" in out and "0 kept as orphans" in out
    with open_session(ws) as session:
        note = session.documents.get(document_id).note
    assert note.startswith("Note from ") and "2016-12-16" in note
    assert note.endswith(": Worth reading before the briefing.")
    code, out, _ = run(capsys, *args)
    assert code == 0 and "1 already present" in out and "page note" not in out
    with open_session(ws) as session:
        assert session.documents.get(document_id).note == note
