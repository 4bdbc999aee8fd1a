"""Slow, obviously-correct reference computations of the span measures, for small inputs.

Each materialises one value per character (or per document and code) exactly as AGREEMENT.md
words the definition, then calls the plain coefficient functions.
"""

from __future__ import annotations

import numpy as np

from agreement.math import cohen_kappa, krippendorff_alpha, unitized_alpha
from agreement.math.spans import SourceCoding


def char_matrix(
    sources: list[SourceCoding], coders: list, codes: list, only: object = None
) -> np.ndarray:
    """coders x (source, position, code) matrix: 1 inside a span, 0 outside, NaN if not coded."""
    columns = []
    for source in sorted(sources, key=lambda s: s.id):
        for code in codes if only is None else [only]:
            block = np.full((len(coders), source.length), np.nan)
            for c, coder in enumerate(coders):
                if coder in source.coders:
                    block[c] = 0
                    for who, start, end, k in source.spans:
                        if who == coder and k == code:
                            block[c, start:end] = 1
            columns.append(block)
    return np.concatenate(columns, axis=1) if columns else np.empty((len(coders), 0))


def doc_matrix(sources: list[SourceCoding], coders: list, codes: list, only=None) -> np.ndarray:
    """coders x (source, code) matrix of 1 (applied), 0 (not applied), NaN (not coded)."""
    columns = []
    for source in sorted(sources, key=lambda s: s.id):
        for code in codes if only is None else [only]:
            column = [
                (1.0 if any(w == coder and k == code for w, _, _, k in source.spans) else 0.0)
                if coder in source.coders
                else np.nan
                for coder in coders
            ]
            columns.append(column)
    return np.array(columns, dtype=float).T.reshape(len(coders), -1)


def char_alpha(sources, coders, codes, only=None) -> float:
    return krippendorff_alpha(char_matrix(sources, coders, codes, only))


def doc_alpha(sources, coders, codes, only=None) -> float:
    return krippendorff_alpha(doc_matrix(sources, coders, codes, only))


def pair_char_kappa(sources, coders, codes, a, b, only=None) -> float:
    matrix = char_matrix(sources, coders, codes, only)
    first, second = matrix[coders.index(a)], matrix[coders.index(b)]
    return cohen_kappa(first.tolist(), second.tolist())


def pair_char_agreement(sources, coders, codes, a, b, only=None) -> float:
    matrix = char_matrix(sources, coders, codes, only)
    first, second = matrix[coders.index(a)], matrix[coders.index(b)]
    both = ~np.isnan(first) & ~np.isnan(second)
    return float(np.mean(first[both] == second[both])) if both.any() else float("nan")


def _span_sets(sources, codes, a, b, only):
    spans = {a: set(), b: set()}
    for source in sources:
        if a in source.coders and b in source.coders:
            for who, start, end, code in source.spans:
                if who in spans and code in (codes if only is None else [only]):
                    spans[who].add((source.id, start, end, code))
    return spans[a], spans[b]


def span_f1_exact(sources, codes, a, b, only=None) -> float:
    first, second = _span_sets(sources, codes, a, b, only)
    total = len(first) + len(second)
    return 2 * len(first & second) / total if total else float("nan")


def span_f1_overlap(sources, codes, a, b, only=None) -> float:
    first, second = _span_sets(sources, codes, a, b, only)
    if not first and not second:
        return float("nan")

    def matched(mine, theirs):
        return sum(
            any(s == t and k == q and x < y2 and x2 < y for t, x2, y2, q in theirs)
            for s, x, y, k in mine
        )

    precision = matched(first, second) / len(first) if first else 0.0
    recall = matched(second, first) / len(second) if second else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def unitized(sources, coders, codes, only=None) -> float:
    """u-alpha on the concatenation of the sources every coder coded, in ascending id."""
    units, offset = [], 0
    for source in sorted(sources, key=lambda s: s.id):
        if all(coder in source.coders for coder in coders):
            units += [
                (who, start + offset, end + offset, code)
                for who, start, end, code in source.spans
                if who in coders and code in codes
            ]
            offset += source.length
    return unitized_alpha(offset, units, only, coders)
