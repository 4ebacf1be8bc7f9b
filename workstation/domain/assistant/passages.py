"""Sentences to mark: a classifier trained on the workspace's categorised passages proposes
sentences of a new article with a category, a confidence and an explanation.

Features are hashed, so nothing is fitted before the classifier: a passage's row is final the
moment it is hashed, and adding examples hashes only the new ones (``PassageModel.add``). Two
blocks, each l2-normalised after a log of the counts and weighted equally:

- words: unigrams and bigrams, lower-cased with ё folded to е;
- character n-grams (3–5, inside word boundaries), so "санкции", "санкций" and "санкциями"
  share most features and Russian inflection does not split the evidence.

The classifier is logistic regression fitted by stochastic gradient descent (one-vs-rest,
balanced class weights, a fixed seed). LogisticRegression's lbfgs was measured too: at 10,000
passages it took 54 s against 0.6 s for a held-out accuracy 1.6 points higher. The sentences
the officer left unmarked, and the proposals rejected, are the class ``NONE``: the model can
say "nothing here" instead of forcing every sentence into a category. A category with fewer
than ``min_examples`` examples stays in training (so its sentences do not teach another
category) but is never proposed; ``too_few`` lists it.

Hashes cannot be inverted, so ``Explanation.words`` is computed from the sentence itself: each
word and bigram of the sentence is hashed alone with the same settings, and its contribution
is the class weight times the sentence's feature value at that column. A character n-gram's
contribution is shared among the words it came from, in proportion to their counts, so the
words' contributions add up to the sentence's score for the class (less the intercept).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from workstation.domain.assistant import Explanation, LabelledPassage, PassageProposal
from workstation.domain.assistant.sentences import sentences

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["NONE", "PassageModel", "evaluate", "least_certain_first", "sentences"]

NONE = "none"  # the class of "nothing to mark here"
EXPLAINING_WORDS = 5
NEAREST = 3

_WORD_FEATURES = 2**16
_CHAR_FEATURES = 2**16
_BLOCK_WEIGHT = math.sqrt(0.5)  # both blocks weigh alike, and a row keeps unit length
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
_ALPHA = 1e-4  # L2 penalty; 1e-5 overfits the sample, 1e-3 leaves it under 0.5 confidence
_UPDATES = 30_000
_FEWEST_EPOCHS = 3
_MOST_EPOCHS = 20
_RANDOM_STATE = 0
_DENSE_NEAREST_FROM = 500  # passages in a category; measured at 10,000 examples


def fold(text: str) -> str:
    """Lower case, ё as е: how Russian is often typed, and both must meet one feature."""
    return text.lower().replace("ё", "е")


class _Hashing:
    """The two analyzers and hashers, built once (building them imports scikit-learn)."""

    def __init__(self) -> None:
        from sklearn.feature_extraction import FeatureHasher
        from sklearn.feature_extraction.text import HashingVectorizer

        words = HashingVectorizer(analyzer="word", ngram_range=(1, 2), preprocessor=fold)
        chars = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), preprocessor=fold)
        self.word_analyzer: Callable[[str], list[str]] = words.build_analyzer()
        self.char_analyzer: Callable[[str], list[str]] = chars.build_analyzer()
        self.word_hasher = FeatureHasher(_WORD_FEATURES, input_type="string", alternate_sign=False)
        self.char_hasher = FeatureHasher(_CHAR_FEATURES, input_type="string", alternate_sign=False)

    def rows(self, texts: Sequence[str]) -> Any:
        """One unit-length row per text (a scipy CSR matrix): word block, then char block."""
        import numpy as np
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        if not texts:  # FeatureHasher cannot transform nothing (it peeks at the first row)
            return sp.csr_matrix((0, _WORD_FEATURES + _CHAR_FEATURES), dtype=np.float64)
        blocks = []
        for hasher, analyzer in (
            (self.word_hasher, self.word_analyzer),
            (self.char_hasher, self.char_analyzer),
        ):
            block = hasher.transform(analyzer(text) for text in texts)
            np.log1p(block.data, out=block.data)
            block = normalize(block, copy=False) * _BLOCK_WEIGHT
            blocks.append(block)
        return sp.hstack(blocks, format="csr")


_hashing: _Hashing | None = None


def _shared_hashing() -> _Hashing:
    global _hashing
    if _hashing is None:
        _hashing = _Hashing()
    return _hashing


def _make_classifier(examples: int) -> Any:
    from sklearn.linear_model import SGDClassifier

    # About the same number of updates whatever the size: a few dozen examples need many
    # passes, ten thousand converge in a few, and training time stays under a second.
    epochs = max(_FEWEST_EPOCHS, min(_MOST_EPOCHS, round(_UPDATES / max(examples, 1))))
    return SGDClassifier(
        loss="log_loss",
        alpha=_ALPHA,
        class_weight="balanced",
        max_iter=epochs,
        tol=None,
        random_state=_RANDOM_STATE,
    )


class PassageModel:
    """Trained on labelled passages; proposes sentences to mark. Immutable: ``add`` returns a
    new model that shares the earlier examples' hashed rows."""

    def __init__(
        self,
        examples: tuple[LabelledPassage, ...],
        rows: Any,
        min_examples: int,
    ) -> None:
        # Examples (and their rows) are kept grouped by class, so the passages of one
        # category are a contiguous slice for the nearest-passage search.
        order = sorted(range(len(examples)), key=lambda i: examples[i].category or NONE)
        if order != list(range(len(examples))):
            examples = tuple(examples[i] for i in order)
            rows = rows[order]
        self.examples = examples
        self.min_examples = min_examples
        self._rows = rows
        self._labels = [example.category or NONE for example in examples]
        counts = Counter(label for label in self._labels if label != NONE)
        self.too_few: dict[str, int] = {
            category: count for category, count in sorted(counts.items()) if count < min_examples
        }
        self.proposable: frozenset[str] = frozenset(counts) - frozenset(self.too_few)
        self._classifier: Any = None
        self._weights: Any = None  # one dense row of feature weights per class
        self._by_category: dict[str, tuple[int, int]] = {}  # class -> slice of examples
        if self.ready:
            self._fit()

    @classmethod
    def train(cls, examples: Sequence[LabelledPassage], *, min_examples: int = 5) -> PassageModel:
        kept = _latest_per_key(examples)
        rows = _shared_hashing().rows([example.text for example in kept])
        return cls(tuple(kept), rows, min_examples)

    def add(self, examples: Sequence[LabelledPassage]) -> PassageModel:
        """A model trained on the earlier examples and these; only these are hashed. An
        example whose key is already known replaces the earlier one (a recategorised
        passage, a rejected proposal later accepted)."""
        import scipy.sparse as sp

        new = _latest_per_key(examples)
        if not new:
            return self
        replaced = {example.key for example in new if example.key}
        keep = [i for i, old in enumerate(self.examples) if not old.key or old.key not in replaced]
        new_rows = _shared_hashing().rows([example.text for example in new])
        old_rows = self._rows if len(keep) == len(self.examples) else self._rows[keep]
        rows = sp.vstack([old_rows, new_rows], format="csr")
        kept = tuple(self.examples[i] for i in keep) + tuple(new)
        return PassageModel(kept, rows, self.min_examples)

    @property
    def ready(self) -> bool:
        """Whether at least two categories have enough examples to tell them apart."""
        return len(self.proposable) >= 2

    @property
    def classes(self) -> list[str]:
        return [] if self._classifier is None else [str(c) for c in self._classifier.classes_]

    def _fit(self) -> None:
        import numpy as np

        classifier = _make_classifier(len(self._labels))
        classifier.fit(self._rows, np.asarray(self._labels))
        self._classifier = classifier
        weights = np.asarray(classifier.coef_)
        if weights.shape[0] == 1:  # two classes: scikit-learn keeps the second class's side
            weights = np.vstack([-weights[0], weights[0]])
        self._weights = weights
        labels = np.asarray(self._labels)
        self._by_category = {}
        for category in classifier.classes_:
            members = np.flatnonzero(labels == category)
            self._by_category[str(category)] = (int(members[0]), int(members[-1]) + 1)

    def probabilities(self, texts: Sequence[str]) -> Any:
        """(len(texts), len(classes)) class probabilities; columns follow ``classes``."""
        if self._classifier is None:
            raise ValueError("too few examples: " + _describe(self.too_few))
        return self._classifier.predict_proba(_shared_hashing().rows(texts))

    def predict(self, texts: Sequence[str], *, min_confidence: float = 0.0) -> list[str]:
        """What ``propose`` would say of each text: a proposable category, or ``NONE``."""
        if not self.ready or not texts:
            return [NONE] * len(texts)
        classes = self.classes
        answers = []
        for row in self.probabilities(texts):
            best = int(row.argmax())
            category = classes[best]
            good = category in self.proposable and row[best] >= min_confidence
            answers.append(category if good else NONE)
        return answers

    def propose(
        self,
        body: str,
        *,
        skip: Sequence[tuple[int, int]] = (),
        min_confidence: float = 0.5,
    ) -> list[PassageProposal]:
        """Sentences of ``body`` not overlapping ``skip`` whose most probable class is a
        proposable category with at least ``min_confidence``, in text order, each with the
        words that weighed most and the nearest labelled passages of that category."""
        if not self.ready:
            return []
        spans = [span for span in sentences(body) if not _overlaps(span, skip)]
        if not spans:
            return []
        texts = [body[start:end] for start, end in spans]
        rows = _shared_hashing().rows(texts)
        probabilities = self._classifier.predict_proba(rows)
        classes = self.classes
        chosen: list[tuple[int, str, float, float]] = []  # sentence, category, confidence, margin
        for index, row in enumerate(probabilities):
            order = row.argsort()[::-1]
            category = classes[int(order[0])]
            confidence = float(row[order[0]])
            if category in self.proposable and confidence >= min_confidence:
                runner_up = float(row[order[1]]) if len(order) > 1 else 0.0
                chosen.append((index, category, confidence, confidence - runner_up))
        if not chosen:
            return []
        picked = rows[[index for index, *_ in chosen]]
        nearest = self._nearest_by_category(picked, [category for _, category, *_ in chosen])
        words = _weighty_words(
            [texts[index] for index, *_ in chosen],
            picked,
            [self._weight_of(category) for _, category, *_ in chosen],
        )
        proposals = []
        for position, (index, category, confidence, margin) in enumerate(chosen):
            explanation = Explanation(words=words[position], nearest=nearest[position])
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
        if self._classifier is None or category not in self.classes:
            return Explanation()
        row = _shared_hashing().rows([text])
        return Explanation(
            words=_weighty_words([text], row, [self._weight_of(category)])[0],
            nearest=self._nearest_by_category(row, [category], k)[0],
        )

    def _weight_of(self, category: str) -> Any:
        return self._weights[self.classes.index(category)]

    def _nearest_by_category(
        self, rows: Any, categories: Sequence[str], k: int = NEAREST
    ) -> list[tuple[tuple[str, str, str, float], ...]]:
        """For each row, the ``k`` labelled passages of its category most similar to it:
        key, text, category, cosine similarity (rows are unit length, so a dot product).
        One sparse product per category, against that category's rows only."""
        import numpy as np

        found: list[tuple[tuple[str, str, str, float], ...]] = [()] * len(categories)
        for category in dict.fromkeys(categories):
            if category not in self._by_category or k <= 0:
                continue
            first, stop = self._by_category[category]
            asking = [i for i, wanted in enumerate(categories) if wanted == category]
            # The category's rows on the left: transposing them instead would copy them all.
            # Against many rows a dense right side is faster (one pass, no sparse result);
            # against a few, making it (features x asking) costs more than it saves.
            theirs = self._rows[first:stop]
            ours = rows[asking].T
            if stop - first > _DENSE_NEAREST_FROM:
                similarity = (theirs @ ours.toarray()).T
            else:
                similarity = np.asarray((theirs @ ours).T.todense())
            for position, row_similarity in zip(asking, similarity, strict=True):
                best = np.argsort(-row_similarity, kind="stable")[:k]
                found[position] = tuple(
                    (
                        self.examples[first + int(i)].key,
                        self.examples[first + int(i)].text,
                        category,
                        float(row_similarity[i]),
                    )
                    for i in best
                )
        return found


def _weighty_words(
    texts: Sequence[str], rows: Any, weights: Sequence[Any]
) -> list[tuple[tuple[str, float], ...]]:
    """For each text, the words and bigrams that add most to the score of its class (whose
    feature weights are ``weights[i]``; see the module docstring), at most
    ``EXPLAINING_WORDS``, strongest first, only positive ones. The features of all texts are
    hashed in two calls, one per block: per call, the hasher costs more than the hashing."""
    import numpy as np

    hashing = _shared_hashing()
    features = [list(dict.fromkeys(hashing.word_analyzer(text))) for text in texts]
    feature_columns = hashing.word_hasher.transform(
        [[feature] for some in features for feature in some]
    ).indices
    chunks = [fold(text).split() for text in texts]
    grams = hashing.char_hasher.transform(
        hashing.char_analyzer(chunk) for some in chunks for chunk in some
    )
    explained = []
    first_feature = first_chunk = 0
    for index in range(len(texts)):
        row = rows[index]
        columns = row.indices
        # Each stored feature's share of the class score: its value in the row times its weight.
        contribution = row.data * weights[index][columns]

        def at(wanted: Any, columns: Any = columns, contribution: Any = contribution) -> Any:
            """``contribution`` at each of the ``wanted`` columns (0 where the row has none)."""
            if len(columns) == 0:
                return np.zeros(len(wanted))
            found = np.minimum(np.searchsorted(columns, wanted), len(columns) - 1)
            return np.where(columns[found] == wanted, contribution[found], 0.0)

        stop = first_feature + len(features[index])
        own_columns = feature_columns[first_feature:stop].astype(columns.dtype)
        scores = dict(zip(features[index], at(own_columns).tolist(), strict=True))
        first_feature = stop

        stop = first_chunk + len(chunks[index])
        own_grams = grams[first_chunk:stop]
        first_chunk = stop
        if own_grams.nnz:
            # How often each n-gram occurs in the whole sentence, per stored entry.
            _, entry_gram = np.unique(own_grams.indices, return_inverse=True)
            totals = np.bincount(entry_gram, weights=own_grams.data)[entry_gram]
            wanted = own_grams.indices.astype(columns.dtype) + _WORD_FEATURES
            own_grams.data = own_grams.data * at(wanted) / totals
            per_chunk = np.asarray(own_grams.sum(axis=1)).ravel()
            for chunk, share in zip(chunks[index], per_chunk.tolist(), strict=True):
                tokens = _TOKEN.findall(chunk)
                for token in tokens:
                    scores[token] = scores.get(token, 0.0) + share / len(tokens)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        explained.append(
            tuple((word, round(score, 4)) for word, score in ranked[:EXPLAINING_WORDS] if score > 0)
        )
    return explained


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
