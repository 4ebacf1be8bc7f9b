"""New names in Latin-script text: the scorer, which starts from rules and learns.

This module holds :class:`LatinNameModel` and its rules; the candidate finder and the
features are in ``names_latin_candidates`` and the word lists in ``names_latin_words``,
split off to keep each module short. :data:`COUNTRY_NAMES`, :func:`candidate_spans` and
:func:`latin_features` are re-exported here, where the rest of the code imports them from.

How rules and learned weights combine (:class:`LatinNameModel`):

- hand-set rule weights give a *prior* log-odds that a span is a name and a prior
  distribution over kinds (title → Person, "Ministry" → PublicBody, country list → Country);
- ``train`` fits two logistic regressions on the officer's examples (plus weak negatives it
  finds itself: sentence-initial or lowercase-elsewhere words outside every labelled name),
  with the priors among their features, so the learnt model can follow or overrule them;
- the final log-odds is ``(1 - s) * prior + s * learnt`` with ``s = n / (n + 15)``, where
  ``n`` is the number of the officer's examples (kinds: positive examples). A fresh
  workspace (``n = 0``) runs on the rules alone; with hundreds of decisions the learnt
  weights dominate. Scores are probabilities (sigmoid of that log-odds). Kinds mix the
  same way, except that the learnt model only shares out the rules' mass on the kinds it
  has seen (it knows nothing of a kind the officer never filed);
- some spans are never proposed, whatever was learnt: cities and capitals (places; a
  capital standing for its state is the mention suggester's), treaties and products, and a
  lone sentence-initial word written lowercase elsewhere or a title in the plural.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Sequence
from typing import Any

from workstation.domain.assistant import NameCandidate, NameExample
from workstation.domain.assistant.names_latin_candidates import (
    AnalysedText,
    analyse,
    candidate_spans,
    candidate_token_ranges,
    latin_features,
    span_features,
)
from workstation.domain.assistant.names_latin_words import COUNTRY_NAMES

__all__ = [
    "COUNTRY_NAMES",
    "KINDS",
    "LatinNameModel",
    "candidate_spans",
    "latin_features",
]

_NEGATIVE_WEIGHTS = dict(
    verbal=-3.0,
    dateline=-4.0,
    region=-3.0,
    demonym=-4.0,
    function=-4.0,
    place=-2.0,
    street=-2.5,
    product=-4.0,
)
_PRIOR_WEIGHT = 15.0  # examples at which learnt and rule log-odds weigh the same
KINDS = ("Person", "Organization", "PublicBody", "Company", "Country")  # what the rules propose


def _rule_logit(f: dict[str, float | str]) -> tuple[float, list[tuple[float, str]]]:
    """Prior log-odds that the span is a name, and the reasons for it (weight, words)."""
    single = f.get("words", 0.0) == 1.0
    parts: list[tuple[float, str]] = [(0.6, "")]
    if "title" in f:
        parts.append((2.5, f"title “{f['title']}” before it"))
    if "said" in f:
        parts.append((1.2, f"“{f['next']}” after it"))
    if "ru" in f:
        parts.append((1.5, f"Russian-looking ending “-{f['ru_ending']}”"))
    if "given_name" in f:
        parts.append((1.0, f"given name “{f['given_name']}”"))
    words = int(float(f.get("words", 1.0)))
    if words >= 2:
        parts.append((1.0, "capitalised pair" if words == 2 else f"{words} capitalised words"))
    for key in ("public", "org", "co"):
        if key in f:
            parts.append((1.5, f"“{f[f'{key}_word']}” in it"))
            break
    if "co_cue" in f:
        parts.append((1.5, f"“{f['co_cue']}” before it"))
    if "camel" in f:
        parts.append((0.8, "CamelCase, like a brand"))
    if "country" in f:
        parts.append((2.5, "a country's name"))
    if "acronym" in f:
        parts.append((0.8, "acronym"))
    if "sent_start" in f:
        parts.append((-1.8 if single else -1.0, ""))
        if f.get("cap_elsewhere"):
            parts.append((1.5, "capitalised mid-sentence elsewhere"))
    parts.append((-2.5 * float(f.get("lower_elsewhere", 0.0)) * (1.0 if single else 0.6), ""))
    parts += [(weight, "") for key, weight in _NEGATIVE_WEIGHTS.items() if key in f]
    if single and f.get("place_prep") and "country" not in f:
        parts.append((-1.0, ""))
    if "corpus_cap_ratio" in f:
        parts.append((3.0 * (float(f["corpus_cap_ratio"]) - 0.5), ""))
    return sum(w for w, _ in parts), parts


def _rule_kinds(f: dict[str, float | str]) -> dict[str, float]:
    """Prior distribution over kinds, from the span's features."""
    s = dict(zip(KINDS, (0.3, 0.0, -0.3, -0.8, -1.0), strict=True))  # a capitalised word: who?
    cues = ("public", "org", "co", "co_cue", "camel", "country", "capital", "acronym")
    plain = not any(k in f for k in cues)
    s["Person"] += 3.0 * ("title" in f) + 2.0 * ("ru" in f) + 2.5 * ("given_name" in f)
    s["Person"] += 0.5 * ("said" in f) + 0.8 * (plain and f.get("words", 1.0) != 1.0)
    s["PublicBody"] += 3.5 * ("public" in f)
    s["Organization"] += 3.0 * ("org" in f) + 1.5 * ("acronym" in f)
    s["Company"] += 3.5 * ("co" in f or "co_cue" in f) + 2.0 * ("ampersand" in f)
    s["Company"] += 2.5 * ("camel" in f)
    s["Country"] += 5.0 * ("country" in f) + 2.5 * ("capital" in f)
    top = max(s.values())
    exp = {kind: math.exp(value - top) for kind, value in s.items()}
    total = sum(exp.values())
    return {kind: value / total for kind, value in exp.items()}


def _never_a_name(f: dict[str, float | str]) -> bool:
    """Spans the rules rule out whatever was learnt: cities, capitals among them, are places
    (the mention suggester maps a capital standing for its state); treaties and products are
    no entities; "Ministers" or a word written lowercase elsewhere, alone at a sentence
    start, is a common noun."""
    if "capital" in f or "city" in f or "product" in f:
        return True
    if f.get("words") != 1.0 or "acronym" in f:
        return False
    return "plural_title" in f or ("sent_start" in f and bool(f.get("lower_elsewhere")))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def _linear(weights: dict[str, float], f: dict[str, float | str]) -> float:
    """The intercept (key "") plus Σ weight·value over the features of ``f``, read as
    DictVectorizer reads them: a string value is the indicator feature "key=value"."""
    total = weights.get("", 0.0)
    for key, value in f.items():
        if isinstance(value, str):
            total += weights.get(f"{key}={value}", 0.0)
        else:
            total += weights.get(key, 0.0) * value
    return total


def _matrix(rows: list[dict[str, float | str]]) -> tuple[Any, list[str]]:
    """The rows as a sparse matrix and its column names, as DictVectorizer makes them
    ("key=value" for a string value), in one pass and with the 32-bit indices liblinear
    takes."""
    import numpy as np
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    values: list[float] = []
    pointers = [0]
    for f in rows:
        for key, value in f.items():
            name, amount = (f"{key}={value}", 1.0) if isinstance(value, str) else (key, value)
            indices.append(vocabulary.setdefault(name, len(vocabulary)))
            values.append(amount)
        pointers.append(len(indices))
    arrays = (np.array(values), np.array(indices, "i4"), np.array(pointers, "i4"))
    return csr_matrix(arrays, shape=(len(rows), len(vocabulary))), list(vocabulary)


def _weights(names: Any, coef: Any, intercept: Any) -> dict[str, float]:
    weights = {str(n): float(w) for n, w in zip(names, coef, strict=True) if w}
    weights[""] = float(intercept)
    return weights


# A span's features, the rules' log-odds that it is a name, their reasons, their kinds.
_Row = tuple[dict[str, float | str], float, list[tuple[float, str]], dict[str, float]]


class LatinNameModel:
    """Scores capitalised candidates as names and kinds; see the module docstring for how
    the rule priors and the learnt weights combine. ``LatinNameModel()`` is the cold start.
    The fitted coefficients are kept as plain dicts: scoring a text needs no scikit-learn
    and no sparse matrices, so it costs a few dict look-ups per candidate."""

    def __init__(self) -> None:
        self._name_weights: dict[str, float] = {}  # feature → weight; "" is the intercept
        self._kind_weights: list[dict[str, float]] = []  # the same, one per kind
        self._kind_classes: list[str] = []
        self._decisions = 0  # the officer's examples, names and rejections
        self._positives = 0  # of which names (with a kind)
        self._corpus_mid: Counter[str] = Counter()
        self._corpus_cap: Counter[str] = Counter()
        self._bodies: set[str] = set()

    @classmethod
    def train(cls, examples: Sequence[NameExample]) -> LatinNameModel:
        """Learn from the officer's names (a kind) and rejections (``None``), plus weak
        negatives found in the same texts."""
        model = cls()
        by_body: dict[str, list[NameExample]] = {}
        for example in examples:
            by_body.setdefault(example.body, []).append(example)
        texts = {body: analyse(body) for body in by_body}  # more than the cache holds
        for text in texts.values():
            model._corpus_mid.update(text.mid)
            model._corpus_cap.update(text.cap_mid)
        model._bodies = set(by_body)
        rows: list[dict[str, float | str]] = []
        labels: list[int] = []
        weights: list[float] = []
        kind_rows: list[int] = []
        kinds: list[str] = []
        for body, items in by_body.items():
            text = texts[body]
            labelled = [(e.start, e.end) for e in items]
            for example in items:
                if example.entity_kind is not None:
                    kind_rows.append(len(rows))
                    kinds.append(example.entity_kind)
                rows.append(model._features(text, example.start, example.end)[0])
                labels.append(int(example.entity_kind is not None))
                weights.append(1.0)
            for i, j in candidate_token_ranges(text):
                start, end = text.tokens[i].start, text.tokens[j - 1].end
                first = text.tokens[i]
                maybe = (first.sentence_start and j - i == 1) or text.lower[first.fold]
                if not maybe or _overlaps(start, end, labelled):
                    continue
                f = model._features(text, start, end)[0]
                evidence = any(k in f for k in ("title", "ru", "country", "public", "org"))
                common = "sent_start" in f and f["words"] == 1.0 and not f.get("cap_elsewhere")
                if (common and not evidence) or f.get("lower_elsewhere"):  # weak negative
                    rows.append(f)
                    labels.append(0)
                    weights.append(0.5)
        model._decisions, model._positives = len(examples), len(kinds)
        if len(set(labels)) < 2 and len(set(kinds)) < 2:
            return model
        from sklearn.linear_model import LogisticRegression

        matrix, names = _matrix(rows)
        if len(set(labels)) == 2:
            fitted = LogisticRegression(C=1.0, solver="liblinear")
            fitted.fit(matrix, labels, sample_weight=weights)
            model._name_weights = _weights(names, fitted.coef_[0], fitted.intercept_[0])
        if len(set(kinds)) >= 2:
            fitted = LogisticRegression(C=1.0, max_iter=200, tol=1e-3, class_weight="balanced")
            fitted.fit(matrix[kind_rows], kinds)
            coef, intercept = fitted.coef_, fitted.intercept_
            if len(fitted.classes_) == 2:  # one row, for the second class: softmax of ±z/2
                coef, intercept = [-coef[0] / 2, coef[0] / 2], [-intercept[0] / 2, intercept[0] / 2]
            model._kind_weights = [
                _weights(names, c, b) for c, b in zip(coef, intercept, strict=True)
            ]
            model._kind_classes = [str(kind) for kind in fitted.classes_]
        return model

    def _features(self, text: AnalysedText, start: int, end: int) -> _Row:
        """The span's features, with the rules' verdicts among them, and those verdicts."""
        f = span_features(text, start, end)
        fold = str(f.get("first", ""))
        mid, cap = self._corpus_mid[fold], self._corpus_cap[fold]
        if text.body in self._bodies:  # leave the text's own use out, as for a new text
            mid, cap = mid - text.mid[fold], cap - text.cap_mid[fold]
        if mid >= 3:
            f["corpus_cap_ratio"] = cap / mid
        prior, parts = _rule_logit(f)
        kinds = _rule_kinds(f)
        f["prior"] = max(-6.0, min(6.0, prior))
        for kind, probability in kinds.items():  # log: what a softmax adds up
            f[f"kind_rule={kind}"] = max(-10.0, math.log(probability))
        return f, prior, parts, kinds

    def _score(self, row: _Row) -> tuple[float, dict[str, float], str]:
        """Name probability, kind distribution and reason for one span."""
        f, prior, parts, kinds = row
        reasons = [text for weight, text in sorted(parts, reverse=True) if text and weight > 0]
        logit = prior
        if self._name_weights:
            share = self._decisions / (self._decisions + _PRIOR_WEIGHT)
            learnt = _linear(self._name_weights, f)
            logit = (1 - share) * prior + share * learnt
            if share >= 0.3:
                reasons = [*reasons[:2], f"learnt from {self._decisions} decisions"]
        if self._kind_weights:
            share = self._positives / (self._positives + _PRIOR_WEIGHT)
            z = [_linear(weights, f) for weights in self._kind_weights]
            top = max(z)
            exp = [math.exp(value - top) for value in z]
            # The learnt model shares out only the rules' mass on the kinds it has seen: with
            # no Company among the officer's names, "SolarWinds" keeps the rules' Company.
            seen = sum(kinds.get(kind, 0.0) for kind in self._kind_classes)
            kinds = {k: p * (1 - share) if k in self._kind_classes else p for k, p in kinds.items()}
            for kind, value in zip(self._kind_classes, exp, strict=True):
                kinds[kind] = kinds.get(kind, 0.0) + share * seen * value / sum(exp)
        return _sigmoid(logit), kinds, "; ".join(reasons[:3]) or "capitalised"

    def score(self, body: str, start: int, end: int) -> tuple[float, str]:
        """Name probability and most likely kind of one span."""
        probability, kinds, _ = self._score(self._features(analyse(body), start, end))
        return probability, max(kinds, key=kinds.__getitem__)

    def propose(
        self,
        body: str,
        *,
        known: Sequence[tuple[int, int]] = (),
        rejected: Collection[str] = (),
        min_score: float = 0.5,
    ) -> list[NameCandidate]:
        """New names in ``body``: every occurrence (the service groups them), in text order,
        leaving out spans overlapping ``known`` and names in ``rejected`` (casefolded)."""
        text = analyse(body)
        refused = {name.casefold() for name in rejected}
        merged: list[list[int]] = []
        for a, b in sorted(known):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        merged_starts = [a for a, _ in merged]
        spans: list[tuple[int, int]] = []
        for i, j in candidate_token_ranges(text):
            start, end = text.tokens[i].start, text.tokens[j - 1].end
            if " ".join(body[start:end].split()).casefold() in refused:
                continue
            k = bisect_left(merged_starts, end) - 1  # the last known span starting before end
            if k >= 0 and merged[k][1] > start:
                continue
            spans.append((start, end))
        out = []
        for start, end in spans:
            row = self._features(text, start, end)
            if _never_a_name(row[0]):
                continue
            probability, kinds, reason = self._score(row)
            if probability < min_score:
                continue
            written, kind = body[start:end], max(kinds, key=kinds.__getitem__)
            normal = " ".join(written.split())
            out.append(
                NameCandidate(start, end, written, kind, round(probability, 4), reason, normal)
            )
        return out
