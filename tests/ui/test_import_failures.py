"""The GUI's import keeps one file's failure to that file, as the command does."""

from __future__ import annotations

import sqlite3

import pytest

from workstation import importers
from workstation.services.importing import unfinished_imports
from workstation.storage.records import RecordStore


@pytest.fixture
def controller(import_controller):
    return import_controller


def test_a_reader_crash_and_a_refused_insert_fail_alone(controller, qtbot, tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(6):
        (inbox / f"a{i}.txt").write_text(f"Article {i}\nOn the consulates, part {i}.")
    (inbox / "loop").symlink_to(inbox, target_is_directory=True)
    real_reader, real_insert = importers.READERS[".txt"], RecordStore.insert

    def reader(path, data, extraction):
        if path.name == "a1.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real_reader(path, data, extraction)

    def insert(self, record):
        if getattr(record, "origin_name", None) == "a4.txt":
            raise sqlite3.DataError("string or blob too big")
        return real_insert(self, record)

    monkeypatch.setitem(importers.READERS, ".txt", reader)
    monkeypatch.setattr(RecordStore, "insert", insert)
    with qtbot.waitSignal(controller.finished, timeout=30000) as blocker:
        assert controller.start([inbox])
    statuses = {r.path.name: r.status for r in blocker.args[0]}
    assert statuses == {
        "a0.txt": "imported",
        "a1.txt": "failed",
        "a2.txt": "imported",
        "a3.txt": "imported",
        "a4.txt": "failed",
        "a5.txt": "imported",
        "loop": "skipped",
    }
    session = controller.workbench.session
    assert session.documents.count() == 4
    details = controller.workbench.prompts.details[-1]
    assert "RecursionError" in details and "string or blob too big" in details
    assert "(a loop); not followed" in details
    assert unfinished_imports(session) == []
