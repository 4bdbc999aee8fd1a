"""Cluster bootstrap over sources for presence alpha (docs/agreement.md, "Uncertainty").

Sources are drawn with replacement, so characters of one text stay together. A replicate is a
vector of how often each source was drawn; its alpha follows from the per-source sufficient
statistics (presence.py) as one weighted sum, so B replicates cost one (B x S) @ (S x stats)
matrix product instead of B recomputations from the spans.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

THRESHOLDS = (0.667, 0.8)  # Krippendorff's minimums for tentative and for firm conclusions
PERCENTILES = (2.5, 97.5)
# Replicates drawn per step: bounds memory (chunk x sources counts) and paces progress reports.
# Fixed, so that a seed gives the same replicates whatever the caller's B.
_CHUNK = 50


@dataclass(frozen=True)
class Summary:
    """Bootstrap summary of one coefficient; ``ci`` and ``p_below`` are None if no replicate is
    defined. ``undefined`` counts replicates left out because alpha was undefined in them."""

    ci: tuple[float, float] | None
    p_below: dict[str, float] | None
    undefined: int


def bootstrap_presence_alpha(
    x: np.ndarray,
    zeros: np.ndarray,
    ones: np.ndarray,
    replicates: int,
    seed: int,
    progress: Callable[[float], None] | None = None,
) -> np.ndarray:
    """Replicates x columns of alpha; NaN where a replicate leaves alpha undefined.

    ``x``, ``zeros`` and ``ones`` are sources x columns: per source sum n0 n1 / (m - 1), n0 and
    n1 (see presence.py). The draws depend only on ``seed``, the number of sources and
    ``replicates``.
    """
    sources, columns = x.shape
    out = np.full((replicates, columns), np.nan)
    if sources == 0:
        return out
    stats = np.hstack([x, zeros, ones])
    rng = np.random.default_rng(seed)
    for first in range(0, replicates, _CHUNK):
        count = min(_CHUNK, replicates - first)
        draws = rng.integers(0, sources, size=(count, sources))
        draws += np.arange(count)[:, None] * sources
        weights = np.bincount(draws.ravel(), minlength=count * sources).reshape(count, sources)
        disagreeing, n0, n1 = np.split(weights.astype(np.float64) @ stats, 3, axis=1)
        defined = n0 * n1 > 0
        out[first : first + count][defined] = (
            1 - (n0 + n1 - 1)[defined] * disagreeing[defined] / (n0 * n1)[defined]
        )
        if progress is not None:
            progress((first + count) / replicates)
    return out


def summarize(replicates: np.ndarray) -> list[Summary]:
    """Percentile interval and p_below for each column of a replicates x columns array."""
    summaries = []
    for column in replicates.T:
        values = column[~np.isnan(column)]
        undefined = len(column) - len(values)
        if len(values) == 0:
            summaries.append(Summary(None, None, undefined))
            continue
        low, high = np.percentile(values, PERCENTILES)
        p_below = {str(t): float(np.mean(values < t)) for t in THRESHOLDS}
        summaries.append(Summary((float(low), float(high)), p_below, undefined))
    return summaries
