"""Sentences to mark: a classifier trained on the workspace's categorised passages proposes
sentences of a new article with a category, a confidence and an explanation.

Features are hashed (``passage_features``): a passage's row is final the moment it is hashed,
and adding examples hashes only the new ones (``PassageModel.add``).

Two stages, because "is this worth marking?" and "which category?" are different questions
with very different evidence — most sentences of a worked article are marked, and the few
unmarked ones say nothing about which category the others belong to:

- P(marked): marked passages against the sentences the officer left unmarked and the
  proposals rejected (the class ``NONE``);
- P(category | marked): the marked passages only, with the codebook's own prior
  (``passage_priors``: each default category's name, description and a few English and
  Russian cue words as pseudo-examples, outweighed as soon as the data disagrees).

A sentence's confidence for a category is the product; ``NONE``'s is 1 − P(marked). A
category with fewer than ``min_examples`` of the officer's passages stays in training (so its
sentences do not teach another category) but is never proposed, priors or not; ``too_few``
lists it.

After a few added examples the classifiers are updated, not refitted (``passage_fitting``);
a full refit comes back once the additions since the last one exceed ``_REFIT_SHARE`` of the
examples, or a class appears, so the drift of warm updates stays bounded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from workstation.domain.assistant import Explanation, LabelledPassage, PassageProposal
from workstation.domain.assistant.passage_features import (
    most_similar,
    shared_hashing,
    weighty_words,
)
from workstation.domain.assistant.passage_fitting import Fitted, fit
from workstation.domain.assistant.passage_priors import prior_examples, prior_rows
from workstation.domain.assistant.sentences import sentences

__all__ = ["NONE", "PassageModel", "evaluate", "least_certain_first", "sentences"]

NONE = "none"  # the class of "nothing to mark here"
NEAREST = 3
EXPLAINED_NEAREST = 8  # proposals per call given their nearest passages; ``explain`` for more

_shared_hashing = shared_hashing  # the name the bench knows
_REFIT_SHARE = 0.05  # added since the last full refit, as a share of its examples


class PassageModel:
    """Trained on labelled passages; proposes sentences to mark. Immutable: ``add`` returns a
    new model that shares the earlier examples' hashed rows."""

    def __init__(
        self,
        examples: tuple[LabelledPassage, ...],
        rows: Any,
        min_examples: int,
        earlier: Fitted | None = None,
        fresh: int = 0,
    ) -> None:
        self.examples = examples
        self.min_examples = min_examples
        self._rows = rows
        self._labels = [example.category or NONE for example in examples]
        counts = Counter(label for label in self._labels if label != NONE)
        self.too_few: dict[str, int] = {
            category: count for category, count in sorted(counts.items()) if count < min_examples
        }
        self.proposable: frozenset[str] = frozenset(counts) - frozenset(self.too_few)
        self._fitted: Fitted | None = None
        self._classes: list[str] = []
        self._members: dict[str, Any] = {}  # class -> its examples' indices
        self._member_rows: dict[str, Any] = {}  # class -> its rows, sliced when first asked
        if self.ready:
            self._fit(earlier, fresh)

    @classmethod
    def train(cls, examples: Sequence[LabelledPassage], *, min_examples: int = 5) -> PassageModel:
        kept = _latest_per_key(examples)
        rows = shared_hashing().rows([example.text for example in kept])
        return cls(tuple(kept), rows, min_examples)

    def add(self, examples: Sequence[LabelledPassage], *, drop: Iterable[str] = ()) -> PassageModel:
        """A model trained on the earlier examples and these, less those keyed in ``drop``;
        only the new ones are hashed. An example whose key is already known replaces the
        earlier one (a recategorised passage, a rejected proposal later accepted)."""
        import scipy.sparse as sp

        new = _latest_per_key(examples)
        replaced = {example.key for example in new if example.key} | set(drop)
        if not new and not replaced & {example.key for example in self.examples}:
            return self
        keep = [i for i, old in enumerate(self.examples) if not old.key or old.key not in replaced]
        new_rows = shared_hashing().rows([example.text for example in new])
        old_rows = self._rows if len(keep) == len(self.examples) else self._rows[keep]
        rows = sp.vstack([old_rows, new_rows], format="csr")
        kept = tuple(self.examples[i] for i in keep) + tuple(new)
        earlier = self._fitted
        if earlier is not None:
            added = earlier.added_since + len(new) + len(self.examples) - len(keep)
            if added > _REFIT_SHARE * max(earlier.refitted_at, 1):
                earlier = None  # too far from the last full refit: start again
            else:
                earlier = Fitted(earlier.marked, earlier.category, earlier.refitted_at, added)
        return PassageModel(kept, rows, self.min_examples, earlier, len(new))

    @property
    def ready(self) -> bool:
        """Whether at least two categories have enough examples to tell them apart."""
        return len(self.proposable) >= 2

    @property
    def classes(self) -> list[str]:
        """The columns of ``probabilities``: the categories, then ``NONE``."""
        return list(self._classes)

    @property
    def _classifier(self) -> Any:
        """The category classifier (the bench times its bare ``predict_proba``)."""
        return None if self._fitted is None else self._fitted.category

    def _fit(self, earlier: Fitted | None, fresh_count: int) -> None:
        import numpy as np
        import scipy.sparse as sp

        labels = np.asarray(self._labels)
        fresh = np.arange(len(labels)) >= len(labels) - fresh_count  # ``add`` appends
        is_marked = labels != NONE
        marked = None
        if not is_marked.all():
            # Not balanced: how often a sentence is worth marking is exactly what this
            # stage should learn (most sentences of a worked news article are).
            marked = fit(
                earlier.marked if earlier else None,
                lambda chosen: self._rows if chosen is None else self._rows[chosen],
                np.where(is_marked, "marked", NONE),
                fresh,
                balanced=False,
            )
        passages = np.flatnonzero(is_marked)
        priors = prior_examples(set(self._labels) - {NONE})
        pseudo_rows = prior_rows(priors)

        def take(chosen: Any) -> Any:
            """Rows of the marked passages, then of the priors: ``chosen`` indexes both, and
            the rows come in its order (it may repeat and interleave them)."""
            if chosen is None:
                return sp.vstack([self._rows[passages], pseudo_rows], format="csr")
            real = chosen < len(passages)
            stacked = sp.vstack(
                [self._rows[passages[chosen[real]]], pseudo_rows[chosen[~real] - len(passages)]],
                format="csr",
            )
            return stacked[
                np.argsort(np.concatenate([np.flatnonzero(real), np.flatnonzero(~real)]))
            ]

        category = fit(
            earlier.category if earlier else None,
            take,
            np.concatenate([labels[passages], [prior.category for prior in priors]]),
            np.concatenate([fresh[passages], np.zeros(len(priors), dtype=bool)]),
        )
        if earlier is None:
            self._fitted = Fitted(marked, category, len(self.examples), 0)
        else:
            self._fitted = Fitted(marked, category, earlier.refitted_at, earlier.added_since)
        self._classes = [str(c) for c in category.classes_ if c != NONE] + [NONE]
        self._members = {name: np.flatnonzero(labels == name) for name in self._classes}

    def _probabilities(self, rows: Any) -> Any:
        import numpy as np

        assert self._fitted is not None
        category = self._fitted.category
        given = category.predict_proba(rows)
        if self._fitted.marked is None:
            worth = np.ones(rows.shape[0])
        else:
            marked = self._fitted.marked
            worth = marked.predict_proba(rows)[:, list(marked.classes_).index("marked")]
        return np.hstack([given * worth[:, None], (1 - worth)[:, None]])

    def probabilities(self, texts: Sequence[str]) -> Any:
        """(len(texts), len(classes)) class probabilities; columns follow ``classes``."""
        if self._fitted is None:
            raise ValueError("too few examples: " + _describe(self.too_few))
        return self._probabilities(shared_hashing().rows(texts))

    def predict(self, texts: Sequence[str], *, min_confidence: float = 0.0) -> list[str]:
        """What ``propose`` would say of each text: a proposable category, or ``NONE``."""
        if not self.ready or not texts:
            return [NONE] * len(texts)
        return [
            category if category in self.proposable and confidence >= min_confidence else NONE
            for category, confidence, _margin in self._best(self.probabilities(texts))
        ]

    def _best(self, probabilities: Any) -> list[tuple[str, float, float]]:
        """Each row's most probable class, its probability and its lead over the next."""
        found = []
        for row in probabilities:
            order = row.argsort()[::-1]
            runner_up = float(row[order[1]]) if len(order) > 1 else 0.0
            best = float(row[order[0]])
            found.append((self._classes[int(order[0])], best, best - runner_up))
        return found

    def propose(
        self,
        body: str,
        *,
        skip: Sequence[tuple[int, int]] = (),
        min_confidence: float = 0.5,
    ) -> list[PassageProposal]:
        """Sentences of ``body`` not overlapping ``skip`` whose most probable class is a
        proposable category with at least ``min_confidence``, in text order, each with the
        words that weighed most and — for the ``EXPLAINED_NEAREST`` most confident — the
        nearest labelled passages of that category (``explain`` gives them for any)."""
        if not self.ready:
            return []
        spans = [span for span in sentences(body) if not _overlaps(span, skip)]
        if not spans:
            return []
        texts = [body[start:end] for start, end in spans]
        rows = shared_hashing().rows(texts)
        chosen = [
            (index, category, confidence, margin)
            for index, (category, confidence, margin) in enumerate(
                self._best(self._probabilities(rows))
            )
            if category in self.proposable and confidence >= min_confidence
        ]
        if not chosen:
            return []
        picked = rows[[index for index, *_ in chosen]]
        categories = [category for _, category, *_ in chosen]
        words = weighty_words(
            [texts[index] for index, *_ in chosen],
            picked,
            [self._weight_of(category) for category in categories],
        )
        # Finding the nearest passages costs a product against a whole category's rows:
        # only the proposals the officer sees first get them.
        ranked = sorted(range(len(chosen)), key=lambda i: -chosen[i][2])
        near = set(ranked[:EXPLAINED_NEAREST])
        nearest = self._nearest_by_category(
            picked[sorted(near)], [categories[i] for i in sorted(near)]
        )
        nearest_of = dict(zip(sorted(near), nearest, strict=True))
        proposals = []
        for position, (index, category, confidence, margin) in enumerate(chosen):
            explanation = Explanation(words=words[position], nearest=nearest_of.get(position, ()))
            start, end = spans[index]
            proposals.append(
                PassageProposal(
                    start=start,
                    end=end,
                    text=texts[index],
                    category=category,
                    confidence=confidence,
                    margin=margin,
                    explanation=explanation,
                )
            )
        return proposals

    def explain(self, text: str, category: str, k: int = NEAREST) -> Explanation:
        """Why ``text`` would be ``category``: its words that weigh most for the category and
        the ``k`` labelled passages of that category nearest to it (cosine similarity)."""
        if self._fitted is None or category not in self._classes or category == NONE:
            return Explanation()
        row = shared_hashing().rows([text])
        return Explanation(
            words=weighty_words([text], row, [self._weight_of(category)])[0],
            nearest=self._nearest_by_category(row, [category], k)[0],
        )

    def _weight_of(self, category: str) -> Any:
        """The category's feature weights in the category classifier (the marked-or-not
        stage weighs every category alike, so it does not tell one from another)."""
        assert self._fitted is not None
        classifier = self._fitted.category
        weights = classifier.coef_
        if weights.shape[0] == 1:  # two classes: scikit-learn keeps the second class's side
            return weights[0] if category == classifier.classes_[1] else -weights[0]
        return weights[list(classifier.classes_).index(category)]

    def _nearest_by_category(
        self, rows: Any, categories: Sequence[str], k: int = NEAREST
    ) -> list[tuple[tuple[str, str, str, float], ...]]:
        """For each row, the ``k`` labelled passages of its category most similar to it:
        key, text, category, cosine similarity (rows are unit length, so a dot product).
        One sparse product per category, against that category's rows only."""
        import numpy as np

        found: list[tuple[tuple[str, str, str, float], ...]] = [()] * len(categories)
        for category in dict.fromkeys(categories):
            members = self._members.get(category)
            if members is None or not len(members) or k <= 0:
                continue
            if category not in self._member_rows:  # sliced once per model, not per call
                self._member_rows[category] = self._rows[members]
            asking = [i for i, wanted in enumerate(categories) if wanted == category]
            similarity = most_similar(self._member_rows[category], rows[asking])
            for position, row_similarity in zip(asking, similarity, strict=True):
                best = np.argsort(-row_similarity, kind="stable")[:k]
                found[position] = tuple(
                    (
                        self.examples[int(members[i])].key,
                        self.examples[int(members[i])].text,
                        category,
                        float(row_similarity[i]),
                    )
                    for i in best
                )
        return found


def _latest_per_key(examples: Iterable[LabelledPassage]) -> list[LabelledPassage]:
    """The examples in order, a keyed one kept only at its last occurrence; empty texts
    dropped (they carry no evidence)."""
    examples = [example for example in examples if example.text.strip()]
    last = {example.key: index for index, example in enumerate(examples) if example.key}
    return [
        example
        for index, example in enumerate(examples)
        if not example.key or last[example.key] == index
    ]


def _overlaps(span: tuple[int, int], marked: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in marked)


def _describe(too_few: dict[str, int]) -> str:
    return ", ".join(f"{category} ({count})" for category, count in too_few.items()) or "none"


def least_certain_first(proposals: Iterable[PassageProposal]) -> list[PassageProposal]:
    """Active learning order: the proposals the model is least sure of (smallest margin over
    the runner-up) first, so the officer's answer teaches the most; ties in text order."""
    return sorted(proposals, key=lambda proposal: (proposal.margin, proposal.start))


def evaluate(
    train: Sequence[LabelledPassage],
    test: Sequence[LabelledPassage],
    *,
    min_examples: int = 5,
    min_confidence: float = 0.0,
) -> dict[str, Any]:
    """Train on ``train``, predict ``test`` as ``propose`` would (a sentence under
    ``min_confidence`` or of a too-rare category counts as "nothing"), and score the real
    categories: ``{"categories": {name: {"precision", "recall", "f1", "support"}},
    "macro_f1", "accuracy", "too_few", "ready"}``. Macro-F1 averages over the categories
    present in ``test`` or predicted, never over ``NONE``."""
    model = PassageModel.train(train, min_examples=min_examples)
    truth = [example.category or NONE for example in test]
    guesses = model.predict([example.text for example in test], min_confidence=min_confidence)
    categories = sorted(({*truth, *guesses}) - {NONE})
    scores: dict[str, dict[str, float]] = {}
    for category in categories:
        hits = sum(1 for t, g in zip(truth, guesses, strict=True) if t == g == category)
        predicted = guesses.count(category)
        support = truth.count(category)
        precision = hits / predicted if predicted else 0.0
        recall = hits / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[category] = {"precision": precision, "recall": recall, "f1": f1}
        scores[category]["support"] = float(support)
    right = sum(1 for t, g in zip(truth, guesses, strict=True) if t == g)
    return {
        "categories": scores,
        "macro_f1": sum(s["f1"] for s in scores.values()) / len(scores) if scores else 0.0,
        "accuracy": right / len(truth) if truth else 0.0,
        "too_few": dict(model.too_few),
        "ready": model.ready,
    }
