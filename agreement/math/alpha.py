"""Krippendorff's alpha for coders x units reliability data (Krippendorff 2011).

The matrix is read in blocks of units small enough to stay in the CPU cache. Each block adds to a
few sufficient statistics (agreeing pairs or squared distances summed by the number of values a
unit has, and counts of the pairable values), so time is a few passes over the data and memory
stays small whatever the number of units.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction

import numpy as np

from agreement.math._values import Level, float_matrix

# Units per block: 4 coders x 16384 units x 8 bytes is 512 KiB.
_BLOCK = 1 << 14
# Integer values spanning at most this many are counted with bincount instead of a sort.
_BINCOUNT_SPAN = 1 << 16
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
    if level == "nominal":
        return _nominal_alpha(x)
    return _metric_alpha(x, level)


def agreeing_pairs(x: np.ndarray) -> np.ndarray:
    """Per unit, the number of unordered coder pairs that gave equal (non-missing) values."""
    coders = x.shape[0]
    # The smallest integer type that holds every pair keeps this at one byte per unit.
    agree = np.zeros(x.shape[1], dtype=np.min_scalar_type(coders * (coders - 1) // 2))
    for i in range(coders):
        for j in range(i + 1, coders):
            agree += x[i] == x[j]  # NaN never equals anything, so missing never agrees
    return agree


def _blocks(x: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(values, present, values per unit) for consecutive blocks of units."""
    for start in range(0, x.shape[1], _BLOCK):
        block = x[:, start : start + _BLOCK]
        if np.isinf(block).any():
            raise ValueError("values must be finite; use None or NaN for a missing value")
        present = ~np.isnan(block)
        yield block, present, present.sum(axis=0)


def _pairable(block: np.ndarray, present: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    return block[present & (sizes >= 2)]


def _sum_by_size(per_unit: np.ndarray, sizes: np.ndarray, coders: int) -> np.ndarray:
    """Sums of per_unit over the units with g values, indexed by g = 0..coders.

    Integer per-unit counts go through a joint (g, count) histogram so the sums stay exact.
    """
    if per_unit.dtype.kind == "u":
        top = coders * (coders - 1) // 2 + 1  # per_unit counts coder pairs
        joint = np.bincount(sizes * top + per_unit, minlength=(coders + 1) * top)
        return joint.reshape(coders + 1, top) @ np.arange(top)
    return np.bincount(sizes, weights=per_unit, minlength=coders + 1)


def _value_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values (sorted) and their counts; bincount for integer-coded categories."""
    if values.size == 0:
        return values, np.zeros(0, dtype=np.int64)
    with np.errstate(invalid="ignore"):  # huge values do not fit; the equality check sees it
        as_int = values.astype(np.intp)
    low, high = int(as_int.min()), int(as_int.max())
    if high - low <= _BINCOUNT_SPAN and np.array_equal(as_int, values):
        counts = np.bincount(as_int - low)
        seen = np.flatnonzero(counts)
        return (seen + low).astype(np.float64), counts[seen]
    distinct, counts = np.unique(values, return_counts=True)
    return distinct, counts.astype(np.int64)


def _merge_counts(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    if not parts:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    distinct, where = np.unique(np.concatenate([v for v, _ in parts]), return_inverse=True)
    counts = np.zeros(len(distinct), dtype=np.int64)
    np.add.at(counts, where, np.concatenate([c for _, c in parts]))
    return distinct, counts


def _nominal_alpha(x: np.ndarray) -> float:
    coders = len(x)
    agreeing = np.zeros(coders + 1, dtype=np.int64)
    counted = []
    for block, present, sizes in _blocks(x):
        agreeing += _sum_by_size(agreeing_pairs(block), sizes, coders)
        counted.append(_value_counts(_pairable(block, present, sizes)))
    _, counts = _merge_counts(counted)
    n = int(counts.sum())
    expected = n * n - sum(c * c for c in counts.tolist())
    if expected == 0:
        return math.nan
    # Sum of the coincidence diagonal: ordered agreeing pairs / (m_u - 1) over units.
    diagonal = sum(
        (Fraction(2 * int(agreeing[g]), g - 1) for g in range(2, coders + 1)), Fraction(0)
    )
    return float(1 - (n - 1) * (n - diagonal) / expected)


def _metric_alpha(x: np.ndarray, level: Level) -> float:
    values, counts = _merge_counts([_value_counts(_pairable(*b)) for b in _blocks(x)])
    if len(values) < 2:
        return math.nan
    if level == "ratio" and values[0] < 0:
        raise ValueError("ratio-level values must be non-negative")
    # Krippendorff's ordinal distance between values c < k is (sum of n_g for c <= g <= k
    # minus (n_c + n_k) / 2) squared: the squared difference of these midranks.
    coordinates = np.cumsum(counts) - counts / 2 if level == "ordinal" else values
    coders = len(x)
    observed = np.zeros(coders + 1)
    for block, present, sizes in _blocks(x):
        if level == "ordinal":
            rank = coordinates[np.clip(np.searchsorted(values, block), 0, len(values) - 1)]
            block = np.where(present, rank, np.nan)
        observed += _sum_by_size(_squared_distances(block, level), sizes, coders)
    # Coincidences weighted by squared distance: ordered pairs / (m_u - 1), summed over units.
    weighted = sum(2 * float(observed[g]) / (g - 1) for g in range(2, coders + 1))
    n = int(counts.sum())
    return float(1 - (n - 1) * weighted / _expected_disagreement(coordinates, counts, level))


def _squared_distance(a: np.ndarray, b: np.ndarray, level: Level) -> np.ndarray:
    if level == "ratio":
        total = a + b
        ratio = np.divide(a - b, total, out=np.zeros(np.broadcast(a, b).shape), where=total != 0)
        return ratio * ratio
    diff = a - b
    return diff * diff


def _squared_distances(block: np.ndarray, level: Level) -> np.ndarray:
    """Per unit, the sum over unordered coder pairs of the squared distance (missing: 0)."""
    per_unit = np.zeros(block.shape[1])
    for i in range(block.shape[0]):
        for j in range(i + 1, block.shape[0]):
            per_unit += np.nan_to_num(_squared_distance(block[i], block[j], level), copy=False)
    return per_unit


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
