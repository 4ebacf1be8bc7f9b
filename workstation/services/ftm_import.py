"""Importing FollowTheMoney entities (JSON Lines): each entity is matched by id, Wikidata id,
then name or alias (``services.entity_index``), and created only when nothing matches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workstation.services.annotation_report import record_kind
from workstation.services.entity_index import IdTaken
from workstation.services.import_chunks import Chunked, Refused

if TYPE_CHECKING:
    from workstation.interchange.ftm_parse import FtmEntity, FtmSkipped


class FtmImport(Chunked["FtmEntity | FtmSkipped"]):
    def one(self, item: FtmEntity | FtmSkipped) -> None:
        from workstation.interchange.ftm_parse import FtmSkipped

        if isinstance(item, FtmSkipped):
            self.report.skipped += 1
            return
        try:
            _entity, added = self.entities.resolve(
                id_=item.id,
                name=item.name,
                kind=item.kind,
                aliases=item.aliases,
                wikidata_id=item.wikidata_id,
                country=item.country,
                description=item.description or "",
            )
        except IdTaken as exc:
            raise Refused(
                f"id {exc.record_id} already names {record_kind(exc.table)} here; not imported"
            ) from None
        if added:
            self.report.entities_added += 1
        else:
            self.report.entities_matched += 1
