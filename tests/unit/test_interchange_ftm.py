"""FollowTheMoney export and import: lines FtM itself reads, and OpenSanctions-style input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from followthemoney import model

from tests.helpers.interchange_bundle import build_sample
from workstation.interchange import (
    FtmEntity,
    FtmSkipped,
    InterchangeError,
    iter_ftm,
    write_ftm,
)
from workstation.interchange.ftm import entity_schema
from workstation.interchange.ftm_links import FtmSanction
from workstation.interchange.ftm_parse import iter_ftm_lines


@pytest.fixture
def exported(tmp_path):
    sample = build_sample()
    path = tmp_path / "entities.ftm.jsonl"
    count = write_ftm(sample.bundle, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert count == len(lines)
    proxies = {}
    for line in lines:
        proxy = model.get_proxy(json.loads(line), cleaned=False)  # FtM itself reads it
        proxies[proxy.id] = proxy
    return sample, path, proxies


def test_every_line_is_an_ftm_entity_of_the_expected_schema(exported):
    _, _, proxies = exported
    schemata = Counter(p.schema.name for p in proxies.values())
    assert schemata == {
        "Person": 2,
        "LegalEntity": 2,
        "Article": 2,
        "Documentation": 7,
        "Sanction": 1,
        "Event": 1,
    }
    for proxy in proxies.values():
        for prop in proxy.schema.required:
            assert proxy.has(prop), (proxy.schema.name, prop)


def test_entities_keep_their_ids_names_aliases_and_identifiers(exported):
    sample, _, proxies = exported
    lavrov = proxies[sample.lavrov.id]
    assert lavrov.schema.name == "Person"
    assert lavrov.get("name") == ["Сергей Лавров"]
    assert lavrov.get("alias") == ["Sergey Lavrov", "Lavrov"]
    assert lavrov.get("wikidataId") == ["Q207781"]
    assert lavrov.get("country") == ["ru"]
    assert lavrov.get("description") == ["Foreign minister of Russia"]
    # FtM has no Country schema: a classified LegalEntity carrying its ISO code
    russia = proxies[sample.russia.id]
    assert russia.schema.name == "LegalEntity"
    assert russia.get("classification") == ["Country"]
    assert russia.get("country") == ["ru"]
    assert russia.get("wikidataId") == ["Q159"]


def test_articles_and_passage_links(exported):
    sample, _, proxies = exported
    article = proxies[sample.en.id]
    assert article.schema.name == "Article"
    assert article.get("title") == ["US sanctions Russia"]
    assert article.get("publishedAt") == ["2021-04-15"]
    assert article.get("sourceUrl") == ["https://example.org/news/us-sanctions"]
    assert article.get("publisher") == ["Example News"]
    assert article.get("language") == ["eng"]
    assert article.get("bodyText") == [sample.en.body]
    assert proxies[sample.ru.id].get("title") == ["Лавров: Москва ответит 😀"]

    links = [p for p in proxies.values() if p.schema.name == "Documentation"]
    mention_ids = {m.id for m in sample.bundle.mentions}
    assert {p.id for p in links} == mention_ids  # the mention id is the link's id
    (gromov_link,) = [p for p in links if p.get("entity") == [sample.gromov.id]]
    assert gromov_link.get("document") == [sample.ru.id]
    assert gromov_link.get("role") == ["target"]
    assert gromov_link.get("summary") == ["-Sanctions on Alexei Gromov"]
    assert gromov_link.get("status") == ["internal"]  # not releasable
    (noted,) = [p for p in links if p.get("summary") == ["зеркально"]]
    assert noted.get("description") == ["Mirror response:\nsame scale."]
    assert noted.get("status") == []


def test_sanction_and_event(exported):
    sample, _, proxies = exported
    (sanction,) = [p for p in proxies.values() if p.schema.name == "Sanction"]
    assert sanction.get("entity") == [sample.gromov.id]
    assert sanction.get("authority") == ["United States"]
    assert sanction.get("country") == ["us"]
    assert sanction.get("startDate") == ["2021-04"]  # month precision, no padded day
    assert sanction.get("program") == ["Executive Order 14024"]
    assert sanction.get("summary") == ["Blocking sanctions under a new executive order."]
    assert sanction.get("proof") == [sample.en.id, sample.ru.id]
    (event,) = [p for p in proxies.values() if p.schema.name == "Event"]
    assert event.get("name") == ["Russia expels ten US diplomats"]
    assert event.get("date") == ["2021-04-16"]
    assert event.get("involved") == [sample.russia.id, sample.usa.id]
    assert event.get("organizer") == [sample.russia.id]
    assert event.get("keywords") == ["expulsion"]
    assert event.get("notes") == ["In response to: US sanctions Alexei Gromov (2021-04)"]
    assert event.get("proof") == [sample.ru.id]


def test_a_sanction_without_a_target_is_exported_as_an_event(tmp_path):
    sample = build_sample()
    for event in sample.bundle.events:
        event.target_id = None
    path = tmp_path / "out.jsonl"
    write_ftm(sample.bundle, path)
    schemata = [json.loads(line)["schema"] for line in path.read_text().splitlines()]
    assert schemata.count("Event") == 2 and "Sanction" not in schemata


def test_entity_kinds_map_to_schemata():
    assert entity_schema("Person") == "Person"
    assert entity_schema("PublicBody") == "PublicBody"
    assert entity_schema("Address") == "Address"
    assert entity_schema("Country") == "LegalEntity"
    assert entity_schema("Vessel") == "LegalEntity"  # an FtM thing, but not one we keep
    assert entity_schema("Nonsense") == "LegalEntity"


def test_export_parses_back_with_iter_ftm(exported):
    sample, path, _ = exported
    results = list(iter_ftm(path))
    entities = {r.id: r for r in results if isinstance(r, FtmEntity)}
    skipped = [r for r in results if isinstance(r, FtmSkipped)]
    assert not [r for r in results if isinstance(r, InterchangeError)]
    assert set(entities) == {e.id for e in sample.bundle.entities}
    assert Counter(s.schema for s in skipped) == {"Article": 2, "Documentation": 7, "Event": 1}
    # A Sanction is read back as one (issue 17: it becomes an event of kind sanction).
    (sanction,) = [r for r in results if isinstance(r, FtmSanction)]
    assert sanction.entities == (sample.gromov.id,)
    assert (sanction.date, sanction.precision) == ("2021-04", "month")
    assert sanction.authorities == ("United States",)
    assert sanction.program == "Executive Order 14024"
    assert entities[sample.lavrov.id] == FtmEntity(
        id=sample.lavrov.id,
        schema="Person",
        kind="Person",
        name="Сергей Лавров",
        aliases=("Sergey Lavrov", "Lavrov"),
        wikidata_id="Q207781",
        country="ru",
        description="Foreign minister of Russia",
    )
    russia = entities[sample.russia.id]
    assert (russia.schema, russia.kind, russia.country) == ("LegalEntity", "Country", "ru")


def test_export_bytes_are_deterministic(tmp_path):
    sample = build_sample()
    write_ftm(sample.bundle, tmp_path / "a.jsonl")
    for records in (sample.bundle.entities, sample.bundle.events, sample.bundle.mentions):
        records.reverse()
    write_ftm(sample.bundle, tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


OPENSANCTIONS_LINE = {
    "id": "Q207781",
    "caption": "Sergey Lavrov",
    "schema": "Person",
    "properties": {
        "name": ["Sergey Viktorovich Lavrov", "Сергей Викторович Лавров"],
        "alias": ["Lavrov"],
        "country": ["ru"],
        "wikidataId": ["Q207781"],
        "notes": ["Minister of Foreign Affairs"],
        "topics": ["sanction", "role.pep"],
        "addressEntity": [{"id": "addr-1", "schema": "Address", "properties": {}}],
    },
    "referents": ["ofac-123", "gb-hmt-456"],
    "datasets": ["us_ofac_sdn", "gb_hmt_sanctions"],
    "first_seen": "2022-02-25T00:00:00",
    "last_seen": "2024-01-01T00:00:00",
    "last_change": "2023-06-01T00:00:00",
    "target": True,
}


def test_an_opensanctions_style_line_with_extra_keys():
    (entity,) = list(iter_ftm_lines([json.dumps(OPENSANCTIONS_LINE, ensure_ascii=False)]))
    assert isinstance(entity, FtmEntity)
    assert entity.id == "Q207781" and entity.kind == "Person"
    assert entity.name in OPENSANCTIONS_LINE["properties"]["name"]
    other_name = next(n for n in OPENSANCTIONS_LINE["properties"]["name"] if n != entity.name)
    assert entity.aliases == (other_name, "Lavrov")
    assert entity.wikidata_id == "Q207781"
    assert entity.country == "ru"
    assert entity.description == "Minister of Foreign Affairs"


def test_malformed_lines_give_their_line_numbers(tmp_path):
    good = json.dumps({"id": "p1", "schema": "Company", "properties": {"name": ["Rosneft"]}})
    lines = [
        good.encode(),
        b'{"id": "x", "schema": ',  # 2
        b"[1, 2]",  # 3
        json.dumps({"schema": "Person", "properties": {"name": ["A"]}}).encode(),  # 4
        json.dumps({"id": "p5", "properties": {"name": ["A"]}}).encode(),  # 5
        json.dumps({"id": "p6", "schema": "Spaceship"}).encode(),  # 6
        json.dumps({"id": "p7", "schema": "Person", "properties": ["name"]}).encode(),  # 7
        json.dumps({"id": "p8", "schema": "Person", "properties": {"name": "A"}}).encode(),
        json.dumps({"id": "p9", "schema": "Person", "properties": {"name": [9]}}).encode(),
        json.dumps({"id": "p10", "schema": "Person", "properties": {"country": ["ru"]}}).encode(),
        "Лавров".encode("cp1251"),  # 11
        b"",  # 12: blank
        json.dumps({"id": 13, "schema": "Person"}).encode(),  # 13
        json.dumps({"id": "s14", "schema": "Ownership", "properties": {}}).encode(),
        good.encode(),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    results = list(iter_ftm(path))
    errors = {r.line: r.message for r in results if isinstance(r, InterchangeError)}
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]
    assert errors[2].startswith("not valid JSON")
    assert errors[3] == "an FtM entity must be a JSON object"
    assert errors[4] == errors[13] == "missing id (a non-empty string)"
    assert errors[5] == "entity p5: missing schema (a string)"
    assert errors[6] == "entity p6: unknown FtM schema 'Spaceship'"
    assert errors[7] == "entity p7: properties must be an object"
    assert errors[8] == errors[9].replace("p9", "p8")
    assert errors[9] == "entity p9: property 'name' must be a list of strings"
    assert errors[10] == "entity p10: has no name"
    assert errors[11].startswith("not UTF-8 text")
    kept = [r for r in results if isinstance(r, FtmEntity)]
    assert [(k.name, k.kind) for k in kept] == [("Rosneft", "Company")] * 2
    assert [r for r in results if isinstance(r, FtmSkipped)] == [FtmSkipped(14, "s14", "Ownership")]
    assert str(next(r for r in results if isinstance(r, InterchangeError))).startswith("line 2: ")


def test_a_byte_order_mark_on_the_first_line_is_tolerated(tmp_path):
    path = tmp_path / "bom.jsonl"
    line = json.dumps({"id": "e1", "schema": "PublicBody", "properties": {"name": ["Kremlin"]}})
    path.write_bytes(b"\xef\xbb\xbf" + line.encode())
    (entity,) = list(iter_ftm(path))
    assert isinstance(entity, FtmEntity) and entity.kind == "PublicBody"


def test_importing_the_package_does_not_load_followthemoney_or_jsonschema():
    code = (
        "import sys, workstation.interchange;"
        "print('followthemoney' in sys.modules, 'jsonschema' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert result.stdout.split() == ["False", "False"]


def test_events_drop_actors_and_targets_left_out_of_the_bundle(tmp_path):
    sample = build_sample()
    sample.bundle.entities.remove(sample.usa)
    path = tmp_path / "out.jsonl"
    write_ftm(sample.bundle, path)
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert sample.usa.id not in {i["id"] for i in items}
    assert sample.usa.id not in json.dumps(items)  # no dangling reference anywhere
    (sanction,) = [i for i in items if i["schema"] == "Sanction"]
    assert "authority" not in sanction["properties"]
    assert sanction["properties"]["entity"] == [sample.gromov.id]
    (event,) = [i for i in items if i["schema"] == "Event"]
    assert event["properties"]["involved"] == [sample.russia.id]
