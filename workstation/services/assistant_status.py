"""What the assistant knows and how well it does (``workstation assistant status``): examples
per category and which have too few, the names and decisions it learns from, when each model
was last trained, and its quality on examples held out of training (every fifth, chosen by
a hash of the example, so the split is the same on every run and every machine)."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from workstation.services import assistant_models as models
from workstation.storage import assistant as queries

if TYPE_CHECKING:
    from workstation.domain.assistant import LabelledPassage
    from workstation.services.session import Session

HELD_OUT_EVERY = 5  # one example in five is kept out of training to measure on
MIN_HELD_OUT = 10  # fewer held-out examples than this: no quality figure (it would be noise)


@dataclass
class AssistantStatus:
    passages_per_category: dict[str, int]
    unmarked_examples: int  # sentences left unmarked or proposals rejected: "nothing here"
    too_few: dict[str, int]  # categories not proposed yet, with their examples
    min_examples: int
    names_learnt: int  # name examples: linked names, registry names, decisions
    decisions: dict[str, dict[str, int]]  # kind → verdict → count
    trained: dict[str, dict[str, Any]]  # model → {trained_at, examples, seconds}
    quality: dict[str, dict[str, Any]] = field(default_factory=dict)  # model → figures

    def as_json(self) -> dict[str, Any]:
        return {
            "passages_per_category": self.passages_per_category,
            "unmarked_examples": self.unmarked_examples,
            "too_few": self.too_few,
            "min_examples": self.min_examples,
            "names_learnt": self.names_learnt,
            "decisions": self.decisions,
            "trained": self.trained,
            "quality": self.quality,
        }


def _held_out(key: str) -> bool:
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big") % HELD_OUT_EVERY == 0


def passage_quality(examples: list[LabelledPassage]) -> dict[str, Any]:
    """Macro-F1 and per-category figures on the held-out fifth, trained on the rest."""
    from workstation.domain.assistant.passages import evaluate

    test = [e for e in examples if _held_out(e.key or e.text)]
    train = [e for e in examples if not _held_out(e.key or e.text)]
    if sum(1 for e in test if e.category) < MIN_HELD_OUT:
        return {"held_out": len(test), "note": f"fewer than {MIN_HELD_OUT} held-out passages"}
    figures = dict(evaluate(train, test))
    figures["held_out"] = len(test)
    return figures


def _decision_counts(session: Session) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for kind in ("name", "passage", "event"):
        verdicts = Counter(d["verdict"] for d in queries.decisions(session.workspace, kind))
        counts[kind] = {"accepted": verdicts["accepted"], "rejected": verdicts["rejected"]}
    return counts


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds")


def status(session: Session, *, measure: bool = True) -> AssistantStatus:
    ws = session.workspace
    registry = [(e.kind, e.name, e.aliases) for e in session.entities.list_entities()]
    passages, passage_model = models.passage_model(ws)
    names, _name_model = models.name_model(ws, registry)
    examples = models.passage_examples(ws)
    per_category = Counter(e.category for e in examples if e.category)
    trained = {
        "passages": {"trained_at": _iso(passages.trained_at), "examples": passages.examples,
                     "seconds": round(passages.seconds, 3)},
        "names": {"trained_at": _iso(names.trained_at), "examples": names.examples,
                  "seconds": round(names.seconds, 3)},
    }  # fmt: skip
    for name, (at, count, _quality) in queries.model_states(ws).items():
        trained.setdefault(name, {}).update({"last_rebuild": at, "rebuild_examples": count})
    found = AssistantStatus(
        passages_per_category=dict(sorted(per_category.items())),
        unmarked_examples=sum(1 for e in examples if e.category is None),
        too_few=dict(passage_model.too_few),
        min_examples=models.MIN_EXAMPLES,
        names_learnt=names.examples,
        decisions=_decision_counts(session),
        trained=trained,
    )
    if measure:
        found.quality["passages"] = passage_quality(examples)
    return found


def rebuild(session: Session) -> AssistantStatus:
    """Drop the models, retrain them now and record the training in the workspace."""
    models.forget(session.workspace)
    found = status(session)
    now = _iso(time.time())
    for name, figures in found.trained.items():
        quality = found.quality.get(name, {})
        queries.record_training(session.workspace, name, now, int(figures["examples"]), quality)
    return found
