"""The formula guard every CSV this project writes goes through.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or line break before
one) as a formula, so a project, code or coder name could make a researcher's spreadsheet fetch
a URL or run a command when the export is opened. Such a text cell is written with a leading
`'`, which spreadsheets show as text (OWASP's advice for CSV injection). Numbers are passed as
numbers, so a negative coefficient stays a number.
"""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> Any:
    """`value` as a CSV cell that no spreadsheet runs; non-text values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer`, with every cell through `safe_cell`."""

    def __init__(self, out: Any, **options: Any):
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: Any, **options: Any) -> SafeWriter:
    """A CSV writer for `out` (anything with `write`, as for `csv.writer`) that guards every
    text cell."""
    return SafeWriter(out, **options)
