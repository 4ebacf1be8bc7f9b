"""The workspace file: the only package that speaks SQL."""

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
    "open_worker_connection",
    "open_workspace",
]
