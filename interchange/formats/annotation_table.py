"""`csv`: one row per annotation, for spreadsheets (formula-guarded) or data tools (`exact`).

UTF-8 with a byte-order mark, so Excel reads Arabic and Cyrillic; RFC 4180 quoting with
newlines kept inside cells; rows end with LF, as PostgreSQL's COPY writes them. On PostgreSQL
the rows come from COPY (see interchange.snapshot); elsewhere from the loop below, which gives
the same bytes.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from interchange.formats.guard import formula_guard, formula_guard_sql
from interchange.formats.outgoing import Snapshot, SqlCells, counted, iso, iso_date

EXTENSION, MEDIA_TYPE = "csv", "text/csv"
BOM = "\ufeff"
COLUMNS = (
    "project", "source_id", "source_title", "source_kind", "outlet", "author", "url",
    "published", "language", "source_sha256", "coder", "code_id", "code", "code_path",
    "start", "end", "quote", "memo", "created", "updated", "version", "annotation_id",
    "layer", "adjudicated_by", "adjudicated_at",
)  # fmt: skip
FLUSH = 1 << 16


class CsvLines:
    """Rows to CSV text, quoted as PostgreSQL's COPY quotes them.

    Python's csv module quotes a cell holding a carriage return only when `\\r` is part of the
    line terminator; COPY always does. Rows holding one go through a CRLF writer whose line end
    is then cut back to LF."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.plain = csv.writer(self.buffer, lineterminator="\n")
        self.crlf_buffer = io.StringIO()
        self.crlf = csv.writer(self.crlf_buffer, lineterminator="\r\n")

    def row(self, cells: Sequence[Any]) -> None:
        if any(isinstance(cell, str) and "\r" in cell for cell in cells):
            self.crlf_buffer.seek(0)
            self.crlf_buffer.truncate()
            self.crlf.writerow(cells)
            self.buffer.write(self.crlf_buffer.getvalue()[:-2] + "\n")
        else:
            self.plain.writerow(cells)

    def take(self) -> bytes:
        data = self.buffer.getvalue().encode()
        self.buffer.seek(0)
        self.buffer.truncate()
        return data

    def stream(self, rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
        for cells in rows:
            self.row(cells)
            if self.buffer.tell() >= FLUSH:
                yield self.take()
        yield self.take()


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool
) -> Iterator[bytes]:
    lines = CsvLines()
    lines.row(header)
    if bom:
        yield BOM.encode()
    yield from lines.stream(rows)


def annotation_rows(snapshot: Snapshot, *, guard: bool) -> Iterator[list[Any]]:
    """The `csv` table's cells; text cells guarded when `guard`, empty text as None."""
    text = formula_guard if guard else str
    sources = {}
    for source in snapshot.sources(with_text=False):
        # The metadata columns, without the text: a few hundred bytes per source.
        sources[source.id] = [
            text(value) or None
            for value in (source.title, source.kind, source.outlet, source.author, source.url)
        ] + [iso_date(source.published) or None, text(source.language) or None,
             text(source.sha256) or None]  # fmt: skip
    codes = {
        code.id: [code.id, text(code.name) or None, text(code.path) or None]
        for code in snapshot.codes
    }
    project = text(snapshot.project_name) or None
    for note in counted(snapshot.annotations(), snapshot):
        yield [
            project, note.source_id, *sources[note.source_id], text(note.coder) or None,
            *codes[note.code_id], note.start, note.end, text(note.quote) or None,
            text(note.memo) or None, iso(note.created), iso(note.updated), note.version,
            note.id, note.layer, text(note.adjudicated_by) or None,
            iso(note.adjudicated_at) or None,
        ]  # fmt: skip


def sql_cells(*, guard: bool) -> SqlCells:
    """The rows above as COPY writes them; NULL rather than '' for empty text, since COPY
    quotes an empty string where Python's csv module writes nothing."""

    def text(expression: str) -> str:
        return f"NULLIF({formula_guard_sql(expression) if guard else expression}, '')"

    def same(expression: str) -> str:
        return expression

    return SqlCells(
        text=text, plain=same, number=same, missing="NULL", join=list, copy="FORMAT csv"
    )


def write(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    guard = not options.get("exact")
    if snapshot.copy_table is not None and not options.get("python"):
        yield BOM.encode()
        header = CsvLines()
        header.row(COLUMNS)
        yield header.take()
        yield from snapshot.copy_table(sql_cells(guard=guard))
        snapshot.progress(snapshot.annotation_count)
        return
    yield from csv_bytes(COLUMNS, annotation_rows(snapshot, guard=guard), bom=True)
