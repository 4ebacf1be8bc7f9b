"""The passage classifier's features and its word-level explanations.

Features are hashed, so nothing is fitted before the classifier: a passage's row is final the
moment it is hashed. Two blocks, each l2-normalised after a log of the counts and weighted
equally:

- words: unigrams and bigrams, lower-cased with ё folded to е;
- character n-grams (3–5, inside word boundaries), so "санкции", "санкций" and "санкциями"
  share most features and Russian inflection does not split the evidence.

Hashes cannot be inverted, so the explaining words are computed from the sentence itself:
each word and bigram of the sentence is hashed alone with the same settings, and its
contribution is the class weight times the sentence's feature value at that column. A
character n-gram's contribution is shared among the words it came from, in proportion to
their counts, so the words' contributions add up to the sentence's score for the class (less
the intercept).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["EXPLAINING_WORDS", "fold", "most_similar", "shared_hashing", "weighty_words"]

EXPLAINING_WORDS = 5

_WORD_FEATURES = 2**16
_CHAR_FEATURES = 2**16
_BLOCK_WEIGHT = math.sqrt(0.5)  # both blocks weigh alike, and a row keeps unit length
_DENSE_NEAREST_FROM = 500  # rows compared with; measured at 10,000 examples
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


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


def shared_hashing() -> _Hashing:
    global _hashing
    if _hashing is None:
        _hashing = _Hashing()
    return _hashing


def weighty_words(
    texts: Sequence[str], rows: Any, weights: Sequence[Any]
) -> list[tuple[tuple[str, float], ...]]:
    """For each text, the words and bigrams that add most to the score of its class (whose
    feature weights are ``weights[i]``; see the module docstring), at most
    ``EXPLAINING_WORDS``, strongest first, only positive ones. The features of all texts are
    hashed in two calls, one per block: per call, the hasher costs more than the hashing."""
    import numpy as np

    hashing = shared_hashing()
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


def most_similar(theirs: Any, ours: Any) -> Any:
    """(len(ours), len(theirs)) dense cosine similarities of unit-length rows: a dot product.
    ``theirs`` stays on the left: transposing it instead would copy it all. Against many
    rows a dense right side is faster (one pass, no sparse result); against a few, making it
    (features x ours) costs more than it saves."""
    import numpy as np

    if theirs.shape[0] > _DENSE_NEAREST_FROM:
        return (theirs @ ours.T.toarray()).T
    return np.asarray((theirs @ ours.T).T.todense())
