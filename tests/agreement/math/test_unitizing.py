import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agreement.math import unitized_alpha
from agreement.math.unitizing import category_disagreements, merge_units

# Krippendorff (2004), Content Analysis, 2nd ed., p. 254, as encoded in DKPro Agreement's test
# org.dkpro.statistics.agreement.unitizing.Krippendorff2004Test: continuum [150, 450), observers
# i = 0 and j = 1, units (offset, length, observer, category). Shifted here to start at 0.
KRIPPENDORFF_2004 = [
    (225, 70, 0, "c"),
    (370, 30, 0, "c"),
    (220, 80, 1, "c"),
    (355, 20, 1, "c"),
    (400, 20, 1, "c"),
    (180, 60, 0, "k"),
    (300, 50, 0, "k"),
    (180, 60, 1, "k"),
    (300, 50, 1, "k"),
]
UNITS_2004 = [(coder, o - 150, o - 150 + n, cat) for o, n, coder, cat in KRIPPENDORFF_2004]


def disagreements(length, units, category, coders):
    per_coder = [
        [(s, e) for c, s, e, k in units if c == coder and k == category] for coder in coders
    ]
    d_o, d_e = category_disagreements(length, [merge_units(spans) for spans in per_coder])
    return float(d_o), float(d_e)


def test_it_reproduces_krippendorff_2004_as_tested_by_dkpro():
    # DKPro asserts 0.8591 with tolerance 0.0005 overall, and for category c D_o = 0.0144,
    # D_e = 0.0532, alpha = 0.7286; for k D_o = 0, D_e = 0.0490, alpha = 1 (tolerance 0.0001).
    assert unitized_alpha(300, UNITS_2004) == pytest.approx(0.8591, abs=0.0005)
    assert unitized_alpha(300, UNITS_2004, "c") == pytest.approx(0.7286, abs=0.0001)
    assert unitized_alpha(300, UNITS_2004, "k") == 1.0
    d_o, d_e = disagreements(300, UNITS_2004, "c", [0, 1])
    assert (d_o, d_e) == (pytest.approx(0.0144, abs=1e-4), pytest.approx(0.0532, abs=1e-4))
    assert disagreements(300, UNITS_2004, "k", [0, 1]) == (0.0, pytest.approx(0.0490, abs=1e-4))


def test_it_reproduces_dkpro_unitizing_agreement_test():
    # DKPro UnitizingAgreementTest: r0 -11111111-, r1 --1-1-1--- on a continuum of 10:
    # D_o = 0.9100, D_e = 0.5351, alpha = -0.7003.
    units = [(0, 1, 9, "A"), (1, 2, 3, "A"), (1, 4, 5, "A"), (1, 6, 7, "A")]
    assert disagreements(10, units, "A", [0, 1]) == (
        pytest.approx(0.91, abs=1e-4),
        pytest.approx(0.5351, abs=1e-4),
    )
    assert unitized_alpha(10, units, "A") == pytest.approx(-0.7003, abs=1e-4)


def krippendorff_1995(stretch: int) -> list[tuple[int, int, int, str]]:
    """Krippendorff (1995, p. 57) example as in DKPro's Krippendorff1995Test: 24 positions."""
    # (offset, length, coder) per category; coder 0 is Bertha/John/Gerret/Heather of the paper.
    a = [(2, 8, 0), (14, 6, 0), (4, 4, 1), (15, 2, 1)]
    b = [(0, 18, 0), (0, 2, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1), (5, 1, 1), (6, 3, 1), (9, 1, 1)]
    c = [
        (2, 6, 0),
        (10, 2, 0),
        (14, 4, 0),
        (20, 2, 0),
        (0, 2, 1),
        (4, 4, 1),
        (10, 4, 1),
        (16, 2, 1),
    ]
    d = [(0, 2, 0), (2, 8, 0), (10, 4, 0), (14, 6, 0), (20, 4, 0), (0, 4, 1), (4, 4, 1), (8, 7, 1)]
    spans = {"A": a, "B": b, "C": [*c, (20, 2, 1)], "D": [*d, (15, 2, 1), (17, 7, 1)]}
    return [
        (coder, o * stretch, (o + n) * stretch, category)
        for category, units in spans.items()
        for o, n, coder in units
    ]


@pytest.mark.parametrize(
    ("category", "observed", "expected", "alpha"),
    [
        ("A", 0.03125, 0.06990, 0.553),
        ("B", 2.26736, 1.17731, -0.926),
        ("C", 0.02777, 0.08642, 0.679),
        ("D", 0.38715, 0.41445, 0.066),
    ],
)
def test_it_reproduces_krippendorff_1995_within_dkpros_tolerances(
    category, observed, expected, alpha
):
    # DKPro checks D_o at stretch 1 (tolerance 1e-5) and D_e, alpha at stretch 50000 (tolerances
    # 0.005 and 0.02: it notes that the 1995 paper's D_e formula has a small error).
    d_o, _ = disagreements(24, krippendorff_1995(1), category, [0, 1])
    assert d_o == pytest.approx(observed, abs=1e-5)
    units = krippendorff_1995(50_000)
    _, d_e = disagreements(24 * 50_000, units, category, [0, 1])
    assert d_e == pytest.approx(expected, abs=0.005)
    assert unitized_alpha(24 * 50_000, units, category) == pytest.approx(alpha, abs=0.02)


def test_equal_observed_and_expected_disagreement_gives_exactly_zero():
    # DKPro testSingleAnnotationUnit: 3 coders, continuum 20, one unit of length 1: D_o = D_e.
    assert unitized_alpha(20, [(0, 0, 1, "X")], coders=[0, 1, 2]) == 0.0


@pytest.mark.parametrize(
    ("length", "units", "category", "coders"),
    [
        (20, [], None, [0, 1, 2]),
        (20, [(0, 0, 5, "X")], "Y", [0, 1]),
        (20, [(0, 0, 5, "X")], None, None),
        (0, [], None, [0, 1]),
    ],
    ids=["no units", "absent category", "single coder", "empty continuum"],
)
def test_undefined_unitized_alpha_is_nan(length, units, category, coders):
    assert math.isnan(unitized_alpha(length, units, category, coders))


def test_one_coders_overlapping_spans_of_a_category_are_merged_first():
    split = [(0, 2, 6, "X"), (0, 4, 9, "X"), (1, 2, 9, "X"), (0, 12, 15, "X"), (1, 12, 14, "X")]
    merged = [(0, 2, 9, "X"), (1, 2, 9, "X"), (0, 12, 15, "X"), (1, 12, 14, "X")]
    assert unitized_alpha(20, split) == unitized_alpha(20, merged)


def test_touching_spans_stay_separate_units():
    touching = [(0, 0, 5, "X"), (0, 5, 10, "X"), (1, 0, 10, "X")]
    joined = [(0, 0, 10, "X"), (1, 0, 10, "X")]
    assert unitized_alpha(20, joined) == 1.0
    assert unitized_alpha(20, touching) < 1.0


def test_other_categories_count_as_gaps():
    units = [(0, 0, 5, "X"), (1, 0, 5, "X"), (0, 5, 10, "Y"), (1, 12, 20, "Y")]
    assert unitized_alpha(20, units, "X") == unitized_alpha(20, units[:2], "X")


def test_a_coder_without_units_still_counts():
    units = [(0, 0, 5, "X"), (1, 0, 5, "X")]
    assert unitized_alpha(20, units) == 1.0
    assert unitized_alpha(20, units, coders=[0, 1, 2]) < 1.0


@pytest.mark.parametrize(
    ("units", "coders"),
    [
        ([(0, 5, 5, "X")], None),
        ([(0, -1, 5, "X")], None),
        ([(0, 5, 21, "X")], None),
        ([(9, 0, 5, "X")], [0, 1]),
    ],
    ids=["empty", "negative", "past the end", "unknown coder"],
)
def test_malformed_units_raise_value_error(units, coders):
    with pytest.raises(ValueError):
        unitized_alpha(20, units, coders=coders)


def loop_disagreements(length: int, coder_units: list[list[tuple[int, int]]]):
    """D_o and D_e of DKPro's formulas with plain loops over every pair of segments."""

    def segments(units):
        found, position = [], 0
        for start, end in units:
            if start > position:
                found.append((position, start, False))
            found.append((start, end, True))
            position = end
        return [*found, (position, length, False)] if position < length else found

    def distance(first, second):
        (s1, e1, unit1), (s2, e2, unit2) = first, second
        if unit1 and unit2 and s1 < e2 and s2 < e1:
            return (s1 - s2) ** 2 + (e1 - e2) ** 2
        if unit1 and not unit2 and s2 <= s1 and e1 <= e2:
            return (e1 - s1) ** 2
        if unit2 and not unit1 and s1 <= s2 and e2 <= e1:
            return (e2 - s2) ** 2
        return 0

    coders = len(coder_units)
    observed = sum(
        distance(a, b)
        for i in range(coders)
        for j in range(coders)
        if i != j
        for a in segments(coder_units[i])
        for b in segments(coder_units[j])
    )
    lengths = [end - start for units in coder_units for start, end in units]
    gaps = [e - s for units in coder_units for s, e, unit in segments(units) if not unit]
    expected = sum(
        (len(lengths) - 1) * Fraction(n * (n - 1) * (2 * n - 1), 3)
        + n * n * sum(g - n + 1 for g in gaps if g >= n)
        for n in lengths
    )
    total = coders * length
    return (
        Fraction(observed, coders * (coders - 1) * length**2),
        Fraction(2 * expected, length * (total * (total - 1) - sum(n * (n - 1) for n in lengths))),
    )


def merged_by_hand(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@st.composite
def continua(draw):
    length = draw(st.integers(1, 15))
    coders = draw(st.integers(2, 3))
    units = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, length - 1))
        end = draw(st.integers(start + 1, length))
        units.append((draw(st.integers(0, coders - 1)), start, end, draw(st.sampled_from("XY"))))
    return length, units, list(range(coders))


@settings(max_examples=200, deadline=None)
@given(continua())
def test_unitized_alpha_equals_a_loop_implementation_of_the_formulas(continuum):
    length, units, coders = continuum
    per_category = [
        loop_disagreements(
            length,
            [
                merged_by_hand([(s, e) for c, s, e, k in units if c == coder and k == category])
                for coder in coders
            ],
        )
        for category in sorted({k for *_, k in units})
    ]
    observed = sum((d_o for d_o, _ in per_category), Fraction(0))
    expected = sum((d_e for _, d_e in per_category), Fraction(0))
    ours = unitized_alpha(length, units, coders=coders)
    if expected == 0:
        assert math.isnan(ours)
    else:
        assert ours == float(1 - observed / expected)
