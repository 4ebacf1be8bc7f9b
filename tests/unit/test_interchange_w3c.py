"""W3C Web Annotation export and import: our profile, and other tools' annotations."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.helpers.interchange_bundle import RU_BODY, build_sample
from workstation.domain.offsets import utf16_offset
from workstation.interchange import (
    InterchangeError,
    W3CAnnotation,
    iter_w3c,
    parse_w3c_line,
    validate_w3c,
    write_w3c,
)
from workstation.interchange.files import interchange_resource
from workstation.interchange.w3c import author_iri

HASH = "a" * 64


def exported(tmp_path: Path, sample=None) -> tuple[list[dict], Path]:
    sample = sample or build_sample()
    path = tmp_path / "passages.jsonl"
    count = write_w3c(sample.bundle, path)
    # JSON Lines end at \n only (values may hold U+2028, which splitlines() would cut at)
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert count == len(lines)
    return [json.loads(line) for line in lines], path


def by_id(items: list[dict], annotation) -> dict:
    (item,) = [i for i in items if i["id"] == f"urn:uuid:{annotation.id}"]
    return item


def parsed(source) -> list[W3CAnnotation | InterchangeError]:
    return list(iter_w3c(source))


# ----- export ----------------------------------------------------------------------------


def test_every_exported_line_validates_against_the_shipped_schema(tmp_path):
    items, path = exported(tmp_path)
    assert len(items) == 7
    for item in items:
        assert validate_w3c(item) == [], item["id"]
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert "Сергей Лавров".encode() in raw  # not \u-escaped


def test_the_shipped_schema_catches_what_breaks_the_profile(tmp_path):
    items, _ = exported(tmp_path)
    item = items[0]

    wrong_type = json.loads(json.dumps(item))
    wrong_type["target"]["selector"][1]["start"] = "17"
    assert any("selector/1/start" in p for p in validate_w3c(wrong_type))

    missing_hash = json.loads(json.dumps(item))
    del missing_hash["target"]["sha256"]
    assert any("sha256" in p for p in validate_w3c(missing_hash))

    quote_mismatch = json.loads(json.dumps(item))
    quote_mismatch["target"]["selector"][0]["exact"] += "!"
    assert validate_w3c(quote_mismatch) == [
        "target/selector: the quote has 50 code points but the position spans 49"
    ]

    bad_role = json.loads(json.dumps(item))
    bad_role["body"][1]["role"] = "villain"
    assert validate_w3c(bad_role)
    assert validate_w3c("not an annotation")


def test_context_inlines_our_extension_terms_from_the_shipped_file(tmp_path):
    items, _ = exported(tmp_path)
    shipped = json.loads(interchange_resource("workstation.jsonld").read_text(encoding="utf-8"))
    for item in items:
        assert item["@context"] == ["http://www.w3.org/ns/anno.jsonld", shipped["@context"]]
    for term in ("sha256", "releasable", "role", "kind", "wikidata", "name"):
        assert term in shipped["@context"]


def test_positions_count_code_points_after_an_emoji(tmp_path):
    sample = build_sample()
    items, _ = exported(tmp_path, sample)
    item = by_id(items, sample.after_emoji)
    quote, position = item["target"]["selector"]
    start = RU_BODY.index("зеркально")
    assert position == {"type": "TextPositionSelector", "start": start, "end": start + 9}
    assert utf16_offset(RU_BODY, start) == start + 1  # a UTF-16 count would be off by one
    assert RU_BODY[position["start"] : position["end"]] == quote["exact"] == "зеркально"
    assert quote["prefix"] == RU_BODY[start - 32 : start]
    assert quote["prefix"].endswith("😀 ")


def test_target_creator_and_bodies_carry_the_passage(tmp_path):
    sample = build_sample()
    items, _ = exported(tmp_path, sample)

    sanctions = by_id(items, sample.sanctions)
    assert sanctions["created"] == "2021-04-16T08:00:00.250000Z"
    assert sanctions["modified"] == "2021-04-16T09:30:00Z"  # +00:00 written as Z
    assert sanctions["creator"] == {  # issue 17: a stable IRI and a nickname
        "id": author_iri("officer.one"),
        "type": "Person",
        "name": "officer.one",
        "nickname": "officer.one",
    }
    assert sanctions["target"]["source"] == f"urn:uuid:{sample.en.id}"
    assert sanctions["target"]["sha256"] == sample.en.sha256
    assert sanctions["target"]["url"] == "https://example.org/news/us-sanctions"
    assert sanctions["releasable"] is True
    assert sanctions["body"] == [
        {"type": "TextualBody", "purpose": "tagging", "value": "Sanction", "format": "text/plain"},
        {
            "type": "SpecificResource",
            "purpose": "identifying",
            "source": f"urn:uuid:{sample.usa.id}",
            "name": "United States",
            "kind": "Country",
            "role": "actor",
            "wikidata": "http://www.wikidata.org/entity/Q30",
        },
        {
            "type": "SpecificResource",
            "purpose": "identifying",
            "source": f"urn:uuid:{sample.russia.id}",
            "name": "Russia",
            "kind": "Country",
            "role": "target",
            "wikidata": "http://www.wikidata.org/entity/Q159",
        },
    ]

    noted = by_id(items, sample.after_emoji)
    assert noted["body"][1] == {
        "type": "TextualBody",
        "purpose": "commenting",
        "value": "Mirror response:\nsame scale.",
        "format": "text/plain",
    }
    internal = by_id(items, sample.dash)
    assert internal["releasable"] is False
    gromov = internal["body"][-1]
    assert gromov["name"] == "Alexei Gromov" and "wikidata" not in gromov
    assert "url" not in internal["target"]


def test_export_order_and_bytes_do_not_depend_on_the_bundle_order(tmp_path):
    sample = build_sample()
    first = tmp_path / "first.jsonl"
    write_w3c(sample.bundle, first)
    shuffled = random.Random(7)
    for records in (sample.bundle.annotations, sample.bundle.mentions, sample.bundle.documents):
        shuffled.shuffle(records)
    second = tmp_path / "second.jsonl"
    write_w3c(sample.bundle, second)
    assert first.read_bytes() == second.read_bytes()
    starts = [(json.loads(line)["target"]["source"]) for line in first.read_text().splitlines()]
    # the English article (published first) comes first, then the Russian one
    assert starts == [f"urn:uuid:{sample.en.id}"] * 2 + [f"urn:uuid:{sample.ru.id}"] * 5


def test_deleted_records_are_not_exported(tmp_path):
    sample = build_sample()
    sample.formula.deleted_at = "2021-04-17T00:00:00Z"
    items, _ = exported(tmp_path, sample)
    assert f"urn:uuid:{sample.formula.id}" not in {i["id"] for i in items}
    assert len(items) == 6


def test_a_passage_of_a_document_missing_from_the_bundle_is_refused(tmp_path):
    sample = build_sample()
    sample.bundle.documents.remove(sample.en)
    with pytest.raises(ValueError, match=sample.en.id):
        write_w3c(sample.bundle, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()
    assert list(tmp_path.iterdir()) == []  # no partial file left behind


# ----- round trip ------------------------------------------------------------------------


def test_parse_of_the_export_gives_back_the_same_passages(tmp_path):
    sample = build_sample()
    _, path = exported(tmp_path, sample)
    results = parsed(path)
    assert all(isinstance(r, W3CAnnotation) for r in results)
    by_uuid = {r.id: r for r in results}
    for annotation in sample.bundle.annotations:
        back = by_uuid[annotation.id]
        assert (back.exact, back.prefix, back.suffix, back.start, back.end) == (
            annotation.exact,
            annotation.prefix,
            annotation.suffix,
            annotation.start,
            annotation.end,
        )
        assert back.releasable == annotation.releasable
        assert back.creator == "officer.one"
    across = by_uuid[sample.across_lines.id]
    assert across.document_id == sample.ru.id
    assert across.sha256 == sample.ru.sha256
    assert across.tags == ("Expulsion",)
    assert [(e.id, e.name, e.kind, e.role, e.wikidata_id) for e in across.entities] == [
        (sample.russia.id, "Russia", "Country", "actor", "Q159"),
        (sample.usa.id, "United States", "Country", "target", "Q30"),
    ]
    assert by_uuid[sample.after_emoji.id].notes == ("Mirror response:\nsame scale.",)
    assert by_uuid[sample.dash.id].entities[0].wikidata_id is None
    assert by_uuid[sample.dash.id].releasable is False


def test_a_single_line_parses_on_its_own(tmp_path):
    sample = build_sample()
    _, path = exported(tmp_path, sample)
    line = path.read_text(encoding="utf-8").splitlines()[0]
    annotation = parse_w3c_line(line)
    assert annotation.id == sample.sanctions.id
    assert annotation.url == "https://example.org/news/us-sanctions"
    assert annotation.title == "US sanctions Russia"


# ----- other tools' annotations ----------------------------------------------------------

HYPOTHESIS_STYLE = {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    "id": "https://hypothes.is/a/Ut6Ej3-lEeuV7Q",
    "type": "Annotation",
    "created": "2021-04-16T10:00:00.000000+00:00",
    "creator": "acct:analyst@hypothes.is",
    "target": [
        "https://example.org/news/us-sanctions",
        {
            "source": "https://example.org/news/us-sanctions",
            "selector": [
                {"type": "RangeSelector", "startContainer": "/p[1]", "endContainer": "/p[1]"},
                {"type": "TextPositionSelector", "start": 17, "end": 66},
                {
                    "type": "TextQuoteSelector",
                    "exact": "the United States imposed new sanctions on Russia",
                    "prefix": "On 15 April 2021 ",
                },
            ],
        },
    ],
    "body": {"type": "TextualBody", "value": "Check the annex.", "purpose": "commenting"},
}


def test_hypothesis_style_annotations_parse():
    # Issue 17: every target is read; the bare address is a note on the whole page.
    page, annotation = parsed(json.dumps(HYPOTHESIS_STYLE))
    assert isinstance(annotation, W3CAnnotation)
    assert page.kind == "page note" and page.source == "https://example.org/news/us-sanctions"
    assert (page.target_number, annotation.target_number, annotation.target_count) == (1, 2, 2)
    assert annotation.id is None  # not one of ours
    assert annotation.source == annotation.url == "https://example.org/news/us-sanctions"
    assert annotation.document_id is None and annotation.sha256 is None
    assert (annotation.start, annotation.end) == (17, 66)
    assert annotation.exact == "the United States imposed new sanctions on Russia"
    assert (annotation.prefix, annotation.suffix) == ("On 15 April 2021 ", "")
    assert annotation.notes == ("Check the annex.",) and annotation.tags == ()
    # Issue 17: an acct: creator is named by its local part; the IRI is kept beside it.
    assert annotation.creator == "analyst"
    assert annotation.creator_iri == "acct:analyst@hypothes.is"
    assert annotation.releasable is True


def test_hypothesis_api_rows_with_native_text_and_tags():
    row = {
        "id": "Ut6Ej3",
        "uri": "https://example.org/a",
        "user": "acct:analyst@hypothes.is",
        "updated": "2021-04-17T10:00:00+00:00",
        "text": "Native note",
        "tags": ["sanctions", "russia"],
        "target": [
            {
                "source": "https://example.org/a",
                "selector": [{"type": "TextQuoteSelector", "exact": "Gromov", "suffix": " was"}],
            }
        ],
    }
    (annotation,) = parsed(json.dumps({"total": 1, "rows": [row]}))
    assert annotation.notes == ("Native note",)
    assert annotation.tags == ("sanctions", "russia")
    assert annotation.creator == "analyst"  # issue 17: acct: local part, IRI kept
    assert annotation.creator_iri == "acct:analyst@hypothes.is"
    assert annotation.modified == "2021-04-17T10:00:00+00:00"
    assert annotation.start is None and annotation.end is None  # no position: quote only


def test_nested_selectors_and_a_single_body_object():
    item = {
        "type": "Annotation",
        "motivation": "tagging",
        "body": {"type": "TextualBody", "value": "Expulsion"},
        "target": {
            "source": "urn:uuid:8f0d1a8e-34b4-4b5e-9d0c-0c1f6c1b8e11",
            "selector": {
                "type": "FragmentSelector",
                "value": "para2",
                "refinedBy": [
                    # relative to the fragment: must not be taken as a document position
                    {"type": "TextPositionSelector", "start": 4, "end": 10},
                    {"type": "TextQuoteSelector", "exact": "expels"},
                ],
            },
        },
    }
    (annotation,) = parsed(json.dumps(item))
    assert annotation.exact == "expels"
    assert annotation.start is None
    assert annotation.tags == ("Expulsion",)  # the annotation's motivation applies
    assert annotation.document_id == "8f0d1a8e-34b4-4b5e-9d0c-0c1f6c1b8e11"


def test_foreign_entity_links_keep_their_wikidata_id():
    item = {
        "type": "Annotation",
        "target": {
            "source": "https://example.org/a",
            "selector": {"type": "TextQuoteSelector", "exact": "Russia"},
        },
        "body": [
            {
                "type": "SpecificResource",
                "purpose": "identifying",
                "source": "https://www.wikidata.org/wiki/Q159",
            },
            {"purpose": "linking", "source": "https://example.org/blog"},  # not an entity
        ],
    }
    (annotation,) = parsed(json.dumps(item))
    (entity,) = annotation.entities
    assert entity.wikidata_id == "Q159" and entity.id is None and entity.name is None


def test_containers_arrays_collections_and_pages(tmp_path):
    sample = build_sample()
    items, _ = exported(tmp_path, sample)
    expected = {i["id"].removeprefix("urn:uuid:") for i in items}

    def ids(text):
        results = parsed(text)
        assert all(isinstance(r, W3CAnnotation) for r in results), results
        return [r.id for r in results]

    assert set(ids(json.dumps(items, indent=2, ensure_ascii=False))) == expected
    assert ids(json.dumps(items[0], indent=2)) == [items[0]["id"].removeprefix("urn:uuid:")]
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "total": 7,
        "first": {
            "type": "AnnotationPage",
            "items": items[:3],
            "next": {"type": "AnnotationPage", "items": items[3:]},
        },
    }
    assert set(ids(json.dumps(collection))) == expected
    assert len(ids(json.dumps({"type": "AnnotationPage", "items": items[:2]}))) == 2

    remote = {"type": "AnnotationCollection", "first": {"items": items[:1], "next": "https://x/p2"}}
    results = parsed(json.dumps(remote))
    assert isinstance(results[0], W3CAnnotation)
    assert isinstance(results[1], InterchangeError)
    assert "https://x/p2" in str(results[1])


def test_a_file_with_a_byte_order_mark_parses(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(HYPOTHESIS_STYLE).encode())
    _page, annotation = parsed(path)
    assert isinstance(annotation, W3CAnnotation)


# ----- malformed input -------------------------------------------------------------------


def quote_target(**selector):
    return {"source": "urn:x", "selector": {"type": "TextQuoteSelector", **selector}}


def test_malformed_lines_give_their_line_numbers_and_the_rest_still_parse(tmp_path):
    good = json.dumps({"type": "Annotation", "target": quote_target(exact="Russia")})
    lines = [
        good,
        '{"type": "Annotation", "target": ',  # 2: broken JSON
        "",  # 3: blank lines are skipped
        json.dumps(
            {
                "target": {
                    "source": "urn:x",
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": "Russia"},
                        {"type": "TextPositionSelector", "start": "3", "end": 9},
                    ],
                }
            }
        ),
        json.dumps({"target": quote_target(exact=42)}),
        json.dumps({"target": quote_target(exact="x"), "body": "a string"}),
        json.dumps({"type": "Annotation"}),
        json.dumps({"target": quote_target(exact="x"), "releasable": "yes"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"target": {"source": "urn:x", "selector": {"type": "CssSelector"}}}),
        json.dumps({"target": quote_target(exact="x"), "body": [{"value": 5}]}),
        json.dumps({"type": "Collection", "target": quote_target(exact="x")}),
        json.dumps({"target": {"selector": {"type": "TextQuoteSelector", "exact": "x"}}}),
        json.dumps({"target": quote_target(exact="x"), "creator": 7}),
        good,
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = parsed(path)
    assert isinstance(results[0], W3CAnnotation) and isinstance(results[-1], W3CAnnotation)
    errors = {e.line: e.message for e in results if isinstance(e, InterchangeError)}
    # Issue 17: an IRI body (6), a selector naming no text (10) and a target with no source
    # (13) are read now; the import links, orphans or asks for --document.
    assert sorted(errors) == [2, 4, 5, 7, 8, 9, 11, 12, 14]
    assert errors[2].startswith("not valid JSON")
    assert errors[4] == "TextPositionSelector start must be an integer, not a string"
    assert errors[5] == "TextQuoteSelector exact must be a string, not a number"
    assert errors[7] == "no target"
    assert errors[8] == "releasable must be true or false, not a string"
    assert errors[9] == "an annotation must be a JSON object, not a list"
    assert errors[11] == "body 1 value must be a string, not a number"
    assert errors[12] == "type is Collection, not Annotation"
    assert errors[14] == "creator must be an object or a string, not a number"
    error = next(r for r in results if isinstance(r, InterchangeError))
    assert str(error) == f"line 2: {errors[2]}"


def test_positions_that_are_not_a_range_are_refused():
    for start, end in ((5, 5), (-1, 4), (True, 4)):
        item = {
            "target": {
                "source": "urn:x",
                "selector": [
                    {"type": "TextQuoteSelector", "exact": "abcd"},
                    {"type": "TextPositionSelector", "start": start, "end": end},
                ],
            }
        }
        with pytest.raises(InterchangeError, match="TextPositionSelector"):
            parse_w3c_line(json.dumps(item), 3)


def test_a_broken_pretty_printed_file_is_one_error_with_its_line():
    text = '{\n  "type": "Annotation",\n  "target": {\n    "source": "urn:x",,\n  }\n}\n'
    (error,) = parsed(text)
    assert isinstance(error, InterchangeError)
    assert error.line == 4
    assert str(error).startswith("line 4: not valid JSON")


def test_array_items_are_named_by_position():
    good = {"target": quote_target(exact="x")}
    results = parsed(json.dumps([good, {"target": quote_target(exact="")}, 3]))
    assert isinstance(results[0], W3CAnnotation)
    assert [str(r) for r in results[1:]] == [
        "item 2: TextQuoteSelector exact is empty",
        "item 3: an annotation must be a JSON object, not a number",
    ]


def test_undecodable_files_and_empty_files(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"exact": "Lavrov é"}'.encode("latin-1"))
    (error,) = parsed(path)
    assert isinstance(error, InterchangeError) and error.line is None
    assert str(error).startswith("not UTF-8 text")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    assert parsed(empty) == []
    assert parsed("42") == [InterchangeError(None, "expected annotations, found a JSON number")]


def test_unicode_line_separators_inside_values_do_not_split_lines(tmp_path):
    sample = build_sample()
    sample.after_emoji.note = "first\u2028second\x85third\u2029end"
    _, path = exported(tmp_path, sample)
    assert "\u2028" in path.read_text(encoding="utf-8")  # written raw, as JSON allows
    results = parsed(path)
    assert len(results) == 7 and all(isinstance(r, W3CAnnotation) for r in results)
    (noted,) = [r for r in results if r.id == sample.after_emoji.id]
    assert noted.notes == ("first\u2028second\x85third\u2029end",)


def test_links_to_entities_left_out_of_the_bundle_are_not_exported(tmp_path):
    sample = build_sample()
    sample.bundle.entities.remove(sample.usa)  # deleted since it was linked
    items, _ = exported(tmp_path, sample)
    sources = {b.get("source") for item in items for b in item.get("body", [])}
    assert f"urn:uuid:{sample.usa.id}" not in sources
    assert f"urn:uuid:{sample.russia.id}" in sources
    assert all(validate_w3c(item) == [] for item in items)


# -- read in pieces (a large file, a worker: never one 50 MB string) ---------------------------

_LINE = json.dumps(
    {
        "type": "Annotation",
        "target": {"source": "urn:x", "selector": {"type": "TextQuoteSelector", "exact": "a"}},
    }
)
PIECE_TEXTS = [
    "",
    "\n",
    " \n\n",
    _LINE,
    _LINE + "\n",
    "\n".join([_LINE] * 4) + "\n\n",
    "\ufeff" + _LINE + "\n" + _LINE,
    "[" + ",\n".join([_LINE] * 3) + "]\n",
    '{\n"type": "Annotation"}\n',
    _LINE + " " + _LINE + "\n" + _LINE,
    "1\n2\n",
    "{broken\n" + _LINE,
    _LINE + "\n  \n" + _LINE + '\n{"broken"\n',
    "\u00a0" + _LINE + "\n" + _LINE,
    "[1]\n[2]",
]


@pytest.mark.parametrize("text", PIECE_TEXTS)
def test_pieces_read_as_the_joined_text(text):
    from workstation.interchange.w3c_read import iter_w3c_pieces, piece_lines, text_lines

    rng = random.Random(len(text))
    for _ in range(25):
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, rng.randint(0, 5))))
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        assert list(piece_lines(pieces)) == text.split("\n")
        assert list(text_lines(text)) == text.split("\n")
        assert [repr(x) for x in iter_w3c_pieces(pieces)] == [repr(x) for x in iter_w3c(text)]
