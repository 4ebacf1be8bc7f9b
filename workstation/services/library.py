"""The library list's reads: how many documents match, one page of them, where one stands.

Read-only and cheap per call, so the GUI's windowed model can ask for exactly the page it
is about to paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workstation.storage import library as sql
from workstation.storage.library import SORT_KEYS, LibraryQuery, LibraryRow

if TYPE_CHECKING:
    from workstation.services.session import Session

__all__ = ["SORT_KEYS", "LibraryQuery", "LibraryRow", "LibraryService"]


class LibraryService:
    def __init__(self, session: Session):
        self.session = session

    def count(self, query: LibraryQuery) -> int:
        return sql.count_documents(self.session.workspace, query)

    def page(self, query: LibraryQuery, offset: int, limit: int) -> list[LibraryRow]:
        return sql.document_page(self.session.workspace, query, offset, limit)

    def position(self, query: LibraryQuery, document_id: str) -> int | None:
        """The row at which ``document_id`` is listed, or None when it is not listed."""
        return sql.document_position(self.session.workspace, query, document_id)

    def outlets(self) -> list[str]:
        return sql.outlets(self.session.workspace)
