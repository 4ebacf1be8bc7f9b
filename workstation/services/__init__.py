"""Use cases. Every mutation of a workspace goes through here, one transaction each, and
returns the ChangeSet describing what it did (the GUI's refresh and undo rely on it)."""

from workstation.services.session import Session, create_session, open_session

__all__ = ["Session", "create_session", "open_session"]
