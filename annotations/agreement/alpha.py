"""Krippendorff's alpha for coders x units reliability data (Krippendorff 2011)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from annotations.agreement._values import Level, float_matrix

# Distinct integer values up to this span are counted with bincount instead of a sort.
_BINCOUNT_SPAN = 1 << 20
# Rows of the values x values distance matrix computed at once for the ratio level.
_RATIO_CHUNK = 1 << 22


def krippendorff_alpha(data: object, level: Level = "nominal") -> float:
    """Krippendorff's alpha of coders x units reliability data.

    ``data`` is a coders x units matrix: a list of equal-length lists, or a 2-D numpy array.
    Missing values are ``None`` or NaN. Values may be any hashable for ``level="nominal"``,
    mutually comparable values (numbers, or strings sorted as strings) for ``"ordinal"``, and
    real numbers for ``"interval"`` and ``"ratio"`` (ratio values must be non-negative).
    A float numpy array is used without conversion (fast path); lists go through a general path
    that maps values to numbers first. Infinite values raise ValueError.

    Alpha is computed from the coincidence matrix as in Krippendorff (2011), *Computing
    Krippendorff's Alpha-Reliability*: units with fewer than two values are not pairable and drop
    out; alpha = 1 - D_o / D_e with the level's squared difference function. The nominal value is
    computed in exact rational arithmetic and rounded once.

    Returns a float; ``math.nan`` when alpha is undefined: no pairable values, or no variation
    among the pairable values (D_e = 0).
    """
    x = float_matrix(data, level)
    if np.isinf(x).any():
        raise ValueError("values must be finite; use None or NaN for a missing value")
    present = ~np.isnan(x)
    counts_per_unit = present.sum(axis=0, dtype=np.min_scalar_type(x.shape[0]))
    if level == "nominal":
        return _nominal_alpha(x, present, counts_per_unit)
    return _metric_alpha(x, present, counts_per_unit, level)


def agreeing_pairs(x: np.ndarray) -> np.ndarray:
    """Per unit, the number of unordered coder pairs that gave equal (non-missing) values."""
    coders = x.shape[0]
    # The smallest integer type that holds every pair keeps this at one byte per unit.
    agree = np.zeros(x.shape[1], dtype=np.min_scalar_type(coders * (coders - 1) // 2))
    for i in range(x.shape[0]):
        for j in range(i + 1, x.shape[0]):
            agree += x[i] == x[j]  # NaN never equals anything, so missing never agrees
    return agree


def pairable_value_counts(x: np.ndarray, present: np.ndarray, pairable: np.ndarray):
    """Distinct values of the pairable units (sorted) and how often each occurs."""
    rows = [x[i][present[i] & pairable] for i in range(x.shape[0])]
    counted = _integer_value_counts(rows)
    if counted is not None:
        return counted
    values, counts = np.unique(np.concatenate(rows), return_counts=True)
    return values, counts.astype(np.int64)


def _integer_value_counts(rows: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    # Coded categories are usually small integers; counting them beats sorting millions of values.
    per_row = []
    for row in rows:
        if row.size == 0:
            continue
        as_int = row.astype(np.int64)
        if not np.array_equal(as_int, row):
            return None
        low = int(as_int.min())
        if int(as_int.max()) - low > _BINCOUNT_SPAN:
            return None
        per_row.append((low, np.bincount(as_int - low)))
    if not per_row:
        return np.empty(0), np.empty(0, dtype=np.int64)
    low = min(start for start, _ in per_row)
    total = np.zeros(max(start + len(c) for start, c in per_row) - low, dtype=np.int64)
    for start, row_counts in per_row:
        total[start - low : start - low + len(row_counts)] += row_counts
    seen = np.flatnonzero(total)
    return (seen + low).astype(np.float64), total[seen]


def _sum_by_unit_size(per_unit: np.ndarray, counts_per_unit: np.ndarray, coders: int):
    """Pairs (g, sum of per_unit over units with g values) for g = 2..coders."""
    accumulator = np.int64 if per_unit.dtype.kind in "iu" else np.float64
    for g in range(2, coders + 1):
        yield g, np.add.reduce(per_unit, where=counts_per_unit == g, dtype=accumulator)


def _nominal_alpha(x: np.ndarray, present: np.ndarray, counts_per_unit: np.ndarray) -> float:
    agree = agreeing_pairs(x)
    # Sum over units of the coincidence diagonal: ordered agreeing pairs / (m_u - 1).
    diagonal = sum(
        (Fraction(2 * int(s), g - 1) for g, s in _sum_by_unit_size(agree, counts_per_unit, len(x))),
        Fraction(0),
    )
    _, counts = pairable_value_counts(x, present, counts_per_unit >= 2)
    n = int(counts.sum())
    expected = n * n - sum(int(c) * int(c) for c in counts)
    if expected == 0:
        return math.nan
    return float(1 - (n - 1) * (n - diagonal) / expected)


def _metric_alpha(
    x: np.ndarray, present: np.ndarray, counts_per_unit: np.ndarray, level: Level
) -> float:
    values, counts = pairable_value_counts(x, present, counts_per_unit >= 2)
    if len(values) < 2:
        return math.nan
    if level == "ratio" and values[0] < 0:
        raise ValueError("ratio-level values must be non-negative")
    if level == "ordinal":
        # Krippendorff's ordinal distance between values c < k is (sum of n_g for c <= g <= k
        # minus (n_c + n_k) / 2) squared, which is the squared difference of these midranks.
        values, x = _midranks(values, counts, x, present)
    observed = _observed_disagreement(x, counts_per_unit, level)
    expected = _expected_disagreement(values, counts, level)
    n = int(counts.sum())
    return float(1 - (n - 1) * observed / expected)


def _midranks(values, counts, x, present):
    ranks = np.cumsum(counts) - counts / 2
    index = np.clip(np.searchsorted(values, x), 0, len(values) - 1)
    return ranks, np.where(present, ranks[index], np.nan)


def _squared_distance(a: np.ndarray, b: np.ndarray, level: Level) -> np.ndarray:
    if level == "ratio":
        total = a + b
        ratio = np.divide(a - b, total, out=np.zeros(np.broadcast(a, b).shape), where=total != 0)
        return ratio * ratio
    diff = a - b
    return diff * diff


def _observed_disagreement(x: np.ndarray, counts_per_unit: np.ndarray, level: Level) -> float:
    """Sum of the coincidence matrix weighted by squared distances (ordered pairs)."""
    per_unit = np.zeros(x.shape[1])
    for i in range(x.shape[0]):
        for j in range(i + 1, x.shape[0]):
            per_unit += np.nan_to_num(_squared_distance(x[i], x[j], level), copy=False)
    sums = _sum_by_unit_size(per_unit, counts_per_unit, len(x))
    return sum(2 * float(s) / (g - 1) for g, s in sums)


def _expected_disagreement(values: np.ndarray, counts: np.ndarray, level: Level) -> float:
    """Sum over value pairs of n_c * n_k * squared distance."""
    weights = counts.astype(np.float64)
    if level != "ratio":
        # Centred form of sum n_c n_k (v_c - v_k)^2, free of cancellation for large values.
        n = weights.sum()
        mean = float(weights @ values) / n
        return 2 * n * float(weights @ (values - mean) ** 2)
    total = 0.0
    step = max(1, _RATIO_CHUNK // len(values))
    for start in range(0, len(values), step):
        block = _squared_distance(values[start : start + step, None], values[None, :], level)
        total += float(weights[start : start + step] @ block @ weights)
    return total
