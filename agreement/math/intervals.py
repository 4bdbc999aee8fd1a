"""Vectorised operations on half-open integer intervals [start, end) on one line.

Span measures lay every (coder, code, source) on its own stretch of one long line, so these few
primitives answer every span question with sorts and binary searches, never one cell per
character.
"""

from __future__ import annotations

import numpy as np


def merge_overlaps(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, ...]:
    """Union of intervals that overlap; intervals that only touch stay separate.

    Inputs in any order. Returns the merged starts and ends (sorted) and, for each merged
    interval, the input index of one interval it contains (to carry attributes along).
    """
    order = np.lexsort((ends, starts))
    s, e = starts[order], ends[order]
    if len(s) == 0:
        return s, e, order
    reach = np.maximum.accumulate(e)
    head = np.empty(len(s), dtype=bool)
    head[0] = True
    # Touching (start == reach) is not overlapping: u-alpha counts adjacent units separately.
    head[1:] = s[1:] >= reach[:-1]
    heads = np.flatnonzero(head)
    return s[heads], np.maximum.reduceat(e, heads), order[heads]


def overlapping_pairs(
    starts_a: np.ndarray, ends_a: np.ndarray, starts_b: np.ndarray, ends_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j) of every interval of A overlapping one of B by a positive length.

    Both A and B must be sorted and free of overlaps (touching allowed), so that each interval of
    A meets a contiguous run of B and the number of pairs is at most len(A) + len(B).
    """
    first = np.searchsorted(ends_b, starts_a, side="right")
    stop = np.searchsorted(starts_b, ends_a, side="left")
    counts = np.maximum(stop - first, 0)
    i = np.repeat(np.arange(len(starts_a)), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return i, first[i] + within


def overlaps_any(
    starts: np.ndarray, ends: np.ndarray, starts_b: np.ndarray, ends_b: np.ndarray
) -> np.ndarray:
    """For each interval, whether it overlaps some interval of the sorted, overlap-free B."""
    j = np.searchsorted(ends_b, starts, side="right")
    inside = j < len(starts_b)
    hit = np.zeros(len(starts), dtype=bool)
    hit[inside] = starts_b[j[inside]] < ends[inside]
    return hit


def coverage(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, ...]:
    """Runs of identical coverage: (run starts, run lengths, how many intervals cover the run).

    Only runs covered at least once and of positive length are returned.
    """
    position = np.concatenate([ends, starts])
    delta = np.concatenate([np.full(len(ends), -1), np.ones(len(starts), dtype=np.int64)])
    # Ends before starts at one position, so the level never counts a coder twice in passing.
    order = np.lexsort((delta, position))
    position = position[order]
    level = np.cumsum(delta[order])[:-1]
    length = np.diff(position)
    keep = (length > 0) & (level > 0)
    return position[:-1][keep], length[keep], level[keep]
