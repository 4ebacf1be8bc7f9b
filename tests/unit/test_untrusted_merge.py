"""Merging another officer's workspace that is not to be trusted (issue 12, point 2's merge
and point 3): their file is read read-only, known tables only, under a time limit; claimed
times in the future never win; what a merge brings in says who brought it in and when.

The hostile workspaces are built at run time by bench/hostile/workspace.py.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from bench.hostile.workspace import (
    FUTURE,
    colleague_future_rename,
    colleague_view_instead_of_table,
    plant_rewriting_trigger,
    plant_view_and_table,
)
from tests.helpers.untouched import family_bytes, table_digest
from workstation.domain.records import Entity
from workstation.importers import DocumentDraft
from workstation.services import open_session
from workstation.services.backups import list_backups
from workstation.services.merge import merge_workspace, take_version
from workstation.services.merge_plan import FUTURE_TIMESTAMP
from workstation.storage import WorkspaceError
from workstation.storage.errors import ReadTimeLimit, WorkspaceUntrusted
from workstation.storage.other_workspace import QueryTimer

DRAFT = DocumentDraft(title="After", text="Written after the merge.\n", origin_name="after.txt")


@pytest.fixture
def ours(sample_path: Path) -> Path:
    return sample_path


@pytest.fixture
def bob(sample_path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "bob.sqlite"
    shutil.copyfile(sample_path, copy)
    return copy


def entity_names(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM entities ORDER BY seq")]
    finally:
        conn.close()


def still_writable(path: Path) -> None:
    """The writer's lock was let go and nothing holds the file: a new writer can write."""
    text = f"Written later, {time.monotonic_ns()}.\n"
    with open_session(path, author="alice") as session:
        session.documents.add(DocumentDraft(title="Later", text=text, origin_name="later.txt"))


# -- what is read of their file ------------------------------------------------------------------


def test_a_view_in_a_tables_place_is_refused_in_one_line_before_anything(ours, tmp_path):
    theirs = colleague_view_instead_of_table(tmp_path, ours)
    before = table_digest(ours)
    began = time.monotonic()
    with open_session(ours, author="alice") as session:
        with pytest.raises(WorkspaceUntrusted) as info:
            merge_workspace(session, theirs)
        session.documents.add(DRAFT)  # this session still writes: nothing is held
    assert time.monotonic() - began < 10
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("not merged: judgments is a view where a workspace has a table")
    assert message.endswith(str(theirs))
    assert table_digest(ours) != before  # the document added after the refusal
    assert list_backups(ours) == []  # refused before the backup
    still_writable(ours)


def test_their_foreign_objects_are_never_run_and_are_listed(ours, bob):
    with open_session(bob, author="bob") as session:
        session.documents.add(DocumentDraft(title="Bob's", text="From Bob.\n", origin_name="b"))
    plant_rewriting_trigger(bob)
    plant_view_and_table(bob)
    theirs_before = family_bytes(bob)
    with open_session(ours, author="alice") as session:
        report = merge_workspace(session, bob)
    assert report.counts["documents"].added == 1
    assert sorted(report.ignored) == [
        "table zz_extra is not part of a workspace",
        f"trigger {'zz_rewrite'} is not part of a workspace",
        "view zz_peek is not part of a workspace",
    ]
    assert family_bytes(bob) == theirs_before  # read-only: not a byte, not a sidecar
    conn = sqlite3.connect(ours)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'zz%'").fetchone() == (
        0,
    )
    conn.close()


def test_a_read_over_the_time_limit_stops_the_merge_with_nothing_changed(ours, bob, monkeypatch):
    # Enough rows that reading them takes a while (and many steps of SQLite's machine).
    conn = sqlite3.connect(bob, isolation_level=None)
    conn.execute(
        """INSERT INTO suggestion_rejections (id, entity_id, document_id, start, "end", exact,
               author, created_at, updated_at)
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
           SELECT 'r' || i, (SELECT id FROM entities LIMIT 1), (SELECT id FROM documents LIMIT 1),
                  i, i + 1, 'x', 'bob', '2021-04-16T00:00:00Z', '2021-04-16T00:00:00Z' FROM n"""
    )
    conn.close()
    monkeypatch.setenv("WORKSTATION_READ_TIME_LIMIT", "0.000001")
    before = table_digest(ours)
    with open_session(ours, author="alice") as session, pytest.raises(ReadTimeLimit) as info:
        merge_workspace(session, bob)
    assert str(info.value).startswith("reading it took longer than 1e-06 s")
    assert table_digest(ours) == before and list_backups(ours) == []
    monkeypatch.delenv("WORKSTATION_READ_TIME_LIMIT")
    still_writable(ours)


def test_the_timer_ends_an_endless_query(tmp_path):
    conn = sqlite3.connect(":memory:")
    timer = QueryTimer(tmp_path / "theirs.sqlite", 0.3)
    timer.install(conn)
    began = time.monotonic()
    endless = (
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
    )
    with pytest.raises(ReadTimeLimit), timer.limit():
        conn.execute(endless).fetchall()
    assert time.monotonic() - began < 3
    assert conn.execute("SELECT 1").fetchone() == (1,)  # no deadline outside a limit


def test_an_older_workspace_with_foreign_objects_is_cleaned_in_the_copy_only(ours, tmp_path):
    from tests.unit.test_merge_safety import old_schema_workspace

    old = tmp_path / "old.sqlite"
    old_schema_workspace(old)
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute(
        "CREATE TRIGGER zz_on_migrate AFTER INSERT ON _sqlite_migrations BEGIN "
        "DELETE FROM documents; END"
    )
    conn.close()
    untouched = family_bytes(old)
    with open_session(ours, author="alice") as session:
        report = merge_workspace(session, old)
    assert report.counts["documents"].added == 1
    assert report.ignored == ["trigger zz_on_migrate is not part of a workspace"]
    assert family_bytes(old) == untouched


# -- claimed times ------------------------------------------------------------------------------


def test_a_rename_stamped_in_the_future_is_a_conflict_and_never_applied(ours, tmp_path):
    theirs = colleague_future_rename(tmp_path, ours)
    names = entity_names(ours)
    with open_session(ours, author="alice") as session:
        report = merge_workspace(session, theirs)
        judgments = {
            j.text
            for e in session.episodes.list_episodes()
            for j in session.episodes.judgments(e.id)
        }
    assert entity_names(ours) == names and "Joe Biden" in names
    assert "Nothing will happen." not in judgments
    future = [c for c in report.conflicts if c.reason == FUTURE_TIMESTAMP]
    assert len(future) == len(report.conflicts) >= 2
    biden = next(c for c in future if c.table == "entities")
    assert (biden.label, biden.winner, biden.fields) == ("Joe Biden", "ours", ("name",))
    assert biden.theirs == {"name": "Vladimir Putin"} and biden.their_updated_at == FUTURE
    assert report.counts["entities"].future == 1
    assert report.counts["judgments"].future == report.counts["judgments"].conflicts
    # Taking their version is the officer's call; it is stamped now, never 2099.
    with open_session(ours, author="alice") as session:
        take_version(session, biden, "theirs")
        taken = session.workspace.records.get(Entity, biden.record_id)
    assert taken.name == "Vladimir Putin" and taken.updated_at < "2098"
    assert (taken.imported_by, taken.imported_at is not None) == ("alice", True)


def test_what_a_merge_brings_in_says_who_brought_it_in_and_when(ours, bob):
    with open_session(bob, author="bob") as session:
        made = session.documents.add(DocumentDraft(title="B", text="By Bob.\n", origin_name="b"))
        made = made.record
        later = session.documents.add(DocumentDraft(title="L", text="Later.\n", origin_name="l"))
    conn = sqlite3.connect(bob, isolation_level=None)
    conn.execute(
        f"UPDATE documents SET created_at = '{FUTURE}', updated_at = '{FUTURE}' WHERE id = ?",
        [later.record.id],
    )
    conn.close()
    with open_session(ours, author="alice") as session:
        report = merge_workspace(session, bob)
        arrived = session.documents.get(made.id)
        stamped = session.documents.get(later.record.id)
    assert (arrived.author, arrived.created_at, arrived.updated_at) == (
        "bob",
        made.created_at,
        made.updated_at,
    )
    assert arrived.imported_by == "alice" and arrived.imported_at >= made.created_at
    # A claimed future time is kept as a claim; the merge's time stands in for it.
    assert stamped.created_at == stamped.updated_at == stamped.imported_at
    assert stamped.claimed == {"created": FUTURE, "modified": FUTURE}
    assert report.counts["documents"].future == 1


def test_a_bad_workspace_on_the_other_side_is_still_one_workspace_error(ours, tmp_path):
    not_one = tmp_path / "notes.sqlite"
    not_one.write_bytes(b"SQLite format 3\x00" + bytes(200))
    with open_session(ours, author="alice") as session, pytest.raises(WorkspaceError):
        merge_workspace(session, not_one)


def test_the_rule_a_future_claim_never_wins():
    from datetime import UTC, datetime

    from workstation.services.merge_plan import content, decide, future_cutoff, in_future

    cutoff = future_cutoff(datetime(2021, 4, 16, 12, 0, tzinfo=UTC))
    assert cutoff == "2021-04-16T12:05:00.000000Z"
    assert not in_future("2021-04-16T12:04:59Z", cutoff)
    assert in_future("2021-04-16T12:05:01Z", cutoff) and in_future(FUTURE, cutoff)
    # What is no time but sorts after every real one would win any comparison: held back.
    assert in_future("zzz", cutoff) and in_future("garbage", cutoff)
    assert not in_future("", cutoff) and not in_future("0000", cutoff)
    ours = Entity(kind="Person", name="Joe Biden", updated_at="2021-04-16T10:00:00Z")
    theirs = Entity(id=ours.id, kind="Person", name="Vladimir Putin", updated_at=FUTURE)
    # Even when their (forged) history says only they changed it:
    decision = decide(ours, theirs, [], [content(ours)], cutoff=cutoff)
    assert (decision.winner, decision.conflict, decision.reason) == ("ours", True, FUTURE_TIMESTAMP)
    # A version we had ourselves, merely stamped in the future: ours, nothing to review.
    decision = decide(ours, theirs, [content(theirs)], [], cutoff=cutoff)
    assert (decision.winner, decision.conflict) == ("ours", False)
    # Without a cutoff (the rule off), the forged history would have won.
    assert decide(ours, theirs, [], [content(ours)]).winner == "theirs"
