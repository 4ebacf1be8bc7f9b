"""Agreement between two coders' passages on the same texts: Cohen's κ and Krippendorff's
unitised α, per category and overall, and the spans where the coders disagree.

Pure arithmetic on spans of code points; numpy is imported inside the functions (start-up
never pays for it).

**The continuum.** The shared documents are laid end to end as one continuum of ``L``
characters (code points), in the order given. A passage never crosses its document, and the
gaps between one coder's units are cut at document borders too (a unit cannot be imagined
lying across two articles).

**Cohen's κ** (Cohen 1960, "A coefficient of agreement for nominal scales", Educational and
Psychological Measurement 20:37–46), with every character a unit coded by both coders:
``κ = (p_o − p_e) / (1 − p_e)``, ``p_o`` the share of characters both coded alike,
``p_e = Σ_k p_A(k)·p_B(k)`` the agreement expected from each coder's own label shares.

- Per category c: each character is 1 when inside a passage of c, else 0.
- Overall: each character's label is the *set* of categories covering it (empty: no
  passage). Overlapping passages of different categories make a combined label ("A+B"), so
  two coders agree on a character only when they put it under exactly the same categories.
- ``p_e = 1`` (both coders gave every character one and the same label) leaves κ undefined:
  None, shown as "n/a".

**Krippendorff's unitised α** (α_U; Krippendorff 1995, "On the reliability of unitizing
continuous data", Sociological Methodology 25:47–76; Krippendorff 2004, "Measuring the
reliability of qualitative text analysis data", Quality & Quantity 38:787–800), for m = 2
coders. For category c, each coder's continuum is cut into units (w = 1: inside a passage of
c) and gaps (w = 0), each segment g with its beginning b and length l. The distance of two
segments of different coders is

- both units, overlapping (−l_g < b_g − b_h < l_h): δ² = (b_g − b_h)² + (e_g − e_h)²;
- a unit lying wholly inside the other coder's gap: δ² = l_unit²;
- otherwise 0;

``D_o = Σ_{i≠j} Σ_g Σ_h δ² / (m(m−1)L²)`` and

``D_e = (2/L) Σ_units [ (N−1)/3·(2l³ − 3l² + l) + l² Σ_{gaps h, l_h ≥ l} (l_h − l + 1) ]
/ [ mL(mL−1) − Σ_units l(l−1) ]``, N the number of units of c of both coders;

``α_c = 1 − D_o/D_e``, and overall ``α = 1 − Σ_c D_o,c / Σ_c D_e,c`` (2004, the joint
coefficient). A category nobody used has D_e = 0: α is None ("n/a"). One coder's own
overlapping passages of one category are first joined into one unit (α_U assumes a coder's
units of one category do not overlap); passages that only touch stay two units.

This is the true unitised α, not the character-level nominal α; the test reproduces
Krippendorff's (2004) worked example (α_c ≈ 0.7285, α_k = 1, joint ≈ 0.8587).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

OURS, THEIRS = 0, 1


@dataclass(frozen=True)
class Span:
    """One passage of one coder: ``[start, end)`` in code points of its document."""

    document: str
    start: int
    end: int
    category: str


@dataclass(frozen=True)
class Figures:
    """One row of the table: how many passages each side has, κ and α (None: n/a)."""

    category: str | None  # None: overall
    ours: int
    theirs: int
    kappa: float | None
    alpha: float | None


@dataclass(frozen=True)
class Disagreement:
    """A run of characters the coders labelled differently (categories sorted; () none)."""

    document: str
    start: int
    end: int
    ours: tuple[str, ...]
    theirs: tuple[str, ...]


@dataclass
class Agreement:
    characters: int
    categories: list[Figures] = field(default_factory=list)
    overall: Figures = field(default_factory=lambda: Figures(None, 0, 0, None, None))
    disagreements: list[Disagreement] = field(default_factory=list)


def kappa(observed: float, expected: float) -> float | None:
    """Cohen's κ from the observed and chance agreement; None when chance is certain."""
    if expected >= 1.0 - 1e-12:
        return None
    return (observed - expected) / (1.0 - expected)


def compare(
    documents: Sequence[tuple[str, int]], ours: Iterable[Span], theirs: Iterable[Span]
) -> Agreement:
    """κ, α and the disagreements over ``documents`` ((key, length) in continuum order);
    spans on other documents, or outside their document, are clipped or left out."""
    import numpy as np

    offsets: dict[str, tuple[int, int]] = {}
    total = 0
    for key, length in documents:
        if key not in offsets:
            offsets[key] = (total, max(length, 0))
            total += max(length, 0)
    sides = [_placed(spans, offsets) for spans in (ours, theirs)]
    names = sorted({s[2] for side in sides for s in side})
    result = Agreement(characters=total)
    if total == 0:
        return result
    borders = _borders(offsets, sides)
    widths = np.diff(borders).astype(np.float64)
    grouped: list[dict[str, list[tuple[int, int, str]]]] = [{}, {}]
    for side, groups in zip(sides, grouped, strict=True):
        for span in side:
            groups.setdefault(span[2], []).append(span)
    covers = [{c: _coverage(borders, groups.get(c, [])) for c in names} for groups in grouped]
    d_o_sum = d_e_sum = 0.0
    for name in names:
        a, b = covers[OURS][name], covers[THEIRS][name]
        coded = [groups.get(name, []) for groups in grouped]
        d_o, d_e = _alpha_parts([_units(c) for c in coded], offsets, total)
        d_o_sum, d_e_sum = d_o_sum + d_o, d_e_sum + d_e
        result.categories.append(
            Figures(
                name,
                len(coded[OURS]),
                len(coded[THEIRS]),
                _binary_kappa(a, b, widths, total),
                _alpha(d_o, d_e),
            )
        )
    labels, sets = _labels(covers, names, len(widths))
    result.overall = Figures(
        None,
        len(sides[OURS]),
        len(sides[THEIRS]),
        _label_kappa(labels, widths, total),
        _alpha(d_o_sum, d_e_sum),
    )
    result.disagreements = _disagreements(borders, labels, sets, offsets)
    return result


def _placed(
    spans: Iterable[Span], offsets: dict[str, tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """Spans on the continuum (global start, end, category), clipped to their document."""
    placed = []
    for span in spans:
        where = offsets.get(span.document)
        if where is None:
            continue
        base, length = where
        start, end = max(span.start, 0), min(span.end, length)
        if start < end:
            placed.append((base + start, base + end, span.category))
    return placed


def _borders(
    offsets: dict[str, tuple[int, int]], sides: list[list[tuple[int, int, str]]]
) -> np.ndarray:
    """Every point where some label may change: the elementary segments lie between."""
    import numpy as np

    points = {0}
    for base, length in offsets.values():
        points.update((base, base + length))
    for side in sides:
        for start, end, _ in side:
            points.update((start, end))
    return np.array(sorted(points), dtype=np.int64)


def _coverage(borders: np.ndarray, spans: list[tuple[int, int, str]]) -> np.ndarray:
    """Per elementary segment: is it inside one of ``spans``?"""
    import numpy as np

    steps = np.zeros(len(borders), dtype=np.int64)
    if spans:
        starts = np.searchsorted(borders, [s[0] for s in spans])
        ends = np.searchsorted(borders, [s[1] for s in spans])
        np.add.at(steps, starts, 1)
        np.add.at(steps, ends, -1)
    return np.cumsum(steps)[:-1] > 0


def _binary_kappa(a: np.ndarray, b: np.ndarray, widths: np.ndarray, total: int) -> float | None:
    both = float(widths[a & b].sum())
    neither = float(widths[~a & ~b].sum())
    share_a, share_b = float(widths[a].sum()) / total, float(widths[b].sum()) / total
    expected = share_a * share_b + (1 - share_a) * (1 - share_b)
    return kappa((both + neither) / total, expected)


def _labels(
    covers: list[dict[str, np.ndarray]], names: list[str], count: int
) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Per coder and elementary segment, a small number standing for its set of categories,
    and each number's set."""
    import numpy as np

    if not names:
        return np.zeros((2, count), dtype=np.int64), [()]
    rows = np.stack([np.stack([cover[n] for n in names], axis=1) for cover in covers])
    rows = rows.reshape(2 * count, len(names))
    if len(names) <= 62:  # one bit a category: a 1-D unique, far quicker than rows'
        codes = rows.astype(np.int64) @ (np.int64(1) << np.arange(len(names), dtype=np.int64))
        distinct, inverse = np.unique(codes, return_inverse=True)
        sets = [tuple(n for bit, n in enumerate(names) if int(c) >> bit & 1) for c in distinct]
    else:
        found, inverse = np.unique(rows, axis=0, return_inverse=True)
        sets = [tuple(n for n, on in zip(names, row, strict=True) if on) for row in found]
    return np.asarray(inverse).reshape(2, count), sets


def _label_kappa(labels: np.ndarray, widths: np.ndarray, total: int) -> float | None:
    import numpy as np

    size = int(labels.max()) + 1
    share_a = np.bincount(labels[OURS], weights=widths, minlength=size) / total
    share_b = np.bincount(labels[THEIRS], weights=widths, minlength=size) / total
    observed = float(widths[labels[OURS] == labels[THEIRS]].sum()) / total
    return kappa(observed, float(np.dot(share_a, share_b)))


def _alpha(d_o: float, d_e: float) -> float | None:
    return None if d_e <= 0 else 1.0 - d_o / d_e


def _units(spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """One coder's units of one category, sorted; overlapping passages joined."""
    units: list[tuple[int, int]] = []
    for start, end, _ in sorted(spans):
        if units and start < units[-1][1]:
            units[-1] = (units[-1][0], max(units[-1][1], end))
        else:
            units.append((start, end))
    return units


def _gaps(
    units: list[tuple[int, int]], offsets: dict[str, tuple[int, int]]
) -> list[tuple[int, int]]:
    """What the units leave uncovered, cut at document borders."""
    gaps = []
    cuts = sorted({base for base, _ in offsets.values()} | {b + n for b, n in offsets.values()})
    at, index = 0, 0
    for start, end in [*units, (cuts[-1], cuts[-1])]:
        while index < len(cuts) and cuts[index] <= start:
            if at < cuts[index]:
                gaps.append((at, cuts[index]))
            at = max(at, cuts[index])
            index += 1
        if at < start:
            gaps.append((at, start))
        at = max(at, end)
    return gaps


def _alpha_parts(
    units: list[list[tuple[int, int]]], offsets: dict[str, tuple[int, int]], total: int
) -> tuple[float, float]:
    """(D_o, D_e) of one category, m = 2 (see the module notes)."""
    import numpy as np

    gaps = [_gaps(side, offsets) for side in units]
    squared = 0.0
    for me in (OURS, THEIRS):
        mine = np.array(units[me], dtype=np.int64).reshape(-1, 2)
        other_units = np.array(units[1 - me], dtype=np.int64).reshape(-1, 2)
        other_gaps = np.array(gaps[1 - me], dtype=np.int64).reshape(-1, 2)
        if not len(mine):
            continue
        starts, ends = mine[:, 0], mine[:, 1]
        # Units of the other coder overlapping each of mine (theirs never overlap each
        # other, so they form one run): first..last-1.
        first = np.searchsorted(other_units[:, 1], starts, side="right")
        last = np.searchsorted(other_units[:, 0], ends, side="left")
        for row in np.flatnonzero(last > first).tolist():
            near = other_units[first[row] : last[row]]
            squared += float(
                np.sum((starts[row] - near[:, 0]) ** 2 + (ends[row] - near[:, 1]) ** 2)
            )
        # The other coder's gap holding a unit whole: counted in both orders (i, j), (j, i).
        if len(other_gaps):
            g = np.searchsorted(other_gaps[:, 0], starts, side="right") - 1
            held = (g >= 0) & (other_gaps[g, 0] <= starts) & (ends <= other_gaps[g, 1])
            squared += 2.0 * float(np.sum((ends[held] - starts[held]).astype(np.float64) ** 2))
    m = 2
    d_o = squared / (m * (m - 1) * float(total) ** 2)
    lengths = np.array([e - s for side in units for s, e in side], dtype=np.float64)
    if not len(lengths):
        return d_o, 0.0
    gap_lengths = np.sort(np.array([e - s for side in gaps for s, e in side], dtype=np.float64))
    # Σ_{l_h ≥ l} (l_h − l + 1) for every unit length l at once, from suffix sums.
    suffix = np.concatenate([np.cumsum(gap_lengths[::-1])[::-1], [0.0]])
    first_long = np.searchsorted(gap_lengths, lengths, side="left")
    room = suffix[first_long] - (lengths - 1) * (len(gap_lengths) - first_long)
    n = len(lengths)
    shapes = (n - 1) / 3 * (2 * lengths**3 - 3 * lengths**2 + lengths)
    numerator = 2.0 / total * float(np.sum(shapes + lengths**2 * room))
    denominator = m * total * (m * total - 1.0) - float(np.sum(lengths * (lengths - 1)))
    return d_o, numerator / denominator if denominator > 0 else 0.0


def _disagreements(
    borders: np.ndarray,
    labels: np.ndarray,
    sets: list[tuple[str, ...]],
    offsets: dict[str, tuple[int, int]],
) -> list[Disagreement]:
    """Runs of elementary segments labelled differently, joined while the pair of labels
    stays the same and the document too, in document then position order."""
    import numpy as np

    differ = np.flatnonzero(labels[OURS] != labels[THEIRS])
    if not len(differ):
        return []
    documents = sorted((base, key) for key, (base, length) in offsets.items() if length)
    bases = np.array([base for base, _ in documents], dtype=np.int64)
    starts, ends = borders[differ], borders[differ + 1]
    ours, theirs = labels[OURS][differ], labels[THEIRS][differ]
    joined = np.zeros(len(differ), dtype=bool)
    joined[1:] = (
        (starts[1:] == ends[:-1])
        & (ours[1:] == ours[:-1])
        & (theirs[1:] == theirs[:-1])
        & ~np.isin(starts[1:], bases)
    )
    firsts = np.flatnonzero(~joined)
    lasts = np.append(firsts[1:], len(differ)) - 1
    where = np.searchsorted(bases, starts[firsts], side="right") - 1
    found = []
    for first, last, doc in zip(firsts.tolist(), lasts.tolist(), where.tolist(), strict=True):
        base, key = documents[doc]
        found.append(
            Disagreement(
                key,
                int(starts[first]) - base,
                int(ends[last]) - base,
                sets[int(ours[first])],
                sets[int(theirs[first])],
            )
        )
    return found
