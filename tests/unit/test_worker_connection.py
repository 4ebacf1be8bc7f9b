"""A background operation's own connection (``Session.open_worker``): opened under the lock
the window's workspace holds, writing beside the window's reads, read-only when asked."""

from __future__ import annotations

import threading

import pytest

from workstation.services import create_session, open_session
from workstation.storage import WorkspaceInUse, WorkspaceReadOnly


@pytest.fixture
def session(tmp_path):
    with create_session(tmp_path / "ws.sqlite", author="alice") as opened:
        yield opened


def on_a_thread(work):
    """Run ``work`` on another thread (as the operation runner does); its result."""
    out: list = []
    thread = threading.Thread(target=lambda: out.append(work()))
    thread.start()
    thread.join(30)
    return out[0]


def test_a_worker_writes_under_our_lock_and_the_window_reads_the_result(session):
    def work():
        with session.open_worker() as worker:
            assert worker.author == "alice"
            return worker.codebook.create("Leak").changes

    changes = on_a_thread(work)
    assert changes and session.codebook.by_name("Leak") is not None
    assert session.workspace.holds_lock  # not released by the worker's close
    with pytest.raises(WorkspaceInUse):
        open_session(session.path)  # a second writer elsewhere is still refused
    session.revert(changes)  # undo goes through the window's connection
    assert session.codebook.by_name("Leak") is None


def test_a_reading_worker_cannot_write(session):
    def work():
        with session.open_worker(writes=False) as worker:
            count = worker.documents.count()
            with pytest.raises(WorkspaceReadOnly):
                worker.codebook.create("Leak")
            return count

    assert on_a_thread(work) == session.documents.count()
