"""What the codebook itself says about its default categories, as a small prior for the
passage classifier: each default category's name and description (``domain.vocab``), and a
few cue words in English and Russian, become pseudo-examples of that category.

Why: a new workspace has a few dozen marked passages, all in the sample's English; without
a prior the first Russian article shares no word with any of them. The pseudo-examples are
a handful of rows against the officer's passages, so the data overrides them as soon as it
says otherwise. They never make a category proposable: ``min_examples`` counts the officer's
passages only. A workspace that renamed a category gets no prior for it (its name is no
longer a default one), and a category without any real passage gets none either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workstation.domain.assistant import LabelledPassage
from workstation.domain.assistant.passage_features import shared_hashing
from workstation.domain.vocab import DEFAULT_CATEGORIES

__all__ = ["PRIOR_KEY_PREFIX", "prior_examples", "prior_rows"]

PRIOR_KEY_PREFIX = "prior:"  # the key of a pseudo-example, so it is never shown as "nearest"

# Cue words an analyst would name for each default category; inflected Russian forms meet
# the articles' forms through the character n-grams, so one form per word is enough.
CUES: dict[str, tuple[str, str]] = {
    "Sanction": (
        "sanctions imposed, asset freeze, blacklist, banned, restrictions, entry ban, "
        "Treasury designated",
        "санкции, санкционный список, заморозка активов, запрет въезда, ограничения, ввели санкции",
    ),
    "Expulsion": (
        "expel diplomats, expelled, persona non grata, ordered to leave the country, "
        "embassy staff sent home",
        "высылка дипломатов, выслать, персона нон грата, покинуть страну, сотрудники посольства",
    ),
    "Countermeasure": (
        "in response, retaliation, reciprocal measures, responded in kind, answer to",
        "в ответ, ответные меры, зеркальные меры, ответ на, симметричный ответ",
    ),
    "Statement": (
        "said, stated, warned, spokesman, statement, told reporters, according to",
        "заявил, заявила, заявление, предупредил, сообщил, по словам, пресс-секретарь",
    ),
    "Accusation": (
        "accused, blamed, responsible for, alleged, interference, hostile activities, spying",
        "обвинил, обвинения, ответственность за, вмешательство, враждебные действия, шпионаж",
    ),
    "Diplomatic step": (
        "summoned the ambassador, consulate closed, talks, summit, meeting, recalled "
        "ambassador for consultations",
        "вызвал посла, закрытие консульства, переговоры, саммит, встреча, "
        "отозвал посла для консультаций",
    ),
    "Arms control": (
        "treaty, New START, arms control, ratification, verification, strategic stability",
        "договор, СНВ, контроль над вооружениями, ратификация, стратегическая стабильность",
    ),
    "Other": (
        "background, context, earlier, last year",
        "ранее, в прошлом году, напомним, контекст",
    ),
}


def prior_examples(categories: set[str]) -> list[LabelledPassage]:
    """Pseudo-examples for those of ``categories`` that are default ones: the category's
    name and description, and its English and its Russian cue words."""
    examples = []
    for seed in DEFAULT_CATEGORIES:
        if seed.name not in categories:
            continue
        texts = [f"{seed.name}: {seed.description}", *CUES.get(seed.name, ())]
        for number, text in enumerate(texts):
            examples.append(
                LabelledPassage(text, seed.name, f"{PRIOR_KEY_PREFIX}{seed.name}:{number}")
            )
    return examples


_prior_cache: dict[tuple[str, ...], Any] = {}


def prior_rows(priors: Sequence[LabelledPassage]) -> Any:
    """The pseudo-examples' rows, hashed once per set of categories (they never change)."""
    if not priors:
        import scipy.sparse as sp

        return sp.csr_matrix((0, shared_hashing().rows([]).shape[1]))
    key = tuple(prior.key for prior in priors)
    if key not in _prior_cache:
        _prior_cache[key] = shared_hashing().rows([prior.text for prior in priors])
    return _prior_cache[key]
