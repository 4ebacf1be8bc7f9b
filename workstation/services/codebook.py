"""The codebook: categories a passage is tagged with."""

from __future__ import annotations

import re
from typing import Any

from workstation.domain.records import Annotation, Category
from workstation.domain.vocab import DEFAULT_CATEGORIES
from workstation.services.base import RecordService
from workstation.services.outcome import Outcome, ServiceError

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class CodebookService(RecordService):
    def list_categories(self) -> list[Category]:
        return list(self.ws.records.where(Category, order_by="position, name"))

    def by_name(self, name: str) -> Category | None:
        wanted = name.strip().casefold()
        return next((c for c in self.list_categories() if c.name.casefold() == wanted), None)

    def ensure_defaults(self) -> None:
        """Seed the default codebook into an empty workspace (one transaction)."""
        if self.list_categories():
            return
        with self.ws.transaction():
            for position, seed in enumerate(DEFAULT_CATEGORIES):
                self.ws.records.insert(
                    Category(
                        name=seed.name,
                        colour=seed.colour,
                        shortcut=seed.shortcut,
                        description=seed.description,
                        position=position,
                    )
                )

    def create(
        self,
        name: str,
        *,
        colour: str = "#7f7f7f",
        shortcut: str | None = None,
        description: str = "",
        parent_id: str | None = None,
    ) -> Outcome[Category]:
        self._validate(name=name, colour=colour, shortcut=shortcut)
        position = max((c.position for c in self.list_categories()), default=-1) + 1
        return self._create(
            Category(
                name=name.strip(),
                colour=colour,
                shortcut=shortcut,
                description=description,
                parent_id=parent_id,
                position=position,
            )
        )

    def edit(self, category_id: str, **fields: Any) -> Outcome[Category]:
        allowed = {"name", "colour", "shortcut", "description", "parent_id", "position"}
        if set(fields) - allowed:
            raise ServiceError(f"cannot edit {', '.join(sorted(set(fields) - allowed))}")
        self._validate(exclude=category_id, **fields)
        return self._edit(Category, category_id, **fields)

    def delete(self, category_id: str) -> Outcome[Category]:
        if self.in_use(category_id):
            raise ServiceError("category is still used by passages; recategorise them first")
        return self._delete(Category, category_id)

    def move(self, category_id: str, new_position: int) -> Outcome[Category]:
        """Put a category at ``new_position`` (0-based, clamped) and renumber the others
        0..n-1 in one transaction, so a reorder is one undoable change set."""
        ordered = self.list_categories()
        moving = next((c for c in ordered if c.id == category_id), None)
        if moving is None:
            moving = self._require(Category, category_id)  # raises NotFound
        ordered.remove(moving)
        ordered.insert(max(0, min(new_position, len(ordered))), moving)
        with self.ws.transaction() as changes:
            for position, category in enumerate(ordered):
                updated = self.ws.records.update(category, position=position)
                if category.id == category_id:
                    moving = updated
        return Outcome(moving, changes)

    def in_use(self, category_id: str) -> bool:
        """Whether any live passage is tagged with this category."""
        found = self.ws.records.where(Annotation, {"category_id": category_id}, limit=1)
        return next(iter(found), None) is not None

    def _validate(self, *, exclude: str | None = None, **fields: Any) -> None:
        if "name" in fields:
            name = (fields["name"] or "").strip()
            if not name:
                raise ServiceError("a category needs a name")
            clash = self.by_name(name)
            if clash and clash.id != exclude:
                raise ServiceError(f"a category named {name!r} already exists")
        colour = fields.get("colour")
        if colour is not None and not _COLOUR.match(colour):
            raise ServiceError(f"colour must look like #1f77b4, not {colour!r}")
        key = fields.get("shortcut")
        if key:
            clash = next(
                (c for c in self.list_categories() if c.shortcut == key and c.id != exclude), None
            )
            if clash:
                raise ServiceError(f"key {key} is already used by {clash.name}")
