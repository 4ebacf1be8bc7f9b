"""Read-only rows the services hand out, re-exported so that the GUI and the CLI can name
their types without importing ``workstation.storage``."""

from workstation.storage.entities import EntityPassage, EntityRow
from workstation.storage.import_runs import ImportRun
from workstation.storage.library import LibraryQuery, LibraryRow
from workstation.storage.queries import DocumentRow
from workstation.storage.search import SearchHit, SearchPage
from workstation.storage.versions import OrphanRow

__all__ = [
    "DocumentRow",
    "EntityPassage",
    "EntityRow",
    "ImportRun",
    "LibraryQuery",
    "LibraryRow",
    "OrphanRow",
    "SearchHit",
    "SearchPage",
]
