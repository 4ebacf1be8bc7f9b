"""``workstation export --format qdpx|qdc`` and ``import-annotations FILE.qdpx|.qdc`` as an
officer runs them: a colleague's coding brought in, ours handed to a researcher."""

from __future__ import annotations

import zipfile

from lxml import etree

from tests.helpers.cli import run
from workstation.domain.records import Annotation
from workstation.resource_files import resource_path
from workstation.services import create_session, open_session


def valid(name: str, document: etree._Element) -> bool:
    path = resource_path("interchange", "refi-qda", name)
    return etree.XMLSchema(etree.parse(str(path))).validate(document)


def test_project_out_and_into_a_fresh_workspace(capsys, sample_path, tmp_path):
    out = tmp_path / "sample.qdpx"
    code, printed, err = run(capsys, "--workspace", sample_path, "export", "--format", "qdpx",
                             "--out", out)  # fmt: skip
    assert code == 0 and not err
    assert "2 documents, 31 passages and 8 categories" in printed and str(out) in printed
    with zipfile.ZipFile(out) as archive:
        assert valid("Project.xsd", etree.fromstring(archive.read("project.qde")))
    assert not list(tmp_path.glob("*.partial"))

    fresh = tmp_path / "fresh.sqlite"
    create_session(fresh, author="researcher").close()
    code, printed, err = run(capsys, "--workspace", fresh, "import-annotations", out)
    assert code == 0 and not err
    assert "31 passages imported, 0 already present, 0 kept as orphans" in printed
    assert "2 documents added" in printed
    with open_session(sample_path) as ours, open_session(fresh) as theirs:
        spans = {
            (a.exact, a.start, a.end, a.note) for a in ours.workspace.records.where(Annotation)
        }
        back = {
            (a.exact, a.start, a.end, a.note) for a in theirs.workspace.records.where(Annotation)
        }
        assert back == spans

    code, printed, _ = run(capsys, "--workspace", fresh, "import-annotations", out)
    assert code == 0 and "0 passages imported, 31 already present" in printed


def test_codebook_out_and_in(capsys, sample_path, tmp_path):
    out = tmp_path / "codes.qdc"
    code, printed, _ = run(capsys, "--workspace", sample_path, "export", "--format", "qdc",
                           "--out", out)  # fmt: skip
    assert code == 0 and "8 categories as a REFI-QDA codebook" in printed
    assert valid("Codebook.xsd", etree.parse(str(out)))
    fresh = tmp_path / "fresh.sqlite"
    create_session(fresh, author="researcher").close()
    code, printed, _ = run(capsys, "--workspace", fresh, "import-annotations", out)
    assert code == 0 and "0 categories added, 8 already known" in printed


def test_a_bad_project_is_one_line_and_exit_1(capsys, sample_path, tmp_path):
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip at all")
    code, printed, err = run(capsys, "--workspace", sample_path, "import-annotations", bad)
    assert code == 1 and err.count("\n") == 1 and "not a zip archive" in err

    partly = tmp_path / "partly.qdpx"
    xml = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>'
        '<TextSource guid="11111111-2222-3333-4444-555555555555" name="t">'
        "<PlainTextContent>Sanctions were announced today.</PlainTextContent>"
        '<PlainTextSelection guid="11111111-2222-3333-4444-666666666666" startPosition="0" '
        'endPosition="9"/>'
        '<PlainTextSelection guid="11111111-2222-3333-4444-777777777777" startPosition="20" '
        'endPosition="999"/>'
        "</TextSource></Sources></Project>"
    )
    with zipfile.ZipFile(partly, "w") as archive:
        archive.writestr("project.qde", xml)
    code, printed, err = run(capsys, "--workspace", sample_path, "import-annotations", partly)
    assert code == 1 and "1 passage imported" in printed  # the good one stays
    assert "line 1:" in err and "20–999 do not fit" in err and err.count("\n") == 1
