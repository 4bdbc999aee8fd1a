"""Each coder against the gold standard (docs/agreement.md §2, last item): the pair measures
(character-level Cohen's kappa and percent agreement, span F1 exact and overlapping) and the
character-level nominal alpha of the two, per code and pooled over the codes."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from agreement.math.pairs import pair_counts, pair_measures
from agreement.math.presence import char_stats
from agreement.math.spans import SourceCoding, span_table


def coder_vs_gold(
    sources: Iterable[SourceCoding],
    coders: Sequence[Hashable],
    codes: Sequence[Hashable],
    *,
    gold: Hashable,
) -> list[dict[str, Any]]:
    """One row per coder and code (``code`` None: pooled over ``codes``), in coder order.

    ``sources`` are as for ``span_agreement``; the gold standard is one more "coder", ``gold``
    (an id no coder has), whose spans are the gold passages and who has "completed" exactly the
    adjudicated sources. A source counts for coder c when both c and ``gold`` completed it.
    Each figure is ``{"value", "note"}``: value None with the reason when undefined (no source
    both completed, no spans, no variation). ValueError if ``gold`` is among ``coders``.
    """
    if gold in coders:
        raise ValueError(f"the gold standard's id {gold!r} is also a coder's")
    sources = list(sources)
    rows = []
    for coder in coders:
        table = span_table(sources, [coder, gold], codes)
        counts = pair_counts(table, 0, 1)
        chars = char_stats(table)
        for k in [None, *range(len(codes))]:
            figures = {**pair_measures(counts.pooled(k)), "char_alpha": chars.alpha(k)}
            rows.append(
                {
                    "coder": coder,
                    "code": None if k is None else codes[k],
                    **{name: _figure(*figure) for name, figure in figures.items()},
                }
            )
    return rows


def _figure(value: float, note: str | None) -> dict[str, Any]:
    return {"value": None, "note": note} if math.isnan(value) else {"value": value, "note": None}
