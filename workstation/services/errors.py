"""Every error a caller of the services may catch, in one place: the services' own
(``ServiceError``: a request the rules refuse) and the workspace's (``WorkspaceError``: the
file is busy, read-only, damaged, full…), re-exported so that the GUI and the CLI need not
import ``workstation.storage``."""

from workstation.services.outcome import NotFound, ServiceError
from workstation.storage.errors import (
    DiskFull,
    NotAWorkspace,
    ReadTimeLimit,
    WorkspaceCorrupt,
    WorkspaceError,
    WorkspaceInUse,
    WorkspaceLocked,
    WorkspaceMissing,
    WorkspaceReadOnly,
    WorkspaceTooNew,
    WorkspaceUnreadable,
    WorkspaceUntrusted,
)

__all__ = [
    "DiskFull",
    "NotAWorkspace",
    "NotFound",
    "ReadTimeLimit",
    "ServiceError",
    "WorkspaceCorrupt",
    "WorkspaceError",
    "WorkspaceInUse",
    "WorkspaceLocked",
    "WorkspaceMissing",
    "WorkspaceReadOnly",
    "WorkspaceTooNew",
    "WorkspaceUnreadable",
    "WorkspaceUntrusted",
]
