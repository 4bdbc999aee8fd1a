"""Per coder pair: character-level kappa and agreement, span F1 exact and overlapping.

All four come from a handful of per-code counts over the sources both coders completed, so the
pooled ("overall") value simply sums the counts of every code first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from fractions import Fraction

import numpy as np

from agreement.math.intervals import overlapping_pairs, overlaps_any
from agreement.math.pairwise import chance_corrected
from agreement.math.spans import Intervals, SpanTable

NO_UNITS = "undefined (no source coded by both)"
NO_SPANS = "undefined (no spans)"
NO_VARIATION = "undefined (no variation)"


@dataclass(frozen=True)
class PairCounts:
    """Counts per code (arrays indexed by code) for one coder pair (a, b).

    ``units``: characters of the sources both completed (per code). ``covered_a``/``covered_b``:
    characters inside a's / b's spans; ``covered_both``: inside both. ``spans_a``/``spans_b``:
    distinct spans; ``exact``: spans of a that b also has; ``matched_a``/``matched_b``: spans
    overlapping some span of the other coder with the same code.
    """

    units: np.ndarray
    covered_a: np.ndarray
    covered_b: np.ndarray
    covered_both: np.ndarray
    spans_a: np.ndarray
    spans_b: np.ndarray
    exact: np.ndarray
    matched_a: np.ndarray
    matched_b: np.ndarray

    def pooled(self, code: int | None) -> dict[str, int]:
        """The counts of one code, or summed over all codes for ``None``."""
        pick = slice(None) if code is None else slice(code, code + 1)
        return {f.name: int(getattr(self, f.name)[pick].sum()) for f in fields(self)}


def pair_counts(table: SpanTable, a: int, b: int) -> PairCounts:
    """Count what the pair measures need for coders a and b (indices into the run's coders)."""
    both = table.coded[:, a] & table.coded[:, b]
    codes = table.n_codes

    def per_code(code: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(code, weights=weights, minlength=codes).astype(np.int64)

    def in_both(intervals: Intervals) -> Intervals:
        return intervals.take(both[intervals.source])

    merged_a, merged_b = in_both(table.merged.of_coder(a)), in_both(table.merged.of_coder(b))
    spans_a, spans_b = in_both(table.spans.of_coder(a)), in_both(table.spans.of_coder(b))
    i, j = overlapping_pairs(merged_a.start, merged_a.end, merged_b.start, merged_b.end)
    shared = np.minimum(merged_a.end[i], merged_b.end[j]) - np.maximum(
        merged_a.start[i], merged_b.start[j]
    )
    return PairCounts(
        units=np.full(codes, int(table.lengths[both].sum()), dtype=np.int64),
        covered_a=per_code(merged_a.code, merged_a.end - merged_a.start),
        covered_b=per_code(merged_b.code, merged_b.end - merged_b.start),
        covered_both=per_code(merged_a.code[i], shared),
        spans_a=per_code(spans_a.code),
        spans_b=per_code(spans_b.code),
        exact=per_code(_exact_matches(spans_a, spans_b)),
        matched_a=per_code(spans_a.code[_hits(spans_a, merged_b)]),
        matched_b=per_code(spans_b.code[_hits(spans_b, merged_a)]),
    )


def _hits(spans: Intervals, other: Intervals) -> np.ndarray:
    return overlaps_any(spans.start, spans.end, other.start, other.end)


def _exact_matches(spans_a: Intervals, spans_b: Intervals) -> np.ndarray:
    """Codes of the spans present in both (each coder's spans are already distinct)."""
    start = np.concatenate([spans_a.start, spans_b.start])
    end = np.concatenate([spans_a.end, spans_b.end])
    order = np.lexsort((end, start))
    same = (np.diff(start[order]) == 0) & (np.diff(end[order]) == 0)
    code = np.concatenate([spans_a.code, spans_b.code])
    return code[order[:-1][same]]


def pair_measures(counts: dict[str, int]) -> dict[str, tuple[float, str | None]]:
    """cohen_kappa, percent_agreement, span_f1_exact, span_f1_overlap with notes if undefined."""
    units = counts["units"]
    covered_a, covered_b = counts["covered_a"], counts["covered_b"]
    agreeing = units - covered_a - covered_b + 2 * counts["covered_both"]
    chance = covered_a * covered_b + (units - covered_a) * (units - covered_b)
    kappa = chance_corrected(units, agreeing, chance)
    spans = counts["spans_a"] + counts["spans_b"]
    share = (float(Fraction(agreeing, units)), None) if units else (math.nan, NO_UNITS)
    return {
        "cohen_kappa": (kappa, _note(kappa, NO_UNITS if units == 0 else NO_VARIATION)),
        "percent_agreement": share,
        "span_f1_exact": (2 * counts["exact"] / spans, None) if spans else (math.nan, NO_SPANS),
        "span_f1_overlap": (_overlap_f1(counts), None) if spans else (math.nan, NO_SPANS),
    }


def _overlap_f1(counts: dict[str, int]) -> float:
    # Harmonic mean of matched_a / spans_a and matched_b / spans_b, cleared of fractions; a
    # coder with no spans matches nothing, which makes F1 zero.
    denominator = counts["matched_a"] * counts["spans_b"] + counts["matched_b"] * counts["spans_a"]
    if denominator == 0:
        return 0.0
    return float(Fraction(2 * counts["matched_a"] * counts["matched_b"], denominator))


def _note(value: float, reason: str) -> str | None:
    return reason if math.isnan(value) else None
