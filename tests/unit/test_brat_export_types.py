"""brat export (issue 17): category names as valid brat types, their human names in
visual.conf, and a summary that counts the documents actually written.

brat's rule, as its tutorial visual.conf states it (../shared/peers/brat/tutorials/news/
visual.conf): a type "must have only ASCII alphanumerics, "_" or "-""; brat's
``normalize_to_storage_form`` turns anything else into "_", and its verifier then rejects a
type the configuration does not list as written. Labels in ``[labels]`` have no such limit,
but brat splits them at "|" and reads "<…>" as a macro.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.cli import run
from tests.helpers.interchange_bundle import build_sample, passage
from tests.helpers.peers import PEERS as PEERS_ROOT
from workstation.domain.offsets import body_sha256
from workstation.domain.records import Category, Document
from workstation.interchange.brat import BratTypes, brat_type, write_brat
from workstation.interchange.bundle import ExportBundle
from workstation.services.exporting import write_bundle

PEERS = PEERS_ROOT
BRAT_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def brat_storage_form(name: str) -> str:
    """brat's own normalize_to_storage_form (server/src/projectconfig.py): a type survives
    brat unchanged only when this returns it as it is."""
    return re.sub(r"[^a-zA-Z0-9_-]", "_", name.replace(" ", "_"))


def section(text: str, name: str) -> list[str]:
    body = text.split(f"[{name}]\n", 1)[1].split("\n[", 1)[0]
    return [line for line in body.splitlines() if line.strip() and not line.startswith("#")]


def spans(folder: Path) -> list[tuple[str, str]]:
    """(type, quoted text) of every text-bound line of every .ann file."""
    found = []
    for ann in sorted(folder.glob("*.ann")):
        for row in ann.read_text(encoding="utf-8").splitlines():
            if row.startswith("T"):
                _, type_and_offsets, quoted = row.split("\t")
                found.append((type_and_offsets.split(" ")[0], quoted))
    return found


def with_categories(names: list[str], quotes: list[str]):
    sample = build_sample()
    categories = [Category(name=n, position=10 + i) for i, n in enumerate(names)]
    for category, quote in zip(categories, quotes, strict=True):
        sample.bundle.categories[category.id] = category
        sample.bundle.annotations.append(passage(sample.ru, quote, category_id=category.id))
    return sample, categories


def test_tutorial_types_are_what_brat_accepts():
    # The rule checked against brat's own configuration files, not only our reading of it.
    conf = (PEERS / "brat" / "tutorials" / "news" / "annotation.conf").read_text()
    types = [line.split()[0] for line in section(conf, "entities")]
    assert types and all(BRAT_TYPE.fullmatch(t) and brat_storage_form(t) == t for t in types)


def test_a_russian_category_becomes_a_valid_type_labelled_with_its_own_name(tmp_path):
    sample, (answer,) = with_categories(["Ответ: меры"], ["Москва ответит"])
    write_brat(sample.bundle, tmp_path)
    assert brat_type("Ответ: меры") == "Otvet_mery"
    assert ("Otvet_mery", "Москва ответит") in spans(tmp_path)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    assert "Otvet_mery" in section(conf, "entities")
    visual = (tmp_path / "visual.conf").read_text(encoding="utf-8")
    assert "Otvet_mery | Ответ: меры" in section(visual, "labels")
    assert f"Otvet_mery\tbgColor:{answer.colour}" in section(visual, "drawing")
    for kind, _ in spans(tmp_path):
        assert BRAT_TYPE.fullmatch(kind) and brat_storage_form(kind) == kind


def test_names_that_come_out_alike_stay_apart_and_none_is_empty(tmp_path):
    names = ["Ответ: меры", "Otvet mery", "OTVET MERY", "Passage", "Mention", "2021 sanctions",
             "😀", "::", "A|B <x>"]  # fmt: skip
    quotes = ["Москва ответит", "Russia expels", "follows here", "Alexei Gromov", "announced",
              "ten US", "Министр", "иностранных", "дел"]  # fmt: skip
    sample, categories = with_categories(names, quotes)
    types = BratTypes.of(sample.bundle.ordered_categories())
    ours = [types.by_category[c.id] for c in categories]
    assert ours == [
        "Otvet_mery",
        "Otvet_mery_2",
        "OTVET_MERY_3",  # told apart ignoring case, as people read them
        "Passage_2",  # "Passage" and "Mention" are the export's own types
        "Mention_2",
        "C_2021_sanctions",  # a letter first
        "Category",  # nothing left in ASCII
        "Category_2",
        "A_B_x",
    ]
    assert len({t.casefold() for t in types.labels}) == len(types.labels)
    write_brat(sample.bundle, tmp_path)
    labels = dict(
        line.split(" | ", 1)
        for line in section((tmp_path / "visual.conf").read_text(encoding="utf-8"), "labels")
    )
    assert [labels[t] for t in ours] == [*names[:-1], "A¦B ‹x›"]  # brat's syntax kept out
    assert labels["Passage"] == "Passage (no category)"  # the uncategorised passage
    found = {kind for kind, _ in spans(tmp_path)}
    assert set(ours) <= found
    assert all(BRAT_TYPE.fullmatch(t) and brat_storage_form(t) == t for t in found)


def test_export_is_deterministic_with_renamed_types(tmp_path):
    sample, _ = with_categories(["Ответ: меры", "Otvet mery"], ["Москва ответит", "ten US"])
    write_brat(sample.bundle, tmp_path / "one")
    sample.bundle.annotations.reverse()
    write_brat(sample.bundle, tmp_path / "two")
    for name in ("annotation.conf", "visual.conf"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def document(title: str, body: str) -> Document:
    return Document(title=title, body=body, sha256=body_sha256(body), language="en")


def test_the_summary_counts_the_documents_written_not_the_ones_gathered(tmp_path):
    documents = [document(f"Report {n}", f"Body of report number {n}.") for n in range(9)]
    marked = [passage(d, "report number") for d in documents[:3]]
    bundle = ExportBundle(documents=documents, annotations=marked)
    summary = write_bundle(bundle, "brat", tmp_path / "brat")
    assert len(list((tmp_path / "brat").glob("*.txt"))) == 3
    assert summary.documents == 3
    assert summary.describe().startswith("exported 3 documents, 3 passages as brat")

    documents[0].deleted_at = "2021-05-01T00:00:00Z"
    marked[0].deleted_at = "2021-05-01T00:00:00Z"
    marked[1].deleted_at = "2021-05-01T00:00:00Z"
    summary = write_bundle(bundle, "brat", tmp_path / "again")
    assert len(list((tmp_path / "again").glob("*.txt"))) == 1
    assert (summary.documents, summary.passages) == (1, 1)


@pytest.mark.parametrize("fmt", ["ftm", "w3c"])
def test_other_formats_count_only_what_they_wrote(tmp_path, fmt):
    documents = [document(f"Report {n}", f"Body of report number {n}.") for n in range(9)]
    marked = [passage(d, "report number") for d in documents[:3]]
    marked[2].deleted_at = "2021-05-01T00:00:00Z"
    summary = write_bundle(ExportBundle(documents=documents, annotations=marked), fmt,
                           tmp_path / f"out.{fmt}")  # fmt: skip
    assert (summary.documents, summary.passages) == (2, 2)
    if fmt == "ftm":
        assert "2 articles" in summary.describe()


def test_the_command_line_says_how_many_documents_it_wrote(capsys, sample_path, tmp_path):
    article = tmp_path / "unmarked.txt"
    article.write_text("Unmarked article\n\nNobody has marked a passage here yet.\n")
    code, _, err = run(capsys, "--workspace", sample_path, "import", article)
    assert code == 0, err
    out = tmp_path / "brat"
    code, printed, err = run(capsys, "--workspace", sample_path, "export", "--format", "brat",
                             "--out", out)  # fmt: skip
    assert code == 0 and not err
    assert len(list(out.glob("*.txt"))) == 2  # the sample's two marked articles, not three
    assert "exported 2 documents, 31 passages as brat" in printed
    visual = (out / "visual.conf").read_text(encoding="utf-8")
    assert section(visual, "labels")
