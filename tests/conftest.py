"""Suite-wide setup: offscreen Qt, an isolated data folder, no user settings touched."""

from __future__ import annotations

import os

# Must be set before any Qt import: CI has no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import settings

pytest_plugins = ["tests.helpers.fixtures"]

# The suite draws the same hypothesis examples on every run, so CI cannot fail on a draw
# nobody can reproduce; HYPOTHESIS_PROFILE=explore draws fresh ones to hunt for new bugs.
# No deadline: it times each example by the wall clock, so a loaded machine would fail an
# example (or call it flaky) that is only slow there; performance has its own tests.
settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own data folder and author, so nothing leaks between tests or
    into the real per-user folder."""
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("WORKSTATION_DATA_DIR", str(data))
    monkeypatch.setenv("WORKSTATION_AUTHOR", "tester")
    return data


@pytest.fixture(autouse=True)
def queue_starts_on_mentions(request, monkeypatch):
    """The suggestions queue shows every kind by default, the assistant's proposals arriving
    from a background thread. Tests not about the assistant start it on mentions, so those
    arrivals never race what they check; ``@pytest.mark.queue_default`` keeps the product's
    default (tests/ui/test_assistant_queue.py)."""
    if "queue_default" not in request.keywords:
        monkeypatch.setattr("workstation.ui.queues.queue_filters.DEFAULT_KIND", "mention")

