"""Other projects' real files for interchange tests: a copy of ``../shared/peers`` kept in
``tests/data/peers`` (unchanged, licences in its README), so a clean clone tests against them
too. ``test_peers_copy.py`` checks the copy still equals the shared folder where that is
present."""

from __future__ import annotations

from pathlib import Path

PEERS = Path(__file__).resolve().parents[1] / "data" / "peers"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "peers"
