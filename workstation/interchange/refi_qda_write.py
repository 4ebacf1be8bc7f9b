"""Writing REFI-QDA: a ``.qdpx`` project (zip of ``project.qde`` and ``sources/``) and a
``.qdc`` codebook, from the export bundle. The mapping is in ``refi_qda``'s docstring.

The same workspace state gives the same bytes: GUIDs derive from our ids, records are
walked in the bundle's fixed order, and the zip entries carry a fixed time.
"""

from __future__ import annotations

import zipfile
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.domain.records import Annotation, Category, Document
from workstation.interchange.bundle import ExportBundle
from workstation.interchange.refi_qda import (
    CODEBOOK_NS,
    INTERNAL,
    PROJECT_FILE,
    PROJECT_NS,
    SCHEMA_LOCATION,
    SOURCES_FOLDER,
    QdaCode,
    QdaProject,
    QdaSelection,
    QdaSource,
    QdaUser,
    our_guid,
    rgb,
    xml_safe,
)

if TYPE_CHECKING:
    from lxml import etree

_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same export gives the same bytes


def user_guid(author: str) -> str:
    return our_guid("user", author)


def codes_from_categories(categories: Iterable[Category]) -> list[QdaCode]:
    """Live categories as codes, in codebook order; a parent that is not exported (deleted)
    leaves its children at the top."""
    live = [c for c in categories if c.live]
    ids = {c.id for c in live}
    return [
        QdaCode(
            guid=our_guid("category", c.id),
            name=c.name,
            color=rgb(c.colour),
            description=c.description,
            parent_guid=our_guid("category", c.parent_id) if c.parent_id in ids else None,
        )
        for c in sorted(live, key=lambda c: (c.position, c.name, c.id))
    ]


def project_from_bundle(bundle: ExportBundle, *, name: str, origin: str) -> QdaProject:
    """The project a bundle becomes: its categories, documents and passages (mention-only
    spans are no passages and stay out)."""
    authors: set[str] = set()
    codes = codes_from_categories(bundle.categories.values())
    live_codes = {code.guid for code in codes}
    by_document = bundle.annotations_by_document()
    sources = []
    for document in bundle.ordered_documents():
        passages = [a for a in by_document.get(document.id, []) if not a.mention_only]
        authors.update(a.author for a in passages if a.author)
        if document.author:
            authors.add(document.author)
        sources.append(_source(document, passages, live_codes))
    return QdaProject(
        name=name,
        origin=origin,
        users=[QdaUser(user_guid(a), a) for a in sorted(authors)],
        codes=codes,
        sources=sources,
    )


def _source(document: Document, passages: list[Annotation], codes: set[str]) -> QdaSource:
    selections = []
    for passage in passages:
        code = our_guid("category", passage.category_id) if passage.category_id else None
        selections.append(
            QdaSelection(
                guid=our_guid("annotation", passage.id),
                start=passage.start,
                end=passage.end,
                exact=passage.exact,
                creating_user=user_guid(passage.author) if passage.author else None,
                created=passage.created_at or None,
                modified=passage.updated_at or None,
                description=passage.note,
                code_guids=[code] if code in codes else [],
            )
        )
    return QdaSource(
        guid=our_guid("document", document.id),
        # QualCoder saves an imported source under its name: a slash would make it a path.
        name=document.title.replace("/", "-").replace("\\", "-"),
        text=document.body,
        creating_user=user_guid(document.author) if document.author else None,
        created=document.created_at or None,
        modified=document.updated_at or None,
        selections=selections,
    )


# -- XML ---------------------------------------------------------------------------------------


def project_xml(project: QdaProject) -> bytes:
    root = _root(PROJECT_NS, "Project")
    root.set("name", xml_safe(project.name))
    root.set("origin", xml_safe(project.origin))
    if project.users:
        users = _sub(root, "Users")
        for user in project.users:
            _sub(users, "User", guid=user.guid, name=xml_safe(user.name))
    if project.codes:
        _codes(_sub(_sub(root, "CodeBook"), "Codes"), project.codes)
    if project.sources:
        sources = _sub(root, "Sources")
        for source in project.sources:
            _text_source(sources, source)
    return _bytes(root)


def codebook_xml(codes: list[QdaCode], *, origin: str) -> bytes:
    """A ``.qdc`` file. The schema wants at least one code; an empty codebook is refused by
    the caller before this is reached."""
    root = _root(CODEBOOK_NS, "CodeBook")
    root.set("origin", xml_safe(origin))
    _codes(_sub(root, "Codes"), codes)
    return _bytes(root)


def write_qdpx(project: QdaProject, path: Path) -> None:
    """Write the ``.qdpx`` zip at ``path`` (the caller writes it aside and renames it)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_entry(PROJECT_FILE), project_xml(project))
        for source in project.sources:
            name = f"{SOURCES_FOLDER}/{source.guid}.txt"
            archive.writestr(_entry(name), source.text.encode("utf-8"))


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _root(namespace: str, tag: str) -> etree._Element:
    from lxml import etree

    root = etree.Element(f"{{{namespace}}}{tag}", nsmap={None: namespace, "xsi": _XSI})
    root.set(f"{{{_XSI}}}schemaLocation", f"{namespace} {SCHEMA_LOCATION[namespace]}")
    return root


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    from lxml import etree

    namespace = etree.QName(parent).namespace
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}")
    for key, value in attributes.items():
        element.set(key, value)
    return element


def _codes(parent: etree._Element, codes: list[QdaCode]) -> None:
    """Codes nested under their parents, in the given order."""
    children: dict[str | None, list[QdaCode]] = {}
    for code in codes:
        children.setdefault(code.parent_guid, []).append(code)
    pending = deque((parent, code) for code in children.get(None, []))
    while pending:  # breadth first, no recursion: a deep codebook cannot exhaust the stack
        into, code = pending.popleft()
        element = _sub(into, "Code", guid=code.guid, name=xml_safe(code.name))
        element.set("isCodable", "true" if code.codable else "false")
        if code.color:
            element.set("color", code.color)
        if code.description:
            _sub(element, "Description").text = xml_safe(code.description)
        pending.extend((element, child) for child in children.get(code.guid, []))


def _text_source(parent: etree._Element, source: QdaSource) -> None:
    element = _sub(parent, "TextSource", guid=source.guid, name=xml_safe(source.name))
    element.set("plainTextPath", f"{INTERNAL}{source.guid}.txt")
    _stamps(element, source.creating_user, source.created, source.modified)
    if source.description:
        _sub(element, "Description").text = xml_safe(source.description)
    for selection in source.selections:
        item = _sub(
            element,
            "PlainTextSelection",
            guid=selection.guid,
            name=xml_safe(selection.exact),
            startPosition=str(selection.start),
            endPosition=str(selection.end),
        )
        _stamps(item, selection.creating_user, selection.created, selection.modified)
        if selection.description:
            _sub(item, "Description").text = xml_safe(selection.description)
        for code in selection.code_guids:
            coding = _sub(item, "Coding", guid=our_guid("coding", f"{selection.guid}:{code}"))
            if selection.creating_user:
                coding.set("creatingUser", selection.creating_user)
            if selection.created:
                coding.set("creationDateTime", selection.created)
            _sub(coding, "CodeRef", targetGUID=code)


def _stamps(
    element: etree._Element, user: str | None, created: str | None, modified: str | None
) -> None:
    if user:
        element.set("creatingUser", user)
    if created:
        element.set("creationDateTime", created)
    if user and modified:
        element.set("modifyingUser", user)
    if modified:
        element.set("modifiedDateTime", modified)


def _bytes(root: etree._Element) -> bytes:
    from lxml import etree

    data: bytes = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True, standalone=True
    )
    return data
