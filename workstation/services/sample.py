"""Loading the shipped sample episode (resources/sample/episode.json) into a workspace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation.domain.records import ChangeSet
from workstation.importers import read_document
from workstation.services.outcome import ServiceError
from workstation.services.resources import sample_dir

if TYPE_CHECKING:
    from workstation.services.session import Session

SAMPLE_FORMAT = "workstation-sample/1"


class SampleError(ServiceError):
    pass


def load_sample(session: Session, folder: Path | None = None) -> ChangeSet:
    """Load the sample episode in one transaction: all of it, or nothing."""
    folder = folder or sample_dir()
    spec_path = folder / "episode.json"
    try:
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SampleError(f"cannot read the sample episode {spec_path}: {exc}") from exc
    if spec.get("format") != SAMPLE_FORMAT:
        raise SampleError(f"{spec_path}: expected format {SAMPLE_FORMAT!r}")
    with session.workspace.transaction() as changes:
        try:
            _Loader(session, folder, spec).run()
        except KeyError as exc:
            raise SampleError(f"{spec_path}: unknown key {exc}") from exc
    return changes


class _Loader:
    def __init__(self, session: Session, folder: Path, spec: dict[str, Any]):
        self.s = session
        self.folder = folder
        self.spec = spec
        self.documents: dict[str, Any] = {}
        self.entities: dict[str, str] = {}
        self.passages: dict[str, str] = {}
        self.events: dict[str, str] = {}

    def run(self) -> None:
        self.s.codebook.ensure_defaults()
        self._documents()
        self._entities()
        self._passages()
        episode = self._episode()
        self._events(episode)
        self._judgments(episode)

    def _documents(self) -> None:
        for item in self.spec["documents"]:
            draft = read_document(self.folder / item["file"])
            for field in ("title", "outlet", "url", "published", "language"):
                if item.get(field) is not None:
                    setattr(draft, field, item[field])
            draft.proposed = ()  # the sample's details are curated, not read from its text
            existing = self.s.documents.existing_id(self.s.documents.draft_to_record(draft).sha256)
            if existing:
                doc_id = existing
            else:
                doc_id = self.s.documents.add(
                    draft, reliability=item.get("reliability"), credibility=item.get("credibility")
                ).record.id
            self.documents[item["key"]] = self.s.documents.get(doc_id)

    def _entities(self) -> None:
        for item in self.spec["entities"]:
            entity = self.s.entities.create(
                item["kind"],
                item["name"],
                aliases=item.get("aliases", []),
                description=item.get("description", ""),
                country=item.get("country"),
                wikidata_id=item.get("wikidata_id"),
            ).record
            self.entities[item["key"]] = entity.id

    def _passages(self) -> None:
        categories = {c.name: c.id for c in self.s.codebook.list_categories()}
        for item in self.spec["passages"]:
            document = self.documents[item["document"]]
            start = _nth(document.body, item["quote"], item.get("occurrence", 1))
            if start is None:
                raise SampleError(f"passage {item['key']}: quote not found in {document.title}")
            annotation = self.s.annotations.create(
                document.id,
                start,
                start + len(item["quote"]),
                category_id=categories[item["category"]],
                note=item.get("note", ""),
                releasable=item.get("releasable", True),
            ).record
            self.passages[item["key"]] = annotation.id
            for entity_key, role in item.get("mentions", []):
                self.s.entities.link(annotation.id, self.entities[entity_key], role)

    def _episode(self) -> str:
        item = self.spec["episode"]
        episode_id = self.s.episodes.create(
            item["title"],
            bottom_line=item.get("bottom_line", ""),
            outlook=item.get("outlook", ""),
            marking=item.get("marking", "TLP:AMBER"),
        ).record.id
        if item.get("watch"):
            self.s.episodes.edit(episode_id, watch=list(item["watch"]))
        return episode_id

    def _events(self, episode_id: str) -> None:
        # Events may answer events listed later; create in an order where answers come after.
        pending = list(self.spec["events"])
        while pending:
            ready = [
                e
                for e in pending
                if e.get("responds_to") is None or e["responds_to"] in self.events
            ]
            if not ready:
                raise SampleError("events' responds_to links form a cycle or name no event")
            for item in ready:
                event = self.s.episodes.add_event(
                    episode_id,
                    date=item["date"],
                    precision=item.get("precision", "day"),
                    kind=item["kind"],
                    title=item["title"],
                    summary=item.get("summary", ""),
                    actor_id=self._entity(item.get("actor")),
                    target_id=self._entity(item.get("target")),
                    responds_to=self.events.get(item.get("responds_to") or ""),
                    legal_basis=item.get("legal_basis", ""),
                    evidence=[self.passages[k] for k in item.get("evidence", [])],
                ).record
                self.events[item["key"]] = event.id
                pending.remove(item)

    def _judgments(self, episode_id: str) -> None:
        for item in self.spec["judgments"]:
            self.s.episodes.add_judgment(
                episode_id,
                text=item["text"],
                likelihood_term=item["likelihood"],
                confidence=item["confidence"],
                cited=[self.passages[k] for k in item.get("cited", [])],
            )

    def _entity(self, key: str | None) -> str | None:
        return self.entities[key] if key else None


def _nth(body: str, quote: str, occurrence: int) -> int | None:
    index = -1
    for _ in range(occurrence):
        index = body.find(quote, index + 1)
        if index == -1:
            return None
    return index
