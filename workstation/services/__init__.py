"""Use cases. Every mutation of a workspace goes through here, one transaction each, and
returns the ChangeSet describing what it did (the GUI's refresh and undo rely on it).

One way in: use cases that act on a workspace hang off ``Session`` — its record services
(``documents``, ``codebook``, ``annotations``, ``entities``, ``episodes``, ``orphans``) and
its per-feature facades, built on first use (``library``, ``registry``, ``suggestions``,
``search``, ``timeline``, ``importing``, ``exchange``, ``maintenance``, ``versions``; see
``facades``). Pure helpers are free functions: what needs no open session (parsing or
walking files, writing a gathered export, checking an output path, settings, path-based
work a worker thread runs on a connection of its own) stays a function in its module.
Errors the callers catch come from ``services.errors``; the GUI never imports ``storage``
(an import-linter contract).
"""

from workstation.services.session import Session, create_session, open_session

__all__ = ["Session", "create_session", "open_session"]
