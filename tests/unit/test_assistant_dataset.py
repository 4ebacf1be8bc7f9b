"""The assistant's hand-labelled evaluation set (tests/data/assistant) loads and is fit to
measure with: enough articles in both languages, new names in each, every category used,
answers to earlier events — and the loader refuses a label that does not match its body."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from bench.assistant_data import ARTICLES_DIR, CATEGORIES, load_articles


@pytest.fixture(scope="module")
def articles():
    return load_articles()


def test_the_set_loads_with_enough_articles_in_both_languages(articles):
    assert len(articles) >= 7
    languages = Counter(article.language for article in articles)
    assert languages["en"] >= 3
    assert languages["ru"] >= 3
    # The first three teach the assistant; both they and the rest hold both languages.
    assert {article.language for article in articles[:3]} == {"en", "ru"}
    assert {article.language for article in articles[3:]} == {"en", "ru"}


def test_every_article_names_someone_the_sample_registry_lacks(articles):
    for article in articles:
        assert article.new_names, article.id
        assert any(not name.is_new for name in article.names), article.id


def test_name_spans_cover_exactly_the_written_name(articles):
    for article in articles:
        for name in article.names:
            assert name.spans, (article.id, name.text)
            for start, end in name.spans:
                assert article.body[start:end] == name.text


def test_russian_articles_label_declined_forms_with_their_nominative(articles):
    russian = [name for article in articles if article.language == "ru" for name in article.names]
    declined = {name.text: name.normal for name in russian if name.text != name.normal}
    assert declined["Лаврова"] == "Сергей Лавров"
    assert declined["Джону Салливану"] == "Джон Салливан"
    assert declined["Марии Захаровой"] == "Мария Захарова"
    assert declined["Владимиром Путиным"] == "Владимир Путин"


def test_every_category_is_used_at_least_twice(articles):
    used = Counter(passage.category for article in articles for passage in article.passages)
    for category in CATEGORIES:
        assert used[category] >= 2, category


def test_events_answer_earlier_events(articles):
    events = [event for article in articles for event in article.events]
    answers = [event for event in events if event.responds_to]
    assert len(answers) >= 5
    own_keys = {event.key for event in events}
    assert any(event.responds_to in own_keys for event in answers)  # within the set
    assert any(event.responds_to not in own_keys for event in answers)  # to the sample
    for article in articles:
        for event in article.events:
            assert event.evidence in article.passages


def test_the_loader_names_the_file_and_the_label_that_does_not_match(tmp_path: Path):
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES_DIR, folder)
    victim = sorted(folder.glob("*.json"))[1]
    data = json.loads(victim.read_text(encoding="utf-8"))
    data["passages"][0]["quote"] += " (not in the body)"
    victim.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{victim.name}: passage .*not found"):
        load_articles(folder)


def test_the_loader_refuses_an_answer_to_a_later_event(tmp_path: Path):
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES_DIR, folder)
    first = sorted(folder.glob("*.json"))[0]
    data = json.loads(first.read_text(encoding="utf-8"))
    later = load_articles()[-1].events[-1].key
    data["events"][0]["responds_to"] = later
    first.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{first.name}: event .*not an earlier event"):
        load_articles(folder)
