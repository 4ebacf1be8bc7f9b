"""A brief's PDF and its record are delivered together or not at all (issue 12, point 7):
a failure at any step leaves neither the file at the target nor the record, and no
``.partial`` file behind."""

from __future__ import annotations

import sqlite3

import pytest

from briefs import build
from briefs.build import build_brief, deliver_brief
from briefs.model import BriefOptions
from workstation.storage import WorkspaceError


@pytest.fixture
def out(tmp_path):
    """A folder of its own for the delivered PDF (the workspace sits in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def built(sample_session):
    episode = sample_session.episodes.list_episodes()[0]
    return episode, build_brief(sample_session, None, BriefOptions(), record=False)


def recorded(session, episode) -> int:
    return len(session.episodes.briefs(episode.id))


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_delivery_puts_the_file_and_the_record_in_place(sample_session, built, out):
    episode, brief = built
    dest = out / "brief.pdf"
    pdf_hash, was_recorded = deliver_brief(
        sample_session, brief.brief, BriefOptions(), brief.pdf, dest
    )
    assert was_recorded and dest.read_bytes() == brief.pdf
    assert recorded(sample_session, episode) == 1
    assert sample_session.episodes.briefs(episode.id)[0].pdf_hash == pdf_hash
    assert leftovers(out) == ["brief.pdf"]


def test_a_failed_record_delivers_no_file(sample_session, built, out, monkeypatch):
    episode, brief = built

    def refuse(*_args, **_kwargs):
        raise WorkspaceError(sample_session.path, "disk full while recording")

    monkeypatch.setattr(sample_session.episodes, "record_brief", refuse)
    with pytest.raises(WorkspaceError):
        deliver_brief(sample_session, brief.brief, BriefOptions(), brief.pdf, out / "b.pdf")
    assert leftovers(out) == []
    assert recorded(sample_session, episode) == 0


def test_a_failed_rename_rolls_the_record_back(sample_session, built, out, monkeypatch):
    episode, brief = built

    def refuse(_source, _target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(build.os, "replace", refuse)
    with pytest.raises(PermissionError):
        deliver_brief(sample_session, brief.brief, BriefOptions(), brief.pdf, out / "b.pdf")
    assert leftovers(out) == []
    assert recorded(sample_session, episode) == 0


class _CommitFails:
    """The workspace connection, except that COMMIT fails as on a full disk."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def execute(self, sql, *args):
        if sql.strip().upper() == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_a_failed_commit_takes_the_file_back(sample_session, built, out, monkeypatch):
    episode, brief = built
    workspace = sample_session.workspace
    monkeypatch.setattr(workspace, "conn", _CommitFails(workspace.conn))
    with pytest.raises((WorkspaceError, sqlite3.Error)):
        deliver_brief(sample_session, brief.brief, BriefOptions(), brief.pdf, out / "b.pdf")
    monkeypatch.undo()
    assert leftovers(out) == []
    assert recorded(sample_session, episode) == 0


def test_the_cli_says_nothing_was_recorded_when_the_target_cannot_be_written(
    sample_path, out, capsys
):
    from workstation.cli import main

    target = out / "taken.pdf"
    target.mkdir()  # a folder where the PDF should go: the rename fails
    code = main(["--workspace", str(sample_path), "brief", "--out", str(target)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1
    assert "no brief recorded" in err[0]
    assert leftovers(out) == ["taken.pdf"]
