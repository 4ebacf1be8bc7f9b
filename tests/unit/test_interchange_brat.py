"""brat standoff export: files brat can open, spans that match the text by code points."""

from __future__ import annotations

import filecmp
from pathlib import Path

from tests.helpers.interchange_bundle import EN_BODY, RU_BODY, build_sample
from workstation.interchange import write_brat
from workstation.interchange.brat import brat_type, fragments


def export(folder: Path, sample=None):
    sample = sample or build_sample()
    count = write_brat(sample.bundle, folder)
    return sample, count


def pair(folder: Path, document) -> tuple[str, list[list[str]]]:
    (txt,) = folder.glob(f"*-{document.id[:8]}.txt")
    ann = txt.with_suffix(".ann")
    text = txt.read_bytes().decode("utf-8")
    rows = [line.split("\t") for line in ann.read_text(encoding="utf-8").splitlines()]
    return text, rows


def spans(rows: list[list[str]]) -> dict[str, tuple[str, list[tuple[int, int]], str]]:
    """T id → (type, fragments, text field)."""
    result = {}
    for row in rows:
        if row[0].startswith("T"):
            kind, _, offsets = row[1].partition(" ")
            pieces = [tuple(map(int, piece.split(" "))) for piece in offsets.split(";")]
            result[row[0]] = (kind, pieces, row[2])
    return result


def test_folder_holds_a_text_and_annotation_pair_per_document_and_the_configuration(tmp_path):
    sample, count = export(tmp_path)
    assert count == 2
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        [
            "annotation.conf",
            "tools.conf",
            "visual.conf",
            f"us-sanctions-russia-{sample.en.id[:8]}.txt",
            f"us-sanctions-russia-{sample.en.id[:8]}.ann",
            f"лавров-москва-ответит-{sample.ru.id[:8]}.txt",
            f"лавров-москва-ответит-{sample.ru.id[:8]}.ann",
        ]
    )
    raw = (tmp_path / f"лавров-москва-ответит-{sample.ru.id[:8]}.txt").read_bytes()
    assert raw == RU_BODY.encode("utf-8")  # no BOM, \n kept, nothing added
    assert b"\r" not in raw


def test_every_span_matches_the_text_at_its_code_point_offsets(tmp_path):
    sample, _ = export(tmp_path)
    checked = 0
    for document in (sample.ru, sample.en):
        text, rows = pair(tmp_path, document)
        for _kind, pieces, field in spans(rows).values():
            assert field == " ".join(text[s:e] for s, e in pieces)
            for s, e in pieces:
                assert s < e and "\n" not in text[s:e] and "\t" not in text[s:e]
            checked += 1
    assert checked == 7
    text, rows = pair(tmp_path, sample.ru)
    after_emoji = next(v for v in spans(rows).values() if v[2] == "зеркально")
    start = RU_BODY.index("зеркально")
    assert after_emoji[1] == [(start, start + len("зеркально"))]
    assert text.index("зеркально") == start


def test_a_span_across_lines_becomes_fragments_split_at_breaks(tmp_path):
    sample, _ = export(tmp_path)
    _, rows = pair(tmp_path, sample.ru)
    (across,) = [v for v in spans(rows).values() if v[0] == "Expulsion"]
    start = sample.across_lines.start
    expected_texts = ["diplomats.", "=HYPERLINK list", "follows here.", "-Sanctions"]
    assert [RU_BODY[s:e] for s, e in across[1]] == expected_texts
    assert across[1][0][0] == start and across[1][-1][1] == sample.across_lines.end
    assert across[2] == "diplomats. =HYPERLINK list follows here. -Sanctions"


def test_fragments_skip_empty_pieces_between_breaks():
    body = "ab\n\n\tcd\n"
    assert fragments(body, 0, 8) == [(0, 2), (5, 7)]
    assert fragments(body, 2, 5) == []
    assert fragments(body, 1, 6) == [(1, 2), (5, 6)]


def test_types_follow_category_names_in_the_configuration(tmp_path):
    sample, _ = export(tmp_path)
    assert brat_type("Diplomatic step") == "Diplomatic_step"
    assert brat_type("Arms control: New/START, <2021>") == "Arms_control_New_START_2021"
    assert brat_type(None) == "Passage"
    assert brat_type(":,") == "Category"
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    entities = conf.split("[entities]\n")[1].split("\n\n")[0].splitlines()
    categories = ["Sanction", "Expulsion", "Statement", "Arms_control_New_START_2021"]
    assert entities == [*categories, "Passage"]
    for section in ("[relations]", "[events]", "[attributes]"):
        assert section in conf
    _, rows = pair(tmp_path, sample.en)
    assert sorted(v[0] for v in spans(rows).values()) == ["Passage", "Sanction"]


def test_notes_and_normalisations(tmp_path):
    sample, _ = export(tmp_path)
    _, rows = pair(tmp_path, sample.ru)
    span_of = {v[2]: k for k, v in spans(rows).items()}
    notes = {row[1].split(" ")[1]: row[2] for row in rows if row[0].startswith("#")}
    assert notes[span_of["зеркально"]] == "Mirror response: same scale."
    assert notes[span_of["-Sanctions on Alexei Gromov"]] == "[internal]"
    assert all(row[1].startswith("AnnotatorNotes ") for row in rows if row[0].startswith("#"))
    references = [row[1:] for row in rows if row[0].startswith("N")]
    assert [f"Reference {span_of['Сергей Лавров']} Wikidata:Q207781", "Сергей Лавров"] in (
        references
    )
    gromov = f"Reference {span_of['-Sanctions on Alexei Gromov']} Workstation:{sample.gromov.id}"
    assert [gromov, "Alexei Gromov"] in references
    assert len(references) == 5
    ids = [row[0] for row in rows]
    assert len(ids) == len(set(ids))  # T, # and N numbering never repeats
    tools = (tmp_path / "tools.conf").read_text(encoding="utf-8")
    assert "[normalization]" in tools
    assert any(line.startswith("Wikidata\t") for line in tools.splitlines())
    assert any(line.startswith("Workstation\t") for line in tools.splitlines())


def test_english_text_keeps_its_offsets(tmp_path):
    sample, _ = export(tmp_path)
    text, rows = pair(tmp_path, sample.en)
    assert text == EN_BODY
    (sanction,) = [v for v in spans(rows).values() if v[0] == "Sanction"]
    assert sanction[1] == [(sample.sanctions.start, sample.sanctions.end)]


def test_export_is_deterministic_and_ignores_documents_without_passages(tmp_path):
    sample = build_sample()
    write_brat(sample.bundle, tmp_path / "one")
    sample.bundle.annotations.reverse()
    sample.bundle.mentions.reverse()
    write_brat(sample.bundle, tmp_path / "two")
    comparison = filecmp.dircmp(tmp_path / "one", tmp_path / "two")
    assert comparison.left_only == comparison.right_only == []
    _, mismatch, errors = filecmp.cmpfiles(
        tmp_path / "one", tmp_path / "two", comparison.common_files, shallow=False
    )
    assert mismatch == errors == []

    for annotation in sample.bundle.annotations:
        if annotation.document_id == sample.en.id:
            annotation.deleted_at = "2021-05-01T00:00:00Z"
    assert write_brat(sample.bundle, tmp_path / "three") == 1
    assert not list((tmp_path / "three").glob("us-sanctions*"))


def test_same_titles_get_distinct_file_names(tmp_path):
    sample = build_sample()
    sample.en.title = sample.ru.title
    sample.en.id = sample.ru.id[:8] + sample.en.id[8:]
    for annotation in sample.bundle.annotations:
        if annotation.document_id not in (sample.ru.id,):
            annotation.document_id = sample.en.id
    assert write_brat(sample.bundle, tmp_path) == 2
    assert len(list(tmp_path.glob("*.txt"))) == 2
