"""Span annotations of a run as flat integer arrays on one line.

Every (coder, code) pair gets its own stretch of a line, and inside it the sources follow each
other in ascending id, so a span becomes one integer interval and every span measure reduces to
sorts and binary searches over a few hundred thousand intervals.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, NamedTuple

import numpy as np

from agreement.math.intervals import merge_overlaps


class SourceCoding(NamedTuple):
    """One source of a run, as the service reads it from the database.

    ``id``: the source's id (sortable; ascending ids order the unitizing continuum).
    ``length``: its length in code points. ``coders``: the coders whose assignment for this
    source is complete (everyone else is missing here, never zero). ``spans``: its annotations as
    ``(coder, start, end, code)``, half-open code-point offsets with 0 <= start < end <= length.
    Spans of coders not in ``coders``, or of coders or codes outside the run, are ignored.
    """

    id: Any
    length: int
    coders: Collection[Hashable]
    spans: Sequence[tuple[Hashable, int, int, Hashable]]


@dataclass(frozen=True)
class Intervals:
    """Intervals sorted by (coder, position); ``start``/``end`` are code-line positions."""

    coder: np.ndarray
    code: np.ndarray
    source: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def take(self, mask: np.ndarray) -> Intervals:
        return Intervals(*(a[mask] for a in self._arrays()))

    def of_coder(self, coder: int) -> Intervals:
        low, high = np.searchsorted(self.coder, [coder, coder + 1])
        return Intervals(*(a[low:high] for a in self._arrays()))

    def _arrays(self) -> tuple[np.ndarray, ...]:
        return self.coder, self.code, self.source, self.start, self.end


@dataclass(frozen=True)
class SpanTable:
    """A run's spans on the code line: position = code * ``line`` + ``offsets[source]`` + offset.

    ``coded[s, c]`` says whether coder c completed source s. ``spans`` are the distinct spans as
    annotated; ``merged`` holds each coder's union per code and source, where overlapping spans
    are merged and touching ones kept apart.
    """

    source_ids: list[Any]
    lengths: np.ndarray
    offsets: np.ndarray
    line: int
    n_codes: int
    coded: np.ndarray
    spans: Intervals
    merged: Intervals

    def block_of(self, position: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(code, source) of code-line positions that lie inside a source."""
        code = position // max(self.line, 1)
        source = np.searchsorted(self.offsets, position - code * self.line, side="right") - 1
        return code, source


def _index(items: Iterable[Hashable], what: str) -> dict[Hashable, int]:
    index: dict[Hashable, int] = {}
    for item in items:
        if item in index:
            raise ValueError(f"{what} {item!r} is listed twice")
        index[item] = len(index)
    return index


def span_table(
    sources: Iterable[SourceCoding | tuple[Any, int, Collection[Hashable], Sequence[Any]]],
    coders: Sequence[Hashable],
    codes: Sequence[Hashable],
) -> SpanTable:
    """Validate a run's sources and lay their spans out on the code line (see SpanTable)."""
    ordered = sorted((SourceCoding(*source) for source in sources), key=lambda s: s.id)
    source_ids = [source.id for source in ordered]
    _index(source_ids, "source")
    coder_index = _index(coders, "coder")
    code_index = _index(codes, "code")
    lengths = np.array([source.length for source in ordered], dtype=np.int64)
    if (lengths < 0).any():
        raise ValueError("source lengths must be non-negative")
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    line = int(lengths.sum())
    coded = np.zeros((len(ordered), len(coders)), dtype=bool)
    for s, source in enumerate(ordered):
        for who in source.coders:
            if who in coder_index:
                coded[s, coder_index[who]] = True
    count = sum(len(source.spans) for source in ordered)
    # One flat stream of ints is the cheapest way from Python tuples into numpy.
    flat = chain.from_iterable(
        (s, coder_index.get(c, -1), begin, finish, code_index.get(k, -1))
        for s, source in enumerate(ordered)
        for c, begin, finish, k in source.spans
    )
    rows = np.fromiter(flat, dtype=np.int64, count=5 * count).reshape(-1, 5)
    in_source, coder, start, end, code = rows.T
    bad = np.flatnonzero((start < 0) | (start >= end) | (end > lengths[in_source]))
    if len(bad):
        s, _, begin, finish, _ = rows[bad[0]].tolist()
        raise ValueError(
            f"span [{begin}, {finish}) of source {source_ids[s]!r} is empty or does not lie "
            f"within [0, {lengths[s]})"
        )
    keep = (coder >= 0) & (code >= 0)
    keep[keep] = coded[in_source[keep], coder[keep]]
    return _laid_out(source_ids, lengths, offsets, line, len(codes), coded, rows[keep])


def _laid_out(
    source_ids: list[Any],
    lengths: np.ndarray,
    offsets: np.ndarray,
    line: int,
    n_codes: int,
    coded: np.ndarray,
    rows: np.ndarray,
) -> SpanTable:
    """SpanTable from validated (source, coder, start, end, code) index rows."""
    source, coder, start, end, code = rows.T
    position = code * line + offsets[source]  # where this code's copy of the source begins
    # One line per coder as well, so that sorting and merging never mixes coders.
    coder_base = coder * (n_codes * line)
    first, last = coder_base + position + start, coder_base + position + end
    order = np.lexsort((last, first))
    distinct = np.ones(len(order), dtype=bool)
    distinct[1:] = (np.diff(first[order]) != 0) | (np.diff(last[order]) != 0)
    order = order[distinct]
    spans = Intervals(
        coder[order], code[order], source[order], (position + start)[order], (position + end)[order]
    )
    merged_first, merged_last, head = merge_overlaps(first[order], last[order])
    base = coder_base[order][head]
    merged = Intervals(
        spans.coder[head],
        spans.code[head],
        spans.source[head],
        merged_first - base,
        merged_last - base,
    )
    return SpanTable(source_ids, lengths, offsets, line, n_codes, coded, spans, merged)
