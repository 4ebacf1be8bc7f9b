"""The workspace file: the only package that speaks SQL."""

import sys as _sys

# sqlite-utils imports numpy with itself whenever numpy is installed, only to map numpy scalar
# types to column types (we never insert numpy values). numpy came with the assistant
# (issue 16) and would cost every start ~150 ms; it is hidden for that one import, and the
# assistant imports it for real when it first trains.
if "sqlite_utils" not in _sys.modules and "numpy" not in _sys.modules:
    _sys.modules["numpy"] = None  # type: ignore[assignment]  # None: "import numpy" fails
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        del _sys.modules["numpy"]

from workstation.storage.errors import (
    DiskFull,
    NotAWorkspace,
    WorkspaceCorrupt,
    WorkspaceError,
    WorkspaceInUse,
    WorkspaceLocked,
    WorkspaceMissing,
    WorkspaceReadOnly,
    WorkspaceTooNew,
)
from workstation.storage.workspace import (
    Workspace,
    create_workspace,
    log_folded,
    open_worker_connection,
    open_workspace,
)

__all__ = [
    "DiskFull",
    "NotAWorkspace",
    "Workspace",
    "WorkspaceCorrupt",
    "WorkspaceError",
    "WorkspaceInUse",
    "WorkspaceLocked",
    "WorkspaceMissing",
    "WorkspaceReadOnly",
    "WorkspaceTooNew",
    "create_workspace",
    "log_folded",
    "open_worker_connection",
    "open_workspace",
]
