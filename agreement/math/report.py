"""The agreement report of a span-annotation run (docs/agreement.md, "What a run reports")."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from agreement.math.bootstrap import Summary, bootstrap_presence_alpha, summarize
from agreement.math.pairs import pair_counts, pair_measures
from agreement.math.pairwise import fleiss_kappa
from agreement.math.presence import NO_VARIATION, PresenceStats, char_stats, doc_stats
from agreement.math.spans import SourceCoding, SpanTable, span_table
from agreement.math.unitizing import alpha_from_disagreements, category_disagreements

Measure = dict[str, Any]

NOT_ALL_CODED = "undefined (no source coded by every coder)"
TOO_FEW_CODERS = "undefined (fewer than two coders)"

DEFINITIONS = {
    "doc_alpha": "Krippendorff's alpha, nominal; unit (source, code): 1 applied, 0 not, "
    "missing if the coder has not coded the source",
    "char_alpha": "Krippendorff's alpha, nominal; unit (source, code point, code): 1 inside the "
    "coder's spans of the code, 0 outside, missing if the coder has not coded the source",
    "unitized_alpha": "Krippendorff (1995) u-alpha as in DKPro Agreement, on the sources every "
    "coder coded, concatenated by ascending source id",
    "fleiss_kappa": "Fleiss (1971) kappa on the doc_alpha units of sources every coder coded",
    "cohen_kappa": "Cohen (1960) kappa on the char_alpha units of sources both coders coded",
    "percent_agreement": "share of equal char_alpha values on sources both coders coded",
    "span_f1_exact": "2|A and B| / (|A| + |B|); spans equal in source, start, end and code",
    "span_f1_overlap": "harmonic mean of the shares of A's and B's spans that overlap a span "
    "of the other coder with the same code",
    "ci": "cluster bootstrap over sources: 2.5 and 97.5 percentiles of the replicates",
    "p_below": "share of bootstrap replicates below 0.667 and below 0.8",
}


def span_agreement(
    sources: Iterable[SourceCoding | tuple[Any, int, Any, Any]],
    coders: Sequence[Hashable],
    codes: Sequence[Hashable],
    *,
    seed: int,
    bootstrap: int = 1000,
    progress: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """Every agreement figure of a span-annotation run, as plain data (docs/agreement.md).

    ``sources``: one :class:`SourceCoding` (or equal tuple ``(id, length, coders, spans)``) per
    source of the run; ``coders`` and ``codes``: the run's coders C and codes K (ValueError for
    duplicates or a malformed span). ``seed`` and ``bootstrap`` (B, 0 to skip) fix the cluster
    bootstrap over sources for doc_alpha and char_alpha. ``progress`` is called with the share
    done (0 to 1).

    Returns ``{"coders", "codes", "sources", "excluded_sources", "overall", "per_code", "pairs",
    "bootstrap", "definitions"}``: sources in ascending id; excluded_sources are those left out
    of unitized_alpha because some coder has not coded them; ``per_code`` is keyed by
    ``str(code)``; each figure is ``{"value", "ci", "p_below", "note"}`` with value None and the
    reason in ``note`` when undefined.
    """
    if bootstrap < 0:
        raise ValueError(f"bootstrap must be a number of replicates >= 0, got {bootstrap}")
    report = progress or (lambda _: None)
    table = span_table(sources, coders, codes)
    report(0.05)
    presence = {"doc_alpha": doc_stats(table), "char_alpha": char_stats(table)}
    report(0.15)
    summaries = _bootstrap(presence, bootstrap, seed, lambda done: report(0.15 + 0.6 * done))
    unitized = _unitized(table)
    report(0.85)
    pairs = _pairs(table, coders, codes)
    report(0.95)

    def presence_figures(code: int | None) -> dict[str, Measure]:
        column = -1 if code is None else code
        return {
            name: _measure(*stats.alpha(code), summaries[name][column], bootstrap)
            for name, stats in presence.items()
        }

    per_code = {
        str(code): {
            **presence_figures(k),
            "unitized_alpha": unitized[k],
            "fleiss_kappa": _fleiss(table, presence["doc_alpha"], k),
        }
        for k, code in enumerate(codes)
    }
    result = {
        "coders": list(coders),
        "codes": list(codes),
        "sources": table.source_ids,
        "excluded_sources": [
            table.source_ids[s] for s in np.flatnonzero(~table.coded.all(axis=1)).tolist()
        ],
        "overall": {**presence_figures(None), "unitized_alpha": unitized[-1]},
        "per_code": per_code,
        "pairs": pairs,
        "bootstrap": {"replicates": bootstrap, "seed": seed, "cluster": "source"},
        "definitions": DEFINITIONS,
    }
    report(1.0)
    return result


def _measure(
    value: float, note: str | None, summary: Summary | None = None, replicates: int = 0
) -> Measure:
    if math.isnan(value):
        return {"value": None, "ci": None, "p_below": None, "note": note}
    if summary is None:
        return {"value": value, "ci": None, "p_below": None, "note": None}
    left_out = (
        f"{summary.undefined} of {replicates} bootstrap replicates undefined and left out"
        if summary.undefined
        else None
    )
    return {
        "value": value,
        "ci": list(summary.ci) if summary.ci else None,
        "p_below": summary.p_below,
        "note": left_out,
    }


def _bootstrap(
    presence: dict[str, PresenceStats],
    replicates: int,
    seed: int,
    progress: Callable[[float], None],
) -> dict[str, list[Summary | None]]:
    """Per measure, a summary per code and a last one for all codes pooled."""
    columns = [stats.columns() for stats in presence.values()]
    width = columns[0][0].shape[1]
    if replicates <= 0:
        return {name: [None] * width for name in presence}
    x, zeros, ones = (np.hstack(parts) for parts in zip(*columns, strict=True))
    summaries: list[Summary | None] = list(
        summarize(bootstrap_presence_alpha(x, zeros, ones, replicates, seed, progress))
    )
    return {name: summaries[i * width : (i + 1) * width] for i, name in enumerate(presence)}


def _fleiss(table: SpanTable, doc: PresenceStats, code: int) -> Measure:
    complete = table.coded.all(axis=1)
    coders = table.coded.shape[1]
    if coders < 2:
        return _measure(math.nan, TOO_FEW_CODERS)
    if not complete.any():
        return _measure(math.nan, NOT_ALL_CODED)
    ones = doc.ones[complete, code]
    return _measure(fleiss_kappa(np.column_stack([coders - ones, ones])), NO_VARIATION)


def _unitized(table: SpanTable) -> list[Measure]:
    """u-alpha per code and, last, over all codes, on the continuum of sources every coder coded."""
    coders = table.coded.shape[1]
    complete = table.coded.all(axis=1) & (coders > 0)
    length = int(table.lengths[complete].sum())
    continuum_offsets = np.cumsum(np.where(complete, table.lengths, 0)) - table.lengths
    merged = table.merged.take(complete[table.merged.source])
    # From the code line to the continuum: drop the code's stretch and the skipped sources.
    shift = (
        continuum_offsets[merged.source] - table.offsets[merged.source] - merged.code * table.line
    )
    start, end = merged.start + shift, merged.end + shift
    # Sorted by coder, then code: each (coder, code) is one contiguous slice.
    cells = np.searchsorted(
        merged.coder * table.n_codes + merged.code, np.arange(coders * table.n_codes + 1)
    )

    def units(coder: int, code: int) -> tuple[np.ndarray, np.ndarray]:
        cell = coder * table.n_codes + code
        return start[cells[cell] : cells[cell + 1]], end[cells[cell] : cells[cell + 1]]

    per_code = [
        category_disagreements(length, [units(c, k) for c in range(coders)])
        for k in range(table.n_codes)
    ]
    note = TOO_FEW_CODERS if coders < 2 else NOT_ALL_CODED if length == 0 else NO_VARIATION
    return [_measure(alpha_from_disagreements([d]), note) for d in per_code] + [
        _measure(alpha_from_disagreements(per_code), note)
    ]


def _pairs(
    table: SpanTable, coders: Sequence[Hashable], codes: Sequence[Hashable]
) -> list[Measure]:
    pairs = []
    for a, b in combinations(range(len(coders)), 2):
        counts = pair_counts(table, a, b)
        for k in [None, *range(len(codes))]:
            figures = pair_measures(counts.pooled(k))
            pairs.append(
                {
                    "coders": [coders[a], coders[b]],
                    "code": None if k is None else codes[k],
                    **{name: _measure(*figure) for name, figure in figures.items()},
                }
            )
    return pairs
