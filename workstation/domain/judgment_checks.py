"""Advice on a key judgment's wording, following ICD 203 (analytic standards).

Two habits blur what a judgment claims, and the editor points both out as the officer types:

* **Estimative words outside the scale.** "may", "could", "perhaps" and the like say that
  something is possible without saying how likely; "certainly" or "in all likelihood" sound
  precise but map to no band. A reader cannot put a number on them, so the brief uses only
  the seven ICD 203 terms (``workstation.domain.estimative``) and their adverbs.
* **Likelihood and confidence in one sentence.** "We assess with high confidence that it is
  likely…" fuses two different claims (how probable the event is, how good the evidence is);
  ICD 203 asks for them in separate sentences.
* **Words that disagree with the chosen likelihood.** The text says "likely" (55–80 %) but
  the judgment is marked "roughly even chance" (45–55 %): the manager reads one band in the
  sentence and another beside it. A negated term ("not likely") is left alone: what band
  it means is the officer's call.

Warnings are advice, never refusals: a quotation or a term of art may justify the word.
Spans are code-point offsets into the text (Python ``str`` indexing), end exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workstation.domain.estimative import LIKELIHOOD_SCALE, Likelihood

OFF_SCALE = "off-scale"
MIXED = "likelihood-and-confidence"
DISAGREES = "likelihood-disagrees"

# The scale's terms and synonyms, and the adverbs writers naturally use for them. Matches of
# these are on the scale, and they shadow any off-scale word inside them ("almost certainly"
# is fine even though "certainly" alone is not; so is "roughly even chance").
_SCALE_ADVERBS = ("almost certainly", "nearly certainly", "probably", "improbably")
SCALE_PHRASES: tuple[str, ...] = tuple(
    sorted(
        {p for item in LIKELIHOOD_SCALE for p in (item.term, item.synonym)} | set(_SCALE_ADVERBS),
        key=len,
        reverse=True,  # longest first, so "very likely" wins over "likely"
    )
)

# Estimative words that name no band of the scale, with the reason shown to the officer.
# Chosen from the ODNI/ICD 203 guidance on words of estimative probability: modal verbs of
# bare possibility, hedges, and certainty words. Deliberately left out because they are too
# common in plain statements of fact: "would", "should", "expect", "certain" (as in "certain
# officials").
OFF_SCALE_WORDS: tuple[tuple[str, str], ...] = (
    (r"maybe", "a hedge with no band"),
    (r"perhaps", "a hedge with no band"),
    (r"possibly", "it says something can happen, not how likely"),
    (r"(?:it\s+is\s+)?possible\s+that", "it says something can happen, not how likely"),
    (
        r"(?:a\s+)?(?:real\s+|distinct\s+)?possibility",
        "it says something can happen, not how likely",
    ),
    (r"conceivabl[ey]", "it says something can happen, not how likely"),
    (r"could", "it says something can happen, not how likely"),
    (r"might", "it says something can happen, not how likely"),
    (r"may", "it says something can happen, not how likely"),
    (r"chances\s+are", "a hedge with no band"),
    (
        r"(?:a\s+)?(?:good|fair|real|strong|high|low|small|slight|some|even|outside|remote)"
        r"\s+(?:chance|odds|prospect)s?",
        "odds the scale does not name",
    ),
    (r"presumabl[ey]", "a hedge with no band"),
    (r"in\s+all\s+likelihood", "it sounds precise but names no band"),
    (r"certainly", "it sounds sure but names no band"),
    (r"definitely", "it sounds sure but names no band"),
    (r"undoubtedly", "it sounds sure but names no band"),
    (r"(?:without|no)\s+doubt", "it sounds sure but names no band"),
    (r"doubtless", "it sounds sure but names no band"),
    (r"surely", "it sounds sure but names no band"),
)

# The band each scale phrase names (terms, synonyms, and the adverbs above).
_BAND: dict[str, Likelihood] = {
    **{phrase: item for item in LIKELIHOOD_SCALE for phrase in (item.term, item.synonym)},
    "almost certainly": LIKELIHOOD_SCALE[-1],
    "nearly certainly": LIKELIHOOD_SCALE[-1],
    "probably": LIKELIHOOD_SCALE[4],
    "improbably": LIKELIHOOD_SCALE[2],
}
_NEGATED = re.compile(r"(?:\bnot|n['’]t|\bnever|\bno)\s+(?:\w+\s+)?$", re.IGNORECASE)

_SCALE = re.compile(
    r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in SCALE_PHRASES) + r")\b",
    re.IGNORECASE,
)
_OFF_SCALE = [(re.compile(rf"\b{word}\b", re.IGNORECASE), why) for word, why in OFF_SCALE_WORDS]
_CONFIDENCE = re.compile(
    r"\b(?:high|moderate|medium|low)(?:ly)?[\s-]+confiden(?:ce|t)\b"
    r"|\bconfidence\s+(?:is|was|remains|level\s+is)\s+(?:high|moderate|medium|low)\b",
    re.IGNORECASE,
)
# "May" is also a month: next to a number ("15 May", "May 2021") or capitalised in mid
# sentence it is the month, not the modal verb.
_MONTH_NEIGHBOURS = re.compile(r"\d\s*$")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Mr|Mrs|Ms|Dr|St|No|vs|etc|Gen|Col)\.$")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)]*\s+")


@dataclass(frozen=True)
class JudgmentWarning:
    kind: str  # OFF_SCALE or MIXED
    message: str
    span: tuple[int, int]  # code points into the text, end exclusive


# The name the editor and the brief use; shadows the builtin only where imported by name.
Warning = JudgmentWarning


def check_judgment(text: str, likelihood: str | None = None) -> list[JudgmentWarning]:
    """Every warning for ``text``, in the order the words appear; with ``likelihood`` (the
    term chosen for the judgment) also the scale words that name another band."""
    warnings = off_scale_words(text) + mixed_sentences(text)
    if likelihood:
        warnings += disagreeing_words(text, likelihood)
    return sorted(warnings, key=lambda w: (w.span, w.kind))


def disagreeing_words(text: str, likelihood: str) -> list[JudgmentWarning]:
    """The scale words in ``text`` that name a band other than ``likelihood`` (a term or
    synonym of the ICD 203 scale; an unknown one: no warning). "likely" in the text with
    "roughly even chance" chosen is one; "probable" with "likely" chosen is not (a synonym);
    "not likely" is not checked (a negation leaves the band to the officer)."""
    chosen = _BAND.get(" ".join(likelihood.lower().split()))
    if chosen is None:
        return []
    found = []
    for match in _SCALE.finditer(text):
        words = " ".join(match.group(0).lower().split())
        band = _BAND.get(words)
        if band is None or band == chosen or _NEGATED.search(text[: match.start()]):
            continue
        word = " ".join(match.group(0).split())
        means = f"{band.low}–{band.high} %" + ("" if words == band.term else f", {band.term}")
        found.append(
            JudgmentWarning(
                DISAGREES,
                f"“{word}” ({means}) disagrees with the likelihood chosen, {chosen.term} "
                f"({chosen.low}–{chosen.high} %): make the wording and the likelihood agree",
                match.span(),
            )
        )
    return found


def scale_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SCALE.finditer(text)]


def off_scale_words(text: str) -> list[JudgmentWarning]:
    on_scale = scale_spans(text)
    found: dict[tuple[int, int], JudgmentWarning] = {}
    for pattern, why in _OFF_SCALE:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in on_scale):
                continue
            if match.group(0).lower() == "may" and _is_month(text, start, end):
                continue
            if any(start < e and s < end for s, e in found):
                continue  # "a real possibility" already covers "possibility"
            word = " ".join(match.group(0).split())
            found[(start, end)] = JudgmentWarning(
                OFF_SCALE,
                f"“{word}” is outside the ICD 203 scale: {why}",
                (start, end),
            )
    return list(found.values())


def mixed_sentences(text: str) -> list[JudgmentWarning]:
    warnings = []
    for start, end in sentences(text):
        sentence = text[start:end]
        if _SCALE.search(sentence) and _CONFIDENCE.search(sentence):
            warnings.append(
                JudgmentWarning(
                    MIXED,
                    "likelihood and confidence in one sentence: state them in separate "
                    "sentences (ICD 203)",
                    (start, end),
                )
            )
    return warnings


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, surrounding whitespace excluded. Splits after . ! ?
    unless the word before is an abbreviation ("U.S.", "Mr.")."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start : match.start() + 1]):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        chunk = text[s:e]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            trimmed.append((s + lead, s + lead + len(stripped)))
    return trimmed


def _is_month(text: str, start: int, end: int) -> bool:
    if _MONTH_NEIGHBOURS.search(text[max(0, start - 4) : start]):
        return True
    if re.match(r"\s*\d", text[end : end + 4]):
        return True
    if text[start] == "M":
        before = text[:start].rstrip()
        return bool(before) and before[-1] not in '.!?:"“'
    return False
