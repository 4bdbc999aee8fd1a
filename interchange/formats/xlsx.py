"""`xlsx`: the `csv` table as an Excel workbook, plus sources, codebook, coders and a README.

Every text cell is written as a string, never parsed as a formula, so the workbook is safe
and exact at once (no formula guard). Written by XlsxWriter in constant-memory mode into a
temporary file, which is then streamed out. Excel's limits are kept: a cell holds at most
32,767 characters (a longer one is cut with a visible marker and flagged), and a sheet at most
1,048,576 rows (the annotations continue on further sheets).
"""

import tempfile
from collections.abc import Iterator, Sequence
from typing import Any

import xlsxwriter

from interchange.formats.annotation_table import COLUMNS, annotation_rows
from interchange.formats.outgoing import Snapshot, iso, iso_date

EXTENSION = "xlsx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL = 32_767
MAX_ROWS = 1_048_576
CUT = "… [cut here: the full text has {} characters]"
READ_CHUNK = 1 << 16


def _utf16_length(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def fit(value: str) -> tuple[str, bool]:
    """`value` cut to Excel's cell limit (counted in UTF-16 units, as Excel does), with a marker
    saying so; and whether it was cut."""
    if len(value) <= MAX_CELL // 2 or _utf16_length(value) <= MAX_CELL:
        return value, False
    marker = CUT.format(len(value))
    keep = MAX_CELL - len(marker)
    while _utf16_length(value[:keep]) + len(marker) > MAX_CELL:
        keep -= 1
    return value[:keep] + marker, True


class Sheet:
    """A worksheet written row by row, as constant-memory mode requires."""

    def __init__(self, book: Any, name: str, header: Sequence[str]):
        self.book, self.name, self.header = book, name, header
        self.sheet = book.add_worksheet(name)
        self.next_row = 0
        self.write(header)
        self.sheet.freeze_panes(1, 0)

    def write(self, cells: Sequence[Any]) -> None:
        for column, value in enumerate(cells):
            if value is None or value == "":
                continue
            if isinstance(value, bool | int | float):
                self.sheet.write_number(self.next_row, column, value)
            else:
                self.sheet.write_string(self.next_row, column, fit(str(value))[0])
        self.next_row += 1


def _annotation_sheets(book: Any, snapshot: Snapshot) -> None:
    header = (*COLUMNS, "quote_truncated")
    quote = COLUMNS.index("quote")
    part = 1
    sheet = Sheet(book, "annotations", header)
    for cells in annotation_rows(snapshot, guard=False):
        if sheet.next_row >= MAX_ROWS:
            part += 1
            sheet = Sheet(book, f"annotations ({part})", header)
        truncated = fit(cells[quote])[1]
        sheet.write([*cells, "yes" if truncated else "no"])


def _readme(book: Any, snapshot: Snapshot) -> None:
    sheet = Sheet(book, "README", ("field", "value"))
    filters = "; ".join(f"{name}={','.join(values)}" for name, values in snapshot.filters.items())
    for row in (
        ("project", snapshot.project_name),
        ("snapshot taken (UTC)", iso(snapshot.taken_at)),
        ("filters", filters or "none: the whole project"),
        ("annotations", snapshot.annotation_count),
        ("software", snapshot.software),
        ("offsets", "start and end count Unicode code points of the source text, end exclusive"),
        ("cells", "every text cell is a string, exactly as stored; none is a formula"),
        ("long cells", f"cut at Excel's {MAX_CELL:,} characters, marked; see quote_truncated"),
        ("many rows", "beyond 1,048,575 annotations the table continues on 'annotations (2)'"),
    ):
        sheet.write(row)


def _sources(book: Any, snapshot: Snapshot) -> None:
    header = (
        "source_id", "title", "kind", "outlet", "author", "url", "published", "language",
        "sha256", "created", "text", "text_truncated",
    )  # fmt: skip
    sheet = Sheet(book, "sources", header)
    for source in snapshot.sources():
        sheet.write([
            source.id, source.title, source.kind, source.outlet, source.author, source.url,
            iso_date(source.published), source.language, source.sha256, iso(source.created),
            source.text, "yes" if fit(source.text)[1] else "no",
        ])  # fmt: skip


def _codebook(book: Any, snapshot: Snapshot) -> None:
    header = (
        "code_id", "parent_id", "code", "code_path", "definition", "inclusion", "exclusion",
        "example", "colour", "shortcut", "retired",
    )  # fmt: skip
    sheet = Sheet(book, "codebook", header)
    for code in snapshot.codes:
        sheet.write([
            code.id, code.parent_id, code.name, code.path, code.definition, code.inclusion,
            code.exclusion, code.example, code.colour, code.shortcut,
            "yes" if code.retired else "no",
        ])  # fmt: skip


def _coders(book: Any, snapshot: Snapshot) -> None:
    sheet = Sheet(book, "coders", ("username", "name", "role"))
    for coder in snapshot.coders:
        sheet.write([coder.username, coder.full_name, coder.role])


def write(snapshot: Snapshot, options: dict[str, Any]) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as file:
        book = xlsxwriter.Workbook(
            file, {"constant_memory": True, "strings_to_formulas": False, "in_memory": False}
        )
        _readme(book, snapshot)
        _annotation_sheets(book, snapshot)
        _sources(book, snapshot)
        _codebook(book, snapshot)
        _coders(book, snapshot)
        book.close()
        file.seek(0)
        while chunk := file.read(READ_CHUNK):
            yield chunk
