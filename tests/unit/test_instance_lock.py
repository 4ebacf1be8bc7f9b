"""One writer per workspace: the instance lock beside the file (storage.instance_lock)."""

from __future__ import annotations

import json
import os
import signal
import socket
from datetime import datetime, timedelta

import pytest

from tests.helpers.workspace_holder import held_elsewhere, start_holder, stop_holder
from workstation.importers.base import DocumentDraft
from workstation.services import create_session, open_session
from workstation.storage import (
    NotAWorkspace,
    WorkspaceInUse,
    create_workspace,
    instance_lock,
    open_workspace,
)


def _draft(title: str) -> DocumentDraft:
    return DocumentDraft(title=title, text=f"Body of {title}.", origin_name=f"{title}.txt")


@pytest.fixture
def made(workspace_path):
    """A workspace on disk, closed, holding one document."""
    with create_session(workspace_path, author="tester") as session:
        session.documents.add(_draft("First"))
    return workspace_path


def test_second_writer_in_the_same_process_is_refused_naming_this_process(made):
    with open_workspace(made, author="a") as first:
        with pytest.raises(WorkspaceInUse) as refused:
            open_workspace(made, author="b")
        assert first.conn is not None
    assert refused.value.pid == os.getpid()
    assert refused.value.host == socket.gethostname()
    message = str(refused.value)
    assert message.startswith(f"open for writing in another workstation (pid {os.getpid()} on ")
    assert str(made) in message


def test_second_writer_from_another_process_is_refused_with_its_pid(made):
    with held_elsewhere(made) as holder:
        with pytest.raises(WorkspaceInUse) as refused:
            open_session(made, author="b")
        assert refused.value.pid == holder.pid
        assert f"(pid {holder.pid} on " in str(refused.value)
        assert ", since " in str(refused.value)


def test_lock_is_released_on_close_and_leaves_no_file(made):
    lock_file = instance_lock.lock_path(made)
    first = open_workspace(made, author="a")
    assert lock_file.is_file()
    holder = json.loads(lock_file.read_text())
    assert holder["pid"] == os.getpid() and holder["host"] == socket.gethostname()
    first.close()
    assert not lock_file.exists()
    with open_session(made, author="b") as again:
        assert [d.title for d in again.documents.list_documents()] == ["First"]


def test_lock_is_released_when_the_holder_is_killed(made):
    holder = start_holder(made)
    with pytest.raises(WorkspaceInUse):
        open_workspace(made, author="b")
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    stop_holder(holder)
    # The killed holder could not remove its lock file; the kernel dropped its lock anyway.
    assert instance_lock.lock_path(made).is_file()
    with open_session(made, author="b") as session:
        session.documents.add(_draft("After the crash"))
        assert session.documents.count() == 2


def test_a_read_only_open_works_while_another_process_writes(made):
    with held_elsewhere(made):
        with open_session(made, author="reader", read_only=True) as reader:
            assert [d.title for d in reader.documents.list_documents()] == ["First"]
            assert reader.workspace.read_only
        # A read-only open takes no lock: the holder's lock is still there.
        with pytest.raises(WorkspaceInUse):
            open_workspace(made, author="b")


def test_a_writer_is_not_refused_by_readers(made):
    with open_workspace(made, author="r", read_only=True), open_session(made) as writer:
        writer.documents.add(_draft("Second"))
        assert writer.documents.count() == 2


def test_stale_lock_file_of_a_dead_process_is_ignored(made):
    lock_file = instance_lock.lock_path(made)
    stale = {"pid": 999_999_999, "host": "elsewhere", "since": "2021-04-15T14:02:00+00:00"}
    lock_file.write_text(json.dumps(stale))
    with open_session(made, author="b") as session:
        assert session.documents.count() == 1
        assert json.loads(lock_file.read_text())["pid"] == os.getpid()
    assert not lock_file.exists()


def test_garbage_in_the_lock_file_is_ignored_and_a_refusal_still_reads_well(made):
    lock_file = instance_lock.lock_path(made)
    with instance_lock.acquire(made):
        lock_file.write_text("{not json")  # a holder that crashed half-way through writing
        with pytest.raises(WorkspaceInUse) as refused:
            open_workspace(made, author="b")
    assert refused.value.pid is None
    assert str(refused.value) == f"open for writing in another workstation: {made}"


def test_creating_a_workspace_someone_holds_is_refused(workspace_path):
    with instance_lock.acquire(workspace_path), pytest.raises(WorkspaceInUse):
        create_workspace(workspace_path, author="a")
    assert not workspace_path.exists()
    with create_workspace(workspace_path, author="a") as created:
        assert created.schema_version() > 0


def test_a_symlink_to_the_workspace_shares_its_lock(made, tmp_path):
    link = tmp_path / "link.sqlite"
    link.symlink_to(made)
    with open_workspace(made, author="a"), pytest.raises(WorkspaceInUse):
        open_workspace(link, author="b")


def test_a_refused_open_does_not_keep_the_lock(tmp_path):
    foreign = tmp_path / "foreign.sqlite"
    foreign.write_bytes(b"not a database at all, but more than nothing" * 100)
    with pytest.raises(NotAWorkspace):
        open_workspace(foreign, author="a")
    assert not instance_lock.lock_path(foreign).exists()
    with instance_lock.acquire(foreign) as lock:
        assert lock.held


def test_the_message_says_since_when_today_and_the_date_before_today(tmp_path):
    now = datetime.now().astimezone()
    today = WorkspaceInUse(tmp_path / "w.sqlite", pid=1234, host="desk7", since=now)
    assert today.detail == (
        f"open for writing in another workstation (pid 1234 on desk7, since {now:%H:%M})"
    )
    earlier = now - timedelta(days=3)
    older = WorkspaceInUse(tmp_path / "w.sqlite", pid=1234, since=earlier)
    # `earlier` keeps today's UTC offset; the message shows the local time of that instant,
    # an hour off from it for three days after a clock change (summer time).
    assert older.detail.endswith(f"(pid 1234, since {earlier.astimezone():%Y-%m-%d %H:%M})")
