"""``workstation agreement OTHER``: Alice's sample workspace against Bob's copy of it, in
which Bob recoded, removed and added passages through the services."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.helpers.cli import run
from workstation.services import create_session, open_session
from workstation.services.maintenance import backup
from workstation.services.sample import load_sample

EPISODE = "US–Russia sanctions and reciprocal measures, spring 2021"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def bob(sample_path: Path, tmp_path: Path):
    """Bob's copy; he recodes one passage, deletes another and marks a new one."""
    theirs = backup(sample_path, tmp_path / "bob.sqlite")
    with open_session(theirs, author="bob") as session:
        categories = {c.name: c.id for c in session.codebook.list_categories()}
        document = session.documents.list_documents()[0]
        passages = session.annotations.for_document(document.id)
        sanction = next(p for p in passages if p.category_id == categories["Sanction"])
        session.annotations.edit(sanction.id, category_id=categories["Statement"])
        statement = next(p for p in passages if p.category_id == categories["Statement"])
        session.annotations.delete(statement.id)
        covered = sorted((p.start, p.end) for p in passages)
        free = next(s for s in range(0, 4000, 10) if all(e <= s or s + 12 <= b for b, e in covered))
        session.annotations.create(document.id, free, free + 12, category_id=categories["Other"])
    return {
        "path": theirs,
        "document": document,
        "recoded": sanction,
        "deleted": statement,
        "added": (free, free + 12),
    }


def test_table_and_disagreements_after_bob_recoded(capsys, sample_path, bob):
    before = digest(sample_path), digest(bob["path"])
    code, out, err = run(capsys, "--workspace", sample_path, "agreement", bob["path"])
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Agreement with bob.sqlite: 2 shared documents, 4036 characters"
    rows = {line.split()[0]: line.split() for line in lines[2:12] if line.strip()}
    # Sanction: 11 ours, 10 theirs (one recoded); Statement 5 → 5 (one deleted, one gained)
    assert rows["Sanction"][1:3] == ["11", "10"]
    assert rows["Statement"][1:3] == ["5", "5"]
    assert rows["Other"][1:3] == ["1", "2"]
    assert rows["Accusation"][3:] == ["1.000", "1.000"]
    for name in ("Sanction", "Statement", "Other", "overall"):
        assert float(rows[name][3]) < 1 and float(rows[name][4]) < 1
    assert "3 disagreements:" in lines
    listed = lines[lines.index("3 disagreements:") + 1 :]
    title = bob["document"].title
    recoded, deleted = bob["recoded"], bob["deleted"]
    assert f"{title} @{recoded.start}-{recoded.end}: ours Sanction, theirs Statement" in out
    assert f"{title} @{deleted.start}-{deleted.end}: ours Statement, theirs none" in out
    start, end = bob["added"]
    assert f"{title} @{start}-{end}: ours none, theirs Other" in out
    assert all(line.startswith(title) for line in listed)
    assert (digest(sample_path), digest(bob["path"])) == before  # neither was written


def test_json_for_programs(capsys, sample_path, bob):
    code, out, _ = run(capsys, "--workspace", sample_path, "agreement", bob["path"], "--json")
    assert code == 0
    data = json.loads(out)
    assert data["documents"] == 2 and len(data["disagreements"]) == 3
    assert data["overall"]["passages_ours"] == 31 and data["overall"]["passages_theirs"] == 31
    by_name = {row["category"]: row for row in data["categories"]}
    assert by_name["Accusation"]["kappa"] == pytest.approx(1.0)
    assert 0 < by_name["Sanction"]["alpha"] < 1
    first = data["disagreements"][0]
    assert first["document_id"] == bob["document"].id and first["excerpt"]
    starts = [d["start"] for d in data["disagreements"]]
    assert starts == sorted(starts)


def test_limit_and_all(capsys, sample_path, bob):
    code, out, _ = run(capsys, "--workspace", sample_path, "agreement", bob["path"], "--limit", "1")
    assert code == 0 and "3 disagreements (first 1; --all for every one):" in out
    code, out, _ = run(
        capsys, "--workspace", sample_path, "agreement", bob["path"], "--limit", "1", "--all"
    )
    assert "3 disagreements:" in out


def test_independent_imports_match_by_text_and_category_name(capsys, sample_path, tmp_path):
    """Carol loaded the sample herself: other ids for documents and categories, same texts
    and category names, same coding: full agreement."""
    carol = tmp_path / "carol.sqlite"
    with create_session(carol, author="carol") as session:
        load_sample(session)
    code, out, _ = run(capsys, "--workspace", sample_path, "agreement", carol, "--json")
    data = json.loads(out)
    assert code == 0 and data["documents"] == 2 and data["disagreements"] == []
    assert all(r["kappa"] == pytest.approx(1.0) for r in [*data["categories"], data["overall"]])
    assert all(r["alpha"] == pytest.approx(1.0) for r in [*data["categories"], data["overall"]])


def test_episode_narrows_to_the_documents_it_cites(capsys, sample_path, bob):
    code, out, _ = run(
        capsys, "--workspace", sample_path, "agreement", bob["path"], "--episode", EPISODE
    )
    assert code == 0 and "shared documents" in out.splitlines()[0]
    code, _, err = run(
        capsys, "--workspace", sample_path, "agreement", bob["path"], "--episode", "no such"
    )
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_no_shared_documents_is_one_line_and_exit_1(capsys, sample_path, tmp_path):
    empty = tmp_path / "empty.sqlite"
    create_session(empty, author="dan").close()
    code, out, err = run(capsys, "--workspace", sample_path, "agreement", empty)
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        "workstation agreement: no documents in common with empty.sqlite: "
        "no text of theirs is the same as ours"
    ]


@pytest.mark.parametrize("name", ["missing.sqlite", "folder"])
def test_not_a_workspace_is_one_line(capsys, sample_path, tmp_path, name):
    (tmp_path / "folder").mkdir()
    code, _, err = run(capsys, "--workspace", sample_path, "agreement", tmp_path / name)
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_garbage_file_is_refused_in_one_line(capsys, sample_path, tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    code, _, err = run(capsys, "--workspace", sample_path, "agreement", junk)
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_a_damaged_passage_of_theirs_is_counted_not_compared(capsys, sample_path, bob):
    import sqlite3

    conn = sqlite3.connect(bob["path"])
    with conn:
        conn.execute('UPDATE annotations SET "end" = 10000000 WHERE id = ?', (bob["recoded"].id,))
    conn.close()
    code, out, err = run(capsys, "--workspace", sample_path, "agreement", bob["path"])
    assert code == 0 and err == ""
    assert "left out: 0 passages of ours and 1 of theirs whose offsets do not fit their text" in out
    assert "Sanction" in out and "@" in out
