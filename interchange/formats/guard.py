"""The spreadsheet formula guard: what a spreadsheet would run as a formula is made text.

Excel, LibreOffice and Google Sheets evaluate a CSV cell whose first character is `=`, `+`, `-`
or `@` (and some strip a leading tab or carriage return first), so a quote such as
`=HYPERLINK(...)` coded from a hostile post could run on the lead's machine. A leading `'`
makes such a cell text; `exact` exports skip this for data tools. A cell that already starts
with `'` gets one too, so the guard is undone exactly by removing one leading `'` from every
cell that has one.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def formula_guard(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def formula_guard_sql(expression: str) -> str:
    """The same rule as an SQL expression over a text `expression` (PostgreSQL), for COPY."""
    return (
        f"CASE WHEN left({expression}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r', '''') "
        f"THEN '''' || {expression} ELSE {expression} END"
    )
