"""Importing a REFI-QDA project or codebook into the workspace: the rules are in
``services.refi_qda``'s docstring; this is the work, one source at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workstation.domain.anchoring import place_quote
from workstation.domain.claims import ImportedStamps, imported_stamps
from workstation.domain.offsets import body_sha256, make_selector, normalize_body
from workstation.domain.records import Annotation, Category, Document, ForeignId, Orphan
from workstation.importers.base import DocumentDraft
from workstation.interchange.errors import InterchangeError
from workstation.interchange.refi_qda import PROJECT_FILE
from workstation.services.import_chunks import Chunked
from workstation.services.outcome import ServiceError
from workstation.storage import versions

if TYPE_CHECKING:
    from workstation.interchange.refi_qda import QdaCode, QdaProject, QdaSelection, QdaSource
    from workstation.services.refi_qda import RefiImportReport
    from workstation.services.session import Session

SCHEME = "refi-qda"  # ForeignId.scheme of every GUID an import takes
_CONTEXT = 32  # characters of prefix and suffix used to re-anchor a selection


class ProjectImport(Chunked[object]):
    """Codes, then sources, each source in its own transaction (``run_all``)."""

    def __init__(self, session: Session, report: RefiImportReport, project: QdaProject | None):
        super().__init__(session, report)
        self.refi = report
        self.project = project
        self.users = {u.guid: u.name for u in project.users} if project else {}
        self.by_code: dict[str, Category] = {}
        # Every GUID an earlier import took, read once: two indexed queries per selection
        # made a 10k-selection import spend most of its time asking.
        self.known: dict[tuple[str, str], str] = {
            (f.foreign_id, f.record_table): f.record_id
            for f in self.ws.records.where(ForeignId, {"scheme": SCHEME})
        }
        self.added_documents: set[str] = set()
        self.text_unchanged = True  # the source's text is the document's body as it stands

    def run_all(self) -> None:
        assert self.project is not None
        with self.ws.transaction() as done:
            self.codes(self.project.codes)
        self.report.changes.extend(done)
        for source in self.project.sources:
            with self.ws.transaction() as done:
                self.source(source)
            self.report.changes.extend(done)

    def _error(self, line: int | None, message: str) -> InterchangeError:
        """An error at ``line`` of the XML: the .qdc itself, or the project.qde in the zip."""
        if self.project is None or line is None:
            return InterchangeError(line, message)
        return InterchangeError(None, f"{PROJECT_FILE} line {line}: {message}")

    # -- codes -> categories ---------------------------------------------------------------

    def codes(self, codes: list[QdaCode]) -> None:
        from workstation.interchange.refi_qda import our_guid

        categories = list(self.ws.records.where(Category))
        ours = {our_guid("category", c.id): c for c in categories}
        by_id = {c.id: c for c in categories}
        by_name = {c.name.casefold(): c for c in categories}
        for code in codes:
            category = ours.get(code.guid) or self._foreign(code.guid, by_id)
            category = category or by_name.get(code.name.casefold())
            if category is not None:
                self.refi.categories_matched += 1
                self._differs(code, category)
            else:
                parent = self.by_code.get(code.parent_guid or "")
                try:
                    category = self.session.codebook.create(
                        code.name,
                        colour=code.color or "#7f7f7f",
                        description=code.description,
                        parent_id=parent.id if parent else None,
                    ).record
                except ServiceError as exc:
                    self.report.errors.append(
                        self._error(code.line, f"code «{code.name}»: {exc}; not imported")
                    )
                    continue
                self.report.categories_added += 1
                by_name[category.name.casefold()] = category
            self.by_code[code.guid] = category
            self._remember(code.guid, "categories", category.id)

    def _differs(self, code: QdaCode, category: Category) -> None:
        changes = []
        if code.color and code.color.lower() != category.colour.lower():
            changes.append(f"colour {code.color} (here {category.colour})")
        if code.description and code.description != category.description:
            changes.append("another description")
        if changes:
            self.refi.not_imported.append(
                f"code «{code.name}» matches the category «{category.name}», kept as it is "
                f"here; the file gives it {' and '.join(changes)}"
            )

    def _foreign(self, guid: str, by_id: dict[str, Category]) -> Category | None:
        mapped = self._mapped(guid, "categories")
        return by_id.get(mapped) if mapped else None

    def _mapped(self, guid: str, table: str) -> str | None:
        return self.known.get((guid, table))

    def _remember(self, guid: str, table: str, record_id: str) -> None:
        """Record that ``guid`` names this record (once), so a re-import recognises it."""
        if self._mapped(guid, table) == record_id:
            return
        self.ws.records.insert(
            ForeignId(
                scheme=SCHEME,
                foreign_id=guid,
                record_table=table,
                record_id=record_id,
                **self.imported(),
            )
        )
        self.known[(guid, table)] = record_id

    # -- sources -> documents ----------------------------------------------------------------

    def source(self, source: QdaSource) -> None:
        body = normalize_body(source.text)
        if not body:
            self.refi.not_imported.append(f"source «{source.name}» has no text; not imported")
            return
        document = self._document(source, body)
        self.text_unchanged = document.body == source.text
        for selection in source.selections:
            self.selection(selection, source, document)

    def _document(self, source: QdaSource, body: str) -> Document:
        from workstation.services.documents import document_from_draft

        found = versions.document_id_by_sha_any(self.ws, body_sha256(body))
        found = found or self._mapped(source.guid, "documents")
        document = self.ws.records.get(Document, found) if found else None
        if document is not None:
            self.refi.documents_matched += 1
            self._remember(source.guid, "documents", document.id)
            return document
        title = source.name.removesuffix(".txt").strip() or "Untitled"
        draft = DocumentDraft(title=title, text=source.text, origin_name=self.report.path.name)
        stamps = self._stamps(source.creating_user, source.created, source.modified, source.name)
        record = document_from_draft(draft)
        record.created_at, record.updated_at = stamps.created_at, stamps.updated_at
        record.author, record.claimed = stamps.author, stamps.claimed
        record.imported_by, record.imported_at = self.ws.author, self.now
        saved = self.ws.records.insert(record, keep_stamps=True)
        self.refi.documents_added += 1
        self.added_documents.add(saved.id)
        self._remember(source.guid, "documents", saved.id)
        return saved

    def _stamps(
        self, user: str | None, created: str | None, modified: str | None, what: str
    ) -> ImportedStamps:
        stamps = imported_stamps(
            now=self.now,
            importer=self.ws.author,
            author=self.users.get(user or "") or None,
            created=created,
            modified=modified,
        )
        note = stamps.future_note()
        if note:
            self.report.claims.append(f"{what}: {note}")
        return stamps

    # -- selections -> passages ----------------------------------------------------------------

    def selection(self, item: QdaSelection, source: QdaSource, document: Document) -> None:
        where = f"selection {item.guid} in «{source.name}»"
        if self._mapped(item.guid, "annotations"):  # taken before (deleted here since: stays so)
            self.report.already += 1
            return
        codes = [self.by_code.get(guid) for guid in item.code_guids]
        for guid, category in zip(item.code_guids, codes, strict=True):
            if category is None:
                self.report.errors.append(
                    self._error(
                        item.line,
                        f"{where}: code {guid} is not in the codebook; imported without it",
                    )
                )
        found = [c for c in codes if c is not None]
        category = found[0] if found else None
        body, text = document.body, source.text
        exact = item.exact if self.text_unchanged else normalize_body(item.exact)
        prefix = normalize_body(text[max(0, item.start - _CONTEXT) : item.start])
        suffix = normalize_body(text[item.end : item.end + _CONTEXT])
        placement = place_quote(body, exact, prefix, suffix, item.start, item.end)
        notes = [item.description, *self._notes(item)]
        note = "\n\n".join(n for n in notes if n)
        stamps = self._stamps(item.creating_user, item.created, item.modified, where)
        if placement is None:
            self._orphan(item, document, exact, note, stamps)
            return
        selector = make_selector(body, placement.start, placement.end)
        same = {
            "document_id": document.id,
            "start": selector.start,
            "end": selector.end,
            "category_id": category.id if category else None,
            "mention_only": False,
        }
        twin = None
        if document.id not in self.added_documents:  # a new document has no passages yet
            twin = next(self.ws.records.where(Annotation, same, limit=1), None)
        if twin is not None:
            self.report.already += 1
            self._remember(item.guid, "annotations", twin.id)
            return
        if placement.method == "unchanged":
            self.report.placed += 1
        else:
            self.report.reanchored += 1
        passage = Annotation(
            document_id=document.id,
            **selector.fields(),
            category_id=category.id if category else None,
            tags=[c.name for c in found[1:]],
            note=note,
            created_at=stamps.created_at,
            updated_at=stamps.updated_at,
            author=stamps.author,
            claimed=stamps.claimed,
            **self.imported(),
        )
        saved = self.ws.records.insert(passage, keep_stamps=True)
        self._remember(item.guid, "annotations", saved.id)

    def _notes(self, item: QdaSelection) -> list[str]:
        assert self.project is not None
        texts = []
        for guid in item.note_guids:
            note = self.project.notes.get(guid)
            if note is None:
                self.refi.not_imported.append(
                    f"selection {item.guid}: its note {guid} is not in the file; left out"
                )
            elif note.text:
                texts.append(note.text)
        return texts

    def _orphan(
        self,
        item: QdaSelection,
        document: Document,
        exact: str,
        note: str,
        stamps: ImportedStamps,
    ) -> None:
        self.report.orphans += 1
        self.ws.records.insert(
            Orphan(
                source=f"{self.report.path.name}, selection {item.guid}",
                document_id=document.id,
                exact=exact,
                reason=f"quote not found in «{document.title}»",
                payload={
                    SCHEME: {
                        "guid": item.guid,
                        "start": item.start,
                        "end": item.end,
                        "note": note,
                        "codes": item.code_guids,
                    }
                },
                claimed=stamps.claimed,
                **self.imported(),
            )
        )
