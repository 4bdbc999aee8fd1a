"""The project's formula guard (core.csv_safe) for text cells, in Python and as SQL for COPY."""

from core.csv_safe import FORMULA_STARTS, safe_cell


def formula_guard(value: str) -> str:
    guarded: str = safe_cell(value)
    return guarded


def formula_guard_sql(expression: str) -> str:
    """core.csv_safe's rule as an SQL expression over a text `expression` (PostgreSQL), built
    from the same list of first characters, so COPY and Python guard the same cells. `ascii()`
    gives the first character's code point without copying the text."""
    starts = ", ".join(str(ord(character)) for character in FORMULA_STARTS)
    return (
        f"CASE WHEN ascii({expression}) IN ({starts}) "
        f"THEN '''' || {expression} ELSE {expression} END"
    )
