"""Which sources the coders disagree on most, for the lead to review first.

Per source with at least two coders, Krippendorff's observed disagreement D_o (2011) over that
source's own units, pooled over the run's codes: for 1/0 values D_o = 2 X / n with
X = sum over units of n0 n1 / (m - 1) and n the number of pairable values. With two coders it
is simply the share of units on which they differ. `doc_disagreement` uses doc_alpha's units
(source, code), `char_disagreement` char_alpha's units (source, code point, code).
"""

from collections.abc import Sequence
from typing import Any

import numpy as np

from agreement.math import SourceCoding
from agreement.math.presence import PresenceStats, char_stats, doc_stats
from agreement.math.spans import span_table

SHOWN = 50


def _observed(stats: PresenceStats) -> np.ndarray:
    m = stats.values.astype(np.float64)
    x = stats.disagreeing.sum(axis=1) / np.maximum(m - 1, 1)
    n = (stats.zeros + stats.ones).sum(axis=1)
    return np.divide(2 * x, n, out=np.zeros_like(x), where=n > 0)


def sources_most_disagreed(
    sources: Sequence[SourceCoding], coders: Sequence[int], codes: Sequence[int]
) -> list[dict[str, Any]]:
    """Up to SHOWN sources with some disagreement, most char_disagreement first.

    Each entry: `source` id, `coders` (how many coded it), `doc_disagreement`,
    `char_disagreement` (0 to 1) and `codes` (ids of the codes the coders split on at
    document level, i.e. some applied and some did not).
    """
    table = span_table(sources, coders, codes)
    doc, char = doc_stats(table), char_stats(table)
    doc_d, char_d = _observed(doc), _observed(char)
    ranked = np.lexsort((-doc_d, -char_d))
    ranked = ranked[(char_d[ranked] > 0) | (doc_d[ranked] > 0)][:SHOWN]
    return [
        {
            "source": table.source_ids[s],
            "coders": int(doc.values[s]),
            "doc_disagreement": float(doc_d[s]),
            "char_disagreement": float(char_d[s]),
            "codes": [codes[k] for k in np.flatnonzero(doc.disagreeing[s]).tolist()],
        }
        for s in ranked.tolist()
    ]
