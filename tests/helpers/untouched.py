"""What "the workspace as it was" means for hostile workspaces and paths (issue 12).

``table_digest(path)``: one sha256 per table over its rows, and one over the schema, read
through an immutable connection — it creates no sidecar and reads no ``-wal``, so a test can
take it between two commands without changing what it measures. ``family_bytes(path)``:
the sha256 of the workspace file and of each sidecar (``-wal``, ``-shm``, ``-journal``,
``.lock``; None when absent), for "``check`` changed not a byte". Both live beside the
hostile builders in bench/hostile/workspace.py, which the benchmark shares with the tests.
"""

from __future__ import annotations

from bench.hostile.workspace import family_bytes, table_digest

__all__ = ["family_bytes", "table_digest"]
