"""The offline assistant (issue 16): what it proposes and what it learns from, without the
workspace. Heavy libraries (scikit-learn, natasha) are imported inside functions, never at
module import, so start-up does not pay for them.

- ``names_latin``: new names in Latin-script text — a candidate finder (capitalised
  sequences, titles and honorifics, name particles, acronyms) scored by a classifier trained
  on the workspace's own names and decisions.
- ``names_russian``: new names in Cyrillic text — natasha's NER, with the nominative form and
  a Latin transliteration as the alias.
- ``passages``: sentences to mark, with a category, a confidence and an explanation.
- ``event_drafts``: an event drafted from an accepted passage, with ranked answers.

The shared types are here so that the service, the CLI and the GUI name one thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A stretch of a document: code points into its body, end exclusive."""

    start: int
    end: int


@dataclass(frozen=True)
class NameCandidate:
    """A name the registry does not know yet, found in one text."""

    start: int
    end: int
    text: str  # body[start:end]
    entity_kind: str  # one of domain.vocab.ENTITY_KINDS
    score: float  # 0–1
    reason: str  # one line for the officer: "honorific “Ambassador” before a capitalised name"
    normal: str  # the name to create: the nominative for Russian ("Алексей Навальный")
    counterpart: str | None = None  # the other script's spelling, kept as an alias


@dataclass(frozen=True)
class NameExample:
    """One training example for the Latin-script name scorer: a span of a text and what it
    is — an entity kind, or ``None`` for a span the officer said is not a name."""

    body: str
    start: int
    end: int
    entity_kind: str | None


@dataclass(frozen=True)
class LabelledPassage:
    """One training example for the passage classifier: a passage's text and its category
    name, or ``None`` for a sentence the officer left unmarked or whose proposal was
    rejected."""

    text: str
    category: str | None
    key: str = ""  # where it came from (an annotation id), for "nearest labelled passages"


@dataclass(frozen=True)
class Explanation:
    """Why the classifier proposed a category: the words that weighed most for it (word,
    weight) and the nearest labelled passages (key, text, category, similarity)."""

    words: tuple[tuple[str, float], ...] = ()
    nearest: tuple[tuple[str, str, str, float], ...] = ()


@dataclass(frozen=True)
class PassageProposal:
    start: int  # code points into the text the sentences came from
    end: int
    text: str
    category: str
    confidence: float  # the classifier's probability for ``category``
    margin: float  # confidence minus the runner-up's: small means uncertain (active learning)
    explanation: Explanation = field(default_factory=Explanation)


@dataclass(frozen=True)
class KnownEvent:
    """An event of the episode, as the drafter sees it when ranking answers."""

    id: str
    kind: str
    date: str  # ISO
    actor_id: str | None
    target_id: str | None
    title: str = ""


@dataclass(frozen=True)
class LinkedEntity:
    """An entity linked to (or named in) the passage: its id, name, the role on the link
    (``actor``, ``target``… or ``mentioned``) and where the name stands in the passage text
    (code points into the passage, or -1 when it is linked but not found in the words)."""

    entity_id: str
    name: str
    role: str
    position: int = -1


@dataclass(frozen=True)
class AnswerCandidate:
    event_id: str
    score: float
    reason: str


STRONG_ANSWER = 0.7  # an answer candidate this sure is proposed as what the event answers


@dataclass(frozen=True)
class EventDraft:
    """An event the assistant proposes from a passage; the officer confirms it in the form."""

    kind: str
    date: str | None  # ISO; a month or a year starts on its 1st
    precision: str  # "day" | "month" | "year"
    actor_id: str | None
    target_id: str | None
    title: str
    answers: tuple[AnswerCandidate, ...]  # ranked, best first
    reason: str
    score: float

    @property
    def responds_to(self) -> str | None:
        """The event this one is proposed to answer: the best candidate only when it is
        strong (the parties reversed and a related kind); weaker ones stay candidates for
        the officer to pick in the form, never filled in for them."""
        if self.answers and self.answers[0].score >= STRONG_ANSWER:
            return self.answers[0].event_id
        return None


PROPOSAL_KINDS = ("name", "passage", "event")


@dataclass(frozen=True)
class Proposal:
    """One thing the assistant proposes in one document, as the queue and ``workstation
    suggest`` show it. ``kind`` says which of the optional parts are set."""

    kind: str  # "name" | "passage" | "event"
    document_id: str
    start: int  # code points into the document body, end exclusive
    end: int
    text: str
    score: float  # 0–1
    reason: str
    # name
    entity_kind: str | None = None
    normal: str | None = None  # the name an accepted proposal creates
    counterpart: str | None = None  # the other script's spelling, added as an alias
    occurrences: int = 1  # how often the name stands in this document
    # passage
    category: str | None = None
    category_id: str | None = None
    margin: float = 1.0  # how far ahead of the runner-up: small means uncertain
    explanation: Explanation | None = None
    # event
    passage_id: str | None = None  # the accepted passage the event is drafted from
    episode_id: str | None = None
    draft: EventDraft | None = None

    @property
    def key(self) -> tuple[str, str, int, int, str]:
        return (self.kind, self.document_id, self.start, self.end, self.category or "")
