"""The brief's marking: a TLP 2.0 label, or free text. Pure rules, no ReportLab.

TLP 2.0 (FIRST, August 2022) has five labels. A marking that starts with ``TLP:`` must be
one of them: it is normalised (case, spaces: ``tlp: amber`` → ``TLP:AMBER``); ``TLP:WHITE``
is the TLP 1.0 label that TLP 2.0 renamed ``TLP:CLEAR``, and is refused with that said;
anything else after ``TLP:`` is refused. Any other text is a free marking, shown as written
(it wraps within the banner), up to ``FREE_MARKING_LIMIT`` characters.
"""

from __future__ import annotations

from workstation.domain.vocab import MARKINGS

TLP_PREFIX = "TLP:"
DEFAULT_MARKING = "TLP:AMBER"
FREE_MARKING_LIMIT = 500

# What each label allows a recipient, in one line (after FIRST's TLP 2.0 definitions).
TLP_MEANINGS = {
    "TLP:RED": "For the eyes and ears of the individual recipients only: no further disclosure.",
    "TLP:AMBER+STRICT": "Limited disclosure: recipients may share only with members of their "
    "own organisation, on a need-to-know basis.",
    "TLP:AMBER": "Limited disclosure: recipients may share with members of their own "
    "organisation and its clients on a need-to-know basis.",
    "TLP:GREEN": "Limited disclosure: recipients may share within their community, but not "
    "through publicly accessible channels.",
    "TLP:CLEAR": "Disclosure is not limited: recipients may share this with the world, "
    "subject to standard copyright rules.",
}
TLP_LABELS = tuple(MARKINGS)


class MarkingError(ValueError):
    """A marking the brief refuses; the message says why and what to use instead."""


def normalise_marking(text: str | None) -> str:
    """The marking as the brief shows it, or ``MarkingError``. Blank means the default."""
    stripped = (text or "").strip()
    if not stripped:
        return DEFAULT_MARKING
    if not stripped.upper().startswith(TLP_PREFIX):
        if len(stripped) > FREE_MARKING_LIMIT:
            raise MarkingError(
                f"a free-text marking is at most {FREE_MARKING_LIMIT} characters "
                f"(this one has {len(stripped)})"
            )
        return stripped
    label = "".join(stripped.split()).upper()
    if label in TLP_MEANINGS:
        return label
    if label == "TLP:WHITE":
        raise MarkingError(
            "TLP:WHITE is the TLP 1.0 label; TLP 2.0 calls it TLP:CLEAR — use TLP:CLEAR"
        )
    raise MarkingError(
        f"unknown TLP label {stripped!r}: TLP 2.0 has {', '.join(TLP_LABELS)} "
        "(a marking that does not start with TLP: is free text)"
    )


def is_tlp(marking: str) -> bool:
    return marking in TLP_MEANINGS


def meaning(marking: str) -> str:
    """What a TLP label allows recipients, in one line; "" for a free-text marking."""
    return TLP_MEANINGS.get(marking, "")
