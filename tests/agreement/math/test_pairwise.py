import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agreement.math import (
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
    scott_pi,
)
from tests.agreement.math.test_alpha import RELIABILITY_DATA

# Wikipedia, "Cohen's kappa", worked example: 50 grant proposals read by A and B; both yes 20,
# A yes B no 5, A no B yes 10, both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.40.
READER_A = ["yes"] * 25 + ["no"] * 25
READER_B = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15

# Wikipedia, "Fleiss' kappa", worked example (data of Fleiss 1971): 10 subjects, 14 raters,
# 5 categories; P-bar = 0.378, P_e = 0.213, kappa = 0.210.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def two_raters(table: list[list[int]]) -> tuple[list[int], list[int]]:
    """Raw ratings of two raters from a contingency table (rows rater 1, columns rater 2)."""
    cells = [(i, j) for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    return [i for i, _ in cells], [j for _, j in cells]


def test_cohen_kappa_reproduces_the_wikipedia_example():
    assert cohen_kappa(READER_A, READER_B) == pytest.approx(0.40, abs=1e-12)


def test_scott_pi_uses_pooled_marginals():
    # Pooled: yes 55/100, no 45/100, p_e = 0.505, pi = (0.7 - 0.505) / 0.495 = 13/33.
    assert scott_pi(READER_A, READER_B) == pytest.approx(13 / 33, abs=1e-15)


def test_the_kappas_skip_units_where_either_coder_is_missing():
    assert cohen_kappa([*READER_A, "yes", None], [*READER_B, None, "no"]) == pytest.approx(0.40)
    assert scott_pi([*READER_A, None], [*READER_B, "no"]) == scott_pi(READER_A, READER_B)


@pytest.mark.parametrize("kappa", [cohen_kappa, scott_pi])
@pytest.mark.parametrize(
    ("a", "b"), [([], []), ([None, 1], [1, None]), (["x", "x"], ["x", "x"])], ids=str
)
def test_two_coder_kappas_are_nan_when_undefined(kappa, a, b):
    assert math.isnan(kappa(a, b))


@pytest.mark.parametrize("kappa", [cohen_kappa, scott_pi])
def test_two_coder_kappas_reject_sequences_of_different_length(kappa):
    with pytest.raises(ValueError):
        kappa([1, 2], [1])


def test_fleiss_kappa_reproduces_the_wikipedia_example():
    assert round(fleiss_kappa(FLEISS_TABLE), 3) == 0.210


@pytest.mark.parametrize(
    "counts", [[], [[0, 0], [0, 0]], [[1, 0], [0, 1]], [[3, 0], [3, 0]]], ids=str
)
def test_fleiss_kappa_is_nan_when_undefined(counts):
    assert math.isnan(fleiss_kappa(counts))


@pytest.mark.parametrize(
    "counts", [[[2, 1], [1, 1]], [[2, 1], [1]], [[-1, 4], [2, 1]], [[1.5, 1.5], [2, 1]]], ids=str
)
def test_fleiss_kappa_rejects_malformed_counts(counts):
    with pytest.raises(ValueError):
        fleiss_kappa(counts)


def test_percent_agreement_pools_pairs_over_units():
    # Krippendorff's 2011 data: 43 of the 55 pairable value pairs agree. (irrCAC's pa = 9/11
    # averages per-unit shares instead; AGREEMENT.md asks for the pooled share.)
    assert percent_agreement(RELIABILITY_DATA) == 43 / 55


def test_percent_agreement_is_nan_without_pairs_and_one_without_variation():
    assert math.isnan(percent_agreement([[1, None], [None, 2]]))
    assert percent_agreement([[1, 1], [1, 1]]) == 1.0


def test_gwet_ac1_reproduces_the_irrcac_example_with_missing_ratings():
    # irrCAC README (Gwet's own package), gwet.ac1.raw(cac.raw4raters): pa = 0.8181818,
    # pe = 0.1903212, AC1 = 0.77544. cac.raw4raters is Krippendorff's 2011 data transposed.
    assert round(gwet_ac1(RELIABILITY_DATA), 5) == 0.77544


@pytest.mark.parametrize(
    ("table", "published"),
    [
        ([[80, 7], [8, 5]], 0.808),
        (
            [
                [15, 4, 1, 0, 0],
                [3, 12, 4, 1, 0],
                [1, 3, 14, 3, 1],
                [0, 1, 3, 10, 2],
                [0, 0, 1, 2, 8],
            ],
            0.57997,
        ),
    ],
    ids=["paradox 2x2", "likert 5x5"],
)
def test_gwet_ac1_reproduces_irrcac_reference_values(table, published):
    # irrCAC 1.4 gwet.ac1.raw values (rounded to 5 decimals by irrCAC), as recorded in DKPro
    # Agreement's fixtures src/test/resources/gwet/fixture_01_paradox_2x2.json and _05_likert_5x5.
    assert round(gwet_ac1(list(two_raters(table))), 5) == published


@pytest.mark.parametrize("data", [[[1, 1], [1, 1]], [[1, None], [None, 2]], []], ids=str)
def test_gwet_ac1_is_nan_when_undefined(data):
    assert math.isnan(gwet_ac1(data))


def direct_ac1(rows: list[list[object]]) -> float:
    """Gwet's (2008) multi-rater AC1 written out unit by unit, for the property test."""
    units = [[row[u] for row in rows if row[u] is not None] for u in range(len(rows[0]))]
    categories = sorted({v for unit in units for v in unit})
    rated = [Counter(unit) for unit in units if unit]
    paired = [(Counter(unit), len(unit)) for unit in units if len(unit) >= 2]
    p_a = sum(sum(n * (n - 1) for n in c.values()) / (r * (r - 1)) for c, r in paired) / len(paired)
    pi = {k: sum(c[k] / sum(c.values()) for c in rated) / len(rated) for k in categories}
    p_e = sum(p * (1 - p) for p in pi.values()) / (len(categories) - 1)
    return (p_a - p_e) / (1 - p_e)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda coders: st.lists(
            st.lists(st.sampled_from(["a", "b", "c", None]), min_size=coders, max_size=coders),
            min_size=1,
            max_size=20,
        )
    )
)
def test_gwet_ac1_equals_a_direct_implementation_of_the_formula(units):
    rows = [list(r) for r in zip(*units, strict=True)]
    values = {v for row in rows for v in row if v is not None}
    pairable = any(sum(v is not None for v in unit) >= 2 for unit in units)
    if len(values) < 2 or not pairable:
        assert math.isnan(gwet_ac1(rows))
    else:
        assert gwet_ac1(rows) == pytest.approx(direct_ac1(rows), abs=1e-12)
