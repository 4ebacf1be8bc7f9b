"""The assistant's models for one workspace: built from its records, kept in memory, rebuilt
when what they learn from changes.

What each model learns from (all of it records, so a backup or a merge carries it):

- names (Latin script): the names officers linked as mention-only spans, where they stand,
  with their entity's kind; the registry's names and aliases on their own; every accepted
  name proposal (its kind) and every rejected one (not a name).
- passages: every categorised passage; the sentences left unmarked in documents that hold
  one (the officer read them and chose not to mark them); rejected passage proposals.

Fitted models are never stored: a pickle from a colleague's workspace would run code. They
are rebuilt from the records on first use and whenever a cheap fingerprint of the tables
they read moves (``storage.assistant.fingerprint``); a passage model that only gained
examples is extended (``PassageModel.add`` reuses the hashed rows of the earlier ones).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workstation.domain.assistant import LabelledPassage, NameExample
from workstation.storage import assistant as queries

if TYPE_CHECKING:
    from workstation.domain.assistant.names_latin import LatinNameModel
    from workstation.domain.assistant.passages import PassageModel
    from workstation.storage.workspace import Workspace

NAME_TABLES = ("entities", "annotations", "mentions", "assistant_decisions")
PASSAGE_TABLES = ("annotations", "categories", "assistant_decisions", "documents")
MIN_EXAMPLES = 5  # per category: fewer and the category is not proposed ("too few")
_WORKED_DOCUMENTS = 400  # newest worked documents whose unmarked sentences teach "none"
_LINKED_NAMES = 5_000  # newest linked names learnt from
_UNMARKED_PER_DOCUMENT = 30  # at most this many unmarked sentences of one document


@dataclass
class Trained:
    """A model with what it was trained on and when."""

    fingerprint: tuple[object, ...]
    examples: int
    seconds: float
    trained_at: float = field(default_factory=time.time)


@dataclass
class _Cache:
    names: tuple[Trained, LatinNameModel] | None = None
    passages: tuple[Trained, PassageModel, frozenset[tuple[str, str, str | None]]] | None = None


_caches: dict[str, _Cache] = {}
# Sentence spans by document id: splitting 400 worked documents again after every decision
# would cost seconds; ids are UUIDs, so one dict serves every workspace.
_sentences: dict[str, list[tuple[int, int]]] = {}
# The unmarked-sentence examples of each worked document with the passage spans they were
# computed against: after a decision only the document it touched is worked out again.
_unmarked: dict[str, tuple[tuple[tuple[int, int], ...], list[LabelledPassage]]] = {}
_lock = threading.Lock()  # one training at a time per process; GUI and worker may both ask


def forget(ws: Workspace | None = None) -> None:
    """Drop the models of one workspace (all, with ``None``): the next use rebuilds them."""
    with _lock:
        if ws is None:
            _caches.clear()
        else:
            _caches.pop(str(ws.path), None)


def _cache(ws: Workspace) -> _Cache:
    return _caches.setdefault(str(ws.path), _Cache())


# -- names ----------------------------------------------------------------------------------


def name_examples(
    ws: Workspace, registry: Sequence[tuple[str, str, Sequence[str]]]
) -> list[NameExample]:
    """What the name scorer learns from; ``registry``: (kind, name, aliases) of each entity."""
    examples: list[NameExample] = []
    linked = queries.linked_names(ws, _LINKED_NAMES)
    decided = queries.decisions(ws, "name")
    wanted = {row[0] for row in linked} | {d["document_id"] for d in decided}
    texts = queries.bodies(ws, sorted(wanted))
    for document_id, start, end, kind in linked:
        body = texts.get(document_id)
        if body is not None and body[start:end].strip():
            examples.append(NameExample(body, start, end, kind))
    for decision in decided:
        body = texts.get(decision["document_id"])
        if body is None or body[decision["start"] : decision["end"]] != decision["exact"]:
            continue
        accepted = decision["verdict"] == "accepted"
        label: str | None = (decision["label"] or None) if accepted else None
        examples.append(NameExample(body, decision["start"], decision["end"], label))
    for kind, name, aliases in registry:
        for written in (name, *aliases):
            if written.strip():
                examples.append(NameExample(written, 0, len(written), kind))
    return examples


def name_model(
    ws: Workspace, registry: Sequence[tuple[str, str, Sequence[str]]]
) -> tuple[Trained, LatinNameModel]:
    """The Latin-script name scorer, retrained when names, links or decisions changed."""
    from workstation.domain.assistant.names_latin import LatinNameModel

    with _lock:
        cache = _cache(ws)
        key = queries.fingerprint(ws, NAME_TABLES)
        if cache.names is not None and cache.names[0].fingerprint == key:
            return cache.names
        began = time.perf_counter()
        examples = name_examples(ws, registry)
        model = LatinNameModel.train(examples)
        cache.names = (Trained(key, len(examples), time.perf_counter() - began), model)
        return cache.names


# -- passages -------------------------------------------------------------------------------


def passage_examples(ws: Workspace) -> list[LabelledPassage]:
    """Categorised passages, unmarked sentences of worked documents, rejected proposals."""
    from workstation.domain.assistant.passages import sentences

    examples = [
        LabelledPassage(exact, category, annotation_id)
        for annotation_id, _doc, _start, _end, exact, category in queries.categorised_passages(ws)
    ]
    worked = queries.worked_documents(ws, _WORKED_DOCUMENTS)
    marked: dict[str, list[tuple[int, int]]] = {}
    for document_id, start, end in queries.passage_spans(ws, [d for d, _ in worked]):
        marked.setdefault(document_id, []).append((start, end))
    for document_id, body in worked:
        spans = tuple(marked.get(document_id, ()))
        cached = _unmarked.get(document_id)
        if cached is None or cached[0] != spans:  # only a document whose passages moved
            found = _sentences.get(document_id)
            if found is None:  # a document's text never changes (a new version is new)
                found = _sentences[document_id] = sentences(body)
            unmarked = [(s, e) for s, e in found if not any(s < pe and ps < e for ps, pe in spans)]
            cached = _unmarked[document_id] = (
                spans,
                [
                    LabelledPassage(body[start:end], None, f"{document_id}:{start}")
                    for start, end in unmarked[:_UNMARKED_PER_DOCUMENT]
                ],
            )
        examples.extend(cached[1])
    for decision in queries.decisions(ws, "passage"):
        if decision["verdict"] == "rejected":
            examples.append(LabelledPassage(decision["exact"], None, decision["id"]))
    return examples


def passage_model(ws: Workspace) -> tuple[Trained, PassageModel]:
    """The passage classifier, retrained (or extended) when what it learns from changed."""
    from workstation.domain.assistant.passages import PassageModel

    with _lock:
        cache = _cache(ws)
        key = queries.fingerprint(ws, PASSAGE_TABLES)
        if cache.passages is not None and cache.passages[0].fingerprint == key:
            return cache.passages[0], cache.passages[1]
        began = time.perf_counter()
        examples = passage_examples(ws)
        seen = frozenset((e.key, e.text, e.category) for e in examples)
        gone = frozenset() if cache.passages is None else cache.passages[2] - seen
        if cache.passages is not None and all(key for key, _t, _c in gone):
            # A few examples gained or dropped (an accept, a reject; the oldest worked
            # document leaving the window): extend, and let the model decide how to refit.
            earlier = cache.passages[2]
            model = cache.passages[1].add(
                [e for e in examples if (e.key, e.text, e.category) not in earlier],
                drop=[key for key, _text, _category in gone],
            )
        else:
            model = PassageModel.train(examples, min_examples=MIN_EXAMPLES)
        trained = Trained(key, len(examples), time.perf_counter() - began)
        cache.passages = (trained, model, seen)
        return trained, model
