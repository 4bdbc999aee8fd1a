"""Presence alpha (doc_alpha, char_alpha) from per-source sufficient statistics.

For 1/0 values, nominal alpha needs only three sums over pairable units u with m_u values, n1_u
ones and n0_u zeros (Krippendorff 2011): X = sum n0_u n1_u / (m_u - 1), n0 = sum n0_u and
n1 = sum n1_u; then alpha = 1 - (n0 + n1 - 1) X / (n0 n1). Every unit of one source has the same
m (the coders who completed it), so each source contributes a few integers per code. The point
estimate sums them exactly; the bootstrap re-weights them (see bootstrap.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from agreement.math.intervals import coverage
from agreement.math.spans import SpanTable

NO_PAIRS = "undefined (no pairable values)"
NO_VARIATION = "undefined (no variation)"


@dataclass(frozen=True)
class PresenceStats:
    """Per source s and code k: sum n0 n1 over units (``disagreeing``), n0 and n1.

    ``values`` is m_s, the number of coders who completed source s. Sources with m_s < 2 have
    no pairable units and hold zeros.
    """

    disagreeing: np.ndarray
    zeros: np.ndarray
    ones: np.ndarray
    values: np.ndarray

    def alpha(self, code: int | None = None) -> tuple[float, str | None]:
        """Exact alpha for one code (column) or pooled over all codes, with a note if undefined."""
        pick = slice(None) if code is None else slice(code, code + 1)
        disagreeing = self.disagreeing[:, pick].sum(axis=1)
        n0 = int(self.zeros[:, pick].sum())
        n1 = int(self.ones[:, pick].sum())
        if n0 + n1 == 0:
            return math.nan, NO_PAIRS
        if n0 * n1 == 0:
            return math.nan, NO_VARIATION
        x = sum(
            (
                Fraction(int(disagreeing[self.values == m].sum()), m - 1)
                for m in np.unique(self.values[self.values >= 2]).tolist()
            ),
            Fraction(0),
        )
        return float(1 - (n0 + n1 - 1) * x / (n0 * n1)), None

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per source (rows) and code plus a last "overall" column: X_s, n0_s, n1_s as floats."""
        scale = 1.0 / np.maximum(self.values - 1, 1)

        def with_overall(a: np.ndarray) -> np.ndarray:
            return np.column_stack([a, a.sum(axis=1)]).astype(np.float64)

        return (
            with_overall(self.disagreeing) * scale[:, None],
            with_overall(self.zeros),
            with_overall(self.ones),
        )


def _stats(table: SpanTable, ones: np.ndarray, squares: np.ndarray, units: np.ndarray):
    """Stats from per (source, code) sums over units of n1_u and n1_u², and units per source.

    With m values per unit, n0_u n1_u = m n1_u - n1_u², so two sums give all three statistics.
    """
    values = table.coded.sum(axis=1).astype(np.int64)
    pairable = (values >= 2)[:, None]
    m = values[:, None]
    return PresenceStats(
        disagreeing=np.where(pairable, m * ones - squares, 0),
        zeros=np.where(pairable, m * units[:, None] - ones, 0),
        ones=np.where(pairable, ones, 0),
        values=values,
    )


def doc_stats(table: SpanTable) -> PresenceStats:
    """doc_alpha: unit (source, code), value 1 when the coder applied the code in the source."""
    merged = table.merged
    key = (merged.coder * table.n_codes + merged.code) * len(table.lengths) + merged.source
    # Sorted by coder, code and position, so one coder's hits in one source are adjacent.
    first = np.ones(len(key), dtype=bool)
    first[1:] = np.diff(key) != 0
    cell = merged.source[first] * table.n_codes + merged.code[first]
    ones = np.bincount(cell, minlength=table.lengths.size * table.n_codes)
    ones = ones.reshape(-1, table.n_codes).astype(np.int64)
    # One unit per (source, code): its count of ones is n1 itself, so the squared sum is n1².
    return _stats(table, ones, ones * ones, np.ones(len(table.lengths), dtype=np.int64))


def char_stats(table: SpanTable) -> PresenceStats:
    """char_alpha: unit (source, position, code), value 1 inside one of the coder's spans."""
    start, length, level = coverage(table.merged.start, table.merged.end)
    code, source = table.block_of(start)
    cell = source * table.n_codes + code
    size = table.lengths.size * table.n_codes

    def per_cell(weights: np.ndarray) -> np.ndarray:
        # Float sums stay exact: each is at most coders² x the source length, far below 2**53.
        summed = np.bincount(cell, weights=weights.astype(np.float64), minlength=size)
        return np.rint(summed).astype(np.int64).reshape(-1, table.n_codes)

    return _stats(table, per_cell(level * length), per_cell(level * level * length), table.lengths)
