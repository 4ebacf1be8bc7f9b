"""brat both ways: the sample exported with ``workstation export --format brat`` and imported
into a fresh workspace holding the same articles gives back its passages, categories, notes
and entity links; brat's own tutorial collections import with every line accounted for."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers.cli import run
from tests.helpers.peers import PEERS as PEERS_ROOT
from workstation.domain.records import Annotation, Document, Mention
from workstation.services import open_session
from workstation.services.brat_import import import_brat
from workstation.services.resources import sample_dir

PEERS = PEERS_ROOT / "brat" / "tutorials"


def snapshot(session) -> set[tuple]:
    """Every passage as (text hash, start, end, category, mention-only, releasable, note,
    linked entity names): what a round trip must keep."""
    categories = {c.id: c.name for c in session.codebook.list_categories()}
    hashes = {d.id: d.sha256 for d in session.workspace.records.where(Document)}
    kept = set()
    for passage in session.workspace.records.where(Annotation):
        links = session.workspace.records.where(Mention, {"annotation_id": passage.id})
        names = tuple(sorted(session.entities.find(m.entity_id).name for m in links))
        kept.add(
            (
                hashes[passage.document_id],
                passage.start,
                passage.end,
                categories.get(passage.category_id or ""),
                passage.mention_only,
                passage.releasable,
                passage.note,
                names,
            )
        )
    return kept


def fresh_workspace_with_the_sample_articles(capsys, tmp_path: Path) -> Path:
    other = tmp_path / "other.sqlite"
    run(capsys, "--workspace", other, "init")
    articles = sorted((sample_dir() / "articles").glob("*.txt"))
    code, _, _ = run(capsys, "--workspace", other, "import", *articles)
    assert code == 0
    return other


def test_the_sample_survives_a_round_trip_through_brat(capsys, sample_path, tmp_path):
    folder = tmp_path / "brat"
    code, _, err = run(capsys, "--workspace", sample_path, "export", "--format", "brat",
                       "--out", folder)  # fmt: skip
    assert code == 0 and not err, err
    other = fresh_workspace_with_the_sample_articles(capsys, tmp_path)
    with open_session(other) as session:
        report = import_brat(session, folder)
        assert not report.errors, report.error_lines()
        assert report.documents_matched == 2 and report.documents_added == 0
        got = snapshot(session)
        again = import_brat(session, folder)
        assert not again.changes.changes and snapshot(session) == got
    with open_session(sample_path) as session:
        want = snapshot(session)
    assert got == want
    assert len(got) == 31 and any(not releasable for *_, releasable, _, _ in got)


def test_a_non_ascii_category_and_a_passage_across_lines_come_back_whole(
    capsys, sample_path, tmp_path
):
    with open_session(sample_path) as session:
        category = session.codebook.create("Ответ: меры").record
        document = next(session.workspace.records.where(Document))
        start = document.body.index("sanctions")
        session.annotations.create(
            document.id, start, start + len("sanctions"), category_id=category.id
        )
        # A passage across a line break: written as a discontinuous span (brat's lines
        # hold no newline), read back as the one passage it was.
        newline = document.body.index("\n", 200)
        session.annotations.create(document.id, newline - 20, newline + 20)
        want = snapshot(session)
    folder = tmp_path / "brat"
    code, _, err = run(capsys, "--workspace", sample_path, "export", "--format", "brat",
                       "--out", folder)  # fmt: skip
    assert code == 0, err
    other = fresh_workspace_with_the_sample_articles(capsys, tmp_path)
    with open_session(other) as session:
        session.codebook.create("Ответ: меры")
        report = import_brat(session, folder)
        assert not report.errors, report.error_lines()
        got = snapshot(session)
    assert got == want
    assert any(category == "Ответ: меры" for _, _, _, category, *_ in got)


def test_the_tutorial_collections_import_with_every_line_accounted_for(capsys, tmp_path):
    shutil.copytree(PEERS, tmp_path / "tutorials")
    workspace = tmp_path / "w.sqlite"
    run(capsys, "--workspace", workspace, "init")
    with open_session(workspace) as session:
        report = import_brat(session, tmp_path / "tutorials")
    summary = report.summary()
    assert summary.startswith("tutorials: 26 .ann files")
    assert "226 spans" not in summary and "0 lines not imported" in summary
    assert report.note_lines() == [] and report.error_lines() == []
    # The peers folder itself is never written to.
    assert sorted(p.name for p in (tmp_path / "tutorials").rglob("*")) == sorted(
        p.name for p in PEERS.rglob("*")
    )


def test_import_annotations_takes_a_brat_folder_on_the_command_line(capsys, tmp_path):
    shutil.copytree(PEERS / "news", tmp_path / "news")
    workspace = tmp_path / "w.sqlite"
    run(capsys, "--workspace", workspace, "init")
    code, out, err = run(capsys, "--workspace", workspace, "import-annotations", tmp_path / "news")
    assert code == 0 and not err, err
    assert "news: 13 .ann files" in out and "0 lines not imported" in out
    bad = tmp_path / "news" / "040-text_span_annotation.ann"
    bad.write_text(bad.read_text(encoding="utf-8") + "T9\tPerson 0 5\tnot this\n", "utf-8")
    code, out, err = run(capsys, "--workspace", workspace, "import-annotations", bad)
    assert code == 1 and "1 line not imported" in out
    (line,) = err.splitlines()
    assert line.startswith(f"{bad}: line 5: T9: its text «not this» is not the text")
