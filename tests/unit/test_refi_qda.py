"""REFI-QDA: .qdpx projects and .qdc codebooks both ways, valid against the standard's
schemas (shipped in resources/interchange/refi-qda/), other tools' shapes read, hostile
files refused in one line."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from workstation.domain.records import Annotation, Category, Document, ForeignId, Orphan
from workstation.importers.base import DocumentDraft
from workstation.interchange.refi_qda import our_guid
from workstation.interchange.refi_qda_read import RefiFileError, read_qdpx
from workstation.resource_files import resource_path
from workstation.services import create_session
from workstation.services.outcome import ServiceError
from workstation.services.refi_qda import (
    export_codebook,
    export_project,
    import_codebook,
    import_project,
)

NS = "{urn:QDA-XML:project:1.0}"
RU_TEXT = "Лавров заявил: Москва ответит 😀 зеркально.\nНовые санкции против России."


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(resource_path("interchange", "refi-qda", name))))


def passages(session) -> list[Annotation]:
    return [a for a in session.workspace.records.where(Annotation) if not a.mention_only]


def add_russian(session) -> tuple[Document, Annotation]:
    """A document with an emoji (one code point, two UTF-16 units) before a noted passage
    whose category is a child of another."""
    document = session.documents.add(
        DocumentDraft(title="Лавров", text=RU_TEXT, origin_name="ru.txt")
    ).record
    parent = session.codebook.by_name("Countermeasure")
    child = session.codebook.create(
        "Ответ: меры", colour="#123abc", description="зеркальный ответ", parent_id=parent.id
    ).record
    start = RU_TEXT.index("зеркально")
    passage = session.annotations.create(
        document.id, start, start + len("зеркально"), category_id=child.id, note="Заметка"
    ).record
    return document, passage


def signature(session) -> set[tuple]:
    """What a round trip must keep: text, span, category, note, author of every passage."""
    records = session.workspace.records
    sha = {d.id: d.sha256 for d in records.where(Document)}
    names = {c.id: c.name for c in records.where(Category)}
    return {
        (sha[a.document_id], a.start, a.end, a.exact, names.get(a.category_id or ""), a.note,
         a.author)
        for a in passages(session)
    }  # fmt: skip


@pytest.fixture
def exported(sample_session, tmp_path):
    add_russian(sample_session)
    out = tmp_path / "sample.qdpx"
    summary = export_project(sample_session, out)
    return sample_session, out, summary


def test_the_export_is_valid_against_the_standards_project_schema(exported):
    session, out, summary = exported
    with zipfile.ZipFile(out) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        names = archive.namelist()
    project_schema = schema("Project.xsd")
    assert project_schema.validate(root), project_schema.error_log
    assert root.tag == f"{NS}Project"
    assert summary.format == "qdpx" and summary.passages == len(passages(session)) == 32
    assert "3 documents, 32 passages and 9 categories" in summary.describe()
    sources = root.findall(f"{NS}Sources/{NS}TextSource")
    assert sorted(names) == sorted(
        ["project.qde"] + [f"sources/{s.get('guid')}.txt" for s in sources]
    )


def test_selections_count_code_points_in_the_shipped_text(exported):
    _, out, _ = exported
    with zipfile.ZipFile(out) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        checked = 0
        for source in root.iter(f"{NS}TextSource"):
            text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
            for selection in source.iter(f"{NS}PlainTextSelection"):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                assert text[start:end] == selection.get("name")
                checked += 1
    assert checked == 32
    ru = next(s for s in root.iter(f"{NS}TextSource") if s.get("name") == "Лавров")
    (selection,) = ru.iter(f"{NS}PlainTextSelection")
    assert int(selection.get("startPosition")) == RU_TEXT.index("зеркально")  # not UTF-16
    assert selection.findtext(f"{NS}Description") == "Заметка"
    code = selection.find(f"{NS}Coding/{NS}CodeRef").get("targetGUID")
    parent = next(c for c in root.iter(f"{NS}Code") if c.get("name") == "Countermeasure")
    (child,) = parent.findall(f"{NS}Code")  # the category's parent encloses it
    assert child.get("guid") == code and child.get("color") == "#123abc"


def test_the_same_workspace_exports_the_same_bytes(exported, tmp_path):
    session, out, _ = exported
    again = tmp_path / "again.qdpx"
    export_project(session, again)
    assert again.read_bytes() == out.read_bytes()


def test_round_trip_into_a_fresh_workspace_keeps_passages_categories_notes_authors(
    exported, tmp_path
):
    session, out, _ = exported
    expected = signature(session)
    colours = {c.name: (c.colour, c.description) for c in session.codebook.list_categories()}
    with create_session(tmp_path / "fresh.sqlite", author="reader") as fresh:
        report = import_project(fresh, out)
        assert report.errors == [] and report.orphans == 0
        assert (report.placed, report.documents_added, report.categories_added) == (32, 3, 1)
        assert signature(fresh) == expected  # "tester" kept as the claimed author
        got = {c.name: (c.colour, c.description) for c in fresh.codebook.list_categories()}
        assert got == colours
        child = fresh.codebook.by_name("Ответ: меры")
        assert child.parent_id == fresh.codebook.by_name("Countermeasure").id
        assert report.changes.count(Annotation) == 32  # for the GUI's one undo step
        imported = passages(fresh)[0]
        assert imported.imported_by == "reader" and imported.claimed["author"] == "tester"
        mapped = list(fresh.workspace.records.where(ForeignId, {"scheme": "refi-qda"}))
        assert len(mapped) == 32 + 3 + 9

        again = import_project(fresh, out)  # nothing new the second time
        assert (again.placed, again.already, again.documents_added) == (0, 32, 0)
        assert again.categories_added == 0 and len(passages(fresh)) == 32
        assert len(again.changes) == 0  # not even another tool's id recorded twice


def test_import_into_the_workspace_it_came_from_adds_nothing(exported):
    session, out, _ = exported
    before = signature(session)
    report = import_project(session, out)
    assert (report.placed, report.already, report.documents_matched) == (0, 32, 3)
    assert signature(session) == before


def test_codebook_both_ways_and_a_known_category_is_never_rewritten(sample_session, tmp_path):
    add_russian(sample_session)
    out = tmp_path / "codes.qdc"
    summary = export_codebook(sample_session, out)
    assert summary.describe().startswith("exported 9 categories as a REFI-QDA codebook")
    codebook_schema = schema("Codebook.xsd")
    assert codebook_schema.validate(etree.parse(str(out))), codebook_schema.error_log
    with create_session(tmp_path / "fresh.sqlite", author="reader") as fresh:
        sanction = fresh.codebook.by_name("Sanction")
        fresh.codebook.edit(sanction.id, colour="#000000")
        report = import_codebook(fresh, out)
        assert (report.categories_added, report.categories_matched) == (1, 8)
        assert fresh.codebook.by_name("Sanction").colour == "#000000"  # kept
        assert any("Sanction" in line and "#ff6625" in line for line in report.note_lines())
        assert fresh.codebook.by_name("Ответ: меры").colour == "#123abc"
        again = import_codebook(fresh, out)
        assert (again.categories_added, again.categories_matched) == (0, 9)


# The codebook of the REFI-QDA 1.5 document's Annex A, Example 1 (MIT licence, see
# resources/interchange/refi-qda/README.md): GUIDs in braces, non-codable groups, colours.
STANDARD_CODEBOOK = """<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" xmlns:qda="urn:QDA-XML:codebook:1.0"
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:codebook:1.0
 http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd">
<Codes>
<Code guid="{5215cc69-b628-4e02-afb9-9beeaee55808}" name="Topics" isCodable="false">
</Code>
<Code guid="{d7aa29da-519b-4946-9b90-253b6db8fd0a}" name="Economy" isCodable="true"
color="#ffff00">
<Description>Anything about jobs or taxes or business</Description>
</Code> <Code guid="{0dcef2f5-e55c-49da-8c33-9b0803c7aeb4}" name="Health care"
isCodable="true" color="#33cc33">
<Description>Health care issues, doctor, patients, etc.</Description>
</Code>
<Code guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" name="Values" isCodable="false">
</Code>
<Code guid="{7c108712-b650-4892-ac0b-fc9a10190c3b}" name="Conservatives" isCodable="true"
color="#ff0000">
<Description>Republicans or right-wing libertarians</Description>
</Code>
<Code guid="{12365523-1035-4afa-9e7b-281fe0bc51c5}" name="Liberals" isCodable="true"
color="#0000ff">
<Description>Democrats, socialists, or progressive independents</Description>
</Code>
</Codes>
</CodeBook>
"""


def test_the_standards_example_codebook_is_valid_and_imported(session, tmp_path):
    path = tmp_path / "example.qdc"
    path.write_text(STANDARD_CODEBOOK, encoding="utf-8")
    assert schema("Codebook.xsd").validate(etree.parse(str(path)))
    report = import_codebook(session, path)
    assert report.errors == [] and report.categories_added == 6
    economy = session.codebook.by_name("Economy")
    assert economy.colour == "#ffff00" and economy.description.startswith("Anything about")
    assert import_codebook(session, path).categories_added == 0


# -- another tool's project ---------------------------------------------------------------------

GUIDS = {k: f"{{{i:08X}-D5CD-4ADB-8B71-B4F3459C177F}}" for i, k in enumerate(
    ["user", "group", "code1", "code2", "src", "pic", "sel1", "sel2", "sel3", "sel4", "note",
     "case", "src2"], start=1)}  # fmt: skip
# Written as a Windows tool would: CRLF, leading blank line (our bodies are stored trimmed,
# so every offset moves), a BOM.
FOREIGN_TEXT = "\r\nThe ministry said sanctions were coming.\r\nMoscow will answer in kind."


def foreign_project(text: str = FOREIGN_TEXT, **replace: str) -> str:
    inclusive_end = text.index("Moscow") + len("Moscow") - 1
    sanctions = text.index("sanctions")
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" origin="MAXQDA 2022"
 name="colleague" creatingUserGUID="{GUIDS["user"]}" xmlns="urn:QDA-XML:project:1.0">
  <Users><User guid="{GUIDS["user"]}" name="Enric" /></Users>
  <CodeBook><Codes>
    <Code guid="{GUIDS["group"]}" name="Commits" isCodable="true">
      <Code guid="{GUIDS["code1"]}" name="SANCTION" isCodable="true" color="#F00" />
      <Code guid="{GUIDS["code2"]}" name="Moscow reply" isCodable="true" />
    </Code>
  </Codes></CodeBook>
  <Cases><Case guid="{GUIDS["case"]}" name="Russia" /></Cases>
  <Sources>
    <TextSource guid="{GUIDS["src"]}" name="notes.txt"
     plainTextPath="internal://{GUIDS["src"].strip("{}")}.TXT"
     creatingUser="{GUIDS["user"]}" creationDateTime="2023-08-16T15:49:36Z">
      <PlainTextSelection guid="{GUIDS["sel1"]}" name="sanctions"
       startPosition="{sanctions}" endPosition="{sanctions + 9}"
       creatingUser="{GUIDS["user"]}" creationDateTime="2023-08-16T15:50:00Z">
        <Description>memo</Description>
        <Coding guid="{GUIDS["sel2"]}"><CodeRef targetGUID="{GUIDS["code1"]}" /></Coding>
        <Coding guid="{GUIDS["sel3"]}"><CodeRef targetGUID="{GUIDS["code2"]}" /></Coding>
        <NoteRef targetGUID="{GUIDS["note"]}" />
      </PlainTextSelection>
      <PlainTextSelection guid="{GUIDS["sel2"]}" name="Moscow"
       startPosition="{text.index("Moscow")}" endPosition="{inclusive_end}">
        <Coding guid="{GUIDS["sel4"]}"><CodeRef targetGUID="{GUIDS["code2"]}" /></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{GUIDS["sel3"]}" startPosition="5" endPosition="9000" />
      <PlainTextSelection guid="{GUIDS["sel4"]}" startPosition="3" endPosition="8">
        <Coding guid="{GUIDS["sel1"]}"><CodeRef targetGUID="{GUIDS["case"]}" /></Coding>
      </PlainTextSelection>
    </TextSource>
    <PictureSource guid="{GUIDS["pic"]}" name="photo.jpg" path="internal://x.jpg" />
    <TextSource guid="{GUIDS["src2"]}" name="escape" plainTextPath="internal://../../etc/passwd" />
  </Sources>
  <Notes>
    <Note guid="{GUIDS["note"]}" name="n"><PlainTextContent>A linked note</PlainTextContent></Note>
  </Notes>
</Project>"""
    for old, new in replace.items():
        xml = xml.replace(old, new)
    return xml


def write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_another_tools_project_is_read_and_each_item_not_taken_is_listed(session, tmp_path):
    path = write_zip(tmp_path / "colleague.qdpx", {
        "Project.qde": foreign_project(),
        f"Sources/{GUIDS['src'].strip('{}')}.TXT": "\ufeff" + FOREIGN_TEXT,
    })  # fmt: skip
    report = import_project(session, path)
    errors = " | ".join(report.error_lines())
    assert "9000" in errors and "do not fit its text" in errors  # out of range: listed
    assert "is not in the codebook" in errors  # a CodeRef naming a Case
    assert "not a file name in sources/" in errors or "etc/passwd" in errors
    notes = " | ".join(report.note_lines())
    assert "PictureSource «photo.jpg»" in notes and "<Cases>" in notes
    assert report.documents_added == 1 and report.categories_added == 2  # SANCTION is known
    assert "file gives it colour #ff0000 (here #ff6625)" in notes  # and kept as it is
    (document,) = session.workspace.records.where(Document)
    assert document.body == normalize(FOREIGN_TEXT) and document.title == "notes"
    by_exact = {a.exact: a for a in passages(session)}
    assert set(by_exact) == {"sanctions", "Moscow", "he mi"}
    first = by_exact["sanctions"]
    assert first.category_id == session.codebook.by_name("sanction").id  # first code
    assert first.tags == ["Moscow reply"]  # further codes: tags
    assert first.note == "memo\n\nA linked note" and first.claimed["author"] == "Enric"
    assert session.codebook.by_name("Moscow reply").parent_id == (
        session.codebook.by_name("Commits").id
    )
    assert report.reanchored == 3 and report.placed == 0  # offsets moved by the trimmed \r\n
    again = import_project(session, path)
    assert again.already == 3 and again.placed + again.reanchored == 0


def test_atlas_ti_counts_a_windows_line_end_as_one_character(session, tmp_path):
    """ATLAS.ti 23's header, positions counted with CRLF as one character (as QualCoder's
    importer allows for): the quotes land on the same words."""
    guid = GUIDS["src"].strip("{}")
    xml = foreign_project(
        FOREIGN_TEXT.replace("\r\n", "\n"), **{"MAXQDA 2022": "ATLAS.ti for Windows 23.2.3.27778"}
    )
    path = write_zip(
        tmp_path / "atlas.qdpx", {"project.qde": xml, f"sources/{guid}.TXT": FOREIGN_TEXT}
    )
    import_project(session, path)
    assert {"sanctions", "Moscow"} <= {a.exact for a in passages(session)}


def test_a_title_with_a_slash_is_no_path_in_the_export(session, tmp_path):
    document = session.documents.add(
        DocumentDraft(title="US/Russia: sanctions", text="Some text here.", origin_name="x")
    ).record
    session.annotations.create(document.id, 0, 4)
    export_project(session, tmp_path / "p.qdpx")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        root = etree.fromstring(archive.read("project.qde"))
    assert root.find(f"{NS}Sources/{NS}TextSource").get("name") == "US-Russia: sanctions"


def normalize(text: str) -> str:
    from workstation.domain.offsets import normalize_body

    return normalize_body(text)


def test_codes_match_categories_by_name_whatever_the_case(session, tmp_path):
    xml = foreign_project(SANCTION="sanction")
    path = write_zip(tmp_path / "p.qdpx", {
        "project.qde": xml, f"sources/{GUIDS['src'].strip('{}')}.txt": FOREIGN_TEXT})  # fmt: skip
    before = session.codebook.by_name("Sanction")
    import_project(session, path)
    first = next(a for a in passages(session) if a.exact == "sanctions")
    assert first.category_id == before.id


# -- hostile files ---------------------------------------------------------------------------


def refused(session, path: Path, *words: str) -> str:
    with pytest.raises(ServiceError) as caught:
        import_project(session, path)
    message = str(caught.value)
    assert "\n" not in message and all(w in message for w in words), message
    assert session.workspace.records.count(Document) == 0
    return message


def test_not_a_zip_and_no_project_file_are_refused(session, tmp_path):
    text = tmp_path / "a.qdpx"
    text.write_text("hello")
    refused(session, text, "not a zip")
    empty = write_zip(tmp_path / "b.qdpx", {"other.xml": "<x/>"})
    refused(session, empty, "no project.qde")
    wrong = write_zip(tmp_path / "c.qdpx", {"project.qde": "<CodeBook/>"})
    refused(session, wrong, "not <Project>")
    broken = write_zip(tmp_path / "d.qdpx", {"project.qde": "<Project><Users>"})
    refused(session, broken, "not well-formed")


def test_a_zip_bomb_stops_at_the_limit(session, tmp_path, monkeypatch):
    from workstation.interchange import refi_qda_read

    monkeypatch.setattr(refi_qda_read, "MAX_PROJECT_BYTES", 4 * 1024 * 1024)
    bomb = tmp_path / "bomb.qdpx"
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("project.qde", "w") as member,  # 64 MB of spaces, ~64 KB zipped
    ):
        for _ in range(64):
            member.write(b" " * (1 << 20))
    assert bomb.stat().st_size < 1024 * 1024
    refused(session, bomb, "project.qde", "more than 4 MB unzipped")


def test_too_many_members_are_refused_before_any_is_read(session, tmp_path, monkeypatch):
    from workstation.interchange import refi_qda_read

    monkeypatch.setattr(refi_qda_read, "MAX_MEMBERS", 10)
    path = write_zip(tmp_path / "many.qdpx", {f"sources/{i}.txt": "x" for i in range(11)})
    refused(session, path, "11 files in the zip")


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
        '<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE Project SYSTEM "http://example.invalid/evil.dtd">',
    ],
)
def test_entity_tricks_are_refused(session, tmp_path, declaration):
    xml = f'<?xml version="1.0"?>{declaration}<Project name="&d;&x;"/>'.replace("&d;&x;", "p")
    path = write_zip(tmp_path / "e.qdpx", {"project.qde": xml})
    refused(session, path, "DOCTYPE")


def test_unsafe_member_names_are_never_read_and_are_listed(session, tmp_path):
    xml = foreign_project().replace(
        f"internal://{GUIDS['src'].strip('{}')}.TXT", "internal://../evil.txt"
    )
    path = write_zip(tmp_path / "t.qdpx", {"project.qde": xml, "../evil.txt": FOREIGN_TEXT,
                                           "/abs.txt": "x"})  # fmt: skip
    report = import_project(session, path)
    assert any("'../evil.txt' has an unsafe name" in line for line in report.note_lines())
    assert any("'/abs.txt' has an unsafe name" in line for line in report.note_lines())
    assert any("not a file name in sources/" in line for line in report.error_lines())
    assert session.workspace.records.count(Document) == 0


def test_special_files_are_refused(session, tmp_path):
    fifo = tmp_path / "pipe.qdpx"
    os.mkfifo(fifo)
    refused(session, fifo, "not a regular file")
    refused(session, tmp_path, "not a regular file")


def test_a_changed_text_of_a_known_source_keeps_what_no_longer_fits_as_an_orphan(session, tmp_path):
    """The colleague edited the source since the last import: its GUID finds the document
    imported then; a selection whose quote is not in that text is kept for review."""
    guid = GUIDS["src"].strip("{}")
    xml = foreign_project()
    path = write_zip(tmp_path / "p.qdpx", {"project.qde": xml, f"sources/{guid}.txt": FOREIGN_TEXT})
    import_project(session, path)
    edited = FOREIGN_TEXT.replace("sanctions", "penalties")
    path2 = write_zip(tmp_path / "q.qdpx", {
        "project.qde": xml.replace(GUIDS["sel1"], "{AAAAAAAA-D5CD-4ADB-8B71-B4F3459C177F}"),
        f"sources/{guid}.txt": edited})  # fmt: skip
    report = import_project(session, path2)
    assert (report.documents_added, report.documents_matched) == (0, 1)
    assert report.orphans == 1 and report.already == 2
    (orphan,) = session.workspace.records.where(Orphan)
    assert orphan.exact == "penalties" and "quote not found" in orphan.reason


def test_read_qdpx_needs_a_zip(tmp_path):
    with pytest.raises(RefiFileError):
        read_qdpx(io.BytesIO(b"PK not really"))


def test_guids_we_write_are_stable_per_record():
    assert our_guid("category", "x") == our_guid("category", "x") != our_guid("document", "x")


def test_millions_of_tiny_elements_stop_at_the_element_limit(session, tmp_path, monkeypatch):
    from workstation.interchange import refi_qda_read

    monkeypatch.setattr(refi_qda_read, "MAX_ELEMENTS", 50_000)
    xml = '<Project name="p"><Users>' + "<a/>" * 60_000 + "</Users></Project>"
    path = write_zip(tmp_path / "tiny.qdpx", {"project.qde": xml})
    refused(session, path, "more than 50,000 XML elements")


def test_billion_laughs_used_in_the_text_is_refused_quickly(session, tmp_path):
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 12)
    )
    xml = f'<?xml version="1.0"?><!DOCTYPE Project [{entities}]><Project name="p">&l11;</Project>'
    path = write_zip(tmp_path / "lol.qdpx", {"project.qde": xml})
    refused(session, path, "project.qde")
