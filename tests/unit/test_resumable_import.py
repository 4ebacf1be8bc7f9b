"""Imports are journalled chunk by chunk, so one cut short resumes where it stopped."""

from __future__ import annotations

import pytest

from workstation.domain.records import Document
from workstation.services import importing
from workstation.services.importing import import_files, resume_import, unfinished_imports


@pytest.fixture
def folder(tmp_path):
    many = tmp_path / "articles"
    many.mkdir()
    for i in range(230):
        (many / f"{i:03d}.txt").write_text(f"Article {i} on the expelled diplomats.")
    return many


def _titles(session) -> list[str]:
    return sorted(d.origin_name for d in session.workspace.records.where(Document))


def test_cancelled_import_resumes_from_the_first_unsettled_file(session, folder):
    seen = []

    def cancel_after_120() -> bool:
        return len(seen) >= 120

    results, _ = import_files(
        session, [folder], progress=lambda done, total: seen.append(done),
        cancelled=cancel_after_120,
    )  # fmt: skip
    assert sum(r.status == "imported" for r in results) == 120
    (run,) = unfinished_imports(session)
    assert (run.status, run.done, len(run.remaining)) == ("cancelled", 120, 110)
    results, _ = resume_import(session, run)
    assert [r.status for r in results] == ["imported"] * 110
    assert len(_titles(session)) == 230 and unfinished_imports(session) == []


def test_a_crash_between_chunks_leaves_whole_chunks_and_a_journal_to_resume(
    session, folder, monkeypatch
):
    real = importing.store_documents
    calls = []

    def die_on_third_chunk(session_, parsed, **journal):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # as abrupt as it gets inside the process
        return real(session_, parsed, **journal)

    monkeypatch.setattr(importing, "store_documents", die_on_third_chunk)
    with pytest.raises(KeyboardInterrupt):
        import_files(session, [folder])
    monkeypatch.setattr(importing, "store_documents", real)
    assert len(_titles(session)) == 2 * importing.CHUNK_DOCUMENTS  # whole chunks only
    (run,) = unfinished_imports(session)
    assert run.status == "running" and run.done == 2 * importing.CHUNK_DOCUMENTS
    resume_import(session, run)
    assert _titles(session) == sorted(f"{i:03d}.txt" for i in range(230))
