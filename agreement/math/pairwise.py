"""Kappa-family coefficients, percent agreement and Gwet's AC1."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from fractions import Fraction

import numpy as np

from agreement.math._values import category_matrix, is_missing
from agreement.math.alpha import agreeing_pairs


def _paired_values(a: Sequence[object], b: Sequence[object]) -> list[tuple[object, object]]:
    if len(a) != len(b):
        raise ValueError(f"the two sequences differ in length ({len(a)} and {len(b)})")
    return [(x, y) for x, y in zip(a, b, strict=True) if not is_missing(x) and not is_missing(y)]


def chance_corrected(units: int, agreeing: int, chance_products: int) -> float:
    """(p_o - p_e) / (1 - p_e) with p_o = agreeing / units, p_e = chance_products / units².

    Exact in rational arithmetic; NaN when there are no units or p_e = 1 (no variation).
    """
    denominator = units * units - chance_products
    if units == 0 or denominator == 0:
        return math.nan
    return float(Fraction(units * agreeing - chance_products, denominator))


def cohen_kappa(a: Sequence[object], b: Sequence[object]) -> float:
    """Cohen's (1960) kappa of two coders.

    ``a`` and ``b`` are equal-length sequences of nominal values (any hashable), ``None`` or NaN
    for missing; only units where both have a value count. Chance agreement uses each coder's own
    marginal distribution. Returns a float, ``math.nan`` when no unit has both values or when
    chance agreement is 1 (no variation). Reference: Cohen, J. (1960). A coefficient of agreement
    for nominal scales. Educational and Psychological Measurement, 20, 37-46.
    """
    pairs = _paired_values(a, b)
    first = Counter(x for x, _ in pairs)
    second = Counter(y for _, y in pairs)
    agreeing = sum(1 for x, y in pairs if x == y)
    return chance_corrected(len(pairs), agreeing, sum(n * second[v] for v, n in first.items()))


def scott_pi(a: Sequence[object], b: Sequence[object]) -> float:
    """Scott's (1955) pi of two coders.

    Inputs as for :func:`cohen_kappa`; chance agreement uses the pooled marginal distribution of
    both coders. Returns a float, ``math.nan`` when no unit has both values or there is no
    variation. Reference: Scott, W. A. (1955). Reliability of content analysis: the case of
    nominal scale coding. Public Opinion Quarterly, 19, 321-325.
    """
    pairs = _paired_values(a, b)
    pooled = Counter(x for x, _ in pairs) + Counter(y for _, y in pairs)
    agreeing = sum(1 for x, y in pairs if x == y)
    # p_e = sum((n_c / 2N)^2); scale numerator and denominator by 4 to stay in integers.
    return chance_corrected(2 * len(pairs), 2 * agreeing, sum(n * n for n in pooled.values()))


def fleiss_kappa(counts: Iterable[Iterable[int]]) -> float:
    """Fleiss' (1971) kappa from a units x categories matrix of rater counts.

    ``counts[i][j]`` is how many raters put unit i in category j; every row must sum to the same
    number of raters n (ValueError otherwise, and for negative or non-integer counts or a ragged
    matrix). Returns a float, ``math.nan`` when there are no units, fewer than two raters per
    unit, or expected agreement is 1 (no variation). Exact in rational arithmetic. Reference:
    Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
    Bulletin, 76, 378-382.
    """
    rows = [list(row) for row in counts]
    if len({len(row) for row in rows}) > 1:
        raise ValueError("every unit's row must have one count per category")
    for row in rows:
        for value in row:
            if isinstance(value, bool) or int(value) != value or value < 0:
                raise ValueError(f"counts must be non-negative integers, got {value!r}")
    table = [[int(value) for value in row] for row in rows]
    raters = {sum(row) for row in table}
    if len(raters) > 1:
        raise ValueError(f"every unit must have the same number of raters, got {sorted(raters)}")
    if not table or raters == {0} or raters == {1}:
        return math.nan
    n = raters.pop()
    units = len(table)
    # P-bar = (sum n_ij^2 - N n) / (N n (n - 1)); P_e = sum_j (C_j / N n)^2.
    observed = Fraction(sum(v * v for row in table for v in row) - units * n, units * n * (n - 1))
    expected = Fraction(sum(c * c for c in map(sum, zip(*table, strict=True))), (units * n) ** 2)
    if expected == 1:
        return math.nan
    return float((observed - expected) / (1 - expected))


def percent_agreement(data: Iterable[Iterable[object]]) -> float:
    """Share of agreeing pairs among all pairable value pairs.

    ``data`` is a coders x units matrix of nominal values, ``None`` or NaN for missing. Every
    unordered pair of values within a unit is one pair; the result is agreeing pairs / all pairs
    pooled over units (so a unit with more coders weighs more; irrCAC's ``pa`` instead averages
    per-unit shares). Returns a float, ``math.nan`` when no unit has two values. Exact.
    """
    x = category_matrix(data)
    pairs_per_unit = (~np.isnan(x)).sum(axis=0, dtype=np.int64)
    pairs = int((pairs_per_unit * (pairs_per_unit - 1) // 2).sum())
    if pairs == 0:
        return math.nan
    return float(Fraction(int(agreeing_pairs(x).sum(dtype=np.int64)), pairs))


def gwet_ac1(data: Iterable[Iterable[object]]) -> float:
    """Gwet's AC1 for several coders with missing values (Gwet 2008; Gwet 2014, Handbook).

    ``data`` is a coders x units matrix of nominal values, ``None`` or NaN for missing. With
    r_ik the number of coders putting unit i in category k and r_i their total:
    p_a = mean over units with r_i >= 2 of sum_k r_ik (r_ik - 1) / (r_i (r_i - 1));
    pi_k = mean over units with r_i >= 1 of r_ik / r_i; p_e = sum_k pi_k (1 - pi_k) / (q - 1)
    with q the number of categories observed; AC1 = (p_a - p_e) / (1 - p_e). This is what
    irrCAC's ``gwet.ac1.raw`` computes. Returns a float, ``math.nan`` when no unit has two values
    or only one category occurs (q < 2). Reference: Gwet, K. L. (2008). Computing inter-rater
    reliability and its variance in the presence of high agreement. British Journal of
    Mathematical and Statistical Psychology, 61, 29-48.
    """
    x = category_matrix(data)
    categories = int(np.nanmax(x)) + 1 if np.isfinite(x).any() else 0
    per_unit = np.zeros((x.shape[1], max(categories, 1)), dtype=np.int64)
    for row in x:
        rated = np.flatnonzero(~np.isnan(row))
        np.add.at(per_unit, (rated, row[rated].astype(np.int64)), 1)
    raters = per_unit.sum(axis=1)
    paired = raters >= 2
    if categories < 2 or not paired.any():
        return math.nan
    agreeing = (per_unit[paired] * (per_unit[paired] - 1)).sum(axis=1)
    p_a = float(np.mean(agreeing / (raters[paired] * (raters[paired] - 1))))
    rated = raters >= 1
    pi = (per_unit[rated] / raters[rated, None]).mean(axis=0)
    p_e = float((pi * (1 - pi)).sum()) / (categories - 1)
    return (p_a - p_e) / (1 - p_e)
