"""Cohen's κ and Krippendorff's unitised α (domain/agreement.py) against arithmetic done by
hand, Krippendorff's own worked example, and scikit-learn's κ on the same characters."""

from __future__ import annotations

import random
import sys
import time
from fractions import Fraction

import pytest

from workstation.domain.agreement import Span, compare, kappa


def spans(doc: str, *triples: tuple[int, int, str]) -> list[Span]:
    return [Span(doc, s, e, c) for s, e, c in triples]


def by_name(result) -> dict:
    return {f.category: f for f in result.categories}


def test_hand_computed_tiny_document():
    # One document of 10 characters, positions 0..9.
    #   ours:   A [0,4)  B [6,8)     →  A A A A . . B B . .
    #   theirs: A [2,4)  B [6,10)    →  . . A A . . B B B B
    result = compare(
        [("d", 10)],
        spans("d", (0, 4, "A"), (6, 8, "B")),
        spans("d", (2, 4, "A"), (6, 10, "B")),
    )
    figures = by_name(result)
    # κ, category A (1 inside A, else 0): both 1 at 2,3 (2 chars); both 0 at 4..9 (6 chars).
    #   p_o = 8/10 = 0.8; shares of 1: ours 4/10, theirs 2/10
    #   p_e = 0.4·0.2 + 0.6·0.8 = 0.08 + 0.48 = 0.56
    #   κ_A = (0.8 − 0.56)/(1 − 0.56) = 0.24/0.44 = 6/11
    assert figures["A"].kappa == pytest.approx(6 / 11)
    # Category B mirrors it: both 1 at 6,7; both 0 at 0..5 → p_o 0.8; shares 0.2 and 0.4
    #   p_e = 0.2·0.4 + 0.8·0.6 = 0.56 → κ_B = 6/11
    assert figures["B"].kappa == pytest.approx(6 / 11)
    # κ overall (label = the set of categories, {} = none):
    #   agree at 2,3 (A), 4,5 (none), 6,7 (B) → p_o = 6/10
    #   shares: A ours .4 theirs .2; B ours .2 theirs .4; none ours .4 theirs .4
    #   p_e = .08 + .08 + .16 = .32 → κ = (.6 − .32)/(.68) = .28/.68 = 7/17
    assert result.overall.kappa == pytest.approx(7 / 17)

    # α_U, category A, L = 10, m = 2.
    #   ours:   unit [0,4) l=4, gap [4,10) l=6
    #   theirs: gap [0,2) l=2, unit [2,4) l=2, gap [4,10) l=6
    #   δ² of the two overlapping units: (0−2)² + (4−4)² = 4, in both orders (i,j),(j,i): 8
    #   no unit lies whole in the other's gap → Σδ² = 8
    #   D_o = 8/(m(m−1)L²) = 8/200 = 0.04
    #   D_e: N = 2 units; gaps of both coders: 6, 2, 6
    #     unit l=4: (N−1)/3·(2·4³ − 3·4² + 4) = (128 − 48 + 4)/3 = 28
    #               gaps ≥ 4: 6, 6 → (6−4+1) + (6−4+1) = 6;  4²·6 = 96   → 124
    #     unit l=2: (2·8 − 3·4 + 2)/3 = 2
    #               gaps ≥ 2: 6, 2, 6 → 5 + 1 + 5 = 11;   2²·11 = 44  → 46
    #     numerator = (2/L)·(124 + 46) = 0.2·170 = 34
    #     denominator = mL(mL−1) − Σ l(l−1) = 20·19 − (4·3 + 2·1) = 380 − 14 = 366
    #     D_e = 34/366
    #   α_A = 1 − 0.04·366/34 = 1 − 14.64/34 = 242/425 ≈ 0.5694
    expected = float(1 - Fraction(4, 100) / Fraction(34, 366))
    assert expected == pytest.approx(242 / 425)
    assert figures["A"].alpha == pytest.approx(expected)
    # B: units [6,8) (gaps 6 and 2) and [6,10) (gap 6): δ² = 0² + (8−10)² = 4 → 8; the
    # same unit and gap lengths as A → the same D_o and D_e.
    assert figures["B"].alpha == pytest.approx(expected)
    # Overall (joint) α = 1 − (D_o,A + D_o,B)/(D_e,A + D_e,B) = the same again.
    assert result.overall.alpha == pytest.approx(expected)
    assert (figures["A"].ours, figures["A"].theirs, result.overall.ours) == (1, 1, 2)
    # Disagreements: 0..1 (A / none) and 8..9 (none / B), each one span.
    assert [(d.start, d.end, d.ours, d.theirs) for d in result.disagreements] == [
        (0, 2, ("A",), ()),
        (8, 10, (), ("B",)),
    ]


def test_krippendorffs_worked_example():
    # Krippendorff (2004), "Measuring the reliability of qualitative text analysis data":
    # continuum 150..450 (here shifted to 0..300), categories c and k, coders i and j.
    i = [(225, 295, "c"), (370, 400, "c"), (180, 240, "k"), (300, 350, "k")]
    j = [(220, 300, "c"), (355, 375, "c"), (400, 420, "c"), (180, 240, "k"), (300, 350, "k")]
    result = compare(
        [("d", 300)],
        [Span("d", s - 150, e - 150, c) for s, e, c in i],
        [Span("d", s - 150, e - 150, c) for s, e, c in j],
    )
    figures = by_name(result)
    # D_o,c = 1300/300² (δ²: 5²+5², 15²+25², and j's [400,420) inside i's gap [400,450))
    # D_e,c ≈ 0.0532 → α_c ≈ 0.7285 (the paper rounds its steps to four places).
    assert figures["c"].alpha == pytest.approx(0.7285, abs=1e-4)
    assert figures["k"].alpha == pytest.approx(1.0)
    assert result.overall.alpha == pytest.approx(0.8587, abs=1e-4)


def per_character(documents, coded, names):
    """(per-category 0/1 lists, combined labels) character by character, the long way."""
    binary = {n: [] for n in names}
    combined = []
    for doc, length in documents:
        for position in range(length):
            inside = sorted(
                {s.category for s in coded if s.document == doc and s.start <= position < s.end}
            )
            for n in names:
                binary[n].append(int(n in inside))
            combined.append("+".join(inside) or "none")
    return binary, combined


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kappa_matches_scikit_learn_character_by_character(seed):
    from sklearn.metrics import cohen_kappa_score

    rng = random.Random(seed)
    documents = [("short", 40), ("long", 900), ("empty", 0), ("mid", 250)]
    names = ["A", "B", "C"]

    def coder(count: int) -> list[Span]:
        found = []
        for _ in range(count):
            doc, length = rng.choice([d for d in documents if d[1]])
            start = rng.randrange(length)
            found.append(
                Span(doc, start, min(length, start + rng.randint(1, 60)), rng.choice(names))
            )
        return found

    ours, theirs = coder(25), coder(18)
    result = compare(documents, ours, theirs)
    binary_ours, combined_ours = per_character(documents, ours, names)
    binary_theirs, combined_theirs = per_character(documents, theirs, names)
    for figures in result.categories:
        reference = cohen_kappa_score(
            binary_ours[figures.category], binary_theirs[figures.category]
        )
        assert figures.kappa == pytest.approx(reference)
    assert result.overall.kappa == pytest.approx(cohen_kappa_score(combined_ours, combined_theirs))
    # Every character the long way labels differently lies in exactly one disagreement.
    differing = sum(a != b for a, b in zip(combined_ours, combined_theirs, strict=True))
    assert sum(d.end - d.start for d in result.disagreements) == differing


def test_identical_coding_agrees_fully():
    coded = spans("d", (0, 5, "A"), (3, 9, "B"), (20, 30, "A"))
    result = compare([("d", 50)], coded, list(coded))
    assert all(
        f.kappa == pytest.approx(1) and f.alpha == pytest.approx(1) for f in result.categories
    )
    assert result.overall.kappa == pytest.approx(1) and result.overall.alpha == pytest.approx(1)
    assert result.disagreements == []


def test_chance_certain_gives_no_kappa_rather_than_a_crash():
    # Both coders put the whole text under A: p_e = 1, κ undefined (None, "n/a").
    result = compare([("d", 10)], spans("d", (0, 10, "A")), spans("d", (0, 10, "A")))
    assert result.categories[0].kappa is None and result.overall.kappa is None
    assert result.categories[0].alpha == pytest.approx(1.0)
    assert kappa(1.0, 1.0) is None


def test_a_category_only_one_coder_used():
    result = compare([("d", 100)], spans("d", (10, 20, "A")), [])
    (figures,) = result.categories
    # Theirs all 0: p_o = 0.9, p_e = 0.1·0 + 0.9·1 = 0.9 → κ = 0; α_U: D_o > 0 → α < 1.
    assert (figures.ours, figures.theirs) == (1, 0)
    assert figures.kappa == pytest.approx(0.0)
    assert figures.alpha is not None and figures.alpha < 0.5
    assert result.disagreements[0].ours == ("A",) and result.disagreements[0].theirs == ()


def test_nothing_to_compare_and_spans_outside_are_clipped():
    assert compare([], [], []).overall.kappa is None
    empty = compare([("d", 0)], spans("d", (0, 3, "A")), [])
    assert empty.characters == 0 and empty.categories == []
    # A span past its document's end is clipped; one on an unknown document left out.
    result = compare(
        [("d", 10)], spans("d", (5, 99, "A")) + spans("x", (0, 5, "A")), spans("d", (5, 10, "A"))
    )
    assert result.categories[0].ours == 1 and result.overall.kappa == pytest.approx(1)


def test_very_different_lengths_and_disagreements_do_not_cross_documents():
    # A unit at the end of one document and the start of the next: two disagreements.
    documents = [("a", 5), ("b", 100_000)]
    result = compare(documents, spans("a", (3, 5, "A")) + spans("b", (0, 2, "A")), [])
    assert [(d.document, d.start, d.end) for d in result.disagreements] == [
        ("a", 3, 5),
        ("b", 0, 2),
    ]


def test_ten_thousand_passages_timed_for_the_report(capsys):
    rng = random.Random(7)
    documents = [(f"doc{n}", rng.randint(500, 8000)) for n in range(1000)]
    lengths = dict(documents)
    names = [f"cat{n}" for n in range(8)]

    def coder() -> list[Span]:
        found = []
        for _ in range(10_000):
            doc = rng.choice(documents)[0]
            start = rng.randrange(lengths[doc] - 1)
            found.append(
                Span(doc, start, min(lengths[doc], start + rng.randint(5, 300)), rng.choice(names))
            )
        return found

    ours, theirs = coder(), coder()
    began = time.perf_counter()
    result = compare(documents, ours, theirs)
    took = time.perf_counter() - began
    with capsys.disabled():
        print(
            f"\nagreement over 2×10,000 passages, {result.characters} chars: {took:.2f} s",
            file=sys.stderr,
        )
    assert result.overall.ours == 10_000 and len(result.categories) == 8
    assert all(-1 <= f.kappa <= 1 for f in result.categories)


def test_start_up_does_not_pay_for_numpy():
    import subprocess

    code = (
        "import sys, workstation.cli, workstation.cli.agreement, workstation.services.agreement;"
        "print('numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
