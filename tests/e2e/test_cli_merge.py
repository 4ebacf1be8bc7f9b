"""``workstation merge OTHER``: the summary, conflicts, proposals, the backup line, and one
clear line with exit 1 for every file that cannot be merged."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.cli import run
from workstation.domain.records import Annotation
from workstation.services import open_session

TABLES = (
    "categories",
    "documents",
    "entities",
    "annotations",
    "mentions",
    "episodes",
    "events",
    "evidence",
    "judgments",
    "briefs",
    "suggestion_rejections",
    "orphans",
)


@pytest.fixture
def two(sample_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    theirs = tmp_path / "bob.sqlite"
    shutil.copyfile(sample_path, theirs)
    return sample_path, theirs


def summary(out: str) -> dict[str, str]:
    lines = [line.split(":", 1) for line in out.splitlines() if ":" in line]
    return {name: rest.strip() for name, rest in lines if name in TABLES}


def test_merge_prints_counts_conflicts_proposals_and_the_backup(capsys, two):
    ours, theirs = two
    with open_session(ours, author="alice") as s:
        shared = next(s.workspace.records.where(Annotation, order_by="seq"))
        s.annotations.edit(shared.id, note="alice's note")
        s.entities.create("Person", "Sergey Lavrov", aliases=["Sergei Lavrov"])
    with open_session(theirs, author="bob") as s:
        s.annotations.edit(shared.id, note="bob's note")
        s.entities.create("Person", "Sergei Lavrov")
        s.annotations.create(s.documents.list_documents()[0].id, 0, 10)
    code, out, err = run(capsys, "--workspace", ours, "merge", theirs)
    assert code == 0 and err == ""
    counts = summary(out)
    assert list(counts) == list(TABLES)
    assert counts["annotations"] == "1 added, 1 updated, 30 unchanged, 1 conflict"
    assert counts["entities"] == "1 added, 0 updated, 22 unchanged"
    [conflict] = [line for line in out.splitlines() if line.startswith("conflict:")]
    assert re.fullmatch(
        r"conflict: passage «[^»]+» — both changed note; kept theirs "
        r"\(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d by bob\) over ours \(.+ by alice\)",
        conflict,
    )
    [proposal] = [line for line in out.splitlines() if line.startswith("possible duplicate")]
    assert proposal.startswith(
        "possible duplicate entities: «Sergey Lavrov» (ours, "
    ) and proposal.endswith("— review in the entity registry")
    assert "«Sergei Lavrov» (theirs, " in proposal
    backup = out.splitlines()[-1].removeprefix("backup taken before the merge: ")
    assert Path(backup).is_file()

    code, out, _ = run(capsys, "--workspace", ours, "merge", theirs)
    assert code == 0
    assert summary(out)["annotations"] == "0 added, 0 updated, 32 unchanged"
    assert "conflict:" not in out and "possible duplicate" not in out


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def test_files_that_cannot_be_merged_are_one_line_and_exit_1(capsys, two, tmp_path):
    ours, _ = two
    text = tmp_path / "notes.sqlite"
    text.write_text("just some notes")
    cases = {
        tmp_path / "missing.sqlite": "no such file to merge",
        text: "not an SQLite file",
        ours: "that is this workspace itself",
    }
    for other, message in cases.items():
        code, out, err = run(capsys, "--workspace", ours, "merge", other)
        assert code == 1 and out == ""
        assert one_error_line(err).startswith("workstation merge: ")
        assert message in err


def test_a_newer_workspace_is_refused_and_left_untouched(capsys, two):
    ours, theirs = two
    conn = sqlite3.connect(theirs)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('workstation', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    untouched = theirs.read_bytes()
    code, out, err = run(capsys, "--workspace", ours, "merge", theirs)
    assert code == 1 and out == ""
    assert "written by a newer version of workstation" in one_error_line(err)
    assert theirs.read_bytes() == untouched


def test_merge_into_a_missing_workspace_fails_cleanly(capsys, two, tmp_path):
    _, theirs = two
    code, _, err = run(capsys, "--workspace", tmp_path / "none.sqlite", "merge", theirs)
    assert code == 1 and "no workspace here" in one_error_line(err)
