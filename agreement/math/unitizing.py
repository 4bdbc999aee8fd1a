"""Krippendorff's unitizing alpha (u-alpha) for spans on a continuum (Krippendorff 1995, 2004).

The formulas are those of DKPro Agreement's ``KrippendorffAlphaUnitizingAgreement`` (Meyer et
al. 2014), recomputed here in exact integer arithmetic so that "D_o = D_e gives 0" holds exactly.
For one category, every coder's continuum is a sequence of that category's units and the gaps
between them (units of other categories count as gap). Over ordered coder pairs, each unit
overlapping another coder's unit adds (start difference)² + (end difference)², and each unit lying
wholly inside another coder's gap adds its length²:
    D_o = 2 * sum over coder pairs / (R (R - 1) L²)
    D_e = 2 / L * sum over units u of [(N - 1) l(l - 1)(2l - 1) / 3
                                      + l² * sum over gaps g >= l of (g - l + 1)]
          / (R L (R L - 1) - sum over units of l(l - 1))
with R coders, continuum length L, N units of the category, l a unit's length.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from fractions import Fraction

import numpy as np

from agreement.math.intervals import merge_overlaps, overlapping_pairs

Units = tuple[np.ndarray, np.ndarray]  # one coder's sorted, overlap-free (starts, ends)
_INT64_SAFE = 2**62


def unitized_alpha(
    length: int,
    units: Iterable[tuple[Hashable, int, int, Hashable]],
    category: Hashable | None = None,
    coders: Iterable[Hashable] | None = None,
) -> float:
    """Krippendorff's unitizing alpha (u-alpha) of spans on the continuum [0, length).

    ``units`` are ``(coder, start, end, category)`` with 0 <= start < end <= length, half-open,
    in code points (ValueError otherwise). ``coders`` are all coders who coded the whole
    continuum, including any without units (default: those appearing in ``units``; a unit of a
    coder not listed raises ValueError). One coder's overlapping units of one category are merged
    first; touching units stay separate. With ``category`` given, that category's u-alpha (other
    categories are gaps); with ``None``, 1 - sum D_o / sum D_e over the categories in ``units``.

    Returns a float: 0.0 when D_o = D_e; ``math.nan`` when undefined (fewer than two coders, an
    empty continuum, or D_e = 0, e.g. no units of the category). References: Krippendorff, K.
    (1995). On the reliability of unitizing continuous data. Sociological Methodology, 25, 47-76;
    DKPro Agreement ``KrippendorffAlphaUnitizingAgreement`` (Meyer et al. 2014).
    """
    rows = [(coder, int(start), int(end), cat) for coder, start, end, cat in units]
    coder_list = list(
        dict.fromkeys(row[0] for row in rows) if coders is None else dict.fromkeys(coders)
    )
    index = {coder: i for i, coder in enumerate(coder_list)}
    by_category: dict[Hashable, list[list[tuple[int, int]]]] = defaultdict(
        lambda: [[] for _ in coder_list]
    )
    for coder, start, end, cat in rows:
        if coder not in index:
            raise ValueError(f"unit of coder {coder!r}, who is not among the coders")
        if not 0 <= start < end <= length:
            raise ValueError(f"unit [{start}, {end}) does not lie within [0, {length})")
        by_category[cat][index[coder]].append((start, end))
    wanted = list(by_category) if category is None else [category]
    return alpha_from_disagreements(
        category_disagreements(length, [merge_units(spans) for spans in by_category[cat]])
        if cat in by_category
        else (Fraction(0), Fraction(0))
        for cat in wanted
    )


def merge_units(spans: Sequence[tuple[int, int]]) -> Units:
    """One coder's (start, end) spans of one category as sorted units, overlaps merged."""
    bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
    starts, ends, _ = merge_overlaps(bounds[:, 0], bounds[:, 1])
    return starts, ends


def alpha_from_disagreements(per_category: Iterable[tuple[Fraction, Fraction]]) -> float:
    """1 - sum D_o / sum D_e; NaN when sum D_e is 0, exactly 0.0 when the sums are equal."""
    observed = expected = Fraction(0)
    for d_o, d_e in per_category:
        observed += d_o
        expected += d_e
    if expected == 0:
        return math.nan
    return float(1 - observed / expected)


def category_disagreements(length: int, coders: Sequence[Units]) -> tuple[Fraction, Fraction]:
    """Exact (D_o, D_e) of one category; ``coders`` holds every coder's units, empty included."""
    n_coders = len(coders)
    if n_coders < 2 or length <= 0:
        return Fraction(0), Fraction(0)
    observed = sum(
        _pair_disagreement(coders[a], coders[b])
        for a in range(n_coders)
        for b in range(a + 1, n_coders)
    )
    d_o = Fraction(2 * observed, n_coders * (n_coders - 1) * length * length)
    lengths = np.concatenate([ends - starts for starts, ends in coders])
    if len(lengths) == 0:
        return d_o, Fraction(0)
    gaps = np.sort(np.concatenate([_gaps(length, starts, ends) for starts, ends in coders]))
    # sum over gaps g >= l of (g - l + 1), from suffix sums of the sorted gaps
    suffix = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0]])
    first = np.searchsorted(gaps, lengths, side="left")
    fits = suffix[first] - (len(gaps) - first) * (lengths - 1)
    within_units = _exact_sum(_product(lengths, lengths - 1, 2 * lengths - 1)) // 3
    expected = (len(lengths) - 1) * within_units + _exact_sum(_product(lengths, lengths, fits))
    total = n_coders * length
    squared = _exact_sum(_product(lengths, lengths - 1))
    return d_o, Fraction(2 * expected, length * (total * (total - 1) - squared))


def _pair_disagreement(a: Units, b: Units) -> int:
    """Sum of distances between two coders' units and gaps (both directions counted once)."""
    i, j = overlapping_pairs(a[0], a[1], b[0], b[1])
    start_diff = a[0][i] - b[0][j]
    end_diff = a[1][i] - b[1][j]
    total = _exact_sum(_product(start_diff, start_diff)) + _exact_sum(_product(end_diff, end_diff))
    for (starts, ends), matched in ((a, i), (b, j)):
        # A unit that overlaps nothing of the other coder lies inside one of their gaps.
        alone = np.ones(len(starts), dtype=bool)
        alone[matched] = False
        unit_lengths = ends[alone] - starts[alone]
        total += _exact_sum(_product(unit_lengths, unit_lengths))
    return total


def _gaps(length: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    edges_from = np.concatenate([[0], ends])
    edges_to = np.concatenate([starts, [length]])
    gaps = edges_to - edges_from
    return gaps[gaps > 0]


def _product(*factors: np.ndarray) -> np.ndarray:
    """Element-wise product, in Python integers when int64 could overflow."""
    bound = math.prod(float(np.abs(f).max(initial=0)) for f in factors)
    if bound < _INT64_SAFE:
        return math.prod(factors, start=np.ones(len(factors[0]), dtype=np.int64))
    return math.prod((f.astype(object) for f in factors), start=np.ones(len(factors[0]), object))


def _exact_sum(terms: np.ndarray) -> int:
    """Exact integer sum: int64 chunks small enough never to overflow, else Python integers."""
    if terms.dtype == object:
        return int(sum(terms.tolist()))
    if len(terms) == 0:
        return 0
    peak = int(np.abs(terms).max())
    step = max(1, _INT64_SAFE // max(peak, 1))
    return sum(int(terms[k : k + step].sum()) for k in range(0, len(terms), step))
