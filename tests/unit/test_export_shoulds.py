"""W3C export (issue 17): the Web Annotation model's SHOULDs, checked by the W3C test suite.

The suite's own runner (``../shared/peers/w3c-conformance/run.py``) applies every assertion
of the W3C annotation tests to an export of the sample; it must report no MUST failure and
the SHOULD rows this export now meets must pass on every line. The peers folder is read in
place and never written (the runner only reads it).
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.helpers.cli import run
from tests.helpers.interchange_bundle import build_sample, passage
from tests.helpers.peers import PEERS as PEERS_ROOT
from workstation import __version__
from workstation.domain.records import Mention
from workstation.interchange import parse_w3c_line, validate_w3c, write_w3c
from workstation.interchange.w3c import author_iri

PEERS = PEERS_ROOT
SUITE = PEERS / "w3c-conformance"

# The SHOULD (and MAY) rows that failed on every line before issue 17 and pass now.
FIXED_ROWS = [
    "3.3.2-annotationCreatorAgentIdImplemented.json",
    "3.3.2-annotationCreatorAgentNicknameImplemented.json",
    "3.3.2-annotationGeneratorAgentIdImplemented.json",
    "3.3.2-annotationGeneratorAgentTypeImplemented.json",
    "3.3.2-annotationGeneratorAgentNicknameImplemented.json",
    "3.3.2-annotationGeneratorAgentSingleNameImplemented.json",
    "3.3.2-annotationGeneratorAgentNameImplemented.json",
    "3.3.1-annotationGeneratorImplemented.json",
    "3.3.5-annotationSingleMotivationImplemented.json",
    "3.3.5-annotationMotivationImplemented.json",
    "3.2.1-bodySingleFormat.json",
    "3.2.1-bodyFormat.json",
    "3.2.1-bodySingleLanguage.json",
    "3.2.1-bodyLanguage.json",
    "3.2.1-targSingleFormat.json",
    "3.2.1-targFormat.json",
    "3.2.1-targSingleLanguage.json",
    "3.2.1-targLanguage.json",
]


def suite_rows(export: Path, tmp_path: Path) -> tuple[str, dict[str, dict]]:
    """The runner's printed output and its rows by assertion file name."""
    assert (SUITE / "run.py").is_file(), f"the W3C test suite is missing: {SUITE}"
    table = tmp_path / "rows.json"
    done = subprocess.run(
        [sys.executable, str(SUITE / "run.py"), str(export), "--json", str(table)],
        capture_output=True,
        text=True,
        check=False,
    )
    rows = {Path(row["assertion"]).name: row for row in json.loads(table.read_text())}
    return done.stdout, rows


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def test_sample_export_passes_every_must_and_the_shoulds_it_claims(capsys, sample_path, tmp_path):
    out = tmp_path / "sample.jsonl"
    code, _, err = run(capsys, "--workspace", sample_path, "export", "--format", "w3c",
                             "--out", out, "--body-language", "en")  # fmt: skip
    assert code == 0 and not err, err
    items = lines_of(out)
    assert len(items) == 31 and all(validate_w3c(item) == [] for item in items)

    printed_by_suite, rows = suite_rows(out, tmp_path)
    assert printed_by_suite.rstrip().endswith("MUST failures: 0")
    assert not [name for name, row in rows.items() if row["type"] == "must" and row["fail"]]
    for name in FIXED_ROWS:
        assert rows[name]["fail"] == 0 and rows[name]["pass"] == 31, (name, rows[name])

    # The selectors still agree with the stored bodies (the peers' own checker).
    checked = subprocess.run(
        [sys.executable, str(SUITE / "check_selectors.py"), str(sample_path), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "31 annotations, 0 with selector problems" in checked.stdout, checked.stdout


def test_a_body_claims_no_language_unless_the_officer_says_which(tmp_path):
    sample = build_sample()
    write_w3c(sample.bundle, tmp_path / "plain.jsonl")
    items = lines_of(tmp_path / "plain.jsonl")
    assert all("language" not in body for item in items for body in item.get("body", []))
    assert {item["target"]["language"] for item in items} == {"en", "ru"}
    assert {item["target"]["format"] for item in items} == {"text/plain"}
    _, rows = suite_rows(tmp_path / "plain.jsonl", tmp_path)
    assert rows["3.2.1-bodySingleLanguage.json"]["pass"] == 0  # nothing claimed, nothing passed

    sample.bundle.body_language = "en"
    write_w3c(sample.bundle, tmp_path / "en.jsonl")
    items = lines_of(tmp_path / "en.jsonl")
    text_bodies = [b for i in items for b in i.get("body", []) if "value" in b]
    assert text_bodies and {b["language"] for b in text_bodies} == {"en"}
    assert {b["format"] for b in text_bodies} == {"text/plain"}


def test_a_stored_language_that_is_no_language_tag_is_not_claimed(tmp_path):
    sample = build_sample()
    sample.en.language = "English (UK)"
    write_w3c(sample.bundle, tmp_path / "out.jsonl")
    items = lines_of(tmp_path / "out.jsonl")
    english = [i for i in items if i["target"]["source"] == f"urn:uuid:{sample.en.id}"]
    assert english and all("language" not in i["target"] for i in english)
    assert all(validate_w3c(item) == [] for item in items)


def test_the_creator_iri_is_the_same_for_the_same_name_on_any_machine(tmp_path):
    # Pinned: another machine, or a later version, must give the same IRI for this name.
    assert author_iri("officer.one") == "urn:workstation:author:8009b8bfcb348260430fdcfd5b55c57a"
    decomposed = unicodedata.normalize("NFD", "Ёлкин")
    assert decomposed != "Ёлкин" and author_iri(decomposed) == author_iri("Ёлкин")
    assert author_iri(" officer.one ") == author_iri("officer.one")
    assert author_iri("officer.two") != author_iri("officer.one")
    assert author_iri("Ёлкин").isascii()

    sample = build_sample()
    sample.dash.author = "Ёлкин"
    write_w3c(sample.bundle, tmp_path / "one.jsonl")
    write_w3c(sample.bundle, tmp_path / "two.jsonl")
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    creators = {i["creator"]["name"]: i["creator"] for i in lines_of(tmp_path / "one.jsonl")}
    assert creators["Ёлкин"] == {
        "id": author_iri("Ёлкин"),
        "type": "Person",
        "name": "Ёлкин",
        "nickname": "Ёлкин",
    }
    assert creators["officer.one"]["id"] == author_iri("officer.one")


def test_the_generator_names_the_workstation_and_its_version(tmp_path):
    write_w3c(build_sample().bundle, tmp_path / "out.jsonl")
    generators = {json.dumps(i["generator"]) for i in lines_of(tmp_path / "out.jsonl")}
    assert [json.loads(g) for g in generators] == [
        {
            "id": f"urn:workstation:software:{__version__}",
            "type": "Software",
            "name": "workstation",
            "nickname": "workstation",
            "version": __version__,
        }
    ]


def test_each_passage_says_what_it_mainly_does_and_only_a_mention_identifies(tmp_path):
    sample = build_sample()
    en = sample.en
    tagged = passage(en, "On 15 April 2021", tags=["Kremlin"])
    noted = passage(en, "imposed new", note="check the date")
    mention = passage(en, "Russia", mention_only=True)
    sample.bundle.annotations += [tagged, noted, mention]
    sample.bundle.mentions.append(Mention(annotation_id=mention.id, entity_id=sample.russia.id))
    # A bare highlight with an entity linked is still a passage, not a mention.
    highlighted = next(a for a in sample.bundle.annotations if a.exact.startswith("expelled"))
    sample.bundle.mentions.append(Mention(annotation_id=highlighted.id, entity_id=sample.russia.id))
    path = tmp_path / "out.jsonl"
    write_w3c(sample.bundle, path)
    by_id = {i["id"].removeprefix("urn:uuid:"): i for i in lines_of(path)}
    assert by_id[sample.sanctions.id]["motivation"] == "classifying"
    assert by_id[tagged.id]["motivation"] == "tagging"
    assert by_id[noted.id]["motivation"] == "commenting"
    assert by_id[highlighted.id]["motivation"] == "highlighting"
    assert by_id[mention.id]["motivation"] == "identifying"
    assert all(validate_w3c(item) == [] for item in by_id.values())

    lines = {
        json.loads(line)["id"].removeprefix("urn:uuid:"): line
        for line in path.read_text(encoding="utf-8").split("\n")
        if line
    }
    assert parse_w3c_line(lines[mention.id]).mention_only
    for passage_id in (sample.sanctions.id, tagged.id, noted.id, highlighted.id):
        assert not parse_w3c_line(lines[passage_id]).mention_only


def test_extra_tags_follow_the_category_as_tagging_bodies(tmp_path):
    sample = build_sample()
    sample.sanctions.tags = ["Kremlin", "Sanction", "  ", "EO 14024", "Kremlin"]
    write_w3c(sample.bundle, tmp_path / "out.jsonl")
    (item,) = [
        i for i in lines_of(tmp_path / "out.jsonl") if i["id"] == f"urn:uuid:{sample.sanctions.id}"
    ]
    tags = [b["value"] for b in item["body"] if b.get("purpose") == "tagging"]
    assert tags == ["Sanction", "Kremlin", "EO 14024"]  # the category first, no repeats
    assert item["motivation"] == "classifying"
    assert {"Sanction", "Kremlin", "EO 14024"} <= set(parse_w3c_line(json.dumps(item)).tags)


@pytest.mark.parametrize("language", ["xx", "not a language"])
def test_an_unknown_body_language_is_refused_before_anything_is_written(
    capsys, sample_path, tmp_path, language
):
    out = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "--workspace", sample_path, "export", "--format", "w3c",
                       "--out", out, "--body-language", language)  # fmt: skip
    assert code == 1 and "unknown" in err and err.count("\n") == 1
    assert not out.exists() and not list(tmp_path.glob("*.partial"))
