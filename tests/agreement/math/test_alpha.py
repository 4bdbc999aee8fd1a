import math
import warnings
from fractions import Fraction

import krippendorff  # GPL-3.0: used here only as an independent cross-check
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agreement.math import krippendorff_alpha

LEVELS = ["nominal", "ordinal", "interval", "ratio"]

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability, section C (p. 8):
# 4 observers x 12 units, values 1-5, None where an observer gave no value.
RELIABILITY_DATA = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


def as_array(rows: list[list[object]]) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


@pytest.mark.parametrize("level", LEVELS)
def test_it_reproduces_the_published_values_of_krippendorff_2011(level):
    assert round(krippendorff_alpha(RELIABILITY_DATA, level), 3) == PUBLISHED[level]


@pytest.mark.parametrize("level", LEVELS)
def test_the_numpy_fast_path_gives_the_same_value_as_the_list_path(level):
    fast = krippendorff_alpha(as_array(RELIABILITY_DATA), level)
    assert fast == pytest.approx(krippendorff_alpha(RELIABILITY_DATA, level), abs=1e-12)


def test_nominal_alpha_is_the_exact_fraction_rounded_once():
    # n = 40 pairable values, 8 off-diagonal coincidences, n^2 - sum n_c^2 = 1600 - 384:
    # alpha = 1 - 39 * 8 / 1216 = 113 / 152.
    assert krippendorff_alpha(RELIABILITY_DATA) == float(Fraction(113, 152))


def test_strings_are_nominal_categories_and_sort_for_ordinal():
    words = {1: "a-low", 2: "b-mid", 3: "c-high", 4: "d-higher", 5: "e-top", None: None}
    data = [[words[v] for v in row] for row in RELIABILITY_DATA]
    assert round(krippendorff_alpha(data), 3) == 0.743
    assert round(krippendorff_alpha(data, "ordinal"), 3) == 0.815


@pytest.mark.parametrize(
    "data",
    [
        [[1, 1, 1], [1, 1, 1]],
        [[1, None, 2], [None, 3, None]],
        [[1, 2, 3]],
        [],
        [[], []],
        [[None, None], [None, None]],
    ],
    ids=[
        "no variation",
        "no pairable unit",
        "single coder",
        "no coders",
        "no units",
        "all missing",
    ],
)
@pytest.mark.parametrize("level", LEVELS)
def test_undefined_alpha_is_nan(data, level):
    assert math.isnan(krippendorff_alpha(data, level))


def test_no_variation_is_nan_even_where_floating_point_would_leave_a_residue():
    data = np.full((3, 5), 0.1)
    assert math.isnan(krippendorff_alpha(data, "interval"))


def test_perfect_agreement_is_exactly_one():
    data = [[1, 2, 3, None], [1, 2, 3, 4], [None, 2, 3, 4]]
    assert all(krippendorff_alpha(data, level) == 1.0 for level in LEVELS)


@pytest.mark.parametrize(
    ("data", "level"),
    [
        ([[1, 2], [1]], "nominal"),
        ([1, 2, 3], "nominal"),
        ([[1, "x"], [1, 2]], "interval"),
        ([[1, "x"], [1, 2]], "ordinal"),
        ([[-1, 2], [1, 2]], "ratio"),
        ([[1.0, math.inf], [1.0, 2.0]], "interval"),
        ([[1, 2], [1, 2]], "cardinal"),
        (np.zeros((2, 2, 2)), "nominal"),
    ],
    ids=[
        "ragged",
        "1-D",
        "text interval",
        "mixed ordinal",
        "negative ratio",
        "inf",
        "level",
        "3-D",
    ],
)
def test_malformed_input_raises_value_error(data, level):
    with pytest.raises(ValueError):
        krippendorff_alpha(data, level)


@st.composite
def reliability_matrices(draw, integers=True):
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(1, 25))
    values = st.integers(0, 5) if integers else st.sampled_from([0.0, 0.5, 1.25, 3.0, 7.5, 10.0])
    cells = draw(st.lists(values, min_size=coders * units, max_size=coders * units))
    missing = draw(st.lists(st.booleans(), min_size=coders * units, max_size=coders * units))
    matrix = np.array(cells, dtype=float).reshape(coders, units)
    matrix[np.array(missing).reshape(coders, units)] = np.nan
    return matrix


def reference_alpha(matrix: np.ndarray, level: str) -> float:
    """krippendorff.alpha, which raises instead of returning NaN for some undefined cases."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return float(krippendorff.alpha(matrix, level_of_measurement=level))
        except ValueError:
            return math.nan


def assert_same(ours: float, reference: float) -> None:
    assert (math.isnan(ours) and math.isnan(reference)) or math.isclose(
        ours, reference, rel_tol=0, abs_tol=1e-9
    )


@settings(max_examples=150, deadline=None)
@given(matrix=reliability_matrices(), level=st.sampled_from(LEVELS))
def test_the_numpy_fast_path_agrees_with_the_krippendorff_package(matrix, level):
    assert_same(krippendorff_alpha(matrix, level), reference_alpha(matrix, level))


@settings(max_examples=100, deadline=None)
@given(matrix=reliability_matrices(integers=False), level=st.sampled_from(LEVELS))
def test_the_fast_path_agrees_with_the_package_on_fractional_values(matrix, level):
    assert_same(krippendorff_alpha(matrix, level), reference_alpha(matrix, level))


@settings(max_examples=150, deadline=None)
@given(matrix=reliability_matrices(), level=st.sampled_from(LEVELS))
def test_the_list_path_agrees_with_the_krippendorff_package(matrix, level):
    # Nominal and ordinal go through zero-padded strings, whose sort order is the numeric one.
    def cell(value: float) -> object:
        if math.isnan(value):
            return None
        return f"v{int(value):02d}" if level in ("nominal", "ordinal") else int(value)

    rows = [[cell(v) for v in row] for row in matrix.tolist()]
    assert_same(krippendorff_alpha(rows, level), reference_alpha(matrix, level))
