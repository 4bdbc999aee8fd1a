"""What export writers receive: one consistent snapshot of a project, as plain rows.

A writer is a function `write(snapshot, options) -> Iterator[bytes]`; it never queries the
database itself. Offsets are code points of the stored (NFC) text, half-open, as in the API.
"""

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any


@dataclass(frozen=True)
class OutCode:
    id: int
    parent_id: int | None
    names: tuple[str, ...]
    definition: str
    inclusion: str
    exclusion: str
    example: str
    colour: str
    shortcut: str
    retired: bool

    @property
    def name(self) -> str:
        return self.names[-1]

    @property
    def path(self) -> str:
        return " > ".join(self.names)


@dataclass(frozen=True)
class OutCoder:
    id: int
    username: str
    full_name: str
    role: str


@dataclass(frozen=True)
class OutSource:
    id: int
    title: str
    kind: str
    outlet: str
    author: str
    url: str
    published: date | None
    language: str
    sha256: str
    metadata: dict[str, Any]
    created: datetime
    text: str


@dataclass(frozen=True)
class OutAnnotation:
    id: str
    source_id: int
    coder: str
    code_id: int
    start: int
    end: int
    quote: str
    memo: str
    created: datetime
    updated: datetime
    version: int
    # `coder` or `gold`; a gold passage names the lead who last decided it, when, and the ids
    # of the coders' passages it was settled from. `coder` is who made the row, always.
    layer: str = "coder"
    adjudicated_by: str = ""
    adjudicated_at: datetime | None = None
    derived_from: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OutAssignment:
    source_id: int
    coder: str
    status: str
    created: datetime
    completed: datetime | None


@dataclass(frozen=True)
class SqlCells:
    """How a writer's cells of the annotation table are written in SQL, for COPY: `text`,
    `plain` and `number` turn a column's SQL expression into its cell's (`plain` for text that
    is only ASCII letters, digits and punctuation that needs no escaping or guard: dates, ids,
    the layer); `missing` is a cell with no value; `join` turns a run of adjacent cells into
    the SELECT items that hold them (one each for CSV, one for all of them when a row is a
    single value); `extra` gives cells after the table's columns from the quote's expression;
    `copy` is the COPY statement's options. A run computed once per source, code or user is
    joined on its own, so its cells are not recomputed for every annotation."""

    text: Callable[[str], str]
    plain: Callable[[str], str]
    number: Callable[[str], str]
    missing: str
    join: Callable[[list[str]], list[str]]
    copy: str
    extra: Callable[[str], list[str]] = field(default=lambda quote: [])


@dataclass
class Snapshot:
    """A project as one transaction saw it. The iterators read lazily and may be called more
    than once; they stay valid only while the snapshot's transaction is open."""

    project_id: int
    project_name: str
    project_created: datetime
    taken_at: datetime
    filters: dict[str, list[str]]
    software: str
    codes: list[OutCode]
    coders: list[OutCoder]
    annotation_count: int
    source_count: int
    # `sources(with_text=False)` leaves each `text` empty, for writers that need only metadata.
    sources: Callable[..., Iterator[OutSource]]
    annotations: Callable[[], Iterator[OutAnnotation]]
    assignments: Callable[[], Iterator[OutAssignment]]
    # Agreement figures of the latest finished run that is not a coder-vs-gold run: its stored
    # results plus `run_id` and `finished`; None if there is none.
    agreement: dict[str, Any] | None = None
    # The same of the latest finished coder-vs-gold run, whose `gold` entry holds each coder
    # against the gold standard; None if there is none. `agreement` is never such a run.
    gold_agreement: dict[str, Any] | None = None
    # PostgreSQL only: the annotation table (interchange.formats.annotation_table's columns)
    # as COPY output, its cells written by the given SqlCells; else None.
    copy_table: Callable[["SqlCells"], Iterator[bytes]] | None = None
    progress: Callable[[int], None] = field(default=lambda rows: None)
    # Which passages are in scope (`coder`, `gold` or `all`), and the published codebook
    # version `codes` come from (None: the codebook as it stands).
    layer: str = "coder"
    codebook_version: int | None = None

    def code(self, code_id: int) -> OutCode:
        return self._codes_by_id[code_id]

    @property
    def _codes_by_id(self) -> dict[int, OutCode]:
        cached = self.__dict__.get("_by_id")
        if cached is None:
            cached = self.__dict__["_by_id"] = {code.id: code for code in self.codes}
        return cached

    def sources_with_annotations(
        self, *, with_text: bool = True
    ) -> Iterator[tuple[OutSource, list[OutAnnotation]]]:
        """Every source in scope with its annotations in scope; both streams are ordered by
        source id, so this is a merge that holds one source's annotations at a time."""
        grouped = itertools.groupby(self.annotations(), key=lambda note: note.source_id)
        pending = next(grouped, None)
        for source in self.sources(with_text=with_text):
            while pending is not None and pending[0] < source.id:
                pending = next(grouped, None)
            if pending is not None and pending[0] == source.id:
                yield source, list(pending[1])
                pending = next(grouped, None)
            else:
                yield source, []


def iso(moment: datetime | None) -> str:
    """A moment as ISO 8601 in UTC with microseconds, the form every export uses."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso_date(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def gathered(parts: Iterable[str] | Iterable[bytes], size: int = 1 << 16) -> Iterator[bytes]:
    """Small parts (all text or all bytes) as chunks of about `size` each, text encoded as
    UTF-8: a compressor's or a response's cost is per chunk, and one encode of a joined chunk
    is cheaper than many."""
    batch: list[Any] = []
    length = 0
    for part in parts:
        batch.append(part)
        length += len(part)
        if length >= size:
            yield _joined(batch)
            batch.clear()
            length = 0
    yield _joined(batch)


def _joined(batch: list[Any]) -> bytes:
    if batch and isinstance(batch[0], str):
        return "".join(batch).encode()
    return b"".join(batch)


def counted(items: Iterable[Any], snapshot: Snapshot, every: int = 1000) -> Iterator[Any]:
    """`items`, telling the snapshot's progress callback how many have gone by."""
    seen = 0
    for seen, item in enumerate(items, 1):
        if seen % every == 0:
            snapshot.progress(seen)
        yield item
    snapshot.progress(seen)
