"""The passage classifier on the sample episode: the officer's passages (quote + category)
are the examples, the sentences of the two articles left unmarked are "nothing here"."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from workstation.domain.assistant import LabelledPassage, PassageProposal
from workstation.domain.assistant.passages import (
    EXPLAINED_NEAREST,
    NONE,
    PassageModel,
    evaluate,
    least_certain_first,
    sentences,
)
from workstation.domain.assistant.sentences import LONGEST_SENTENCE

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
GROMOV = (
    "Among those individuals is Alexei Gromov, deputy chief of staff in the Russian "
    "president's office."
)


@cache
def sample() -> tuple[dict[str, str], dict[str, list[tuple[int, int]]], list[LabelledPassage]]:
    """Bodies by document key, marked spans by document key, and the labelled passages."""
    episode = json.loads((SAMPLE / "episode.json").read_text(encoding="utf-8"))
    bodies = {
        document["key"]: (SAMPLE / document["file"]).read_text(encoding="utf-8")
        for document in episode["documents"]
    }
    marked: dict[str, list[tuple[int, int]]] = {key: [] for key in bodies}
    examples = []
    for passage in episode["passages"]:
        body = bodies[passage["document"]]
        start = -1
        for _ in range(passage.get("occurrence", 1)):
            start = body.index(passage["quote"], start + 1)
        marked[passage["document"]].append((start, start + len(passage["quote"])))
        examples.append(LabelledPassage(passage["quote"], passage["category"], passage["key"]))
    for key, body in bodies.items():
        for start, end in sentences(body):
            if not any(start < stop and begin < end for begin, stop in marked[key]):
                examples.append(LabelledPassage(body[start:end], None, f"{key}:{start}"))
    return bodies, marked, examples


def without(*keys: str) -> list[LabelledPassage]:
    return [example for example in sample()[2] if example.key not in keys]


def test_sample_has_both_marked_and_unmarked_sentences() -> None:
    examples = sample()[2]
    assert sum(example.category is None for example in examples) >= 1
    assert sum(example.category == "Sanction" for example in examples) == 11


def test_held_out_sanction_sentence_is_proposed_as_sanction() -> None:
    bodies, marked, _ = sample()
    model = PassageModel.train(without("a-gromov"))
    body = bodies["us-order"]
    gromov = body.index(GROMOV)
    others = [span for span in marked["us-order"] if span != (gromov, gromov + len(GROMOV))]

    proposals = model.propose(body, skip=others)

    assert [(p.start, p.end, p.category) for p in proposals] == [
        (gromov, gromov + len(GROMOV), "Sanction")
    ]
    proposal = proposals[0]
    assert proposal.text == GROMOV
    assert 0.5 <= proposal.confidence <= 1
    assert 0 < proposal.margin <= proposal.confidence


def test_explanation_words_come_from_the_sentence_and_nearest_from_the_category() -> None:
    model = PassageModel.train(without("a-gromov"))
    sanctions = {e.key for e in sample()[2] if e.category == "Sanction"}

    explanation = model.explain(GROMOV, "Sanction")

    assert 1 <= len(explanation.words) <= 5
    folded = GROMOV.lower()
    for word, weight in explanation.words:
        assert weight > 0
        assert all(part in folded for part in word.split())
    weights = [weight for _, weight in explanation.words]
    assert weights == sorted(weights, reverse=True)
    assert len(explanation.nearest) == 3
    for key, text, category, similarity in explanation.nearest:
        assert category == "Sanction"
        assert key in sanctions and key != "a-gromov"
        assert text
        assert 0 < similarity <= 1
    similarities = [similarity for *_, similarity in explanation.nearest]
    assert similarities == sorted(similarities, reverse=True)


def test_proposals_carry_their_explanation() -> None:
    bodies, _, _ = sample()
    model = PassageModel.train(without("a-gromov"))
    proposals = model.propose(bodies["us-order"], min_confidence=0.0)
    assert len(proposals) > EXPLAINED_NEAREST
    # The most confident get their nearest passages; the others their words, and ``explain``.
    confident = sorted(proposals, key=lambda p: -p.confidence)[:EXPLAINED_NEAREST]
    for proposal in proposals:
        full = model.explain(proposal.text, proposal.category)
        assert proposal.explanation.words == full.words
        assert proposal.explanation.nearest == (full.nearest if proposal in confident else ())


def test_identical_passage_is_its_own_nearest() -> None:
    model = PassageModel.train(sample()[2])
    key, text, category, similarity = model.explain(GROMOV, "Sanction", k=1).nearest[0]
    assert (key, text, category) == ("a-gromov", GROMOV, "Sanction")
    assert similarity == pytest.approx(1.0)


def test_rare_categories_are_reported_and_never_proposed() -> None:
    bodies, _, examples = sample()
    model = PassageModel.train(examples)

    assert model.too_few == {"Arms control": 1, "Countermeasure": 2, "Expulsion": 1, "Other": 1}
    assert model.ready
    assert model.proposable == {"Accusation", "Diplomatic step", "Sanction", "Statement"}
    for body in bodies.values():
        for proposal in model.propose(body, min_confidence=0.0):
            assert proposal.category in model.proposable


def test_not_ready_with_a_single_category() -> None:
    bodies, _, examples = sample()
    model = PassageModel.train([e for e in examples if e.category in {"Sanction", None}])

    assert not model.ready
    assert model.propose(bodies["us-order"], min_confidence=0.0) == []
    assert model.predict([GROMOV]) == [NONE]
    with pytest.raises(ValueError, match="too few examples"):
        model.probabilities([GROMOV])


def test_min_examples_decides_what_is_too_few() -> None:
    model = PassageModel.train(sample()[2], min_examples=12)
    assert not model.ready
    assert model.too_few["Sanction"] == 11


def test_add_learns_from_the_officers_answer() -> None:
    bodies, marked, _ = sample()
    body = bodies["us-order"]
    model = PassageModel.train(without("a-gromov"))
    gromov = body.index(GROMOV)
    others = [span for span in marked["us-order"] if span[0] != gromov]
    assert [p.category for p in model.propose(body, skip=others)] == ["Sanction"]

    # The officer rejects the proposal: the sentence becomes an example of "nothing here".
    rejected = model.add([LabelledPassage(GROMOV, None, "rejected-gromov")])

    assert len(rejected.examples) == len(model.examples) + 1
    assert GROMOV not in [p.text for p in rejected.propose(body, skip=others)]
    assert rejected.predict([GROMOV]) == [NONE]


FREEZE = (
    "Washington froze the assets of six Russian technology companies and barred them from "
    "the US financial system."
)


def test_one_more_example_updates_the_model_close_to_a_full_retrain() -> None:
    examples = sample()[2]
    answer = LabelledPassage(FREEZE, "Sanction", "new-freeze")
    updated = PassageModel.train(examples).add([answer])  # 1 of 34: a warm update
    retrained = PassageModel.train([*examples, answer])
    texts = [example.text for example in examples]

    assert updated.classes == retrained.classes
    assert updated.predict([FREEZE]) == ["Sanction"]
    agree = [a == b for a, b in zip(updated.predict(texts), retrained.predict(texts), strict=True)]
    assert sum(agree) >= 0.9 * len(texts)
    assert (updated.probabilities(texts) != retrained.probabilities(texts)).any()  # not a refit


def test_probabilities_are_per_category_then_none_and_sum_to_one() -> None:
    model = PassageModel.train(sample()[2])
    rows = model.probabilities([GROMOV, "The weather in Moscow was mild on Thursday."])
    assert model.classes[-1] == NONE
    assert model.classes[:-1] == sorted(model.classes[:-1])
    assert rows.shape == (2, len(model.classes))
    assert abs(rows.sum(axis=1) - 1).max() < 1e-9


def test_the_codebook_prior_reads_russian_before_any_russian_passage() -> None:
    # Only English passages, one of them an expulsion; the prior's cue words ("персона нон
    # грата", "покинуть страну") carry the category to a Russian sentence.
    model = PassageModel.train(sample()[2], min_examples=1)
    russian = "Москва объявила персоной нон грата двух дипломатов и потребовала покинуть страну."
    assert model.predict([russian]) == ["Expulsion"]


def test_the_prior_never_makes_a_category_proposable() -> None:
    model = PassageModel.train(sample()[2])
    assert "Expulsion" in model.too_few
    russian = "Москва объявила персоной нон грата двух дипломатов и потребовала покинуть страну."
    assert model.predict([russian], min_confidence=0.0) != ["Expulsion"]


def test_add_is_the_same_as_training_on_everything() -> None:
    examples = sample()[2]
    first, later = examples[:20], examples[20:]
    grown = PassageModel.train(first).add(later)
    whole = PassageModel.train(examples)
    texts = [example.text for example in examples]
    assert grown.classes == whole.classes
    assert (grown.probabilities(texts) == whole.probabilities(texts)).all()


def test_a_known_key_replaces_the_earlier_example() -> None:
    model = PassageModel.train(sample()[2])
    moved = model.add([LabelledPassage(GROMOV, "Accusation", "a-gromov")])
    assert len(moved.examples) == len(model.examples)
    labels = {e.key: e.category for e in moved.examples}
    assert labels["a-gromov"] == "Accusation"
    keys = [key for key, *_ in moved.explain(GROMOV, "Accusation", k=10).nearest]
    assert "a-gromov" in keys
    assert "a-gromov" not in [key for key, *_ in moved.explain(GROMOV, "Sanction", k=10).nearest]


def test_offsets_are_code_points_after_an_astral_character() -> None:
    bodies, _, _ = sample()
    model = PassageModel.train(without("a-gromov"))
    body = "𝐔𝐒 ✉️ 🇷🇺 Newsletter\n" + bodies["us-order"]

    proposals = model.propose(body)

    assert proposals
    for proposal in proposals:
        assert body[proposal.start : proposal.end] == proposal.text
    assert GROMOV in [proposal.text for proposal in proposals]


RUSSIAN = [
    ("США ввели санкции против российских компаний и чиновников.", "Sanction"),
    ("Евросоюз расширил санкционный список и заморозил активы четырех чиновников.", "Sanction"),
    ("Минфин США объявил о санкциях против суверенного долга России.", "Sanction"),
    ("Новые санкции затронут банки и оборонные предприятия.", "Sanction"),
    ("Брюссель ввел запрет на въезд и заморозку активов генпрокурора.", "Sanction"),
    ("МИД России вызвал посла США для жесткого разговора.", "Diplomatic step"),
    ("Посол России отозван из Вашингтона для консультаций.", "Diplomatic step"),
    ("США закрывают генеральное консульство во Владивостоке.", "Diplomatic step"),
    ("Консульство в Екатеринбурге приостанавливает работу.", "Diplomatic step"),
    ("Путин направил Байдену поздравительную телеграмму после выборов.", "Diplomatic step"),
    ("Погода в Москве на выходных будет солнечной и теплой.", None),
    ("Футбольный клуб из Казани выиграл домашний матч у гостей.", None),
    ("Цены на овощи на рынках города немного снизились за неделю.", None),
    ("В парке открылась новая детская площадка с качелями.", None),
    ("Театр представил премьеру спектакля по пьесе Чехова.", None),
]


def test_russian_inflected_forms_meet_through_character_ngrams() -> None:
    examples = [
        LabelledPassage(text, category, f"ru{i}") for i, (text, category) in enumerate(RUSSIAN)
    ]
    model = PassageModel.train(examples)
    # No inflected form here is in the examples word for word: "санкциями", "посла" aside.
    body = (
        "Вашингтон пригрозил новыми санкциями российским компаниям и банкам.\n"
        "Генеральные консульства США в России закрываются одно за другим."
    )

    proposals = model.propose(body, min_confidence=0.0)

    assert [p.category for p in proposals] == ["Sanction", "Diplomatic step"]
    words = [word for word, _ in proposals[0].explanation.words]
    assert words and all(part in proposals[0].text.lower() for w in words for part in w.split())
    assert any(word.startswith("санкц") for word in words)


def test_least_certain_first_orders_by_margin() -> None:
    bodies, _, _ = sample()
    model = PassageModel.train(without("a-gromov", "a-emergency", "b-zolotov"))
    proposals = model.propose(bodies["us-order"] + "\n" + bodies["roundup"], min_confidence=0.0)
    assert len(proposals) >= 3

    ordered = least_certain_first(proposals)

    assert sorted(ordered, key=lambda p: p.start) == sorted(proposals, key=lambda p: p.start)
    margins = [proposal.margin for proposal in ordered]
    assert margins == sorted(margins)
    assert ordered[0].margin < ordered[-1].margin


def test_least_certain_first_breaks_ties_in_text_order() -> None:
    def proposal(start: int, margin: float) -> PassageProposal:
        return PassageProposal(start, start + 5, "x", "Sanction", 0.9, margin)

    made = [proposal(30, 0.2), proposal(10, 0.2), proposal(20, 0.1)]
    assert [p.start for p in least_certain_first(made)] == [20, 10, 30]


def test_evaluate_scores_real_categories_only() -> None:
    examples = sample()[2]
    train = [e for e in examples if e.key.startswith(("a-", "us-order"))]
    test = [e for e in examples if e not in train]

    report = evaluate(train + test[::2], test[1::2], min_examples=2)

    assert report["categories"]
    assert NONE not in report["categories"]
    for scores in report["categories"].values():
        for name in ("precision", "recall", "f1"):
            assert 0.0 <= scores[name] <= 1.0
    f1s = [scores["f1"] for scores in report["categories"].values()]
    assert report["macro_f1"] == pytest.approx(sum(f1s) / len(f1s))
    assert 0.0 < report["macro_f1"] <= 1.0
    assert 0.0 <= report["accuracy"] <= 1.0


def test_evaluate_on_its_training_data_is_nearly_perfect() -> None:
    examples = [e for e in sample()[2] if e.category in {"Sanction", "Accusation", "Statement"}]
    report = evaluate(examples, examples)
    assert report["macro_f1"] > 0.9


def test_sentences_are_stripped_code_point_spans() -> None:
    body = "Russia assures reciprocity\n  Moscow said «ничего» 🙂 today, again.  Short one.\nOK"
    spans = sentences(body)
    texts = [body[start:end] for start, end in spans]
    assert texts == ["Moscow said «ничего» 🙂 today, again."]


def test_a_headline_is_not_glued_to_the_next_sentence() -> None:
    body = "Russia assures reciprocity of all measures\nReacting to the sanctions, Peskov spoke."
    assert [body[s:e] for s, e in sentences(body)] == [
        "Russia assures reciprocity of all measures",
        "Reacting to the sanctions, Peskov spoke.",
    ]


def test_a_long_stretch_without_punctuation_is_cut_at_word_boundaries() -> None:
    body = " ".join(f"слово{i}" for i in range(300))
    spans = sentences(body)
    assert len(spans) > 1
    assert all(end - start <= LONGEST_SENTENCE for start, end in spans)
    assert " ".join(body[s:e] for s, e in spans) == body


def test_dropped_keys_leave_the_model() -> None:
    model = PassageModel.train(sample()[2])
    dropped = model.add([], drop=["a-gromov", "unknown-key"])
    assert len(dropped.examples) == len(model.examples) - 1
    assert "a-gromov" not in {example.key for example in dropped.examples}
    assert model.add([], drop=["unknown-key"]) is model
