"""Reliability data (coders x units, any values, None or NaN missing) as float matrices.

The coefficients only need to know which values are equal (nominal), their order (ordinal) or
their magnitude (interval, ratio), so every input is reduced to a float64 matrix with NaN for
missing values and the numeric core works on that alone.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from numbers import Real
from typing import Literal, TypeAlias

import numpy as np

Level: TypeAlias = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")


def is_missing(value: object) -> bool:
    """True for None and for a float NaN (Python or numpy)."""
    return value is None or (isinstance(value, float | np.floating) and math.isnan(value))


def as_rows(data: Iterable[Iterable[object]]) -> list[list[object]]:
    """The coders x units matrix as equal-length lists; ValueError when it is not one."""
    if isinstance(data, str | bytes):
        raise ValueError("expected a coders x units matrix, got a string")
    rows: list[list[object]] = []
    for row in data:
        if isinstance(row, str | bytes) or not isinstance(row, Iterable):
            raise ValueError("expected a coders x units matrix: each row is one coder's values")
        rows.append(list(row))
    if len({len(row) for row in rows}) > 1:
        raise ValueError("every coder's row must have one value per unit (rows differ in length)")
    return rows


def _matrix(rows: list[list[object]], codes: dict[object, float]) -> np.ndarray:
    units = len(rows[0]) if rows else 0
    out = np.full((len(rows), units), np.nan)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if not is_missing(value):
                out[i, j] = codes[value]
    return out


def _distinct(rows: list[list[object]]) -> dict[Hashable, None]:
    # A dict keeps first-appearance order, so category codes do not depend on hashing.
    seen: dict[Hashable, None] = {}
    for row in rows:
        for value in row:
            if not is_missing(value):
                seen.setdefault(value)
    return seen


def category_matrix(data: Iterable[Iterable[object]]) -> np.ndarray:
    """Each distinct value replaced by a float category index (equal values, equal index)."""
    rows = as_rows(data)
    codes = {value: float(i) for i, value in enumerate(_distinct(rows))}
    return _matrix(rows, codes)


def ordered_matrix(data: Iterable[Iterable[object]]) -> np.ndarray:
    """Each distinct value replaced by its rank among the sorted distinct values."""
    rows = as_rows(data)
    try:
        ordered = sorted(_distinct(rows))  # type: ignore[type-var]
    except TypeError as error:
        raise ValueError("ordinal values must be mutually comparable") from error
    return _matrix(rows, {value: float(i) for i, value in enumerate(ordered)})


def numeric_matrix(data: Iterable[Iterable[object]]) -> np.ndarray:
    """The values as float64; ValueError for anything that is not a real number."""
    rows = as_rows(data)
    distinct = _distinct(rows)
    for value in distinct:
        if isinstance(value, bool) or not isinstance(value, Real):
            raise ValueError(f"interval and ratio values must be numbers, got {value!r}")
    return _matrix(rows, {value: float(value) for value in distinct})  # type: ignore[arg-type]


def float_matrix(data: object, level: Level) -> np.ndarray:
    """The reliability data as a coders x units float64 array with NaN for missing values.

    Numeric numpy arrays are used as they are (no copy for float64): that is the fast path.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    if isinstance(data, np.ndarray) and data.dtype.kind in "fiu":
        if data.ndim != 2:
            raise ValueError(f"expected a 2-D coders x units array, got {data.ndim} dimensions")
        return data.astype(np.float64, copy=False)
    rows = data.tolist() if isinstance(data, np.ndarray) else data
    if level == "nominal":
        return category_matrix(rows)  # type: ignore[arg-type]
    if level == "ordinal":
        return ordered_matrix(rows)  # type: ignore[arg-type]
    return numeric_matrix(rows)  # type: ignore[arg-type]
