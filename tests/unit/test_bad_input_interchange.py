"""Bad annotation files through ``import_annotations`` (W3C JSON / JSON Lines, FtM JSON
Lines): malformed JSON, wrong types in any field, hostile nesting and numbers, truncation,
files too large, and a 50 MB file.

The contract: a ServiceError in one line for a file that cannot be read at all; otherwise a
report in which each unreadable line or item is one error naming where, the readable ones
imported regardless; nothing else raises; and when nothing was imported the workspace is as
it was.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.breakage import make_workspace, workspace_state
from workstation.importers import DocumentDraft
from workstation.services import create_session, open_session
from workstation.services.annotation_import import AnnotationImportReport, import_annotations
from workstation.services.exporting import export
from workstation.services.outcome import ServiceError

BODY = "Washington expelled ten Russian diplomats. Moscow answered in kind on Friday."


@pytest.fixture
def target(session):
    """A workspace with one document the annotations below point into."""
    document = session.documents.add(
        DocumentDraft(title="Expulsions", text=BODY, origin_name="expulsions.txt")
    ).record
    return session, document


def valid_annotation(document) -> dict[str, Any]:
    start = BODY.index("Moscow")
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "urn:uuid:2b1e6a3e-8a5e-4a57-9d43-1f0a4cbb2c11",
        "created": "2021-04-16T10:00:00Z",
        "creator": {"type": "Person", "name": "colleague"},
        "target": {
            "source": f"urn:uuid:{document.id}",
            "sha256": document.sha256,
            "url": "https://example.org/expulsions",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "Moscow",
                    "prefix": "diplomats. ",
                    "suffix": " answered",
                },
                {"type": "TextPositionSelector", "start": start, "end": start + 6},
            ],
        },
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": "Statement"},
            {"type": "TextualBody", "purpose": "commenting", "value": "the answer"},
            {
                "type": "SpecificResource",
                "purpose": "identifying",
                "source": "http://www.wikidata.org/entity/Q649",
                "name": "Moscow",
                "kind": "Country",
                "role": "actor",
            },
        ],
        "releasable": True,
    }


VALID_FTM = {
    "id": "ent-peskov",
    "schema": "Person",
    "properties": {
        "name": ["Dmitry Peskov"],
        "alias": ["Дмитрий Песков"],
        "country": ["ru"],
        "wikidataId": ["Q4164781"],
    },
    "caption": "Dmitry Peskov",
    "datasets": ["peps"],
}


def imported_anything(report: AnnotationImportReport) -> bool:
    return any(
        (
            report.placed,
            report.reanchored,
            report.orphans,
            report.links,
            report.entities_added,
            report.entities_updated,  # a known entity given a name it lacked
            report.categories_added,
            report.events_added,  # FtM sanctions and relations (issue 17)
            report.relations_added,
        )
    )


def assert_imports_or_refuses_clearly(session, path: Path) -> AnnotationImportReport | None:
    """Import ``path``: a report whose errors are one line each, or one ServiceError line;
    when nothing came in, the workspace is as it was."""
    before = workspace_state(session.path)
    try:
        report = import_annotations(session, path)
    except ServiceError as exc:
        message = str(exc)
        assert message.strip() and "\n" not in message, message
        assert str(path) in message
        assert workspace_state(session.path) == before
        return None
    for line in report.lines():
        assert line.strip() and "\n" not in line and "Traceback" not in line, line
    if not imported_anything(report):
        assert workspace_state(session.path) == before
    return report


# -- JSON of any shape, and good annotations with any field wrong -----------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)


def json_paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value: the keys and indexes leading to it."""
    found = [prefix] if prefix else []
    if isinstance(value, dict | list):
        for key, child in value.items() if isinstance(value, dict) else enumerate(value):
            found += json_paths(child, (*prefix, key))
    return found


@st.composite
def with_fields_replaced(draw, good: dict[str, Any]) -> dict[str, Any]:
    """``good`` with one to three of its fields (at any depth) replaced by any JSON, or
    removed."""
    item = copy.deepcopy(good)
    for _ in range(draw(st.integers(1, 3))):
        places = json_paths(item)
        if not places:
            break
        *parents, last = draw(st.sampled_from(places))
        holder = item
        for key in parents:
            holder = holder[key]
        if draw(st.integers(0, 4)) == 0 and isinstance(holder, dict):
            del holder[last]
        else:
            holder[last] = draw(json_values)
    return item


FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_w3c_annotations_with_any_field_wrong(target, tmp_path):
    session, document = target
    good = valid_annotation(document)
    counter = iter(range(10**6))

    @FUZZ
    @given(
        items=st.lists(with_fields_replaced(good), min_size=1, max_size=3),
        as_lines=st.booleans(),
    )
    def check(items, as_lines):
        path = tmp_path / f"w3c-{next(counter)}.{'jsonl' if as_lines else 'json'}"
        text = "\n".join(json.dumps(i) for i in items) if as_lines else json.dumps(items)
        path.write_text(text + "\n", encoding="utf-8")
        report = assert_imports_or_refuses_clearly(session, path)
        assert report is not None and report.format == "w3c"
        if as_lines:  # each error names its line
            assert all(error.line in range(1, len(items) + 1) for error in report.errors)

    check()


def test_ftm_entities_with_any_field_wrong(session, tmp_path):
    counter = iter(range(10**6))

    @FUZZ
    @given(items=st.lists(with_fields_replaced(VALID_FTM), min_size=1, max_size=3))
    def check(items):
        path = tmp_path / f"ftm-{next(counter)}.jsonl"
        lines = [json.dumps(VALID_FTM)] + [json.dumps(i) for i in items]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = assert_imports_or_refuses_clearly(session, path)
        assert report is not None and report.format == "ftm"
        assert all(error.line in range(2, len(lines) + 1) for error in report.errors)

    check()


def test_any_json_at_all(session, tmp_path):
    counter = iter(range(10**6))

    @FUZZ
    @given(values=st.lists(json_values, min_size=1, max_size=3), as_lines=st.booleans())
    def check(values, as_lines):
        path = tmp_path / f"any-{next(counter)}.json"
        text = "\n".join(json.dumps(v) for v in values) if as_lines else json.dumps(values)
        path.write_text(text, encoding="utf-8")
        assert_imports_or_refuses_clearly(session, path)

    check()


def test_any_text_or_bytes(session, tmp_path):
    counter = iter(range(10**6))

    @FUZZ
    @given(
        data=st.binary(max_size=600)
        | st.text(alphabet=st.sampled_from('{}[]":,\\ \n\tab0-.eE\u2028'), max_size=200).map(
            str.encode
        )
    )
    def check(data):
        path = tmp_path / f"text-{next(counter)}.jsonl"
        path.write_bytes(data)
        assert_imports_or_refuses_clearly(session, path)

    check()


# -- truncated exports -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, bytes]:
    """The sample episode exported as W3C JSON Lines, as one pretty W3C JSON array and as
    FtM JSON Lines."""
    from workstation.services.sample import load_sample

    folder = tmp_path_factory.mktemp("exports")
    with create_session(folder / "sample.sqlite", author="tester") as sample:
        load_sample(sample)
        export(sample, "w3c", folder / "passages.jsonl")
        export(sample, "ftm", folder / "entities.jsonl")
    lines = (folder / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    pretty = json.dumps([json.loads(line) for line in lines], indent=2, ensure_ascii=False)
    return {
        "w3c.jsonl": (folder / "passages.jsonl").read_bytes(),
        "w3c.json": pretty.encode("utf-8"),
        "ftm.jsonl": (folder / "entities.jsonl").read_bytes(),
    }


@pytest.mark.parametrize("name", ["w3c.jsonl", "w3c.json", "ftm.jsonl"])
def test_an_export_cut_anywhere_imports_what_is_whole_or_says_why(session, tmp_path, exports, name):
    data = exports[name]
    for tenth in range(1, 10):
        path = tmp_path / f"cut-{tenth}-{name}"
        path.write_bytes(data[: len(data) * tenth // 10])
        assert_imports_or_refuses_clearly(session, path)


# -- hostile JSON ------------------------------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
GOOD_W3C_LINE = (
    '{"type": "Annotation", "target": {"source": "https://nowhere.example/a", "selector": '
    '{"type": "TextQuoteSelector", "exact": "nowhere"}}}'
)
GOOD_FTM_LINE = json.dumps(VALID_FTM)


@pytest.mark.parametrize(
    "name, text, error",
    [
        ("deep.json", DEEP, "nested too deeply"),
        ("deep-line.jsonl", f"{GOOD_W3C_LINE}\n{DEEP}\n", "line 2: not readable JSON"),
        ("deep-ftm-line.jsonl", f"{GOOD_FTM_LINE}\n{DEEP}\n", "line 2: not readable JSON"),
        (
            "long-number.jsonl",
            GOOD_W3C_LINE.replace('"exact"', '"start": 1' + "0" * 5000 + ', "exact"'),
            "a number too long to read",
        ),
        ("nan.jsonl", GOOD_W3C_LINE.replace('"exact"', '"start": NaN, "exact"'), None),
    ],
    ids=["deep-file", "deep-w3c-line", "deep-ftm-line", "long-number", "nan"],
)
def test_hostile_json_is_one_error_and_the_rest_imports(session, tmp_path, name, text, error):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = assert_imports_or_refuses_clearly(session, path)
    assert report is not None
    if error is not None:
        assert [error in str(e) for e in report.errors] == [True]


@pytest.mark.parametrize(
    "text",
    [
        '{"type": "Annotation", "target": ' + DEEP + "}\n",
        '{"id": "a", "schema": "Person", "properties": {"name": ' + DEEP + "}}\n",
    ],
    ids=["w3c", "ftm"],
)
def test_a_first_line_nested_too_deeply_is_one_error(session, tmp_path, text):
    path = tmp_path / "deep-first.jsonl"
    path.write_text(text, encoding="utf-8")
    report = assert_imports_or_refuses_clearly(session, path)
    assert report is not None and len(report.errors) == 1


def test_an_unpaired_surrogate_escape_becomes_a_replacement_character(target, tmp_path):
    session, document = target
    item = valid_annotation(document)
    item["body"][1]["value"] = "before \\ud800 after"  # becomes the JSON escape below
    item["target"]["selector"][0]["exact"] = "Moscow"
    text = json.dumps(item).replace("\\\\ud800", "\\ud800")
    entity = json.dumps({**VALID_FTM, "properties": {"name": ["Peskov \\udfff"]}})
    path, people = tmp_path / "surrogate.jsonl", tmp_path / "people.jsonl"
    path.write_text(text + "\n", encoding="utf-8")
    people.write_text(entity.replace("\\\\udfff", "\\udfff") + "\n", encoding="utf-8")
    report = assert_imports_or_refuses_clearly(session, path)
    assert report is not None and report.placed == 1
    (passage,) = session.annotations.for_document(document.id)
    assert "before \ufffd after" in passage.note
    assert assert_imports_or_refuses_clearly(session, people).entities_added == 1
    names = [entity.name for entity in session.entities.list_entities()]
    assert "Peskov \ufffd" in names
    export(session, "w3c", tmp_path / "out.jsonl")  # stored text that writes out again


@pytest.mark.parametrize(
    "name, data, says",
    [
        ("utf16.json", "[]".encode("utf-16"), "binary"),
        ("latin1.jsonl", '{"exact": "café"}'.encode("latin-1"), "not UTF-8"),
        ("image.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_a_file_that_is_not_utf8_json_is_refused_in_one_line(session, tmp_path, name, data, says):
    path = tmp_path / name
    path.write_bytes(data)
    before = workspace_state(session.path)
    with pytest.raises(ServiceError) as info:
        import_annotations(session, path)
    assert says in str(info.value) and str(path) in str(info.value)
    assert workspace_state(session.path) == before


@pytest.mark.parametrize("content", ["", "   \n\n\t\n", "\ufeff"])
def test_an_empty_file_imports_nothing_and_says_so(session, tmp_path, content):
    path = tmp_path / "empty.jsonl"
    path.write_text(content, encoding="utf-8")
    report = assert_imports_or_refuses_clearly(session, path)
    assert report is not None and report.lines()[0].startswith("empty.jsonl: 0 passages")


def test_a_file_over_the_cap_is_refused_before_it_is_read(session, tmp_path):
    path = tmp_path / "huge.jsonl"
    path.write_text(GOOD_W3C_LINE + "\n", encoding="utf-8")
    os.truncate(path, 300 * 1024 * 1024)  # sparse: refusing must not read it
    with pytest.raises(ServiceError) as info:
        import_annotations(session, path)
    assert str(info.value) == (
        f"{path}: 300 MB is more than the 256 MB an annotation file may have"
    )


# -- size: a 50 MB file ------------------------------------------------------------------------

_GENERATE_AND_IMPORT = textwrap.dedent(
    """
    import json, random, resource, sys, time
    from pathlib import Path
    from workstation.importers import DocumentDraft
    from workstation.services import create_session, open_session
    from workstation.services.annotation_import import import_annotations

    folder, size, documents = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    words = "sanctions reciprocity diplomats expelled Moscow Washington consulate".split()
    rnd = random.Random(7)
    with create_session(folder / "w.sqlite", author="t") as session:
        docs = [
            session.documents.add(DocumentDraft(
                title=f"A{i}", text=" ".join(rnd.choice(words) for _ in range(3000)),
                origin_name=f"{i}.txt",
            )).record
            for i in range(documents)
        ]
    written = count = 0
    with (folder / "big.jsonl").open("w", encoding="utf-8") as out:
        while written < size:
            doc = docs[count % len(docs)]
            start = rnd.randrange(0, len(doc.body) - 60)
            end = start + rnd.randrange(5, 50)
            line = json.dumps({
                "type": "Annotation",
                "target": {"source": f"urn:uuid:{doc.id}", "sha256": doc.sha256, "selector": [
                    {"type": "TextQuoteSelector", "exact": doc.body[start:end]},
                    {"type": "TextPositionSelector", "start": start, "end": end}]},
                "body": {"type": "TextualBody", "purpose": "commenting",
                         "value": "note " + "x" * rnd.randrange(0, 400)},
            }) + "\\n"
            out.write(line)
            written += len(line.encode())
            count += 1
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    with open_session(folder / "w.sqlite") as session:
        report = import_annotations(session, folder / "big.jsonl")
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"lines": count, "bytes": written, "seconds": round(seconds, 1),
        "imported": report.placed + report.reanchored + report.already,
        "errors": len(report.errors), "peak_rss_mb": peak // 1024,
        "rss_before_mb": baseline // 1024}))
    """
)


def import_generated(folder: Path, size: int, documents: int) -> dict[str, Any]:
    """Generate ``size`` bytes of W3C JSON Lines over ``documents`` documents and import
    them in a fresh process; what it measured."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _GENERATE_AND_IMPORT, str(folder), str(size), str(documents)],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_2_mb_annotation_file_imports_every_line(tmp_path):
    measured = import_generated(tmp_path, 2 * 1024 * 1024, 200)
    assert measured["errors"] == 0
    assert measured["imported"] == measured["lines"]


def test_a_50_mb_annotation_file_imports_in_bounded_memory(tmp_path):
    # About half a minute (88k passages): the size the issue names, so it runs every time.
    measured = import_generated(tmp_path, 50 * 1024 * 1024, 200)
    print(measured)
    assert measured["errors"] == 0 and measured["imported"] == measured["lines"]
    # The file is read whole (50 MB of bytes, then text, then lines): a few times its size.
    assert measured["peak_rss_mb"] - measured["rss_before_mb"] < 6 * 50


def _vm_work(folder: Path, passages: int) -> int:
    """SQLite virtual-machine steps (thousands) to import ``passages`` passages into one
    document: a deterministic measure of the work, unlike a time."""
    body = " ".join(f"w{i}" for i in range(passages + 1))
    with create_session(folder / f"w{passages}.sqlite", author="t") as session:
        document = session.documents.add(
            DocumentDraft(title="T", text=body, origin_name="a.txt")
        ).record
        path = folder / f"p{passages}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for i in range(passages):
                start = body.index(f" w{i} ") + 1 if i else 0
                selector = [
                    {"type": "TextQuoteSelector", "exact": f"w{i}"},
                    {"type": "TextPositionSelector", "start": start, "end": start + len(f"w{i}")},
                ]
                target = {"source": f"urn:uuid:{document.id}", "selector": selector}
                out.write(json.dumps({"type": "Annotation", "target": target}) + "\n")
        steps = [0]

        def count() -> int:
            steps[0] += 1
            return 0

        session.workspace.conn.set_progress_handler(count, 1000)
        report = import_annotations(session, path)
        session.workspace.conn.set_progress_handler(None, 0)
    assert report.placed == passages
    return steps[0]


def test_importing_twice_the_passages_takes_about_twice_the_work(tmp_path):
    ratio = _vm_work(tmp_path, 600) / _vm_work(tmp_path, 300)
    assert ratio < 3, f"twice the passages took {ratio:.1f} times the work"


def test_a_workspace_is_unchanged_by_a_file_with_no_readable_line(tmp_path):
    path = make_workspace(tmp_path / "w.sqlite")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n[1, 2]\nnull\n", encoding="utf-8")
    before = workspace_state(path)
    with open_session(path) as session:
        report = import_annotations(session, bad)
    assert [e.line for e in report.errors] == [1, 2, 3]
    assert workspace_state(path) == before
